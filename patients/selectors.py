"""Reads for patients, stressors and injuries, always narrowed to the acting clinic; archived records excluded."""

import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from clinic.models import Clinic
from clinic.selectors import get_or_404
from patients.models import Injury, Patient, PriorTreatment, Stressor


def patient_list(*, clinic: Clinic, search: str | None = None) -> QuerySet[Patient]:
    """The clinic's live patients in list order; `search` keeps those whose first or last name contains each word.

    On PostgreSQL a word of three letters or more is answered by the clinic's trigram indexes on UPPER(name)
    (patients migrations 0003-0004), which is the expression `icontains` compiles to; shorter words read the clinic's
    name index. Run a search inside `clinic.db.planned_for_their_values()`, so that each is planned for its words.
    """
    patients = Patient.objects.for_clinic(clinic).filter(archived_at__isnull=True)
    for term in search_terms(search):
        patients = patients.filter(name_matches(term))
    return patients.order_by("last_name", "first_name", "id")


def search_terms(search: str | None) -> list[str]:
    """The words of a name search (at most five; NUL cannot appear in a PostgreSQL query, nobody types it)."""
    return (search or "").replace("\x00", "").split()[:5]


def name_matches(term: str) -> Q:
    """First or last name contains `term`, any case (UPPER(name) LIKE UPPER('%term%') on PostgreSQL)."""
    return Q(first_name__icontains=term) | Q(last_name__icontains=term)


def patient_get(*, clinic: Clinic, patient_id: uuid.UUID | str) -> Patient:
    """The clinic's live patient, or 404 exactly as if it did not exist (another clinic's patient included)."""
    return get_or_404(Patient.objects.for_clinic(clinic).filter(archived_at__isnull=True), patient_id)


def stressor_list(*, patient: Patient) -> QuerySet[Stressor]:
    return Stressor.objects.for_clinic_id(patient.clinic_id).filter(patient=patient, archived_at__isnull=True)


def stressor_queryset(*, clinic: Clinic) -> QuerySet[Stressor]:
    """The clinic's live stressors (of live patients), for lookups by id."""
    return Stressor.objects.for_clinic(clinic).filter(archived_at__isnull=True, patient__archived_at__isnull=True)


def stressor_get(*, clinic: Clinic, stressor_id: uuid.UUID | str) -> Stressor:
    return get_or_404(stressor_queryset(clinic=clinic), stressor_id)


def injury_list(*, patient: Patient) -> QuerySet[Injury]:
    return Injury.objects.for_clinic_id(patient.clinic_id).filter(patient=patient, archived_at__isnull=True)


def injury_queryset(*, clinic: Clinic) -> QuerySet[Injury]:
    """The clinic's live old injuries (of live patients), for lookups by id."""
    return Injury.objects.for_clinic(clinic).filter(archived_at__isnull=True, patient__archived_at__isnull=True)


def injury_get(*, clinic: Clinic, injury_id: uuid.UUID | str) -> Injury:
    return get_or_404(injury_queryset(clinic=clinic), injury_id)


@dataclass(frozen=True)
class PatientChart:
    """Everything the patient page shows, fetched in a fixed number of queries."""

    patient: Patient
    stressors: list[Stressor]
    injuries: list[Injury]


def patient_chart_of(patient: Patient) -> PatientChart:
    """The chart of a patient already read (and scoped) by the caller."""
    return PatientChart(
        patient=patient,
        stressors=list(stressor_list(patient=patient)),
        injuries=list(injury_list(patient=patient)),
    )


def treatment_list(*, patient: Patient) -> QuerySet[PriorTreatment]:
    """The patient's prior and current treatments (issue 23), current ones first."""
    return PriorTreatment.objects.for_clinic_id(patient.clinic_id).filter(patient=patient, archived_at__isnull=True)


def treatment_queryset(*, clinic: Clinic) -> QuerySet[PriorTreatment]:
    """The clinic's live treatments (of live patients), for lookups by id."""
    return PriorTreatment.objects.for_clinic(clinic).filter(archived_at__isnull=True, patient__archived_at__isnull=True)
