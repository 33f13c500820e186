"""The progress report, for the patient and the practitioner: first a few sentences in plain words and the patient's
goals, then the practitioner's detail (outcome measures with their MCID, trigger-point tenderness, muscle tests before
and after treatment, stressors and the points that keep coming back) across the patient's visits.

``build_progress_pdf(report) -> bytes`` is pure: the report in, the PDF out (no Django, no queries). The patient's
sentences are written by ``plain.py``; nothing in the report prints a rule id, a slug or a catalog source id.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterator, Sequence

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, KeepTogether, Spacer

from . import plain
from .charts import Band, Line, TrendChart
from .layout import Field, PlainText, Rule, box, content_height, content_width, grid, header_block, render
from .lines import Fragment
from .text import fmt_date, fmt_day, fmt_number, fmt_short_date, truncate
from .theme import ACCENT, ACCENT_LIGHT, GOOD, INK, ONGOING, RULE, SERIES_COLOURS, Theme, theme_for
from .types import (
    Goal,
    MuscleResult,
    PointSeries,
    ProgressReport,
    RecurringPoint,
    Series,
    StressorChange,
    TestTransition,
    Verdict,
)

MEASURE_CHART_HEIGHT = 128.0
POINT_CHART_HEIGHT = 140.0
POINT_CHART_MAX_LINES = 6  # more than this and only the table is shown
TABLE_DATES = 5  # the most recent visits shown as columns in the tenderness table
TEST_VISITS = 6  # the most visits listed under a muscle test (the first two, the latest three and a count between)
TENDERNESS_RANGE = (0.0, 10.0)
ARROW = "→"  # first → latest, inhibited → normal
MINUS = "−"  # a tenderness that went down
VERDICT_WORDS: dict[str, str] = {
    "improved": "Better: every tracked measure changed by at least its MCID.",
    "no_important_change": "No important change: no tracked measure changed by its MCID.",
    "worse": "Worse: a tracked measure worsened by its MCID and none improved by it.",
    "mixed": "Mixed: some tracked measures improved by their MCID, others did not.",
}


def build_progress_pdf(report: ProgressReport) -> bytes:
    """The progress report as PDF bytes (A4 or US Letter, as the report says)."""
    sentences = plain.summary(report)
    t = theme_for([*_printed(report), *sentences])
    width = content_width(report.paper_size)
    patient = t.text(report.patient_name, multiline=False)
    period = _period(report)

    facts = [("Patient", report.patient_name)]
    if report.date_of_birth is not None:
        facts.append(("Date of birth", fmt_date(report.date_of_birth)))
    facts.append(("Generated", fmt_date(report.generated_on)))
    facts.append(("Visits", str(max(report.visits, 0))))
    if period:
        facts.append(("Period", period))
    story: list[Flowable] = header_block(
        t, width, clinic_name=report.clinic_name, clinic_contact=report.clinic_contact, title=report.title, facts=facts,
        max_height=content_height(report.paper_size),
    )  # fmt: skip

    story += _for_the_patient(t, sentences, report.goals, width)
    story += [Spacer(1, 6), Rule(ACCENT, 0.9, 2.0), PlainText("Details for your practitioner", t["part"])]
    story += _summary(t, report, width)
    story += _measures(t, report.measures, width)
    story += _tenderness(t, report.points, width)
    story += _tests(t, report.tests)
    story += _stressors(t, report.stressors, width)
    story += _recurring(t, report.recurring)

    generated = fmt_date(report.generated_on)
    return render(
        story,
        theme=t,
        paper_size=report.paper_size,
        title=f"{t.text(report.title, multiline=False)}: {patient}",
        author=report.clinic_name,
        subject=f"Progress over {max(report.visits, 0)} visit{'s' if report.visits != 1 else ''}"
        + (f", {period}" if period else ""),
        footer_left=f"{patient} · {t.text(report.title, multiline=False)} · {generated} · confidential",
    )


def _printed(report: ProgressReport) -> Iterator[str]:
    """What decides the fonts (``theme_for``): every caller string, and the report's own arrow and minus sign (not in
    WinAnsi) wherever it will print them.

    The caller's strings are checked as given, before cleaning: cleaning only removes or normalises characters, so a
    string that is WinAnsi before it is WinAnsi after (the other way round, the check errs towards DejaVu).
    """
    yield from (report.clinic_name, report.clinic_contact, report.patient_name, report.title)
    yield report.latest_summary or ""
    for goal in report.goals:
        yield goal.activity
    for series in report.measures:
        yield from (series.label, series.unit, series.mcid_source)
        yield ARROW if len(_finite(series)) >= 2 else ""
    for point in report.points:
        yield from (point.muscle_name, point.side, _change([v for _, v in point.points]))
    for test in report.tests:
        yield from (test.muscle_name, test.side, *(r.result for r in test.results))
        yield from (ARROW if len(path) > 1 else "" for _, path in _journeys(test.results))
    for stressor in report.stressors:
        yield stressor.label
    for recurring in report.recurring:
        yield from (recurring.muscle_name, recurring.side, recurring.advice)


def _period(report: ProgressReport) -> str:
    first, last = report.first_visit, report.last_visit
    if first and last and first != last:
        return f"{fmt_date(first)} to {fmt_date(last)}"
    if first or last:
        return fmt_date(first or last)
    return ""


# --- for the patient -------------------------------------------------------------------------------------------------


def _for_the_patient(t: Theme, sentences: Sequence[str], goals: Sequence[Goal], width: float) -> list[Flowable]:
    """The plain summary in a box, then the goals: the patient's part, in large type and plain words."""
    words = [PlainText(t.text(" ".join(sentences)), t["plain"])]
    out: list[Flowable] = [
        Spacer(1, 4),
        box([PlainText("How you are doing", t["box_title"]), *words], fill=ACCENT_LIGHT, edge=RULE),
    ]
    if goals:
        out += _goals(t, goals, width)
    return out


