"""engine.review: whether a plan still matches the chart, and which steps a rebuild adds, removes, moves or changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from assessments.engine import (
    Finding,
    PainSite,
    Screening,
    Stressor,
    VisitInput,
    analyse,
    build_plan,
    default_catalog_dir,
    load_catalog,
)
from assessments.engine.review import (
    Basis,
    StepMove,
    StepRef,
    analysis_digest,
    basis_from_plain,
    basis_of,
    basis_to_plain,
    diff_steps,
    review,
    step_label,
)

CATALOG = load_catalog(default_catalog_dir())
TODAY = dt.date(2026, 3, 2)

MUSCLES = ("soleus", "gastrocnemius", "tibialis_posterior", "abductor_hallucis")
A, B, C, D = (StepRef("treat_trigger_point", muscle, "left") for muscle in MUSCLES)
OWN = StepRef("treat_trigger_point", "soleus", "left", custom=True)


def steps(*refs: StepRef, digest: str = "") -> list[tuple[StepRef, str]]:
    return [(ref, digest) for ref in refs]


@pytest.mark.parametrize(
    ("before", "after", "added", "removed", "moved"),
    [
        pytest.param([A, B, C], [A, B, C], (), (), (), id="same"),
        pytest.param([A, B], [A, B, C], (C,), (), (), id="added-at-the-end"),
        pytest.param([A, B, C], [A, C], (), (B,), (), id="removed"),
        pytest.param([A, B, C], [C, A, B], (), (), (StepMove(C, 3, 1),), id="one-moved-up"),
        pytest.param([A, B, C, D], [B, A, D, C], (), (), (StepMove(B, 2, 1), StepMove(D, 4, 3)), id="two-swaps"),
        pytest.param([A, B], [B, D, A], (D,), (), (StepMove(B, 2, 1),), id="added-and-moved"),
        pytest.param([A], [OWN], (OWN,), (A,), (), id="own-step-is-not-the-proposed-one"),
    ],
)
def test_diff_steps_says_what_was_added_removed_and_moved(before, after, added, removed, moved) -> None:
    diff = diff_steps(steps(*before), steps(*after))
    assert (diff.added, diff.removed, diff.moved, diff.changed) == (added, removed, moved, ())


def test_a_step_with_other_content_is_changed_unless_a_digest_is_unknown() -> None:
    assert diff_steps([(A, "x"), (B, "y")], [(A, "x"), (B, "z")]).changed == (B,)
    assert diff_steps([(A, "x")], [(A, "")]).changed == ()


@pytest.mark.parametrize(
    ("ref", "label"),
    [
        (A, "Treat trigger point: Soleus (left)"),
        (OWN, "Practitioner's step: Soleus (left)"),
        (StepRef("address_stressor", stressor="s1"), "Address stressor: New shoes"),
        (StepRef("retest"), "Retest"),
    ],
)
def test_steps_are_labelled_in_the_practitioners_words(ref: StepRef, label: str) -> None:
    assert step_label(ref, CATALOG, lambda _id: "New shoes") == label


HEEL = VisitInput(
    id="v",
    date=TODAY,
    pain_sites=(PainSite("plantar_heel", "left", 6, primary=True),),
    findings=(Finding("f-sol", "soleus", "left", tenderness=7, status="active", recognized=True),),
    stressors=(Stressor("s-shoes", "rapid_footwear_transition", "physical_structural", 2),),
)


def reviewed(before: VisitInput, now: VisitInput):
    a, b = analyse(before, CATALOG), analyse(now, CATALOG)
    plan_a, plan_b = build_plan(before, a, CATALOG), build_plan(now, b, CATALOG)
    stored = basis_from_plain(basis_to_plain(basis_of(a, plan_a)))  # as kept with the plan (JSON)
    assert stored is not None
    return review(
        stored,
        basis_of(b, plan_b),
        CATALOG,
        digest_before=analysis_digest(a, plan_a),
        digest_now=analysis_digest(b, plan_b),
    )


def test_the_same_chart_is_not_stale() -> None:
    assert reviewed(HEEL, replace(HEEL, id="v")).stale is False


def test_a_new_finding_the_engine_plans_makes_the_plan_stale_and_says_what_a_rebuild_would_add() -> None:
    calf = Finding("f-tp", "tibialis_posterior", "left", tenderness=5, status="latent")
    result = reviewed(HEEL, replace(HEEL, findings=(*HEEL.findings, calf)))
    assert result.stale
    assert "New suspected source: Tibialis posterior (left)" in result.changes
    assert StepRef("treat_trigger_point", "tibialis_posterior", "left") in result.steps.added


def test_a_positive_red_flag_makes_the_plan_stale_and_a_rebuild_would_refer_and_drop_the_blocked_muscle() -> None:
    result = reviewed(HEEL, replace(HEEL, screenings=(Screening("SAFE-M-DVT", "positive", side="left"),)))
    assert any(line.startswith("Red flag now positive: SAFE-M-DVT") for line in result.changes)
    assert "No longer a suspected source: Soleus (left)" in result.changes
    assert StepRef("refer") in result.steps.added
    assert StepRef("treat_trigger_point", "soleus", "left") in result.steps.removed


def test_an_unlinked_finding_changes_the_analysis_but_not_the_steps() -> None:
    tfl = Finding("f-tfl", "tensor_fasciae_latae", "right", tenderness=5)
    result = reviewed(HEEL, replace(HEEL, findings=(*HEEL.findings, tfl)))
    assert result.stale and result.steps.added == ()
    assert any("not linked to today's complaint" in line for line in result.changes)


def test_a_plan_that_kept_no_digest_is_stale_only_when_the_engine_changed() -> None:
    a = analyse(HEEL, CATALOG)
    now = basis_of(a, build_plan(HEEL, a, CATALOG))
    old = Basis("1.1.1", now.catalog_version)
    assert (
        review(Basis(now.engine_version, now.catalog_version), now, CATALOG, digest_before="", digest_now="x").stale
        is False
    )
    result = review(old, now, CATALOG, digest_before="", digest_now="x")
    assert result.stale and result.changes[0] == f"Reasoning engine 1.1.1 -> {now.engine_version}"
