"""Base API views for clinic-owned resources.

Each resource declares its selectors and services; these bases only adapt HTTP to them:
parse with the input serializer, call one service or selector, render with the output serializer.
Objects are always looked up through a clinic-scoped selector, so another clinic's id is a 404.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from clinic.api.protected import refuse_protected_fields
from clinic.api.versioning import expected_version, with_etag
from clinic.models import Clinic
from clinic.roles import Capability
from clinic.tenancy import actor_of, clinic_of


class ClinicScopedViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """GET/PATCH/DELETE on one clinic-owned object (PUT is not offered: PATCH carries `version`)."""

    http_method_names = ["get", "patch", "delete", "head", "options"]
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    input_serializer_class: type[BaseSerializer[Any]]
    update_service: Callable[..., Model]
    archive_service: Callable[..., Model] | None = None
    service_object_name: str
    read_capability: Capability
    write_capability: Capability
    protected_fields: frozenset[str] = frozenset()

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no clinic
            return self.get_serializer_class().Meta.model.objects.none()  # type: ignore[attr-defined]
        return self.scoped_queryset(clinic_of(self.request))

    def resolve_clinic_objects(self) -> None:
        """Look up the object in the path in the acting clinic (404 if foreign) before a role is refused."""
        if self.lookup_field in self.kwargs:
            self.get_object()

    def check_writable(self, instance: Any) -> None:
        """Refuse a write before parsing it (e.g. a signed visit answers 409 whatever the body)."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        return with_etag(Response(self.get_serializer(instance).data), instance.version)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        self.check_writable(instance)
        refuse_protected_fields(
            request.data, current=lambda: self.get_serializer(instance).data, extra=self.protected_fields
        )
        serializer = self.input_serializer_class(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        version, from_if_match = expected_version(request, serializer.validated_data)
        changes = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        updated = type(self).update_service(
            **{self.service_object_name: instance},
            actor=actor_of(request),
            changes=changes,
            expected_version=version,
            from_if_match=from_if_match,
        )
        return with_etag(Response(self.get_serializer(updated).data), updated.version)  # type: ignore[attr-defined]

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        archive = type(self).archive_service
        self.check_writable(instance)
        if archive is None:
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        archive(**{self.service_object_name: instance}, actor=actor_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
