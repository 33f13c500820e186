"""The structured history, prior treatments and observation in the reasoning (issue 23), rule by rule (HX-01..HX-07).

Each rule is a catalog principle with its id, text and sources (catalog/history/history.yaml); each use below names it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from assessments.engine import (
    Analysis,
    Finding,
    History,
    MuscleTest,
    Observation,
    PainSite,
    PriorTreatment,
    Screening,
    Stressor,
    VisitInput,
    analyse,
    build_plan,
    default_catalog_dir,
    load_catalog,
)
from assessments.engine.history import HISTORY_INJURY_ID, acuity

CATALOG = load_catalog(default_catalog_dir())
TODAY = dt.date(2026, 3, 2)
HIP_RIGHT = PainSite("lateral_hip_trochanter", "right", 6, primary=True)
KNEE_LEFT = PainSite("anterior_knee_patella", "left", 6, primary=True)
LOW_BACK = PainSite("lumbar", "bilateral", 5, primary=True)
HEEL_LEFT = PainSite("plantar_heel", "left", 6, primary=True)


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def visit(**fields: object) -> VisitInput:
    return VisitInput(id="v-now", date=TODAY, **fields)  # type: ignore[arg-type]


def finding(muscle: str, side: str, fid: str = "f1", tenderness: int = 6) -> Finding:
    return Finding(fid, muscle, side, tenderness=tenderness, status="active", recognized=True)  # type: ignore[arg-type]


def note(analysis: Analysis, kind: str) -> str:
    return " ".join(n.text for n in analysis.notes if n.kind == kind)


def test_every_history_rule_is_a_sourced_catalog_principle() -> None:
    for rule_id in ("HX-01", "HX-02", "HX-03", "HX-04", "HX-05", "HX-06", "HX-07"):
        principle = CATALOG.principles[rule_id]
        assert principle.name and principle.text and principle.sources, rule_id
        assert all(source in CATALOG.sources for source in principle.sources), rule_id


# --- HX-01: acute, subacute or chronic -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("onset_days", "expected"),
    [(0, "acute"), (42, "acute"), (43, "subacute"), (84, "subacute"), (85, "chronic"), (400, "chronic")],
)
def test_acuity_follows_the_onset(onset_days: int, expected: str) -> None:
    assert acuity(History(onset=days_ago(onset_days)), TODAY, CATALOG) == expected


@pytest.mark.parametrize("history", [None, History(), History(onset=TODAY + dt.timedelta(days=3))])
def test_no_onset_or_one_in_the_future_gives_no_acuity(history: History | None) -> None:
    assert acuity(history, TODAY, CATALOG) == ""


@pytest.mark.parametrize(
    ("mechanism", "onset_days", "acute_injury"),
    [
        ("specific_injury", 10, True),
        ("specific_injury", 60, False),  # subacute: an old injury, no acute hold
        ("gradual", 10, False),
        ("overuse", 10, False),
    ],
)
def test_a_recent_specific_injury_brings_the_acute_injury_rules(
    mechanism: str, onset_days: int, acute_injury: bool
) -> None:
    analysis = analyse(
        visit(
            pain_sites=(KNEE_LEFT,),
            findings=(finding("vastus_medialis", "left"),),
            history=History(onset=days_ago(onset_days), mechanism=mechanism),
        ),
        CATALOG,
    )
    held = {s.rule for s in analysis.screens_needed if "CS-02" in s.rule_ids}
    assert bool(held) is acute_injury
    assert ("acute injury" in note(analysis, "history")) is acute_injury
    assert bool(note(analysis, "acute_injury")) is acute_injury
    assert "HX-01" in {r for n in analysis.notes if n.kind == "history" for r in n.rule_ids}
    if acute_injury:  # the point in the injured knee waits for the fracture screen (CS-02)
        (source,) = analysis.suspected_sources
        assert source.pending_screens and set(source.pending_screens) <= held
        assert HISTORY_INJURY_ID not in " ".join(source.reason for source in analysis.suspected_sources)


# --- HX-02: night pain, constant pain, systemic signs ----------------------------------------------------------------


@dataclass(frozen=True)
class ScreenCase:
    pain: PainSite
    history: History
    screen: str | None


SCREEN_CASES = [
    ScreenCase(LOW_BACK, History(patterns=("night",)), "SAFE-M-SPINE-SERIOUS"),
    ScreenCase(LOW_BACK, History(patterns=("constant",)), "SAFE-M-SPINE-SERIOUS"),
    ScreenCase(HIP_RIGHT, History(patterns=("night",)), "SAFE-M-HIP-GROIN"),
    ScreenCase(HEEL_LEFT, History(patterns=("night",)), "SAFE-M-FRACTURE-STRESS"),
    ScreenCase(HEEL_LEFT, History(systemic_signs=("weight_loss",)), "SAFE-M-SPINE-SERIOUS"),
    ScreenCase(HEEL_LEFT, History(patterns=("morning", "after_activity")), None),
    ScreenCase(LOW_BACK, History(), None),
]


@pytest.mark.parametrize("case", SCREEN_CASES, ids=lambda c: f"{c.pain.zone}-{c.history.patterns}-{c.screen}")
def test_night_constant_or_systemic_pain_asks_for_the_matching_screen_and_holds_treatment(case: ScreenCase) -> None:
    muscle = {"lumbar": "quadratus_lumborum", "lateral_hip_trochanter": "gluteus_medius"}.get(case.pain.zone, "soleus")
    side = "right" if case.pain.side == "bilateral" else case.pain.side
    base = visit(pain_sites=(case.pain,), findings=(finding(muscle, side),), history=case.history)
    analysis = analyse(base, CATALOG)
    asked = {s.rule for s in analysis.screens_needed if "HX-02" in s.rule_ids}
    if case.screen is None:
        assert not asked
        return
    assert asked == {case.screen}
    (needed,) = [s for s in analysis.screens_needed if s.rule == case.screen]
    assert "not a diagnosis" in needed.reason and "HX-02" in needed.reason
    held = [c for c in (*analysis.suspected_sources, *analysis.remote_drivers) if c.muscle == muscle]
    assert held and all(case.screen in c.pending_screens for c in held)
    plan = build_plan(base, analysis, CATALOG)
    assert all(step.home_care is None for step in plan.steps if step.muscle == muscle)
    # recorded negative: nothing is held any more
    cleared = analyse(
        VisitInput(
            id=base.id,
            date=base.date,
            pain_sites=base.pain_sites,
            findings=base.findings,
            history=base.history,
            screenings=(Screening(case.screen, "negative", side=case.pain.side),),
        ),
        CATALOG,
    )
    assert not [s for s in cleared.screens_needed if "HX-02" in s.rule_ids]


# --- HX-03, HX-04, HX-05: stressors the history supports -------------------------------------------------------------

POSTURE = Stressor("s-posture", "posture_ergonomics", "physical_structural", 2)
SLEEP = Stressor("s-sleep", "sleep_position_recumbency", "physical_structural", 2)
SHOES = Stressor("s-shoes", "rapid_footwear_transition", "physical_structural", 2, onset=days_ago(40))


@pytest.mark.parametrize(
    ("history", "stressor", "rule", "supported"),
    [
        (History(aggravating=("sitting",)), POSTURE, "HX-03", True),
        (History(aggravating=("computer_work", "stairs")), POSTURE, "HX-03", True),
        (History(aggravating=("walking",)), POSTURE, "HX-03", False),
        (History(patterns=("morning",)), SLEEP, "HX-04", True),
        (History(patterns=("after_activity",)), SLEEP, "HX-04", False),
        (History(onset=days_ago(20)), SHOES, "HX-05", True),  # new shoes 20 days before the onset
        (History(onset=days_ago(39)), SHOES, "HX-05", True),
        (History(onset=days_ago(41)), SHOES, "HX-05", False),  # the pain came first
        (History(onset=days_ago(1), mechanism="after_change", change_stressor="s-shoes"), SHOES, "HX-05", True),
        (History(), SHOES, "HX-05", False),
    ],
)
def test_the_history_supports_a_charted_stressor(
    history: History, stressor: Stressor, rule: str, supported: bool
) -> None:
    analysis = analyse(visit(pain_sites=(HEEL_LEFT,), stressors=(stressor,), history=history), CATALOG)
    (item,) = analysis.stressors_to_address
    assert (rule in item.rule_ids) is supported
    assert (f"({rule})" in item.reason) is supported


@pytest.mark.parametrize(
    ("history", "asked"),
    [
        (History(aggravating=("driving",)), "posture and ergonomics"),
        (History(patterns=("morning",)), "sleep"),
    ],
)
def test_a_stressor_the_history_suggests_but_nobody_charted_is_asked_about(history: History, asked: str) -> None:
    analysis = analyse(visit(pain_sites=(HEEL_LEFT,), history=history), CATALOG)
    assert asked in note(analysis, "ask").lower()
    assert not analysis.stressors_to_address  # a suggestion to ask, never a charted stressor


def test_a_supported_stressor_is_addressed_before_an_unsupported_one_of_the_same_severity_and_evidence() -> None:
    """CS-07 orders by severity, evidence, then whether a rule names it: the history names posture (HX-03)."""
    body_weight = Stressor("s-weight", "body_weight", "physical_structural", 2)
    stressors = (body_weight, POSTURE)
    assert {CATALOG.stressor_kinds[s.kind].evidence for s in stressors} == {"mainstream"}
    plain = analyse(visit(pain_sites=(KNEE_LEFT,), stressors=stressors), CATALOG)  # its rule names no stressor
    sitting = analyse(
        visit(pain_sites=(KNEE_LEFT,), stressors=stressors, history=History(aggravating=("sitting",))), CATALOG
    )
    assert [s.kind for s in plain.stressors_to_address] == ["body_weight", "posture_ergonomics"]
    assert [s.kind for s in sitting.stressors_to_address] == ["posture_ergonomics", "body_weight"]


# --- HX-06: a one-sided gait observation -----------------------------------------------------------------------------


def test_reduced_left_arm_swing_with_right_hip_pain_names_the_left_shoulder_chain_link() -> None:
    """The issue's case: the analysis names KC-X1 and the left shoulder because of the observation."""
    analysis = analyse(
        visit(
            pain_sites=(HIP_RIGHT,),
            findings=(finding("gluteus_medius", "right"), finding("infraspinatus", "left", fid="f2")),
            observations=(Observation("o1", "reduced_arm_swing", "left"),),
        ),
        CATALOG,
    )
    (link,) = [p for p in analysis.patterns if p.id == "KC-X1"]
    evidence = " ".join(link.evidence)
    assert "observation: reduced arm swing (left)" in evidence
    assert "examine (left shoulder, because of the reduced arm swing; HX-06)" in evidence
    (driver,) = analysis.remote_drivers
    assert (driver.muscle, driver.side) == ("infraspinatus", "left")
    assert "HX-06" in driver.rule_ids and "KC-X1" in driver.rule_ids and "reduced arm swing" in driver.reason
    assert [c.muscle for c in analysis.suspected_sources] == ["gluteus_medius"]


