"""build_plan(): step order TO-00..TO-09, blocked regions, home care, rehab criterion, and plan-wide invariants."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from assessments.engine import (
    Finding,
    Injury,
    MuscleTest,
    PainSite,
    Plan,
    PriorVisit,
    Screening,
    Stressor,
    VisitInput,
    analyse,
    build_plan,
    default_catalog_dir,
    load_catalog,
)

CATALOG = load_catalog(default_catalog_dir())
TODAY = dt.date(2026, 3, 2)
STEP_ORDER = ["refer", "address_stressor", "treat_remote_driver", "treat_trigger_point", "retest", "rehab", "follow_up"]


def visit(**fields: object) -> VisitInput:
    return VisitInput(id="v-now", date=TODAY, **fields)  # type: ignore[arg-type]


def plan_for(v: VisitInput, **options: object) -> Plan:
    return build_plan(v, analyse(v, CATALOG), CATALOG, **options)  # type: ignore[arg-type]


def kinds(plan: Plan) -> list[str]:
    return [step.kind for step in plan.steps]


def treated(plan: Plan) -> list[tuple[str | None, str | None]]:
    return [(s.muscle, s.side) for s in plan.steps if s.kind in ("treat_remote_driver", "treat_trigger_point")]


HEEL = visit(
    pain_sites=(PainSite("plantar_heel", "left", 6, primary=True),),
    findings=(
        Finding("f-ah", "abductor_hallucis", "left", tenderness=6, status="active"),
        Finding("f-gas", "gastrocnemius", "left", tenderness=4, status="latent"),
        Finding("f-tp", "tibialis_posterior", "left", tenderness=5, status="latent", taut_band=True),
        Finding("f-sol", "soleus", "left", tenderness=7, status="active", recognized=True, taut_band=True),
    ),
    stressors=(Stressor("s-shoes", "rapid_footwear_transition", "physical_structural", 2, dt.date(2026, 1, 10)),),
)

LATERAL_THIGH = visit(
    pain_sites=(PainSite("lateral_thigh", "right", 6, primary=True), PainSite("lateral_knee", "right", 4)),
    findings=(
        Finding("f-gmin", "gluteus_minimus", "right", tenderness=7, status="active", recognized=True),
        Finding("f-tfl", "tensor_fasciae_latae", "right", tenderness=5, status="latent"),
        Finding("f-vl", "vastus_lateralis", "right", tenderness=6, status="active"),
        Finding("f-is", "infraspinatus", "left", tenderness=6, status="latent", taut_band=True),
    ),
    injuries=(Injury("i-sh", "posterior_shoulder", "left", dt.date(2019, 5, 1), "fell on the shoulder"),),
)

TEMPLE = visit(
    pain_sites=(PainSite("temple", "right", 5, primary=True), PainSite("eye_orbit", "right", 4)),
    findings=(
        Finding("f-scm", "sternocleidomastoid", "right", tenderness=6, status="latent"),
        Finding("f-ut", "trapezius_upper", "right", tenderness=7, status="active", recognized=True),
    ),
    stressors=(Stressor("s-desk", "posture_ergonomics", "physical_structural", 2),),
    screenings=(Screening("SAFE-M-CAD", "negative"), Screening("SAFE-M-HEADACHE", "negative")),
)

LOW_BACK_BLOATING = visit(
    pain_sites=(PainSite("lumbar", "bilateral", 6, primary=True),),
    findings=(
        Finding("f-ql", "quadratus_lumborum", "left", tenderness=7, status="active", recognized=True),
        Finding("f-ip", "iliopsoas", "right", tenderness=6, status="active"),
    ),
    stressors=(Stressor("s-bloat", "gut_distension_bloating", "chemical_nutritional", 2),),
)

BLOOD_CLOT = visit(
    pain_sites=(PainSite("calf", "left", 6, primary=True), PainSite("posterior_neck", "left", 3)),
    findings=(
        Finding("f-sol", "soleus", "left", tenderness=7, status="active", recognized=True),
        Finding("f-gas", "gastrocnemius", "left", tenderness=5, status="latent"),
        Finding("f-ut", "trapezius_upper", "left", tenderness=6, status="active"),
    ),
    screenings=(Screening("SAFE-M-DVT", "positive", "calf 4 cm larger than the right"),),
)


def test_heel_pain_after_a_shoe_change_addresses_footwear_first() -> None:
    plan = plan_for(HEEL)
    assert kinds(plan)[0] == "address_stressor"
    assert plan.steps[0].stressor == "s-shoes"
    assert "gradually" in plan.steps[0].rationale and "TO-01" in plan.steps[0].rule_ids


def test_heel_pain_treats_the_lower_leg_before_the_foot_and_never_the_heel() -> None:
    plan = plan_for(HEEL)
    assert treated(plan) == [
        ("soleus", "left"),
        ("tibialis_posterior", "left"),
        ("gastrocnemius", "left"),
        ("abductor_hallucis", "left"),
    ]
    treat_steps = [s for s in plan.steps if s.kind == "treat_trigger_point"]
    assert all("TO-04" in s.rule_ids and "U-2" in s.rule_ids for s in treat_steps)
    assert all(s.muscle in CATALOG.muscles for s in treat_steps)


def test_lateral_thigh_pain_treats_the_old_opposite_shoulder_before_the_local_sources() -> None:
    plan = plan_for(LATERAL_THIGH)
    assert kinds(plan) == ["treat_remote_driver"] + ["treat_trigger_point"] * 3 + ["retest", "follow_up"]
    assert treated(plan) == [
        ("infraspinatus", "left"),
        ("gluteus_minimus", "right"),
        ("vastus_lateralis", "right"),
        ("tensor_fasciae_latae", "right"),
    ]
    assert {"KC-X1", "TO-03"} <= set(plan.steps[0].rule_ids)


def test_temple_headache_treats_upper_trapezius_then_sternocleidomastoid_with_pincer_caution() -> None:
    plan = plan_for(TEMPLE)
    assert treated(plan) == [("trapezius_upper", "right"), ("sternocleidomastoid", "right")]
    scm = next(s for s in plan.steps if s.muscle == "sternocleidomastoid")
    assert scm.home_care is not None
    assert scm.home_care.tools == ("hands",)
    assert "pincer" in scm.home_care.caution


def test_low_back_pain_with_bloating_addresses_the_gut_first_then_quadratus_lumborum_and_psoas() -> None:
    plan = plan_for(LOW_BACK_BLOATING)
    assert kinds(plan)[0] == "address_stressor" and "KC-X5" in plan.steps[0].rule_ids
    assert treated(plan) == [("quadratus_lumborum", "left"), ("iliopsoas", "right")]
    psoas = next(s for s in plan.steps if s.muscle == "iliopsoas")
    assert psoas.home_care is None and psoas.pending_screens == ("SAFE-M-ABDOMEN",)
    screened = plan_for(replace(LOW_BACK_BLOATING, screenings=(Screening("SAFE-M-ABDOMEN", "negative"),)))
    psoas = next(s for s in screened.steps if s.muscle == "iliopsoas")
    assert psoas.home_care is None and "practitioner-only" in psoas.rationale and psoas.pending_screens == ()


def test_positive_blood_clot_screen_refers_first_and_withholds_calf_work_and_home_care() -> None:
    plan = plan_for(BLOOD_CLOT)
    first = plan.steps[0]
    assert first.kind == "refer" and first.rule_ids == ("SAFE-M-DVT", "TO-00")
    assert "same-day medical assessment" in first.rationale and "Wells1997" in first.sources
    assert treated(plan) == [("trapezius_upper", "left")]
    calf = {"soleus", "gastrocnemius"}
    assert not any(s.home_care and s.home_care.muscle in calf for s in plan.steps)


def test_a_systemic_emergency_leaves_no_treatment_at_all() -> None:
    plan = plan_for(
        visit(
            pain_sites=(PainSite("anterior_chest", "left", 7, primary=True),),
            findings=(Finding("f1", "pectoralis_major", "left", tenderness=7, status="active"),),
            screenings=(Screening("SAFE-M-CARDIAC", "positive", "pain on exertion"),),
        )
    )
    assert kinds(plan) == ["refer", "follow_up"]
    assert "emergency" in plan.steps[0].rationale.lower()


def test_an_unknown_screening_rule_is_ignored() -> None:
    plan = plan_for(
        visit(
            pain_sites=(PainSite("temple", "left", 4),),
            findings=(Finding("f1", "trapezius_upper", "left", tenderness=6, status="active"),),
            screenings=(Screening("SAFE-NOT-IN-CATALOG", "positive"),),
        )
    )
    assert "refer" not in kinds(plan)
    assert treated(plan) == [("trapezius_upper", "left")]


def test_a_local_caution_screen_keeps_treatment_but_withholds_home_care() -> None:
    plan = plan_for(
        visit(
            pain_sites=(PainSite("temple", "left", 4),),
            findings=(Finding("f1", "trapezius_upper", "left", tenderness=6, status="active"),),
            screenings=(Screening("SAFE-M-LOCAL-CONTRA", "positive", "on anticoagulants"),),
        )
    )
    assert "refer" not in kinds(plan)
    (step,) = [s for s in plan.steps if s.kind == "treat_trigger_point"]
    assert step.home_care is None and "SAFE-M-LOCAL-CONTRA" in step.rationale
    assert [n.kind for n in plan.notes] == ["screen", "caution"]


def recurring_visit() -> VisitInput:
    def prior(day: int) -> PriorVisit:
        return PriorVisit(
            id=f"v-{day}",
            date=dt.date(2026, 2, day),
            findings=(Finding(f"f{day}", "soleus", "left", tenderness=6, status="latent"),),
        )

    return visit(
        pain_sites=(PainSite("plantar_heel", "left", 5),),
        findings=(Finding("f-now", "soleus", "left", tenderness=6, status="latent"),),
        prior_visits=(prior(16), prior(2)),
    )


def test_a_point_recurring_over_three_visits_is_flagged_in_the_follow_up() -> None:
    plan = plan_for(recurring_visit())
    follow_up = plan.steps[-1]
    assert follow_up.kind == "follow_up"
    assert {"TO-08", "SAFE-S6"} <= set(follow_up.rule_ids)
    assert "3 consecutive visits" in follow_up.rationale


def test_over_frequent_self_treatment_soreness_means_rest_and_no_home_care() -> None:
    plan = plan_for(
        visit(
            pain_sites=(PainSite("calf", "left", 4),),
            findings=(Finding("f1", "soleus", "left", tenderness=6, status="latent"),),
            stressors=(Stressor("s1", "over_aggressive_treatment", "physical_structural", 2, detail="rolls 10x/day"),),
            screenings=(Screening("SAFE-M-DVT", "negative"),),
        )
    )
    assert [n.kind for n in plan.notes if n.kind == "rest"] == ["rest"]
    assert all(step.home_care is None for step in plan.steps)
    assert "rest" in plan.steps[-1].rationale and "TO-09" in plan.steps[-1].rule_ids


def test_a_point_that_got_worse_gets_no_home_care_while_others_do() -> None:
    plan = plan_for(
        visit(
            pain_sites=(PainSite("plantar_heel", "left", 5),),
            findings=(
                Finding("f1", "soleus", "left", tenderness=7, status="active", treated=True, response="worse"),
                Finding("f2", "tibialis_posterior", "left", tenderness=5, status="latent"),
            ),
        )
    )
    care = {s.muscle: s.home_care for s in plan.steps if s.kind == "treat_trigger_point"}
    assert care["soleus"] is None and care["tibialis_posterior"] is not None


def test_retest_follows_the_treatment_steps_and_follow_up_is_always_last() -> None:
    for v in (HEEL, LATERAL_THIGH, TEMPLE, LOW_BACK_BLOATING, BLOOD_CLOT, visit()):
        names = kinds(plan_for(v))
        assert names[-1] == "follow_up"
        assert names == sorted(names, key=STEP_ORDER.index)
        assert names.count("retest") == (1 if any(k.startswith("treat") for k in names) else 0)


def improving_visit(previous_nprs: int, released: bool = True, post: str = "normal") -> VisitInput:
    before = PriorVisit(
        id="v-before",
        date=dt.date(2026, 2, 16),
        pain_sites=(PainSite("plantar_heel", "left", previous_nprs, primary=True),),
        findings=(Finding("f-old", "soleus", "left", tenderness=7, status="active"),),
    )
    return visit(
        pain_sites=(PainSite("plantar_heel", "left", 3, primary=True),),
        findings=(
            Finding(
                "f1",
                "soleus",
                "left",
                tenderness=4,
                status="active",
                treated=True,
                response="released" if released else "unchanged",
            ),
        ),
        muscle_tests=(
            MuscleTest("t1", "soleus", "left", "pre", "inhibited"),
            MuscleTest("t2", "soleus", "left", "post", post),  # type: ignore[arg-type]
        ),
        prior_visits=(before,),
    )


@pytest.mark.parametrize(
    ("v", "expect_rehab"),
    [
        pytest.param(improving_visit(7), True, id="nprs-7-to-3-released-normalised"),
        pytest.param(improving_visit(5, True), True, id="drop-of-exactly-the-mcid"),
        pytest.param(improving_visit(4), False, id="drop-below-mcid"),
        pytest.param(improving_visit(7, released=False), False, id="active-point-not-released"),
        pytest.param(improving_visit(7, post="inhibited"), False, id="still-inhibited"),
        pytest.param(visit(pain_sites=(PainSite("plantar_heel", "left", 3),)), False, id="no-previous-visit"),
    ],
)
def test_rehab_is_planned_only_when_the_improvement_criteria_are_met(v: VisitInput, expect_rehab: bool) -> None:
    plan = plan_for(v)
    assert ("rehab" in kinds(plan)) is expect_rehab
    if expect_rehab:
        rehab = next(s for s in plan.steps if s.kind == "rehab")
        assert "static stretching" in rehab.rationale and "opinion" in rehab.rationale
    else:
        assert "TO-07" in plan.steps[-1].rule_ids


def everything_visit() -> VisitInput:
    """A finding in every muscle and pain in every zone (left), to exercise every rule at once."""
    findings = tuple(
        Finding(f"f-{slug}", slug, "left", tenderness=5, status="latent") for slug in sorted(CATALOG.muscles)
    )
    return visit(
        pain_sites=tuple(PainSite(zone, "left", 5) for zone in CATALOG.zones),
        findings=findings,
        stressors=tuple(
            Stressor(f"s-{kind}", kind, item.category, 2)
            for kind, item in sorted(CATALOG.stressor_kinds.items())
            if kind != "over_aggressive_treatment"
        ),
        injuries=(Injury("i1", "posterior_shoulder", "right"), Injury("i2", "lateral_ankle", "right")),
    )


ALL_VISITS = [HEEL, LATERAL_THIGH, TEMPLE, LOW_BACK_BLOATING, BLOOD_CLOT, recurring_visit(), everything_visit()]


@pytest.mark.parametrize("v", ALL_VISITS)
def test_every_plan_step_names_its_rule_ids_and_sources(v: VisitInput) -> None:
    for step in plan_for(v).steps:
        assert step.rule_ids and step.sources and step.rationale, step
        assert set(step.sources) <= set(CATALOG.sources), step.sources


@pytest.mark.parametrize("v", ALL_VISITS)
def test_home_care_never_suggests_an_unsuitable_tool_or_a_practitioner_only_muscle(v: VisitInput) -> None:
    for step in plan_for(v, max_home_care=100).steps:
        care = step.home_care
        if care is None:
            continue
        muscle = CATALOG.muscles[care.muscle]
        assert not muscle.practitioner_only
        ratings = [muscle.self_treatment[tool] for tool in care.tools]
        assert ratings and set(ratings) <= {"good", "ok"}
        assert ratings == sorted(ratings, key=["good", "ok"].index)
        assert care.protocol in CATALOG.protocols and care.source in CATALOG.sources
        assert care.stop_rule and care.method


@pytest.mark.parametrize("limit", [0, 1, 4, 10])
def test_home_care_respects_max_home_care(limit: int) -> None:
    plan = plan_for(everything_visit(), max_home_care=limit)
    assert sum(1 for step in plan.steps if step.home_care) == limit


def test_the_chosen_protocol_sets_the_home_care_dose_and_a_muscle_specific_one_only_applies_to_its_muscles() -> None:
    stroking = plan_for(HEEL, protocol="PROT-STROKING")
    doses = {s.home_care.protocol for s in stroking.steps if s.home_care}
    assert doses == {"PROT-STROKING"}
    stick = plan_for(TEMPLE, protocol="PROT-STICK")
    assert {s.home_care.protocol for s in stick.steps if s.home_care} == {"PROT-SOCKDOC-MANUAL"}
    calf = plan_for(replace(HEEL, screenings=(Screening("SAFE-M-DVT", "negative"),)), protocol="PROT-STICK")
    per_muscle = {s.muscle: s.home_care.protocol for s in calf.steps if s.home_care}
    assert per_muscle["gastrocnemius"] == "PROT-STICK" and per_muscle["tibialis_posterior"] == "PROT-SOCKDOC-MANUAL"


def test_an_unknown_protocol_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown protocol"):
        plan_for(HEEL, protocol="PROT-NOPE")


def test_plans_are_deterministic() -> None:
    for v in ALL_VISITS:
        assert plan_for(v) == plan_for(v)


def test_step_orders_are_consecutive_from_one() -> None:
    plan = plan_for(everything_visit())
    assert [s.order for s in plan.steps] == list(range(1, len(plan.steps) + 1))
    assert plan.engine_version and plan.catalog_version == CATALOG.version
