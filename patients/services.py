"""Writes for patients, stressors and injuries: validate, save atomically, never delete (archive)."""

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from catalog.vocabulary import stressor_category
from clinic.concurrency import versioned_update
from clinic.models import Clinic
from patients.models import Injury, Patient, PriorTreatment, Stressor
from patients.stamp import patient_data_changed

PATIENT_FIELDS = frozenset(
    {"first_name", "last_name", "date_of_birth", "sex", "email", "phone", "occupation", "activities", "notes"}
)
STRESSOR_FIELDS = frozenset({"kind", "detail", "severity", "onset", "resolved_on"})
INJURY_FIELDS = frozenset({"zone", "side", "occurred_on", "description", "painful_now"})
TREATMENT_FIELDS = frozenset(
    {"kind", "zone", "side", "since", "ended_on", "frequency", "intensity", "response", "detail"}
)


def _only(fields: frozenset[str], data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key in fields}


@transaction.atomic
def patient_create(*, clinic: Clinic, actor: User | None, data: dict[str, Any]) -> Patient:
    patient = Patient(clinic=clinic, created_by=actor, **_only(PATIENT_FIELDS, data))
    patient.full_clean()
    patient.save(force_insert=True)
    return patient


@transaction.atomic
def patient_update(
    *,
    patient: Patient,
    actor: User | None,
    changes: dict[str, Any],
    expected_version: int | None,
    from_if_match: bool = False,
) -> Patient:
    patient_data_changed(patient_id=patient.pk)
    return versioned_update(
        patient,
        _only(PATIENT_FIELDS, changes),
        expected_version=expected_version,
        from_if_match=from_if_match,
    )


@transaction.atomic
def patient_archive(*, patient: Patient, actor: User | None) -> Patient:
    """DELETE archives: the patient leaves lists, their records stay."""
    patient_data_changed(patient_id=patient.pk)
    return versioned_update(patient, {"archived_at": timezone.now()}, expected_version=None)


@transaction.atomic
def stressor_create(*, patient: Patient, actor: User | None, data: dict[str, Any]) -> Stressor:
    fields = _only(STRESSOR_FIELDS, data)
    stressor = Stressor(clinic_id=patient.clinic_id, patient=patient, created_by=actor, **fields)
    stressor.category = stressor_category(stressor.kind) or ""
    stressor.full_clean()
    stressor.save(force_insert=True)
    patient_data_changed(patient_id=patient.pk)
    return stressor


@transaction.atomic
def stressor_update(
    *,
    stressor: Stressor,
    actor: User | None,
    changes: dict[str, Any],
    expected_version: int | None,
    from_if_match: bool = False,
) -> Stressor:
    fields = _only(STRESSOR_FIELDS, changes)
    if "kind" in fields:
        fields["category"] = stressor_category(fields["kind"]) or ""
    patient_data_changed(patient_id=stressor.patient_id)
    return versioned_update(stressor, fields, expected_version=expected_version, from_if_match=from_if_match)


@transaction.atomic
def stressor_resolve(
    *, stressor: Stressor, actor: User | None, on: datetime.date, expected_version: int | None
) -> Stressor:
    patient_data_changed(patient_id=stressor.patient_id)
    return versioned_update(stressor, {"resolved_on": on}, expected_version=expected_version)


@transaction.atomic
def stressor_archive(*, stressor: Stressor, actor: User | None) -> Stressor:
    patient_data_changed(patient_id=stressor.patient_id)
    return versioned_update(stressor, {"archived_at": timezone.now()}, expected_version=None)


@transaction.atomic
def injury_create(*, patient: Patient, actor: User | None, data: dict[str, Any]) -> Injury:
    injury = Injury(clinic_id=patient.clinic_id, patient=patient, created_by=actor, **_only(INJURY_FIELDS, data))
    injury.full_clean()
    injury.save(force_insert=True)
    patient_data_changed(patient_id=patient.pk)
    return injury


@transaction.atomic
def injury_update(
    *,
    injury: Injury,
    actor: User | None,
    changes: dict[str, Any],
    expected_version: int | None,
    from_if_match: bool = False,
) -> Injury:
    patient_data_changed(patient_id=injury.patient_id)
    return versioned_update(
        injury, _only(INJURY_FIELDS, changes), expected_version=expected_version, from_if_match=from_if_match
    )


@transaction.atomic
def injury_archive(*, injury: Injury, actor: User | None) -> Injury:
    patient_data_changed(patient_id=injury.patient_id)
    return versioned_update(injury, {"archived_at": timezone.now()}, expected_version=None)


@transaction.atomic
def treatment_create(*, patient: Patient, actor: User | None, data: dict[str, Any]) -> PriorTreatment:
    """A prior or current treatment of the patient (issue 23); the engine reads it for HX-07."""
    treatment = PriorTreatment(
        clinic_id=patient.clinic_id, patient=patient, created_by=actor, **_only(TREATMENT_FIELDS, data)
    )
    treatment.full_clean()
    treatment.save(force_insert=True)
    patient_data_changed(patient_id=patient.pk)
    return treatment


@transaction.atomic
def treatment_update(
    *,
    treatment: PriorTreatment,
    actor: User | None,
    changes: dict[str, Any],
    expected_version: int | None,
    from_if_match: bool = False,
) -> PriorTreatment:
    patient_data_changed(patient_id=treatment.patient_id)
    return versioned_update(
        treatment, _only(TREATMENT_FIELDS, changes), expected_version=expected_version, from_if_match=from_if_match
    )


@transaction.atomic
def treatment_archive(*, treatment: PriorTreatment, actor: User | None) -> PriorTreatment:
    patient_data_changed(patient_id=treatment.patient_id)
    return versioned_update(treatment, {"archived_at": timezone.now()}, expected_version=None)
