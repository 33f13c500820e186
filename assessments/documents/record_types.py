"""The inputs of the practitioner's record documents, the visit note and the referral letter: plain frozen
dataclasses filled by the caller (assessments.document_selectors), never by a query.

These are clinician documents (records requests, insurers, referrers, the patient's doctor): clinician language, rule
ids and citations belong here, unlike on the patient's home-care sheet. Every text field is plain text (not markup)
and is printed as it is; the labels (zone and muscle names, results, sides) arrive already in words. Datetimes are
aware and already in the clinic's time zone, named by `time_zone`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

PaperSize = Literal["A4", "LETTER"]


@dataclass(frozen=True)
class ClinicDetails:
    name: str
    address: str
    phone: str
    email: str

    def contact(self) -> str:
        """Address, phone and email on one line, the empty ones left out."""
        return " · ".join(part for part in (self.address, self.phone, self.email) if part.strip())


# --- subjective ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StressorRecord:
    label: str  # the catalog's name of the stressor kind, e.g. "Rapid footwear transition"
    category: str  # e.g. "Physical / structural"
    severity: int  # 1-3
    onset: dt.date | None
    resolved_on: dt.date | None
    detail: str


@dataclass(frozen=True)
class InjuryRecord:
    zone: str  # e.g. "Lateral ankle"
    side: str
    occurred_on: dt.date | None  # may be approximate
    description: str
    painful_now: bool


# --- objective -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PainRecord:
    zone: str
    side: str
    nprs: int | None  # 0-10
    primary: bool


@dataclass(frozen=True)
class ScreenRecord:
    condition: str  # the catalog safety rule's condition, e.g. "Possible deep-vein thrombosis"
    rule: str  # e.g. "SAFE-M-DVT"
    side: str  # "" when the screen is not of one side
    result: str  # "Positive", "Negative", "Not done"
    positive: bool
    detail: str


@dataclass(frozen=True)
class FindingRecord:
    """One palpation finding; the signs are charted separately (Delphi2018)."""

    muscle: str
    side: str
    location: str
    tenderness: int  # 0-10
    signs: tuple[str, ...]  # e.g. ("taut band", "nodule", "local twitch response", "recognised pain")
    status: str  # e.g. "Active (reproduces the familiar pain)"
    referral: str  # referral zones in words
    treatment: str  # e.g. "Treated (hold): released"; "" when not treated
    notes: str


@dataclass(frozen=True)
class MuscleTestRecord:
    """A manual muscle test before and after treatment (practitioner observation, not a validated diagnostic test)."""

    __test__ = False  # not a pytest test class

    muscle: str
    side: str
    before: str  # e.g. "Inhibited"; "" when not tested in that phase
    after: str
    notes: str


@dataclass(frozen=True)
class OutcomeRecord:
    measure: str  # e.g. "LEFS (0-80)"
    value: str  # formatted
    detail: str


# --- assessment and plan ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentItem:
    """One line of the engine's analysis (never a diagnosis): a red flag, a suspected source, a stressor..."""

    group: str  # e.g. "Suspected sources (muscles to examine)"
    heading: str  # e.g. "Soleus, left"
    text: str  # the engine's reason, in clinical language (an AK item carries "AK tradition, not evidence-based")
    rules: tuple[str, ...]  # the catalog rule ids that produced it
    references: tuple[str, ...]  # the rules' sources as readable citations (the catalog's cite or title)


@dataclass(frozen=True)
class PlanStepRecord:
    order: int
    kind: str  # e.g. "Refer", "Treat trigger point"
    target: str  # the muscle and side or the stressor, "" when none
    rationale: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class Signature:
    signed_by: str  # full name
    signed_at: dt.datetime  # aware, in the clinic's time zone


@dataclass(frozen=True)
class AddendumRecord:
    author: str  # full name
    written_at: dt.datetime  # aware, in the clinic's time zone
    text: str


# --- the documents ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitNote:
    """The SOAP note of one visit. Without a signature it is a draft, and every page says so."""

    clinic: ClinicDetails
    paper_size: PaperSize
    patient_name: str
    date_of_birth: dt.date | None
    practitioner: str  # who charted (or signed) the visit, full name
    visit_date: dt.date
    visit_kind: str  # "Initial", "Follow-up"
    chief_complaint: str
    notes: str
    stressors: tuple[StressorRecord, ...]
    injuries: tuple[InjuryRecord, ...]
    pain_sites: tuple[PainRecord, ...]
    screens: tuple[ScreenRecord, ...]
    findings: tuple[FindingRecord, ...]
    muscle_tests: tuple[MuscleTestRecord, ...]
    outcomes: tuple[OutcomeRecord, ...]
    assessment: tuple[AssessmentItem, ...]
    reasoning: str  # which engine and catalog release the assessment comes from
    plan_exists: bool
    plan_confirmed: bool
    plan_confirmed_by: str  # full name; "" when not confirmed
    plan_confirmed_at: dt.datetime | None  # aware, in the clinic's time zone
    plan: tuple[PlanStepRecord, ...]
    signature: Signature | None  # None: a draft
    addenda: tuple[AddendumRecord, ...]
    time_zone: str  # the zone every time on the note is in, e.g. "Europe/London"
    issued_on: dt.date
    title: str = "Visit note"
    history: tuple[tuple[str, str], ...] = ()  # (label, value) of the complaint's history (issue 23)
    treatments: tuple[str, ...] = ()  # one line per treatment tried, as the practitioner reads it
    observations: tuple[str, ...] = ()  # posture and gait, one line each

    @property
    def draft(self) -> bool:
        return self.signature is None


@dataclass(frozen=True)
class ReferralFinding:
    """A positive red-flag screen and what the catalog's safety rule says about it."""

    condition: str
    rule: str
    side: str  # "" when the screen is not of one side
    detail: str  # the practitioner's notes on the screen
    criteria: tuple[str, ...]  # the rule's signs (clinician language)
    action: str  # the rule's action
    urgency: str  # e.g. "same day"; "" when the rule names none
    references: tuple[str, ...]


@dataclass(frozen=True)
class Referral:
    """The letter to the patient's doctor about the visit's positive screens."""

    clinic: ClinicDetails
    paper_size: PaperSize
    practitioner: str  # full name
    recipient: str  # e.g. "The patient's general practitioner"
    patient_name: str
    date_of_birth: dt.date | None
    visit_date: dt.date
    body: str  # the letter's text: the practitioner's edit, or the generated default
    findings: tuple[ReferralFinding, ...]
    done: tuple[str, ...]
    not_done: tuple[str, ...]
    issued_on: dt.date
    title: str = "Referral letter"
