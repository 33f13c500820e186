"""PDF documents for patients and practitioners: pure builders, frozen dataclasses in, PDF bytes out.

No Django, no ORM, no queries (tests/assessments/documents/test_purity.py holds the package to that)::

    pdf = build_home_care_pdf(HomeCareSheet(...))
    pdf = build_progress_pdf(ProgressReport(...))
    pdf = build_visit_note_pdf(VisitNote(...))  # the record of a visit; a draft says "DRAFT" on every page
    pdf = build_referral_pdf(Referral(...))  # the letter to the patient's doctor after a positive screen

reportlab only; DejaVu Sans is embedded for non-Latin names (fonts/README.md).
"""

from .home_care import build_home_care_pdf
from .progress import build_progress_pdf
from .record_types import (
    AddendumRecord,
    AssessmentItem,
    ClinicDetails,
    FindingRecord,
    InjuryRecord,
    MuscleTestRecord,
    OutcomeRecord,
    PainRecord,
    PlanStepRecord,
    Referral,
    ReferralFinding,
    ScreenRecord,
    Signature,
    StressorRecord,
    VisitNote,
)
from .referral import build_referral_pdf
from .types import (
    Goal,
    HelpTier,
    HomeCarePoint,
    HomeCareSheet,
    MuscleResult,
    PaperSize,
    PointSeries,
    ProgressReport,
    RecurringPoint,
    Series,
    StressorAction,
    StressorChange,
    TestTransition,
)
from .visit_note import build_visit_note_pdf

__all__ = [
    "AddendumRecord",
    "AssessmentItem",
    "ClinicDetails",
    "FindingRecord",
    "Goal",
    "HelpTier",
    "HomeCarePoint",
    "HomeCareSheet",
    "InjuryRecord",
    "MuscleResult",
    "MuscleTestRecord",
    "OutcomeRecord",
    "PainRecord",
    "PaperSize",
    "PlanStepRecord",
    "PointSeries",
    "ProgressReport",
    "RecurringPoint",
    "Referral",
    "ReferralFinding",
    "ScreenRecord",
    "Series",
    "Signature",
    "StressorAction",
    "StressorChange",
    "StressorRecord",
    "TestTransition",
    "VisitNote",
    "build_home_care_pdf",
    "build_progress_pdf",
    "build_referral_pdf",
    "build_visit_note_pdf",
]