@pytest.mark.parametrize(
    ("observation", "pain", "fires"),
    [
        (Observation("o", "reduced_arm_swing", "left"), HIP_RIGHT, True),
        (Observation("o", "reduced_arm_swing", "right"), HIP_RIGHT, False),  # same side: KC-X1 is contralateral
        (Observation("o", "limp", "left"), PainSite("posterior_shoulder", "right", 5), True),  # hip -> other shoulder
        (Observation("o", "head_forward", None), HIP_RIGHT, False),  # posture, not gait, and no side
        (Observation("o", "reduced_arm_swing", None), HIP_RIGHT, False),  # no side, no contralateral link
        (Observation("o", "reduced_arm_swing", "left"), KNEE_LEFT, False),  # KC-X1 joins shoulder and hip only
    ],
)
def test_only_a_one_sided_gait_observation_fires_the_contralateral_link(
    observation: Observation, pain: PainSite, fires: bool
) -> None:
    analysis = analyse(visit(pain_sites=(pain,), observations=(observation,)), CATALOG)
    fired = [p for p in analysis.patterns if p.id == "KC-X1"]
    assert bool(fired) is fires
    if fires:
        assert any("HX-06" in e for e in fired[0].evidence)


def test_an_inhibited_muscle_on_the_observed_side_is_a_driver() -> None:
    analysis = analyse(
        visit(
            pain_sites=(HIP_RIGHT,),
            muscle_tests=(MuscleTest("t1", "infraspinatus", "left", "pre", "inhibited"),),
            observations=(Observation("o1", "reduced_arm_swing", "left"),),
        ),
        CATALOG,
    )
    assert [(d.muscle, d.side, d.basis) for d in analysis.remote_drivers] == [("infraspinatus", "left", "muscle_test")]


