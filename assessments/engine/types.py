"""Engine inputs (what a visit records, per the API contract) and outputs (analysis and plan).

Inputs are validated upstream (serializers / forms): slugs exist in the catalog, numbers are in range.  The engine
tolerates unknown safety-rule ids and unknown muscles by ignoring them rather than failing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Side = Literal["left", "right", "bilateral", "midline"]
TrpStatus = Literal["active", "latent", "unknown"]
Technique = Literal["hold", "circular", "back_and_forth", "stroking", "tool"]
Response = Literal["released", "improved", "unchanged", "worse"]
TestPhase = Literal["pre", "post"]
TestResult = Literal["normal", "inhibited", "facilitated", "not_tested"]
ScreenResult = Literal["negative", "positive", "not_done"]
PatternKind = Literal["symptom_rule", "kinetic_chain"]
CandidateBasis = Literal["finding", "muscle_test"]
StepKind = Literal[
    "refer", "address_stressor", "treat_remote_driver", "treat_trigger_point", "retest", "rehab", "follow_up"
]


# ----------------------------------------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class PainSite:
    zone: str
    side: Side
    nprs: int | None = None
    primary: bool = False


@dataclass(frozen=True)
class Finding:
    """One palpation finding; each sign is charted separately (Delphi2018)."""

    id: str
    muscle: str
    side: Side
    location: str = ""
    tenderness: int = 0
    taut_band: bool = False
    nodule: bool = False
    twitch_response: bool = False
    referral_zones: tuple[str, ...] = ()
    recognized: bool = False
    status: TrpStatus = "unknown"
    treated: bool = False
    technique: Technique | None = None
    response: Response | None = None


@dataclass(frozen=True)
class MuscleTest:
    id: str
    muscle: str
    side: Side
    phase: TestPhase
    result: TestResult


@dataclass(frozen=True)
class Screening:
    """One red-flag screen; ``side`` is the side it concerns (None: not one side, so it concerns both)."""

    rule: str
    result: ScreenResult
    detail: str = ""
    side: Side | None = None


@dataclass(frozen=True)
class Outcome:
    measure: str
    value: float
    detail: str = ""


@dataclass(frozen=True)
class Stressor:
    id: str
    kind: str
    category: str
    severity: int = 1
    onset: dt.date | None = None
    resolved_on: dt.date | None = None
    detail: str = ""


@dataclass(frozen=True)
class Injury:
    id: str
    zone: str
    side: Side
    occurred_on: dt.date | None = None
    description: str = ""
    painful_now: bool = False


@dataclass(frozen=True)
class History:
    """The visit's complaint history, the Subjective (issue 23); slugs from the catalog's history vocabularies.

    ``onset`` is the day the complaint began (a form's "about N weeks ago" arrives as a date); ``change_stressor`` is
    the id of the patient's stressor the history says the complaint came after (mechanism ``after_change``)."""

    onset: dt.date | None = None
    mechanism: str = ""
    change_stressor: str = ""
    course: str = ""
    patterns: tuple[str, ...] = ()
    aggravating: tuple[str, ...] = ()
    easing: tuple[str, ...] = ()
    systemic_signs: tuple[str, ...] = ()
    previous_episodes: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class PriorTreatment:
    """A prior or current treatment (issue 23): what, where (a zone, optional), since when, how often and how hard,
    and how the patient responded."""

    id: str
    kind: str
    zone: str = ""
    side: Side | None = None
    since: dt.date | None = None
    frequency: str = ""
    intensity: str = ""
    response: str = ""
    current: bool = True
    detail: str = ""


@dataclass(frozen=True)
class Observation:
    """A posture or gait observation (issue 23), with the side it is seen on."""

    id: str
    kind: str
    side: Side | None = None
    detail: str = ""


@dataclass(frozen=True)
class PriorVisit:
    id: str
    date: dt.date
    findings: tuple[Finding, ...] = ()
    muscle_tests: tuple[MuscleTest, ...] = ()
    pain_sites: tuple[PainSite, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    history: History | None = None


@dataclass(frozen=True)
class VisitInput:
    """Everything the engine needs about one visit; ``prior_visits`` may come in any order."""

    id: str
    date: dt.date
    pain_sites: tuple[PainSite, ...] = ()
    findings: tuple[Finding, ...] = ()
    muscle_tests: tuple[MuscleTest, ...] = ()
    screenings: tuple[Screening, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    stressors: tuple[Stressor, ...] = ()
    injuries: tuple[Injury, ...] = ()
    prior_visits: tuple[PriorVisit, ...] = ()
    chief_complaint: str = ""
    history: History | None = None
    treatments: tuple[PriorTreatment, ...] = ()
    observations: tuple[Observation, ...] = ()


# ---------------------------------------------------------------------------------------------------------- outputs
@dataclass(frozen=True)
class RedFlag:
    """A positive screen (TO-00): refer with the rule's action; blocks trigger-point work on the area."""

    rule: str
    detail: str
    condition: str
    action: str
    urgency: str | None
    refers: bool
    blocks_all: bool
    blocked_regions: tuple[str, ...]
    blocked_zones: tuple[str, ...]
    blocked_muscles: tuple[str, ...]
    sources: tuple[str, ...]
    side: Side | None = None
    lateral: bool = False
    reach: str = "none"

    def blocks(self, muscle: str, side: str) -> bool:
        """CS-03: this flag blocks ``muscle`` on ``side`` (a lateral flag only on the side its screen records)."""
        if muscle not in self.blocked_muscles:
            return False
        if not self.lateral or self.side in (None, "bilateral", "midline"):
            return True
        return side == self.side or side in ("bilateral", "midline")


@dataclass(frozen=True)
class PatternMatch:
    id: str
    name: str
    kind: PatternKind
    evidence: tuple[str, ...]
    explanation: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SourceCandidate:
    """A charted finding that may be the source of the pain ("muscle to examine/treat", never a diagnosis).

    ``basis`` is "muscle_test" for a muscle tested inhibited before treatment with no trigger point charted in it: the
    catalog's rules name it (U-3, TO-03, TO-05) and it is the practitioner's judgement (``finding_id`` is then "" and
    ``muscle_test_id`` names the test)."""

    muscle: str
    side: Side
    reason: str
    pattern: str
    rule_ids: tuple[str, ...]
    sources: tuple[str, ...]
    finding_id: str
    blocked_by: tuple[str, ...] = ()
    pending_screens: tuple[str, ...] = ()
    home_care_hold: str = ""
    location: str = ""
    basis: CandidateBasis = "finding"
    muscle_test_id: str = ""


@dataclass(frozen=True)
class ChartedMuscle:
    """A muscle and side charted in this visit (a finding or a muscle test, whatever it showed) and what the safety
    rules say about treating it: the red flags that block it (TO-00, CS-03), the screens that hold it (CS-02, CS-04)
    and why self-care stays off it.  ``proposed`` says whether the engine plans it as a source or driver; the
    practitioner may plan any other one on their own judgement (planner.practitioner_step), never a blocked one."""

    muscle: str
    side: Side
    finding_ids: tuple[str, ...]
    muscle_test_ids: tuple[str, ...]
    proposed: bool
    blocked_by: tuple[str, ...] = ()
    pending_screens: tuple[str, ...] = ()
    hold_rules: tuple[str, ...] = ()
    home_care_hold: str = ""
    location: str = ""
    test_results: tuple[str, ...] = ()


@dataclass(frozen=True)
class StressorItem:
    id: str
    kind: str
    reason: str
    rule_ids: tuple[str, ...]
    sources: tuple[str, ...]
    label: str = ""
    category: str = ""
    severity: int = 1
    patient_action: str = ""
    evidence: str = ""
    order_reason: str = ""


@dataclass(frozen=True)
class ScreenNeeded:
    """A screen to record negative before treating (CS-02 acute injury, CS-04 endangerment site): until then the
    muscles it holds are pending, and the home-care sheet carries none of them."""

    rule: str
    side: Side | None
    condition: str
    reason: str
    muscles: tuple[str, ...]
    rule_ids: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RecurringPoint:
    muscle: str
    side: Side
    visits: int
    advice: str
    rule_ids: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class DoNotTreat:
    """A painful site that is not itself a treatment target (U-2, TO-04)."""

    zone: str
    side: Side
    reason: str
    start_in: str | None
    rule_ids: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Note:
    kind: str
    text: str
    rule_ids: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Analysis:
    red_flags: tuple[RedFlag, ...]
    patterns: tuple[PatternMatch, ...]
    suspected_sources: tuple[SourceCandidate, ...]
    remote_drivers: tuple[SourceCandidate, ...]
    stressors_to_address: tuple[StressorItem, ...]
    recurring: tuple[RecurringPoint, ...]
    do_not_treat: tuple[DoNotTreat, ...]
    notes: tuple[Note, ...]
    engine_version: str
    catalog_version: str
    screens_needed: tuple[ScreenNeeded, ...] = ()
    charted: tuple[ChartedMuscle, ...] = ()


@dataclass(frozen=True)
class HomeCare:
    """Self-treatment for one muscle and side, from a named, sourced protocol (brief section b)."""

    muscle: str
    side: Side
    tools: tuple[str, ...]
    protocol: str
    method: str
    duration: str
    frequency: str
    intensity: str
    stop_rule: str
    caution: str
    source: str
    sources: tuple[str, ...] = ()
    where: str = ""


@dataclass(frozen=True)
class PlanStep:
    order: int
    kind: StepKind
    muscle: str | None
    side: Side | None
    stressor: str | None
    rationale: str
    rule_ids: tuple[str, ...]
    sources: tuple[str, ...]
    home_care: HomeCare | None = None
    pending_screens: tuple[str, ...] = ()
    custom: bool = False
    """The practitioner's own step (their judgement; no catalog rule proposed it, so ``rule_ids`` is empty)."""


@dataclass(frozen=True)
class Plan:
    engine_version: str
    catalog_version: str
    steps: tuple[PlanStep, ...]
    notes: tuple[Note, ...] = ()
