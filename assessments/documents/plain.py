"""The progress report's words for the patient: a few short sentences built from the report's data, and the words for
a muscle test result or a goal's change.

Pure (no Django, no reportlab): data in, sentences out. Written for a reading grade of 8 or below, as the catalog's
patient words are (catalog/patient_words/README.md): no ids, rule codes, citations, arrows or short forms such as
NPRS or MCID. A muscle is named by the catalog's plain name ("deep calf muscle (soleus)"), an area by its zone label.
A change is "real" when it reaches the measure's minimal clinically important difference (the Series' ``mcid``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

from .text import fmt_date, fmt_number
from .types import Goal, MuscleResult, PointSeries, ProgressReport, RecurringPoint, Series, TestTransition

MAX_SENTENCES = 5
TENDER_STEP = 2  # a fall of 2 points in tenderness is improving (catalog rule CS-05, after the pain score's MCID)
# catalog meta.json vocab.mmt_results: "normal" locks against the test pressure, "inhibited" unlocks (weak),
# "facilitated" is in spasm (cannot be weakened).
MMT_WORDS = {"normal": "strong", "inhibited": "weak", "facilitated": "tight"}
PHASE_WORDS = {"before": "before treatment", "after": "after treatment"}
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_BRACKETS = re.compile(r"\s*\([^)]*\)")
_PREPOSITIONS = ("between ", "behind ", "around ", "under ", "below ", "above ")


def mmt_word(result: str) -> str:
    """The patient's word for a muscle test result: weak, strong, tight; "" for one not tested or unknown."""
    return MMT_WORDS.get(result.strip().lower(), "")


def number_word(n: int, *, capital: bool = False) -> str:
    word = NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)
    return word[:1].upper() + word[1:] if capital else word


def _plural(n: float, one: str, many: str) -> str:
    return one if n == 1 else many


def _lower_first(text: str) -> str:
    """ "Front of the knee" -> "front of the knee"; a word in capitals ("TMJ") stays as it is."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def area_words(label: str, side: str) -> str:
    """Where a pain is, after "Your pain": "in the front of the knee on the right side".

    The zone label's bracketed clinical word and any alternative after a slash are left out ("Low back (lumbar)" is
    "low back", "Jaw / TMJ" is "jaw").
    """
    area = _BRACKETS.sub("", label.split(" / ")[0]).strip()
    if not area:
        return ""
    area = _lower_first(area)
    where = area if area.lower().startswith(_PREPOSITIONS) else f"in the {area}"
    return f"{where}{_side_phrase(side)}"


def _side_phrase(side: str) -> str:
    s = side.strip().lower()
    if s in ("right", "left"):
        return f" on the {s} side"
    if s in ("bilateral", "both"):
        return " on both sides"
    return ""


def muscle_words(plain_name: str, muscle_name: str, side: str) -> str:
    """A muscle with its side, after "your" is added: "your right deep calf muscle (soleus)", "your deep calf muscle
    (soleus) on both sides". The plain name is the catalog's; without one, the muscle's own name."""
    name = (plain_name or _lower_first(muscle_name) or "muscle").strip()
    s = side.strip().lower()
    if s in ("right", "left"):
        return f"your {s} {name}"
    if s in ("bilateral", "both"):
        return f"your {name} on both sides"
    return f"your {name}"


def finite(points: Sequence[tuple[dt.date, float]]) -> list[tuple[dt.date, float]]:
    """The values that are numbers (not NaN or infinite), in the order given."""
    out = []
    for d, v in points:
        try:
            value = float(v)
        except (TypeError, ValueError):
            continue
        if math.isfinite(value):
            out.append((d, value))
    return out


def _mcid(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) and value > 0 else None


def goal_change(goal: Goal) -> str:
    """How a goal is going, first score to latest: "much easier", "a little easier", "the same", "a little harder",
    "much harder"; "" with fewer than two scores. "Much" is a change of the goal's MCID or more."""
    scores = finite(goal.scores)
    if len(scores) < 2:
        return ""
    delta = scores[-1][1] - scores[0][1]
    mcid = _mcid(goal.mcid)
    if abs(delta) < 1e-9:
        return "the same"
    much = mcid is not None and abs(delta) >= mcid - 1e-9
    if delta > 0:
        return "much easier" if much else "a little easier"
    return "much harder" if much else "a little harder"