def _goals(t: Theme, goals: Sequence[Goal], width: float) -> list[Flowable]:
    """Each activity the patient chose, its first and latest score and how it is going (0 = unable, 10 = as before
    the problem: the Patient-Specific Functional Scale)."""
    out: list[Flowable] = [
        PlainText("Your goals", t["h2"]),
        PlainText("Each score goes from 0 (you could not do it) to 10 (as well as before the problem).", t["small"]),
        Spacer(1, 3),
    ]
    score_w, how_w = 96.0, 96.0
    rows: list[list[object]] = [["Your goal", "First score", "Latest score", "How it is going"]]
    for goal in goals:
        scores = plain.finite(goal.scores)
        first = _score(scores[0]) if scores else "not yet"
        latest = _score(scores[-1]) if len(scores) >= 2 else "not yet"
        rows.append(
            [
                PlainText(_sentence_case(t.text(goal.activity, multiline=False)) or "Your goal", t["cell_bold"]),
                PlainText(first, t["cell"]),
                PlainText(latest, t["cell"]),
                PlainText(plain.goal_change(goal) or "", t["cell"]),
            ]
        )
    out.append(grid(rows, [width - 2 * score_w - how_w, score_w, score_w, how_w], theme=t))
    return out


def _sentence_case(text: str) -> str:
    """The patient's words as they wrote them, with a capital first letter ("climbing stairs": "Climbing stairs")."""
    return text[:1].upper() + text[1:]


def _score(score: tuple[dt.date, float]) -> str:
    return f"{fmt_number(score[1])} on {fmt_date(score[0])}"


# --- summary ---------------------------------------------------------------------------------------------------------


