"""Follow-up comparison and longitudinal progress as in shared/api-contract.md."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Outcome
from tests.factories import FindingFactory, MuscleTestFactory, PainSiteFactory, PatientFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_visits(patient):
    first = VisitFactory(patient=patient, date=datetime.date(2026, 10, 1))
    PainSiteFactory(visit=first, nprs=7)
    FindingFactory(visit=first, muscle="soleus", tenderness=8)
    MuscleTestFactory(visit=first, muscle="gluteus_medius", side="right", result="inhibited")
    Outcome.objects.create(clinic=first.clinic, visit=first, measure="lefs", value=40)
    second = VisitFactory(patient=patient, date=datetime.date(2026, 10, 15), kind="follow_up")
    PainSiteFactory(visit=second, nprs=3)
    FindingFactory(visit=second, muscle="soleus", tenderness=3, status="latent")
    MuscleTestFactory(visit=second, muscle="gluteus_medius", side="right", result="normal")
    Outcome.objects.create(clinic=second.clinic, visit=second, measure="lefs", value=52)
    return first, second


def test_compare_has_the_contract_shape_and_judges_by_mcid(api, two_visits):
    first, second = two_visits
    body = api.get(f"/api/v1/visits/{second.pk}/compare/", {"with": str(first.pk)}).json()
    for section in ("findings", "muscle_tests", "pain_sites", "outcomes", "stressors"):
        assert isinstance(body[section], list)
        for item in body[section]:
            assert {"key", "before", "after", "change"} <= set(item)
            assert item["change"] in {"improved", "worse", "unchanged", "new", "resolved"}
    assert body["summary"] == "improved"
    assert {c["key"]: c["change"] for c in body["pain_sites"]} == {"plantar_heel:left": "improved"}
    assert body["outcomes"][0]["threshold"] == 9
    assert body["muscle_tests"][0]["normalised"] is True
    assert body["before_visit"]["id"] == str(first.pk)


def test_compare_defaults_to_the_previous_visit_and_orders_by_date(api, two_visits):
    first, second = two_visits
    default = api.get(f"/api/v1/visits/{second.pk}/compare/").json()
    reversed_call = api.get(f"/api/v1/visits/{first.pk}/compare/", {"with": str(second.pk)}).json()
    assert default["summary"] == reversed_call["summary"] == "improved"
    assert api.get(f"/api/v1/visits/{first.pk}/compare/").status_code == 400


def test_compare_refuses_foreign_or_other_patients_visits(api, clinic, two_visits, foreign_patient):
    _, second = two_visits
    foreign = VisitFactory(patient=foreign_patient)
    assert api.get(f"/api/v1/visits/{second.pk}/compare/", {"with": str(foreign.pk)}).status_code == 404
    assert api.get(f"/api/v1/visits/{foreign.pk}/compare/", {"with": str(second.pk)}).status_code == 404
    other_patient = VisitFactory(patient=PatientFactory(clinic=clinic))
    assert api.get(f"/api/v1/visits/{second.pk}/compare/", {"with": str(other_patient.pk)}).status_code == 400
    assert api.get(f"/api/v1/visits/{second.pk}/compare/", {"with": "nope"}).status_code == 400


def test_progress_series_are_oldest_first(api, patient, two_visits):
    body = api.get(f"/api/v1/patients/{patient.pk}/progress/").json()
    assert [v["date"] for v in body["visits"]] == ["2026-10-01", "2026-10-15"]
    lefs = next(s for s in body["measures"] if s["key"] == "lefs")
    assert [p["value"] for p in lefs["points"]] == [40, 52]
    soleus = next(s for s in body["points"] if s["key"] == "soleus:left")
    assert [p["value"] for p in soleus["points"]] == [8, 3]
    assert api.get("/api/v1/patients/00000000-0000-0000-0000-000000000000/progress/").status_code == 404


def test_progress_of_another_clinics_patient_is_404(api, foreign_patient):
    assert api.get(f"/api/v1/patients/{foreign_patient.pk}/progress/").status_code == 404


def _count(api, url):
    api.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_progress_and_compare_use_a_constant_number_of_queries(api, clinic):
    def history(n):
        patient = PatientFactory(clinic=clinic)
        visits = []
        for i in range(n):
            v = VisitFactory(patient=patient, date=datetime.date(2025, 1, 1) + datetime.timedelta(days=i))
            PainSiteFactory(visit=v, nprs=i % 10)
            for j in range(10):
                FindingFactory(visit=v, muscle="soleus", location=f"spot {j}", tenderness=j % 10)
            visits.append(v)
        return patient, visits

    small, small_visits = history(2)
    large, large_visits = history(50)
    assert _count(api, f"/api/v1/patients/{small.pk}/progress/") == _count(
        api, f"/api/v1/patients/{large.pk}/progress/"
    )
    assert _count(api, f"/api/v1/visits/{small_visits[-1].pk}/compare/") == _count(
        api, f"/api/v1/visits/{large_visits[-1].pk}/compare/"
    )
