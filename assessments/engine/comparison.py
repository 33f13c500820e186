"""Follow-up comparison of two visits and progress across all of them (pure; standard library only).

Matching: findings by muscle and side (and location when either visit has several for the same muscle and side);
muscle tests by muscle, side and phase; pain sites by zone and side; outcomes by measure (and detail); stressors by
kind, active at each visit's date.

Judgement: pain (NPRS) and outcome measures are judged against the catalog's minimal clinically important difference
(MCID) in the measure's better direction, in points or, where the catalog gives one, in percent (CS-06); the summary
is `improved` when every tracked measure meets its MCID, `no_important_change` when all are below it, `worse` when at
least one worsens by its MCID and none improves, and `mixed` otherwise. Palpation tenderness has no MCID; a point is
improving or recurring as ``recurrence`` defines it (CS-05: a fall of 2 points, or active to not active, is
improving; tender at 3 or more consecutive visits without improving is recurring, TO-08, SAFE-S6), as practitioner
observation; an inhibited muscle that tests normal is shown as normalised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from . import recurrence
from .catalog import Catalog, OutcomeMeasure
from .types import Finding, History, MuscleTest, Outcome, PainSite, PriorVisit, Stressor

ChangeKind = Literal["improved", "worse", "unchanged", "new", "resolved"]
Summary = Literal["improved", "no_important_change", "worse", "mixed"]

RESULT_RANK = {"normal": 0, "facilitated": 1, "inhibited": 1}
RECURRENCE_RULE_IDS = ("TO-08", "SAFE-S6", "CS-05")
RECURRENCE_NOTE = (
    "Tender at {visits} consecutive visits without improving: the source is probably not addressed. Re-prioritise the "
    "stressors, consider other therapy or referral."
)  # the words; a point series carries the rule ids beside them (PointSeries.rule_ids)
RECURRENCE_ADVICE = RECURRENCE_NOTE.removesuffix(".") + f" ({', '.join(RECURRENCE_RULE_IDS)})."  # with the ids inline


@dataclass(frozen=True)
class Change:
    """One matched item: its value before and after, the kind of change and the threshold that judged it."""

    key: str
    before: str | float | None
    after: str | float | None
    change: ChangeKind
    explanation: str
    threshold: float | None = None
    source: str = ""
    tracked: bool = False
    recurring: bool = False
    normalised: bool = False


@dataclass(frozen=True)
class Comparison:
    before_id: str
    after_id: str
    findings: tuple[Change, ...]
    muscle_tests: tuple[Change, ...]
    pain_sites: tuple[Change, ...]
    outcomes: tuple[Change, ...]
    stressors: tuple[Change, ...]
    summary: Summary
    summary_explanation: str
    history: tuple[Change, ...] = ()


@dataclass(frozen=True)
class SeriesPoint:
    visit: str
    date: dt.date
    value: float


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    unit: str
    mcid: float | None
    higher_is_better: bool
    source: str
    points: tuple[SeriesPoint, ...]


@dataclass(frozen=True)
class PointSeries:
    """One point's tenderness across visits; a recurring point's `advice` is in words, the rules behind it in
    `rule_ids` (TO-08, SAFE-S6, CS-05)."""

    key: str
    muscle: str
    side: str
    points: tuple[SeriesPoint, ...]
    recurring_visits: int
    advice: str
    recurring: bool = False
    improving: bool = False
    rule_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class TestSeries:
    key: str
    muscle: str
    side: str
    results: tuple[tuple[str, dt.date, str], ...]
    normalised: bool


@dataclass(frozen=True)
class Progress:
    measures: tuple[Series, ...]
    pain_sites: tuple[Series, ...]
    points: tuple[PointSeries, ...]
    muscle_tests: tuple[TestSeries, ...]


def _measure_source(measure: OutcomeMeasure | None) -> str:
    if measure is None:
        return ""
    return ", ".join(measure.sources[:2])


def _judge(
    before: float, after: float, measure: OutcomeMeasure | None, label: str
) -> tuple[ChangeKind, str, float | None]:
    """CS-06: judged by points or percent, as the measure's MCID entry says; the explanation names which."""
    delta = after - before
    if measure is None or measure.mcid is None:
        return "unchanged", f"{label}: {before:g} → {after:g}; no established MCID, so no judgement.", None
    judged, basis = measure.judge(before, after)
    kind: ChangeKind = "improved" if judged == "improved" else ("worse" if judged == "worse" else "unchanged")
    return kind, f"{label}: {before:g} → {after:g} ({delta:+g}) {basis}.", measure.mcid


