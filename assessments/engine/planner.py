"""Treatment plan for one visit, ordered by the catalog's treatment-order rules (TO-00..TO-09).

Order: refer (TO-00) -> address_stressor (TO-01) -> treat_remote_driver (TO-03) -> treat_trigger_point (TO-04,
TO-05) -> retest (TO-06) -> rehab (TO-07, only when the improvement criteria are met) -> follow_up (TO-08, always
last).  Every step names the rule ids and sources behind it.

``practitioner_step`` makes the practitioner's own step for a muscle charted in the visit (their judgement, no rule
ids), under the same safety rules: refused where a positive red flag blocks the muscle, pending where a screen holds
it, and home care only where the engine's own home-care rules allow it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .catalog import Catalog, Muscle, merge_unique
from .types import (
    Analysis,
    ChartedMuscle,
    Finding,
    HomeCare,
    MuscleTest,
    PainSite,
    Plan,
    PlanStep,
    PriorVisit,
    Side,
    SourceCandidate,
    StepKind,
    VisitInput,
)
from .version import ENGINE_VERSION

RELEASED_RESPONSES = ("released", "improved")
LOCATION_STOP_WORDS = frozenset(
    ("a", "about", "an", "and", "at", "by", "in", "into", "its", "just", "near", "of", "on", "or", "the", "to", "with")
)
"""Words that say nothing about where a point lies (CS-08 location matching)."""
DEFAULT_NPRS_MCID = 2.0
"""NPRS MCID when the catalog has no number (Childs 2005; Farrar 2001: ~2 points)."""


@dataclass(frozen=True)
class RehabCheck:
    """TO-07 criterion: the imbalance is corrected when pain fell by at least the NPRS MCID since the previous visit
    AND no active trigger point is left unreleased AND no muscle is still inhibited at its latest test AND no red flag
    is positive."""

    met: bool
    explanation: str


def primary_nprs(pain_sites: Sequence[PainSite], outcomes: Iterable[tuple[str, float]] = ()) -> float | None:
    """NPRS at the primary pain site (the highest when several are primary); else the highest charted; else an
    ``nprs`` outcome."""
    primary = [p.nprs for p in pain_sites if p.primary and p.nprs is not None]
    charted = [p.nprs for p in pain_sites if p.nprs is not None]
    values = primary or charted
    if values:
        return float(max(values))
    scores = [value for measure, value in outcomes if measure == "nprs"]
    return float(max(scores)) if scores else None


def _location_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z0-9]+", text.lower()) if word not in LOCATION_STOP_WORDS}


def where_on_muscle(muscle: Muscle, charted: str) -> str:
    """CS-08: the catalog trigger-point location that matches where the practitioner charted the point (every
    charted word found in it; the one sharing most words, first in catalog order on a tie), or "" when none does --
    the sheet then says the practitioner will show the spot."""
    words = _location_words(charted)
    if not words:
        return ""
    best, best_score = "", 0
    for location in muscle.trp_locations:
        found = _location_words(location)
        if words <= found and len(words) > best_score:
            best, best_score = location, len(words)
    return best


def muscle_tests_normalised(tests: Sequence[MuscleTest]) -> bool:
    """No muscle (and side) is still inhibited at its latest test (a post-treatment test overrides the pre test)."""
    latest: dict[tuple[str, str], str] = {}
    for test in sorted(tests, key=lambda t: (t.muscle, t.side, 0 if t.phase == "pre" else 1, t.id)):
        if test.result != "not_tested":
            latest[(test.muscle, test.side)] = test.result
    return all(result != "inhibited" for result in latest.values())


def active_points_released(findings: Sequence[Finding]) -> bool:
    """Every active trigger point of the visit was treated and released or improved."""
    return all(f.treated and f.response in RELEASED_RESPONSES for f in findings if f.status == "active")


def previous_visit(visit: VisitInput) -> PriorVisit | None:
    earlier = [p for p in visit.prior_visits if p.id != visit.id and p.date <= visit.date]
    return max(earlier, key=lambda p: (p.date, p.id)) if earlier else None


def rehab_check(visit: VisitInput, analysis: Analysis, catalog: Catalog) -> RehabCheck:
    """Apply the TO-07 criterion (see RehabCheck) to the visit."""
    measure = catalog.outcome_measures.get("nprs")
    mcid = float(measure.mcid) if measure is not None and measure.mcid is not None else DEFAULT_NPRS_MCID
    now = primary_nprs(visit.pain_sites, ((o.measure, o.value) for o in visit.outcomes))
    before_visit = previous_visit(visit)
    before = (
        primary_nprs(before_visit.pain_sites, ((o.measure, o.value) for o in before_visit.outcomes))
        if before_visit is not None
        else None
    )
    unmet: list[str] = []
    if now is None or before is None:
        unmet.append("no NPRS at the primary site for this and the previous visit")
        pain_text = ""
    else:
        drop = before - now
        if measure is not None:
            change, basis = measure.judge(before, now)
        else:
            change, basis = ("improved" if drop >= mcid else "unchanged"), f"MCID {mcid:g} points"
        pain_text = f"primary-site NPRS {before:g} -> {now:g} (drop {drop:g}) {basis} (CS-06)"
        if change != "improved":
            unmet.append(pain_text)
    if not active_points_released(visit.findings):
        unmet.append("an active trigger point is not yet released")
    if not muscle_tests_normalised(visit.muscle_tests):
        unmet.append("a muscle is still inhibited at its latest test")
    if analysis.red_flags and any(flag.refers for flag in analysis.red_flags):
        unmet.append("a red flag is positive")
    if unmet:
        return RehabCheck(False, "Rehabilitation exercise not yet (TO-07): " + "; ".join(unmet) + ".")
    return RehabCheck(
        True,
        f"Improvement criteria met (TO-07): {pain_text}; every active trigger point released; no muscle still "
        "inhibited. Start rehabilitation exercise. The seed author opposes static stretching for injury treatment "
        "(seed_001 opinion; mainstream practice differs).",
    )


class _PlanBuilder:
    """Appends the plan's steps in TO order; home care is handed out in step order up to ``max_home_care``."""

    def __init__(
        self, visit: VisitInput, analysis: Analysis, catalog: Catalog, max_home_care: int, protocol: str | None
    ) -> None:
        if protocol is not None and protocol not in catalog.protocols:
            raise ValueError(f"unknown protocol {protocol!r}; choose one of {sorted(catalog.protocols)}")
        self.visit = visit
        self.analysis = analysis
        self.catalog = catalog
        self.max_home_care = max(0, max_home_care)
        self.protocol = catalog.protocols[protocol or catalog.default_protocol]
        self.steps: list[PlanStep] = []
        self.home_care_given = 0
        self.findings = {f.id: f for f in visit.findings}
        # TO-09: rest first when over-aggressive treatment is charted, or the history shows daily hard self-rolling on
        # the painful spot (HX-07).
        self.rest = any(s.kind == "over_aggressive_treatment" for s in analysis.stressors_to_address) or any(
            note.kind == "rest" and "HX-07" in note.rule_ids for note in analysis.notes
        )
        self.worse = {(f.muscle, f.side) for f in visit.findings if f.response == "worse"}
        self.caution_all = False
        self.caution_muscles: set[str] = set()
        self.caution_rules: list[str] = []
        for flag in analysis.red_flags:
            rule = catalog.safety_rules[flag.rule]
            if rule.scope == "local_caution":
                self.caution_rules.append(rule.id)
                if rule.muscles:
                    self.caution_muscles.update(rule.muscles)
                else:
                    self.caution_all = True

    def sources_for(self, rule_id: str) -> tuple[str, ...]:
        return self.catalog.rule_sources(rule_id)

    def add(
        self,
        kind: StepKind,
        rationale: str,
        rule_ids: Sequence[str],
        sources: Sequence[str],
        *,
        muscle: str | None = None,
        side: Side | None = None,
        stressor: str | None = None,
        home_care: HomeCare | None = None,
        pending_screens: tuple[str, ...] = (),
    ) -> None:
        self.steps.append(
            PlanStep(
                order=len(self.steps) + 1,
                kind=kind,
                muscle=muscle,
                side=side,
                stressor=stressor,
                rationale=rationale,
                rule_ids=merge_unique(rule_ids),
                sources=merge_unique(sources),
                home_care=home_care,
                pending_screens=pending_screens,
            )
        )

    # ------------------------------------------------------------------------------------------------ steps
    def refer(self) -> None:
        """TO-00: positive red flags first, with the rule's action and urgency; the blocked area gets no treatment."""
        for flag in self.analysis.red_flags:
            if not flag.refers:
                continue
            side = f" on the {flag.side} side" if flag.lateral and flag.side in ("left", "right") else ""
            area = (
                "all trigger-point work and home care"
                if flag.blocks_all
                else f"trigger-point work and home care for {len(flag.blocked_muscles)} muscles in or referring into "
                f"the affected {'limb' if flag.reach == 'limb' else 'area'}{side} "
                f"({', '.join(flag.blocked_regions) or 'listed zones'}); elsewhere stays treatable (CS-03)"
            )
            detail = f" Screen detail: {flag.detail}." if flag.detail else ""
            urgency = f" Urgency: {flag.urgency.replace('_', ' ')}." if flag.urgency else ""
            which = f"{flag.rule} ({flag.side})" if side else flag.rule
            self.add(
                "refer",
                f"Positive {which} ({flag.condition}). Action: {flag.action}{urgency}{detail} TO-00 withholds "
                f"{area} until medically cleared. Sources: {', '.join(flag.sources)}.",
                (flag.rule, "TO-00"),
                (*flag.sources, *self.sources_for("TO-00")),
            )

    def stressors(self) -> None:
        """TO-01 / U-4: plan the correction of each stressor in the same visit."""
        for item in self.analysis.stressors_to_address:
            action = f" Patient action: {item.patient_action}" if item.patient_action else ""
            self.add(
                "address_stressor",
                f"Address the stressor before (and alongside) trigger-point work (TO-01). {item.reason}{action}",
                (*item.rule_ids, "TO-01"),
                (*item.sources, *self.sources_for("TO-01")),
                stressor=item.id,
            )

    def treatment(self) -> bool:
        """TO-03 remote drivers, then TO-04/TO-05 local sources (foot pain: lower-leg muscles before foot muscles);
        blocked muscles (TO-00) are left out.  Returns whether any treatment step was added."""
        treated: set[tuple[str, str]] = set()
        count = 0
        for candidate in self._unique(self.analysis.remote_drivers):
            if (candidate.muscle, candidate.side) in treated:
                continue
            treated.add((candidate.muscle, candidate.side))
            self._treat("treat_remote_driver", candidate, ("TO-03",))
            count += 1
        foot_pain = any(
            (zone := self.catalog.zones.get(pain.zone)) is not None and zone.node == "foot"
            for pain in self.visit.pain_sites
        )
        local = [c for c in self._unique(self.analysis.suspected_sources) if (c.muscle, c.side) not in treated]
        if foot_pain:
            local.sort(key=lambda c: 1 if self._region(c.muscle) == "foot" else 0)
        for candidate in local:
            extra: tuple[str, ...] = ("TO-04", "TO-05")
            self._treat("treat_trigger_point", candidate, extra, foot_first=foot_pain)
            count += 1
        return count > 0

    def _unique(self, candidates: Sequence[SourceCandidate]) -> list[SourceCandidate]:
        """One step per muscle and side (the best-ranked finding), skipping muscles a red flag blocks."""
        seen: set[tuple[str, str]] = set()
        result = []
        for candidate in candidates:
            key = (candidate.muscle, candidate.side)
            if key in seen or candidate.blocked_by:
                continue
            seen.add(key)
            result.append(candidate)
        return result

    def _region(self, muscle: str) -> str:
        found = self.catalog.muscles.get(muscle)
        return found.region if found else ""

    def _treat(
        self, kind: StepKind, candidate: SourceCandidate, extra: tuple[str, ...], foot_first: bool = False
    ) -> None:
        where = "Work proximal or distal to the painful site, not on it (U-2)."
        if foot_first and self._region(candidate.muscle) in ("leg", "foot"):
            where += " Foot pain: lower leg first, then the foot (TO-04)."
        lead = "Remote driver" if kind == "treat_remote_driver" else "Source to treat"
        if candidate.pending_screens:
            lead = f"Screen first ({', '.join(candidate.pending_screens)} not yet recorded negative); pending: {lead}"
        home_care, why_not = self.home_care_for(candidate)
        care = f" Home care: {why_not}" if why_not else ""
        cautions = (
            f" Positive {', '.join(self.caution_rules)}: light pressure only, practitioner judgement."
            if (self.caution_rules)
            else ""
        )
        self.add(
            kind,
            f"{lead}: {candidate.reason} {where}{cautions}{care}",
            (*candidate.rule_ids, *extra, "U-2"),
            (*candidate.sources, *(s for rule_id in (*extra, "U-2") for s in self.sources_for(rule_id))),
            muscle=candidate.muscle,
            side=candidate.side,
            home_care=home_care,
            pending_screens=candidate.pending_screens,
        )

    def home_care_for(self, candidate: SourceCandidate) -> tuple[HomeCare | None, str]:
        """Brief (a) step 10 / TO-00 / TO-09: a sourced protocol with tools rated good or ok; none for
        practitioner-only muscles, blocked or caution areas, a point that got worse, or when rest comes first."""
        muscle = self.catalog.muscles.get(candidate.muscle)
        if muscle is None:
            return None, ""
        if candidate.pending_screens:
            return None, f"withheld - pending {', '.join(candidate.pending_screens)} (CS-02, CS-04)."
        if candidate.home_care_hold:
            return None, candidate.home_care_hold
        if muscle.practitioner_only:
            return None, "none - practitioner-only muscle (no self-care tool rated good or ok)."
        if self.rest:
            return None, "withheld - rest first (TO-09, SAFE-S3)."
        if (candidate.muscle, candidate.side) in self.worse:
            return (
                None,
                "withheld - the point got worse; let it recover or choose another point away from it (SAFE-S3).",
            )
        if self.caution_all or candidate.muscle in self.caution_muscles:
            return None, f"withheld - {', '.join(self.caution_rules)} needs practitioner judgement."
        tools = muscle.home_care_tools(self.catalog.tools)
        if not tools:
            return None, "none - no suitable self-care tool."
        if self.home_care_given >= self.max_home_care:
            return None, f"not on the sheet (limited to {self.max_home_care} muscles)."
        self.home_care_given += 1
        return self._care(muscle, candidate.side, tools, where_on_muscle(muscle, candidate.location)), ""

    def _care(self, muscle: Muscle, side: Side, tools: tuple[str, ...], where: str = "") -> HomeCare:
        protocol = self.protocol
        if protocol.muscles and muscle.slug not in protocol.muscles:
            protocol = self.catalog.protocols[self.catalog.default_protocol]
        s4 = self.catalog.safety_rules.get("SAFE-S4")
        to09 = self.catalog.treatment_order_rules.get("TO-09")
        stop = [protocol.stop_rule] if protocol.stop_rule else []
        if "sore" not in protocol.stop_rule:
            stop.append("sore the next day: stop and give it a rest (SAFE-S3)")
        stop.append("pain getting worse: contact your practitioner")
        caution = [muscle.self_treatment_notes] if muscle.self_treatment_notes else []
        if protocol.location_rule:
            caution.append(f"Where: {protocol.location_rule}.")
        if protocol.caution:
            caution.append(f"Note: {protocol.caution}.")
        return HomeCare(
            muscle=muscle.slug,
            side=side,
            tools=tools,
            protocol=protocol.id,
            method=protocol.method,
            duration=protocol.duration_per_point or "not stated by the source",
            frequency=protocol.frequency or (to09.rule if to09 else ""),
            intensity=protocol.intensity or (s4.condition if s4 else ""),
            stop_rule="; ".join(stop),
            caution=" ".join(caution),
            source=protocol.source,
            where=where,
            sources=merge_unique(
                (protocol.source,),
                s4.sources if s4 and not protocol.intensity else (),
                to09.sources if to09 and not protocol.frequency else (),
                self.sources_for("TO-09"),
            ),
        )

    def retest(self) -> None:
        """TO-06, naming the muscles tested inhibited before treatment: test them again (TO-05: whether each
        normalises is the practitioner's judgement)."""
        to06 = self.catalog.treatment_order_rules["TO-06"]
        text, rule_ids, sources = f"{to06.rule} (TO-06)", ["TO-06"], list(to06.sources)
        inhibited = list(
            dict.fromkeys(
                (t.muscle, t.side) for t in self.visit.muscle_tests if t.phase == "pre" and t.result == "inhibited"
            )
        )
        if inhibited:
            names = ", ".join(f"{self.catalog.muscle_name(muscle)} ({side})" for muscle, side in inhibited)
            text += (
                f" Muscle test again after treatment: {names} (inhibited before treatment); whether each normalises "
                "is recorded as practitioner judgement (TO-05)."
            )
            rule_ids.append("TO-05")
            sources.extend(self.sources_for("TO-05"))
        self.add("retest", text, rule_ids, sources)

    def rehab(self, check: RehabCheck) -> None:
        if check.met:
            to07 = self.catalog.treatment_order_rules["TO-07"]
            nprs = self.catalog.outcome_measures.get("nprs")
            self.add("rehab", check.explanation, ("TO-07",), (*to07.sources, *(nprs.sources if nprs else ())))

    def follow_up(self, check: RehabCheck) -> None:
        """TO-08: always last; re-measure against the MCIDs, flag recurring points, repeat rest advice."""
        to08 = self.catalog.treatment_order_rules["TO-08"]
        text = ["Follow-up: re-measure (NPRS, region questionnaire, ROM) and compare with each measure's MCID."]
        rule_ids: list[str] = ["TO-08"]
        sources: list[str] = list(to08.sources)
        for point in self.analysis.recurring:
            text.append(point.advice)
            rule_ids.extend(point.rule_ids)
            sources.extend(point.sources)
        if not self.analysis.recurring:
            text.append("If the same points keep coming back, the source is not corrected (TO-08).")
        for note in self.analysis.notes:
            if note.kind == "rest":
                text.append(note.text)
                rule_ids.extend(note.rule_ids)
                sources.extend(note.sources)
        if not check.met:
            text.append(check.explanation)
            rule_ids.append("TO-07")
            sources.extend(self.sources_for("TO-07"))
        self.add("follow_up", " ".join(text), rule_ids, sources)