def _summary(t: Theme, report: ProgressReport, width: float) -> list[Flowable]:
    out: list[Flowable] = [PlainText("Summary", t["h2"])]
    n = max(report.visits, 0)
    period = _period(report)
    if n == 0:
        sentence = "No visits recorded yet."
    elif n == 1:
        sentence = "One visit" + (f", on {period}." if period else ".") + " Trends show from the second visit."
    else:
        sentence = f"{n} visits" + (f", from {period}." if period else ".")
    out.append(PlainText(sentence, t["body"]))
    for series in report.measures:
        out.append(PlainText(_verdict(t, series), t["bullet"], bullet="•"))
    summary = t.text(report.latest_summary) if report.latest_summary is not None else ""
    verdict = _verdict_words(report.latest_verdict)
    if summary or verdict:
        content: list[Flowable] = [PlainText("Since the last visit", t["box_title"])]
        if verdict:
            content.append(PlainText([(verdict, t.bold, INK)], t["body"]))
        if summary:
            content.append(PlainText(summary, t["body"]))
        out.append(Spacer(1, 6))
        out.append(box(content, fill=ACCENT_LIGHT, edge=RULE))
    return out


def _verdict_words(verdict: Verdict | None) -> str:
    return VERDICT_WORDS.get(verdict or "", "")


def _finite(series: Series) -> list[tuple[dt.date, float]]:
    return plain.finite(series.points)


def _mcid_label(t: Theme, series: Series) -> str:
    if series.mcid is None or not math.isfinite(series.mcid) or series.mcid <= 0:
        return ""
    source = t.text(series.mcid_source, multiline=False)
    return f"MCID {fmt_number(series.mcid)}" + (f" ({source})" if source else "")


def _verdict(t: Theme, series: Series) -> list[Fragment]:
    """One bullet: first -> latest, the change, and whether it reaches the MCID (in green when it does)."""
    label = (t.text(series.label) or "Measure", t.bold, INK)
    values = _finite(series)
    if not values:
        return [label, (": no values recorded.", t.regular, INK)]
    unit = truncate(t.text(series.unit, multiline=False), 40)
    if len(values) == 1:
        return [label, (f": {fmt_number(values[0][1])} {unit} (one value so far).", t.regular, INK)]
    first, last = values[0][1], values[-1][1]
    change = last - first
    better = -change if not series.higher_is_better else change
    if abs(change) < 1e-9:
        direction = "no change"
    else:
        direction = f"{fmt_number(abs(change))} {'better' if better > 0 else 'worse'}"
    text = f": {fmt_number(first)} {ARROW} {fmt_number(last)} {unit}, {direction}; "
    mcid = _mcid_label(t, series)
    if mcid and series.mcid is not None and better >= series.mcid - 1e-9:
        return [label, (text, t.regular, INK), (f"reaches the {mcid}", t.bold, GOOD), (".", t.regular, INK)]
    verdict = f"below the {mcid}" if mcid and series.mcid is not None else "no established MCID"
    return [label, (f"{text}{verdict}.", t.regular, INK)]


# --- outcome measures ------------------------------------------------------------------------------------------------


def _measures(t: Theme, measures: Sequence[Series], width: float) -> list[Flowable]:
    heading = PlainText("Outcome measures", t["h2"])
    if not measures:
        return [heading, PlainText("No outcome measures were recorded.", t["body"])]
    blocks = [_measure_block(t, series, width, SERIES_COLOURS[i % len(SERIES_COLOURS)]) for i, series in
              enumerate(measures)]  # fmt: skip
    return _kept_with_heading(heading, blocks)


def _measure_block(t: Theme, series: Series, width: float, colour: Color) -> list[Flowable]:
    label = t.text(series.label, multiline=False) or "Measure"
    unit = t.text(series.unit, multiline=False)
    values = _finite(series)
    block: list[Flowable] = [PlainText(label, t["h3"])]
    if not values:
        block.append(PlainText("No values recorded.", t["body"]))
        return block
    band = None
    mcid = _mcid_label(t, series)
    scale = series.scale
    if mcid and series.mcid is not None:
        start = values[0][1]
        threshold = start + series.mcid if series.higher_is_better else start - series.mcid
        if scale is not None and scale[1] > scale[0]:
            threshold = min(max(threshold, scale[0]), scale[1])
        band = Band(start, threshold, mcid)
    line = Line(label, colour, tuple(values))
    block.append(TrendChart(width, MEASURE_CHART_HEIGHT, t, [line], y_range=scale, unit=unit, band=band))
    better = "higher is better" if series.higher_is_better else "lower is better"
    if band is not None:
        direction = "above" if series.higher_is_better else "below"
        note = (
            f"{better.capitalize()}. Shaded: from the first value to the MCID; past the dashed line "
            f"({direction} {fmt_number(band.threshold)}) the change is clinically meaningful. {mcid}."
        )
    else:
        note = f"{better.capitalize()}. No established MCID for this measure: read small changes with care."
    block.append(PlainText(note, t["small"]))
    block.append(Spacer(1, 6))
    return block