# --- HX-07: daily hard self-rolling on the painful spot ------------------------------------------------------------


@pytest.mark.parametrize(
    ("treatment", "rest"),
    [
        (PriorTreatment("t", "self_rolling", "plantar_heel", "left", frequency="daily", intensity="hard"), True),
        (PriorTreatment("t", "self_rolling", "", None, frequency="several_daily", intensity="hard"), True),
        (PriorTreatment("t", "self_rolling", "plantar_heel", "left", frequency="weekly", intensity="hard"), False),
        (PriorTreatment("t", "self_rolling", "plantar_heel", "left", frequency="daily", intensity="gentle"), False),
        (PriorTreatment("t", "self_rolling", "lumbar", None, frequency="daily", intensity="hard"), False),  # elsewhere
        (
            PriorTreatment(
                "t", "self_rolling", "plantar_heel", "left", frequency="daily", intensity="hard", current=False
            ),
            False,
        ),
        (PriorTreatment("t", "injection", "plantar_heel", "left", frequency="once", intensity="hard"), False),
    ],
)
def test_daily_hard_self_rolling_on_the_painful_spot_brings_rest_advice(treatment: PriorTreatment, rest: bool) -> None:
    base = visit(pain_sites=(HEEL_LEFT,), findings=(finding("soleus", "left"),), treatments=(treatment,))
    analysis = analyse(base, CATALOG)
    rest_note = note(analysis, "rest")
    assert ("HX-07" in rest_note) is rest
    assert ("over-aggressive or over-frequent treatment" in note(analysis, "ask").lower()) is rest
    plan = build_plan(base, analysis, CATALOG)
    cared = [s for s in plan.steps if s.home_care is not None]
    assert (not cared) is rest  # rest first: nothing goes on the home-care sheet