def build_plan(
    visit: VisitInput,
    analysis: Analysis,
    catalog: Catalog,
    *,
    max_home_care: int = 4,
    protocol: str | None = None,
) -> Plan:
    """Order the visit's work by TO-00..TO-09 (see module docstring); ``protocol`` picks the home-care protocol
    (default: the catalog's default protocol; a muscle-specific protocol applies only to its muscles)."""
    builder = _PlanBuilder(visit, analysis, catalog, max_home_care, protocol)
    builder.refer()
    builder.stressors()
    if builder.treatment():
        builder.retest()
    check = rehab_check(visit, analysis, catalog)
    builder.rehab(check)
    builder.follow_up(check)
    notes = tuple(
        note for note in analysis.notes if note.kind in ("rest", "screen", "screen_first", "caution", "acute_injury")
    )
    return Plan(
        engine_version=ENGINE_VERSION,
        catalog_version=catalog.version,
        steps=tuple(builder.steps),
        notes=notes,
    )


class StepRefused(ValueError):
    """A practitioner's step the safety rules refuse; ``field`` names what to change, ``rule_ids`` the rules."""

    def __init__(self, field: str, message: str, rule_ids: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.rule_ids = rule_ids


def practitioner_step(
    visit: VisitInput,
    analysis: Analysis,
    catalog: Catalog,
    *,
    muscle: str,
    side: Side,
    reason: str,
    max_home_care: int = 4,
    home_care_given: int = 0,
    protocol: str | None = None,
) -> PlanStep:
    """The practitioner's own treatment step for ``muscle`` on ``side`` (``custom``, no rule ids: their judgement).

    Only a muscle charted in this visit (a finding or a muscle test, ``analysis.charted``), and never around the
    safety rules: one a positive red flag blocks is refused (TO-00, CS-03: StepRefused); one a screen holds
    (CS-02, CS-04) is pending, with no home care; home care follows the engine's own rules (a self-care tool rated
    good or ok, not practitioner-only, no rest or caution, a charted point to show where) and the sheet's limit
    (``home_care_given`` of ``max_home_care`` used already).  The step's order is 0: the caller places it.
    """
    name = catalog.muscle_name(muscle)
    if not reason.strip():
        raise StepRefused("reason", "Give the reason for this step (your clinical judgement).")
    entry: ChartedMuscle | None = next((c for c in analysis.charted if (c.muscle, c.side) == (muscle, side)), None)
    if entry is None:
        raise StepRefused(
            "muscle",
            f"{name} ({side}) is not charted in this visit: chart a finding or a muscle test for it first.",
        )
    if entry.blocked_by:
        blocked = ", ".join(entry.blocked_by)
        raise StepRefused(
            "muscle",
            f"{name} ({side}) lies in an area a positive red-flag screen blocks ({blocked}): no trigger-point work or "
            "self-care there until medically cleared; refer first (TO-00, CS-03).",
            (*entry.blocked_by, "TO-00", "CS-03"),
        )
    candidate = SourceCandidate(
        muscle=muscle,
        side=side,
        reason=reason,
        pattern="",
        rule_ids=(),
        sources=(),
        finding_id=entry.finding_ids[0] if entry.finding_ids else "",
        pending_screens=entry.pending_screens,
        home_care_hold=entry.home_care_hold,
        location=entry.location,
    )
    builder = _PlanBuilder(visit, analysis, catalog, max_home_care, protocol)
    builder.home_care_given = max(0, home_care_given)
    home_care, why_not = builder.home_care_for(candidate)
    remarks = ["Practitioner's own step: no catalog rule proposes it."]
    if entry.pending_screens:
        screens, why = ", ".join(entry.pending_screens), ", ".join(entry.hold_rules)
        remarks.insert(0, f"Screen first ({screens} not yet recorded negative): pending ({why}).")
    if builder.caution_rules:
        remarks.append(f"Positive {', '.join(builder.caution_rules)}: light pressure only, practitioner judgement.")
    if why_not:
        remarks.append(f"Home care: {why_not}")
    return PlanStep(
        order=0,
        kind="treat_trigger_point",
        muscle=muscle,
        side=side,
        stressor=None,
        rationale=f"{reason.strip()} ({' '.join(remarks)})",
        rule_ids=(),
        sources=(),
        home_care=home_care,
        pending_screens=entry.pending_screens,
        custom=True,
    )
