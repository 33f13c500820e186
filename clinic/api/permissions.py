"""API access: an authenticated user acting for one of their clinics."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from clinic.tenancy import attach, resolve_membership, use_time_zone_of


class ActsForClinic(BasePermission):
    """Authenticated and a member of the acting clinic; sets request.clinic for the selectors.

    Runs after DRF authentication, so token-authenticated requests get their clinic (and its time zone) here.
    """

    message = "You are not a member of a clinic (or of the clinic named in X-Clinic)."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        django_request = request._request
        membership = getattr(django_request, "membership", None)
        if membership is None or membership.user_id != request.user.pk:
            # Token requests (the middleware saw an anonymous user): resolve here. Session requests keep the
            # middleware's answer, found by the same rules for the same user.
            membership = resolve_membership(django_request, request.user)
            attach(django_request, membership)
            use_time_zone_of(membership.clinic if membership else None)
        return membership is not None


class IsAuthenticatedAnyClinic(BasePermission):
    """For clinic-independent reference data (the catalog): any signed-in user."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)
