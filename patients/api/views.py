"""Patients API: thin adapters over patients.selectors and patients.services."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from clinic.api.versioning import with_etag
from clinic.api.views import ClinicScopedViewSet
from clinic.db import planned_for_their_values
from clinic.models import Clinic
from clinic.roles import Capability
from clinic.tenancy import actor_of, clinic_of
from patients import selectors, services
from patients.api.serializers import (
    InjuryInputSerializer,
    InjurySerializer,
    PatientInputSerializer,
    PatientSerializer,
    StressorInputSerializer,
    StressorSerializer,
    TreatmentInputSerializer,
    TreatmentSerializer,
)
from patients.models import Injury, Patient, PriorTreatment, Stressor

SEARCH_MAX_LENGTH = 100


def check_search(search: str) -> None:
    if len(search) > SEARCH_MAX_LENGTH:
        raise ValidationError({"search": [f"At most {SEARCH_MAX_LENGTH} characters."]})


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("search", str, description="Matches first and last names (at most 100 characters).")
        ]
    ),
    create=extend_schema(request=PatientInputSerializer, responses={201: PatientSerializer}),
    partial_update=extend_schema(request=PatientInputSerializer),
)
class PatientViewSet(mixins.ListModelMixin, ClinicScopedViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    read_capability = Capability.VIEW_PATIENTS
    write_capability = Capability.EDIT_PATIENTS
    serializer_class = PatientSerializer
    input_serializer_class = PatientInputSerializer
    update_service = services.patient_update
    archive_service = services.patient_archive
    service_object_name = "patient"

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Patient]:
        search = self.request.query_params.get("search") if self.action == "list" else None  # checked by list()
        return selectors.patient_list(clinic=clinic, search=search)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        check_search(request.query_params.get("search", ""))
        with planned_for_their_values():  # the name search (clinic.db)
            return super().list(request, *args, **kwargs)

    def create(self, request: Request) -> Response:
        serializer = PatientInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        patient = services.patient_create(
            clinic=clinic_of(request), actor=actor_of(request), data=dict(serializer.validated_data)
        )
        return with_etag(Response(PatientSerializer(patient).data, status=status.HTTP_201_CREATED), patient.version)


class PatientChildListCreate(generics.ListCreateAPIView):
    """GET|POST /patients/{id}/<children>/: the patient is looked up in the acting clinic first (else 404)."""

    input_serializer_class: type[Any]
    create_service: Any

    def patient(self) -> Patient:
        if not hasattr(self, "_patient"):
            self._patient = selectors.patient_get(clinic=clinic_of(self.request), patient_id=self.kwargs["patient_id"])
        return self._patient

    def resolve_clinic_objects(self) -> None:
        self.patient()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        patient = self.patient()
        serializer = self.input_serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        created = type(self).create_service(patient=patient, actor=actor_of(request), data=data)
        return with_etag(Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED), created.version)


@extend_schema_view(post=extend_schema(request=StressorInputSerializer, responses={201: StressorSerializer}))
class PatientStressors(PatientChildListCreate):
    read_capability = Capability.VIEW_PATIENTS
    write_capability = Capability.EDIT_PATIENTS
    serializer_class = StressorSerializer
    input_serializer_class = StressorInputSerializer
    create_service = services.stressor_create

    def get_queryset(self) -> QuerySet[Stressor]:
        if getattr(self, "swagger_fake_view", False):
            return Stressor.objects.none()
        return selectors.stressor_list(patient=self.patient())


@extend_schema_view(post=extend_schema(request=InjuryInputSerializer, responses={201: InjurySerializer}))
class PatientInjuries(PatientChildListCreate):
    read_capability = Capability.VIEW_CLINICAL
    write_capability = Capability.CHART
    serializer_class = InjurySerializer
    input_serializer_class = InjuryInputSerializer
    create_service = services.injury_create

    def get_queryset(self) -> QuerySet[Injury]:
        if getattr(self, "swagger_fake_view", False):
            return Injury.objects.none()
        return selectors.injury_list(patient=self.patient())


@extend_schema_view(partial_update=extend_schema(request=StressorInputSerializer))
class StressorViewSet(ClinicScopedViewSet):
    read_capability = Capability.VIEW_PATIENTS
    write_capability = Capability.EDIT_PATIENTS
    protected_fields = frozenset({"patient"})
    serializer_class = StressorSerializer
    input_serializer_class = StressorInputSerializer
    update_service = services.stressor_update
    archive_service = services.stressor_archive
    service_object_name = "stressor"

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Stressor]:
        return selectors.stressor_queryset(clinic=clinic)


@extend_schema_view(partial_update=extend_schema(request=InjuryInputSerializer))
class InjuryViewSet(ClinicScopedViewSet):
    read_capability = Capability.VIEW_CLINICAL
    write_capability = Capability.CHART
    protected_fields = frozenset({"patient"})
    serializer_class = InjurySerializer
    input_serializer_class = InjuryInputSerializer
    update_service = services.injury_update
    archive_service = services.injury_archive
    service_object_name = "injury"

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Injury]:
        return selectors.injury_queryset(clinic=clinic)


@extend_schema_view(post=extend_schema(request=TreatmentInputSerializer, responses={201: TreatmentSerializer}))
class PatientTreatments(PatientChildListCreate):
    """The patient's prior and current treatments (issue 23)."""

    read_capability = Capability.VIEW_CLINICAL
    write_capability = Capability.CHART
    serializer_class = TreatmentSerializer
    input_serializer_class = TreatmentInputSerializer
    create_service = services.treatment_create

    def get_queryset(self) -> QuerySet[PriorTreatment]:
        if getattr(self, "swagger_fake_view", False):
            return PriorTreatment.objects.none()
        return selectors.treatment_list(patient=self.patient())


@extend_schema_view(partial_update=extend_schema(request=TreatmentInputSerializer))
class TreatmentViewSet(ClinicScopedViewSet):
    read_capability = Capability.VIEW_CLINICAL
    write_capability = Capability.CHART
    protected_fields = frozenset({"patient"})
    serializer_class = TreatmentSerializer
    input_serializer_class = TreatmentInputSerializer
    update_service = services.treatment_update
    archive_service = services.treatment_archive
    service_object_name = "treatment"

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[PriorTreatment]:
        return selectors.treatment_queryset(clinic=clinic)
