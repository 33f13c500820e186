"""ORM rows <-> engine dataclasses and stored plan JSON, the catalog document -> the engine's Catalog: in one place."""

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any, get_args

from django.core.exceptions import ValidationError

from assessments import engine
from assessments.engine import types as e
from assessments.engine.review import StepRef, step_label
from assessments.models import Finding, MuscleTest, Observation, Outcome, PainSite, Screening, Visit, VisitHistory
from catalog.store import current_derived
from catalog.vocabulary import Side, muscles
from patients.models import Injury, PriorTreatment, Stressor

STEP_KINDS: tuple[str, ...] = get_args(e.StepKind)
TREATMENT_KINDS = {"treat_remote_driver", "treat_trigger_point"}


def current_catalog() -> engine.Catalog:
    """The engine's Catalog of the current catalog release, built once per release and process."""
    return current_derived("engine_catalog", engine.catalog_from_dict)


def catalog_problems(document: dict[str, Any]) -> list[str]:
    """What the engine needs of a catalog document: its shape, and every cross-reference holding (validate_catalog).
    Registered with catalog.validation, so no edit or load leaves the engine a catalog it cannot reason with."""
    return engine.validate_catalog(engine.catalog_from_dict(document))


def pain_site(row: PainSite) -> e.PainSite:
    return e.PainSite(zone=row.zone, side=row.side, nprs=row.nprs, primary=row.primary)  # type: ignore[arg-type]


def finding(row: Finding) -> e.Finding:
    return e.Finding(
        id=str(row.pk), muscle=row.muscle, side=row.side, location=row.location,  # type: ignore[arg-type]
        tenderness=row.tenderness, taut_band=row.taut_band, nodule=row.nodule, twitch_response=row.twitch_response,
        referral_zones=tuple(row.referral_zones), recognized=row.recognized, status=row.status,  # type: ignore[arg-type]
        treated=row.treated, technique=row.technique, response=row.response,  # type: ignore[arg-type]
    )  # fmt: skip


def muscle_test(row: MuscleTest) -> e.MuscleTest:
    return e.MuscleTest(id=str(row.pk), muscle=row.muscle, side=row.side, phase=row.phase, result=row.result)  # type: ignore[arg-type]


def screening(row: Screening) -> e.Screening:
    """A blank side is a screen that is not of one side: the engine's None (it concerns both sides)."""
    return e.Screening(rule=row.rule, result=row.result, detail=row.detail, side=row.side or None)  # type: ignore[arg-type]


def outcome(row: Outcome) -> e.Outcome:
    return e.Outcome(measure=row.measure, value=row.value, detail=row.detail)


def stressor(row: Stressor) -> e.Stressor:
    return e.Stressor(
        id=str(row.pk), kind=row.kind, category=row.category, severity=row.severity, onset=row.onset,
        resolved_on=row.resolved_on, detail=row.detail,
    )  # fmt: skip


def injury(row: Injury) -> e.Injury:
    return e.Injury(
        id=str(row.pk), zone=row.zone, side=row.side, occurred_on=row.occurred_on,  # type: ignore[arg-type]
        description=row.description, painful_now=row.painful_now,
    )  # fmt: skip


def history(row: VisitHistory | None) -> e.History | None:
    if row is None:
        return None
    return e.History(
        onset=row.onset,
        mechanism=row.mechanism,
        change_stressor=str(row.change_stressor_id) if row.change_stressor_id else "",
        course=row.course,
        patterns=tuple(row.patterns),
        aggravating=tuple(row.aggravating),
        easing=tuple(row.easing),
        systemic_signs=tuple(row.systemic_signs),
        previous_episodes=row.previous_episodes,
        detail=row.detail,
    )


def observation(row: Observation) -> e.Observation:
    return e.Observation(id=str(row.pk), kind=row.kind, side=row.side or None, detail=row.detail)  # type: ignore[arg-type]


def treatment(row: PriorTreatment, on: Any) -> e.PriorTreatment:
    """Current at the visit when it began on or before it (or undated) and had not ended by then."""
    current = (row.since is None or row.since <= on) and (row.ended_on is None or row.ended_on > on)
    return e.PriorTreatment(
        id=str(row.pk),
        kind=row.kind,
        zone=row.zone,
        side=row.side or None,  # type: ignore[arg-type]
        since=row.since,
        frequency=row.frequency,
        intensity=row.intensity,
        response=row.response,
        current=current,
        detail=row.detail,
    )


