"""Writes for visits and everything charted in them.

Every write to a visit or its children first locks the visit row and refuses if it is signed (LockedError, 409), so the
rule holds for the API, the pages and the admin alike. Writes are atomic; children are archived, never deleted.
"""

import datetime
from collections.abc import Sequence
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import mappers
from assessments.mappers import current_catalog
from assessments.models import (
    Addendum,
    DocumentIssue,
    Finding,
    FindingStatus,
    MuscleTest,
    Outcome,
    PainSite,
    ReferralLetter,
    Screening,
    ScreenResult,
    TreatmentPlan,
    Visit,
    VisitChild,
    VisitStatus,
    familiar_pain_signs,
)
from catalog.store import current_release_version
from catalog.vocabulary import outcome_measures, validate_safety_rule
from clinic.concurrency import check_version, versioned_update
from clinic.errors import ConflictError, LockedError, PreconditionFailedError, StaleVersionError
from patients.models import Patient
from patients.stamp import patient_data_changed

C = TypeVar("C", bound=VisitChild)

VISIT_FIELDS = frozenset({"date", "kind", "chief_complaint", "notes"})
REFERRAL_FIELDS = frozenset({"recipient", "body"})
FINDING_FIELDS = (
    "muscle", "side", "location", "tenderness", "taut_band", "nodule", "twitch_response", "referral_zones",
    "recognized", "status", "treated", "technique", "response", "notes",
)  # fmt: skip
CHILD_FIELDS: dict[type[VisitChild], frozenset[str]] = {
    PainSite: frozenset({"zone", "side", "nprs", "primary"}),
    Finding: frozenset(FINDING_FIELDS),
    MuscleTest: frozenset({"muscle", "side", "phase", "result", "notes"}),
    Outcome: frozenset({"measure", "value", "detail"}),
    Screening: frozenset({"rule", "side", "result", "detail"}),
}
DUPLICATE_MESSAGES: dict[type[VisitChild], str] = {
    PainSite: "This zone and side is already charted in this visit.",
    Finding: "This muscle, side and location already has a finding in this visit; edit that one instead.",
    MuscleTest: "This muscle, side and phase is already tested in this visit; edit that test instead.",
    Outcome: "This measure (with this detail) is already recorded in this visit.",
    Screening: "This red-flag screen and side is already recorded in this visit.",
}


def lock_draft(visit: Visit) -> Visit:
    """Lock the visit row for this transaction and refuse if it is signed; the write raises the patient's data stamp."""
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.status == VisitStatus.SIGNED:
        raise LockedError()
    patient_data_changed(patient_id=locked.patient_id)
    return locked


def _only(fields: frozenset[str], data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in fields}


def _validate_visit_date(patient: Patient, date: datetime.date | None) -> None:
    if date and patient.date_of_birth and date < patient.date_of_birth:
        raise ValidationError({"date": "A visit cannot predate the patient's birth."})


@transaction.atomic
def visit_create(*, patient: Patient, actor: User | None, data: dict[str, Any]) -> Visit:
    fields = _only(VISIT_FIELDS, data)
    fields.setdefault("date", timezone.localdate())
    visit = Visit(clinic_id=patient.clinic_id, patient=patient, created_by=actor, **fields)
    visit.full_clean()
    _validate_visit_date(patient, visit.date)
    visit.save(force_insert=True)
    patient_data_changed(patient_id=patient.pk)  # a new visit changes the history of the visits after it
    return visit


@transaction.atomic
def visit_update(
    *,
    visit: Visit,
    actor: User | None,
    changes: dict[str, Any],
    expected_version: int | None,
    from_if_match: bool = False,
) -> Visit:
    locked = lock_draft(visit)
    fields = _only(VISIT_FIELDS, changes)
    if "date" in fields:
        _validate_visit_date(locked.patient, fields["date"])
    return versioned_update(locked, fields, expected_version=expected_version, from_if_match=from_if_match)


