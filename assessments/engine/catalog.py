"""The clinical catalog as frozen dataclasses, loaded from the JSON files in ``catalog/data/``.

The catalog is the engine's only source of clinical knowledge (muscles and referral zones from Travell & Simons, the
kinetic-chain links, symptom-to-source rules, treatment-order rules TO-00..TO-09, safety rules, the seed protocols and
the outcome measures).  ``tools/build_catalog.py`` generates the JSON from the shared domain catalog; the Django side
may instead build the same dict shape from database rows and call ``catalog_from_dict``, or construct ``Catalog``
directly (every field is a plain value; the lookup indexes are derived lazily and cached on first use).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

AK_LABEL = "AK tradition, not evidence-based"
"""Label that must accompany every applied-kinesiology organ/gland association (evidence_notes.ak_validity)."""

CATALOG_FILES = (
    "meta",
    "sources",
    "zones",
    "muscles",
    "stressors",
    "kinetic_chain",
    "symptom_rules",
    "treatment_order_rules",
    "safety_rules",
    "protocols",
    "outcome_measures",
)

DEFAULT_TOOLS = ("hands", "tennis_ball", "lacrosse_ball", "golf_ball", "foam_roller", "stick", "thera_cane")

EVIDENCE_ORDER = ("mainstream", "author_opinion", "ak_tradition")
"""CS-07: the strength of the evidence for a stressor's link, strongest first."""

GOOD_TOOL_RATINGS = ("good", "ok")
"""Tool ratings a home-care sheet may suggest; ``caution`` needs a practitioner's demonstration (vocab)."""


def merge_unique(*groups: Iterable[str]) -> tuple[str, ...]:
    """Concatenate id lists (rule ids, source ids) keeping the first occurrence of each, in order."""
    merged: dict[str, None] = {}
    for group in groups:
        for item in group:
            merged.setdefault(item, None)
    return tuple(merged)


@dataclass(frozen=True)
class Source:
    id: str
    kind: str
    title: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Zone:
    slug: str
    group: str
    node: str
    label: str


@dataclass(frozen=True)
class AkAssociation:
    """An applied-kinesiology muscle-organ link; always displayed with ``label`` (AK tradition, not evidence-based)."""

    organ_gland: str | None
    meridian: str | None
    label: str
    sources: tuple[str, ...] = ()
    confidence: str | None = None
    note: str = ""


@dataclass(frozen=True)
class MuscleIds:
    uberon: str | None = None
    fma: str | None = None
    snomed: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Muscle:
    slug: str
    name: str
    plain_name: str
    region: str
    referral_zones: tuple[str, ...]
    self_treatment: Mapping[str, str]
    practitioner_only: bool
    ak_association: AkAssociation
    sources: tuple[str, ...]
    laterality: str = "paired"
    synonyms: tuple[str, ...] = ()
    trp_locations: tuple[str, ...] = ()
    referral_text: str = ""
    symptoms_explained: tuple[str, ...] = ()
    self_treatment_notes: str = ""
    ids: MuscleIds = field(default_factory=MuscleIds)
    seed_mentions: tuple[str, ...] = ()
    confidence: str = ""
    local_zones: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()
    requires_screens: tuple[str, ...] = ()
    endangerment_site: str = ""

    def home_care_tools(self, tool_order: Sequence[str]) -> tuple[str, ...]:
        """Tools rated ``good`` then ``ok`` (catalog tool order within a rating); never caution/not_suited/avoid."""
        return tuple(
            tool for rating in GOOD_TOOL_RATINGS for tool in tool_order if self.self_treatment.get(tool) == rating
        )


@dataclass(frozen=True)
class StressorCategory:
    id: str
    label: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class StressorKind:
    id: str
    category: str
    label: str
    seed_claim: str
    patient_action: str
    sources: tuple[str, ...]
    examples: tuple[str, ...] = ()
    target_regions: tuple[str, ...] = ()
    target_muscles: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    ak_label: str = ""
    mainstream_caveat: str = ""
    evidence: str = "author_opinion"


