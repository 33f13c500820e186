"""Sign-in landing and the choice of acting clinic."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clinic.tenancy import SESSION_KEY, active_memberships, choose_clinic


def clinic_member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and acting for a clinic; otherwise the login page or a clear 403 page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "clinic", None) is None:
            return render(request, "clinic/no_clinic.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = active_memberships(request.user)
    if len(memberships) > 1 and SESSION_KEY not in request.session:
        return redirect("choose-clinic")
    return redirect("patients:list")


@login_required
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    memberships = active_memberships(request.user)
    error = ""
    if request.method == "POST":
        if choose_clinic(request, request.POST.get("clinic", "")):
            return redirect("patients:list")
        error = "Choose one of your clinics."
    return render(
        request,
        "clinic/choose.html",
        {"memberships": memberships, "error": error},
        status=400 if error else 200,
    )