def _compare_findings(
    before: Sequence[Finding], after: Sequence[Finding], catalog: Catalog, history: Sequence[Sequence[Finding]]
) -> tuple[Change, ...]:
    """Findings matched by muscle and side (and location where either visit has several there); improving and
    recurring as CS-05 defines them, recurring judged over ``history`` (each visit's findings up to ``after``)."""
    thresholds = recurrence.Thresholds.of(catalog)
    courses = recurrence.courses(history, catalog)
    counts: dict[tuple[str, str], int] = {}
    for group in (before, after):
        seen: dict[tuple[str, str], int] = {}
        for f in group:
            seen[(f.muscle, f.side)] = seen.get((f.muscle, f.side), 0) + 1
        for muscle_side, n in seen.items():
            counts[muscle_side] = max(counts.get(muscle_side, 0), n)

    def key(f: Finding) -> str:
        return f"{f.muscle}:{f.side}" + (f":{f.location}" if counts.get((f.muscle, f.side), 0) > 1 else "")

    b = {key(f): f for f in before}
    a = {key(f): f for f in after}
    step = thresholds.improvement_points
    changes = []
    for k in sorted(set(b) | set(a)):
        fb, fa = b.get(k), a.get(k)
        any_row = fb if fb is not None else fa
        assert any_row is not None
        name = catalog.muscle_name(any_row.muscle)
        if fb is None and fa is not None:
            changes.append(Change(k, None, fa.tenderness, "new", f"{name}: new point, tenderness {fa.tenderness}/10."))
            continue
        if fa is None and fb is not None:
            changes.append(
                Change(
                    k, fb.tenderness, None, "resolved", f"{name}: not found tender this time (was {fb.tenderness}/10)."
                )
            )
            continue
        assert fb is not None and fa is not None
        was = recurrence.PointState(fb.tenderness, fb.status == "active")
        now = recurrence.PointState(fa.tenderness, fa.status == "active")
        worse_by = fa.tenderness - fb.tenderness
        if recurrence.improving(was, now, thresholds):
            kind: ChangeKind = "improved"
        elif worse_by >= step or (not was.active and now.active and worse_by >= 0):
            kind = "worse"
        else:
            kind = "unchanged"
        course = courses.get((fa.muscle, fa.side))
        recurring = kind != "improved" and course is not None and course[0].recurring
        text = (
            f"{name}: tenderness {fb.tenderness} → {fa.tenderness}/10, {fb.status} → {fa.status} "
            f"(practitioner observation; a fall of {step} points, or active to not active, is improving)."
        )
        if kind == "improved":
            text += " Improving."
        if recurring and course is not None:
            text += " " + RECURRENCE_ADVICE.format(visits=course[0].streak)
        changes.append(Change(k, fb.tenderness, fa.tenderness, kind, text, float(step), recurring=recurring))
    return tuple(changes)


