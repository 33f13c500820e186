"""PDF documents for patients and practitioners: pure builders, frozen dataclasses in, PDF bytes out.

No Django, no ORM, no queries (tests/assessments/documents/test_purity.py holds the package to that)::

    pdf = build_home_care_pdf(HomeCareSheet(...))
    pdf = build_progress_pdf(ProgressReport(...))

reportlab only; DejaVu Sans is embedded for non-Latin names (fonts/README.md).
"""

from .home_care import build_home_care_pdf
from .progress import build_progress_pdf
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

__all__ = [
    "Goal",
    "HelpTier",
    "HomeCarePoint",
    "HomeCareSheet",
    "MuscleResult",
    "PaperSize",
    "PointSeries",
    "ProgressReport",
    "RecurringPoint",
    "Series",
    "StressorAction",
    "StressorChange",
    "TestTransition",
    "build_home_care_pdf",
    "build_progress_pdf",
]