@transaction.atomic
def visit_sign(*, visit: Visit, actor: User) -> Visit:
    """Sign and lock the visit and everything under it. Signing a signed visit changes nothing (idempotent)."""
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.status == VisitStatus.SIGNED:
        return locked
    patient_data_changed(patient_id=locked.patient_id)
    now = timezone.now()
    return versioned_update(
        locked, {"status": VisitStatus.SIGNED, "signed_at": now, "signed_by": actor}, expected_version=None
    )


@transaction.atomic
def addendum_create(*, visit: Visit, actor: User, text: str) -> Addendum:
    """Addenda are possible on signed and draft visits alike; they never change the original."""
    addendum = Addendum(clinic_id=visit.clinic_id, visit=visit, text=text, created_by=actor)
    addendum.full_clean(exclude=["visit", "clinic", "created_by"])
    if not text.strip():
        raise ValidationError({"text": "An addendum needs text."})
    addendum.save(force_insert=True)
    patient_data_changed(patient_id=visit.patient_id)
    return addendum


def _check_child(child: VisitChild) -> None:
    if isinstance(child, Outcome):
        measure = outcome_measures().get(child.measure)
        if measure is not None and not (measure["min"] <= child.value <= measure["max"]):
            raise ValidationError(
                {"value": f"{measure['name']} must be between {measure['min']} and {measure['max']}."}
            )
    if isinstance(child, Screening):
        try:
            validate_safety_rule(child.rule)
        except ValidationError as exc:
            raise ValidationError({"rule": exc.messages}) from exc
    if isinstance(child, PainSite) and child.primary:
        others = PainSite.objects.filter(visit_id=child.visit_id, primary=True, archived_at__isnull=True)
        if others.exclude(pk=child.pk).exists():
            raise ValidationError({"primary": "This visit already has a primary pain site."})


def _save_unique(child: VisitChild, *, insert: bool) -> None:
    try:
        with transaction.atomic():
            child.save(force_insert=insert)
    except IntegrityError as exc:
        raise ValidationError({"non_field_errors": [DUPLICATE_MESSAGES[type(child)]]}) from exc


@transaction.atomic
def child_create(*, model: type[C], visit: Visit, actor: User | None, data: dict[str, Any]) -> C:
    return _new_child(model=model, locked=lock_draft(visit), actor=actor, data=data)


@transaction.atomic
def children_create(*, model: type[C], visit: Visit, actor: User | None, rows: Sequence[dict[str, Any]]) -> list[C]:
    """Several children at once (carry forward): all saved or none, under one lock of the visit."""
    locked = lock_draft(visit)
    return [_new_child(model=model, locked=locked, actor=actor, data=row) for row in rows]


def _new_child(*, model: type[C], locked: Visit, actor: User | None, data: dict[str, Any]) -> C:
    fields = _only(CHILD_FIELDS[model], data)
    if model is Finding:
        fields = familiar_pain_signs(fields, recognized=False, status=FindingStatus.UNKNOWN)
    child = model(clinic_id=locked.clinic_id, visit=locked, created_by=actor, **fields)
    child.full_clean(validate_constraints=False)
    _check_child(child)
    _save_unique(child, insert=True)
    return child


@transaction.atomic
def child_update(
    *, child: C, actor: User | None, changes: dict[str, Any], expected_version: int | None, from_if_match: bool = False
) -> C:
    lock_draft(child.visit)
    check_version(child, expected_version, from_if_match=from_if_match)
    fields = _only(CHILD_FIELDS[type(child)], changes)
    if isinstance(child, Finding):
        fields = familiar_pain_signs(fields, recognized=child.recognized, status=child.status)
    for field, value in fields.items():
        setattr(child, field, value)
    child.full_clean(validate_constraints=False)
    _check_child(child)
    try:
        with transaction.atomic():
            return versioned_update(child, fields, expected_version=child.version, from_if_match=from_if_match)
    except IntegrityError as exc:
        raise ValidationError({"non_field_errors": [DUPLICATE_MESSAGES[type(child)]]}) from exc


@transaction.atomic
def child_archive(*, child: C, actor: User | None) -> C:
    lock_draft(child.visit)
    return versioned_update(child, {"archived_at": timezone.now()}, expected_version=None)


