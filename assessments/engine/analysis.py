"""Clinical reasoning for one visit: red flags, symptom rules, kinetic-chain links, stressors, recurrence.

``analyse`` is pure and deterministic: the same ``VisitInput`` and ``Catalog`` always give an equal ``Analysis``.
Every item it produces carries the catalog rule ids and sources that produced it, and candidate muscles are
"muscles to examine", never a diagnosis (evidence_notes.trp_diagnosis; Delphi2018).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import history as hx
from . import recurrence
from .catalog import AK_LABEL, EVIDENCE_ORDER, Catalog, ChainLink, SafetyRule, SymptomRule, merge_unique
from .types import (
    Analysis,
    ChartedMuscle,
    DoNotTreat,
    Finding,
    Injury,
    MuscleTest,
    Note,
    Observation,
    PainSite,
    PatternKind,
    PatternMatch,
    RecurringPoint,
    RedFlag,
    Screening,
    ScreenNeeded,
    Side,
    SourceCandidate,
    Stressor,
    StressorItem,
    VisitInput,
)
from .version import ENGINE_VERSION

TENDER_THRESHOLD = 3
"""A finding with no other sign counts as a tender point from this palpation tenderness (0-10) upwards."""

ACUTE_DAYS = 42
"""CS-01 default (the catalog states it): an injury this many days old or younger is acute."""

EVIDENCE_WORDS = {
    "mainstream": "mainstream practice",
    "author_opinion": "the source author's opinion",
    "ak_tradition": AK_LABEL,
}

INJURY_LINK_TYPES = frozenset({"adjacent", "gait_cross_link", "remote_old_injury", "remote"})
"""Chain links that fire from the injury history (old or current injuries away from the pain; TO-03)."""

TENDON_INSERTION_ZONES = frozenset({"achilles", "posterior_heel", "plantar_heel", "lateral_thigh", "lateral_knee"})
"""Painful tendon/insertion sites (ITB, Achilles, plantar heel): work deep in the muscle away from them (U-2)."""

START_IN_LOWER_LEG_ZONES = frozenset({"achilles", "posterior_heel"})
"""Achilles pain: 'look for the trigger points around it, in the calf' (SYM-ACHILLES-POSTERIOR-HEEL, seed_001)."""

STATUS_RANK = {"active": 0, "latent": 1, "unknown": 2}
URGENCY_RANK = {"emergency": 0, "same_day": 1, "urgent": 2, "routine": 3}
SIDE_RANK = {"left": 0, "right": 1, "bilateral": 2, "midline": 3}
UNRANKED = 1_000

MUSCLE_TEST_REASON = (
    "the practitioner's muscle test found it inhibited before treatment, with no trigger point charted in it: examine "
    "it for trigger points; whether it normalises after treatment is recorded as practitioner judgement (U-3, TO-05; "
    "AK muscle-test results are practitioner-defined, not standardised)"
)
"""Why a muscle tested inhibited counts among the muscles to examine (U-3 step 2, TO-05; vocab.mmt_note)."""

TEST_ONLY_CARE_HOLD = (
    "none yet - no trigger point charted in this muscle (muscle test only): chart the point found to put it on the "
    "sheet (CS-08)."
)
"""Self-care needs a charted point to show the patient where (CS-08); a muscle test alone does not say where."""


def side_matches(a: str, b: str) -> bool:
    """Same side, or either side is bilateral/midline (which cannot exclude a side)."""
    return a == b or a in ("bilateral", "midline") or b in ("bilateral", "midline")


def side_relation_holds(relation: str, a: str, b: str) -> bool:
    """``same`` / ``contralateral`` / ``any`` between two charted sides (bilateral/midline never excludes)."""
    if relation == "any" or a in ("bilateral", "midline") or b in ("bilateral", "midline"):
        return True
    if relation == "contralateral":
        return a != b
    return a == b


def is_positive(finding: Finding) -> bool:
    """A charted trigger point worth reasoning about: a status, a recognised pain, a sign, or marked tenderness."""
    return (
        finding.status in ("active", "latent")
        or finding.recognized
        or finding.taut_band
        or finding.nodule
        or finding.twitch_response
        or finding.tenderness >= TENDER_THRESHOLD
    )


def is_active_stressor(stressor: Stressor, visit: VisitInput) -> bool:
    """Started on or before the visit (or undated) and not resolved by the visit date."""
    started = stressor.onset is None or stressor.onset <= visit.date
    unresolved = stressor.resolved_on is None or stressor.resolved_on > visit.date
    return started and unresolved


def injury_age_days(injury: Injury, on: dt.date) -> int | None:
    return (on - injury.occurred_on).days if injury.occurred_on is not None else None


def injury_is_acute(injury: Injury, on: dt.date, catalog: Catalog) -> bool:
    """CS-01: dated within the catalog's acute window (42 days) of ``on``, or undated and painful now."""
    age = injury_age_days(injury, on)
    if age is None:
        return injury.painful_now
    return 0 <= age <= int(catalog.param("CS-01", "acute_days", ACUTE_DAYS))


def merge_pairs(*groups: Iterable[tuple[str, Side]]) -> list[tuple[str, Side]]:
    """(muscle, side) pairs of several lists, each once, in order."""
    merged: dict[tuple[str, Side], None] = {}
    for group in groups:
        for pair in group:
            merged.setdefault(pair, None)
    return list(merged)


def screen_recorded(
    screenings: Iterable[Screening], rule: SafetyRule | None, rule_id: str, side: str, result: str
) -> bool:
    """A screen of ``rule_id`` with ``result`` that covers ``side``: one that records no side (or bilateral/midline)
    covers both; a one-sided screen covers its side; a rule that is not lateral ignores side (CS-03)."""
    sides = {s.side or None for s in screenings if s.rule == rule_id and s.result == result}
    if not sides:
        return False
    if rule is None or not rule.lateral or sides & {None, "bilateral", "midline"}:
        return True
    if side in ("bilateral", "midline"):
        return {"left", "right"} <= sides
    return side in sides


def describe_finding(finding: Finding, inhibited: bool = False, facilitated: bool = False) -> str:
    signs = [f"{finding.status} trigger point" if finding.status != "unknown" else "trigger point (status unknown)"]
    if finding.recognized:
        signs.append("reproduces the familiar pain")
    if finding.taut_band:
        signs.append("taut band")
    if finding.nodule:
        signs.append("nodule")
    if finding.twitch_response:
        signs.append("local twitch response")
    signs.append(f"tenderness {finding.tenderness}/10")
    if inhibited:
        signs.append("muscle test inhibited before treatment (practitioner observation)")
    if facilitated:
        signs.append("muscle test facilitated before treatment (practitioner observation)")
    return ", ".join(signs)


def describe_test(test: MuscleTest) -> str:
    return f"muscle test {test.result} before treatment, no trigger point charted - practitioner judgement (TO-05)"


@dataclass
class _Candidate:
    """Accumulates the evidence for one finding -- or one muscle tested inhibited with no finding in it (``test``) --
    while the rules run (mutable, internal)."""

    muscle: str
    side: Side
    inhibited: bool
    finding: Finding | None = None
    test: MuscleTest | None = None
    rank: int = UNRANKED
    pattern: str = ""
    rule_ids: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def add(self, rule_id: str, sources: Sequence[str], reason: str, rank: int = UNRANKED) -> None:
        if not self.pattern:
            self.pattern = rule_id
        if rule_id not in self.rule_ids:
            self.rule_ids.append(rule_id)
        for source in sources:
            if source not in self.sources:
                self.sources.append(source)
        if reason not in self.reasons:
            self.reasons.append(reason)
        self.rank = min(self.rank, rank)

    @property
    def id(self) -> str:
        """The finding's id, or "muscle-test:<id>" for a muscle test standing on its own."""
        if self.finding is not None:
            return self.finding.id
        return f"muscle-test:{self.test.id if self.test is not None else ''}"

    def key(self) -> tuple[int, int, int, int, int, int, str, int, str]:
        """U-3 / TO-05 order: active before latent before unknown; recognised pain first; AK muscle test
        (inhibited) next; then taut band, higher tenderness, and the rule's own candidate order.  A muscle test with
        no finding counts as a point of unknown status."""
        finding = self.finding
        return (
            STATUS_RANK.get(finding.status if finding is not None else "unknown", 2),
            0 if finding is not None and finding.recognized else 1,
            0 if self.inhibited else 1,
            0 if finding is not None and finding.taut_band else 1,
            -(finding.tenderness if finding is not None else 0),
            self.rank,
            self.muscle,
            SIDE_RANK.get(self.side, 9),
            self.id,
        )


