"""Muscle tests as the catalog uses them (U-3, TO-03, TO-05, TO-06), and the practitioner's own step, on dataclasses.

A muscle tested inhibited before treatment counts among the muscles to examine where a rule names it: a symptom rule's
candidates (U-3 step 2), the injured region of a chain link ("TrPs or an inhibited muscle", TO-03), a stressor link's
muscles; it is labelled practitioner judgement (TO-05) and planned, its retest named (TO-06). Anything else charted
is listed, and the practitioner may plan it on their own judgement, never where a red flag blocks it (TO-00).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from assessments.engine import (
    ENGINE_VERSION,
    Analysis,
    Finding,
    Injury,
    MuscleTest,
    PainSite,
    Screening,
    StepRefused,
    VisitInput,
    analyse,
    build_plan,
    default_catalog_dir,
    load_catalog,
    practitioner_step,
)

CATALOG = load_catalog(default_catalog_dir())
TODAY = dt.date(2026, 3, 2)
HIP_RIGHT = PainSite("lateral_hip_trochanter", "right", 6, primary=True)
LOW_BACK = PainSite("lumbar", "bilateral", 5)
HEEL_RIGHT = PainSite("plantar_heel", "right", 6)


def visit(**fields: object) -> VisitInput:
    return VisitInput(id="v-now", date=TODAY, **fields)  # type: ignore[arg-type]


def mmt(muscle: str, side: str, result: str = "inhibited", phase: str = "pre", test_id: str = "t1") -> MuscleTest:
    return MuscleTest(test_id, muscle, side, phase, result)  # type: ignore[arg-type]


def where(analysis: Analysis, muscle: str, side: str) -> str:
    """Where the analysis puts a muscle: "source", "driver", "note" (listed as an observation) or "nowhere"."""
    if any((c.muscle, c.side) == (muscle, side) for c in analysis.suspected_sources):
        return "source"
    if any((c.muscle, c.side) == (muscle, side) for c in analysis.remote_drivers):
        return "driver"
    name = CATALOG.muscle_name(muscle)
    if any(n.kind == "muscle_tests" and f"{name} ({side})" in n.text for n in analysis.notes):
        return "note"
    return "nowhere"


OLD_LEFT_SHOULDER = Injury("i-sh", "posterior_shoulder", "left", dt.date(2019, 5, 1), "fell on the shoulder")

CASES = [
    pytest.param({"pain_sites": (HIP_RIGHT,), "muscle_tests": (mmt("gluteus_medius", "right"),)},
                 "gluteus_medius", "right", "source", id="inhibited-candidate-of-the-complaint's-rule"),
    pytest.param({"pain_sites": (LOW_BACK,), "muscle_tests": (mmt("gluteus_medius", "left"),)},
                 "gluteus_medius", "left", "source", id="bilateral-pain-takes-either-side"),
    pytest.param({"pain_sites": (PainSite("lateral_thigh", "right", 6),), "injuries": (OLD_LEFT_SHOULDER,),
                  "muscle_tests": (mmt("infraspinatus", "left"),)},
                 "infraspinatus", "left", "driver", id="inhibited-in-the-old-injury's-region-TO-03"),
    pytest.param({"pain_sites": (HEEL_RIGHT,), "muscle_tests": (mmt("gluteus_medius", "right"),)},
                 "gluteus_medius", "right", "note", id="not-linked-to-the-complaint"),
    pytest.param({"pain_sites": (HIP_RIGHT,), "muscle_tests": (mmt("gluteus_medius", "left"),)},
                 "gluteus_medius", "left", "note", id="other-side-of-one-sided-pain"),
    pytest.param({"muscle_tests": (mmt("gluteus_medius", "right"),)},
                 "gluteus_medius", "right", "note", id="no-complaint-charted"),
    pytest.param({"pain_sites": (HIP_RIGHT,), "muscle_tests": (mmt("gluteus_medius", "right", "facilitated"),)},
                 "gluteus_medius", "right", "note", id="facilitated-is-an-observation"),
    pytest.param({"pain_sites": (HIP_RIGHT,), "muscle_tests": (mmt("gluteus_medius", "right", "normal"),)},
                 "gluteus_medius", "right", "nowhere", id="normal"),
    pytest.param({"pain_sites": (HIP_RIGHT,), "muscle_tests": (mmt("gluteus_medius", "right", "not_tested"),)},
                 "gluteus_medius", "right", "nowhere", id="not-tested"),
    pytest.param({"pain_sites": (HIP_RIGHT,), "muscle_tests": (mmt("gluteus_medius", "right", phase="post"),)},
                 "gluteus_medius", "right", "nowhere", id="after-treatment-only"),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "muscle", "side", "expected"), CASES)
def test_a_muscle_test_counts_where_the_catalog_says(fields: dict, muscle: str, side: str, expected: str) -> None:
    assert where(analyse(visit(**fields), CATALOG), muscle, side) == expected


def test_an_inhibited_muscle_of_the_complaint_is_a_muscle_to_examine_labelled_practitioner_judgement() -> None:
    analysis = analyse(visit(pain_sites=(HIP_RIGHT,), muscle_tests=(mmt("gluteus_medius", "right"),)), CATALOG)
    (source,) = analysis.suspected_sources
    assert (source.basis, source.muscle_test_id, source.finding_id) == ("muscle_test", "t1", "")
    assert source.pattern == "SYM-HIP-LATERAL"
    assert {"SYM-HIP-LATERAL", "TO-05"} <= set(source.rule_ids)
    assert {"Delphi2018", "seed_001"} <= set(source.sources)
    assert "practitioner judgement" in source.reason and "not standardised" in source.reason
    assert "no trigger point charted" in source.reason
    assert any("muscle test: Gluteus medius (right) inhibited" in e for e in analysis.patterns[0].evidence)


def test_an_inhibited_muscle_in_the_old_injury_region_is_a_remote_driver_by_TO_03() -> None:
    v = visit(
        pain_sites=(PainSite("lateral_thigh", "right", 6),),
        injuries=(OLD_LEFT_SHOULDER,),
        muscle_tests=(mmt("infraspinatus", "left"),),
    )
    (driver,) = analyse(v, CATALOG).remote_drivers
    assert {"KC-X1", "TO-03", "TO-05"} <= set(driver.rule_ids)
    assert "an inhibited muscle there is treated before the painful region (TO-03)" in driver.reason


def test_a_finding_in_the_tested_muscle_stays_one_candidate_with_the_test_in_its_description() -> None:
    v = visit(
        pain_sites=(HIP_RIGHT,),
        findings=(Finding("f1", "gluteus_medius", "right", tenderness=5, status="latent"),),
        muscle_tests=(
            mmt("gluteus_medius", "right"),
            mmt("tensor_fasciae_latae", "right", "facilitated", "pre", "t2"),
        ),
    )
    analysis = analyse(v, CATALOG)
    assert [(c.muscle, c.basis) for c in analysis.suspected_sources] == [("gluteus_medius", "finding")]
    assert "muscle test inhibited before treatment (practitioner observation)" in analysis.suspected_sources[0].reason
    (note,) = [n for n in analysis.notes if n.kind == "muscle_tests"]
    assert "Tensor fasciae latae (right)" in note.text and "facilitated" in note.text
    assert note.rule_ids == ("TO-05", "TO-04")


def test_a_latent_point_still_ranks_ahead_of_a_muscle_only_tested_inhibited() -> None:
    v = visit(
        pain_sites=(HIP_RIGHT,),
        findings=(Finding("f1", "tensor_fasciae_latae", "right", tenderness=5, status="latent"),),
        muscle_tests=(mmt("gluteus_medius", "right"),),
    )
    assert [c.muscle for c in analyse(v, CATALOG).suspected_sources] == ["tensor_fasciae_latae", "gluteus_medius"]


def test_the_plan_treats_the_inhibited_muscle_without_self_care_and_retests_it() -> None:
    v = visit(pain_sites=(HIP_RIGHT,), muscle_tests=(mmt("gluteus_medius", "right"),))
    plan = build_plan(v, analyse(v, CATALOG), CATALOG)
    (treat,) = [s for s in plan.steps if s.kind == "treat_trigger_point"]
    assert (treat.muscle, treat.side, treat.home_care, treat.custom) == ("gluteus_medius", "right", None, False)
    assert "no trigger point charted in this muscle" in treat.rationale
    (retest,) = [s for s in plan.steps if s.kind == "retest"]
    assert "Muscle test again after treatment: Gluteus medius (right)" in retest.rationale
    assert "TO-05" in retest.rule_ids


@pytest.mark.parametrize(
    ("screenings", "planned"),
    [
        pytest.param((), True, id="no-red-flag"),
        pytest.param((Screening("SAFE-M-DVT", "positive", side="right"),), False, id="clot-screen-positive-this-side"),
        pytest.param((Screening("SAFE-M-DVT", "positive", side="left"),), True, id="clot-screen-positive-other-side"),
        pytest.param((Screening("SAFE-M-CES", "positive"),), False, id="systemic-emergency"),
    ],
)
def test_a_red_flag_blocks_an_inhibited_muscle_like_any_point(screenings: tuple, planned: bool) -> None:
    v = visit(pain_sites=(HIP_RIGHT,), muscle_tests=(mmt("gluteus_medius", "right"),), screenings=screenings)
    analysis = analyse(v, CATALOG)
    plan = build_plan(v, analysis, CATALOG)
    assert any(s.muscle == "gluteus_medius" for s in plan.steps if s.kind == "treat_trigger_point") is planned
    (charted,) = analysis.charted
    assert bool(charted.blocked_by) is not planned


def test_an_inhibited_psoas_waits_for_the_abdominal_screen() -> None:
    v = visit(pain_sites=(PainSite("lumbar", "right", 5),), muscle_tests=(mmt("iliopsoas", "right"),))
    analysis = analyse(v, CATALOG)
    (source,) = analysis.suspected_sources
    assert source.pending_screens == ("SAFE-M-ABDOMEN",) and "CS-04" in source.rule_ids
    assert [n.rule for n in analysis.screens_needed] == ["SAFE-M-ABDOMEN"]


def test_everything_charted_is_listed_with_what_the_safety_rules_say() -> None:
    v = visit(
        pain_sites=(HIP_RIGHT,),
        findings=(
            Finding("f1", "tensor_fasciae_latae", "right", tenderness=5, location="anterior hip"),
            Finding("f2", "iliopsoas", "left", tenderness=4, status="latent"),
        ),
        muscle_tests=(mmt("gluteus_medius", "right"), mmt("soleus", "left", "normal", test_id="t2")),
    )
    charted = {(c.muscle, c.side): c for c in analyse(v, CATALOG).charted}
    assert list(charted) == [
        ("tensor_fasciae_latae", "right"), ("iliopsoas", "left"), ("gluteus_medius", "right"), ("soleus", "left"),
    ]  # fmt: skip
    assert charted[("tensor_fasciae_latae", "right")].proposed and charted[("gluteus_medius", "right")].proposed
    assert not charted[("soleus", "left")].proposed
    assert charted[("iliopsoas", "left")].pending_screens == ("SAFE-M-ABDOMEN",)
    assert charted[("gluteus_medius", "right")].test_results == ("pre: inhibited",)
    assert "muscle test only" in charted[("soleus", "left")].home_care_hold


# --- the practitioner's own step ----------------------------------------------------------------------------------

TFL_UNLINKED = visit(
    pain_sites=(PainSite("plantar_heel", "right", 6, primary=True),),
    findings=(Finding("f-tfl", "tensor_fasciae_latae", "right", tenderness=5),),
    muscle_tests=(mmt("gluteus_medius", "right"), mmt("iliopsoas", "left", test_id="t2")),
)


def own(v: VisitInput, muscle: str, side: str, reason: str = "Tight on palpation; my judgement.", **options: object):
    return practitioner_step(v, analyse(v, CATALOG), CATALOG, muscle=muscle, side=side, reason=reason, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("v", "muscle", "side", "care", "pending"),
    [
        pytest.param(TFL_UNLINKED, "tensor_fasciae_latae", "right", True, (), id="charted-finding-not-linked"),
        pytest.param(TFL_UNLINKED, "gluteus_medius", "right", False, (), id="muscle-test-only-no-self-care"),
        pytest.param(TFL_UNLINKED, "iliopsoas", "left", False, ("SAFE-M-ABDOMEN",), id="held-by-a-screen"),
        pytest.param(
            replace(TFL_UNLINKED, screenings=(Screening("SAFE-M-DVT", "positive", side="left"),)),
            "tensor_fasciae_latae", "right", True, (), id="red-flag-on-the-other-side",
        ),
    ],
)  # fmt: skip
def test_the_practitioner_may_plan_any_charted_muscle_the_safety_rules_allow(
    v: VisitInput, muscle: str, side: str, care: bool, pending: tuple[str, ...]
) -> None:
    step = own(v, muscle, side)
    assert (step.kind, step.muscle, step.side, step.custom, step.rule_ids) == (
        "treat_trigger_point", muscle, side, True, (),
    )  # fmt: skip
    assert step.rationale.startswith("Tight on palpation; my judgement.")
    assert "Practitioner's own step" in step.rationale
    assert (step.home_care is not None) is care
    assert step.pending_screens == pending


@pytest.mark.parametrize(
    ("v", "muscle", "side", "reason", "field", "rules"),
    [
        pytest.param(
            replace(TFL_UNLINKED, screenings=(Screening("SAFE-M-DVT", "positive", side="right"),)),
            "tensor_fasciae_latae", "right", "Because.", "muscle", ("SAFE-M-DVT", "TO-00", "CS-03"),
            id="blocked-by-a-positive-red-flag",
        ),
        pytest.param(
            replace(TFL_UNLINKED, screenings=(Screening("SAFE-M-CES", "positive"),)),
            "gluteus_medius", "right", "Because.", "muscle", ("SAFE-M-CES", "TO-00", "CS-03"), id="systemic-red-flag",
        ),
        pytest.param(TFL_UNLINKED, "soleus", "left", "Because.", "muscle", (), id="not-charted-in-this-visit"),
        pytest.param(TFL_UNLINKED, "tensor_fasciae_latae", "left", "Because.", "muscle", (), id="charted-other-side"),
        pytest.param(TFL_UNLINKED, "tensor_fasciae_latae", "right", "  ", "reason", (), id="no-reason"),
    ],
)  # fmt: skip
def test_the_practitioners_own_step_never_gets_around_the_safety_rules(
    v: VisitInput, muscle: str, side: str, reason: str, field: str, rules: tuple[str, ...]
) -> None:
    with pytest.raises(StepRefused) as refused:
        own(v, muscle, side, reason)
    assert refused.value.field == field and refused.value.rule_ids == rules


def test_the_practitioners_step_gets_no_self_care_beyond_the_sheets_limit() -> None:
    assert own(TFL_UNLINKED, "tensor_fasciae_latae", "right", max_home_care=2, home_care_given=2).home_care is None
    assert (
        "limited to 2"
        in own(TFL_UNLINKED, "tensor_fasciae_latae", "right", max_home_care=2, home_care_given=2).rationale
    )


def test_the_engine_version_says_muscle_tests_now_count() -> None:
    """Muscle tests count from engine 1.2.0 on: any later version still carries them."""
    major, minor, _ = (int(part) for part in ENGINE_VERSION.split("."))
    assert (major, minor) >= (1, 2)
