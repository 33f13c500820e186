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
    """One self-care point: a muscle on one side, what to do to it and how much (from a named, sourced protocol)."""

    number: int
    muscle_slug: str  # places the numbered dot on the body figure (assessments.body_map.muscle_point)
    muscle_name: str  # the anatomical name, e.g. "Trapezius, upper (descending) fibers"
    plain_name: str  # the patient's words, e.g. "upper trapezius (top of the shoulder)"
    side: str
    where: str  # how to find the trigger point
    tools: tuple[str, ...]  # the first is the chosen tool, the rest are alternatives
    method: str
    duration: str  # e.g. "30-60 s per spot"
    frequency: str  # e.g. "3-10 times per day"
    intensity: str  # e.g. "about 7/10: uncomfortable, not excruciating"; empty prints the builder's default
    stop_rule: str
    caution: str
    protocol_name: str
    protocol_source: str  # a human-readable citation


@dataclass(frozen=True)
class StressorAction:
    """Something in daily life that keeps the problem going, and what to change."""

    label: str
    action: str


@dataclass(frozen=True)
class HomeCareSheet:
    clinic_name: str
    clinic_contact: str  # address / phone / email, one line
    paper_size: PaperSize
    patient_name: str
    visit_date: dt.date
    practitioner: str
    points: tuple[HomeCarePoint, ...]
    painful_zones: tuple[tuple[str, str], ...]  # (zone slug, side); side "bilateral" shades both sides
    stressor_actions: tuple[StressorAction, ...]
    safety: tuple[str, ...]  # empty prints the builder's standard safety rules
    seek_care: tuple[str, ...]  # red-flag signs relevant to the region; empty prints a general line
    red_flag_notice: str | None  # a positive red flag withheld self-care for a region: said plainly, up front
    follow_up_on: dt.date | None
    issued_on: dt.date  # the day it is handed out: the sheet prints the date only
    title: str = "Your home-care programme"
    zone_labels: tuple[tuple[str, str], ...] = ()  # (zone slug, plain label), to list the painful areas in words


# --- progress report -------------------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class PointSeries:
    """The tenderness (0-10) of one trigger point across visits."""

    muscle_name: str
    side: str
    points: tuple[tuple[dt.date, int], ...]


@dataclass(frozen=True)
class TestTransition:
    """One muscle test's results across visits, e.g. inhibited -> normal."""

    __test__ = False  # not a pytest test class

    muscle_name: str
    side: str
    results: tuple[tuple[dt.date, str], ...]
    normalised: bool


@dataclass(frozen=True)
class StressorChange:
    label: str
    started: dt.date | None
    resolved: dt.date | None


@dataclass(frozen=True)
class RecurringPoint:
    """A trigger point that keeps coming back, and what to do about it."""

    muscle_name: str
    side: str
    visits: int
    advice: str


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
    measures: tuple[Series, ...]  # the NPRS first
    points: tuple[PointSeries, ...]
    tests: tuple[TestTransition, ...]
    stressors: tuple[StressorChange, ...]
    recurring: tuple[RecurringPoint, ...]
    latest_summary: str | None  # the latest visit-to-visit comparison, in words
    title: str = "Progress report"