def _compare_tests(before: Sequence[MuscleTest], after: Sequence[MuscleTest], catalog: Catalog) -> tuple[Change, ...]:
    b = {f"{t.muscle}:{t.side}:{t.phase}": t for t in before if t.result != "not_tested"}
    a = {f"{t.muscle}:{t.side}:{t.phase}": t for t in after if t.result != "not_tested"}
    changes = []
    for k in sorted(set(b) | set(a)):
        tb, ta = b.get(k), a.get(k)
        if tb is None and ta is not None:
            changes.append(Change(k, None, ta.result, "new", f"{catalog.muscle_name(ta.muscle)}: tested {ta.result}."))
            continue
        if ta is None and tb is not None:
            changes.append(
                Change(k, tb.result, None, "resolved", f"{catalog.muscle_name(tb.muscle)}: not tested this time.")
            )
            continue
        assert tb is not None and ta is not None
        rb, ra = RESULT_RANK.get(tb.result, 0), RESULT_RANK.get(ta.result, 0)
        kind: ChangeKind = "improved" if ra < rb else ("worse" if ra > rb else "unchanged")
        normalised = tb.result == "inhibited" and ta.result == "normal"
        text = f"{catalog.muscle_name(ta.muscle)} ({ta.side}, {ta.phase}): {tb.result} → {ta.result}"
        text += " (normalised)." if normalised else "."
        changes.append(Change(k, tb.result, ta.result, kind, text, normalised=normalised))
    return tuple(changes)


def within_visit_normalised(tests: Sequence[MuscleTest]) -> tuple[str, ...]:
    """Muscles inhibited before treatment and normal after it in the same visit (`muscle:side`)."""
    pre = {(t.muscle, t.side) for t in tests if t.phase == "pre" and t.result == "inhibited"}
    post = {(t.muscle, t.side) for t in tests if t.phase == "post" and t.result == "normal"}
    return tuple(f"{m}:{s}" for m, s in sorted(pre & post))


def _compare_pain(before: Sequence[PainSite], after: Sequence[PainSite], catalog: Catalog) -> tuple[Change, ...]:
    nprs = catalog.outcome_measures.get("nprs")
    b = {f"{p.zone}:{p.side}": p for p in before}
    a = {f"{p.zone}:{p.side}": p for p in after}
    changes = []
    for k in sorted(set(b) | set(a)):
        pb, pa = b.get(k), a.get(k)
        label = catalog.zones[k.split(":")[0]].label if k.split(":")[0] in catalog.zones else k
        if pb is None and pa is not None:
            changes.append(Change(k, None, pa.nprs, "new", f"{label}: new pain site (NPRS {pa.nprs})."))
        elif pa is None and pb is not None:
            changes.append(Change(k, pb.nprs, None, "resolved", f"{label}: no longer painful (was NPRS {pb.nprs})."))
        elif pb is not None and pa is not None:
            if pb.nprs is None or pa.nprs is None:
                changes.append(Change(k, pb.nprs, pa.nprs, "unchanged", f"{label}: still painful; NPRS not recorded."))
                continue
            kind, text, threshold = _judge(float(pb.nprs), float(pa.nprs), nprs, f"{label} NPRS")
            changes.append(
                Change(k, pb.nprs, pa.nprs, kind, text, threshold, _measure_source(nprs), tracked=threshold is not None)
            )
    return tuple(changes)


def _compare_outcomes(before: Sequence[Outcome], after: Sequence[Outcome], catalog: Catalog) -> tuple[Change, ...]:
    def key(o: Outcome) -> str:
        return o.measure + (f":{o.detail}" if o.detail else "")

    b = {key(o): o for o in before}
    a = {key(o): o for o in after}
    changes = []
    for k in sorted(set(b) | set(a)):
        ob, oa = b.get(k), a.get(k)
        any_row = ob if ob is not None else oa
        assert any_row is not None
        measure = catalog.outcome_measures.get(any_row.measure)
        label = (measure.name.split(" (")[0] if measure else k) + (f" ({any_row.detail})" if any_row.detail else "")
        if ob is None and oa is not None:
            changes.append(Change(k, None, oa.value, "new", f"{label}: first recorded, {oa.value:g}."))
        elif oa is None and ob is not None:
            changes.append(
                Change(k, ob.value, None, "resolved", f"{label}: not recorded this time (was {ob.value:g}).")
            )
        elif ob is not None and oa is not None:
            kind, text, threshold = _judge(ob.value, oa.value, measure, label)
            source = _measure_source(measure)
            changes.append(Change(k, ob.value, oa.value, kind, text, threshold, source, tracked=threshold is not None))
    return tuple(changes)