def visit_history(visit: Visit) -> VisitHistory | None:
    """The visit's history row, or None (a reverse one-to-one raises when there is none)."""
    try:
        return visit.history
    except VisitHistory.DoesNotExist:
        return None


def _live(rows: Iterable[Any]) -> list[Any]:
    return [r for r in rows if getattr(r, "archived_at", None) is None]


def prior_visit(visit: Visit) -> e.PriorVisit:
    """An earlier visit from prefetched children (see selectors.engine_input_for_visit)."""
    return e.PriorVisit(
        id=str(visit.pk),
        date=visit.date,
        findings=tuple(finding(f) for f in _live(visit.findings.all())),
        muscle_tests=tuple(muscle_test(t) for t in _live(visit.muscle_tests.all())),
        pain_sites=tuple(pain_site(p) for p in _live(visit.pain_sites.all())),
        outcomes=tuple(outcome(o) for o in _live(visit.outcomes.all())),
    )


def visit_input(
    visit: Visit,
    *,
    stressors: Iterable[Stressor],
    injuries: Iterable[Injury],
    earlier: Iterable[Visit],
    treatments: Iterable[PriorTreatment] = (),
) -> e.VisitInput:
    return e.VisitInput(
        id=str(visit.pk),
        date=visit.date,
        chief_complaint=visit.chief_complaint,
        pain_sites=tuple(pain_site(p) for p in _live(visit.pain_sites.all())),
        findings=tuple(finding(f) for f in _live(visit.findings.all())),
        muscle_tests=tuple(muscle_test(t) for t in _live(visit.muscle_tests.all())),
        screenings=tuple(screening(s) for s in _live(visit.screenings.all())),
        outcomes=tuple(outcome(o) for o in _live(visit.outcomes.all())),
        stressors=tuple(stressor(s) for s in stressors),
        injuries=tuple(injury(i) for i in injuries),
        prior_visits=tuple(prior_visit(v) for v in earlier),
        history=history(visit_history(visit)),
        treatments=tuple(treatment(t, visit.date) for t in treatments),
        observations=tuple(observation(o) for o in _live(visit.observations.all())),
    )


def to_json(value: Any) -> Any:
    """Engine dataclasses as JSON-ready dicts and lists (tuples become lists)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value


def plan_steps_to_json(plan: engine.Plan) -> list[dict[str, Any]]:
    return [to_json(step) for step in plan.steps]


def notes_to_json(notes: Iterable[e.Note]) -> list[dict[str, Any]]:
    return [to_json(note) for note in notes]


PATIENT_NOTE_MAX = 1000  # the practitioner's words to the patient about one step, printed on the home-care sheet
REASON_MAX = 4000  # a step's rationale, and the practitioner's reason for a step of their own


def step_key(step: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a stored step is about: kind, muscle, side, stressor and whether it is the practitioner's own."""
    return (step.get("kind"), step.get("muscle"), step.get("side"), step.get("stressor"), bool(step.get("custom")))


def step_ref(step: Mapping[str, Any]) -> StepRef:
    kind, muscle, side, stressor, custom = step_key(step)
    return StepRef(str(kind), muscle, side, stressor, custom)


def stressor_labels(visit_input: e.VisitInput, catalog: engine.Catalog) -> Callable[[str], str]:
    """The label of one of the visit's stressors by its id: the catalog's words for its kind."""
    kinds = {s.id: s.kind for s in visit_input.stressors}

    def label(stressor_id: str) -> str:
        kind = catalog.stressor_kinds.get(kinds.get(stressor_id, ""))
        return kind.label if kind is not None else "stressor"

    return label


def step_ref_json(ref: StepRef, catalog: engine.Catalog, stressor_label: Callable[[str], str]) -> dict[str, Any]:
    """A step's identity for the API and the page, with its label in the practitioner's words."""
    return {
        "kind": ref.kind, "muscle": ref.muscle, "side": ref.side, "stressor": ref.stressor, "custom": ref.custom,
        "label": step_label(ref, catalog, stressor_label),
    }  # fmt: skip


