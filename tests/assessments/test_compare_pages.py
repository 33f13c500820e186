"""The comparison page and the patient chart's trends (server-rendered)."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import FindingFactory, PainSiteFactory, PatientFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_compare_page_defaults_to_the_previous_visit(browser_client, patient):
    first = VisitFactory(patient=patient, date=datetime.date(2026, 10, 1))
    PainSiteFactory(visit=first, nprs=8)
    second = VisitFactory(patient=patient, date=datetime.date(2026, 10, 20))
    PainSiteFactory(visit=second, nprs=7)
    page = browser_client.get(reverse("assessments:compare", args=[second.pk])).content.decode()
    assert "no clinically important change" in page and "is below the MCID of 2" in page


def test_compare_page_for_a_first_visit_or_a_bad_id_explains_itself(browser_client, patient, clinic):
    only = VisitFactory(patient=patient)
    response = browser_client.get(reverse("assessments:compare", args=[only.pk]))
    assert response.status_code == 400 and "first visit" in response.content.decode()
    assert browser_client.get(reverse("assessments:compare", args=[only.pk]), {"with": "x"}).status_code == 400
    stranger = VisitFactory(patient=PatientFactory(clinic=clinic))
    assert (
        browser_client.get(reverse("assessments:compare", args=[only.pk]), {"with": str(stranger.pk)}).status_code
        == 400
    )


def test_compare_page_of_another_clinic_is_404(browser_client, foreign_patient):
    assert (
        browser_client.get(reverse("assessments:compare", args=[VisitFactory(patient=foreign_patient).pk])).status_code
        == 404
    )


def test_patient_chart_shows_trend_lines_with_the_mcid_band(browser_client, patient):
    for day, nprs, tenderness in ((1, 7, 8), (10, 5, 6), (20, 3, 5)):
        visit = VisitFactory(patient=patient, date=datetime.date(2026, 10, day))
        PainSiteFactory(visit=visit, nprs=nprs)
        FindingFactory(visit=visit, muscle="soleus", tenderness=tenderness)
    page = browser_client.get(reverse("assessments:chart", args=[patient.pk])).content.decode()
    assert page.count('class="spark"') == 2
    assert "spark-mcid" in page and "Recurring point: Soleus" in page