def active_on(stressor: Stressor, date: dt.date) -> bool:
    if stressor.onset is not None and stressor.onset > date:
        return False
    return stressor.resolved_on is None or stressor.resolved_on > date


def _compare_stressors(
    stressors: Sequence[Stressor], before: dt.date, after: dt.date, catalog: Catalog
) -> tuple[Change, ...]:
    kinds: dict[str, tuple[bool, bool]] = {}
    for s in stressors:
        was, now = kinds.get(s.kind, (False, False))
        kinds[s.kind] = (was or active_on(s, before), now or active_on(s, after))
    changes = []
    for kind in sorted(kinds):
        was, now = kinds[kind]
        label = catalog.stressor_kinds[kind].label if kind in catalog.stressor_kinds else kind
        if was and now:
            changes.append(Change(kind, "active", "active", "unchanged", f"{label}: still present."))
        elif now:
            changes.append(Change(kind, None, "active", "new", f"{label}: added since the earlier visit."))
        elif was:
            changes.append(Change(kind, "active", None, "resolved", f"{label}: resolved."))
    return tuple(changes)


def compare(
    before: PriorVisit,
    after: PriorVisit,
    *,
    stressors: Sequence[Stressor] = (),
    catalog: Catalog,
    history: Sequence[PriorVisit] = (),
) -> Comparison:
    """Compare an earlier visit with a later one (the caller orders them by date).  ``history`` is the patient's
    visits up to and including ``after``, oldest first: recurrence is judged over it (CS-05), else over the two."""
    earlier = list(history) or [before, after]
    pain = _compare_pain(before.pain_sites, after.pain_sites, catalog)
    outcomes = _compare_outcomes(before.outcomes, after.outcomes, catalog)
    tracked = [c for c in (*pain, *outcomes) if c.tracked]
    if not tracked:
        summary: Summary = "no_important_change"
        explanation = "No pain score or outcome measure was recorded at both visits, so nothing can be judged."
    else:
        kinds = {c.change for c in tracked}
        if kinds == {"improved"}:
            summary = "improved"
        elif kinds == {"unchanged"}:
            summary = "no_important_change"
        elif "worse" in kinds and "improved" not in kinds:
            summary = "worse"
        else:
            summary = "mixed"
        explanation = " ".join(c.explanation for c in tracked)
    return Comparison(
        before_id=before.id,
        after_id=after.id,
        findings=_compare_findings(before.findings, after.findings, catalog, [v.findings for v in earlier]),
        muscle_tests=_compare_tests(before.muscle_tests, after.muscle_tests, catalog),
        pain_sites=pain,
        outcomes=outcomes,
        stressors=_compare_stressors(stressors, before.date, after.date, catalog),
        summary=summary,
        summary_explanation=explanation,
        history=_compare_history(before.history, after.history, catalog),
    )


COURSE_CHANGE: dict[str, ChangeKind] = {"better": "improved", "worse": "worse", "same": "unchanged"}


def _compare_history(before: History | None, after: History | None, catalog: Catalog) -> tuple[Change, ...]:
    """Issue 23: the course and the 24-hour pattern as the patient reported them at each visit. Self-report, never
    judged against an MCID (not ``tracked``): the course the patient reports at the later visit says the change; a
    pattern is new, resolved or still there."""
    if before is None and after is None:
        return ()
    words = catalog.history
    changes: list[Change] = []
    was, now = (before.course if before else ""), (after.course if after else "")
    if was or now:
        kind = COURSE_CHANGE.get(now, "unchanged")
        changes.append(
            Change(
                key="course",
                before=words.label("courses", was) if was else None,
                after=words.label("courses", now) if now else None,
                change=kind,
                explanation="As the patient reports it at the later visit; self-report, no MCID.",
            )
        )
    earlier = set(before.patterns if before else ())
    later = set(after.patterns if after else ())
    for pattern in [p for p in words.patterns if p in earlier | later]:
        label = words.label("patterns", pattern)
        if pattern in earlier and pattern in later:
            kind, text = "unchanged", "Reported at both visits."
        elif pattern in later:
            kind, text = "new", "Reported at the later visit only."
        else:
            kind, text = "resolved", "Reported at the earlier visit only."
        changes.append(
            Change(
                key=f"pattern:{pattern}",
                before=label if pattern in earlier else None,
                after=label if pattern in later else None,
                change=kind,
                explanation=text,
            )
        )
    return tuple(changes)


