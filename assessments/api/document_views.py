"""PDF documents: the visit's home-care sheet and the patient's progress report (session or token auth).

Each document issued is recorded (who, when, which patient); responses are never cached.
"""

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request

from assessments import document_selectors, selectors, services
from assessments.cache import cached_value
from assessments.documents.home_care import draft_home_care, finish_home_care_pdf
from assessments.documents.progress import build_progress_pdf
from assessments.models import DocumentKind
from clinic.roles import Capability
from clinic.tenancy import actor_of, clinic_of
from patients.selectors import patient_get

PDF = {200: OpenApiResponse(OpenApiTypes.BINARY, description="application/pdf")}


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@extend_schema(responses=PDF)
class HomeCarePdf(GenericAPIView[Any]):
    read_capability = write_capability = Capability.DOCUMENTS

    def resolve_clinic_objects(self) -> None:
        selectors.visit_get(clinic=clinic_of(self.request), visit_id=self.kwargs["pk"])

    def get(self, request: Request, pk: Any) -> HttpResponse:
        clinic = clinic_of(request)
        visit = selectors.visit_get(clinic=clinic, visit_id=pk)  # its patient's data stamp keys the sheet's content
        draft = cached_value(
            kind="home-care-draft",
            clinic_id=clinic.pk,
            patient_id=visit.patient_id,
            stamp=visit.patient.data_version,
            # The clinic's own details print in the header: a change to them is a new sheet at once.
            params=(visit.pk, clinic.name, clinic.address, clinic.phone, clinic.email, clinic.paper_size),
            compute=lambda: draft_home_care(document_selectors.home_care_sheet(clinic=clinic, visit_id=visit.pk)[1]),
        )
        content = finish_home_care_pdf(draft, timezone.now())  # drawn but for the line with the issue time
        services.document_issued(
            visit=visit, patient=visit.patient, kind=DocumentKind.HOME_CARE, actor=actor_of(request), size=len(content)
        )
        return pdf_response(content, f"home-care-{visit.date:%Y-%m-%d}.pdf")


@extend_schema(responses=PDF)
class ProgressPdf(GenericAPIView[Any]):
    read_capability = write_capability = Capability.DOCUMENTS

    def resolve_clinic_objects(self) -> None:
        patient_get(clinic=clinic_of(self.request), patient_id=self.kwargs["patient_id"])

    def get(self, request: Request, patient_id: Any) -> HttpResponse:
        patient, report = document_selectors.progress_report(clinic=clinic_of(request), patient_id=patient_id)
        content = build_progress_pdf(report)
        services.document_issued(
            visit=None, patient=patient, kind=DocumentKind.PROGRESS, actor=actor_of(request), size=len(content)
        )
        return pdf_response(content, "progress-report.pdf")