@dataclass
class _Needed:
    """Accumulates one screen to record before treating (CS-02, CS-04) while the holds run (mutable, internal)."""

    rule: str
    side: Side | None
    reasons: list[str] = field(default_factory=list)
    muscles: list[str] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)

    def add(self, reason: str, rule_id: str, muscle: str | None) -> None:
        for bucket, item in ((self.reasons, reason), (self.rule_ids, rule_id), (self.muscles, muscle)):
            if item and item not in bucket:
                bucket.append(item)


@dataclass
class _Pattern:
    id: str
    name: str
    kind: PatternKind
    sources: tuple[str, ...]
    explanation: str
    evidence: list[str] = field(default_factory=list)

    def add_evidence(self, *items: str) -> None:
        for item in items:
            if item not in self.evidence:
                self.evidence.append(item)

    def freeze(self) -> PatternMatch:
        return PatternMatch(self.id, self.name, self.kind, tuple(self.evidence), self.explanation, self.sources)


class _Reasoner:
    """One analysis run: indexes the visit once, then applies the catalog rules in TO order."""

    def __init__(self, visit: VisitInput, catalog: Catalog) -> None:
        self.visit = visit
        self.catalog = catalog
        self.findings = tuple(f for f in visit.findings if is_positive(f))
        self.by_muscle: dict[str, list[Finding]] = {}
        self.by_referral_zone: dict[str, list[Finding]] = {}
        for finding in self.findings:
            self.by_muscle.setdefault(finding.muscle, []).append(finding)
            for zone in finding.referral_zones:
                self.by_referral_zone.setdefault(zone, []).append(finding)
        self.inhibited = frozenset(
            (test.muscle, test.side)
            for test in visit.muscle_tests
            if test.phase == "pre" and test.result == "inhibited"
        )
        self.facilitated = frozenset(
            (test.muscle, test.side)
            for test in visit.muscle_tests
            if test.phase == "pre" and test.result == "facilitated"
        )
        # Muscles tested inhibited before treatment with no positive finding in them on that side: they count as
        # muscles to examine on their own (U-3, TO-03, TO-05).
        self.tested: dict[str, list[MuscleTest]] = {}
        for test in visit.muscle_tests:
            if test.phase != "pre" or test.result != "inhibited":
                continue
            if any(side_matches(f.side, test.side) for f in self.by_muscle.get(test.muscle, ())):
                continue
            self.tested.setdefault(test.muscle, []).append(test)
        self.pain_sites = tuple(
            sorted(
                visit.pain_sites,
                key=lambda p: (0 if p.primary else 1, -(p.nprs or 0), p.zone, SIDE_RANK.get(p.side, 9)),
            )
        )
        self.active_stressors = tuple(
            sorted(
                (s for s in visit.stressors if is_active_stressor(s, visit)),
                key=lambda s: (-s.severity, s.kind, s.id),
            )
        )
        self.active_kinds = frozenset(s.kind for s in self.active_stressors)
        self.injuries = tuple(
            sorted(
                (i for i in visit.injuries if i.occurred_on is None or i.occurred_on <= visit.date),
                key=lambda i: (i.occurred_on is None, i.occurred_on, i.id),
            )
        )
        # HX-01: a complaint that began with a specific injury within the acute window is an acute injury at the main
        # painful site (the acute-injury rules then hold treatment there until its screens are negative).
        derived = hx.onset_injury(visit.history, self.pain_sites[0] if self.pain_sites else None, visit.date, catalog)
        if derived is not None:
            self.injuries = (*self.injuries, derived)
        self.acute = frozenset(i.id for i in self.injuries if injury_is_acute(i, visit.date, catalog))
        self.pending: dict[tuple[str, str], list[str]] = {}
        self.hold_rules: dict[tuple[str, str], list[str]] = {}
        self.care_hold: dict[tuple[str, str], str] = {}
        self.needed: dict[tuple[str, Side | None], _Needed] = {}
        self.sources: dict[str, _Candidate] = {}
        self.drivers: dict[str, _Candidate] = {}
        self.patterns: dict[str, _Pattern] = {}
        self.matched_rules: dict[str, SymptomRule] = {}
        self.fired_links: dict[str, ChainLink] = {}

    # ------------------------------------------------------------------------------------------------ helpers
    def is_inhibited(self, finding: Finding) -> bool:
        if (finding.muscle, finding.side) in self.inhibited:
            return True
        return any(muscle == finding.muscle and side_matches(side, finding.side) for muscle, side in self.inhibited)

    def is_facilitated(self, finding: Finding) -> bool:
        return any(muscle == finding.muscle and side_matches(side, finding.side) for muscle, side in self.facilitated)

    def candidate(self, bucket: dict[str, _Candidate], finding: Finding) -> _Candidate:
        entry = bucket.get(finding.id)
        if entry is None:
            entry = bucket[finding.id] = _Candidate(
                finding.muscle, finding.side, self.is_inhibited(finding), finding=finding
            )
        return entry

    def test_candidate(self, bucket: dict[str, _Candidate], test: MuscleTest) -> _Candidate:
        """A muscle tested inhibited, with no finding in it, as a muscle to examine; labelled practitioner judgement
        (TO-05) with the rules that name it."""
        entry = _Candidate(test.muscle, test.side, True, test=test)
        return bucket.setdefault(entry.id, entry)

    def subjects(self) -> list[tuple[str, str, Side]]:
        """(id, muscle, side) of everything charted that the holds concern: the positive findings, the muscles tested
        inhibited on their own, then every other finding and muscle test (a practitioner's own step may name them)."""
        found: dict[str, tuple[str, str, Side]] = {}
        for finding in self.findings:
            found.setdefault(finding.id, (finding.id, finding.muscle, finding.side))
        for tests in self.tested.values():
            for test in tests:
                found.setdefault(f"muscle-test:{test.id}", (f"muscle-test:{test.id}", test.muscle, test.side))
        for finding in self.visit.findings:
            found.setdefault(finding.id, (finding.id, finding.muscle, finding.side))
        for test in self.visit.muscle_tests:
            found.setdefault(f"muscle-test:{test.id}", (f"muscle-test:{test.id}", test.muscle, test.side))
        return list(found.values())

    def node_of(self, zone: str) -> str | None:
        found = self.catalog.zones.get(zone)
        return found.node if found else None

    def pain_text(self, pain: PainSite) -> str:
        nprs = f", NPRS {pain.nprs}/10" if pain.nprs is not None else ""
        primary = ", primary" if pain.primary else ""
        return f"pain: {self.catalog.zone_label(pain.zone)} ({pain.side}{nprs}{primary})"

    def finding_text(self, finding: Finding) -> str:
        name = self.catalog.muscle_name(finding.muscle)
        described = describe_finding(finding, self.is_inhibited(finding), self.is_facilitated(finding))
        return f"finding: {name} ({finding.side}) - {described}"

    def test_text(self, test: MuscleTest) -> str:
        name = self.catalog.muscle_name(test.muscle)
        return f"muscle test: {name} ({test.side}) inhibited before treatment (practitioner observation)"

    # -------------------------------------------------------------------------------------------- red flags
    def red_flags(self) -> tuple[RedFlag, ...]:
        """TO-00: every positive screen whose rule the catalog knows (unknown ids are validated upstream)."""
        positive: dict[tuple[str, Side | None], str] = {}
        for screening in self.visit.screenings:
            rule = self.catalog.safety_rules.get(screening.rule)
            if screening.result == "positive" and rule is not None:
                key = (screening.rule, screening.side or None if rule.lateral else None)
                detail = positive.get(key)
                positive[key] = (
                    screening.detail
                    if detail is None
                    else "; ".join(part for part in (detail, screening.detail) if part)
                )
        keys = sorted(
            positive,
            key=lambda key: (
                0 if self.catalog.safety_rules[key[0]].refers else 1,
                URGENCY_RANK.get(self.catalog.safety_rules[key[0]].urgency or "", 9),
                key[0],
                SIDE_RANK.get(key[1] or "", -1),
            ),
        )
        return tuple(self._red_flag(self.catalog.safety_rules[key[0]], key[1], positive[key]) for key in keys)

    def _red_flag(self, rule: SafetyRule, side: Side | None, detail: str) -> RedFlag:
        """TO-00 / CS-03: the flag blocks its area (the whole limb, for a possible fracture or clot of a limb) on the
        side the screen records."""
        blocked = self.catalog.blocked_for_pain(rule.id, (pain.zone for pain in self.pain_sites))
        return RedFlag(
            rule=rule.id,
            detail=detail,
            condition=rule.condition,
            action=rule.action,
            urgency=rule.urgency,
            refers=rule.refers,
            blocks_all=rule.systemic,
            blocked_regions=tuple(self.catalog.regions) if rule.systemic else rule.regions,
            blocked_zones=tuple(self.catalog.zones) if rule.systemic else rule.zones,
            blocked_muscles=tuple(sorted(blocked)),
            sources=rule.sources,
            side=side,
            lateral=rule.lateral,
            reach="body" if rule.systemic else rule.reach,
        )

    # ------------------------------------------------------------------------------------------ symptom rules
    def symptom_rules(self) -> None:
        """U-3: each pain zone matches the rules listing it; charted findings in the candidate muscles (same side, or
        any side for bilateral/midline pain) and findings charted as referring into the zone become sources."""
        for pain in self.pain_sites:
            rules = self.catalog.rules_by_zone.get(pain.zone, ())
            for rule in rules:
                self.matched_rules.setdefault(rule.id, rule)
                pattern = self.patterns.get(rule.id)
                if pattern is None:
                    pattern = self.patterns[rule.id] = _Pattern(
                        rule.id, rule.name, "symptom_rule", rule.sources, self._rule_explanation(rule)
                    )
                pattern.add_evidence(self.pain_text(pain))
                for position, candidate in enumerate(rule.candidates):
                    for finding in self.by_muscle.get(candidate.muscle, ()):
                        if not side_matches(pain.side, finding.side):
                            continue
                        reason = (
                            f"#{position + 1} of {len(rule.candidates)} muscles to examine for "
                            f"{rule.name.lower()} ({rule.id}; basis: {', '.join(candidate.basis)})"
                        )
                        self.candidate(self.sources, finding).add(rule.id, rule.sources, reason, position)
                        pattern.add_evidence(self.finding_text(finding))
                    for test in self.tested.get(candidate.muscle, ()):
                        if not side_matches(pain.side, test.side):
                            continue
                        reason = (
                            f"#{position + 1} of {len(rule.candidates)} muscles to examine for "
                            f"{rule.name.lower()} ({rule.id}; basis: {', '.join(candidate.basis)})"
                        )
                        self.test_candidate(self.sources, test).add(rule.id, rule.sources, reason, position)
                        pattern.add_evidence(self.test_text(test))
            for finding in self.by_referral_zone.get(pain.zone, ()):
                if not side_matches(pain.side, finding.side):
                    continue
                rule_id = rules[0].id if rules else "U-3"
                sources = rules[0].sources if rules else self.catalog.principles["U-3"].sources
                rank = self.catalog.candidate_rank.get((rule_id, finding.muscle), UNRANKED)
                reason = f"charted as referring into the {self.catalog.zone_label(pain.zone).lower()}"
                self.candidate(self.sources, finding).add(rule_id, sources, reason, rank)
                if rules:
                    self.patterns[rule_id].add_evidence(self.finding_text(finding))

    def _rule_explanation(self, rule: SymptomRule) -> str:
        muscles = ", ".join(self.catalog.muscle_name(c.muscle) for c in rule.candidates)
        parts = [
            f"Muscles to examine for {rule.name.lower()}, in the catalog's order: {muscles}. "
            "These are muscles to examine, not a diagnosis (U-3)."
        ]
        if rule.precondition:
            parts.append(f"Before this rule: {rule.precondition}")
        if rule.treat_site_note:
            parts.append(f"Where to work: {rule.treat_site_note}")
        if rule.note:
            parts.append(f"Note: {rule.note}")
        if rule.kinetic_chain_check:
            parts.append(f"Also check: {rule.kinetic_chain_check}.")
        if rule.ak_note:
            note = rule.ak_note if AK_LABEL in rule.ak_note else f"{rule.ak_note} ({AK_LABEL})"
            parts.append(f"AK note: {note}")
        return " ".join(parts)

    # ---------------------------------------------------------------------------------------- kinetic chain
    def kinetic_chain(self) -> None:
        """Chain links fire from the injury history (TO-03), from stressors or abdominal pain (KC-X5, KC-X8) and from
        findings (KC-X6, KC-X7); they are matched against the pain sites' nodes (kinetic_chain.zone_to_node)."""
        gait_links = set(self.catalog.param("HX-06", "link_types", ()))
        for link in self.catalog.chain_links:
            if link.type in gait_links:
                self._observation_link(link)
            if link.type in INJURY_LINK_TYPES:
                self._injury_link(link)
            elif link.origin_kind == "muscle":
                self._finding_link(link)
            else:
                self._stressor_link(link)

    def _pattern_for(self, link: ChainLink) -> _Pattern:
        pattern = self.patterns.get(link.id)
        if pattern is None:
            claim = link.claim if link.claim.endswith(".") else f"{link.claim}."
            explanation = f"{claim} Evidence: {link.evidence}."
            if link.is_ak and AK_LABEL not in explanation:
                explanation += f" {AK_LABEL}."
            if link.type in INJURY_LINK_TYPES:
                explanation += (
                    " Examine the injured region; trigger points or an inhibited muscle there are treated before the "
                    "painful region (TO-03)."
                )
            pattern = self.patterns[link.id] = _Pattern(link.id, link.name, "kinetic_chain", link.sources, explanation)
        self.fired_links.setdefault(link.id, link)
        return pattern

    def _injury_link(self, link: ChainLink) -> None:
        directions = [(link.origin, link.targets)]
        if link.type == "adjacent":
            directions.append((link.targets, link.origin))
        for injury in self.injuries:
            if injury.id in self.acute:
                continue
            injury_node = self.node_of(injury.zone)
            if injury_node is None:
                continue
            for origin, targets in directions:
                if injury_node not in origin:
                    continue
                for pain in self.pain_sites:
                    pain_node = self.node_of(pain.zone)
                    if pain_node is None or pain_node == injury_node or pain_node not in targets:
                        continue
                    if not side_relation_holds(link.side_relation, injury.side, pain.side):
                        continue
                    self._fire_injury_link(link, injury, injury_node, pain, pain_node)

    def _fire_injury_link(self, link: ChainLink, injury: Injury, node: str, pain: PainSite, pain_node: str) -> None:
        """Findings in the injured region (its node, or the link's examine list), on the injury's side, become remote
        drivers; a muscle that also lies at the painful node stays a local source."""
        pattern = self._pattern_for(link)
        pattern.add_evidence(self._injury_text(injury), self.pain_text(pain))
        region_label = f"{injury.side} {self.catalog.zone_label(injury.zone).lower()}"
        findings, tests = self._in_region(link, node, pain_node, injury.side)
        for finding in findings:
            reason = (
                f"in the region of the old injury ({region_label}), linked to the "
                f"{self.catalog.zone_label(pain.zone).lower()} pain by {link.id} ({link.name.lower()}): "
                "treat it before the painful region (TO-03)"
            )
            self.candidate(self.drivers, finding).add(link.id, link.sources, reason)
            pattern.add_evidence(self.finding_text(finding))
        for test in tests:
            reason = (
                f"in the region of the old injury ({region_label}), linked to the "
                f"{self.catalog.zone_label(pain.zone).lower()} pain by {link.id} ({link.name.lower()}): an "
                "inhibited muscle there is treated before the painful region (TO-03)"
            )
            entry = self.test_candidate(self.drivers, test)
            entry.add(link.id, link.sources, reason)
            entry.add("TO-03", self.catalog.rule_sources("TO-03"), reason)
            pattern.add_evidence(self.test_text(test))
        names = ", ".join(self.catalog.muscle_name(m) for m in link.examine_muscles.get(node, ()))
        if names:
            pattern.add_evidence(f"examine ({injury.side} {node.replace('_', ' ')}): {names}")

    def _in_region(
        self, link: ChainLink, node: str, pain_node: str, side: str
    ) -> tuple[list[Finding], list[MuscleTest]]:
        """The positive findings and the muscles tested inhibited in a link's origin region (its node, or the link's
        examine list) on ``side``: the remote drivers a fired link names. A muscle that also lies at the painful node
        stays a local source."""
        examine = set(link.examine_muscles.get(node, ())) | set(link.examine_muscles.get("any", ()))

        def in_region(slug: str) -> bool:
            muscle = self.catalog.muscles.get(slug)
            nodes = muscle.nodes if muscle is not None else ()
            return (slug in examine or node in nodes) and pain_node not in nodes

        findings = [f for f in self.findings if in_region(f.muscle) and side_matches(side, f.side)]
        tests = [
            test
            for slug, tested in self.tested.items()
            if in_region(slug)
            for test in tested
            if side_matches(side, test.side)
        ]
        return findings, tests

    def _observation_link(self, link: ChainLink) -> None:
        """HX-06: a gait observation on one side (reduced arm swing, a limp) fires the contralateral gait link from
        its region to pain on the other side: the observed region, on the observed side, is examined as a possible
        remote driver (findings or inhibited muscles there become drivers)."""
        kinds = self.catalog.history.observations
        for observation in self.visit.observations:
            kind = kinds.get(observation.kind)
            if kind is None or not kind.gait or observation.side not in ("left", "right"):
                continue
            for origin, targets in ((link.origin, link.targets), (link.targets, link.origin)):
                if kind.node not in origin:
                    continue
                for pain in self.pain_sites:
                    pain_node = self.node_of(pain.zone)
                    if pain_node is None or pain_node == kind.node or pain_node not in targets:
                        continue
                    if not side_relation_holds(link.side_relation, observation.side, pain.side):
                        continue
                    self._fire_observation_link(link, observation, kind.node, pain, pain_node)

    def _fire_observation_link(
        self, link: ChainLink, observation: Observation, node: str, pain: PainSite, pain_node: str
    ) -> None:
        pattern = self._pattern_for(link)
        label = self.catalog.history.label("observations", observation.kind).lower()
        side = observation.side or ""
        region = f"{side} {node.replace('_', ' ')}"
        pattern.add_evidence(
            f"observation: {label} ({side}){f' - {observation.detail}' if observation.detail else ''}",
            self.pain_text(pain),
        )
        names = ", ".join(self.catalog.muscle_name(m) for m in link.examine_muscles.get(node, ()))
        if names:
            pattern.add_evidence(f"examine ({region}, because of the {label}; HX-06): {names}")
        sources = merge_unique(link.sources, self.catalog.rule_sources("HX-06"))
        reason = (
            f"in the {region} region, where the {label} was observed, linked to the "
            f"{self.catalog.zone_label(pain.zone).lower()} pain by {link.id} ({link.name.lower()}; HX-06): examine "
            "and treat it before the painful region (TO-03)"
        )
        findings, tests = self._in_region(link, node, pain_node, side)
        for finding in findings:
            entry = self.candidate(self.drivers, finding)
            entry.add(link.id, link.sources, reason)
            entry.add("HX-06", sources, reason)
            pattern.add_evidence(self.finding_text(finding))
        for test in tests:
            entry = self.test_candidate(self.drivers, test)
            entry.add(link.id, link.sources, reason)
            entry.add("HX-06", sources, reason)
            pattern.add_evidence(self.test_text(test))

    def _injury_text(self, injury: Injury) -> str:
        when = f", {injury.occurred_on.isoformat()}" if injury.occurred_on else ""
        now = "painful now" if injury.painful_now else "not painful now"
        what = f": {injury.description}" if injury.description else ""
        return f"injury: {self.catalog.zone_label(injury.zone)} ({injury.side}{when}, {now}){what}"

    def _finding_link(self, link: ChainLink) -> None:
        """KC-X6 / KC-X7: findings in the link's muscles become sources for pain at the linked node, same side."""
        for pain in self.pain_sites:
            if self.node_of(pain.zone) not in link.targets:
                continue
            for muscle in link.origin:
                for finding in self.by_muscle.get(muscle, ()):
                    if not side_relation_holds(link.side_relation, finding.side, pain.side):
                        continue
                    pattern = self._pattern_for(link)
                    pattern.add_evidence(self.finding_text(finding), self.pain_text(pain))
                    rules = self.catalog.rules_by_zone.get(pain.zone, ())
                    rank = min(
                        (self.catalog.candidate_rank.get((rule.id, muscle), UNRANKED) for rule in rules),
                        default=UNRANKED,
                    )
                    reason = f"{link.id}: {link.claim}"
                    self.candidate(self.sources, finding).add(link.id, link.sources, reason, rank)

    def _stressor_link(self, link: ChainLink) -> None:
        """KC-X5 (abdominal distension, or abdominal pain) and KC-X8 (training/recovery stress, AK tradition)."""
        triggers = [s for s in self.active_stressors if s.kind in link.trigger_stressors]
        origin_pain = [p for p in self.pain_sites if self.node_of(p.zone) in link.origin]
        target_pain = [p for p in self.pain_sites if self.node_of(p.zone) in link.targets]
        if not target_pain or not (triggers or origin_pain):
            return
        pattern = self._pattern_for(link)
        pattern.add_evidence(*(f"stressor: {self._kind_label(s.kind)} (severity {s.severity})" for s in triggers))
        pattern.add_evidence(*(self.pain_text(p) for p in origin_pain + target_pain))
        muscles = list(link.examine_muscles.get("any", ()))
        for node in link.targets:
            muscles.extend(link.examine_muscles.get(node, ()))
        for stressor in triggers:
            kind = self.catalog.stressor_kinds.get(stressor.kind)
            if kind is not None:
                muscles.extend(kind.target_muscles)
        label = f" ({AK_LABEL})" if link.is_ak else ""
        for pain in target_pain:
            rules = self.catalog.rules_by_zone.get(pain.zone, ())
            reason = f"{link.id} ({link.name.lower()}){label}"
            for muscle in merge_unique(muscles):
                rank = min(
                    (self.catalog.candidate_rank.get((rule.id, muscle), UNRANKED) for rule in rules),
                    default=UNRANKED,
                )
                for finding in self.by_muscle.get(muscle, ()):
                    if not side_matches(pain.side, finding.side):
                        continue
                    self.candidate(self.sources, finding).add(link.id, link.sources, reason, rank)
                    pattern.add_evidence(self.finding_text(finding))
                for test in self.tested.get(muscle, ()):
                    if not side_matches(pain.side, test.side):
                        continue
                    self.test_candidate(self.sources, test).add(link.id, link.sources, reason, rank)
                    pattern.add_evidence(self.test_text(test))

    # ------------------------------------------------------------------------------------------------- holds
    def screened(self, rule_id: str, side: str, result: str) -> bool:
        return screen_recorded(self.visit.screenings, self.catalog.safety_rules.get(rule_id), rule_id, side, result)

    def _need(self, rule_id: str, side: Side | None, reason: str, cs_rule: str, muscle: str | None) -> None:
        rule = self.catalog.safety_rules.get(rule_id)
        key_side = side if rule is not None and rule.lateral else None
        entry = self.needed.get((rule_id, key_side))
        if entry is None:
            entry = self.needed[(rule_id, key_side)] = _Needed(rule_id, key_side)
        entry.add(reason, cs_rule, muscle)

    def _hold(self, key: tuple[str, str], rule_ids: Sequence[str], cs_rule: str) -> None:
        bucket = self.pending.setdefault(key, [])
        bucket.extend(rule_id for rule_id in rule_ids if rule_id not in bucket)
        why = self.hold_rules.setdefault(key, [])
        if cs_rule not in why:
            why.append(cs_rule)

    def acute_injury_holds(self) -> None:
        """CS-01 / CS-02 / TO-02: around an acute injury (its node and the adjacent ones, on its side) no trigger-point
        work or self-care until the screens that exclude fracture or tendon tear there are negative; once they are,
        self-care stays off the injured node itself (SAFE-S1)."""
        catalog = self.catalog
        fallback = str(catalog.param("CS-02", "fallback_screen", "SAFE-S2"))
        candidates = {c.id for c in (*self.sources.values(), *self.drivers.values())}
        subjects = self.subjects()
        for injury in self.injuries:
            node = self.node_of(injury.zone)
            if injury.id not in self.acute or node is None:
                continue
            near = {node} | set(catalog.adjacent_nodes.get(node, ()))
            required = catalog.injury_screens.get(injury.zone) or (
                (fallback,) if fallback in catalog.safety_rules else ()
            )
            missing = [
                rule_id
                for rule_id in required
                if not self.screened(rule_id, injury.side, "negative")
                and not self.screened(rule_id, injury.side, "positive")
            ]
            age = injury_age_days(injury, self.visit.date)
            when = f"{age} days ago" if age is not None else "date not recorded, painful now"
            label = catalog.zone_label(injury.zone).lower()
            for rule_id in missing:
                condition = catalog.safety_rules[rule_id].condition
                reason = (
                    f"Acute injury ({injury.side} {label}, {when}): record {rule_id} ({condition}) before any "
                    f"trigger-point work or self-care in or next to the injured region (CS-02, TO-02)."
                )
                self._need(rule_id, injury.side, reason, "CS-02", None)
            for subject_id, muscle_slug, side in subjects:
                muscle = catalog.muscles.get(muscle_slug)
                nodes = set(muscle.nodes) if muscle is not None else set()
                if not nodes & near or not side_matches(injury.side, side):
                    continue
                key = (muscle_slug, side)
                if missing:
                    self._hold(key, missing, "CS-02")
                    if subject_id in candidates:
                        for rule_id in missing:
                            self._need(rule_id, injury.side, "", "CS-02", muscle_slug)
                elif node in nodes:
                    self.care_hold[key] = (
                        f"withheld - acute injury at the {label}: the practitioner works around it first, never on "
                        "it (TO-02, SAFE-S1)."
                    )

    def history_holds(self) -> None:
        """HX-02: night pain, constant unremitting pain or systemic signs ask for the screen that matches each painful
        region (its chain node) before any treatment there; systemic signs ask for the serious-pathology screen, which
        holds treatment everywhere. Until the screen is recorded, the muscles at or referring into that pain are
        pending it. A reason to screen, never a diagnosis."""
        catalog = self.catalog
        history = self.visit.history
        patterns = hx.warning_patterns(history, catalog)
        systemic = tuple(history.systemic_signs) if history is not None else ()
        if not patterns and not systemic:
            return
        words = [catalog.history.label("patterns", p).lower() for p in patterns]
        words += [catalog.history.label("systemic_signs", s).lower() for s in systemic]
        what = "; ".join(words)
        wanted: dict[str, list[PainSite | None]] = {}
        for site in self.pain_sites:
            if patterns:
                wanted.setdefault(hx.screen_for_node(self.node_of(site.zone), catalog), []).append(site)
        systemic_screen = str(catalog.param("HX-02", "systemic_screen", ""))
        if systemic and systemic_screen:
            wanted.setdefault(systemic_screen, []).append(None)
        if patterns and not self.pain_sites:
            wanted.setdefault(hx.screen_for_node(None, catalog), []).append(None)
        candidates = {c.id for c in (*self.sources.values(), *self.drivers.values())}
        subjects = self.subjects()
        for rule_id, pains in wanted.items():
            rule = catalog.safety_rules.get(rule_id)
            if rule is None:
                continue
            for pain in pains:
                side: Side | None = pain.side if pain is not None else None
                if self.screened(rule_id, side or "bilateral", "negative") or self.screened(
                    rule_id, side or "bilateral", "positive"
                ):
                    continue
                where = f"the {catalog.zone_label(pain.zone).lower()} ({pain.side})" if pain else "any area"
                reason = (
                    f"History: {what} (HX-02): record {rule_id} ({rule.condition}) before treating {where}. A reason "
                    "to screen, not a diagnosis."
                )
                self._need(rule_id, side, reason, "HX-02", None)
                for subject_id, muscle_slug, subject_side in subjects:
                    muscle = catalog.muscles.get(muscle_slug)
                    if pain is not None and not rule.systemic:
                        node = self.node_of(pain.zone)
                        here = muscle is not None and (node in muscle.nodes or pain.zone in muscle.referral_zones)
                        if not here or not side_matches(pain.side, subject_side):
                            continue
                    key = (muscle_slug, subject_side)
                    self._hold(key, (rule_id,), "HX-02")
                    if subject_id in candidates:
                        self._need(rule_id, side, "", "HX-02", muscle_slug)

    def endangerment_holds(self) -> None:
        """CS-04: a muscle over an endangerment site waits for its screen to be recorded negative; a proposed one
        lists the screen among those needed (any other charted one is held too, for a practitioner's own step)."""
        proposed = [(c.muscle, c.side) for c in (*self.sources.values(), *self.drivers.values())]
        others = [(muscle, side) for _, muscle, side in self.subjects()]
        for key in merge_pairs(proposed, others):
            muscle_slug, side = key
            muscle = self.catalog.muscles.get(muscle_slug)
            if muscle is None or not muscle.requires_screens:
                continue
            missing = [
                rule_id
                for rule_id in muscle.requires_screens
                if rule_id in self.catalog.safety_rules
                and not self.screened(rule_id, side, "negative")
                and not self.screened(rule_id, side, "positive")
            ]
            if not missing:
                continue
            self._hold(key, missing, "CS-04")
            if key not in proposed:
                continue
            for rule_id in missing:
                condition = self.catalog.safety_rules[rule_id].condition
                reason = (
                    f"{muscle.name} lies over an endangerment site ({muscle.endangerment_site}): record {rule_id} "
                    f"({condition}) negative before treating it (CS-04)."
                )
                self._need(rule_id, side, reason, "CS-04", muscle_slug)

    def screens_needed(self) -> tuple[ScreenNeeded, ...]:
        result = []
        for (rule_id, side), entry in sorted(
            self.needed.items(), key=lambda kv: (kv[0][0], SIDE_RANK.get(kv[0][1] or "", -1))
        ):
            rule = self.catalog.safety_rules[rule_id]
            result.append(
                ScreenNeeded(
                    rule=rule_id,
                    side=side,
                    condition=rule.condition,
                    reason=" ".join(entry.reasons),
                    muscles=tuple(entry.muscles),
                    rule_ids=merge_unique(entry.rule_ids, (rule_id,)),
                    sources=self.catalog.rule_sources(*entry.rule_ids, rule_id),
                )
            )
        return tuple(result)

    def history_support(self) -> dict[str, tuple[str, str]]:
        """Stressor kind -> (HX rule, why) for what the history supports (HX-03 sitting, HX-04 mornings, HX-07 hard
        self-rolling on the painful spot)."""
        return hx.supported_stressors(
            self.visit.history, self.visit.treatments, (p.zone for p in self.pain_sites), self.catalog
        )

    def history_notes(self) -> list[Note]:
        """HX-01: acute, subacute or chronic from the onset (with the mechanism and course charted); HX-03/04/07: a
        stressor the history supports that is not charted yet, to ask about."""
        catalog = self.catalog
        history = self.visit.history
        notes: list[Note] = []
        if history is not None:
            acuity = hx.acuity(history, self.visit.date, catalog)
            parts = []
            if acuity:
                days = hx.onset_days(history, self.visit.date)
                parts.append(f"{acuity.capitalize()}: began {days} days ago ({history.onset})")
            if history.mechanism:
                parts.append(catalog.history.label("mechanisms", history.mechanism).lower())
            if history.course:
                parts.append(catalog.history.label("courses", history.course).lower())
            if hx.HISTORY_INJURY_ID in self.acute:
                parts.append("an acute injury: the acute-injury rules apply at the main painful site (CS-01, CS-02)")
            if parts:
                notes.append(
                    Note(
                        kind="history",
                        text=f"History: {'; '.join(parts)} (HX-01).",
                        rule_ids=("HX-01", "CS-01", "CS-02") if hx.HISTORY_INJURY_ID in self.acute else ("HX-01",),
                        sources=catalog.rule_sources("HX-01"),
                    )
                )
        charted = {s.kind for s in self.active_stressors}
        for kind, (rule_id, why) in sorted(self.history_support().items()):
            if kind in charted:
                continue
            notes.append(
                Note(
                    kind="ask",
                    text=(
                        f"Ask about {self._kind_label(kind).lower()}: {why} ({rule_id}); chart it as a stressor if it "
                        "applies."
                    ),
                    rule_ids=(rule_id,),
                    sources=catalog.rule_sources(rule_id),
                )
            )
        return notes

    def _kind_label(self, kind_id: str) -> str:
        kind = self.catalog.stressor_kinds.get(kind_id)
        return kind.label if kind else kind_id.replace("_", " ")

    # -------------------------------------------------------------------------------------------- stressors
    def stressors(self) -> tuple[StressorItem, ...]:
        """U-4 / TO-01: every active stressor, those linked to today's patterns first, each with its reason."""
        """CS-07 order: severity, then the strength of the evidence for the link, then whether the complaint's rule
        names it (then whether anything of today links to it); each item says why it stands where it does."""
        charted = {c.muscle for c in (*self.sources.values(), *self.drivers.values()) if c.finding is not None}
        examined = {c.muscle for rule in self.matched_rules.values() for c in rule.candidates}
        charted_regions = {self.catalog.muscles[m].region for m in charted if m in self.catalog.muscles}
        items: list[tuple[tuple[int, int, int, int], StressorItem]] = []
        history_support = self.history_support()
        for stressor in self.active_stressors:
            kind = self.catalog.stressor_kinds.get(stressor.kind)
            reasons: list[str] = []
            rule_ids: list[str] = []
            sources: list[str] = []
            named_by: list[str] = []
            for rule in self.matched_rules.values():
                if stressor.kind in rule.stressors_to_check:
                    reasons.append(f"{rule.name} ({rule.id}) lists it as a stressor to check")
                    rule_ids.append(rule.id)
                    named_by.append(rule.id)
                    sources.extend(rule.sources)
            for link in self.fired_links.values():
                if stressor.kind in link.trigger_stressors:
                    label = f" ({AK_LABEL})" if link.is_ak else ""
                    reasons.append(f"{link.id}: {link.claim}{label}")
                    rule_ids.append(link.id)
                    sources.extend(link.sources)
            if kind is not None:
                overlap = [m for m in kind.target_muscles if m in charted]
                to_examine = [m for m in kind.target_muscles if m in examined and m not in charted]
                regions = [r for r in kind.target_regions if r in charted_regions]
                if overlap:
                    names = ", ".join(self.catalog.muscle_name(m) for m in overlap)
                    reasons.append(f"the seed claim links it to trigger points in {names} (charted today)")
                elif to_examine:
                    names = ", ".join(self.catalog.muscle_name(m) for m in to_examine)
                    reasons.append(f"the seed claim links it to {names}, muscles to examine for today's complaint")
                elif regions:
                    reasons.append(f"the seed claim links it to the {', '.join(regions)} region of today's findings")
                if kind.ak_label and reasons:
                    reasons.append(kind.ak_label if AK_LABEL in kind.ak_label else f"{kind.ak_label} ({AK_LABEL})")
                sources.extend(kind.sources)
            support = history_support.get(stressor.kind)
            if support is not None:  # HX-03, HX-04, HX-07
                rule_id, why = support
                reasons.append(f"{why} ({rule_id})")
                rule_ids.append(rule_id)
                named_by.append(rule_id)
                sources.extend(self.catalog.rule_sources(rule_id))
            change = hx.change_before_onset(self.visit.history, stressor, self.catalog)
            if change:  # HX-05
                reasons.append(f"{change} (HX-05)")
                rule_ids.append("HX-05")
                named_by.append("HX-05")
                sources.extend(self.catalog.rule_sources("HX-05"))
            if stressor.kind == "over_aggressive_treatment":
                reasons.append(
                    "over-treating may inflame the area; sore the next day means stop and rest (TO-09, SAFE-S3)"
                )
                rule_ids.extend(("TO-09", "SAFE-S3"))
                sources.extend(self.catalog.treatment_order_rules["TO-09"].sources)
            relevant = bool(reasons)
            if not relevant:
                reasons.append("recorded stressor; address the WHY as well as the WHERE (U-4)")
            rule_ids.extend(("U-4", "TO-01"))
            sources.extend(self.catalog.principles["U-4"].sources)
            sources.extend(self.catalog.treatment_order_rules["TO-01"].sources)
            detail = f" ({stressor.detail})" if stressor.detail else ""
            label = kind.label if kind else stressor.kind.replace("_", " ")
            evidence = kind.evidence if kind else "author_opinion"
            evidence_rank = EVIDENCE_ORDER.index(evidence) if evidence in EVIDENCE_ORDER else len(EVIDENCE_ORDER)
            order_reason = (
                f"Severity {stressor.severity}/3; evidence for the link: {EVIDENCE_WORDS.get(evidence, evidence)}; "
                + (f"named by {', '.join(named_by)}" if named_by else "not named by today's complaint rule")
                + " (CS-07)."
            )
            rule_ids.append("CS-07")
            sources.extend(self.catalog.rule_sources("CS-07"))
            item = StressorItem(
                id=stressor.id,
                kind=stressor.kind,
                reason=f"{label}{detail}: " + "; ".join(reasons) + ".",
                rule_ids=merge_unique(rule_ids),
                sources=merge_unique(sources),
                label=label,
                category=kind.category if kind else stressor.category,
                severity=stressor.severity,
                patient_action=kind.patient_action if kind else "",
                evidence=evidence,
                order_reason=order_reason,
            )
            rank = (-stressor.severity, evidence_rank, 0 if named_by else 1, 0 if relevant else 1)
            items.append((rank, item))
        items.sort(key=lambda pair: (pair[0], pair[1].kind, pair[1].id))
        return tuple(item for _, item in items)

    # ------------------------------------------------------------------------------------------- recurrence
    def recurring(self) -> tuple[RecurringPoint, ...]:
        """TO-08 / SAFE-S6 as CS-05 defines them (``recurrence``): tender at 3 or more consecutive visits, this one
        included, and not improving since the previous visit.  An improving point is never listed."""
        visit = self.visit
        priors = sorted(
            (p for p in visit.prior_visits if p.id != visit.id and p.date <= visit.date),
            key=lambda p: (p.date, p.id),
        )
        history = [p.findings for p in priors] + [visit.findings]
        sources = self.catalog.rule_sources("TO-08", "SAFE-S6", "CS-05")
        points = []
        courses = recurrence.courses(history, self.catalog)
        for (muscle, side), (course, states) in sorted(
            courses.items(), key=lambda kv: (-kv[1][0].streak, kv[0][0], SIDE_RANK.get(kv[0][1], 9))
        ):
            if not course.recurring:
                continue
            values = " -> ".join(f"{state.tenderness}" for state in states[-course.streak :] if state is not None)
            advice = (
                f"{self.catalog.muscle_name(muscle)} ({side}) has been tender at {course.streak} consecutive visits "
                f"({values}/10) without improving: the true source is probably not corrected, and working the point "
                "again may even be making it worse (SAFE-S6). Re-prioritise the stressors, consider another therapy "
                "(acupuncture, chiropractic, other bodywork) or refer (TO-08, CS-05)."
            )
            points.append(
                RecurringPoint(
                    muscle=muscle,
                    side=side,  # type: ignore[arg-type]
                    visits=course.streak,
                    advice=advice,
                    rule_ids=("TO-08", "SAFE-S6", "CS-05"),
                    sources=sources,
                )
            )
        return tuple(points)

    # ----------------------------------------------------------------------------------------- do not treat
    def do_not_treat(self) -> tuple[DoNotTreat, ...]:
        """U-2 / TO-04: the painful site is never the treatment target; tendon pain -> deep in the muscle; foot pain
        -> start in the lower leg."""
        u2 = self.catalog.principles["U-2"]
        to04 = self.catalog.treatment_order_rules["TO-04"]
        items: list[DoNotTreat] = []
        seen: set[tuple[str, str]] = set()
        for pain in self.pain_sites:
            if (pain.zone, pain.side) in seen:
                continue
            seen.add((pain.zone, pain.side))
            node = self.node_of(pain.zone)
            label = self.catalog.zone_label(pain.zone).lower()
            text = [
                f"Do not work on the painful {label} itself: the source is usually proximal or distal to it, on the "
                "muscle (U-2)."
            ]
            rule_ids = ["U-2", "TO-04"]
            sources = list(u2.sources) + list(to04.sources)
            if pain.zone in TENDON_INSERTION_ZONES:
                text.append(
                    "Tendon or insertion pain: look deep in the muscle belly, not on the already tender insertion."
                )
            start_in = None
            if node == "foot" or pain.zone in START_IN_LOWER_LEG_ZONES:
                start_in = "lower_leg"
                text.append("Start in the lower leg, then the foot (TO-04).")
            for rule in self.catalog.rules_by_zone.get(pain.zone, ()):
                if rule.treat_site_note:
                    text.append(f"{rule.id}: {rule.treat_site_note}")
                    rule_ids.append(rule.id)
                    sources.extend(rule.sources)
            items.append(
                DoNotTreat(
                    zone=pain.zone,
                    side=pain.side,
                    reason=" ".join(text),
                    start_in=start_in,
                    rule_ids=merge_unique(rule_ids),
                    sources=merge_unique(sources),
                )
            )
        return tuple(items)

    # ------------------------------------------------------------------------------------------------ notes
    def notes(self, red_flags: Sequence[RedFlag]) -> tuple[Note, ...]:
        notes: list[Note] = self.history_notes()
        catalog = self.catalog
        screened = {s.rule for s in self.visit.screenings if s.result in ("negative", "positive")}
        pending: list[str] = []
        pending_rules: list[str] = []
        pending_sources: list[str] = list(catalog.principles["U-1"].sources)
        for matched in self.matched_rules.values():
            for flag_id in matched.red_flags:
                if flag_id not in screened and flag_id in catalog.safety_rules and flag_id not in pending:
                    pending.append(flag_id)
                    pending_rules.append(matched.id)
                    pending_sources.extend(catalog.safety_rules[flag_id].sources)
        if pending:
            listed = "; ".join(f"{flag_id} ({catalog.safety_rules[flag_id].condition})" for flag_id in pending)
            notes.append(
                Note(
                    kind="screen",
                    text=f"Screen red flags before any palpation-based treatment (U-1); not yet recorded: {listed}.",
                    rule_ids=merge_unique(["U-1"], pending, pending_rules),
                    sources=merge_unique(pending_sources),
                )
            )
        for flag in red_flags:
            rule = catalog.safety_rules[flag.rule]
            if rule.scope in ("local_caution", "advisory"):
                notes.append(
                    Note(
                        kind="caution" if rule.scope == "local_caution" else "advisory",
                        text=f"{rule.id} ({rule.condition}): {rule.action}",
                        rule_ids=(rule.id,),
                        sources=rule.sources,
                    )
                )
        worse = [f for f in self.visit.findings if f.response == "worse"]
        rolling = hx.hard_self_treatment(self.visit.treatments, (p.zone for p in self.pain_sites), catalog)
        if "over_aggressive_treatment" in self.active_kinds or worse or rolling is not None:
            to09 = catalog.treatment_order_rules["TO-09"]
            s3 = catalog.safety_rules["SAFE-S3"]
            why = []
            if "over_aggressive_treatment" in self.active_kinds:
                why.append("over-frequent or over-aggressive treatment is recorded")
            if worse:
                names = ", ".join(f"{catalog.muscle_name(f.muscle)} ({f.side})" for f in worse)
                why.append(f"worse after treatment: {names}")
            if rolling is not None:
                why.append(f"{hx.describe_treatment(rolling, catalog)} at home: advise stopping it for now (HX-07)")
            notes.append(
                Note(
                    kind="rest",
                    text=(
                        f"Rest advice ({'; '.join(why)}): sore the next day means stop and give it a rest; if points "
                        "are tender from the pressure, give them time to recover or choose another point away from "
                        "the tender area. Treat a few times a day only if improving each time - more is not better "
                        "(TO-09, SAFE-S3)."
                    ),
                    rule_ids=("TO-09", "SAFE-S3", "HX-07") if rolling is not None else ("TO-09", "SAFE-S3"),
                    sources=merge_unique(to09.sources, s3.sources, catalog.rule_sources("HX-07") if rolling else ()),
                )
            )
        linked = set(self.sources) | set(self.drivers)
        unlinked = [f for f in self.findings if f.id not in linked]
        if unlinked and self.pain_sites:
            names = ", ".join(f"{catalog.muscle_name(f.muscle)} ({f.side})" for f in unlinked)
            notes.append(
                Note(
                    kind="unlinked_findings",
                    text=(
                        f"Charted trigger points the catalog does not link to today's complaint: {names}. They are "
                        "not planned as sources (TO-04); treat them only on the practitioner's judgement."
                    ),
                    rule_ids=("TO-04",),
                    sources=catalog.treatment_order_rules["TO-04"].sources,
                )
            )
        tests_note = self._muscle_tests_note(linked)
        if tests_note is not None:
            notes.append(tests_note)
        needed = self.screens_needed()
        if needed:
            listed = "; ".join(
                f"{item.rule}{f' ({item.side})' if item.side else ''}: {item.condition}" for item in needed
            )
            notes.append(
                Note(
                    kind="screen_first",
                    text=(
                        f"Screen first: {listed}. Until each is recorded negative, the treatment it holds is pending "
                        "and nothing of it goes on the home-care sheet (CS-02, CS-04)."
                    ),
                    rule_ids=merge_unique(*(item.rule_ids for item in needed)),
                    sources=merge_unique(*(item.sources for item in needed)),
                )
            )
        for injury in self.injuries:
            if injury.id not in self.acute:
                continue
            pending = [item.rule for item in needed if "CS-02" in item.rule_ids and item.side in (None, injury.side)]
            if pending:
                advice = (
                    f"screen first ({', '.join(pending)}); until then no trigger-point work or self-care in or next to "
                    "it, and it is not treated as a remote driver (CS-02, CS-01)."
                )
            else:
                advice = (
                    "fracture and tendon tear screened out: address trigger points around it early, but never press "
                    "on the injured or inflamed structure; start slow and gentle (TO-02, SAFE-S1)."
                )
            notes.append(
                Note(
                    kind="acute_injury",
                    text=f"Acute injury ({self._injury_text(injury)}): {advice}",
                    rule_ids=("CS-01", "CS-02", "TO-02", "SAFE-S1"),
                    sources=catalog.rule_sources("CS-01", "CS-02", "TO-02", "SAFE-S1"),
                )
            )
        return tuple(notes)

    def _muscle_tests_note(self, linked: set[str]) -> Note | None:
        """TO-05 / TO-04: a muscle tested inhibited that no rule links to today's complaint, and a facilitated muscle
        with no linked point, are listed as the practitioner's observations (the catalog's rules use only the
        inhibited result, and only for the muscles they name); such a muscle is treated on the practitioner's own
        judgement."""
        catalog = self.catalog
        unlinked = [test for tests in self.tested.values() for test in tests if f"muscle-test:{test.id}" not in linked]
        linked_keys = {(c.muscle, c.side) for bucket in (self.sources, self.drivers) for c in bucket.values()}
        facilitated = [
            test
            for test in self.visit.muscle_tests
            if test.phase == "pre"
            and test.result == "facilitated"
            and not any(m == test.muscle and side_matches(s, test.side) for m, s in linked_keys)
        ]
        if not unlinked and not facilitated:
            return None
        parts = []
        if unlinked:
            names = ", ".join(f"{catalog.muscle_name(t.muscle)} ({t.side})" for t in unlinked)
            parts.append(
                f"Tested inhibited before treatment, and not linked by the catalog to today's complaint: {names}. "
                "Not planned as a source (TO-04); treat it only on the practitioner's judgement (TO-05)."
            )
        if facilitated:
            names = ", ".join(f"{catalog.muscle_name(t.muscle)} ({t.side})" for t in facilitated)
            parts.append(
                f"Tested facilitated before treatment (seed_001: 'in spasm'): {names}. No catalog rule uses a "
                "facilitated result to choose or order muscles (TO-05 names the inhibited muscle that normalises); "
                "recorded as the practitioner's observation."
            )
        parts.append("AK muscle-test results are practitioner-defined, not standardised.")
        return Note(
            kind="muscle_tests",
            text=" ".join(parts),
            rule_ids=("TO-05", "TO-04"),
            sources=catalog.rule_sources("TO-05", "TO-04"),
        )

    # ---------------------------------------------------------------------------------------------- results
    def frozen(self, bucket: dict[str, _Candidate], red_flags: Sequence[RedFlag]) -> tuple[SourceCandidate, ...]:
        result = []
        for entry in sorted(bucket.values(), key=_Candidate.key):
            finding, test = entry.finding, entry.test
            key = (entry.muscle, entry.side)
            if finding is None:  # a muscle test standing on its own: practitioner judgement (TO-05)
                entry.add("TO-05", self.catalog.rule_sources("U-3", "TO-05"), MUSCLE_TEST_REASON)
            blocked_by = merge_unique(flag.rule for flag in red_flags if flag.blocks(entry.muscle, entry.side))
            pending = () if blocked_by else tuple(self.pending.get(key, ()))
            hold_rules = tuple(self.hold_rules.get(key, ())) if pending else ()
            name = self.catalog.muscle_name(entry.muscle)
            if finding is not None:
                described = describe_finding(finding, entry.inhibited, self.is_facilitated(finding))
            else:
                described = describe_test(test) if test is not None else ""
            header = f"{name} ({entry.side}): {described}"
            because = "; ".join(entry.reasons)
            reason = f"{header}. {because[:1].upper()}{because[1:]}"
            if blocked_by:
                reason += f". Not to be treated until cleared: positive {', '.join(blocked_by)} (TO-00, CS-03)"
            elif pending:
                screens, why = ", ".join(pending), ", ".join(hold_rules)
                reason += f". Screen first: record {screens} negative before treating it ({why})"
            result.append(
                SourceCandidate(
                    muscle=entry.muscle,
                    side=entry.side,
                    reason=reason + ".",
                    pattern=entry.pattern,
                    rule_ids=merge_unique(entry.rule_ids, hold_rules),
                    sources=merge_unique(entry.sources, self.catalog.rule_sources(*hold_rules)),
                    finding_id=finding.id if finding is not None else "",
                    blocked_by=blocked_by,
                    pending_screens=pending,
                    home_care_hold=self.care_hold.get(key, "" if finding is not None else TEST_ONLY_CARE_HOLD),
                    location=finding.location if finding is not None else "",
                    basis="finding" if finding is not None else "muscle_test",
                    muscle_test_id=test.id if test is not None and finding is None else "",
                )
            )
        return tuple(result)

    def charted(self, red_flags: Sequence[RedFlag]) -> tuple[ChartedMuscle, ...]:
        """Every muscle and side charted in this visit, findings first, with what the safety rules say about treating
        it (TO-00 / CS-03 blocks, CS-02 / CS-04 holds, self-care holds) and whether the engine proposes it."""
        proposed = {(c.muscle, c.side) for c in (*self.sources.values(), *self.drivers.values())}
        found: dict[tuple[str, str], dict[str, list[str]]] = {}
        for finding in self.visit.findings:
            entry = found.setdefault((finding.muscle, finding.side), {"findings": [], "tests": [], "locations": []})
            entry["findings"].append(finding.id)
            if finding.location and is_positive(finding):
                entry["locations"].append(finding.location)
        for test in self.visit.muscle_tests:
            entry = found.setdefault((test.muscle, test.side), {"findings": [], "tests": [], "locations": []})
            entry["tests"].append(test.id)
        results: dict[tuple[str, str, str], str] = {
            (t.muscle, t.side, t.phase): t.result for t in self.visit.muscle_tests
        }
        items = []
        for (muscle, side), entry in found.items():
            key = (muscle, side)
            blocked_by = merge_unique(flag.rule for flag in red_flags if flag.blocks(muscle, side))
            pending = () if blocked_by else tuple(self.pending.get(key, ()))
            hold = self.care_hold.get(key, "")
            if not hold and not entry["findings"]:
                hold = TEST_ONLY_CARE_HOLD
            items.append(
                ChartedMuscle(
                    muscle=muscle,
                    side=side,  # type: ignore[arg-type]
                    finding_ids=tuple(entry["findings"]),
                    muscle_test_ids=tuple(entry["tests"]),
                    proposed=key in proposed and not blocked_by,
                    blocked_by=blocked_by,
                    pending_screens=pending,
                    hold_rules=tuple(self.hold_rules.get(key, ())) if pending else (),
                    home_care_hold=hold,
                    location=entry["locations"][0] if entry["locations"] else "",
                    test_results=tuple(
                        f"{phase}: {results[(muscle, side, phase)]}"
                        for phase in ("pre", "post")
                        if (muscle, side, phase) in results
                    ),
                )
            )
        return tuple(items)