def progress(visits: Sequence[PriorVisit], catalog: Catalog) -> Progress:
    """Per-measure, per-pain-site, per-point and per-test series across all visits, oldest first."""
    ordered = sorted(visits, key=lambda v: (v.date, v.id))
    measures: dict[str, list[SeriesPoint]] = {}
    pain: dict[str, list[SeriesPoint]] = {}
    points: dict[str, list[SeriesPoint]] = {}
    thresholds = recurrence.Thresholds.of(catalog)
    states_by_visit = [recurrence.point_states(visit.findings) for visit in ordered]
    tests: dict[str, list[tuple[str, dt.date, str]]] = {}
    for visit in ordered:
        for o in visit.outcomes:
            measures.setdefault(o.measure + (f":{o.detail}" if o.detail else ""), []).append(
                SeriesPoint(visit.id, visit.date, o.value)
            )
        for p in visit.pain_sites:
            if p.nprs is not None:
                pain.setdefault(f"{p.zone}:{p.side}", []).append(SeriesPoint(visit.id, visit.date, float(p.nprs)))
        seen: dict[str, int] = {}
        for f in visit.findings:
            k = f"{f.muscle}:{f.side}"
            seen[k] = max(seen.get(k, 0), f.tenderness)
        for k, tenderness in seen.items():
            points.setdefault(k, []).append(SeriesPoint(visit.id, visit.date, float(tenderness)))
        for t in sorted(visit.muscle_tests, key=lambda t: t.phase != "pre"):  # before treatment, then after it
            if t.result != "not_tested":
                tests.setdefault(f"{t.muscle}:{t.side}", []).append((t.phase, visit.date, t.result))
    nprs = catalog.outcome_measures.get("nprs")
    measure_series = []
    for key in sorted(measures, key=lambda k: (k.split(":")[0] != "nprs", k)):
        m = catalog.outcome_measures.get(key.split(":")[0])
        label = (m.name if m else key) + (f" ({key.split(':', 1)[1]})" if ":" in key else "")
        unit = m.unit if m else ""
        mcid = m.mcid if m else None
        better_up = m.higher_is_better if m else True
        measure_series.append(Series(key, label, unit, mcid, better_up, _measure_source(m), tuple(measures[key])))
    pain_series = []
    for k, values in sorted(pain.items()):
        zone, side = k.split(":")
        label = f"{catalog.zones[zone].label if zone in catalog.zones else zone} ({side})"
        mcid = nprs.mcid if nprs else None
        pain_series.append(Series(k, label, "NPRS 0-10", mcid, False, _measure_source(nprs), tuple(values)))
    point_series = []
    for k, series in sorted(points.items()):
        muscle, side = k.split(":")
        history = tuple(states.get((muscle, side)) for states in states_by_visit)
        point = recurrence.course(history, thresholds)
        advice = RECURRENCE_NOTE.format(visits=point.streak) if point.recurring else ""
        rule_ids = RECURRENCE_RULE_IDS if point.recurring else ()
        point_series.append(
            PointSeries(
                k, muscle, side, tuple(series), point.streak, advice, point.recurring, point.improving, rule_ids
            )
        )
    test_series = []
    for k, results in sorted(tests.items()):
        muscle, side = k.split(":")
        normalised = any(r == "inhibited" for _, _, r in results) and results[-1][2] == "normal"
        test_series.append(TestSeries(k, muscle, side, tuple(results), normalised))
    return Progress(tuple(measure_series), tuple(pain_series), tuple(point_series), tuple(test_series))
