"""Visits API: charting, analysis, plan, signing and addenda; favourite sets and charting from them. Thin adapters
over selectors and services."""

import uuid
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from assessments import mappers, selectors, services
from assessments.api import serializers as s
from assessments.cache import cached_json, json_response
from assessments.models import (
    FavouriteSet,
    Finding,
    MuscleTest,
    Observation,
    Outcome,
    PainSite,
    Screening,
    Visit,
    VisitChild,
    VisitHistory,
)
from clinic.api.protected import refuse_protected_fields
from clinic.api.versioning import etag_for, expected_version, with_etag
from clinic.api.views import ClinicScopedViewSet
from clinic.errors import LockedError
from clinic.models import Clinic
from clinic.roles import Capability
from clinic.tenancy import actor_of, clinic_of
from patients.selectors import patient_get

NESTED: dict[str, tuple[type[VisitChild], type[BaseSerializer[Any]], type[BaseSerializer[Any]]]] = {
    "pain-sites": (PainSite, s.PainSiteSerializer, s.PainSiteInputSerializer),
    "findings": (Finding, s.FindingSerializer, s.FindingInputSerializer),
    "muscle-tests": (MuscleTest, s.MuscleTestSerializer, s.MuscleTestInputSerializer),
    "outcomes": (Outcome, s.OutcomeSerializer, s.OutcomeSerializer),
    "screening": (Screening, s.ScreeningSerializer, s.ScreeningSerializer),
    "observations": (Observation, s.ObservationSerializer, s.ObservationInputSerializer),
}


PLAN_PROTECTED = frozenset(
    {"visit", "confirmed", "confirmed_at", "confirmed_by", "engine_version", "catalog_version"},
)


