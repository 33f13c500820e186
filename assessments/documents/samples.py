"""Realistic sample inputs for the PDF builders: used by the tests, the benchmark and the PNG previews.

Pure data (no Django); the wording follows the seed catalog (catalog/data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from .types import (
    Goal,
    HomeCarePoint,
    HomeCareSheet,
    MuscleResult,
    PointSeries,
    ProgressReport,
    RecurringPoint,
    Series,
    StressorAction,
    StressorChange,
    TestTransition,
)

VISIT = dt.date(2026, 3, 2)

_BALL_HOLD = {
    "method": "Lean into a ball against a wall or lie on it; hold still on the tender spot, breathe out and let the "
    "muscle soften, then move to another spot close by.",
    "duration": "30-60 s per spot",
    "frequency": "once or twice a day",
    "intensity": "about 7/10: uncomfortable, not excruciating",
    "stop_rule": "the area is sore the next day: stop and rest",
    "caution": "",
    "protocol_name": "Ball hold: piriformis or above the shoulder blade",
    "protocol_source": "seed_004, self-care video notes",
}
_MANUAL = {
    "method": "Hold, rub in small circles or go back and forth over the spot, just hard enough but not too hard.",
    "duration": "at least 10-15 s; keep going while the pain keeps easing",
    "frequency": "a few times a day, only if it helps each time; more is not better",
    "intensity": "",
    "stop_rule": "sore the next day: stop and rest",
    "caution": "",
    "protocol_name": "Manual pressure: hold, circular or back-and-forth",
    "protocol_source": "seed_001, practitioner forum guidance",
}
_STROKING = {
    "method": "Deep stroking massage, not static pressure: short strokes in one direction, about one stroke a "
    "second; use a tool to spare your fingers.",
    "duration": "30 s per spot",
    "frequency": "3-10 times per day",
    "intensity": "about 7/10: uncomfortable, not excruciating",
    "stop_rule": "it is not improving: work another spot",
    "caution": "",
    "protocol_name": "Deep stroking, no static pressure",
    "protocol_source": "seed_003, self-treatment guide",
}

_POINTS = [
    ("trapezius_upper", "Trapezius, upper (descending) fibers", "upper trapezius (top of the shoulder)", "right",
     "Middle of the ridge between the neck and the shoulder: pinch it between thumb and fingers.",
     ("tennis ball", "hands", "thera cane"), _BALL_HOLD),
    ("levator_scapulae", "Levator scapulae", "levator scapulae (side of the neck to the shoulder blade)", "right",
     "Where the side of the neck meets the top of the shoulder blade, just under the upper trapezius.",
     ("lacrosse ball", "tennis ball"), _MANUAL),
    ("infraspinatus", "Infraspinatus", "infraspinatus (back of the shoulder blade)", "left",
     "The flat of the shoulder blade, just below its bony ridge.",
     ("tennis ball", "lacrosse ball", "thera cane"), _BALL_HOLD),
    ("soleus", "Soleus", "soleus (deep calf)", "bilateral",
     "Low in the calf, a few centimetres above the heel, beside the Achilles tendon.",
     ("hands", "massage stick"), {**_STROKING, "caution": "Skip this point if the calf is swollen, red or hot and "
                                  "tell us at once."}),
    ("gluteus_medius", "Gluteus medius", "gluteus medius (side of the hip)", "left",
     "Just below the top edge of the hip bone, towards the back.", ("tennis ball", "lacrosse ball"), _BALL_HOLD),
    ("piriformis", "Piriformis", "piriformis (deep buttock)", "right",
     "Halfway between the tailbone and the bony point on the side of the hip.", ("tennis ball",), _BALL_HOLD),
]  # fmt: skip


def sample_points(count: int = 4) -> tuple[HomeCarePoint, ...]:
    out = []
    for i in range(count):
        slug, name, plain, side, where, tools, protocol = _POINTS[i % len(_POINTS)]
        out.append(HomeCarePoint(i + 1, slug, name, plain, side, where, tools, **protocol))
    return tuple(out)


def sample_home_care_sheet(point_count: int = 4, **changes: object) -> HomeCareSheet:
    sheet = HomeCareSheet(
        clinic_name="Harbour Street Manual Therapy",
        clinic_contact="12 Harbour Street, Bristol BS1 4QA · 0117 496 0123 · hello@harbour-therapy.example",
        paper_size="A4",
        patient_name="Dana Whitfield",
        visit_date=VISIT,
        practitioner="Sam Okafor",
        points=sample_points(point_count),
        painful_zones=(("temple", "right"), ("posterior_neck", "right"), ("plantar_heel", "bilateral")),
        stressor_actions=(
            StressorAction("Desk set-up", "Raise the screen to eye level and keep the mouse close to the keyboard."),
            StressorAction("Sleep", "Aim for 7-8 hours; a pillow that keeps the neck level when lying on the side."),
            StressorAction("New running shoes", "Go back to the old pair for two weeks, then switch over gradually."),
        ),
        safety=(),
        seek_care=(
            "Headache that is sudden and severe, or the worst you have ever had.",
            "Numbness, pins and needles or weakness in an arm or hand.",
            "Calf that becomes swollen, red, hot or very tender.",
        ),
        red_flag_notice=None,
        follow_up_on=dt.date(2026, 3, 16),
        issued_on=dt.date(2026, 3, 2),
        zone_labels=(("temple", "Temple"), ("posterior_neck", "Back of the neck"), ("plantar_heel", "Heel (sole)")),
    )
    if changes:
        sheet = replace(sheet, **changes)  # type: ignore[arg-type]
    return sheet


def sample_progress_report(visit_count: int = 10, **changes: object) -> ProgressReport:
    visits = visit_count
    dates = [VISIT - dt.timedelta(days=7 * (visits - 1 - i)) for i in range(visits)]
    nprs = [7, 6, 6, 5, 4, 4, 3, 3, 2, 2, 2, 1]
    psfs = [3.3, 4.0, 4.3, 5.0, 5.7, 6.0, 6.7, 7.0, 7.3, 8.0, 8.3, 8.7]
    ndi = [34, 32, 30, 30, 28, 26, 24, 24, 22, 20, 20, 18]

    def pick(values: Sequence[float], i: int) -> float:
        return values[min(i, len(values) - 1)]

    measures = (
        Series("Pain (NPRS)", "points (0-10)", tuple((d, float(pick(nprs, i))) for i, d in enumerate(dates)), 2.0,
               False, "Childs 2005; Farrar 2001", (0.0, 10.0), area="Back of the neck", side="right"),
        Series("Function (PSFS)", "mean score (0-10)", tuple((d, pick(psfs, i)) for i, d in enumerate(dates)), 2.0,
               True, "Stratford 1995", (0.0, 10.0)),
        Series("Neck Disability Index", "%", tuple((d, float(pick(ndi, i))) for i, d in enumerate(dates)), None,
               False, ""),
    )  # fmt: skip
    goals = (
        Goal("Turning my head to reverse the car", tuple((d, pick([2, 3, 3, 4, 5, 6, 6, 7, 8, 8], i))
                                                         for i, d in enumerate(dates)), 2.0),
        Goal("Sleeping on my right side", tuple((d, pick([4, 4, 5, 5, 5, 6, 6, 6, 7, 7], i))
                                                for i, d in enumerate(dates)), 2.0),
        Goal("Carrying the shopping home", tuple((d, pick([4, 5, 5, 6, 6, 7, 8, 8, 8, 9], i))
                                                 for i, d in enumerate(dates)), 2.0),
    )  # fmt: skip
    tender = {
        ("Trapezius, upper", "right", "upper trapezius (top of the shoulder)"): [8, 7, 6, 6, 5, 4, 4, 3, 3, 2],
        ("Levator scapulae", "right", "levator scapulae (side of the neck to the shoulder blade)"):
            [6, 6, 5, 5, 4, 4, 3, 3, 2, 2],
        ("Infraspinatus", "left", "infraspinatus (back of the shoulder blade)"): [5, 5, 4, 3, 3, 2, 2, 1, 1, 0],
        ("Soleus", "right", "soleus (deep calf)"): [7, 6, 6, 5, 6, 5, 4, 4, 4, 3],
    }  # fmt: skip
    points = tuple(
        PointSeries(name, side, tuple((d, values[min(i, len(values) - 1)]) for i, d in enumerate(dates)), plain)
        for (name, side, plain), values in tender.items()
    )
    last = dates[-1]

    def before_after(d: dt.date, before: str, after: str) -> tuple[MuscleResult, MuscleResult]:
        return MuscleResult(d, before, "before"), MuscleResult(d, after, "after")

    psoas = [before_after(d, "inhibited", "inhibited" if i < visits - 1 else "normal") for i, d in enumerate(dates)]
    earlier = (MuscleResult(dates[0], "inhibited", "before"),) if visits > 1 else ()  # the first visit, if not last
    tests = (
        TestTransition("Gluteus medius", "right", (*earlier, *before_after(last, "normal", "normal")), bool(earlier),
                       "gluteus medius (side of the hip)"),
        TestTransition("Psoas", "left", tuple(r for pair in psoas for r in pair), True, "iliopsoas (deep hip flexor)"),
        TestTransition("Tibialis posterior", "right", (*earlier, MuscleResult(last, "inhibited", "before")), False,
                       "tibialis posterior (deepest calf muscle, inner shin)"),
    )  # fmt: skip
    report = ProgressReport(
        clinic_name="Harbour Street Manual Therapy",
        clinic_contact="12 Harbour Street, Bristol BS1 4QA · 0117 496 0123 · hello@harbour-therapy.example",
        paper_size="A4",
        patient_name="Dana Whitfield",
        date_of_birth=dt.date(1984, 7, 19),
        generated_on=dt.date(2026, 3, 2),
        visits=visits,
        first_visit=dates[0],
        last_visit=last,
        measures=measures,
        points=points,
        tests=tests,
        stressors=(
            StressorChange("Poor sleep", dates[0], dates[min(3, visits - 1)] if visits > 1 else None),
            StressorChange("Desk set-up", dates[0], None),
            StressorChange("New running shoes", dates[min(5, visits - 1)], None),
        ),
        recurring=(
            RecurringPoint(
                "Trapezius, upper",
                "right",
                visits,
                "Keep the screen at eye level and take a movement break "
                "every 30 minutes; keep up the ball hold once a day.",
                "upper trapezius (top of the shoulder)",
            ),
            RecurringPoint(
                "Soleus",
                "right",
                max(1, visits - 2),
                "Change shoes gradually; calf self-massage after runs.",
                "soleus (deep calf)",
            ),
        ),
        latest_summary="Pain down from 3 to 2 since the last visit; upper trapezius less tender (3 → 2); "
        "gluteus medius now tests normal.",
        goals=goals,
        latest_verdict="improved",
    )
    if changes:
        report = replace(report, **changes)  # type: ignore[arg-type]
    return report
