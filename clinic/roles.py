"""What each clinic role may do: the one table, a DRF permission and a page decorator that read it.

Roles (Membership.role):

- ``owner``: everything, including managing the clinic's members, its settings (name, address, phone, time zone)
  and reading the audit trail.
- ``practitioner``: everything clinical (charting, signing, plans, documents), but not members nor the audit trail.
- ``assistant``: front-desk work: patient details (list, read, create, edit, archive), the patient's stressors, and
  the scheduling data.

"Scheduling data" (there is no appointment model): the dates, kinds (initial / follow-up) and status (draft / signed)
of a patient's visits, shown on the patient page without any clinical content and without a link into the visit.
An assistant gets no visit API at all, and none of: old injuries, pain sites, findings, muscle tests, outcomes,
red-flag screening, analysis, plans, addenda, comparisons, progress series or documents (PDFs).

Order of answers: not signed in (401 / login page), not a member of the acting clinic (403), an object (in the path,
the query string or a body foreign key) that is not in the acting clinic (404, exactly like one that does not exist,
whatever the role), and only then a role without the capability (403). So a denied request first resolves the
objects it names in the acting clinic before it is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from clinic.models import Membership, Role


class Capability(StrEnum):
    VIEW_PATIENTS = "view_patients"  # patient list and details, stressors
    EDIT_PATIENTS = "edit_patients"  # create, edit, archive patients and stressors
    VIEW_SCHEDULE = "view_schedule"  # a patient's visit dates, kinds and status (no clinical content)
    VIEW_CLINICAL = "view_clinical"  # visits and everything under them, old injuries, analysis, compare, progress
    CHART = "chart"  # write visits and everything under them, old injuries, plans, addenda
    SIGN = "sign"  # sign (lock) a visit
    DOCUMENTS = "documents"  # issue PDFs (home-care sheet, progress report)
    MANAGE_MEMBERS = "manage_members"  # add members, change roles, deactivate and reactivate memberships
    READ_AUDIT = "read_audit"  # read the clinic's audit trail
    MANAGE_CLINIC = "manage_clinic"  # edit the clinic's name, address, phone and time zone (/clinic/settings/)


ASSISTANT_CAPABILITIES = frozenset(
    {Capability.VIEW_PATIENTS, Capability.EDIT_PATIENTS, Capability.VIEW_SCHEDULE},
)
PRACTITIONER_CAPABILITIES = ASSISTANT_CAPABILITIES | {
    Capability.VIEW_CLINICAL,
    Capability.CHART,
    Capability.SIGN,
    Capability.DOCUMENTS,
}
OWNER_CAPABILITIES = frozenset(Capability)

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.OWNER: OWNER_CAPABILITIES,
    Role.PRACTITIONER: PRACTITIONER_CAPABILITIES,
    Role.ASSISTANT: ASSISTANT_CAPABILITIES,
}

DENIED_MESSAGE = "Your role in this clinic does not allow this."


def role_can(role: str, capability: Capability) -> bool:
    """Whether a role has a capability (an unknown role has none)."""
    return capability in ROLE_CAPABILITIES.get(role, frozenset())


def membership_can(membership: Membership | None, capability: Capability) -> bool:
    return membership is not None and membership.is_active and role_can(membership.role, capability)


def request_can(request: Any, capability: Capability) -> bool:
    """Whether the request's acting membership (set by clinic.tenancy) has the capability."""
    return membership_can(getattr(request, "membership", None), capability)


# Per role, worked out once (every page's context asks; reading an enum member's value is not free).
_NO_CAPABILITIES = {c.value: False for c in Capability}
_ROLE_TABLE = {role: {c.value: c in granted for c in Capability} for role, granted in ROLE_CAPABILITIES.items()}


def capabilities_of(membership: Membership | None) -> dict[str, bool]:
    """{capability: bool} for templates: ``{% if can.chart %}``."""
    if membership is None or not membership.is_active:
        return dict(_NO_CAPABILITIES)
    return dict(_ROLE_TABLE.get(membership.role, _NO_CAPABILITIES))


def role_context(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: ``can`` says what the acting role may do, to hide links it cannot use."""
    return {"can": capabilities_of(getattr(request, "membership", None))}


# --- API ---------------------------------------------------------------------------------------------------------


def required_capability(view: Any, request: Request) -> Capability:
    """The capability a view asks of this request.

    A view declares ``read_capability`` (GET/HEAD/OPTIONS) and ``write_capability`` (anything else), and may refine
    them per viewset action with ``action_capabilities = {"sign": Capability.SIGN, "plan_confirm": ...}``.
    """
    method = (request.method or "").lower()
    if method not in getattr(view, "http_method_names", ()) or not hasattr(view, method):
        raise MethodNotAllowed(request.method or "")  # 405 before any capability is asked (e.g. TRACE on a GET view)
    action = getattr(view, "action", None)
    per_action: dict[str, Capability] = getattr(view, "action_capabilities", {})
    if action in per_action:
        return per_action[action]
    attribute = "read_capability" if request.method in SAFE_METHODS else "write_capability"
    capability: Capability | None = getattr(view, attribute, None)
    if capability is None:
        raise ImproperlyConfigured(f"{type(view).__name__} declares no {attribute} (see clinic.roles).")
    return capability


class HasCapability(BasePermission):
    """The acting role has the capability the view requires for this request; runs after ActsForClinic.

    Before refusing, the view's ``resolve_clinic_objects()`` looks up every clinic object the request names, so another
    clinic's object (or one that does not exist) answers 404 whatever the role.
    """

    message = DENIED_MESSAGE

    def has_permission(self, request: Request, view: Any) -> bool:
        if request_can(request._request, required_capability(view, request)):
            return True
        resolve = getattr(view, "resolve_clinic_objects", None)
        if resolve is not None:
            resolve()
        return False


# --- Pages -------------------------------------------------------------------------------------------------------

Scope = Callable[..., None]
CapabilityFor = Capability | Callable[..., Capability]


def role_required(capability: CapabilityFor, *, scope: Scope | None = None) -> Callable[..., Any]:
    """Page decorator (under clinic_member_required): 403 page unless the acting role has the capability.

    ``capability`` may be a function of the view's keyword arguments (e.g. the panel: stressors or injuries).
    ``scope(request, **kwargs)`` looks up the objects the request names in the acting clinic (raising 404) and runs
    only for a denied request, so a foreign object answers 404 rather than 403.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            needed = capability(**kwargs) if callable(capability) else capability
            if not request_can(request, needed):
                if scope is not None:
                    scope(request, **kwargs)
                raise PermissionDenied(DENIED_MESSAGE)
            return view(request, *args, **kwargs)

        wrapper.required_capability = capability  # type: ignore[attr-defined]
        return wrapper

    return decorator
