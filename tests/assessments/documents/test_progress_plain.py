"""The progress report's plain summary for the patient (assessments/documents/plain.py): its sentences from the data,
in plain words and at a reading grade of 8 or below. No database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from assessments.documents import Goal, MuscleResult, PointSeries, RecurringPoint, Series, TestTransition
from assessments.documents.plain import area_words, goal_change, mmt_word, muscle_words, summary
from assessments.documents.samples import sample_progress_report
from tests.plain_language import problems

D1, D2, D3, D4 = (dt.date(2026, 3, 2) + dt.timedelta(days=7 * i) for i in range(4))
NAMES = ("Soleus", "Gluteus medius", "Trapezius, upper", "Psoas", "Levator scapulae", "Infraspinatus")


def knee(*values: float, mcid: float | None = 2.0) -> Series:
    dates = (D1, D2, D3, D4)[: len(values)]
    points = tuple(zip(dates, values, strict=True))
    return Series("Pain: Front of the knee (kneecap) (right)", "NPRS 0-10", points, mcid, False, "Childs 2005",
                  (0.0, 10.0), area="Front of the knee (kneecap)", side="right")  # fmt: skip


def report(**changes: object):
    return sample_progress_report(4, **{"measures": (knee(7, 6, 4, 3),), "points": (), "tests": (), "recurring": (),
                                        "goals": (), **changes})  # fmt: skip


@pytest.mark.parametrize("visits", [1, 2, 3, 10])
def test_the_sample_summary_is_two_to_five_plain_sentences(visits):
    sentences = summary(sample_progress_report(visits))
    assert 2 <= len(sentences) <= 5
    for sentence in sentences:
        assert problems(sentence, names=NAMES) == [], sentence


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((7, 6, 4, 3), ["went from 7 to 3 out of 10 over 4 visits.", "That is a real change (more than the 2 points "
                                                                      "that matter)."]),
        ((7, 5), ["went from 7 to 5 out of 10 over 2 visits.", "That is just enough to be a real change."]),
        ((7, 6), ["went from 7 to 6 out of 10 over 2 visits.", "That is a small change, less than the 2 points that "
                                                               "matter."]),
        ((3, 6), ["went from 3 to 6 out of 10 over 2 visits.", "That is a real change for the worse, so please tell "
                                                               "us about it."]),
        ((3, 4), ["went from 3 to 4 out of 10 over 2 visits.", "That is a small rise, less than the 2 points that "
                                                               "matter."]),
        ((5, 5), ["stayed at 5 out of 10 over 2 visits."]),
    ],
)  # fmt: skip
def test_pain_is_said_first_and_its_change_is_real_when_it_reaches_the_mcid(values, expected):
    sentences = summary(report(measures=(knee(*values),)))
    start = next(i for i, s in enumerate(sentences) if s.startswith("Your pain"))
    assert sentences[start].startswith("Your pain in the front of the knee on the right side ")
    assert [sentences[start].split(" side ", 1)[1], *sentences[start + 1 : start + len(expected)]] == expected


def test_a_pain_score_without_an_mcid_is_not_judged():
    sentences = summary(report(measures=(knee(7, 3, mcid=None),)))
    assert sentences == ["This report covers your 4 visits since 9 Feb 2026.",
                         "Your pain in the front of the knee on the right side went from 7 to 3 out of 10 over 2 "
                         "visits."]  # fmt: skip


def test_one_visit_says_there_is_nothing_to_compare_yet():
    sentences = summary(report(visits=1, measures=(knee(7),)))
    assert sentences == ["Your pain in the front of the knee on the right side was 7 out of 10.",
                         "We will see how it changes at your next visit."]  # fmt: skip
    assert summary(report(visits=1, measures=()))[0] == (
        "This report covers your first visit, so there is nothing to compare yet."
    )


def test_goals_are_counted_by_their_mcid():
    easier = Goal("climbing stairs", ((D1, 3.0), (D4, 7.0)), 2.0)
    little = Goal("kneeling", ((D1, 2.0), (D4, 3.0)), 2.0)
    harder = Goal("running", ((D1, 6.0), (D4, 3.0)), 2.0)
    assert "Both of your goals are much easier now." in summary(report(goals=(easier, easier)))
    assert "One of your 2 goals is much easier now." in summary(report(goals=(easier, little)))
    assert "Some of your goals are harder now, so please tell us about them." in summary(report(goals=(little, harder)))
    assert "Your goals are a little easier, but not yet by much." in summary(report(goals=(little,)))
    assert [goal_change(g) for g in (easier, little, harder)] == ["much easier", "a little easier", "much harder"]
    assert goal_change(Goal("new", ((D4, 5.0),), 2.0)) == ""


def test_less_tender_spots_and_spots_that_keep_coming_back_use_the_plain_muscle_names():
    soleus = PointSeries("Soleus", "right", ((D1, 7), (D4, 3)), "deep calf muscle (soleus)")
    trapezius = PointSeries(
        "Trapezius, upper", "left", ((D1, 5), (D4, 5)), "top of the shoulder muscle (upper trapezius)"
    )
    sentences = summary(
        report(
            points=(soleus, trapezius),
            recurring=(
                RecurringPoint("Soleus", "right", 4, "", "deep calf muscle (soleus)"),  # less tender: said as that
                RecurringPoint("Trapezius, upper", "left", 4, "", "top of the shoulder muscle (upper trapezius)"),
            ),
        )
    )
    assert "The tender spot in your right deep calf muscle (soleus) is less tender." in sentences
    assert (
        "One spot keeps coming back, in your left top of the shoulder muscle (upper trapezius), so we will look into "
        "why." in sentences
    )


def test_muscle_tests_read_weak_and_strong_before_and_after_treatment():
    within = TestTransition("Gluteus medius", "right", (MuscleResult(D4, "inhibited", "before"),
                                                        MuscleResult(D4, "normal", "after")), True,
                            "side of the hip muscle (gluteus medius)")  # fmt: skip
    across = TestTransition("Psoas", "left", (MuscleResult(D1, "inhibited", "before"),
                                              MuscleResult(D4, "normal", "before")), True)  # fmt: skip
    weak = TestTransition("Soleus", "left", (MuscleResult(D1, "inhibited"), MuscleResult(D4, "inhibited")), False,
                          "deep calf muscle (soleus)")  # fmt: skip
    assert (
        "On 23 Mar 2026, your right side of the hip muscle (gluteus medius) tested weak before treatment and strong "
        "after it." in summary(report(tests=(within, across, weak)))
    )
    assert "Your left psoas tested weak at first and strong at your last visit." in summary(report(tests=(across,)))
    assert "Your left deep calf muscle (soleus) still tests weak." in summary(report(tests=(weak,)))
    assert [mmt_word(r) for r in ("inhibited", "normal", "facilitated", "not_tested")] == [
        "weak",
        "strong",
        "tight",
        "",
    ]


def test_at_most_five_sentences_the_most_important_kept_in_reading_order():
    full = sample_progress_report(2)
    sentences = summary(replace(full, measures=(knee(7, 3), knee(6, 2), *full.measures)))
    assert len(sentences) == 5
    assert sentences[0].startswith("Your pain") and sentences[1].startswith("That is a real change")
    assert any("keep coming back" in s for s in sentences)


@pytest.mark.parametrize(
    ("label", "side", "expected"),
    [
        ("Front of the knee (kneecap)", "right", "in the front of the knee on the right side"),
        ("Low back (lumbar)", "midline", "in the low back"),
        ("Between the shoulder blades", "bilateral", "between the shoulder blades on both sides"),
        ("Jaw / TMJ", "left", "in the jaw on the left side"),
    ],
)
def test_areas_read_in_plain_words(label, side, expected):
    assert area_words(label, side) == expected
    assert problems(f"Your pain {expected} went down.") == []


def test_a_muscle_without_a_plain_name_falls_back_to_its_name():
    assert muscle_words("", "Soleus", "bilateral") == "your soleus on both sides"
    assert muscle_words("deep calf muscle (soleus)", "Soleus", "midline") == "your deep calf muscle (soleus)"
