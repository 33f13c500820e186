"""PDF documents: the visit's home-care sheet and the patient's progress report, the visit note and the referral
letter (with its editable text), session or token auth.

Each document issued is recorded (who, when, which patient), whether its file was built now or kept from an earlier
download of the same content that day (assessments.document_selectors); responses are never cached by the browser.
"""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from assessments import document_selectors, selectors, services
from assessments.api import serializers as s
from assessments.models import DocumentKind, Visit
from clinic.api.protected import refuse_protected_fields
from clinic.api.versioning import expected_version, with_etag
from clinic.errors import LockedError
from clinic.models import Clinic
from clinic.roles import Capability
from clinic.tenancy import actor_of, clinic_of
from patients.selectors import patient_get

PDF = {200: OpenApiResponse(OpenApiTypes.BINARY, description="application/pdf")}


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class VisitPdf(GenericAPIView[Any]):
    """A document of one visit: built (or kept from earlier that day) by `build`, recorded as issued, served inline."""

    read_capability = write_capability = Capability.DOCUMENTS
    kind: str
    filename: str  # the file name before the visit date

    def build(self, *, clinic: Clinic, visit: Visit) -> bytes:
        raise NotImplementedError

    def resolve_clinic_objects(self) -> None:
        selectors.visit_get(clinic=clinic_of(self.request), visit_id=self.kwargs["pk"])

    def get(self, request: Request, pk: Any) -> HttpResponse:
        clinic = clinic_of(request)
        visit = selectors.visit_get(clinic=clinic, visit_id=pk)  # its patient's data stamp keys the document's file
        content = self.build(clinic=clinic, visit=visit)  # a 404 here records nothing
        services.document_issued(
            visit=visit, patient=visit.patient, kind=self.kind, actor=actor_of(request), size=len(content)
        )
        return pdf_response(content, f"{self.filename}-{visit.date:%Y-%m-%d}.pdf")


@extend_schema(responses=PDF)
class HomeCarePdf(VisitPdf):
    """GET /visits/{id}/home-care.pdf: the patient's home-care sheet from the visit's plan."""

    kind, filename = DocumentKind.HOME_CARE, "home-care"

    def build(self, *, clinic: Clinic, visit: Visit) -> bytes:
        return document_selectors.home_care_pdf(clinic=clinic, visit=visit)


@extend_schema(responses=PDF)
class VisitNotePdf(VisitPdf):
    """GET /visits/{id}/note.pdf: the visit note (SOAP record); an unsigned visit's note says DRAFT on every page."""

    kind, filename = DocumentKind.VISIT_NOTE, "visit-note"

    def build(self, *, clinic: Clinic, visit: Visit) -> bytes:
        return document_selectors.visit_note_pdf(clinic=clinic, visit=visit)


@extend_schema(responses=PDF)
class ReferralPdf(VisitPdf):
    """GET /visits/{id}/referral.pdf: the letter to the patient's doctor; 404 when no screen of the visit is
    positive."""

    kind, filename = DocumentKind.REFERRAL, "referral"

    def build(self, *, clinic: Clinic, visit: Visit) -> bytes:
        return document_selectors.referral_pdf(clinic=clinic, visit=visit)


@extend_schema(responses=PDF)
class ProgressPdf(GenericAPIView[Any]):
    read_capability = write_capability = Capability.DOCUMENTS

    def resolve_clinic_objects(self) -> None:
        patient_get(clinic=clinic_of(self.request), patient_id=self.kwargs["patient_id"])

    def get(self, request: Request, patient_id: Any) -> HttpResponse:
        clinic = clinic_of(request)
        patient = patient_get(clinic=clinic, patient_id=patient_id)  # its data stamp keys the report's file
        content = document_selectors.progress_pdf(clinic=clinic, patient=patient)
        services.document_issued(
            visit=None, patient=patient, kind=DocumentKind.PROGRESS, actor=actor_of(request), size=len(content)
        )
        return pdf_response(content, "progress-report.pdf")


@extend_schema_view(
    get=extend_schema(responses=s.ReferralSerializer),
    patch=extend_schema(request=s.ReferralInputSerializer, responses=s.ReferralSerializer),
)
class ReferralLetterView(GenericAPIView[Any]):
    """GET|PATCH /visits/{id}/referral/: the referral letter's editable text (404 when no screen is positive).

    PATCH `recipient` and/or `body` (blank: the generated default) with the `version` read (0 before the first edit,
    or an If-Match ETag); a stale version answers 409 (412 from If-Match), a signed visit 409.
    """

    read_capability = Capability.DOCUMENTS
    write_capability = Capability.CHART
    serializer_class = s.ReferralSerializer

    def resolve_clinic_objects(self) -> None:
        selectors.visit_get(clinic=clinic_of(self.request), visit_id=self.kwargs["pk"])

    def _visit(self, pk: Any) -> Visit:
        return selectors.visit_detail(clinic=clinic_of(self.request), visit_id=pk)

    def _answer(self, state: document_selectors.ReferralState) -> Response:
        return with_etag(Response(s.ReferralSerializer(state).data), state.version)

    def get(self, request: Request, pk: Any) -> Response:
        return self._answer(document_selectors.referral_state(visit=self._visit(pk)))

    def patch(self, request: Request, pk: Any) -> Response:
        """Refused in the contract's order: another clinic's visit 404, a signed visit 409, a malformed or invalid
        body 400, a visit without a positive screen 404, a protected field 400, a stale version 409 (412)."""
        visit = self._visit(pk)
        if visit.is_signed:
            raise LockedError()
        edit = s.ReferralInputSerializer(data=request.data)
        edit.is_valid(raise_exception=True)
        state = document_selectors.referral_state(visit=visit)
        refuse_protected_fields(
            request.data, current=lambda: s.ReferralSerializer(state).data, extra=frozenset({"visit"})
        )
        version, from_if_match = expected_version(request, edit.validated_data)
        services.referral_letter_update(
            visit=state.visit,
            actor=actor_of(request),
            changes={k: v for k, v in edit.validated_data.items() if k != "version"},
            expected_version=version,
            from_if_match=from_if_match,
        )
        return self._answer(document_selectors.referral_state(visit=self._visit(pk)))