@dataclass(frozen=True)
class ChainLink:
    """A kinetic-chain link (kinetic_chain.links); ``examine_muscles`` maps a node (or ``any``) to muscles."""

    id: str
    name: str
    origin: tuple[str, ...]
    origin_kind: str
    targets: tuple[str, ...]
    type: str
    side_relation: str
    claim: str
    evidence: str
    sources: tuple[str, ...]
    examine_muscles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    trigger_stressors: tuple[str, ...] = ()
    note: str = ""

    @property
    def is_ak(self) -> bool:
        return self.type == "systemic_ak"


@dataclass(frozen=True)
class Candidate:
    muscle: str
    basis: tuple[str, ...]


@dataclass(frozen=True)
class Principle:
    """A universal principle (U-1..U-4) or a clinical-safety rule (CS-01..); ``params`` holds the numbers it uses."""

    id: str
    text: str
    sources: tuple[str, ...]
    name: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SymptomRule:
    """Complaint zone(s) -> ordered muscles to examine (never a diagnosis)."""

    id: str
    name: str
    complaint_zones: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    sources: tuple[str, ...]
    stressors_to_check: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()
    precondition: str = ""
    treat_site_note: str = ""
    kinetic_chain_check: str = ""
    kinetic_chain_links: tuple[str, ...] = ()
    ak_note: str = ""
    note: str = ""
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class TreatmentOrderRule:
    id: str
    name: str
    priority: int
    rule: str
    step_kind: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SafetyRule:
    """A red flag / safety rule; a positive screen blocks ``regions``/``zones``/``muscles`` (all when systemic)."""

    id: str
    kind: str
    condition: str
    action: str
    sources: tuple[str, ...]
    scope: str
    refers: bool
    urgency: str | None = None
    regions: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    muscles: tuple[str, ...] = ()
    signs: tuple[str, ...] = ()
    confidence: str | None = None
    citations: tuple[str, ...] = ()
    block_basis: str = ""
    reach: str = "none"
    lateral: bool = False
    reach_basis: str = ""
    injury_zones: tuple[str, ...] = ()

    @property
    def systemic(self) -> bool:
        return self.scope == "systemic"


@dataclass(frozen=True)
class Protocol:
    id: str
    name: str
    source: str
    method: str
    duration_per_point: str = ""
    frequency: str = ""
    intensity: str = ""
    stop_rule: str = ""
    location_rule: str = ""
    caution: str = ""
    muscles: tuple[str, ...] = ()
    seconds_min: int | None = None
    seconds_max: int | None = None
    times_per_day_min: int | None = None
    times_per_day_max: int | None = None
    intensity_max: int | None = None


@dataclass(frozen=True)
class OutcomeMeasure:
    id: str
    name: str
    unit: str
    min: float
    max: float
    mcid: float | None
    higher_is_better: bool
    sources: tuple[str, ...]
    mcid_text: str = ""
    mcid_percent: float | None = None

    def judge(self, before: float, after: float) -> tuple[str, str]:
        """CS-06: ("improved" | "worse" | "unchanged", basis) for a change from ``before`` to ``after``.

        The change meets the MCID when it reaches ``mcid`` points or, where the catalog gives one, ``mcid_percent`` of
        the earlier value (NPRS: about 2 points or 30%, Farrar 2001; ODI: 10 points or 30%, Ostelo 2008).  The basis
        names which threshold was met, or both that were not.  No MCID: "unchanged" with no judgement.
        """
        if self.mcid is None:
            return "unchanged", "no established MCID, so no judgement"
        delta = after - before
        better = delta if self.higher_is_better else -delta
        percent = abs(delta) / before * 100 if before else None
        by_points = abs(better) >= self.mcid
        by_percent = self.mcid_percent is not None and percent is not None and percent >= self.mcid_percent
        points_text = f"the MCID of {self.mcid:g} points"
        percent_text = f"{self.mcid_percent:g}% of the earlier value" if self.mcid_percent is not None else ""
        if better == 0 or not (by_points or by_percent):
            below = f"{points_text} or {percent_text}" if percent_text else points_text
            return "unchanged", f"is below {below}"
        kind = "improved" if better > 0 else "worse"
        verb = "meets" if kind == "improved" else "worsens by at least"
        if by_points:
            return kind, f"{verb} {points_text}"
        assert percent is not None
        return kind, f"{verb} {percent_text} ({percent:.0f}%; below {points_text})"