def validated_plan_steps(steps: Any, *, previous: list[dict[str, Any]], visit: Visit) -> list[dict[str, Any]]:
    """The practitioner's reordered or edited steps, checked against the proposed ones.

    Steps may be reordered, dropped or have their rationale or their note for the patient (`patient_note`, printed on
    the home-care sheet) edited; a refer step (TO-00) cannot be dropped; a treatment
    step may only name a muscle and side the engine proposed (so a red-flag block cannot be bypassed); home care is kept
    from the proposal for the same muscle and side, or removed.  The practitioner's own steps (`custom`) are kept,
    moved, edited or dropped the same way, but added only through services.plan_step_add, which checks them against
    the red-flag screens; a step sent without `custom` is the proposed step it matches.
    """
    if not isinstance(steps, list) or len(steps) > 100:
        raise ValidationError({"steps": "A list of at most 100 steps."})
    proposed_targets = {
        (s["muscle"], s["side"]) for s in previous if s.get("kind") in TREATMENT_KINDS and not s.get("custom")
    }
    custom_targets = {(s.get("kind"), s.get("muscle"), s.get("side")) for s in previous if s.get("custom")}
    proposed_home_care = {(s["muscle"], s["side"]): s.get("home_care") for s in previous if s.get("home_care")}
    proposed_by_key = {step_key(s): s for s in previous}
    stressor_ids = {s["stressor"] for s in previous if s.get("stressor")}
    known_muscles = muscles()
    cleaned: list[dict[str, Any]] = []
    errors: list[str] = []
    for index, raw in enumerate(steps, start=1):
        if not isinstance(raw, dict):
            errors.append(f"Step {index}: an object.")
            continue
        kind, muscle, side, stressor_id = raw.get("kind"), raw.get("muscle"), raw.get("side"), raw.get("stressor")
        rationale = raw.get("rationale", "")
        custom = raw.get("custom")
        if custom is None:
            custom = (kind, muscle, side, stressor_id, False) not in proposed_by_key and (
                kind,
                muscle,
                side,
            ) in custom_targets
        if not isinstance(custom, bool):
            errors.append(f"Step {index}: custom is true or false.")
            continue
        if kind not in STEP_KINDS:
            errors.append(f"Step {index}: unknown kind {kind!r}.")
            continue
        if muscle is not None and muscle not in known_muscles:
            errors.append(f"Step {index}: unknown muscle {muscle!r}.")
            continue
        if side is not None and side not in Side.values:
            errors.append(f"Step {index}: unknown side {side!r}.")
            continue
        if stressor_id is not None and stressor_id not in stressor_ids:
            errors.append(f"Step {index}: the stressor is not one this plan addresses.")
            continue
        if custom and (kind, muscle, side) not in custom_targets:
            errors.append(
                f"Step {index}: add a step of your own with POST /api/v1/visits/{{id}}/plan/steps/ (it is checked "
                "against the red-flag screens)."
            )
            continue
        if not custom and kind in TREATMENT_KINDS and (muscle, side) not in proposed_targets:
            errors.append(f"Step {index}: {muscle} ({side}) was not proposed for treatment (it may be blocked).")
            continue
        if not isinstance(rationale, str) or len(rationale) > REASON_MAX or "\x00" in rationale:
            errors.append(f"Step {index}: the rationale must be text of at most {REASON_MAX} characters.")
            continue
        base = proposed_by_key.get((kind, muscle, side, stressor_id, custom), {})
        patient_note = raw.get("patient_note", base.get("patient_note", ""))
        if not isinstance(patient_note, str) or len(patient_note) > PATIENT_NOTE_MAX or "\x00" in patient_note:
            errors.append(f"Step {index}: the note for the patient: text of at most {PATIENT_NOTE_MAX} characters.")
            continue
        home_care = proposed_home_care.get((muscle, side)) if raw.get("home_care") and muscle else None
        chosen = raw.get("home_care", {}).get("tools") if isinstance(raw.get("home_care"), dict) else None
        if home_care and chosen is not None:
            allowed = list(home_care.get("tools", []))
            if not isinstance(chosen, list) or not chosen or any(t not in allowed for t in chosen):
                errors.append(f"Step {index}: choose tools the catalog rates suitable: {', '.join(allowed)}.")
                continue
            home_care = {**home_care, "tools": [*chosen, *(t for t in allowed if t not in chosen)]}
        cleaned.append(
            {
                **base,
                "kind": kind, "muscle": muscle, "side": side, "stressor": stressor_id,
                "rationale": rationale or base.get("rationale", ""), "home_care": home_care,
                "rule_ids": base.get("rule_ids", []), "sources": base.get("sources", []),
                "edited": bool(base.get("edited") or base.get("rationale") != rationale) if rationale
                else bool(base.get("edited")),
                "patient_note": patient_note.strip(), "custom": custom,
            }
        )  # fmt: skip
    kept_refers = {(s["kind"], s.get("muscle"), s.get("side")) for s in cleaned if s["kind"] == "refer"}
    for step in previous:
        if step.get("kind") == "refer" and (step["kind"], step.get("muscle"), step.get("side")) not in kept_refers:
            errors.append("A referral step (red flag, TO-00) cannot be removed.")
            break
    if errors:
        raise ValidationError({"steps": errors})
    for order, step in enumerate(cleaned, start=1):
        step["order"] = order
    return cleaned