# --- trigger points --------------------------------------------------------------------------------------------------


def _who(t: Theme, name: str, side: str) -> str:
    muscle = t.text(name, multiline=False) or "Muscle"
    s = t.text(side, multiline=False)
    return f"{muscle} ({s})" if s else muscle


def _tenderness(t: Theme, points: Sequence[PointSeries], width: float) -> list[Flowable]:
    out: list[Flowable] = [PlainText("Trigger-point tenderness (0-10)", t["h2"])]
    if not points:
        out.append(PlainText("No trigger points were recorded.", t["body"]))
        return out
    dates = sorted({d for p in points for d, _ in p.points})
    if (1 < len(points) <= POINT_CHART_MAX_LINES and len(dates) >= 2) or (len(points) == 1 and len(dates) >= 2):
        lines = [
            Line(_who(t, p.muscle_name, p.side), SERIES_COLOURS[i % len(SERIES_COLOURS)],
                 tuple((d, float(v)) for d, v in p.points))
            for i, p in enumerate(points)
        ]  # fmt: skip
        out.append(
            TrendChart(width, POINT_CHART_HEIGHT, t, lines, y_range=TENDERNESS_RANGE, unit="tenderness", legend=True)
        )
        out.append(Spacer(1, 6))

    shown = dates[-TABLE_DATES:]
    name_w = width - 56 - 58 * len(shown)
    rows: list[list[object]] = [["Point", *(fmt_short_date(d) for d in shown), "Change"]]
    for p in points:
        by_date = dict(p.points)
        row: list[object] = [PlainText(_who(t, p.muscle_name, p.side), t["cell_bold"])]
        row += [fmt_number(by_date[d]) if d in by_date else "–" for d in shown]
        row.append(_change([v for _, v in p.points]) or "–")
        rows.append(row)
    out.append(grid(rows, [name_w, *([58.0] * len(shown)), 56.0], theme=t))
    if len(dates) > TABLE_DATES:
        out.append(PlainText(f"The last {TABLE_DATES} of {len(dates)} visits are shown; change is first to latest.",
                             t["small"]))  # fmt: skip
    else:
        out.append(PlainText("Change is from the first to the latest visit; lower is better.", t["small"]))
    return out


def _change(values: Sequence[float]) -> str:
    """First to latest: "+2", MINUS and "6", or "no change"; nothing for fewer than two values."""
    if len(values) < 2:
        return ""
    delta = values[-1] - values[0]
    return "no change" if delta == 0 else f"{'+' if delta > 0 else MINUS}{fmt_number(abs(delta))}"


def _tests(t: Theme, tests: Sequence[TestTransition]) -> list[Flowable]:
    """Each muscle's results in the clinician's words: the way each phase went across visits (inhibited -> normal),
    then every visit's results labelled before or after treatment ("2 Mar: before treatment inhibited, after
    treatment normal")."""
    heading = PlainText("Muscle tests", t["h2"])
    if not tests:
        return [heading, PlainText("No muscle tests were recorded.", t["body"])]
    items: list[list[Flowable]] = []
    with_year = len({r.date.year for test in tests for r in test.results}) > 1
    for test in tests:
        journeys = []
        for phase, path in _journeys(test.results):
            journey = f" {ARROW} ".join(truncate(t.text(r, multiline=False) or "?", 60) for r in path)
            journeys.append(f"{plain.PHASE_WORDS[phase]} {journey}" if phase else journey)
        spans = [
            (_who(t, test.muscle_name, test.side), t.bold, INK),
            (f": {'; '.join(journeys) or 'no results'}", t.regular, INK),
        ]
        if test.normalised:
            spans.append((" (normalised)", t.regular, GOOD))
        dated = [_visit_results(t, day, results, with_year) for day, results in _by_visit(test.results)]
        if len(dated) > TEST_VISITS:
            left = len(dated) - TEST_VISITS + 1
            dated = [*dated[:2], f"… {left} more visits …", *dated[-(TEST_VISITS - 3) :]]
        items.append([PlainText(spans, t["bullet"], bullet="•"), *(PlainText(d, t["bullet_note"]) for d in dated)])
    return _kept_with_heading(heading, items)