@dataclass(frozen=True)
class ObservationKind:
    """A posture or gait observation (issue 23): where on the kinetic chain it is seen, and whether it is a gait
    observation (HX-06 reads those for the contralateral chain links)."""

    slug: str
    label: str
    node: str
    gait: bool = False


@dataclass(frozen=True)
class HistoryVocabulary:
    """The structured history's words (``meta.history``): slug -> the practitioner's label."""

    mechanisms: Mapping[str, str] = field(default_factory=dict)
    courses: Mapping[str, str] = field(default_factory=dict)
    patterns: Mapping[str, str] = field(default_factory=dict)
    activities: Mapping[str, str] = field(default_factory=dict)
    systemic_signs: Mapping[str, str] = field(default_factory=dict)
    treatments: Mapping[str, str] = field(default_factory=dict)
    frequencies: Mapping[str, str] = field(default_factory=dict)
    intensities: Mapping[str, str] = field(default_factory=dict)
    responses: Mapping[str, str] = field(default_factory=dict)
    observations: Mapping[str, ObservationKind] = field(default_factory=dict)

    def label(self, vocabulary: str, slug: str) -> str:
        """The label of ``slug`` in ``vocabulary`` (an unknown slug reads as itself, without underscores)."""
        words = getattr(self, vocabulary)
        found = words.get(slug)
        if isinstance(found, ObservationKind):
            return found.label
        return found or slug.replace("_", " ")


def _history_vocabulary(raw: Mapping[str, Any]) -> HistoryVocabulary:
    observations = {
        entry["slug"]: ObservationKind(
            slug=entry["slug"], label=entry["label"], node=entry["node"], gait=bool(entry.get("gait"))
        )
        for entry in raw.get("observations") or []
    }
    plain = {
        name: {entry["slug"]: entry["label"] for entry in raw.get(name) or []}
        for name in (
            "mechanisms",
            "courses",
            "patterns",
            "activities",
            "systemic_signs",
            "treatments",
            "frequencies",
            "intensities",
            "responses",
        )
    }
    return HistoryVocabulary(observations=observations, **plain)