# --- the summary -----------------------------------------------------------------------------------------------------


def summary(report: ProgressReport) -> list[str]:
    """Two to five short sentences on how the patient is doing, most important first when there is more to say:
    the main pain score and whether its change is real, points that keep coming back, the goals, the spots that are
    less tender, a muscle that tests strong again, and the other painful areas."""
    pain = [s for s in report.measures if s.area and finite(s.points)]
    less_tender = _less_tender(report.points)
    said: list[tuple[int, int, str]] = []  # (priority, reading order, sentence)

    def say(priority: int, order: int, sentence: str) -> None:
        if sentence:
            said.append((priority, order, sentence))

    if pain:
        first, second = _pain(pain[0], report.visits)
        say(0, 0, first)
        say(1, 1, second)
        say(6, 2, _other_pain(pain[1:]))
    say(3, 3, _goals(report.goals))
    say(4, 4, _tender(less_tender))
    say(5, 5, _tests(report.tests))
    say(2, 6, _recurring(report.recurring, {(p.muscle_name, p.side) for p in less_tender}))
    kept = sorted(sorted(said)[:MAX_SENTENCES], key=lambda item: item[1])
    sentences = [sentence for _, _, sentence in kept]
    if len(sentences) < 2:
        sentences.insert(0, _lead(report))
    return sentences


def _lead(report: ProgressReport) -> str:
    visits = max(report.visits, 0)
    if visits == 0:
        return "We have no visits on record for you yet."
    if visits == 1:
        return "This report covers your first visit, so there is nothing to compare yet."
    since = f" since {fmt_date(report.first_visit)}" if report.first_visit else ""
    return f"This report covers your {visits} visits{since}."


def _pain(series: Series, visits: int) -> tuple[str, str]:
    """The main pain score: first to latest out of the scale's top, and whether the change is real."""
    values = finite(series.points)
    top = fmt_number(series.scale[1]) if series.scale else "10"
    where = area_words(series.area, series.side)
    subject = f"Your pain {where}".rstrip()
    first, last = values[0][1], values[-1][1]
    if len(values) == 1:
        later = "We will see how it changes at your next visit." if visits <= 1 else ""
        return f"{subject} was {fmt_number(first)} out of {top}.", later
    count = f"over {len(values)} visits"
    if abs(last - first) < 1e-9:
        return f"{subject} stayed at {fmt_number(first)} out of {top} {count}.", ""
    went = f"{subject} went from {fmt_number(first)} to {fmt_number(last)} out of {top} {count}."
    return went, _pain_change(first, last, _mcid(series.mcid), series.higher_is_better)


def _pain_change(first: float, last: float, mcid: float | None, higher_is_better: bool) -> str:
    if mcid is None:
        return ""
    better = (last - first) if higher_is_better else (first - last)
    size = abs(better)
    points = f"{fmt_number(mcid)} {_plural(mcid, 'point', 'points')} that {_plural(mcid, 'matters', 'matter')}"
    if size >= mcid - 1e-9:
        if better < 0:
            return "That is a real change for the worse, so please tell us about it."
        if size > mcid + 1e-9:
            return f"That is a real change (more than the {points})."
        return "That is just enough to be a real change."
    if better > 0:
        return f"That is a small change, less than the {points}."
    return f"That is a small rise, less than the {points}."


def _other_pain(others: Sequence[Series]) -> str:
    better = worse = 0
    for series in others:
        values = finite(series.points)
        mcid = _mcid(series.mcid)
        if len(values) < 2 or mcid is None:
            continue
        change = values[-1][1] - values[0][1]
        gain = change if series.higher_is_better else -change
        better += gain >= mcid - 1e-9
        worse += -gain >= mcid - 1e-9
    if worse:
        areas = f"{number_word(worse)} other {_plural(worse, 'area', 'areas')}"
        return f"Your pain in {areas} went up, so please tell us about it."
    if better:
        areas = f"{number_word(better)} other {_plural(better, 'area', 'areas')}"
        return f"Your pain in {areas} also went down by a real amount."
    return ""