def test_a_charted_over_aggressive_treatment_stressor_is_supported_by_the_self_rolling() -> None:
    rolling = PriorTreatment("t", "self_rolling", "plantar_heel", "left", frequency="daily", intensity="hard")
    stressor = Stressor("s", "over_aggressive_treatment", "physical_structural", 2)
    analysis = analyse(visit(pain_sites=(HEEL_LEFT,), stressors=(stressor,), treatments=(rolling,)), CATALOG)
    (item,) = analysis.stressors_to_address
    assert "HX-07" in item.rule_ids and "foam rolling, ball or stick at home" in item.reason.lower()
    assert not note(analysis, "ask")


def test_without_history_the_analysis_is_what_it_was() -> None:
    base = visit(pain_sites=(HIP_RIGHT,), findings=(finding("gluteus_medius", "right"),))
    with_empty = VisitInput(
        id=base.id, date=base.date, pain_sites=base.pain_sites, findings=base.findings, history=History()
    )
    assert analyse(base, CATALOG) == analyse(with_empty, CATALOG)


# --- the comparison: course and pattern over visits ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (
            History(course="worse", patterns=("night", "morning")),
            History(course="better", patterns=("morning",)),
            [("course", "Getting worse", "Getting better", "improved"),
             ("pattern:morning", "Worse in the morning or on the first steps",
              "Worse in the morning or on the first steps", "unchanged"),
             ("pattern:night", "Night pain that wakes the patient", None, "resolved")],
        ),
        (
            None,
            History(course="worse", patterns=("constant",)),
            [("course", None, "Getting worse", "worse"),
             ("pattern:constant", None, "Constant, unremitting pain (no position or rest eases it)", "new")],
        ),
        (History(course="same"), History(course="same"), [("course", "About the same", "About the same", "unchanged")]),
        (None, None, []),
    ],
)  # fmt: skip
def test_the_comparison_shows_the_reported_course_and_pattern(
    before: History | None, after: History | None, expected: list[tuple[str, str | None, str | None, str]]
) -> None:
    from assessments.engine import PriorVisit, compare

    earlier = PriorVisit("v1", days_ago(14), pain_sites=(HEEL_LEFT,), history=before)
    later = PriorVisit("v2", TODAY, pain_sites=(HEEL_LEFT,), history=after)
    result = compare(earlier, later, catalog=CATALOG)
    assert [(c.key, c.before, c.after, c.change) for c in result.history] == expected
    assert not any(c.tracked for c in result.history)  # self-report: never in the MCID summary