@dataclass(frozen=True)
class Catalog:
    version: str
    title: str
    disclaimer: str
    sources: Mapping[str, Source]
    zones: Mapping[str, Zone]
    nodes: tuple[str, ...]
    muscles: Mapping[str, Muscle]
    stressor_categories: Mapping[str, StressorCategory]
    stressor_kinds: Mapping[str, StressorKind]
    chain_links: tuple[ChainLink, ...]
    principles: Mapping[str, Principle]
    symptom_rules: tuple[SymptomRule, ...]
    treatment_order_rules: Mapping[str, TreatmentOrderRule]
    safety_rules: Mapping[str, SafetyRule]
    protocols: Mapping[str, Protocol]
    outcome_measures: Mapping[str, OutcomeMeasure]
    tools: tuple[str, ...] = DEFAULT_TOOLS
    regions: tuple[str, ...] = ()
    default_protocol: str = "PROT-SOCKDOC-MANUAL"
    protocol_conflicts: tuple[str, ...] = ()
    history: HistoryVocabulary = field(default_factory=HistoryVocabulary)

    @cached_property
    def rules_by_zone(self) -> Mapping[str, tuple[SymptomRule, ...]]:
        index: dict[str, list[SymptomRule]] = {}
        for rule in self.symptom_rules:
            for zone in rule.complaint_zones:
                index.setdefault(zone, []).append(rule)
        return {zone: tuple(rules) for zone, rules in index.items()}

    @cached_property
    def rules_by_id(self) -> Mapping[str, SymptomRule]:
        return {rule.id: rule for rule in self.symptom_rules}

    @cached_property
    def links_by_id(self) -> Mapping[str, ChainLink]:
        return {link.id: link for link in self.chain_links}

    @cached_property
    def candidate_rank(self) -> Mapping[tuple[str, str], int]:
        """(rule id, muscle) -> position of the muscle in the rule's candidate list (U-3 step 3)."""
        return {
            (rule.id, candidate.muscle): position
            for rule in self.symptom_rules
            for position, candidate in enumerate(rule.candidates)
        }

    @cached_property
    def blocked_muscles(self) -> Mapping[str, frozenset[str]]:
        """Safety rule id -> muscles a positive screen blocks wherever the pain is (TO-00).

        Systemic rules block every muscle; regional rules block a muscle whose region is listed, that lies under one
        of the rule's zones (its local zones), or that the rule names.  Local-caution and advisory rules block none.
        Muscles that only *refer* into a blocked zone are blocked per visit (``blocked_for_pain``).
        """
        result: dict[str, frozenset[str]] = {}
        for rule in self.safety_rules.values():
            if rule.systemic:
                result[rule.id] = frozenset(self.muscles)
            elif rule.scope == "regional":
                zones = set(rule.zones)
                result[rule.id] = frozenset(
                    muscle.slug
                    for muscle in self.muscles.values()
                    if muscle.region in rule.regions
                    or muscle.slug in rule.muscles
                    or not zones.isdisjoint(muscle.local_zones)
                )
            else:
                result[rule.id] = frozenset()
        return result

    @cached_property
    def muscles_referring_to(self) -> Mapping[str, frozenset[str]]:
        """Zone -> muscles whose referral map includes it."""
        index: dict[str, set[str]] = {}
        for muscle in self.muscles.values():
            for zone in muscle.referral_zones:
                index.setdefault(zone, set()).add(muscle.slug)
        return {zone: frozenset(slugs) for zone, slugs in index.items()}

    def blocked_for_pain(self, rule_id: str, pain_zones: Iterable[str]) -> frozenset[str]:
        """Muscles a positive ``rule_id`` blocks for a visit with pain in ``pain_zones`` (TO-00, CS-03): the rule's
        fixed block plus every muscle that refers into a zone the rule covers -- every such zone for a lateral rule
        (it blocks one side only), a painful one for the others (pain in a red-flag area is not attributed to trigger
        points until the red flag is cleared)."""
        rule = self.safety_rules.get(rule_id)
        if rule is None:
            return frozenset()
        blocked = set(self.blocked_muscles.get(rule_id, frozenset()))
        if rule.scope == "regional":
            covered = set(rule.zones)
            referred = covered if rule.lateral else covered.intersection(pain_zones)
            for zone in referred:
                blocked.update(self.muscles_referring_to.get(zone, frozenset()))
        return frozenset(blocked)

    @cached_property
    def injury_screens(self) -> Mapping[str, tuple[str, ...]]:
        """Zone -> the screens that exclude fracture or tendon tear there after an acute injury (CS-02)."""
        index: dict[str, list[str]] = {}
        for rule in self.safety_rules.values():
            for zone in rule.injury_zones:
                index.setdefault(zone, []).append(rule.id)
        return {zone: tuple(rules) for zone, rules in index.items()}

    @cached_property
    def adjacent_nodes(self) -> Mapping[str, frozenset[str]]:
        """Node -> the nodes an ``adjacent`` chain link joins it to (both directions)."""
        index: dict[str, set[str]] = {}
        for link in self.chain_links:
            if link.type == "adjacent":
                for a in link.origin:
                    for b in link.targets:
                        index.setdefault(a, set()).add(b)
                        index.setdefault(b, set()).add(a)
        return {node: frozenset(nodes) for node, nodes in index.items()}

    def param(self, rule_id: str, name: str, default: Any) -> Any:
        """A number a clinical-safety rule states (``Principle.params``), or ``default`` for an older catalog."""
        principle = self.principles.get(rule_id)
        return principle.params.get(name, default) if principle is not None else default

    def rule_sources(self, *rule_ids: str) -> tuple[str, ...]:
        """The sources of principles, treatment-order and safety rules, in order, each once."""
        groups: list[tuple[str, ...]] = []
        for rule_id in rule_ids:
            for table in (self.principles, self.treatment_order_rules, self.safety_rules):
                entry = table.get(rule_id)
                if entry is not None:
                    groups.append(entry.sources)
                    break
        return merge_unique(*groups)

    def zone_label(self, slug: str) -> str:
        zone = self.zones.get(slug)
        return zone.label if zone else slug.replace("_", " ")

    def muscle_name(self, slug: str) -> str:
        muscle = self.muscles.get(slug)
        return muscle.name if muscle else slug.replace("_", " ")


