"""Realistic sample inputs for the PDF builders: used by the tests, the benchmark and the PNG previews.

Pure data (no Django); the wording follows the seed catalog (catalog/data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from .types import (
    Goal,
    HelpTier,
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

_BALL = {
    "tool": "a tennis ball",
    "how": "Lean or lie on the ball so that it presses on the spot. Hold still, breathe out and let the muscle "
    "relax. Then move the ball to a spot close by.",
    "how_long": "30 to 60 seconds on each spot.",
}
_HANDS = {
    "tool": "your fingers or thumb",
    "how": "Press on the spot and hold it, or rub it in small circles or back and forth.",
    "how_long": "Start with 10 to 15 seconds. Keep going while the pain keeps easing, and stop when it stops getting "
    "better.",
}
_STICK = {
    "tool": "a massage stick",
    "how": "Roll the stick slowly along the muscle, a little firmer going up and lighter coming back down. Stay off "
    "the sore spot itself.",
    "how_long": "About 60 seconds each way.",
}
_EVERY = {
    "how_often": "A few times a day at most, and only if it feels better each time. More is not better.",
    "how_hard": "Firm enough to feel it, but not so hard that it really hurts: about 7 on a scale from 0 to 10.",
    "stop": "Stop if the area is sore the next day, and rest it until the soreness is gone. Stop and call us if the "
    "pain gets worse.",
}

_POINTS = [
    ("trapezius_upper", "top-of-shoulder muscle (upper trapezius)", "right",
     "On top of your shoulder, halfway between your neck and the tip of your shoulder.", _BALL),
    ("levator_scapulae", "neck-to-shoulder-blade muscle (levator scapulae)", "right",
     "Where the side of your neck meets the top of your shoulder blade.", _HANDS),
    ("infraspinatus", "shoulder blade muscle (infraspinatus)", "left",
     "On the flat part of your shoulder blade, just below the bony ridge.", _BALL),
    ("soleus", "deep calf muscle (soleus)", "bilateral",
     "Low in the back of your calf, a hand's width above the heel.",
     {**_STICK, "care": "Skip this spot if your calf is swollen, red or hot, and tell us at once."}),
    ("gluteus_medius", "side hip muscle (gluteus medius)", "left",
     "Just below the top edge of your hip bone, toward the back.", _BALL),
    ("piriformis", "deep buttock muscle (piriformis)", "right",
     "Deep in the middle of your buttock.", _BALL),
]  # fmt: skip


def sample_points(count: int = 4) -> tuple[HomeCarePoint, ...]:
    out = []
    for i in range(count):
        slug, name, side, where, dose = _POINTS[i % len(_POINTS)]
        out.append(HomeCarePoint(number=i + 1, muscle_slug=slug, name=name, side=side, where=where, **_EVERY, **dose))
    return tuple(out)


SAMPLE_HELP = (
    HelpTier(
        "Call emergency services now if you have:",
        ("A sudden, very bad headache, the worst you have ever had.", "Sudden shortness of breath or chest pain."),
    ),
    HelpTier(
        "See a doctor today or tomorrow if you have:",
        ("A calf that is swollen, warm, red or sore to touch.", "New numbness, tingling or weakness in an arm."),
    ),
    HelpTier("Tell us at your next visit if you have:", ("Soreness that lasts more than a day after self-care.",)),
)
SAMPLE_SAFETY = (
    "Do not press on skin that is red, hot, swollen or broken.",
    "Never work through sharp or shooting pain, or pain that makes you feel numb or tingly.",
    "If the area is sore the next day, stop and rest it until it feels better.",
)


def sample_home_care_sheet(point_count: int = 4, **changes: object) -> HomeCareSheet:
    sheet = HomeCareSheet(
        clinic_name="Harbour Street Manual Therapy",
        clinic_address="12 Harbour Street, Bristol BS1 4QA",
        clinic_phone="0117 496 0123",
        clinic_email="hello@harbour-therapy.example",
        paper_size="A4",
        patient_name="Dana Whitfield",
        visit_date=VISIT,
        practitioner="Sam Okafor",
        points=sample_points(point_count),
        painful_zones=(("temple", "right"), ("posterior_neck", "right"), ("plantar_heel", "bilateral")),
        stressor_actions=(
            StressorAction("Your desk", "Raise the screen to eye level and keep the mouse close to the keyboard."),
            StressorAction("Sleep", "Aim for 7 to 8 hours, with a pillow that keeps your neck level."),
            StressorAction("New running shoes", "Go back to the old pair for two weeks, then switch over gradually."),
        ),
        safety=SAMPLE_SAFETY,
        help=SAMPLE_HELP,
        red_flag_notice=None,
        follow_up_on=dt.date(2026, 3, 16),
        issued_on=dt.date(2026, 3, 2),
        note="Keep your screen at eye level this week and walk for ten minutes at lunch.",
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
