"""Follow-up comparison and progress, judged against each measure's MCID (table-driven, no database)."""

import datetime as dt

import pytest

from assessments.engine import compare, default_catalog_dir, load_catalog, progress
from assessments.engine.types import Finding, MuscleTest, Outcome, PainSite, PriorVisit, Stressor

CATALOG = load_catalog(default_catalog_dir())
D1, D2, D3 = dt.date(2026, 9, 1), dt.date(2026, 9, 15), dt.date(2026, 10, 1)


def visit(vid, date, *, nprs=None, outcomes=(), findings=(), tests=(), zone="plantar_heel"):
    pain = (PainSite(zone=zone, side="left", nprs=nprs, primary=True),) if nprs is not None else ()
    return PriorVisit(id=vid, date=date, pain_sites=pain, outcomes=tuple(outcomes), findings=tuple(findings),
                      muscle_tests=tuple(tests))  # fmt: skip


def finding(muscle, tenderness, status="active", side="left", location=""):
    return Finding(id=f"{muscle}-{tenderness}", muscle=muscle, side=side, tenderness=tenderness, status=status,
                   location=location, taut_band=True)  # fmt: skip


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param({"nprs": 7}, {"nprs": 4}, "improved", id="nprs-drop-meets-mcid-2"),
        pytest.param({"nprs": 5}, {"nprs": 4}, "no_important_change", id="nprs-drop-below-mcid"),
        pytest.param({"nprs": 4}, {"nprs": 7}, "worse", id="nprs-rise-by-mcid"),
        pytest.param(
            {"nprs": 7, "outcomes": [Outcome("lefs", 40)]},
            {"nprs": 3, "outcomes": [Outcome("lefs", 30)]},
            "mixed",
            id="pain-better-function-worse",
        ),
        pytest.param(
            {"nprs": 6, "outcomes": [Outcome("lefs", 40), Outcome("odi", 40)]},
            {"nprs": 3, "outcomes": [Outcome("lefs", 50), Outcome("odi", 28)]},
            "improved",
            id="all-tracked-measures-meet-mcid-in-their-better-direction",
        ),
        pytest.param(
            {"outcomes": [Outcome("ndi", 20)]},
            {"outcomes": [Outcome("ndi", 14)]},
            "no_important_change",
            id="ndi-change-below-7.5",
        ),
        pytest.param({}, {}, "no_important_change", id="nothing-tracked-at-both-visits"),
    ],
)
def test_summary_is_judged_against_each_measures_mcid(before, after, expected):
    result = compare(visit("a", D1, **before), visit("b", D2, **after), catalog=CATALOG)
    assert result.summary == expected


def test_each_judgement_names_its_threshold_and_source():
    result = compare(visit("a", D1, nprs=7), visit("b", D2, nprs=4), catalog=CATALOG)
    (pain,) = result.pain_sites
    assert pain.change == "improved" and pain.threshold == 2
    assert "MCID of 2" in pain.explanation and pain.source
    assert "MCID of 2" in result.summary_explanation


def test_a_measure_without_an_mcid_is_reported_but_not_judged():
    result = compare(visit("a", D1, outcomes=[Outcome("ppt", 3.0)]), visit("b", D2, outcomes=[Outcome("ppt", 5.0)]),
                     catalog=CATALOG)  # fmt: skip
    (ppt,) = result.outcomes
    assert ppt.change == "unchanged" and not ppt.tracked and "no established MCID" in ppt.explanation
    assert result.summary == "no_important_change"


def test_findings_are_matched_by_muscle_and_side_with_new_resolved_and_recurring_points():
    first = visit("0", D1 - dt.timedelta(days=14), findings=[finding("gastrocnemius", 5), finding("soleus", 6)])
    before = visit("a", D1, findings=[finding("soleus", 7), finding("gastrocnemius", 5), finding("piriformis", 6)])
    after = visit("b", D2, findings=[finding("soleus", 3, "latent"), finding("gastrocnemius", 6),
                                     finding("tibialis_posterior", 4)])  # fmt: skip
    changes = {c.key: c for c in compare(before, after, catalog=CATALOG, history=[first, before, after]).findings}
    assert changes["soleus:left"].change == "improved" and not changes["soleus:left"].recurring
    assert changes["gastrocnemius:left"].change == "unchanged" and changes["gastrocnemius:left"].recurring
    assert "source is probably not addressed" in changes["gastrocnemius:left"].explanation
    two_visits = {c.key: c for c in compare(before, after, catalog=CATALOG).findings}
    assert not two_visits["gastrocnemius:left"].recurring, "two visits are not three"
    assert changes["piriformis:left"].change == "resolved"
    assert changes["tibialis_posterior:left"].change == "new"