def _tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return (value,)


def _muscle(row: Mapping[str, Any]) -> Muscle:
    ak = row.get("ak_association") or {}
    ids = row.get("ids") or {}
    return Muscle(
        slug=row["slug"],
        name=row["name"],
        plain_name=row.get("plain_name") or row["name"],
        region=row["region"],
        referral_zones=_tuple(row.get("referral_zones")),
        self_treatment=dict(row.get("self_treatment") or {}),
        practitioner_only=bool(row.get("practitioner_only", False)),
        ak_association=AkAssociation(
            organ_gland=ak.get("organ_gland"),
            meridian=ak.get("meridian"),
            label=ak.get("label") or AK_LABEL,
            sources=_tuple(ak.get("sources")),
            confidence=ak.get("confidence"),
            note=ak.get("note") or "",
        ),
        sources=_tuple(row.get("sources")),
        laterality=row.get("laterality", "paired"),
        synonyms=_tuple(row.get("synonyms")),
        trp_locations=_tuple(row.get("trp_locations")),
        referral_text=row.get("referral_text", ""),
        symptoms_explained=_tuple(row.get("symptoms_explained")),
        self_treatment_notes=row.get("self_treatment_notes", ""),
        ids=MuscleIds(
            uberon=ids.get("uberon"),
            fma=ids.get("fma"),
            snomed=_tuple(ids.get("snomed")),
            note=ids.get("note", ""),
        ),
        seed_mentions=_tuple(row.get("seed_mentions")),
        confidence=row.get("confidence") or "",
        local_zones=_tuple(row.get("local_zones")),
        nodes=_tuple(row.get("nodes")),
        requires_screens=_tuple(row.get("requires_screens")),
        endangerment_site=row.get("endangerment_site", ""),
    )


def _link(row: Mapping[str, Any]) -> ChainLink:
    examine = row.get("examine_muscles") or {}
    return ChainLink(
        id=row["id"],
        name=row.get("name") or row["id"],
        origin=_tuple(row["from"]),
        origin_kind=row.get("from_kind", "node"),
        targets=_tuple(row["to"]),
        type=row["type"],
        side_relation=row.get("side_relation", "any"),
        claim=row.get("claim", ""),
        evidence=row.get("evidence", ""),
        sources=_tuple(row.get("sources")),
        examine_muscles={node: _tuple(muscles) for node, muscles in sorted(examine.items())},
        trigger_stressors=_tuple(row.get("trigger_stressors")),
        note=row.get("note", ""),
    )


def _symptom_rule(row: Mapping[str, Any]) -> SymptomRule:
    return SymptomRule(
        id=row["id"],
        name=row.get("name") or row["id"],
        complaint_zones=_tuple(row["complaint_zones"]),
        candidates=tuple(Candidate(item["muscle"], _tuple(item.get("basis"))) for item in row["candidates"]),
        sources=_tuple(row.get("sources")),
        stressors_to_check=_tuple(row.get("stressors_to_check")),
        red_flags=_tuple(row.get("red_flags")),
        precondition=row.get("precondition", ""),
        treat_site_note=row.get("treat_site_note", ""),
        kinetic_chain_check=row.get("kinetic_chain_check", ""),
        kinetic_chain_links=_tuple(row.get("kinetic_chain_links")),
        ak_note=row.get("ak_note", ""),
        note=row.get("note", ""),
        examples=_tuple(row.get("examples")),
    )


def _safety_rule(row: Mapping[str, Any]) -> SafetyRule:
    return SafetyRule(
        id=row["id"],
        kind=row.get("kind", "mainstream"),
        condition=row["condition"],
        action=row["action"],
        sources=_tuple(row.get("sources")),
        scope=row.get("scope", "regional"),
        refers=bool(row.get("refers", True)),
        urgency=row.get("urgency"),
        regions=_tuple(row.get("regions")),
        zones=_tuple(row.get("zones")),
        muscles=_tuple(row.get("muscles")),
        signs=_tuple(row.get("signs")),
        confidence=row.get("confidence"),
        citations=_tuple(row.get("citations")),
        block_basis=row.get("block_basis", ""),
        reach=row.get("reach", "none"),
        lateral=bool(row.get("lateral", False)),
        reach_basis=row.get("reach_basis", ""),
        injury_zones=_tuple(row.get("injury_zones")),
    )


