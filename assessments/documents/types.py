"""The inputs of the PDF builders: plain frozen dataclasses, filled by the caller (a view, a service), never by a query.

Every text field is plain text (not markup): the builders print it as it is. Dates are ``datetime.date``; sides are the
chart's words ("right", "left", "bilateral", "midline"; anything else is printed as given).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

PaperSize = Literal["A4", "LETTER"]


# --- home-care sheet -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeCarePoint:
    """One self-care spot in the patient's words: a muscle on one side, where to find it, and one dose for the tool
    in the patient's hand (catalog patient words: the muscle's `patient`, `meta.patient.doses`)."""

    number: int
    muscle_slug: str  # places the numbered dot on the body figure (assessments.body_map.muscle_point)
    name: str  # plain words with the proper name in brackets: "deep calf muscle (soleus)"
    side: str
    where: str  # how to find the spot, in lay terms
    tool: str  # the one tool, e.g. "a tennis ball"
    how: str
    how_long: str
    how_often: str
    how_hard: str
    stop: str
    care: str = ""  # a caution for this muscle, in plain words
    note: str = ""  # the practitioner's own words for this spot
    recurring: str = ""  # said when the spot keeps coming back


@dataclass(frozen=True)
class StressorAction:
    """Something in daily life that keeps the problem going, and what to change."""

    label: str
    action: str


@dataclass(frozen=True)
class HelpTier:
    """One step of "when to get help": what to do (the heading) for which signs, most urgent first."""

    heading: str  # "Call emergency services now if you have:"
    signs: tuple[str, ...]


@dataclass(frozen=True)
class HomeCareSheet:
    """Everything the sheet prints, already in the patient's words (the selector picks them from the catalog's
    patient-language layer); the builder adds only its own headings."""

    clinic_name: str
    clinic_address: str
    clinic_phone: str
    clinic_email: str
    paper_size: PaperSize
    patient_name: str
    visit_date: dt.date
    practitioner: str  # full name
    points: tuple[HomeCarePoint, ...]
    painful_zones: tuple[tuple[str, str], ...]  # (zone slug, side); side "bilateral" shades both sides
    stressor_actions: tuple[StressorAction, ...]
    safety: tuple[str, ...]
    help: tuple[HelpTier, ...]  # in the order printed: emergency, doctor, next visit
    red_flag_notice: str | None  # a positive red flag withheld self-care for an area: said plainly, up front
    follow_up_on: dt.date | None
    issued_on: dt.date  # the day it is handed out: the sheet prints the date only
    note: str = ""  # the practitioner's overall note to the patient
    not_the_sore_spot: str = "The spot to work on is often away from where it hurts."
    no_points: str = "There are no self-care spots for you this time."
    large_type: bool = False
    title: str = "Your home-care plan"
    zone_labels: tuple[tuple[str, str], ...] = ()  # (zone slug, plain label), to list the painful areas in words


# --- progress report -------------------------------------------------------------------------------------------------

Verdict = Literal["improved", "no_important_change", "worse", "mixed"]  # the latest comparison's, in the engine's terms
Phase = Literal["before", "after", ""]  # a muscle test before or after that visit's treatment; "": not said


@dataclass(frozen=True)
class Series:
    """One outcome measure across visits (NPRS, PSFS, ...)."""

    label: str  # e.g. "Pain (NPRS)"
    unit: str  # e.g. "points"
    points: tuple[tuple[dt.date, float], ...]  # in date order
    mcid: float | None  # minimal clinically important difference; None: no established MCID
    higher_is_better: bool
    mcid_source: str  # a human-readable citation, e.g. "Childs 2005"
    scale: tuple[float, float] | None = None  # the measure's range (e.g. (0, 10)) for the chart's axis
    area: str = ""  # a pain score's painful area, the catalog's zone label ("Front of the knee (kneecap)"); else ""
    side: str = ""  # the painful area's side


@dataclass(frozen=True)
class PointSeries:
    """The tenderness (0-10) of one trigger point across visits."""

    muscle_name: str
    side: str
    points: tuple[tuple[dt.date, int], ...]
    plain_name: str = ""  # the patient's words for the muscle: "deep calf muscle (soleus)"; "" prints muscle_name


@dataclass(frozen=True)
class MuscleResult:
    """One muscle test at one visit, in the clinician's word (inhibited, normal, facilitated)."""

    date: dt.date
    result: str
    phase: Phase = ""


@dataclass(frozen=True)
class TestTransition:
    """One muscle test's results across visits, e.g. inhibited -> normal, oldest first (before treatment first)."""

    __test__ = False  # not a pytest test class

    muscle_name: str
    side: str
    results: tuple[MuscleResult, ...]
    normalised: bool
    plain_name: str = ""


@dataclass(frozen=True)
class StressorChange:
    label: str
    started: dt.date | None
    resolved: dt.date | None


@dataclass(frozen=True)
class RecurringPoint:
    """A trigger point that keeps coming back, and what to do about it (the practitioner's words, no rule ids)."""

    muscle_name: str
    side: str
    visits: int
    advice: str
    plain_name: str = ""


@dataclass(frozen=True)
class Goal:
    """An activity the patient chose (a Patient-Specific Functional Scale item): 0 = unable, 10 = as before the
    problem."""

    activity: str
    scores: tuple[tuple[dt.date, float], ...]  # in date order
    mcid: float | None = None  # the change that matters, in points


@dataclass(frozen=True)
class ProgressReport:
    clinic_name: str
    clinic_contact: str
    paper_size: PaperSize
    patient_name: str
    date_of_birth: dt.date | None
    generated_on: dt.date  # the report prints the date only
    visits: int
    first_visit: dt.date | None
    last_visit: dt.date | None
    measures: tuple[Series, ...]  # the pain scores first
    points: tuple[PointSeries, ...]
    tests: tuple[TestTransition, ...]
    stressors: tuple[StressorChange, ...]
    recurring: tuple[RecurringPoint, ...]
    latest_summary: str | None  # the latest visit-to-visit comparison, in the practitioner's words
    title: str = "Progress report"
    goals: tuple[Goal, ...] = ()
    latest_verdict: Verdict | None = None  # how that comparison came out