def _journeys(results: Sequence[MuscleResult]) -> list[tuple[str, list[str]]]:
    """Per phase (before treatment, after treatment, or not said), the results across visits with repeats folded:
    [("before", ["inhibited"]), ("after", ["inhibited", "normal"])]."""
    paths: dict[str, list[str]] = {}
    for r in plain.ordered(results):
        path = paths.setdefault(r.phase if r.phase in plain.PHASE_WORDS else "", [])
        if not path or path[-1] != r.result:
            path.append(r.result)
    return [(phase, paths[phase]) for phase in ("before", "after", "") if phase in paths]


def _by_visit(results: Sequence[MuscleResult]) -> list[tuple[dt.date, list[MuscleResult]]]:
    return [(day, list(group)) for day, group in itertools.groupby(plain.ordered(results), key=lambda r: r.date)]


def _visit_results(t: Theme, day: dt.date, results: Sequence[MuscleResult], with_year: bool) -> str:
    when = fmt_date(day) if with_year else fmt_day(day)
    said = []
    for r in results:
        result = truncate(t.text(r.result, multiline=False) or "?", 40)
        said.append(f"{plain.PHASE_WORDS[r.phase]} {result}" if r.phase in plain.PHASE_WORDS else result)
    return f"{when}: {', '.join(said)}"


def _stressors(t: Theme, stressors: Sequence[StressorChange], width: float) -> list[Flowable]:
    out: list[Flowable] = [PlainText("Stressors", t["h2"])]
    if not stressors:
        out.append(PlainText("No stressors were recorded.", t["body"]))
        return out
    rows: list[list[object]] = [["Stressor", "Started", "Resolved", "Now"]]
    colours: list[tuple[object, ...]] = []
    for i, s in enumerate(stressors, start=1):
        resolved = s.resolved is not None
        rows.append(
            [
                PlainText(t.text(s.label) or "–", t["cell_bold"]),
                fmt_date(s.started) or "–",
                fmt_date(s.resolved) or "–",
                "resolved" if resolved else "ongoing",
            ]
        )
        colours.append(("TEXTCOLOR", (3, i), (3, i), GOOD if resolved else ONGOING))
    out.append(grid(rows, [width - 3 * 82, 82, 82, 82], theme=t, extra=colours))
    return out


def _recurring(t: Theme, recurring: Sequence[RecurringPoint]) -> list[Flowable]:
    heading = PlainText("Points that keep coming back", t["h2"])
    if not recurring:
        return [heading, PlainText("No recurring points.", t["body"])]
    items: list[list[Flowable]] = []
    for r in recurring:
        visits = max(int(r.visits), 0)
        head = [
            (_who(t, r.muscle_name, r.side), t.bold, INK),
            (f": found at {visits} visit{'s' * (visits != 1)}", t.regular, INK),
        ]
        item: list[Flowable] = [PlainText(head, t["bullet"], bullet="•")]
        advice = t.text(r.advice)
        if advice:
            item.append(Field("Advice", PlainText(advice, t["value"]), 56.0, 12.0, font=t.bold))
        items.append([*item, Spacer(1, 4)])
    return _kept_with_heading(heading, items)


def _kept_with_heading(heading: Flowable, items: list[list[Flowable]]) -> list[Flowable]:
    """Each item kept on one page where it fits, the section's heading with the first (never alone at a page's foot:
    a heading's keepWithNext does not reach into a KeepTogether)."""
    items[0] = [heading, *items[0]]
    return [KeepTogether(item) for item in items]