def _protocol(row: Mapping[str, Any]) -> Protocol:
    dose = row.get("dose") or {}
    return Protocol(
        id=row["id"],
        name=row.get("name") or row["id"],
        source=row["source"],
        method=row.get("method", ""),
        duration_per_point=row.get("duration_per_point", ""),
        frequency=row.get("frequency", ""),
        intensity=row.get("intensity", ""),
        stop_rule=row.get("stop_rule", ""),
        location_rule=row.get("location_rule", ""),
        caution=row.get("caution", ""),
        muscles=_tuple(row.get("muscles")),
        seconds_min=dose.get("seconds_min"),
        seconds_max=dose.get("seconds_max"),
        times_per_day_min=dose.get("times_per_day_min"),
        times_per_day_max=dose.get("times_per_day_max"),
        intensity_max=dose.get("intensity_max"),
    )


def catalog_from_dict(data: Mapping[str, Any]) -> Catalog:
    """Build a Catalog from the JSON documents keyed by file stem (``meta``, ``muscles``, ... see CATALOG_FILES)."""
    meta = data["meta"]
    vocab = meta.get("vocab") or {}
    categories: dict[str, StressorCategory] = {}
    kinds: dict[str, StressorKind] = {}
    for category in data["stressors"]["categories"]:
        subtypes = category.get("subtypes") or []
        categories[category["id"]] = StressorCategory(
            id=category["id"], label=category.get("label", ""), kinds=tuple(item["id"] for item in subtypes)
        )
        for item in subtypes:
            kinds[item["id"]] = StressorKind(
                id=item["id"],
                category=item.get("category") or category["id"],
                label=item.get("label") or item["id"],
                seed_claim=item.get("seed_claim", ""),
                patient_action=item.get("patient_action", ""),
                sources=_tuple(item.get("sources")),
                examples=_tuple(item.get("examples")),
                target_regions=_tuple(item.get("target_regions")),
                target_muscles=_tuple(item.get("target_muscles")),
                links=_tuple(item.get("links")),
                ak_label=item.get("ak_label", ""),
                mainstream_caveat=item.get("mainstream_caveat", ""),
                evidence=item.get("evidence") or ("ak_tradition" if item.get("ak_label") else "author_opinion"),
            )
    safety = data["safety_rules"]
    protocols = data["protocols"]
    chain = data["kinetic_chain"]
    return Catalog(
        version=meta["version"],
        title=meta.get("title", ""),
        disclaimer=meta.get("disclaimer", ""),
        sources={
            source_id: Source(
                id=source_id,
                kind=entry.get("kind", ""),
                title=entry.get("title") or entry.get("cite") or source_id,
                url=entry.get("url", ""),
                note=entry.get("note", ""),
            )
            for source_id, entry in data["sources"].items()
        },
        zones={
            row["slug"]: Zone(slug=row["slug"], group=row["group"], node=row["node"], label=row.get("label", ""))
            for row in data["zones"]
        },
        nodes=_tuple(chain.get("nodes")),
        muscles={row["slug"]: _muscle(row) for row in data["muscles"]},
        stressor_categories=categories,
        stressor_kinds=kinds,
        chain_links=tuple(_link(row) for row in chain["links"]),
        principles={
            row["id"]: Principle(
                id=row["id"],
                text=row["text"],
                sources=_tuple(row.get("sources")),
                name=row.get("name", ""),
                params=dict(row.get("params") or {}),
            )
            for row in data["symptom_rules"].get("universal", [])
        },
        symptom_rules=tuple(_symptom_rule(row) for row in data["symptom_rules"]["rules"]),
        treatment_order_rules={
            row["id"]: TreatmentOrderRule(
                id=row["id"],
                name=row.get("name") or row["id"],
                priority=int(row["priority"]),
                rule=row["rule"],
                step_kind=row.get("step_kind", ""),
                sources=_tuple(row.get("sources")),
            )
            for row in data["treatment_order_rules"]
        },
        safety_rules={
            row["id"]: _safety_rule(row) for row in [*safety.get("seed_rules", []), *safety.get("mainstream_rules", [])]
        },
        protocols={row["id"]: _protocol(row) for row in protocols["protocols"]},
        outcome_measures={
            row["id"]: OutcomeMeasure(
                id=row["id"],
                name=row["name"],
                unit=row.get("unit", ""),
                min=row["min"],
                max=row["max"],
                mcid=row.get("mcid"),
                higher_is_better=bool(row["higher_is_better"]),
                sources=_tuple(row.get("sources")),
                mcid_text=row.get("mcid_text", ""),
                mcid_percent=row.get("mcid_percent"),
            )
            for row in data["outcome_measures"]
        },
        tools=_tuple(vocab.get("tools")) or DEFAULT_TOOLS,
        regions=_tuple(vocab.get("regions")),
        default_protocol=meta.get("default_protocol", "PROT-SOCKDOC-MANUAL"),
        protocol_conflicts=_tuple(protocols.get("conflicts")),
        history=_history_vocabulary(meta.get("history") or {}),
    )


