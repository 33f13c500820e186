"""PDF documents: the visit's home-care sheet and the patient's progress report (session or token auth).

Each document issued is recorded (who, when, which patient), whether its file was built now or kept from an earlier
download of the same content that day (assessments.document_selectors); responses are never cached by the browser.
"""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request

from assessments import document_selectors, selectors, services
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
        visit = selectors.visit_get(clinic=clinic, visit_id=pk)  # its patient's data stamp keys the sheet's file
        content = document_selectors.home_care_pdf(clinic=clinic, visit=visit)
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
        clinic = clinic_of(request)
        patient = patient_get(clinic=clinic, patient_id=patient_id)  # its data stamp keys the report's file
        content = document_selectors.progress_pdf(clinic=clinic, patient=patient)
        services.document_issued(
            visit=None, patient=patient, kind=DocumentKind.PROGRESS, actor=actor_of(request), size=len(content)
        )
        return pdf_response(content, "progress-report.pdf")
