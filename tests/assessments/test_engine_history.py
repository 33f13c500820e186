"""The engine reads a window of earlier visits; its analysis is exactly the one the whole history gives."""

import datetime

import pytest

from assessments import mappers, selectors
from assessments.engine import analyse
from assessments.mappers import current_catalog
from patients.selectors import injury_list, stressor_list
from tests.factories import FindingFactory, PainSiteFactory, PatientFactory, VisitFactory

pytestmark = pytest.mark.django_db

WINDOW = selectors.HISTORY_WINDOW


def _patient_with_visits(clinic, tender_for: int, total: int):
    """`total` visits; soleus tender at the last `tender_for` of them and not before; gluteus medius never positive."""
    patient = PatientFactory(clinic=clinic)
    visits = []
    for n in range(total):
        visit = VisitFactory(patient=patient, date=datetime.date(2024, 1, 1) + datetime.timedelta(days=7 * n))
        PainSiteFactory(visit=visit, nprs=max(0, 8 - n % 8))
        tender = n >= total - tender_for
        FindingFactory(
            visit=visit, muscle="soleus", tenderness=7 if tender else 0, taut_band=tender, recognized=tender,
            status="active" if tender else "unknown",
        )  # fmt: skip
        FindingFactory(visit=visit, muscle="gluteus_medius", side="right", tenderness=1, taut_band=False,
                       recognized=False, status="unknown")  # fmt: skip
        visits.append(visit)
    return patient, visits[-1]


def _whole_history_analysis(visit):
    full = selectors.visit_detail(clinic=visit.clinic, visit_id=visit.pk)
    engine_input = mappers.visit_input(
        full,
        stressors=list(stressor_list(patient=full.patient)),
        injuries=list(injury_list(patient=full.patient)),
        earlier=selectors.earlier_visits(visit=full),
    )
    return analyse(engine_input, current_catalog())


@pytest.mark.parametrize(
    ("tender_for", "total"),
    [(3, 5), (4, WINDOW + 10), (WINDOW + 5, WINDOW + 10), (WINDOW + 10, WINDOW + 10)],
    ids=["short-history", "streak-inside-window", "streak-beyond-window", "tender-at-every-visit"],
)
def test_windowed_analysis_equals_the_whole_history_analysis(clinic, tender_for, total):
    _, visit = _patient_with_visits(clinic, tender_for, total)
    windowed = selectors.visit_analysis(visit=visit)
    assert windowed == _whole_history_analysis(visit)
    soleus = [r for r in windowed.recurring if r.muscle == "soleus"]
    assert soleus and soleus[0].visits == tender_for


def test_the_window_reads_only_the_latest_visits_when_no_point_is_tender_throughout(clinic):
    _, visit = _patient_with_visits(clinic, 3, WINDOW + 20)
    engine_input = mappers.visit_input(
        selectors.visit_detail(clinic=clinic, visit_id=visit.pk), stressors=[], injuries=[], earlier=()
    )
    history = selectors.engine_history(visit=visit, findings=engine_input.findings)
    assert len(history) == WINDOW
    assert max(p.date for p in history) == visit.date - datetime.timedelta(days=7)
