"""analyse(): symptom rules, chain links, stressors, red flags, recurrence and rest advice, on plain dataclasses."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import pytest

from assessments.engine import (
    AK_LABEL,
    ENGINE_VERSION,
    Analysis,
    Finding,
    Injury,
    MuscleTest,
    PainSite,
    PriorVisit,
    Screening,
    SourceCandidate,
    Stressor,
    VisitInput,
    analyse,
    default_catalog_dir,
    load_catalog,
)

CATALOG = load_catalog(default_catalog_dir())
TODAY = dt.date(2026, 3, 2)


def visit(**fields: object) -> VisitInput:
    return VisitInput(id="v-now", date=TODAY, **fields)  # type: ignore[arg-type]


def run(**fields: object) -> Analysis:
    return analyse(visit(**fields), CATALOG)


def muscles(items: Sequence[SourceCandidate]) -> list[tuple[str, str]]:
    return [(item.muscle, item.side) for item in items]


HEEL = {
    "pain_sites": (PainSite("plantar_heel", "left", 6, primary=True),),
    "findings": (
        Finding("f-ah", "abductor_hallucis", "left", tenderness=6, status="active"),
        Finding("f-gas", "gastrocnemius", "left", tenderness=4, status="latent"),
        Finding("f-tp", "tibialis_posterior", "left", tenderness=5, status="latent", taut_band=True),
        Finding("f-sol", "soleus", "left", tenderness=7, status="active", recognized=True, taut_band=True),
    ),
    "stressors": (Stressor("s-shoes", "rapid_footwear_transition", "physical_structural", 2, dt.date(2026, 1, 10)),),
}


def test_heel_pain_lists_calf_and_tibialis_posterior_as_sources_active_recognised_first() -> None:
    analysis = run(**HEEL)
    assert muscles(analysis.suspected_sources) == [
        ("soleus", "left"),
        ("abductor_hallucis", "left"),
        ("tibialis_posterior", "left"),
        ("gastrocnemius", "left"),
    ]
    assert analysis.suspected_sources[0].pattern == "SYM-HEEL-PLANTAR"


def test_heel_pain_fires_the_calf_and_tibialis_posterior_chain_links() -> None:
    analysis = run(**HEEL)
    ids = [pattern.id for pattern in analysis.patterns]
    assert ids == ["SYM-HEEL-PLANTAR", "KC-X6", "KC-X7"]
    sources = {s.muscle: s.rule_ids for s in analysis.suspected_sources}
    assert "KC-X6" in sources["soleus"] and "KC-X6" in sources["gastrocnemius"]
    assert "KC-X7" in sources["tibialis_posterior"]


def test_heel_pain_is_not_a_treatment_site_and_work_starts_in_the_lower_leg() -> None:
    (heel,) = run(**HEEL).do_not_treat
    assert (heel.zone, heel.start_in) == ("plantar_heel", "lower_leg")
    assert "proximal or distal" in heel.reason
    assert {"U-2", "TO-04", "SYM-HEEL-PLANTAR"} <= set(heel.rule_ids)


def test_heel_pain_after_a_shoe_change_lists_the_footwear_stressor_with_its_reason() -> None:
    (item,) = run(**HEEL).stressors_to_address
    assert item.kind == "rapid_footwear_transition"
    assert "SYM-HEEL-PLANTAR" in item.rule_ids and "TO-01" in item.rule_ids
    assert "gradually" in item.patient_action
    assert "Soleus" in item.reason


def test_symptom_patterns_explain_muscles_to_examine_never_a_diagnosis() -> None:
    pattern = run(**HEEL).patterns[0]
    assert "not a diagnosis" in pattern.explanation
    assert pattern.sources == ("TS_v2", "seed_001", "seed_003", "NAMTPT")
    assert any(item.startswith("pain: Underside of the heel") for item in pattern.evidence)


def test_findings_on_the_other_side_are_not_sources_for_one_sided_pain() -> None:
    analysis = run(
        pain_sites=(PainSite("plantar_heel", "left", 5),),
        findings=(Finding("f1", "soleus", "right", tenderness=8, status="active"),),
    )
    assert analysis.suspected_sources == ()


def test_bilateral_pain_matches_findings_on_either_side() -> None:
    analysis = run(
        pain_sites=(PainSite("lumbar", "bilateral", 5),),
        findings=(
            Finding("f1", "quadratus_lumborum", "right", tenderness=6, status="active"),
            Finding("f2", "erector_spinae", "left", tenderness=5, status="latent"),
        ),
    )
    assert muscles(analysis.suspected_sources) == [("quadratus_lumborum", "right"), ("erector_spinae", "left")]


def test_a_finding_charted_as_referring_into_the_pain_zone_counts_as_evidence() -> None:
    analysis = run(
        pain_sites=(PainSite("temple", "right", 5),),
        findings=(Finding("f1", "masseter", "right", tenderness=6, status="latent", referral_zones=("temple",)),),
    )
    (source,) = analysis.suspected_sources
    assert source.muscle == "masseter" and "referring into the temple" in source.reason


def test_untender_findings_without_signs_are_not_sources() -> None:
    analysis = run(
        pain_sites=(PainSite("plantar_heel", "left", 5),),
        findings=(Finding("f1", "soleus", "left", tenderness=1),),
    )
    assert analysis.suspected_sources == ()


def test_an_inhibited_muscle_test_ranks_a_finding_ahead_after_activity_and_recognition() -> None:
    findings = (
        Finding("f1", "quadratus_lumborum", "left", tenderness=8, status="latent", taut_band=True),
        Finding("f2", "erector_spinae", "left", tenderness=4, status="latent"),
    )
    plain = run(pain_sites=(PainSite("lumbar", "left", 5),), findings=findings)
    tested = run(
        pain_sites=(PainSite("lumbar", "left", 5),),
        findings=findings,
        muscle_tests=(MuscleTest("t1", "erector_spinae", "left", "pre", "inhibited"),),
    )
    assert [s.muscle for s in plain.suspected_sources] == ["quadratus_lumborum", "erector_spinae"]
    assert [s.muscle for s in tested.suspected_sources] == ["erector_spinae", "quadratus_lumborum"]


def test_temple_headache_points_to_upper_trapezius_not_sternocleidomastoid() -> None:
    analysis = run(
        pain_sites=(PainSite("temple", "right", 5, primary=True),),
        findings=(
            Finding("f1", "sternocleidomastoid", "right", tenderness=6, status="latent"),
            Finding("f2", "trapezius_upper", "right", tenderness=7, status="active", recognized=True),
        ),
    )
    assert muscles(analysis.suspected_sources) == [("trapezius_upper", "right")]
    assert [n.kind for n in analysis.notes if n.kind == "unlinked_findings"] == ["unlinked_findings"]


def test_temple_and_eye_headache_lists_upper_trapezius_then_sternocleidomastoid() -> None:
    analysis = run(
        pain_sites=(PainSite("temple", "right", 5, primary=True), PainSite("eye_orbit", "right", 4)),
        findings=(
            Finding("f1", "sternocleidomastoid", "right", tenderness=6, status="latent"),
            Finding("f2", "trapezius_upper", "right", tenderness=7, status="active", recognized=True),
        ),
        screenings=(Screening("SAFE-M-CAD", "negative"), Screening("SAFE-M-HEADACHE", "negative")),
    )
    assert muscles(analysis.suspected_sources) == [("trapezius_upper", "right"), ("sternocleidomastoid", "right")]
    assert [p.id for p in analysis.patterns] == ["SYM-HEAD-TEMPLE", "SYM-HEAD-FRONTAL-ORBITAL"]
    assert [n for n in analysis.notes if n.kind == "screen"] == []


def test_unscreened_red_flags_of_matched_rules_are_listed_before_treatment() -> None:
    (note,) = [n for n in run(**HEEL).notes if n.kind == "screen"]
    assert {"U-1", "SAFE-M-FRACTURE-ANKLE-FOOT", "SAFE-M-FRACTURE-STRESS", "SAFE-M-NEURO"} <= set(note.rule_ids)


LATERAL_THIGH = {
    "pain_sites": (PainSite("lateral_thigh", "right", 6, primary=True), PainSite("lateral_knee", "right", 4)),
    "findings": (
        Finding("f-is", "infraspinatus", "left", tenderness=6, status="latent", taut_band=True),
        Finding("f-tm", "teres_minor", "left", tenderness=4, status="latent"),
        Finding("f-gmin", "gluteus_minimus", "right", tenderness=7, status="active", recognized=True),
        Finding("f-tfl", "tensor_fasciae_latae", "right", tenderness=5, status="latent"),
        Finding("f-vl", "vastus_lateralis", "right", tenderness=6, status="active"),
    ),
    "injuries": (Injury("i-sh", "posterior_shoulder", "left", dt.date(2019, 5, 1), "fell on the shoulder"),),
}


def test_old_opposite_shoulder_injury_makes_shoulder_findings_remote_drivers_for_lateral_thigh_pain() -> None:
    analysis = run(**LATERAL_THIGH)
    assert muscles(analysis.remote_drivers) == [("infraspinatus", "left"), ("teres_minor", "left")]
    assert all("KC-X1" in d.rule_ids and "TO-03" in d.reason for d in analysis.remote_drivers)
    assert muscles(analysis.suspected_sources) == [
        ("gluteus_minimus", "right"),
        ("vastus_lateralis", "right"),
        ("tensor_fasciae_latae", "right"),
    ]
    assert "KC-X1" in [p.id for p in analysis.patterns]


def test_a_same_side_old_shoulder_injury_does_not_fire_the_contralateral_link() -> None:
    analysis = run(**{**LATERAL_THIGH, "injuries": (Injury("i-sh", "posterior_shoulder", "right"),)})
    assert "KC-X1" not in [p.id for p in analysis.patterns]
    assert analysis.remote_drivers == ()


def test_old_ankle_injury_makes_ankle_findings_remote_drivers_for_shoulder_pain() -> None:
    analysis = run(
        pain_sites=(PainSite("anterior_shoulder", "right", 5, primary=True),),
        findings=(
            Finding("f1", "fibularis_longus_brevis", "left", tenderness=6, status="latent"),
            Finding("f2", "infraspinatus", "right", tenderness=6, status="active", recognized=True),
        ),
        injuries=(Injury("i1", "lateral_ankle", "left", dt.date(2018, 7, 1), "sprain"),),
    )
    assert muscles(analysis.remote_drivers) == [("fibularis_longus_brevis", "left")]
    assert analysis.remote_drivers[0].rule_ids == ("KC-X2",)
    assert muscles(analysis.suspected_sources) == [("infraspinatus", "right")]


def test_old_foot_injury_links_to_knee_pain() -> None:
    analysis = run(
        pain_sites=(PainSite("medial_knee", "left", 4),),
        findings=(Finding("f1", "abductor_hallucis", "left", tenderness=5, status="latent"),),
        injuries=(Injury("i1", "arch_instep", "left"),),
    )
    assert "KC-X3" in [p.id for p in analysis.patterns]
    assert muscles(analysis.remote_drivers) == [("abductor_hallucis", "left")]


LOW_BACK_BLOATING = {
    "pain_sites": (PainSite("lumbar", "bilateral", 6, primary=True),),
    "findings": (
        Finding("f-ql", "quadratus_lumborum", "left", tenderness=7, status="active", recognized=True),
        Finding("f-ip", "iliopsoas", "right", tenderness=6, status="active"),
    ),
    "stressors": (
        Stressor("s-sleep", "poor_sleep", "emotional_mental", 1),
        Stressor("s-bloat", "gut_distension_bloating", "chemical_nutritional", 2),
    ),
}


def test_low_back_pain_with_bloating_fires_the_abdominal_distension_link() -> None:
    analysis = run(**LOW_BACK_BLOATING)
    assert [p.id for p in analysis.patterns] == ["SYM-LOW-BACK", "KC-X5"]
    assert muscles(analysis.suspected_sources) == [("quadratus_lumborum", "left"), ("iliopsoas", "right")]
    assert all("KC-X5" in s.rule_ids for s in analysis.suspected_sources)


def test_low_back_pain_with_bloating_lists_the_bloating_stressor_first_with_its_link() -> None:
    items = run(**LOW_BACK_BLOATING).stressors_to_address
    assert [i.kind for i in items] == ["gut_distension_bloating", "poor_sleep"]
    assert {"SYM-LOW-BACK", "KC-X5", "TO-01"} <= set(items[0].rule_ids)
    assert items[1].rule_ids == ("U-4", "TO-01", "CS-07")


def test_abdominal_pain_alone_also_fires_the_distension_link_for_low_back_pain() -> None:
    analysis = run(
        pain_sites=(PainSite("lumbar", "midline", 5), PainSite("abdomen", "midline", 3)),
        findings=(Finding("f1", "rectus_abdominis", "left", tenderness=5, status="latent"),),
    )
    assert "KC-X5" in [p.id for p in analysis.patterns]


def test_resolved_stressors_are_not_addressed() -> None:
    analysis = run(
        **{
            **LOW_BACK_BLOATING,
            "stressors": (
                Stressor("s1", "gut_distension_bloating", "chemical_nutritional", 2, resolved_on=dt.date(2026, 2, 1)),
            ),
        }
    )
    assert analysis.stressors_to_address == ()
    assert "KC-X5" not in [p.id for p in analysis.patterns]


def test_training_stress_with_knee_pain_fires_the_ak_link_with_its_label() -> None:
    analysis = run(
        pain_sites=(PainSite("medial_knee", "left", 4),),
        findings=(Finding("f1", "sartorius", "left", tenderness=5, status="latent"),),
        stressors=(Stressor("s1", "anaerobic_overtraining", "training_recovery", 3),),
    )
    (link,) = [p for p in analysis.patterns if p.id == "KC-X8"]
    assert AK_LABEL in link.explanation
    (item,) = analysis.stressors_to_address
    assert "KC-X8" in item.rule_ids and AK_LABEL in item.reason


def test_every_mention_of_ak_or_adrenal_in_an_analysis_carries_the_label() -> None:
    analysis = run(
        pain_sites=(PainSite("medial_knee", "left", 4), PainSite("arch_instep", "left", 5)),
        findings=(
            Finding("f1", "sartorius", "left", tenderness=5, status="latent"),
            Finding("f2", "gastrocnemius", "left", tenderness=6, status="active"),
        ),
        stressors=(
            Stressor("s1", "anaerobic_overtraining", "training_recovery", 3),
            Stressor("s2", "inadequate_recovery", "training_recovery", 2),
        ),
    )
    texts = [p.explanation for p in analysis.patterns] + [i.reason for i in analysis.stressors_to_address]
    texts += [s.reason for s in analysis.suspected_sources]
    assert any(AK_LABEL in text for text in texts)
    for text in texts:
        if "adrenal" in text or "AK " in text:
            assert AK_LABEL in text, text


def test_a_positive_blood_clot_screen_is_a_red_flag_that_blocks_calf_sources() -> None:
    analysis = run(
        pain_sites=(PainSite("calf", "left", 6, primary=True), PainSite("posterior_neck", "left", 3)),
        findings=(
            Finding("f1", "soleus", "left", tenderness=7, status="active", recognized=True),
            Finding("f2", "trapezius_upper", "left", tenderness=6, status="active"),
        ),
        screenings=(Screening("SAFE-M-DVT", "positive", "calf 4 cm larger"), Screening("SAFE-X-UNKNOWN", "positive")),
    )
    (flag,) = analysis.red_flags
    assert (flag.rule, flag.detail, flag.refers, flag.blocks_all) == ("SAFE-M-DVT", "calf 4 cm larger", True, False)
    assert "calf" in flag.blocked_zones and "soleus" in flag.blocked_muscles
    blocked = {s.muscle: s.blocked_by for s in analysis.suspected_sources}
    assert blocked == {"soleus": ("SAFE-M-DVT",), "trapezius_upper": ()}


def test_negative_and_not_done_screens_are_not_red_flags() -> None:
    analysis = run(screenings=(Screening("SAFE-M-DVT", "negative"), Screening("SAFE-M-CES", "not_done")))
    assert analysis.red_flags == ()


def prior(day: int, *findings: Finding) -> PriorVisit:
    return PriorVisit(id=f"v-{day:02d}", date=dt.date(2026, 2, day), findings=findings)


def tender(muscle: str, side: str = "left", status: str = "latent") -> Finding:
    return Finding(f"f-{muscle}-{side}", muscle, side, tenderness=6, status=status)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("priors", "expected"),
    [
        pytest.param((prior(1, tender("soleus")), prior(15, tender("soleus"))), 3, id="three-in-a-row"),
        pytest.param(
            (prior(1, tender("soleus")), prior(8, tender("soleus")), prior(15, tender("soleus"))), 4, id="four"
        ),
        pytest.param((prior(1, tender("soleus")), prior(15)), None, id="gap-breaks-the-streak"),
        pytest.param((prior(15, tender("soleus")),), None, id="only-two"),
        pytest.param(
            (prior(1, tender("soleus", "right")), prior(15, tender("soleus", "right"))), None, id="other-side"
        ),
    ],
)
def test_a_point_tender_at_three_consecutive_visits_is_recurring(
    priors: tuple[PriorVisit, ...], expected: int | None
) -> None:
    analysis = run(
        pain_sites=(PainSite("plantar_heel", "left", 5),),
        findings=(tender("soleus"),),
        prior_visits=tuple(reversed(priors)),
    )
    if expected is None:
        assert analysis.recurring == ()
    else:
        (point,) = analysis.recurring
        assert (point.muscle, point.side, point.visits) == ("soleus", "left", expected)
        assert point.rule_ids == ("TO-08", "SAFE-S6", "CS-05")
        assert "not corrected" in point.advice and "refer" in point.advice


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param(
            {"stressors": (Stressor("s1", "over_aggressive_treatment", "physical_structural", 2),)}, id="stressor"
        ),
        pytest.param(
            {"findings": (Finding("f1", "soleus", "left", tenderness=6, treated=True, response="worse"),)},
            id="worse-after-treatment",
        ),
    ],
)
def test_over_frequent_self_treatment_soreness_gives_rest_advice(fields: dict[str, object]) -> None:
    analysis = run(pain_sites=(PainSite("calf", "left", 4),), **fields)
    (note,) = [n for n in analysis.notes if n.kind == "rest"]
    assert note.rule_ids == ("TO-09", "SAFE-S3")
    assert "rest" in note.text and "more is not better" in note.text


def test_analysis_is_deterministic_whatever_the_order_of_earlier_visits() -> None:
    priors = tuple(prior(day, tender("soleus"), tender("gastrocnemius")) for day in (1, 8, 15, 22))
    shuffled = list(priors)
    random.Random(7).shuffle(shuffled)
    first = run(**{**HEEL, "prior_visits": priors})
    again = run(**{**HEEL, "prior_visits": priors})
    reordered = run(**{**HEEL, "prior_visits": tuple(shuffled)})
    assert first == again == reordered
    assert first.engine_version == ENGINE_VERSION and first.catalog_version == CATALOG.version


def test_every_analysis_item_carries_rule_ids_and_sources() -> None:
    for fields in (HEEL, LATERAL_THIGH, LOW_BACK_BLOATING):
        analysis = run(**fields)
        items = (
            *analysis.suspected_sources,
            *analysis.remote_drivers,
            *analysis.stressors_to_address,
            *analysis.do_not_treat,
            *analysis.notes,
        )
        for item in items:
            assert item.rule_ids and item.sources, item
        for pattern in analysis.patterns:
            assert pattern.sources and pattern.evidence and pattern.explanation
