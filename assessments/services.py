"""Writes for visits and everything charted in them, and for the favourite sets practitioners chart from.

Every write to a visit or its children first locks the visit row and refuses if it is signed (LockedError, 409), so the
rule holds for the API, the pages and the admin alike. Writes are atomic; children are archived, never deleted.
"""

import datetime
from collections.abc import Sequence
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import mappers
from assessments.mappers import current_catalog
from assessments.models import (
    COMPLAINT_SIDE,
    Addendum,
    DocumentIssue,
    FavouriteItemKind,
    FavouriteSet,
    Finding,
    FindingStatus,
    MuscleTest,
    Observation,
    Outcome,
    PainSite,
    ReferralLetter,
    Screening,
    ScreenResult,
    TreatmentPlan,
    Visit,
    VisitChild,
    VisitHistory,
    VisitStatus,
    familiar_pain_signs,
)
from catalog.store import current_release_version
from catalog.vocabulary import Side, muscles, outcome_measures, validate_safety_rule
from clinic.concurrency import check_version, versioned_update
from clinic.errors import ConflictError, LockedError, PreconditionFailedError, StaleVersionError
from clinic.models import Membership, Role
from patients.models import Patient, Stressor
from patients.selectors import stressor_list
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
    Observation: frozenset({"kind", "side", "detail"}),
}
DUPLICATE_MESSAGES: dict[type[VisitChild], str] = {
    PainSite: "This zone and side is already charted in this visit.",
    Finding: "This muscle, side and location already has a finding in this visit; edit that one instead.",
    MuscleTest: "This muscle, side and phase is already tested in this visit; edit that test instead.",
    Outcome: "This measure (with this detail) is already recorded in this visit.",
    Screening: "This red-flag screen and side is already recorded in this visit.",
    Observation: "This observation and side is already charted in this visit; edit that one instead.",
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


def _check_unique(child: VisitChild) -> None:
    """The row would not repeat a live row of the visit (the same muscle, side and location of a finding...)."""
    try:
        child.validate_constraints()
    except ValidationError as exc:
        raise ValidationError({"non_field_errors": [DUPLICATE_MESSAGES[type(child)]]}) from exc


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
    _check_unique(child)
    try:
        with transaction.atomic():
            return versioned_update(child, fields, expected_version=child.version, from_if_match=from_if_match)
    except IntegrityError as exc:
        raise ValidationError({"non_field_errors": [DUPLICATE_MESSAGES[type(child)]]}) from exc


@transaction.atomic
def child_archive(*, child: C, actor: User | None) -> C:
    lock_draft(child.visit)
    return versioned_update(child, {"archived_at": timezone.now()}, expected_version=None)


CARRY_KINDS: tuple[tuple[str, type[VisitChild]], ...] = (
    ("pain_sites", PainSite), ("outcomes", Outcome), ("findings", Finding), ("muscle_tests", MuscleTest),
    ("observations", Observation),
)  # fmt: skip


class CarryInvalid(ValidationError):
    """Some rows of a carry forward are invalid; nothing was saved. `rows[kind][i]` is row i's `{field: [messages]}`
    (`{}` for a valid row) of that kind ("pain_sites", "outcomes", "findings", "muscle_tests"; "complaint" has one
    row), so the form can put each message beside its row."""

    def __init__(self, rows: dict[str, list[dict[str, list[str]]]]) -> None:
        self.rows = rows
        super().__init__(
            {"rows": [m for kind in rows.values() for errors in kind for ms in errors.values() for m in ms]}
        )


@transaction.atomic
def child_restore(*, child: C, actor: User | None) -> C:
    """Undo a removal: the archived row comes back as it was (nothing of it was deleted), as a new version.

    Refused like any other write on a signed visit (LockedError, 409), and refused (ValidationError, 400) when the
    visit has charted the same row again since (the same muscle, side and location of a finding...) or, for a pain
    site marked as the main complaint, when another pain site is the main complaint now. A live row is left as it is.
    """
    lock_draft(child.visit)
    if child.archived_at is None:
        return child
    child.archived_at = None
    _check_child(child)
    _check_unique(child)
    try:
        with transaction.atomic():
            return versioned_update(child, {"archived_at": None}, expected_version=None)
    except IntegrityError as exc:  # the same row charted again by a concurrent request
        raise ValidationError({"non_field_errors": [DUPLICATE_MESSAGES[type(child)]]}) from exc


@transaction.atomic
def carry_forward(
    *,
    visit: Visit,
    actor: User | None,
    findings: Sequence[dict[str, Any]] = (),
    muscle_tests: Sequence[dict[str, Any]] = (),
    pain_sites: Sequence[dict[str, Any]] = (),
    outcomes: Sequence[dict[str, Any]] = (),
    observations: Sequence[dict[str, Any]] = (),
    complaint: str | None = None,
    expected_version: int | None = None,
) -> list[VisitChild]:
    """Chart what the practitioner confirmed from the last visit, with today's values: the complaint, pain sites,
    outcome measures, findings, muscle tests and posture and gait observations. All of them or none: every row is
    validated as charting it alone would be (`_new_child`: the model, the catalog, no duplicate of a point charted
    today), and any bad row raises CarryInvalid naming every bad row, with nothing saved. The complaint is taken over
    only into a visit that has none, and only at `expected_version`, the visit's version the form was read at: a visit
    changed since is refused (409). The rows are new records (a point charted today already is refused as a
    duplicate), so they need no version. A signed visit is refused (LockedError, 409)."""
    rows_by_kind = {
        "pain_sites": pain_sites,
        "outcomes": outcomes,
        "findings": findings,
        "muscle_tests": muscle_tests,
        "observations": observations,
    }
    if complaint is None and not any(rows_by_kind.values()):
        raise ValidationError("Tick at least one item to carry forward.")
    locked = lock_draft(visit)
    errors: dict[str, list[dict[str, list[str]]]] = {}
    if complaint is not None:
        check_version(locked, expected_version)
        if locked.chief_complaint.strip():
            errors["complaint"] = [{"chief_complaint": ["This visit has its complaint already; edit it there."]}]
        else:
            try:
                with transaction.atomic():
                    versioned_update(locked, {"chief_complaint": complaint}, expected_version=locked.version)
                errors["complaint"] = [{}]
            except ValidationError as exc:
                errors["complaint"] = [_field_errors(exc)]
    created: list[VisitChild] = []
    for kind, model in CARRY_KINDS:
        errors[kind] = []
        for row in rows_by_kind[kind]:
            try:
                created.append(_new_child(model=model, locked=locked, actor=actor, data=row))
                errors[kind].append({})
            except ValidationError as exc:
                errors[kind].append(_field_errors(exc))
    if any(row for kind in errors.values() for row in kind):
        raise CarryInvalid(errors)
    return created


@transaction.atomic
def screen_reconfirm(*, visit: Visit, actor: User | None, rule: str, side: str) -> Screening:
    """Record today's negative red-flag screen of `rule` and `side` with one click: only while the patient's latest
    screen of that rule and side is negative and within its window (selectors.recent_negative_screens); otherwise the
    screen is asked again in full (ValidationError). Refused on a signed visit (409) and for a screen of that rule
    and side charted today already (400)."""
    from assessments.selectors import recent_negative_screens

    locked = lock_draft(visit)
    last = recent_negative_screens(visit=locked).get((rule, side))
    if last is None:
        raise ValidationError(
            {"rule": ["No negative screen of this rule is recent enough to re-confirm: record the screen."]}
        )
    data = {"rule": rule, "side": side, "result": ScreenResult.NEGATIVE,
            "detail": f"Still negative (negative on {last:%Y-%m-%d})"}  # fmt: skip
    return _new_child(model=Screening, locked=locked, actor=actor, data=data)


PLAN_NOTE_MAX = 2000  # TreatmentPlan.patient_note

# --- the plan ---------------------------------------------------------------------------------------------------


def _reasoned(visit: Visit) -> tuple[Any, Any, Any]:
    """The engine's input for the visit, its analysis and the catalog (selectors.engine_input_for_visit)."""
    from assessments.engine import analyse
    from assessments.selectors import engine_input_for_visit

    catalog = current_catalog()
    visit_input = engine_input_for_visit(visit=visit)
    return visit_input, analyse(visit_input, catalog), catalog


@transaction.atomic
def plan_build(
    *,
    visit: Visit,
    actor: User | None,
    max_home_care: int | None = None,
    protocol: str | None = None,
    rebuild: bool = False,
) -> TreatmentPlan:
    """Build the plan from the engine's analysis of the visit, or rebuild it.

    A proposed plan is rebuilt on request; a confirmed one only with `rebuild` (it returns to proposed: the
    practitioner confirms it again). A rebuild keeps the practitioner's words where the step survives (their notes
    for the patient and their edited reasons), keeps their own steps unless the safety rules now refuse them (a red
    flag blocks the muscle, or it is no longer charted), and records what it changed (`last_rebuild`: steps added,
    removed and moved). The plan keeps what it was built on (`analysis_digest`, `analysis_basis`) so it can say
    when the chart changes under it (selectors.plan_review).
    """
    from assessments.engine import StepRefused, build_plan, practitioner_step
    from assessments.engine.review import analysis_digest, basis_of, basis_to_plain, diff_steps

    locked = lock_draft(visit)
    existing = TreatmentPlan.objects.filter(visit=locked).first()
    if existing and existing.confirmed and not rebuild:
        raise ConflictError(
            "The plan is confirmed. To rebuild it from the chart as it is now, ask for a rebuild (rebuild: true); "
            "it returns to proposed and is confirmed again."
        )
    chosen_max = max_home_care if max_home_care is not None else (existing.max_home_care if existing else 4)
    chosen_protocol = protocol if protocol is not None else (existing.protocol if existing else "")
    if not 0 <= chosen_max <= 10:
        raise ValidationError({"max_home_care": "Between 0 and 10 self-care points."})
    if chosen_protocol and chosen_protocol not in current_catalog().protocols:
        raise ValidationError({"protocol": f"Unknown protocol {chosen_protocol}."})
    visit_input, analysis, catalog = _reasoned(locked)
    plan = build_plan(visit_input, analysis, catalog, max_home_care=chosen_max, protocol=chosen_protocol or None)
    steps = mappers.plan_steps_to_json(plan)
    values: dict[str, Any] = {
        "engine_version": plan.engine_version,
        "catalog_version": current_release_version() or plan.catalog_version,
        "notes": mappers.notes_to_json(plan.notes),
        "max_home_care": chosen_max,
        "protocol": chosen_protocol,
        "analysis_digest": analysis_digest(analysis, plan),
        "analysis_basis": basis_to_plain(basis_of(analysis, plan)),
    }
    if existing is None:
        values["steps"] = steps
        created = TreatmentPlan(clinic_id=locked.clinic_id, visit=locked, created_by=actor, **values)
        created.save(force_insert=True)
        return created
    old = {mappers.step_key(s): s for s in existing.steps}
    kept = {"patient_notes": 0, "rationales": 0}
    for step in steps:  # the practitioner's words survive a rebuild, step by step
        _keep_words(step, old.get(mappers.step_key(step)), kept)
    dropped: list[dict[str, Any]] = []
    labels = mappers.stressor_labels(visit_input, catalog)
    for before in existing.steps:
        if not before.get("custom"):
            continue
        ref = {**mappers.step_ref_json(mappers.step_ref(before), catalog, labels), "reason": before.get("reason", "")}
        proposed = next(
            (
                s
                for s in steps
                if s["kind"] in mappers.TREATMENT_KINDS
                and not s.get("custom")
                and (s["muscle"], s["side"]) == (before["muscle"], before["side"])
            ),
            None,
        )
        if proposed is not None:  # the engine now proposes it: one step, with the practitioner's note kept
            if before.get("patient_note") and not proposed.get("patient_note"):
                proposed["patient_note"] = before["patient_note"]
                kept["patient_notes"] += 1
            dropped.append({**ref, "why": f"The engine now proposes it (step {proposed['order']})."})
            continue
        try:
            own = practitioner_step(
                visit_input, analysis, catalog, muscle=before["muscle"], side=before["side"],
                reason=before.get("reason") or before.get("rationale", ""), max_home_care=chosen_max,
                home_care_given=sum(1 for s in steps if s.get("home_care")), protocol=chosen_protocol or None,
            )  # fmt: skip
        except StepRefused as exc:
            dropped.append({**ref, "why": exc.message})
            continue
        step = {**mappers.to_json(own), "reason": before.get("reason", ""), "patient_note": "", "edited": False}
        _keep_words(step, before, kept)
        _insert_treatment(steps, step)
    diff = diff_steps([(mappers.step_ref(s), "") for s in existing.steps], [(mappers.step_ref(s), "") for s in steps])
    values["steps"] = steps
    values["last_rebuild"] = {
        "at": timezone.now().isoformat(),
        "by": actor.get_username() if actor is not None else "",
        "was_confirmed": existing.confirmed,
        "added": [mappers.step_ref_json(ref, catalog, labels) for ref in diff.added],
        "removed": [mappers.step_ref_json(ref, catalog, labels) for ref in diff.removed if ref.custom is False]
        + dropped,
        "moved": [
            {**mappers.step_ref_json(move.step, catalog, labels), "before": move.before, "after": move.after}
            for move in diff.moved
        ],
        "kept_patient_notes": kept["patient_notes"],
        "kept_rationales": kept["rationales"],
    }
    values.update(confirmed=False, confirmed_at=None, confirmed_by=None)
    return versioned_update(existing, values, expected_version=None)


def _keep_words(step: dict[str, Any], before: dict[str, Any] | None, kept: dict[str, int]) -> None:
    """Carry the practitioner's words of the same step before a rebuild: their note for the patient and the reason
    they edited, counting each in `kept`."""
    if before is None:
        return
    if before.get("patient_note"):
        step["patient_note"] = before["patient_note"]
        kept["patient_notes"] += 1
    if before.get("edited") and before.get("rationale"):
        step.update(rationale=before["rationale"], edited=True)
        kept["rationales"] += 1


def _insert_treatment(steps: list[dict[str, Any]], step: dict[str, Any]) -> None:
    """Place a treatment step after the plan's treatment steps (before retest, rehab and follow-up), renumbered."""
    position = next((i for i, s in enumerate(steps) if s.get("kind") in ("retest", "rehab", "follow_up")), len(steps))
    steps.insert(position, step)
    for order, each in enumerate(steps, start=1):
        each["order"] = order


@transaction.atomic
def plan_step_add(
    *,
    plan: TreatmentPlan,
    actor: User | None,
    muscle: str,
    side: str,
    reason: str,
    patient_note: str = "",
    expected_version: int | None,
    from_if_match: bool = False,
) -> TreatmentPlan:
    """Add the practitioner's own treatment step for a muscle and side charted in this visit (a finding or a muscle
    test), with their reason (required) and an optional note for the patient.

    The step is marked as theirs (`custom`, no rule ids) and never gets around the safety rules
    (engine.practitioner_step): a muscle a positive red-flag screen blocks is refused (TO-00, CS-03), one a screen
    holds is pending (CS-02, CS-04), and it gets home care only where the engine's own home-care rules allow it. Not
    on a confirmed plan (rebuild it first) nor a signed visit (409); a muscle with a treatment step already is
    refused (edit that step instead).
    """
    from assessments.engine import StepRefused, practitioner_step

    lock_draft(plan.visit)
    if plan.confirmed:
        raise ConflictError("The plan is confirmed; rebuild it (it returns to proposed) to add a step.")
    check_version(plan, expected_version, from_if_match=from_if_match)
    errors: dict[str, list[str]] = {}
    if muscle not in muscles():
        errors["muscle"] = ["Choose a muscle of the catalog."]
    if side not in Side.values:
        errors["side"] = ["Choose left, right, bilateral or midline."]
    if not reason.strip():
        errors["reason"] = ["Give the reason for this step (your clinical judgement)."]
    elif len(reason) > mappers.REASON_MAX or "\x00" in reason:
        errors["reason"] = [f"Text of at most {mappers.REASON_MAX} characters."]
    if len(patient_note) > mappers.PATIENT_NOTE_MAX or "\x00" in patient_note:
        errors["patient_note"] = [f"Text of at most {mappers.PATIENT_NOTE_MAX} characters."]
    if errors:
        raise ValidationError(errors)
    already = next(
        (
            s
            for s in plan.steps
            if s.get("kind") in mappers.TREATMENT_KINDS and (s.get("muscle"), s.get("side")) == (muscle, side)
        ),
        None,
    )
    if already is not None:
        raise ValidationError(
            {"muscle": [f"Step {already.get('order')} already treats this muscle and side: edit that step instead."]}
        )
    visit_input, analysis, catalog = _reasoned(plan.visit)
    try:
        step = practitioner_step(
            visit_input, analysis, catalog, muscle=muscle, side=side, reason=reason,  # type: ignore[arg-type]
            max_home_care=plan.max_home_care, home_care_given=sum(1 for s in plan.steps if s.get("home_care")),
            protocol=plan.protocol or None,
        )  # fmt: skip
    except StepRefused as exc:
        raise ValidationError({exc.field: [exc.message]}) from exc
    steps = [dict(s) for s in plan.steps]
    own = {**mappers.to_json(step), "reason": reason.strip(), "patient_note": patient_note.strip(), "edited": False}
    _insert_treatment(steps, own)
    return versioned_update(plan, {"steps": steps}, expected_version=plan.version, from_if_match=from_if_match)


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


# --- favourite sets ---------------------------------------------------------------------------------------------
# A set is not chart data (no patient, no values), so its own writes raise no patient's data stamp; charting from a
# set is a chart write like any other and goes through lock_draft.

FAVOURITE_FIELDS = frozenset({"name", "shared", "items"})
FAVOURITE_DUPLICATE = "You already have a set with this name."
NOT_YOURS = "Only the author of a set may change it; a clinic owner may too, once it is shared."
NO_COMPLAINT_SIDE = (
    "The set takes the side of the complaint, and this visit has none (no primary pain site): choose the side."
)


class RowsInvalid(ValidationError):
    """Some rows of a batch are invalid; nothing was saved. `rows[i]` is row i's `{field: [messages]}` (`{}` for a
    valid or skipped row), so a form or an API answer can put each message beside its row."""

    def __init__(self, rows: list[dict[str, list[str]]]) -> None:
        self.rows = rows
        summary = [
            f"Row {number}: {field}: {message}" if field != "non_field_errors" else f"Row {number}: {message}"
            for number, errors in enumerate(rows, start=1)
            for field, messages in errors.items()
            for message in messages
        ]
        super().__init__({"rows": summary})


def _field_errors(exc: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as `{field: [messages]}` (`non_field_errors` for messages of no field)."""
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": list(exc.messages)}
    errors: dict[str, list[str]] = {}
    for field, field_list in exc.error_dict.items():
        key = "non_field_errors" if field == "__all__" else field
        errors.setdefault(key, []).extend(m for e in field_list for m in e.messages)
    return errors


def _check_may_change(favourite: FavouriteSet, actor: User) -> None:
    clinic_owner = Membership.objects.filter(
        user_id=actor.pk, clinic_id=favourite.clinic_id, role=Role.OWNER, is_active=True
    ).exists()
    if not favourite.may_be_changed_by(actor.pk, clinic_owner=clinic_owner):
        raise PermissionDenied(NOT_YOURS)


def _check_name_free(favourite: FavouriteSet) -> None:
    taken = FavouriteSet.objects.for_clinic_id(favourite.clinic_id).filter(
        owner_id=favourite.owner_id, name=favourite.name
    )
    if taken.exclude(pk=favourite.pk).exists():
        raise ValidationError({"name": FAVOURITE_DUPLICATE})


@transaction.atomic
def favourite_create(*, clinic_id: Any, actor: User, data: dict[str, Any]) -> FavouriteSet:
    """A new set authored by `actor` in the clinic (private unless `shared`); its items are checked against the
    catalog (FavouriteSet.clean)."""
    favourite = FavouriteSet(clinic_id=clinic_id, owner=actor, created_by=actor, **_only(FAVOURITE_FIELDS, data))
    favourite.full_clean(validate_constraints=False)
    _check_name_free(favourite)
    try:
        with transaction.atomic():
            favourite.save(force_insert=True)
    except IntegrityError as exc:  # the same name saved by a concurrent request
        raise ValidationError({"name": FAVOURITE_DUPLICATE}) from exc
    return favourite


@transaction.atomic
def favourite_update(
    *,
    favourite: FavouriteSet,
    actor: User,
    changes: dict[str, Any],
    expected_version: int | None,
    from_if_match: bool = False,
) -> FavouriteSet:
    """Rename, share or unshare a set, or replace its items: its author, or a clinic owner for a shared set (else
    PermissionDenied, 403). A stale version is refused (409, or 412 from If-Match) and changes nothing."""
    _check_may_change(favourite, actor)
    check_version(favourite, expected_version, from_if_match=from_if_match)
    fields = _only(FAVOURITE_FIELDS, changes)
    if "name" in fields:
        _check_name_free(FavouriteSet(pk=favourite.pk, clinic_id=favourite.clinic_id, owner_id=favourite.owner_id,
                                      name=fields["name"]))  # fmt: skip
    try:
        with transaction.atomic():
            return versioned_update(favourite, fields, expected_version=favourite.version, from_if_match=from_if_match)
    except IntegrityError as exc:
        raise ValidationError({"name": FAVOURITE_DUPLICATE}) from exc


@transaction.atomic
def favourite_delete(
    *, favourite: FavouriteSet, actor: User, expected_version: int | None = None, from_if_match: bool = False
) -> None:
    """Delete a set (its author, or a clinic owner for a shared set). What was charted from it stays: the findings
    and tests are the visit's own rows and do not point back at the set."""
    _check_may_change(favourite, actor)
    check_version(favourite, expected_version, from_if_match=from_if_match)
    deleted, _ = FavouriteSet.objects.filter(pk=favourite.pk, version=favourite.version).delete()
    if not deleted:
        raise PreconditionFailedError() if from_if_match else StaleVersionError()


@transaction.atomic
def favourite_create_from_visit(
    *, visit: Visit, actor: User, name: str, shared: bool = False, complaint_side: bool = True
) -> FavouriteSet:
    """Save the visit's charted findings and muscle tests as a new set: each muscle and side, a finding's location
    and a test's phase, never the values found. With `complaint_side`, a side equal to the side of the visit's main
    complaint is saved as "complaint", so the set follows the next patient's side."""
    from assessments.selectors import complaint_side as side_of_complaint

    complaint = side_of_complaint(visit=visit) if complaint_side else ""
    items: list[dict[str, str]] = []
    findings = Finding.objects.for_clinic_id(visit.clinic_id).filter(visit=visit, archived_at__isnull=True)
    tests = MuscleTest.objects.for_clinic_id(visit.clinic_id).filter(visit=visit, archived_at__isnull=True)
    for finding in findings.order_by("created_at", "id"):
        side = COMPLAINT_SIDE if complaint and finding.side == complaint else finding.side
        items.append({"kind": FavouriteItemKind.FINDING, "muscle": finding.muscle, "side": side,
                      "location": finding.location})  # fmt: skip
    for test in tests.order_by("created_at", "id"):
        side = COMPLAINT_SIDE if complaint and test.side == complaint else test.side
        items.append({"kind": FavouriteItemKind.MUSCLE_TEST, "muscle": test.muscle, "side": side, "phase": test.phase})
    if not items:
        raise ValidationError({"non_field_errors": ["This visit has no findings or muscle tests to save as a set."]})
    unique = [dict(pairs) for pairs in dict.fromkeys(tuple(item.items()) for item in items)]
    return favourite_create(
        clinic_id=visit.clinic_id, actor=actor, data={"name": name, "shared": shared, "items": unique}
    )


@transaction.atomic
def favourite_chart(
    *,
    visit: Visit,
    favourite: FavouriteSet,
    actor: User | None,
    rows: Sequence[dict[str, Any] | None],
    expected_set_version: int | None = None,
) -> tuple[list[Finding], list[MuscleTest]]:
    """Chart a favourite set on a draft visit: row i completes item i of the set with what was found (tenderness,
    status, a test's result...), None leaves the item out.

    The muscle and the kind (finding or muscle test) come from the set; side, location and phase default to the
    set's, side "complaint" to the side of the visit's main complaint (selectors.complaint_side). Each row is saved
    as charting it alone would (`_new_child`: the model's validation, the catalog, no duplicate in the visit); all of
    them or none: any bad row raises RowsInvalid naming every bad row, and nothing is saved. A signed visit raises
    LockedError (409); `expected_set_version`, the set's version the rows were filled in from, refuses rows for a
    set changed since (409), as rows are matched to items by position.
    """
    from assessments.selectors import favourite_proposal

    locked = lock_draft(visit)
    if favourite.clinic_id != locked.clinic_id:
        raise ValidationError({"non_field_errors": ["This set is not of this visit's clinic."]})
    if expected_set_version is not None and expected_set_version != favourite.version:
        raise StaleVersionError("The set was changed since these rows were filled in from it: choose it again.")
    proposal = favourite_proposal(visit=locked, favourite=favourite)
    if len(rows) != len(proposal):
        raise ValidationError({"rows": [f"One row per item of the set: {len(proposal)} rows, in the set's order."]})
    if all(row is None for row in rows):
        raise ValidationError({"rows": ["Choose at least one item of the set to chart."]})
    findings: list[Finding] = []
    tests: list[MuscleTest] = []
    errors: list[dict[str, list[str]]] = []
    for proposed, row in zip(proposal, rows, strict=True):
        if row is None:
            errors.append({})
            continue
        data = {**proposed.defaults(), **row, "muscle": proposed.muscle}
        if not data.get("side"):
            errors.append({"side": [NO_COMPLAINT_SIDE]})
            continue
        try:
            if proposed.is_finding:
                findings.append(_new_child(model=Finding, locked=locked, actor=actor, data=data))
            else:
                tests.append(_new_child(model=MuscleTest, locked=locked, actor=actor, data=data))
        except ValidationError as exc:
            errors.append(_field_errors(exc))
            continue
        errors.append({})
    if any(errors):
        raise RowsInvalid(errors)
    return findings, tests


# --- the complaint's history (issue 23) --------------------------------------------------------------------------

HISTORY_FIELDS = frozenset(
    {
        "onset",
        "mechanism",
        "change_stressor",
        "course",
        "patterns",
        "aggravating",
        "aggravating_detail",
        "easing",
        "easing_detail",
        "systemic_signs",
        "previous_episodes",
        "detail",
    }
)


@transaction.atomic
def history_save(
    *,
    visit: Visit,
    actor: User | None,
    changes: dict[str, Any],
    expected_version: int | None,
    from_if_match: bool = False,
) -> VisitHistory:
    """Chart or change the visit's history (one per visit): the first save creates it (expected version 0 or none),
    later ones are version-checked like every edit; refused on a signed visit; validated whole (catalog words, the
    change named only for mechanism 'after a change' and one of this patient's stressors, onset not after the visit)."""
    locked = lock_draft(visit)
    fields = _only(HISTORY_FIELDS, changes)
    if fields.get("change_stressor") is not None and not isinstance(fields["change_stressor"], Stressor):
        stressor = stressor_list(patient=locked.patient).filter(pk=fields["change_stressor"]).first()
        if stressor is None:
            raise ValidationError({"change_stressor": "Choose one of this patient's stressors."})
        fields["change_stressor"] = stressor
    history = VisitHistory.objects.filter(visit=locked).select_for_update().first()
    if history is None:
        if expected_version not in (None, 0):
            check_version(VisitHistory(version=0), expected_version, from_if_match=from_if_match)
        history = VisitHistory(clinic_id=locked.clinic_id, visit=locked, created_by=actor, **fields)
        history.full_clean()
        history.save(force_insert=True)
        return history
    check_version(history, expected_version, from_if_match=from_if_match)
    for field, value in fields.items():
        setattr(history, field, value)
    history.visit = locked
    history.full_clean()
    return versioned_update(history, fields, expected_version=history.version, from_if_match=from_if_match)