def analyse(visit: VisitInput, catalog: Catalog) -> Analysis:
    """Apply the catalog to one visit: TO-00 red flags by region and side (CS-03), U-3 symptom rules, kinetic-chain
    links from old injuries (TO-03, CS-01), the screens that hold treatment (CS-02, CS-04), stressors (U-4, TO-01,
    CS-07), recurrence (TO-08, CS-05), where not to work (U-2, TO-04) and rest advice (TO-09)."""
    reasoner = _Reasoner(visit, catalog)
    red_flags = reasoner.red_flags()
    reasoner.symptom_rules()
    reasoner.kinetic_chain()
    for finding_id, driver in reasoner.drivers.items():
        local = reasoner.sources.pop(finding_id, None)
        if local is not None:
            for rule_id, reason in zip(local.rule_ids, local.reasons, strict=False):
                driver.add(rule_id, (), reason)
            driver.sources.extend(s for s in local.sources if s not in driver.sources)
    reasoner.acute_injury_holds()
    reasoner.history_holds()
    reasoner.endangerment_holds()
    return Analysis(
        red_flags=red_flags,
        patterns=tuple(pattern.freeze() for pattern in reasoner.patterns.values()),
        suspected_sources=reasoner.frozen(reasoner.sources, red_flags),
        remote_drivers=reasoner.frozen(reasoner.drivers, red_flags),
        stressors_to_address=reasoner.stressors(),
        recurring=reasoner.recurring(),
        do_not_treat=reasoner.do_not_treat(),
        notes=reasoner.notes(red_flags),
        engine_version=ENGINE_VERSION,
        catalog_version=catalog.version,
        screens_needed=reasoner.screens_needed(),
        charted=reasoner.charted(red_flags),
    )