@transaction.atomic
def carry_forward(
    *, visit: Visit, actor: User | None, findings: Sequence[dict[str, Any]], muscle_tests: Sequence[dict[str, Any]]
) -> tuple[list[Finding], list[MuscleTest]]:
    """Save the earlier visit's findings and tests the practitioner confirmed or changed; all of them or none."""
    if not findings and not muscle_tests:
        raise ValidationError("Tick at least one finding or test to carry forward.")
    return (
        children_create(model=Finding, visit=visit, actor=actor, rows=findings),
        children_create(model=MuscleTest, visit=visit, actor=actor, rows=muscle_tests),
    )


PLAN_NOTE_MAX = 2000  # TreatmentPlan.patient_note

# --- the plan ---------------------------------------------------------------------------------------------------


@transaction.atomic
def plan_build(
    *, visit: Visit, actor: User | None, max_home_care: int | None = None, protocol: str | None = None
) -> TreatmentPlan:
    """Build (or rebuild, while not confirmed) the plan from the engine's analysis of the visit."""
    locked = lock_draft(visit)
    existing = TreatmentPlan.objects.filter(visit=locked).first()
    if existing and existing.confirmed:
        raise ConflictError("The plan is confirmed; it can no longer be rebuilt.")
    catalog = current_catalog()
    chosen_max = max_home_care if max_home_care is not None else (existing.max_home_care if existing else 4)
    chosen_protocol = protocol if protocol is not None else (existing.protocol if existing else "")
    if not 0 <= chosen_max <= 10:
        raise ValidationError({"max_home_care": "Between 0 and 10 self-care points."})
    if chosen_protocol and chosen_protocol not in catalog.protocols:
        raise ValidationError({"protocol": f"Unknown protocol {chosen_protocol}."})
    from assessments.selectors import engine_input_for_visit

    visit_input = engine_input_for_visit(visit=locked)
    from assessments.engine import analyse, build_plan

    analysis = analyse(visit_input, catalog)
    plan = build_plan(visit_input, analysis, catalog, max_home_care=chosen_max, protocol=chosen_protocol or None)
    steps = mappers.plan_steps_to_json(plan)
    if existing is not None:  # the practitioner's words to the patient survive a rebuild, step by step
        notes = {_step_key(s): s["patient_note"] for s in existing.steps if s.get("patient_note")}
        for step in steps:
            if _step_key(step) in notes:
                step["patient_note"] = notes[_step_key(step)]
    values = {
        "engine_version": plan.engine_version,
        "catalog_version": current_release_version() or plan.catalog_version,
        "steps": steps,
        "notes": mappers.notes_to_json(plan.notes),
        "max_home_care": chosen_max,
        "protocol": chosen_protocol,
    }
    if existing is None:
        created = TreatmentPlan(clinic_id=locked.clinic_id, visit=locked, created_by=actor, **values)
        created.save(force_insert=True)
        return created
    return versioned_update(existing, values, expected_version=None)


def _step_key(step: dict[str, Any]) -> tuple[Any, ...]:
    return (step.get("kind"), step.get("muscle"), step.get("side"), step.get("stressor"))


