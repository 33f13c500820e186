"""The acting clinic: which clinic a request works for.

One mechanism serves pages and the API. A user acts for exactly one of the clinics they belong to:
the clinic named by the `X-Clinic` header (API clients in several clinics), else the one chosen in the browser
session, else their only (or first) active membership. Every clinic-owned query is then narrowed with
`Model.objects.for_clinic(request.clinic)` in the selectors.

The request then runs in the acting clinic's time zone (ClinicTimeZoneMiddleware, `use_time_zone_of`): "today"
(`timezone.localdate()`) and the times shown are the clinic's, not the server's.
"""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from clinic.models import Clinic, Membership

SESSION_KEY = "acting_clinic_id"
HEADER = "HTTP_X_CLINIC"


def active_memberships(user: AbstractBaseUser | AnonymousUser) -> list[Membership]:
    """The user's active memberships, oldest first (the first one is the default acting clinic)."""
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user_id=user.pk, is_active=True).select_related("clinic").order_by("created_at", "id")
    )


def resolve_membership(request: HttpRequest, user: AbstractBaseUser | AnonymousUser) -> Membership | None:
    """The membership the request acts under, or None when the user belongs to no clinic (or names a foreign one)."""
    memberships = active_memberships(user)
    if not memberships:
        return None
    by_id = {str(m.clinic_id): m for m in memberships}
    requested = request.META.get(HEADER)
    if requested:
        return by_id.get(requested.strip())
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if chosen and chosen in by_id:
        return by_id[chosen]
    return memberships[0]


def attach(request: HttpRequest, membership: Membership | None) -> None:
    request.membership = membership  # type: ignore[attr-defined]
    request.clinic = membership.clinic if membership else None  # type: ignore[attr-defined]


def choose_clinic(request: HttpRequest, clinic_id: str) -> bool:
    """Make one of the user's clinics the acting clinic for this browser session."""
    if any(str(m.clinic_id) == clinic_id for m in active_memberships(request.user)):
        request.session[SESSION_KEY] = clinic_id
        return True
    return False


class ActingClinicMiddleware:
    """Sets request.clinic and request.membership for session-authenticated page requests.

    API requests authenticated by token are resolved again after DRF authentication (clinic.api.permissions).
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        attach(request, resolve_membership(request, request.user) if request.user.is_authenticated else None)
        response: HttpResponse = self.get_response(request)
        return response


def use_time_zone_of(clinic: Clinic | None) -> None:
    """Run the rest of this request in the clinic's time zone (the default zone, settings.TIME_ZONE, without one)."""
    if clinic is None:
        timezone.deactivate()
    else:
        timezone.activate(clinic.time_zone)


class ClinicTimeZoneMiddleware:
    """Activates the acting clinic's time zone for the request (after ActingClinicMiddleware) and restores the default
    afterwards, so nothing carries over to the next request served by the same thread.

    Token-authenticated API requests get their clinic after DRF authentication: clinic.api.permissions activates its
    zone there, and this middleware still restores the default at the end.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        use_time_zone_of(getattr(request, "clinic", None))
        try:
            response: HttpResponse = self.get_response(request)
        finally:
            timezone.deactivate()
        return response


def acting_clinic_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "acting_clinic": getattr(request, "clinic", None),
        "acting_membership": getattr(request, "membership", None),
    }


def actor_of(request: Any) -> User:
    """The signed-in user making the request (views that reach a service are behind a login check)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionError("Not signed in.")
    return user


def clinic_of(request: Any) -> Clinic:
    """The acting clinic of a request that passed the membership check."""
    clinic = getattr(request, "clinic", None)
    if clinic is None:
        raise PermissionError("No acting clinic for this request.")
    return clinic