def _goals(goals: Sequence[Goal]) -> str:
    if not goals:
        return ""
    changes = [goal_change(g) for g in goals]
    judged = [c for c in changes if c]
    if not judged:
        return "We wrote down your goals, and we will check them again at your next visit."
    n = len(judged)
    much = judged.count("much easier")
    if much == n:
        if n == 1:
            return "Your goal is much easier now."
        return "Both of your goals are much easier now." if n == 2 else f"All {n} of your goals are much easier now."
    if much:
        return f"{number_word(much, capital=True)} of your {n} goals {_plural(much, 'is', 'are')} much easier now."
    if "much harder" in judged:
        return "Some of your goals are harder now, so please tell us about them."
    if "a little easier" in judged:
        return "Your goals are a little easier, but not yet by much."
    return "Your goals have not changed much yet."


def _less_tender(points: Sequence[PointSeries]) -> list[PointSeries]:
    """Points whose tenderness fell by TENDER_STEP or more from the first visit to the latest, most first."""
    falls = []
    for p in points:
        values = finite(p.points)
        if len(values) >= 2 and values[0][1] - values[-1][1] >= TENDER_STEP:
            falls.append((values[0][1] - values[-1][1], p))
    return [p for _, p in sorted(falls, key=lambda item: -item[0])]


def _tender(points: Sequence[PointSeries]) -> str:
    if not points:
        return ""
    muscle = muscle_words(points[0].plain_name, points[0].muscle_name, points[0].side)
    if len(points) == 1:
        return f"The tender spot in {muscle} is less tender."
    return f"{number_word(len(points), capital=True)} tender spots are less tender, such as the one in {muscle}."


def _tests(tests: Sequence[TestTransition]) -> str:
    """One muscle test in words: strong after treatment at the latest visit, else strong again since the first
    visit, else still weak."""
    within: dict[dt.date, list[TestTransition]] = {}
    across: list[TestTransition] = []
    weak: list[TestTransition] = []
    for test in tests:
        results = ordered([r for r in test.results if mmt_word(r.result)])
        if not results:
            continue
        last_day = results[-1].date
        that_day = {r.phase: mmt_word(r.result) for r in results if r.date == last_day}
        first, latest = mmt_word(results[0].result), mmt_word(results[-1].result)
        if that_day.get("before") == "weak" and that_day.get("after") == "strong":
            within.setdefault(last_day, []).append(test)
        elif first == "weak" and latest == "strong":
            across.append(test)
        elif latest == "weak":
            weak.append(test)
    if within:
        day = max(within)
        return f"On {fmt_date(day)}, {_muscles(within[day])} tested weak before treatment and strong after it."
    if across:
        return f"{_capital(_muscles(across))} tested weak at first and strong at your last visit."
    if weak:
        return f"{_capital(_muscles(weak))} still {_plural(len(weak), 'tests', 'test')} weak."
    return ""


def ordered(results: Sequence[MuscleResult]) -> list[MuscleResult]:
    """Oldest first and, on one day, before treatment before after it."""
    rank = {"before": 0, "": 1, "after": 2}
    return sorted(results, key=lambda r: (r.date, rank.get(r.phase, 1)))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _muscles(tests: Sequence[TestTransition]) -> str:
    first = muscle_words(tests[0].plain_name, tests[0].muscle_name, tests[0].side)
    others = len(tests) - 1
    if not others:
        return first
    return f"{first} and {number_word(others)} other {_plural(others, 'muscle', 'muscles')}"


def _recurring(recurring: Sequence[RecurringPoint], less_tender: set[tuple[str, str]]) -> str:
    """Points that keep coming back, leaving out any that is less tender than at the first visit (the patient hears
    about that one as less tender; the practitioner's part lists every recurring point)."""
    points = [r for r in recurring if (r.muscle_name, r.side) not in less_tender]
    if not points:
        return ""
    muscle = muscle_words(points[0].plain_name, points[0].muscle_name, points[0].side)
    if len(points) == 1:
        return f"One spot keeps coming back, in {muscle}, so we will look into why."
    spots = f"{number_word(len(points), capital=True)} spots"
    return f"{spots} keep coming back, such as one in {muscle}, so we will look into why."