@transaction.atomic
def plan_edit(
    *,
    plan: TreatmentPlan,
    actor: User | None,
    steps: list[dict[str, Any]] | None,
    follow_up_on: datetime.date | None = None,
    patient_note: str | None = None,
    large_type: bool | None = None,
    step_notes: dict[int, str] | None = None,
    expected_version: int | None,
    from_if_match: bool = False,
) -> TreatmentPlan:
    """Reorder, edit or drop steps before confirming. Safety steps cannot be dropped (TO-00).

    The words for the patient (the overall `patient_note`, a step's note by its order in `step_notes`, large type)
    are what the home-care sheet prints, not the clinical plan: they stay editable after the plan is confirmed,
    until the visit is signed.
    """
    lock_draft(plan.visit)
    if plan.confirmed and (steps is not None or follow_up_on is not None):
        raise ConflictError("The plan is confirmed; it can no longer be edited.")
    check_version(plan, expected_version, from_if_match=from_if_match)
    changes: dict[str, Any] = {}
    if steps is not None:
        changes["steps"] = mappers.validated_plan_steps(steps, previous=plan.steps, visit=plan.visit)
    if follow_up_on is not None:
        changes["follow_up_on"] = follow_up_on
    if patient_note is not None:
        if len(patient_note) > PLAN_NOTE_MAX or "\x00" in patient_note:
            raise ValidationError({"patient_note": f"Text of at most {PLAN_NOTE_MAX} characters."})
        changes["patient_note"] = patient_note.strip()
    if large_type is not None:
        changes["large_type"] = large_type
    if step_notes:
        edited = [dict(step) for step in changes.get("steps", plan.steps)]
        for order, note in step_notes.items():
            if not 0 < order <= len(edited):
                raise ValidationError({"step_notes": f"No step {order}."})
            if len(note) > mappers.PATIENT_NOTE_MAX or "\x00" in note:
                raise ValidationError({"step_notes": f"Step {order}: at most {mappers.PATIENT_NOTE_MAX} characters."})
            edited[order - 1]["patient_note"] = note.strip()
        changes["steps"] = edited
    return versioned_update(plan, changes, expected_version=plan.version, from_if_match=from_if_match)


@transaction.atomic
def plan_confirm(*, plan: TreatmentPlan, actor: User) -> TreatmentPlan:
    lock_draft(plan.visit)
    if plan.confirmed:
        return plan
    return versioned_update(
        plan, {"confirmed": True, "confirmed_at": timezone.now(), "confirmed_by": actor}, expected_version=None
    )


@transaction.atomic
def referral_letter_update(
    *,
    visit: Visit,
    actor: User | None,
    changes: dict[str, Any],
    expected_version: int | None,
    from_if_match: bool = False,
) -> ReferralLetter:
    """Save the practitioner's edit of the visit's referral letter (its recipient and text; blank prints the generated
    default), the first edit creating the letter.

    Only while the visit is a draft (a signed visit is read-only: 409) and only when a red-flag screen of the visit is
    positive (TO-00: the letter exists for a referral). `expected_version` is the version the edit was based on: 0
    (or none) for a letter not written yet; a stale one is refused (409, or 412 from If-Match) and changes nothing.
    The visit's lock raises the patient's data stamp, so the visit page and the letter's PDF show the new text.
    """
    locked = lock_draft(visit)
    live = Screening.objects.for_clinic_id(locked.clinic_id).filter(visit=locked, archived_at__isnull=True)
    if not live.filter(result=ScreenResult.POSITIVE).exists():
        raise ValidationError({"non_field_errors": ["No red-flag screen of this visit is positive: no referral."]})
    fields = _only(REFERRAL_FIELDS, changes)
    letter = ReferralLetter.objects.select_for_update().filter(visit=locked).first()
    if letter is None:
        if expected_version:  # an edit based on a letter that does not exist (any more)
            raise PreconditionFailedError() if from_if_match else StaleVersionError()
        letter = ReferralLetter(clinic_id=locked.clinic_id, visit=locked, created_by=actor, **fields)
        letter.full_clean(exclude=["visit"])
        try:
            with transaction.atomic():
                letter.save(force_insert=True)
        except IntegrityError as exc:  # written by someone else since this edit was read
            raise StaleVersionError() from exc
        return letter
    if expected_version == 0:
        raise PreconditionFailedError() if from_if_match else StaleVersionError()
    return versioned_update(letter, fields, expected_version=expected_version, from_if_match=from_if_match)


def document_issued(*, visit: Visit | None, patient: Patient, kind: str, actor: User, size: int) -> DocumentIssue:
    """Record a document handed out: who, when, which patient and visit, what kind and size."""
    return DocumentIssue.objects.create(
        clinic_id=patient.clinic_id, patient=patient, visit=visit, kind=kind, issued_by=actor, size_bytes=size
    )
