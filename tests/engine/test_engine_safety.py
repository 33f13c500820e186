"""Clinical safety rules CS-01..CS-08: acute injuries, screens by region and side, endangerment screens, recurrence,
change by points or percent, stressor order and where to work -- on plain dataclasses, no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from assessments.engine import (
    Analysis,
    Finding,
    Injury,
    PainSite,
    Plan,
    PlanStep,
    PriorVisit,
    Screening,
    Stressor,
    VisitInput,
    analyse,
    build_plan,
    compare,
    default_catalog_dir,
    load_catalog,
    progress,
    rehab_check,
)

CATALOG = load_catalog(default_catalog_dir())
TODAY = dt.date(2026, 3, 2)
TREATMENT = ("treat_remote_driver", "treat_trigger_point")
LOWER_LIMB_REGIONS = ("hip", "thigh", "leg", "foot")


def visit(**fields: object) -> VisitInput:
    return VisitInput(id="v-now", date=TODAY, **fields)  # type: ignore[arg-type]


def run(v: VisitInput) -> tuple[Analysis, Plan]:
    analysis = analyse(v, CATALOG)
    return analysis, build_plan(v, analysis, CATALOG)


def treated(plan: Plan) -> dict[tuple[str | None, str | None], PlanStep]:
    return {(s.muscle, s.side): s for s in plan.steps if s.kind in TREATMENT}


def active(muscle: str, side: str = "left", tenderness: int = 7, **extra: object) -> Finding:
    return Finding(f"f-{muscle}-{side}", muscle, side, tenderness=tenderness, status="active", **extra)  # type: ignore[arg-type]


def region(muscle: str) -> str:
    return CATALOG.muscles[muscle].region


# ----------------------------------------------------------------------------------------- CS-01 / CS-02 acute injury
FALL = Injury("i-fall", "lateral_ankle", "left", TODAY - dt.timedelta(days=2), "fell down two stairs", painful_now=True)

KNEE_AND_NECK_AFTER_A_FALL = visit(
    pain_sites=(
        PainSite("lateral_leg", "left", 6, primary=True),
        PainSite("lateral_thigh", "left", 4),
        PainSite("posterior_shoulder", "right", 4),
        PainSite("posterior_neck", "right", 4),
    ),
    findings=(
        active("soleus"),
        active("fibularis_longus_brevis", recognized=True),
        active("vastus_lateralis", recognized=True),
        active("gluteus_minimus"),
        active("infraspinatus", "right"),
        active("trapezius_upper", "right", recognized=True),
    ),
    injuries=(FALL,),
    screenings=(Screening("SAFE-M-CAD", "negative"), Screening("SAFE-M-SPINE-SERIOUS", "negative")),
)


@pytest.mark.parametrize(
    ("occurred_on", "painful_now", "acute"),
    [
        pytest.param(TODAY - dt.timedelta(days=2), True, True, id="two-days-old"),
        pytest.param(TODAY - dt.timedelta(days=42), False, True, id="six-weeks-old"),
        pytest.param(TODAY - dt.timedelta(days=43), True, False, id="older-than-six-weeks"),
        pytest.param(None, True, True, id="undated-and-painful"),
        pytest.param(None, False, False, id="undated-and-painless"),
    ],
)
def test_an_injury_is_acute_within_the_catalog_window_or_undated_and_painful(
    occurred_on: dt.date | None, painful_now: bool, acute: bool
) -> None:
    injury = replace(FALL, occurred_on=occurred_on, painful_now=painful_now)
    analysis, _ = run(replace(KNEE_AND_NECK_AFTER_A_FALL, injuries=(injury,)))
    needs = {item.rule for item in analysis.screens_needed}
    assert ("SAFE-M-FRACTURE-ANKLE-FOOT" in needs) is acute
    assert any(note.kind == "acute_injury" for note in analysis.notes) is acute


def test_a_two_day_old_fall_is_never_a_remote_driver() -> None:
    analysis, _ = run(KNEE_AND_NECK_AFTER_A_FALL)
    assert ("soleus", "left") not in {(d.muscle, d.side) for d in analysis.remote_drivers}
    old = replace(FALL, occurred_on=TODAY - dt.timedelta(days=400), painful_now=False)
    old_analysis, _ = run(replace(KNEE_AND_NECK_AFTER_A_FALL, injuries=(old,)))
    assert ("soleus", "left") in {(d.muscle, d.side) for d in old_analysis.remote_drivers}, "TO-03 still holds"


def test_an_unscreened_acute_injury_holds_work_in_and_next_to_it_and_names_the_missing_screen() -> None:
    analysis, plan = run(KNEE_AND_NECK_AFTER_A_FALL)
    (needed,) = [item for item in analysis.screens_needed if item.rule == "SAFE-M-FRACTURE-ANKLE-FOOT"]
    assert needed.side == "left" and "CS-02" in needed.rule_ids and "fibularis_longus_brevis" in needed.muscles
    steps = treated(plan)
    for muscle in ("fibularis_longus_brevis",):
        step = steps[(muscle, "left")]
        assert step.pending_screens == ("SAFE-M-FRACTURE-ANKLE-FOOT",)
        assert step.home_care is None and "Screen first" in step.rationale
    assert steps[("vastus_lateralis", "left")].pending_screens == (), "the thigh is not next to the ankle"
    assert steps[("trapezius_upper", "right")].home_care is not None
    assert any(note.kind == "screen_first" and "SAFE-M-FRACTURE-ANKLE-FOOT" in note.text for note in plan.notes)


def test_once_fracture_is_screened_out_the_muscles_near_the_injury_are_planned_but_self_care_stays_off_it() -> None:
    screened = replace(
        KNEE_AND_NECK_AFTER_A_FALL,
        screenings=(
            *KNEE_AND_NECK_AFTER_A_FALL.screenings,
            Screening("SAFE-M-FRACTURE-ANKLE-FOOT", "negative", side="left"),
        ),
    )
    analysis, plan = run(screened)
    assert not [item for item in analysis.screens_needed if "CS-02" in item.rule_ids]
    fibularis = treated(plan)[("fibularis_longus_brevis", "left")]
    assert fibularis.pending_screens == () and fibularis.home_care is None
    assert "acute injury" in fibularis.rationale
    wrong_side = replace(
        KNEE_AND_NECK_AFTER_A_FALL,
        screenings=(
            *KNEE_AND_NECK_AFTER_A_FALL.screenings,
            Screening("SAFE-M-FRACTURE-ANKLE-FOOT", "negative", side="right"),
        ),
    )
    _, plan = run(wrong_side)
    assert treated(plan)[("fibularis_longus_brevis", "left")].pending_screens, "a right screen does not clear the left"


def test_an_acute_injury_where_the_catalog_has_no_screen_needs_the_general_serious_problem_screen() -> None:
    wrist = Injury("i-wrist", "wrist_dorsal", "right", TODAY - dt.timedelta(days=3), painful_now=True)
    v = visit(
        pain_sites=(PainSite("forearm_dorsal", "right", 5),),
        findings=(active("wrist_extensors_radial", "right"),),
        injuries=(wrist,),
    )
    analysis, plan = run(v)
    assert {item.rule for item in analysis.screens_needed} >= {"SAFE-S2"}
    assert treated(plan)[("wrist_extensors_radial", "right")].pending_screens == ("SAFE-S2",)


# ------------------------------------------------------------------------------------ CS-03 reach by region and side
def test_a_fresh_fracture_screen_leaves_no_treatment_or_self_care_on_that_leg_and_the_neck_still_planned() -> None:
    positive = replace(
        KNEE_AND_NECK_AFTER_A_FALL,
        screenings=(
            *KNEE_AND_NECK_AFTER_A_FALL.screenings,
            Screening("SAFE-M-FRACTURE-ANKLE-FOOT", "positive", "malleolus tender", side="left"),
        ),
    )
    analysis, plan = run(positive)
    (flag,) = analysis.red_flags
    assert (flag.rule, flag.side, flag.reach) == ("SAFE-M-FRACTURE-ANKLE-FOOT", "left", "limb")
    for step in plan.steps:
        if step.muscle is not None and step.side == "left":
            assert region(step.muscle) not in LOWER_LIMB_REGIONS, step
        if step.home_care is not None:
            assert step.home_care.side != "left" or region(step.home_care.muscle) not in LOWER_LIMB_REGIONS
    assert ("trapezius_upper", "right") in treated(plan)
    assert plan.steps[0].kind == "refer" and "left side" in plan.steps[0].rationale
    blocked = {(c.muscle, c.side) for c in (*analysis.suspected_sources, *analysis.remote_drivers) if c.blocked_by}
    assert {("fibularis_longus_brevis", "left"), ("vastus_lateralis", "left"), ("gluteus_minimus", "left")} <= blocked


@pytest.mark.parametrize(
    ("screen_side", "left_blocked", "right_blocked"),
    [
        pytest.param("left", True, False, id="left-flag"),
        pytest.param("right", False, True, id="right-flag"),
        pytest.param(None, True, True, id="no-side-recorded-blocks-both"),
    ],
)
def test_a_one_sided_red_flag_blocks_its_side_only(
    screen_side: str | None, left_blocked: bool, right_blocked: bool
) -> None:
    v = visit(
        pain_sites=(
            PainSite("lateral_hip_trochanter", "right", 6, primary=True),
            PainSite("lateral_hip_trochanter", "left", 3),
        ),
        findings=(active("gluteus_minimus", "right", recognized=True), active("gluteus_minimus", "left")),
        screenings=(Screening("SAFE-M-FRACTURE-ANKLE-FOOT", "positive", side=screen_side),),  # type: ignore[arg-type]
    )
    _, plan = run(v)
    steps = treated(plan)
    assert (("gluteus_minimus", "left") not in steps) is left_blocked
    assert (("gluteus_minimus", "right") not in steps) is right_blocked


def test_a_midline_rule_ignores_the_side_it_was_charted_with() -> None:
    v = visit(
        pain_sites=(PainSite("lumbar", "bilateral", 6, primary=True),),
        findings=(active("iliopsoas", "right"), active("iliopsoas", "left")),
        screenings=(Screening("SAFE-M-ABDOMEN", "positive", side="left"),),
    )
    analysis, plan = run(v)
    assert not {m for m, _ in treated(plan)} & {"iliopsoas"}
    assert {c.side for c in analysis.suspected_sources if c.muscle == "iliopsoas" and c.blocked_by} == {"left", "right"}


# ------------------------------------------------------------------------------------ CS-04 endangerment screens
LOW_BACK = visit(
    pain_sites=(PainSite("lumbar", "bilateral", 6, primary=True),),
    findings=(active("quadratus_lumborum", recognized=True), active("iliopsoas", "right", 6)),
)


@pytest.mark.parametrize(
    ("screenings", "pending", "planned"),
    [
        pytest.param((), ("SAFE-M-ABDOMEN",), True, id="not-recorded"),
        pytest.param((Screening("SAFE-M-ABDOMEN", "not_done"),), ("SAFE-M-ABDOMEN",), True, id="not-done"),
        pytest.param((Screening("SAFE-M-ABDOMEN", "negative"),), (), True, id="negative"),
        pytest.param((Screening("SAFE-M-ABDOMEN", "positive"),), None, False, id="positive-blocks"),
    ],
)
def test_psoas_waits_for_the_abdominal_screen(
    screenings: tuple[Screening, ...], pending: tuple[str, ...] | None, planned: bool
) -> None:
    analysis, plan = run(replace(LOW_BACK, screenings=screenings))
    step = treated(plan).get(("iliopsoas", "right"))
    assert (step is not None) is planned
    if step is not None:
        assert step.pending_screens == pending and step.home_care is None
    assert ("SAFE-M-ABDOMEN" in {item.rule for item in analysis.screens_needed}) is bool(pending)


def test_a_seventy_year_old_with_no_screens_at_all_gets_no_unconditional_psoas_step() -> None:
    _, plan = run(replace(LOW_BACK, screenings=()))
    psoas = treated(plan)[("iliopsoas", "right")]
    assert psoas.pending_screens and psoas.rationale.startswith("Screen first")
    assert treated(plan)[("quadratus_lumborum", "left")].pending_screens == ()


def test_calf_work_over_the_popliteal_fossa_waits_for_the_clot_screen_on_its_side() -> None:
    v = visit(
        pain_sites=(PainSite("calf", "left", 5, primary=True),),
        findings=(active("gastrocnemius", recognized=True), active("soleus")),
        screenings=(Screening("SAFE-M-DVT", "negative", side="right"),),
    )
    _, plan = run(v)
    assert treated(plan)[("gastrocnemius", "left")].pending_screens == ("SAFE-M-DVT",)
    assert treated(plan)[("soleus", "left")].home_care is not None
    _, plan = run(replace(v, screenings=(Screening("SAFE-M-DVT", "negative", side="left"),)))
    assert treated(plan)[("gastrocnemius", "left")].pending_screens == ()


# ------------------------------------------------------------------------------------------------- CS-05 recurrence
def prior(days_ago: int, *findings: Finding) -> PriorVisit:
    return PriorVisit(f"p{days_ago}", TODAY - dt.timedelta(days=days_ago), findings=findings)


def vl(tenderness: int, status: str = "active") -> Finding:
    return Finding("f-vl", "vastus_lateralis", "left", tenderness=tenderness, status=status)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("history", "recurring", "improving"),
    [
        pytest.param([7, 3], False, True, id="7-3-improving"),
        pytest.param([7, 7, 3], False, True, id="7-7-3-improving"),
        pytest.param([7, 7, 6], True, False, id="7-7-6-recurring"),
        pytest.param([6, 6, 6, 6], True, False, id="6-6-6-6-recurring"),
        pytest.param([7, 6], False, False, id="two-visits-are-not-recurring"),
        pytest.param([7, 0, 7, 7], False, False, id="a-gap-breaks-the-streak"),
        pytest.param([7, 7, 5], False, True, id="a-fall-of-two-is-improving"),
    ],
)
def test_recurring_and_improving_agree_across_analysis_comparison_and_progress(
    history: list[int], recurring: bool, improving: bool
) -> None:
    visits = [
        PriorVisit(f"v{i}", TODAY - dt.timedelta(days=14 * (len(history) - 1 - i)), findings=(vl(t),) if t else ())
        for i, t in enumerate(history)
    ]
    now = visits[-1]
    analysis = analyse(
        visit(
            pain_sites=(PainSite("lateral_thigh", "left", 4),),
            findings=now.findings,
            prior_visits=tuple(visits[:-1]),
        ),
        CATALOG,
    )
    assert bool(analysis.recurring) is recurring
    change = {c.key: c for c in compare(visits[-2], now, catalog=CATALOG, history=visits).findings}
    assert compare(visits[-2], now, catalog=CATALOG).findings[0].recurring is False, "two visits alone never recur"
    if history[-2]:
        assert change["vastus_lateralis:left"].recurring is recurring
        assert (change["vastus_lateralis:left"].change == "improved") is improving
    (series,) = progress(visits, CATALOG).points
    assert (series.recurring, series.improving) == (recurring, improving)
    assert ("not addressed" in series.advice) is recurring
    assert series.rule_ids == (("TO-08", "SAFE-S6", "CS-05") if recurring else ())
    assert "TO-08" not in series.advice, "the words and the rule ids are kept apart"


def test_an_active_point_that_goes_latent_without_more_tenderness_is_improving() -> None:
    visits = [prior(28, vl(6)), prior(14, vl(6)), PriorVisit("v-now", TODAY, findings=(vl(5, "latent"),))]
    (series,) = progress(visits, CATALOG).points
    assert series.improving and not series.recurring


# ------------------------------------------------------------------------------------------- CS-06 points or percent
@pytest.mark.parametrize(
    ("before", "after", "change", "named"),
    [
        pytest.param(3, 2, "improved", "30%", id="a-third-less-pain-by-percent"),
        pytest.param(8, 6, "improved", "2 points", id="two-points"),
        pytest.param(5, 4, "unchanged", "below", id="one-point-and-twenty-percent"),
        pytest.param(2, 3, "worse", "30%", id="half-again-worse-by-percent"),
        pytest.param(0, 1, "unchanged", "below", id="from-zero-only-points-count"),
    ],
)
def test_pain_change_is_judged_by_points_or_percent_and_says_which(
    before: int, after: int, change: str, named: str
) -> None:
    a = PriorVisit("a", TODAY - dt.timedelta(days=14), pain_sites=(PainSite("lumbar", "midline", before, True),))
    b = PriorVisit("b", TODAY, pain_sites=(PainSite("lumbar", "midline", after, True),))
    (pain,) = compare(a, b, catalog=CATALOG).pain_sites
    assert pain.change == change and named in pain.explanation


def test_rehabilitation_counts_a_thirty_percent_drop_in_pain_as_meeting_the_mcid() -> None:
    before = PriorVisit("a", TODAY - dt.timedelta(days=14), pain_sites=(PainSite("lumbar", "midline", 3, True),))
    v = visit(pain_sites=(PainSite("lumbar", "midline", 2, True),), prior_visits=(before,))
    check = rehab_check(v, analyse(v, CATALOG), CATALOG)
    assert check.met and "30%" in check.explanation


# --------------------------------------------------------------------------------------------- CS-07 stressor order
def test_severe_sitting_ergonomics_comes_before_a_contested_diet_claim_for_low_back_pain() -> None:
    v = replace(
        LOW_BACK,
        stressors=(
            Stressor("s-sugar", "refined_sugar", "chemical_nutritional", 1),
            Stressor("s-desk", "posture_ergonomics", "physical_structural", 3, detail="sits 10 hours a day"),
        ),
    )
    items = analyse(v, CATALOG).stressors_to_address
    assert [i.kind for i in items] == ["posture_ergonomics", "refined_sugar"]
    assert "Severity 3/3" in items[0].order_reason and "mainstream" in items[0].order_reason
    assert "named by SYM-LOW-BACK" in items[1].order_reason and "CS-07" in items[1].rule_ids


def test_at_equal_severity_mainstream_comes_before_the_authors_opinion_before_ak_tradition() -> None:
    v = visit(
        pain_sites=(PainSite("calf", "left", 5),),
        stressors=(
            Stressor("s-ak", "anaerobic_overtraining", "training_recovery", 2),
            Stressor("s-diet", "poor_diet_general", "chemical_nutritional", 2),
            Stressor("s-load", "rapid_load_increase", "training_recovery", 2),
        ),
    )
    items = analyse(v, CATALOG).stressors_to_address
    assert [i.evidence for i in items] == ["mainstream", "author_opinion", "ak_tradition"]
    assert "AK tradition, not evidence-based" in items[2].order_reason


# ------------------------------------------------------------------------------------------------ CS-08 where to work
@pytest.mark.parametrize(
    ("muscle", "location", "expected"),
    [
        pytest.param("soleus", "distal belly, achilles", "distal belly a few cm above the heel", id="matches"),
        pytest.param("erector_spinae", "L1", "iliocostalis lumborum at about L1", id="a-level"),
        pytest.param("erector_spinae", "between the shoulder blades", "", id="no-catalog-location"),
        pytest.param("soleus", "", "", id="nothing-charted"),
    ],
)
def test_the_sheets_where_follows_the_charted_location_or_leaves_it_to_the_practitioner(
    muscle: str, location: str, expected: str
) -> None:
    v = visit(
        pain_sites=(PainSite("plantar_heel" if muscle == "soleus" else "lumbar", "left", 5, primary=True),),
        findings=(active(muscle, location=location, recognized=True),),
        screenings=(Screening("SAFE-M-ABDOMEN", "negative"),),
    )
    _, plan = run(v)
    care = treated(plan)[(muscle, "left")].home_care
    assert care is not None
    assert care.where.startswith(expected) if expected else care.where == ""
