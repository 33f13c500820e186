"""The owner's page for the clinic's members: add one, change a role, deactivate or reactivate a membership.

Each write goes through clinic.services (which keeps at least one active owner); a refused change re-renders the
page with the reason and answers 400.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from clinic import services
from clinic.models import Membership, Role
from clinic.pages import add_service_errors
from clinic.roles import Capability, role_required
from clinic.selectors import get_or_404
from clinic.tenancy import actor_of, clinic_of
from clinic.views import clinic_member_required


class MemberAddForm(forms.Form):
    username = forms.CharField(max_length=150)
    first_name = forms.CharField(max_length=150, required=False, help_text="A new user's name, printed on documents.")
    last_name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.PRACTITIONER)
    password = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Only for a new user; leave empty to add an existing user.",
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


def _members(request: HttpRequest) -> list[Membership]:
    return list(Membership.objects.filter(clinic=clinic_of(request)).select_related("user").order_by("user__username"))


def _membership_scope(request: HttpRequest, membership_id: str | None = None, **_: Any) -> None:
    if membership_id is not None:
        get_or_404(Membership.objects.filter(clinic=clinic_of(request)), membership_id)


def _page(request: HttpRequest, *, form: MemberAddForm | None = None, error: str = "", status: int = 200):
    context = {
        "members": _members(request),
        "form": form or MemberAddForm(),
        "roles": Role.choices,
        "error": error,
    }
    return render(request, "clinic/members.html", context, status=status)


@clinic_member_required
@role_required(Capability.MANAGE_MEMBERS)
@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@clinic_member_required
@role_required(Capability.MANAGE_MEMBERS)
@require_POST
def member_add(request: HttpRequest) -> HttpResponse:
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(
                clinic=clinic_of(request),
                actor=actor_of(request),
                username=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                password=form.cleaned_data["password"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("members")
    return _page(request, form=form, status=400)


def _change(request: HttpRequest, membership_id: str, change: Callable[[Membership], Any]) -> HttpResponse:
    membership = get_or_404(Membership.objects.filter(clinic=clinic_of(request)), membership_id)
    try:
        change(membership)
    except ValidationError as exc:
        return _page(request, error=" ".join(exc.messages), status=400)
    return redirect("members")


@clinic_member_required
@role_required(Capability.MANAGE_MEMBERS, scope=_membership_scope)
@require_POST
def member_role(request: HttpRequest, membership_id: str) -> HttpResponse:
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        _membership_scope(request, membership_id)
        return _page(request, error="Choose one of the roles.", status=400)
    role = form.cleaned_data["role"]
    return _change(
        request,
        membership_id,
        lambda m: services.membership_set_role(membership=m, actor=actor_of(request), role=role),
    )


@clinic_member_required
@role_required(Capability.MANAGE_MEMBERS, scope=_membership_scope)
@require_POST
def member_deactivate(request: HttpRequest, membership_id: str) -> HttpResponse:
    return _change(
        request, membership_id, lambda m: services.membership_deactivate(membership=m, actor=actor_of(request))
    )


@clinic_member_required
@role_required(Capability.MANAGE_MEMBERS, scope=_membership_scope)
@require_POST
def member_reactivate(request: HttpRequest, membership_id: str) -> HttpResponse:
    return _change(
        request, membership_id, lambda m: services.membership_reactivate(membership=m, actor=actor_of(request))
    )
