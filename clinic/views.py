"""Sign-in landing and the choice of acting clinic."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clinic.auth import login_url_for
from clinic.tenancy import SESSION_KEY, active_memberships, choose_clinic


def clinic_member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and acting for a clinic; otherwise the login page or a clear 403 page.

    A panel's htmx save after the session has ended does not send the page to the sign-in page (the entry would be
    lost): it answers 401 with a notice for the page's `#session-notice` region and a sign-in link that
    returns to the page, and leaves the form as typed, to be saved again after signing in.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if getattr(request, "htmx", False) and request.method != "GET":
                return session_ended(request)  # a save: keep the entry (a read goes to the sign-in page)
            return redirect_to_login(request.get_full_path())
        if getattr(request, "clinic", None) is None:
            return render(request, "clinic/no_clinic.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def session_ended(request: HttpRequest) -> HttpResponse:
    """401 for an htmx request without a session: the notice goes to `#session-notice`; the sign-in returns to the
    page the request came from (the path of htmx's HX-Current-URL)."""
    response = render(request, "clinic/partials/_session_ended.html", {"login_url": login_url_for(request)}, status=401)
    response["HX-Retarget"] = "#session-notice"
    response["HX-Reswap"] = "innerHTML"
    return response


@require_GET
def session_state(request: HttpRequest) -> JsonResponse:
    """Whether this browser is signed in, and the CSRF token its forms need now: a page whose session ended reads it
    after the user signed in again in another tab (signing in rotates the token), so the kept entry can be saved."""
    response = JsonResponse({"signed_in": request.user.is_authenticated, "csrf_token": get_token(request)})
    response["Cache-Control"] = "no-store"
    return response


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