def _data(validated: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in validated.items() if k != "version"}


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("patient", OpenApiTypes.UUID, description="Only this patient.")]),
    create=extend_schema(request=s.VisitCreateSerializer, responses={201: s.VisitDetailSerializer}),
    retrieve=extend_schema(responses=s.VisitDetailSerializer),
    partial_update=extend_schema(request=s.VisitInputSerializer, responses=s.VisitDetailSerializer),
)
class VisitViewSet(mixins.ListModelMixin, ClinicScopedViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    read_capability = Capability.VIEW_CLINICAL
    write_capability = Capability.CHART
    action_capabilities: ClassVar[dict[str, Capability]] = {"sign": Capability.SIGN}
    protected_fields = frozenset({"patient", "status"})
    serializer_class = s.VisitSerializer
    input_serializer_class = s.VisitInputSerializer
    update_service = services.visit_update
    service_object_name = "visit"

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Visit]:
        if self.action != "list":
            return selectors.visit_queryset(clinic=clinic)
        raw = self.request.query_params.get("patient")
        if raw is not None and not _is_uuid(raw):
            raise ValidationError({"patient": "A patient id (UUID)."})
        patient = patient_get(clinic=clinic, patient_id=raw) if raw else None
        return selectors.visit_list(clinic=clinic, patient=patient)

    def check_writable(self, instance: Visit) -> None:
        if instance.is_signed:
            raise LockedError()

    def resolve_clinic_objects(self) -> None:
        """The visit in the path, the `?patient=` filter or the body's `patient`, and a favourite set in the path:
        404 unless in the acting clinic (a set also unless it is the caller's own or shared)."""
        super().resolve_clinic_objects()
        clinic = clinic_of(self.request)
        if "set_id" in self.kwargs:
            selectors.favourite_get(clinic=clinic, user_id=self.request.user.pk, favourite_id=self.kwargs["set_id"])
        raw = self.request.query_params.get("patient") if self.action == "list" else None
        if self.action == "create" and isinstance(self.request.data, dict):
            raw = self.request.data.get("patient")
        if isinstance(raw, str) and _is_uuid(raw):
            patient_get(clinic=clinic, patient_id=raw)

    def _detail(self, visit_id: Any, *, status_code: int = 200) -> Response:
        visit = selectors.visit_detail(clinic=clinic_of(self.request), visit_id=visit_id)
        return with_etag(Response(s.VisitDetailSerializer(visit).data, status=status_code), visit.version)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        visit = self._visit(kwargs["pk"])  # reads the patient's data stamp first (assessments.cache)
        body, etag = cached_json(
            request,
            kind="visit-detail",
            patient_id=visit.patient_id,
            stamp=visit.patient.data_version,
            params=(visit.pk,),
            compute=lambda: (
                s.VisitDetailSerializer(selectors.visit_detail(clinic=clinic_of(request), visit_id=visit.pk)).data
            ),
            etag=lambda data: etag_for(data["version"]),
        )
        return json_response(body, etag=etag)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        super().partial_update(request, *args, **kwargs)
        return self._detail(kwargs["pk"])

    def create(self, request: Request) -> Response:
        serializer = s.VisitCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        patient = patient_get(clinic=clinic_of(request), patient_id=data.pop("patient"))
        visit = services.visit_create(patient=patient, actor=actor_of(request), data=data)
        return self._detail(visit.pk, status_code=status.HTTP_201_CREATED)

    def _visit(self, pk: Any) -> Visit:
        return selectors.visit_get(clinic=clinic_of(self.request), visit_id=pk)

    def _children(self, request: Request, pk: Any, route: str) -> Response:
        model, output, input_serializer = NESTED[route]
        visit = self._visit(pk)
        if request.method == "GET":
            page = self.paginate_queryset(selectors.visit_children(model, visit=visit))
            return self.get_paginated_response(output(page, many=True).data)
        if visit.is_signed:
            raise LockedError()
        serializer = input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        child = services.child_create(
            model=model, visit=visit, actor=actor_of(request), data=_data(serializer.validated_data)
        )
        return with_etag(Response(output(child).data, status=status.HTTP_201_CREATED), child.version)

    @extend_schema(request=s.PainSiteInputSerializer, responses=s.PainSiteSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="pain-sites")
    def pain_sites(self, request: Request, pk: Any = None) -> Response:
        return self._children(request, pk, "pain-sites")

    @extend_schema(request=s.FindingInputSerializer, responses=s.FindingSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="findings")
    def findings(self, request: Request, pk: Any = None) -> Response:
        return self._children(request, pk, "findings")

    @extend_schema(request=s.MuscleTestInputSerializer, responses=s.MuscleTestSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="muscle-tests")
    def muscle_tests(self, request: Request, pk: Any = None) -> Response:
        return self._children(request, pk, "muscle-tests")

    @extend_schema(request=s.OutcomeSerializer, responses=s.OutcomeSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="outcomes")
    def outcomes(self, request: Request, pk: Any = None) -> Response:
        return self._children(request, pk, "outcomes")

    @extend_schema(request=s.ScreeningSerializer, responses=s.ScreeningSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="screening")
    def screening(self, request: Request, pk: Any = None) -> Response:
        return self._children(request, pk, "screening")

    @extend_schema(request=s.ObservationInputSerializer, responses=s.ObservationSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="observations")
    def observations(self, request: Request, pk: Any = None) -> Response:
        return self._children(request, pk, "observations")

    @extend_schema(
        methods=["GET"],
        responses=s.VisitHistorySerializer,
        description="The visit's complaint history (issue 23); `version` 0 and empty fields before the first save.",
    )
    @extend_schema(
        methods=["PATCH"],
        request=s.VisitHistoryInputSerializer,
        responses=s.VisitHistorySerializer,
        description=(
            "Chart or change the history: the first PATCH creates it (send `version` 0 or none), later ones send the "
            "version read (stale: 409). Unknown vocabulary: 400, nothing saved. A signed visit answers 409."
        ),
    )
    @action(detail=True, methods=["get", "patch"], url_path="history")
    def history(self, request: Request, pk: Any = None) -> Response:
        visit = self._visit(pk)
        if request.method == "GET":
            row = selectors.visit_history_get(visit=visit) or VisitHistory(id=None, visit=visit, version=0)
            return Response(s.VisitHistorySerializer(row).data)
        if visit.is_signed:
            raise LockedError()
        refuse_protected_fields(
            request.data,
            current=lambda: (
                s.VisitHistorySerializer(
                    selectors.visit_history_get(visit=visit) or VisitHistory(id=None, visit=visit, version=0)
                ).data
            ),
            extra=frozenset({"visit"}),
        )
        serializer = s.VisitHistoryInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        if "change_stressor_id" in data:
            data["change_stressor"] = data.pop("change_stressor_id")
        saved = services.history_save(visit=visit, actor=actor_of(request), changes=data, expected_version=expected)
        return with_etag(Response(s.VisitHistorySerializer(saved).data), saved.version)

    @extend_schema(
        parameters=[OpenApiParameter("set_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The set.")],
        request=s.FavouriteChartSerializer,
        responses={201: s.FavouriteChartedSerializer},
        description=(
            "Chart a favourite set (the caller's own or one shared with the clinic) on a draft visit: `rows` fill in "
            "the set's items, one per item in the set's order, each validated as POST .../findings/ or "
            ".../muscle-tests/ would. All rows are saved in one transaction or none: a bad row answers 400 with "
            '`{"rows": [{}, {"field": ["message"]}, ...]}` (one entry per row). A signed visit answers 409.'
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"favourites/(?P<set_id>[0-9a-fA-F-]{36})/chart",
        url_name="favourite-chart",
    )
    def favourite_chart(self, request: Request, pk: Any = None, set_id: Any = None) -> Response:
        visit = self._visit(pk)
        favourite = selectors.favourite_get(clinic=clinic_of(request), user_id=request.user.pk, favourite_id=set_id)
        if visit.is_signed:
            raise LockedError()
        body = s.FavouriteChartSerializer(data=request.data)
        if not body.is_valid():
            raise DRFValidationError(_rows_listed(body.errors, request.data))
        rows = _chart_rows(selectors.favourite_proposal(visit=visit, favourite=favourite), body.validated_data["rows"])
        try:
            findings, tests = services.favourite_chart(
                visit=visit,
                favourite=favourite,
                actor=actor_of(request),
                rows=rows,
                expected_set_version=body.validated_data.get("set_version"),
            )
        except services.RowsInvalid as exc:
            raise DRFValidationError({"rows": exc.rows}) from exc
        charted = s.FavouriteChartedSerializer({"findings": findings, "muscle_tests": tests})
        return Response(charted.data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.VisitDetailSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: Any = None) -> Response:
        services.visit_sign(visit=self._visit(pk), actor=actor_of(request))
        return self._detail(pk)

    @extend_schema(request=s.AddendumInputSerializer, responses={201: s.AddendumSerializer})
    @action(detail=True, methods=["get", "post"])
    def addenda(self, request: Request, pk: Any = None) -> Response:
        visit = self._visit(pk)
        if request.method == "GET":
            return Response(s.AddendumSerializer(visit.addenda.select_related("created_by"), many=True).data)
        serializer = s.AddendumInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        addendum = services.addendum_create(
            visit=visit, actor=actor_of(request), text=serializer.validated_data["text"]
        )
        return Response(s.AddendumSerializer(addendum).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def analysis(self, request: Request, pk: Any = None) -> HttpResponse:
        visit = self._visit(pk)  # reads the patient's data stamp first (assessments.cache)
        body, _ = cached_json(
            request,
            kind="analysis",
            patient_id=visit.patient_id,
            stamp=visit.patient.data_version,
            params=(visit.pk,),
            compute=lambda: mappers.to_json(selectors.visit_analysis(visit=visit)),
        )
        return json_response(body)

    def _plan_body(self, visit: Visit) -> dict[str, Any]:
        """The plan as the API shows it, with whether it still matches the chart (selectors.plan_state)."""
        plan, review = selectors.plan_state(visit=visit)
        return dict(s.PlanSerializer(plan, context={"review": review}).data)

    def _plan_response(self, visit: Visit, *, status_code: int = 200) -> Response:
        body = self._plan_body(visit)
        return with_etag(Response(body, status=status_code), body["version"])

    @extend_schema(
        request=s.PlanBuildSerializer,
        responses=s.PlanSerializer,
        description=(
            "GET reads the plan, with `stale` (the chart changed after the plan was built so that the engine's "
            "analysis differs now) and `what_changed`. POST builds it, or rebuilds it: a proposed plan by posting "
            "again, a confirmed one only with `rebuild: true` (409 otherwise), which returns it to proposed; the "
            "practitioner's notes for the patient and edited reasons stay with the steps that survive, and "
            "`last_rebuild` says what the rebuild added, removed and moved. PATCH reorders, edits or drops steps "
            "(`steps`, until confirmed) and edits the words for the patient (until the visit is signed)."
        ),
    )
    @action(detail=True, methods=["get", "post", "patch"])
    def plan(self, request: Request, pk: Any = None) -> HttpResponse:
        visit = self._visit(pk)  # reads the patient's data stamp first (assessments.cache)
        actor = actor_of(request)
        if request.method == "GET":  # every plan write raises the stamp (services.lock_draft)
            body, etag = cached_json(
                request,
                kind="plan",
                patient_id=visit.patient_id,
                stamp=visit.patient.data_version,
                params=(visit.pk,),
                compute=lambda: self._plan_body(visit),
                etag=lambda data: etag_for(data["version"]),
            )
            return json_response(body, etag=etag)
        if request.method == "POST":
            if visit.is_signed:
                raise LockedError()
            build = s.PlanBuildSerializer(data=request.data)
            build.is_valid(raise_exception=True)
            services.plan_build(visit=visit, actor=actor, **build.validated_data)
            return self._plan_response(visit)
        if visit.is_signed:
            raise LockedError()
        plan = selectors.plan_get(visit=visit)
        refuse_protected_fields(request.data, current=lambda: s.PlanSerializer(plan).data, extra=PLAN_PROTECTED)
        edit = s.PlanEditSerializer(data=request.data)
        edit.is_valid(raise_exception=True)
        version, from_if_match = expected_version(request, edit.validated_data)
        services.plan_edit(
            plan=plan,
            actor=actor,
            steps=edit.validated_data.get("steps"),
            follow_up_on=edit.validated_data.get("follow_up_on"),
            patient_note=edit.validated_data.get("patient_note"),
            large_type=edit.validated_data.get("large_type"),
            step_notes=edit.validated_data.get("step_notes"),
            expected_version=version,
            from_if_match=from_if_match,
        )
        return self._plan_response(visit)

    @extend_schema(request=None, responses=s.PlanSerializer)
    @action(detail=True, methods=["post"], url_path="plan/confirm")
    def plan_confirm(self, request: Request, pk: Any = None) -> Response:
        visit = self._visit(pk)
        if visit.is_signed:
            raise LockedError()
        services.plan_confirm(plan=selectors.plan_get(visit=visit), actor=actor_of(request))
        return self._plan_response(visit)

    @extend_schema(
        request=s.PlanStepInputSerializer,
        responses={201: s.PlanSerializer},
        description=(
            "Add the practitioner's own treatment step (`custom: true`, their `reason`, no rule ids) for a muscle and "
            "side charted in this visit (a finding or a muscle test), placed after the plan's treatment steps. It "
            "never gets around the safety rules: a muscle a positive red-flag screen blocks is refused (400, TO-00, "
            "CS-03), one a screen holds is pending with no home care (CS-02, CS-04), and home care follows the "
            "engine's home-care rules. 409 on a confirmed plan (rebuild it first) or a signed visit; a stale "
            "`version` (or If-Match) answers 409 (412)."
        ),
    )
    @action(detail=True, methods=["post"], url_path="plan/steps")
    def plan_steps(self, request: Request, pk: Any = None) -> Response:
        visit = self._visit(pk)
        if visit.is_signed:
            raise LockedError()
        plan = selectors.plan_get(visit=visit)
        step = s.PlanStepInputSerializer(data=request.data)
        step.is_valid(raise_exception=True)
        version, from_if_match = expected_version(request, step.validated_data)
        services.plan_step_add(
            plan=plan,
            actor=actor_of(request),
            muscle=step.validated_data["muscle"],
            side=step.validated_data["side"],
            reason=step.validated_data["reason"],
            patient_note=step.validated_data.get("patient_note", ""),
            expected_version=version,
            from_if_match=from_if_match,
        )
        return self._plan_response(visit, status_code=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[
        OpenApiParameter("with", OpenApiTypes.UUID, description="The other visit (default: the previous one).")
    ],
    responses=OpenApiTypes.OBJECT,
)
class VisitCompare(GenericAPIView[Any]):
    """GET /visits/{id}/compare/?with={other}: what changed between two visits of one patient, judged by MCID."""

    read_capability = write_capability = Capability.VIEW_CLINICAL

    def resolve_clinic_objects(self) -> None:
        clinic = clinic_of(self.request)
        selectors.visit_get(clinic=clinic, visit_id=self.kwargs["pk"])
        other = self.request.query_params.get("with")
        if other and _is_uuid(other):
            selectors.visit_get(clinic=clinic, visit_id=other)

    def get(self, request: Request, pk: Any) -> HttpResponse:
        other = request.query_params.get("with") or None
        if other is not None and not _is_uuid(other):
            raise ValidationError({"with": "A visit id (UUID)."})
        clinic = clinic_of(request)
        visit = selectors.visit_get(clinic=clinic, visit_id=pk)  # reads the patient's data stamp first

        def compute() -> dict[str, Any]:
            first, second, result = selectors.visit_comparison(clinic=clinic, visit_id=visit.pk, other_id=other)
            body = mappers.to_json(result)
            body["before_visit"] = {"id": str(first.pk), "date": first.date.isoformat()}
            body["after_visit"] = {"id": str(second.pk), "date": second.date.isoformat()}
            return body

        params = (visit.pk, uuid.UUID(other) if other else "")
        stamp = visit.patient.data_version
        body, _ = cached_json(
            request, kind="compare", patient_id=visit.patient_id, stamp=stamp, params=params, compute=compute
        )
        return json_response(body)


@extend_schema(responses=OpenApiTypes.OBJECT)
class PatientProgress(GenericAPIView[Any]):
    """GET /patients/{id}/progress/: per-measure, per-pain-site, per-point and per-test series, oldest first."""

    read_capability = write_capability = Capability.VIEW_CLINICAL

    def resolve_clinic_objects(self) -> None:
        patient_get(clinic=clinic_of(self.request), patient_id=self.kwargs["patient_id"])

    def get(self, request: Request, patient_id: Any) -> HttpResponse:
        clinic = clinic_of(request)
        stamped = patient_get(clinic=clinic, patient_id=patient_id)  # 404 first; then the data stamp

        def compute() -> dict[str, Any]:
            patient, visits, result = selectors.patient_progress(clinic=clinic, patient_id=stamped.pk)
            body = mappers.to_json(result)
            body["patient"] = str(patient.pk)
            body["visits"] = [
                {"id": str(v["id"]), "date": v["date"].isoformat(), "status": v["status"]} for v in visits
            ]
            return body

        body, _ = cached_json(
            request,
            kind="progress",
            patient_id=stamped.pk,
            stamp=stamped.data_version,
            params=(),
            compute=compute,
        )
        return json_response(body)


FINDING_ROW_FIELDS = frozenset(services.FINDING_FIELDS) - {"muscle"}
TEST_ROW_FIELDS = frozenset({"side", "phase", "result", "notes"})


def _rows_listed(errors: Any, data: Any) -> Any:
    """Row errors as one entry per row sent (DRF keys a list's errors by the index of each bad row)."""
    rows = errors.get("rows")
    sent = data.get("rows") if isinstance(data, dict) else None
    if isinstance(rows, dict) and isinstance(sent, list):
        listed: list[Any] = [{} for _ in sent]
        for index, row_errors in rows.items():
            listed[int(index)] = row_errors
        return {**errors, "rows": listed}
    return errors


def _chart_rows(proposal: list[selectors.ProposedRow], rows: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """Each row parsed as charting its item alone would parse it (the finding's or the test's input serializer),
    over the item's defaults; a skipped row is None. 400 naming each bad row's fields, one entry per row."""
    if len(rows) != len(proposal):
        raise DRFValidationError({"rows": [f"One row per item of the set: {len(proposal)} rows, in the set's order."]})
    parsed: list[dict[str, Any] | None] = []
    errors: list[dict[str, Any]] = []
    for proposed, row in zip(proposal, rows, strict=True):
        values = {k: v for k, v in row.items() if k != "skip"}
        if row.get("skip"):
            parsed.append(None)
            errors.append({})
            continue
        applicable, kind = (FINDING_ROW_FIELDS, "finding") if proposed.is_finding else (TEST_ROW_FIELDS, "muscle test")
        wrong = {field: [f"Not a field of a {kind} (item {proposed.number})."] for field in values.keys() - applicable}
        if not values.get("side", proposed.side):
            wrong["side"] = [services.NO_COMPLAINT_SIDE]
        serializer_class = s.FindingInputSerializer if proposed.is_finding else s.MuscleTestInputSerializer
        serializer = serializer_class(data={**proposed.defaults(), **values})
        valid = serializer.is_valid()
        if wrong or not valid:
            errors.append({**serializer.errors, **wrong})
            parsed.append(None)
            continue
        parsed.append(_data(serializer.validated_data))
        errors.append({})
    if any(errors):
        raise DRFValidationError({"rows": errors})
    return parsed


@extend_schema_view(
    list=extend_schema(description="The caller's own sets and the sets shared with the acting clinic, by name."),
    create=extend_schema(request=s.FavouriteSetInputSerializer, responses={201: s.FavouriteSetSerializer}),
    partial_update=extend_schema(
        request=s.FavouriteSetInputSerializer,
        description="Its author may change a set; a clinic owner may too, once it is shared (else 403).",
    ),
    destroy=extend_schema(
        parameters=[
            OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, description='The ETag read, e.g. "3".'),
            OpenApiParameter("version", int, description="Or the version read (a stale one answers 409)."),
        ],
        responses={204: None, 412: OpenApiResponse(OpenApiTypes.OBJECT, description="A stale If-Match ETag.")},
        description="Deletes the set (its author; a clinic owner for a shared set). What was charted from it stays.",
    ),
)
class FavouriteViewSet(mixins.ListModelMixin, ClinicScopedViewSet):
    """Favourite sets of findings and muscle tests: GET|POST /favourites/, GET|PATCH|DELETE /favourites/{id}/.

    Charting from a set: POST /visits/{id}/favourites/{set_id}/chart/ (VisitViewSet.favourite_chart).
    """

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    read_capability = Capability.VIEW_CLINICAL
    write_capability = Capability.CHART
    protected_fields = frozenset({"owner", "mine", "editable"})
    serializer_class = s.FavouriteSetSerializer
    input_serializer_class = s.FavouriteSetInputSerializer
    update_service = staticmethod(services.favourite_update)
    service_object_name = "favourite"

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[FavouriteSet]:
        return selectors.favourite_list(clinic=clinic, user_id=self.request.user.pk)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoPermissionDenied):  # the service's reason (not the author), not DRF's generic one
            exc = DRFPermissionDenied(str(exc) or None)
        return super().handle_exception(exc)

    def create(self, request: Request) -> Response:
        serializer = s.FavouriteSetInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        favourite = services.favourite_create(
            clinic_id=clinic_of(request).pk, actor=actor_of(request), data=_data(serializer.validated_data)
        )
        return with_etag(
            Response(self.get_serializer(favourite).data, status=status.HTTP_201_CREATED), favourite.version
        )

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        favourite = self.get_object()
        raw = request.query_params.get("version")
        if raw is not None and not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
            raise ValidationError({"version": "The version read: an integer."})
        version, from_if_match = expected_version(request, {"version": raw})
        services.favourite_delete(
            favourite=favourite, actor=actor_of(request), expected_version=version, from_if_match=from_if_match
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class VisitChildViewSet(ClinicScopedViewSet):
    """GET|PATCH|DELETE of one finding or muscle test; writes to a signed visit answer 409."""

    model: type[VisitChild]
    read_capability = Capability.VIEW_CLINICAL
    write_capability = Capability.CHART
    protected_fields = frozenset({"visit"})
    update_service = staticmethod(services.child_update)
    archive_service = staticmethod(services.child_archive)
    service_object_name = "child"

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Any]:
        return selectors.child_queryset(self.model, clinic=clinic)

    def check_writable(self, instance: VisitChild) -> None:
        if instance.visit.is_signed:
            raise LockedError()


@extend_schema_view(partial_update=extend_schema(request=s.FindingInputSerializer))
class FindingViewSet(VisitChildViewSet):
    model = Finding
    serializer_class = s.FindingSerializer
    input_serializer_class = s.FindingInputSerializer


@extend_schema_view(partial_update=extend_schema(request=s.MuscleTestInputSerializer))
class MuscleTestViewSet(VisitChildViewSet):
    model = MuscleTest
    serializer_class = s.MuscleTestSerializer
    input_serializer_class = s.MuscleTestInputSerializer


@extend_schema_view(partial_update=extend_schema(request=s.ObservationInputSerializer))
class ObservationViewSet(VisitChildViewSet):
    model = Observation
    serializer_class = s.ObservationSerializer
    input_serializer_class = s.ObservationInputSerializer
