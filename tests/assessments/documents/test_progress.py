"""The progress report: trends with their MCID, tenderness, tests, stressors, recurring points. No database."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import pytest

from assessments.documents import (
    MuscleResult,
    PointSeries,
    RecurringPoint,
    Series,
    StressorChange,
    TestTransition,
    build_progress_pdf,
)
from assessments.documents.charts import nice_step
from assessments.documents.samples import sample_progress_report
from tests.assessments.documents.helpers import font_names, page_sizes, pdf_text, reader

DAY = dt.date(2026, 3, 2)


def test_ten_visits_plain_summary_goals_then_trends_mcid_tenderness_tests_stressors_and_recurring_points():
    pdf = build_progress_pdf(sample_progress_report(10))
    text = pdf_text(pdf)
    for expected in (
        "Progress report",
        "Dana Whitfield",
        "19 Jul 1984",
        "How you are doing Your pain in the back of the neck on the right side went from 7 to 2 out of 10 over 10 "
        "visits. That is a real change (more than the 2 points that matter). All 3 of your goals are much easier now.",
        "Your goals Each score goes from 0 (you could not do it) to 10 (as well as before the problem).",
        "Turning my head to reverse the car 2 on 29 Dec 2025 8 on 2 Mar 2026 much easier",
        "Details for your practitioner",
        "Better: every tracked measure changed by at least its MCID.",
        "10 visits, from 29 Dec 2025 to 2 Mar 2026.",
        "Pain (NPRS): 7 → 2 points (0-10), 5 better; reaches the MCID 2 (Childs 2005; Farrar 2001).",
        "Function (PSFS): 3.3 → 8 mean score (0-10), 4.7 better; reaches the MCID 2 (Stratford 1995).",
        "Neck Disability Index: 34 → 20 %, 14 better; no established MCID.",
        "Since the last visit",
        "gluteus medius now tests normal",
        "MCID 2 (Childs 2005; Farrar 2001)",  # the chart's key
        "past the dashed line (below 5) the change is clinically meaningful",
        "past the dashed line (above 5.3)",
        "No established MCID for this measure",
        "Trigger-point tenderness (0-10)",
        "Trapezius, upper (right)",
        "Infraspinatus (left)",
        "−6",  # first to latest
        "The last 5 of 10 visits are shown",
        "Gluteus medius (right): before treatment inhibited → normal; after treatment normal (normalised)",
        "29 Dec 2025: before treatment inhibited 2 Mar 2026: before treatment normal, after treatment normal",
        "Psoas (left): before treatment inhibited; after treatment inhibited → normal (normalised)",
        "… 5 more visits …",
        "2 Mar 2026: before treatment inhibited, after treatment normal",
        "Tibialis posterior (right): before treatment inhibited",
        "Poor sleep",
        "19 Jan 2026",
        "resolved",
        "ongoing",
        "Points that keep coming back",
        "Trapezius, upper (right): found at 10 visits",
        "Keep the screen at eye level",
    ):
        assert expected in text, expected
    assert "Tibialis posterior (right): before treatment inhibited (normalised)" not in text
    assert text.index("How you are doing") < text.index("Your goals") < text.index("Details for your practitioner")
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= font_names(pdf)


def test_one_visit_shows_single_values_without_a_trend():
    pdf = build_progress_pdf(sample_progress_report(1))
    text = pdf_text(pdf)
    assert "One visit, on 2 Mar 2026. Trends show from the second visit." in text
    assert "Pain (NPRS): 7 points (0-10) (one value so far)." in text
    assert "MCID 2 (Childs 2005; Farrar 2001)" in text
    assert "Trapezius, upper (right)" in text


def test_no_measures_and_nothing_else_recorded():
    report = sample_progress_report(
        1,
        visits=0,
        first_visit=None,
        last_visit=None,
        date_of_birth=None,
        measures=(),
        points=(),
        tests=(),
        stressors=(),
        recurring=(),
        latest_summary=None,
        latest_verdict=None,
        goals=(),
    )
    text = pdf_text(build_progress_pdf(report))
    for expected in (
        "How you are doing We have no visits on record for you yet.",
        "No visits recorded yet.",
        "No outcome measures were recorded.",
        "No trigger points were recorded.",
        "No muscle tests were recorded.",
        "No stressors were recorded.",
        "No recurring points.",
    ):
        assert expected in text
    assert "Since the last visit" not in text
    assert "Your goals" not in text


def test_mcid_is_judged_in_the_improving_direction():
    lower = Series("Pain", "points", ((DAY, 6.0), (DAY + dt.timedelta(7), 5.0)), 2.0, False, "Childs 2005", (0, 10))
    higher = Series("Grip", "kg", ((DAY, 20.0), (DAY + dt.timedelta(7), 26.0)), 5.0, True, "")
    worse = Series("Pain again", "points", ((DAY, 3.0), (DAY + dt.timedelta(7), 6.0)), 2.0, False, "X")
    flat = Series("Flat", "", ((DAY, 3.0), (DAY + dt.timedelta(7), 3.0)), None, True, "")
    text = pdf_text(build_progress_pdf(sample_progress_report(2, measures=(lower, higher, worse, flat))))
    assert "Pain: 6 → 5 points, 1 better; below the MCID 2 (Childs 2005)." in text
    assert "Grip: 20 → 26 kg, 6 better; reaches the MCID 5." in text
    assert "Pain again: 3 → 6 points, 3 worse; below the MCID 2 (X)." in text
    assert "Flat: 3 → 3 , no change; no established MCID." in text


def test_many_points_become_a_table_and_long_text_flows():
    dates = [DAY - dt.timedelta(days=7 * i) for i in range(12)][::-1]
    points = tuple(
        PointSeries(f"Muscle {i}", "left" if i % 2 else "right", tuple((d, (i + j) % 11) for j, d in enumerate(dates)))
        for i in range(200)
    )
    long_text = ("The calf keeps tightening after long runs on hard ground. " * 90)[:5000]
    word = "z" * 300
    report = sample_progress_report(
        12,
        points=points,
        recurring=tuple(RecurringPoint(f"Muscle {i}", "right", 3, long_text if i == 0 else word) for i in range(50)),
        latest_summary=long_text + " " + word,
        stressors=tuple(StressorChange(f"{word} {i}", DAY, None) for i in range(40)),
        tests=tuple(
            TestTransition(
                word,
                "left",
                tuple(MuscleResult(d, "inhibited" if k % 2 else "normal", "before") for k, d in enumerate(dates)),
                False,
            )
            for _ in range(30)
        ),
    )
    pdf = build_progress_pdf(report)
    assert len(reader(pdf).pages) > 15
    text = pdf_text(pdf)
    assert "Muscle 199 (left)" in text
    assert "The last 5 of 12 visits are shown" in text


@pytest.mark.parametrize(
    "injection", ['<font color="[[[x]]]">', '<img src="http://example.com/x.png">', "AT&T <b>", "a < b & c > d"]
)
def test_markup_in_any_text_prints_literally(injection):
    report = sample_progress_report(
        3,
        patient_name=injection,
        clinic_name=injection,
        clinic_contact=injection,
        title=injection,
        measures=(Series(injection, injection, ((DAY, 1.0), (DAY + dt.timedelta(1), 2.0)), 1.0, True, injection),),
        points=(PointSeries(injection, injection, ((DAY, 3),)),),
        tests=(TestTransition(injection, injection, (MuscleResult(DAY, injection),), False),),
        stressors=(StressorChange(injection, None, None),),
        recurring=(RecurringPoint(injection, injection, 2, injection),),
        latest_summary=injection,
    )
    pdf = build_progress_pdf(report)
    text = pdf_text(pdf)
    assert text.count(injection) >= 8
    assert reader(pdf).metadata.author == injection


def test_odd_values_do_not_crash():
    odd = Series("Odd", "u", ((DAY, math.nan), (DAY, math.inf), (DAY, 2.0)), math.nan, False, "")
    empty = Series("Empty", "u", (), 1.0, False, "")
    same_day = Series("Same day", "u", ((DAY, 1.0), (DAY, 1.0)), 0.5, True, "")
    huge = Series("Huge", "u", ((DAY, -1e9), (DAY + dt.timedelta(1), 1e9)), 1.0, True, "", (0, 10))
    report = sample_progress_report(
        2,
        measures=(odd, empty, same_day, huge),
        patient_name="Ana\x00\ud800Bel",
        points=(PointSeries("Lonely", "right", ((DAY, 4),)),),
        visits=-3,
    )
    text = pdf_text(build_progress_pdf(report))
    assert "Ana\ufffdBel" in text  # the NUL is dropped, the lone surrogate replaced
    assert "Empty: no values recorded." in text


def test_non_latin_names():
    report = sample_progress_report(
        3, patient_name="Ωμέγα Łukasz Дарья", recurring=(RecurringPoint("Трапеция", "справа", 3, "Άσκηση"),)
    )
    text = pdf_text(build_progress_pdf(report))
    assert "Ωμέγα Łukasz Дарья" in text
    assert "Трапеция (справа): found at 3 visits" in text and "Άσκηση" in text


def test_metadata_and_paper_size():
    pdf = build_progress_pdf(sample_progress_report(4, paper_size="LETTER"))
    meta = reader(pdf).metadata
    assert meta.title == "Progress report: Dana Whitfield"
    assert meta.author == "Harbour Street Manual Therapy"
    assert meta.subject == "Progress over 4 visits, 9 Feb 2026 to 2 Mar 2026"
    assert set(page_sizes(pdf)) == {(612.0, 792.0)}
    assert set(page_sizes(build_progress_pdf(sample_progress_report(4)))) == {(595.3, 841.9)}


def test_a_single_series_chart_without_scale_and_replace_keeps_defaults():
    series = Series("Pressure threshold", "kg/cm2", ((DAY, 3.2), (DAY + dt.timedelta(14), 4.1)), None, True, "")
    report = replace(sample_progress_report(2), measures=(series,))
    text = pdf_text(build_progress_pdf(report))
    assert "Pressure threshold: 3.2 → 4.1 kg/cm2, 0.9 better; no established MCID." in text


@pytest.mark.parametrize(("span", "step"), [(10, 2), (7, 2), (1, 0.2), (34, 10), (0.3, 0.1), (0, 1.0), (-1, 1.0)])
def test_nice_steps(span, step):
    assert nice_step(span) == pytest.approx(step)


def test_huge_header_texts_do_not_crash():
    huge = "word " * 1000 + "q" * 300
    report = sample_progress_report(3, patient_name=huge, clinic_name=huge, clinic_contact=huge, title=huge)
    assert len(reader(build_progress_pdf(report)).pages) >= 3


def _without_trends(**changes):
    """A one-visit report with nothing that draws an arrow: one value per measure, one result per test."""
    report = sample_progress_report(1, latest_summary=None)
    tests = tuple(replace(t, results=t.results[:1]) for t in report.tests)
    return replace(report, **{"tests": tests, **changes})


def test_a_report_with_only_winansi_text_uses_the_standard_helvetica():
    pdf = build_progress_pdf(_without_trends(patient_name="José Müller"))
    assert font_names(pdf) == {"Helvetica", "Helvetica-Bold"}
    assert b"/FontFile2" not in pdf
    text = pdf_text(pdf)
    assert "José Müller" in text and "Pain (NPRS): 7 points (0-10) (one value so far)." in text


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"patient_name": "Дарья"}, "Дарья"),
        ({"points": (PointSeries("Soleus", "right", ((DAY, 6), (DAY + dt.timedelta(7), 4))),)}, "−2"),
        (
            {
                "tests": (
                    TestTransition(
                        "Psoas",
                        "left",
                        (MuscleResult(DAY, "inhibited"), MuscleResult(DAY + dt.timedelta(7), "normal")),
                        True,
                    ),
                )
            },
            "inhibited → normal",
        ),
    ],
)
def test_the_report_s_own_arrow_and_minus_sign_or_a_non_latin_name_make_it_dejavu(changes, expected):
    pdf = build_progress_pdf(_without_trends(**changes))
    assert font_names(pdf) == {"DejaVuSans", "DejaVuSans-Bold"}
    assert expected in pdf_text(pdf)


def test_the_same_report_on_the_same_day_is_the_same_file_and_prints_the_day_only():
    report = sample_progress_report(4)
    first = build_progress_pdf(report)
    assert build_progress_pdf(report) == first  # no clock in the file: a kept copy is what a new build would give
    text = pdf_text(build_progress_pdf(replace(report, generated_on=dt.date(2026, 3, 9))))
    assert "Generated 9 Mar 2026" in text and "9 Mar 2026 · confidential" in text