def load_catalog(directory: Path) -> Catalog:
    """Read the catalog JSON files (one per CATALOG_FILES stem) from ``directory``."""
    data = {stem: json.loads((directory / f"{stem}.json").read_text(encoding="utf-8")) for stem in CATALOG_FILES}
    return catalog_from_dict(data)


def default_catalog_dir() -> Path:
    """The catalog files shipped with the project (``catalog/data/``, the catalog app's)."""
    return Path(__file__).resolve().parents[2] / "catalog" / "data"


def validate_catalog(catalog: Catalog) -> list[str]:
    """Every broken cross-reference in the catalog, as readable messages (empty when consistent)."""
    problems: list[str] = []
    zones = catalog.zones
    muscles = catalog.muscles
    sources = catalog.sources
    nodes = set(catalog.nodes)
    kinds = catalog.stressor_kinds
    regions = set(catalog.regions) if catalog.regions else {muscle.region for muscle in muscles.values()}

    def check_sources(owner: str, ids: Sequence[str]) -> None:
        if not ids:
            problems.append(f"{owner}: no sources")
        for source in ids:
            if source not in sources:
                problems.append(f"{owner}: unknown source {source!r}")

    def check_muscles(owner: str, ids: Sequence[str]) -> None:
        for muscle in ids:
            if muscle not in muscles:
                problems.append(f"{owner}: unknown muscle {muscle!r}")

    def check_zones(owner: str, ids: Sequence[str]) -> None:
        for zone in ids:
            if zone not in zones:
                problems.append(f"{owner}: unknown zone {zone!r}")

    for zone in zones.values():
        if zone.node not in nodes:
            problems.append(f"zone {zone.slug}: unknown kinetic-chain node {zone.node!r}")
    for muscle in muscles.values():
        owner = f"muscle {muscle.slug}"
        if muscle.region not in regions:
            problems.append(f"{owner}: unknown region {muscle.region!r}")
        check_zones(owner, muscle.referral_zones)
        check_zones(owner, muscle.local_zones)
        check_sources(owner, muscle.sources)
        for source in muscle.ak_association.sources:
            if source not in sources:
                problems.append(f"{owner} AK association: unknown source {source!r}")
        if muscle.ak_association.label != AK_LABEL:
            problems.append(f"{owner}: AK association not labelled {AK_LABEL!r}")
        for tool, rating in muscle.self_treatment.items():
            if tool not in catalog.tools:
                problems.append(f"{owner}: unknown tool {tool!r}")
            if rating not in ("good", "ok", "caution", "not_suited", "avoid"):
                problems.append(f"{owner}: unknown tool rating {rating!r}")
        for node in muscle.nodes:
            if node not in nodes:
                problems.append(f"{owner}: unknown node {node!r}")
        for rule_id in muscle.requires_screens:
            if rule_id not in catalog.safety_rules:
                problems.append(f"{owner}: requires unknown screen {rule_id!r}")
    for category in catalog.stressor_categories.values():
        for kind_id in category.kinds:
            if kind_id not in kinds:
                problems.append(f"stressor category {category.id}: unknown kind {kind_id!r}")
    for kind in kinds.values():
        owner = f"stressor {kind.id}"
        if kind.category not in catalog.stressor_categories:
            problems.append(f"{owner}: unknown category {kind.category!r}")
        check_muscles(owner, kind.target_muscles)
        for region in kind.target_regions:
            if region not in regions:
                problems.append(f"{owner}: unknown region {region!r}")
        for link_id in kind.links:
            if link_id not in catalog.links_by_id:
                problems.append(f"{owner}: unknown chain link {link_id!r}")
        check_sources(owner, kind.sources)
        if kind.evidence not in EVIDENCE_ORDER:
            problems.append(f"{owner}: unknown evidence level {kind.evidence!r}")
        if not kind.patient_action:
            problems.append(f"{owner}: no patient action")
    for link in catalog.chain_links:
        owner = f"chain link {link.id}"
        if link.origin_kind == "node":
            for node in link.origin:
                if node not in nodes:
                    problems.append(f"{owner}: unknown node {node!r}")
        elif link.origin_kind == "muscle":
            check_muscles(owner, link.origin)
        for node in link.targets:
            if node not in nodes:
                problems.append(f"{owner}: unknown node {node!r}")
        for node, examined in link.examine_muscles.items():
            if node != "any" and node not in nodes:
                problems.append(f"{owner}: unknown node {node!r} in examine_muscles")
            check_muscles(owner, examined)
        for kind_id in link.trigger_stressors:
            if kind_id not in kinds:
                problems.append(f"{owner}: unknown stressor kind {kind_id!r}")
        if link.side_relation not in ("same", "contralateral", "any"):
            problems.append(f"{owner}: unknown side relation {link.side_relation!r}")
        check_sources(owner, link.sources)
    for principle in catalog.principles.values():
        check_sources(f"principle {principle.id}", principle.sources)
    covered: set[str] = set()
    for rule in catalog.symptom_rules:
        owner = f"symptom rule {rule.id}"
        if not rule.name or rule.name == rule.id:
            problems.append(f"{owner}: no readable name")
        check_zones(owner, rule.complaint_zones)
        covered.update(rule.complaint_zones)
        check_muscles(owner, [candidate.muscle for candidate in rule.candidates])
        for kind_id in rule.stressors_to_check:
            if kind_id not in kinds:
                problems.append(f"{owner}: unknown stressor kind {kind_id!r}")
        for flag in rule.red_flags:
            if flag not in catalog.safety_rules:
                problems.append(f"{owner}: unknown safety rule {flag!r}")
        for link_id in rule.kinetic_chain_links:
            if link_id not in catalog.links_by_id:
                problems.append(f"{owner}: unknown chain link {link_id!r}")
        check_sources(owner, rule.sources)
    for slug in sorted(set(zones) - covered):
        problems.append(f"zone {slug}: no symptom rule")
    for order_rule in catalog.treatment_order_rules.values():
        check_sources(f"treatment-order rule {order_rule.id}", order_rule.sources)
    for safety_rule in catalog.safety_rules.values():
        owner = f"safety rule {safety_rule.id}"
        check_zones(owner, safety_rule.zones)
        check_muscles(owner, safety_rule.muscles)
        for region in safety_rule.regions:
            if region not in regions:
                problems.append(f"{owner}: unknown region {region!r}")
        if safety_rule.scope not in ("systemic", "regional", "local_caution", "advisory"):
            problems.append(f"{owner}: unknown scope {safety_rule.scope!r}")
        if safety_rule.reach not in ("body", "limb", "area", "none"):
            problems.append(f"{owner}: unknown reach {safety_rule.reach!r}")
        check_zones(owner, safety_rule.injury_zones)
        check_sources(owner, safety_rule.sources)
    for protocol in catalog.protocols.values():
        owner = f"protocol {protocol.id}"
        check_sources(owner, (protocol.source,))
        check_muscles(owner, protocol.muscles)
    if catalog.default_protocol not in catalog.protocols:
        problems.append(f"default protocol {catalog.default_protocol!r} does not exist")
    for measure in catalog.outcome_measures.values():
        owner = f"outcome measure {measure.id}"
        check_sources(owner, measure.sources)
        if measure.min >= measure.max:
            problems.append(f"{owner}: min {measure.min} is not below max {measure.max}")
    return problems