# --- fast path: plain values straight into engine dataclasses (no ORM instances) ----------------------------------

FINDING_VALUES = (
    "visit_id", "id", "muscle", "side", "location", "tenderness", "taut_band", "nodule", "twitch_response",
    "referral_zones", "recognized", "status", "treated", "technique", "response",
)  # fmt: skip


LEAN_FINDING_WIDTH = 6  # visit_id, muscle, side, location, tenderness, status


def prior_visits_from_values(
    visits: list[tuple[Any, Any]],
    findings: Iterable[tuple[Any, ...]],
    tests: Iterable[tuple[Any, ...]],
    pain: Iterable[tuple[Any, ...]],
    outcomes: Iterable[tuple[Any, ...]],
    histories: Mapping[Any, e.History] | None = None,
) -> list[e.PriorVisit]:
    """Engine visits from `values_list` rows (see selectors.engine_visits), in the order of `visits` (id, date)."""
    by_visit: dict[Any, dict[str, list[Any]]] = {vid: {"f": [], "t": [], "p": [], "o": []} for vid, _ in visits}
    for row in findings:
        if len(row) == LEAN_FINDING_WIDTH:  # progress series and recurrence: no signs, no referral zones
            vid, muscle, side, location, tenderness, status = row
            by_visit[vid]["f"].append(
                e.Finding(id="", muscle=muscle, side=side, location=location, tenderness=tenderness, status=status)
            )
            continue
        (
            vid,
            fid,
            muscle,
            side,
            location,
            tenderness,
            taut,
            nodule,
            twitch,
            zones,
            recog,
            status,
            treated,
            tech,
            resp,
        ) = row
        by_visit[vid]["f"].append(
            e.Finding(id=str(fid), muscle=muscle, side=side, location=location, tenderness=tenderness, taut_band=taut,
                      nodule=nodule, twitch_response=twitch, referral_zones=tuple(zones or ()), recognized=recog,
                      status=status, treated=treated, technique=tech, response=resp)
        )  # fmt: skip
    for vid, tid, muscle, side, phase, result in tests:
        by_visit[vid]["t"].append(e.MuscleTest(id=str(tid), muscle=muscle, side=side, phase=phase, result=result))
    for vid, zone, side, nprs, primary in pain:
        by_visit[vid]["p"].append(e.PainSite(zone=zone, side=side, nprs=nprs, primary=primary))
    for vid, measure, value, detail in outcomes:
        by_visit[vid]["o"].append(e.Outcome(measure=measure, value=value, detail=detail))
    return [
        e.PriorVisit(id=str(vid), date=date, findings=tuple(by_visit[vid]["f"]), muscle_tests=tuple(by_visit[vid]["t"]),
                     pain_sites=tuple(by_visit[vid]["p"]), outcomes=tuple(by_visit[vid]["o"]),
                     history=(histories or {}).get(vid))
        for vid, date in visits
    ]  # fmt: skip