def test_findings_use_the_location_when_a_muscle_side_has_several_points():
    before = visit("a", D1, findings=[finding("soleus", 7, location="belly"), finding("soleus", 5, location="distal")])
    after = visit("b", D2, findings=[finding("soleus", 2, location="belly")])
    changes = {c.key: c.change for c in compare(before, after, catalog=CATALOG).findings}
    assert changes == {"soleus:left:belly": "improved", "soleus:left:distal": "resolved"}


def test_an_inhibited_muscle_that_tests_normal_is_normalised():
    before = visit("a", D1, tests=[MuscleTest("t1", "gluteus_medius", "right", "pre", "inhibited")])
    after = visit("b", D2, tests=[MuscleTest("t2", "gluteus_medius", "right", "pre", "normal")])
    (test,) = compare(before, after, catalog=CATALOG).muscle_tests
    assert (test.change, test.normalised) == ("improved", True)
    assert "normalised" in test.explanation


def test_stressors_by_kind_are_added_resolved_or_unchanged_between_the_visit_dates():
    stressors = [
        Stressor("s1", "footwear", "physical_structural", onset=dt.date(2026, 1, 1), resolved_on=dt.date(2026, 9, 10)),
        Stressor("s2", "poor_sleep", "emotional_mental", onset=dt.date(2026, 9, 5)),
        Stressor("s3", "refined_sugar", "chemical_nutritional"),
    ]
    changes = {
        c.key: c.change for c in compare(visit("a", D1), visit("b", D2), stressors=stressors, catalog=CATALOG).stressors
    }
    assert changes == {"footwear": "resolved", "poor_sleep": "new", "refined_sugar": "unchanged"}


def test_progress_series_are_oldest_first_with_recurrence_and_normalisation():
    visits = [
        visit("v3", D3, nprs=2, findings=[finding("soleus", 4)], outcomes=[Outcome("lefs", 60)],
              tests=[MuscleTest("t3", "soleus", "left", "pre", "normal")]),
        visit("v1", D1, nprs=7, findings=[finding("soleus", 8)], outcomes=[Outcome("lefs", 40)],
              tests=[MuscleTest("t1", "soleus", "left", "pre", "inhibited")]),
        visit("v2", D2, nprs=5, findings=[finding("soleus", 6)], outcomes=[Outcome("lefs", 50)]),
    ]  # fmt: skip
    result = progress(visits, CATALOG)
    (lefs,) = result.measures
    assert [p.value for p in lefs.points] == [40, 50, 60] and lefs.mcid == 9 and lefs.higher_is_better
    (pain,) = result.pain_sites
    assert [p.date for p in pain.points] == [D1, D2, D3]
    (point,) = result.points
    assert point.recurring_visits == 3 and point.improving and not point.recurring and point.advice == ""
    assert point.rule_ids == ()
    (test,) = result.muscle_tests
    assert test.normalised


def test_progress_orders_each_visit_s_muscle_tests_before_treatment_first_whatever_the_order_recorded():
    visits = [
        visit("v1", D1, tests=[MuscleTest("t2", "soleus", "left", "post", "inhibited"),
                               MuscleTest("t1", "soleus", "left", "pre", "inhibited")]),
        visit("v2", D2, tests=[MuscleTest("t4", "soleus", "left", "post", "normal"),
                               MuscleTest("t3", "soleus", "left", "pre", "inhibited")]),
    ]  # fmt: skip
    (test,) = progress(visits, CATALOG).muscle_tests
    assert test.results == (("pre", D1, "inhibited"), ("post", D1, "inhibited"), ("pre", D2, "inhibited"),
                            ("post", D2, "normal"))  # fmt: skip
    assert test.normalised, "inhibited, then normal after treatment at the latest visit"
