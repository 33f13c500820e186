"""Cached computed reads (assessments/cache.py) answer what a fresh computation would, after every kind of write."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessments.cache import CACHE_ALIAS
from assessments.models import Outcome
from catalog.models import CatalogEntry, CatalogRelease
from tests.factories import (
    FindingFactory,
    MembershipFactory,
    MuscleTestFactory,
    PainSiteFactory,
    StressorFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_clinical_cache():
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


@pytest.fixture
def history(patient):
    """An earlier and a later visit of the same patient, with a point, a pain site, a test and an outcome each."""
    first = VisitFactory(patient=patient, date=datetime.date(2026, 10, 1))
    PainSiteFactory(visit=first, nprs=7)
    FindingFactory(visit=first, muscle="soleus", tenderness=8)
    MuscleTestFactory(visit=first, muscle="gluteus_medius", side="right", result="inhibited")
    Outcome.objects.create(clinic=first.clinic, visit=first, measure="lefs", value=40)
    second = VisitFactory(patient=patient, date=datetime.date(2026, 10, 15), kind="follow_up")
    PainSiteFactory(visit=second, nprs=3)
    FindingFactory(visit=second, muscle="soleus", tenderness=3, status="latent", referral_zones=["plantar_heel"])
    MuscleTestFactory(visit=second, muscle="gluteus_medius", side="right", result="normal")
    Outcome.objects.create(clinic=second.clinic, visit=second, measure="lefs", value=52)
    return first, second


def _get(api, url, **params):
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    return response


def test_a_repeated_read_is_answered_from_the_cache_with_the_same_bytes(api, history):
    _, second = history
    for url in (
        f"/api/v1/visits/{second.pk}/analysis/",
        f"/api/v1/visits/{second.pk}/compare/",
        f"/api/v1/visits/{second.pk}/",
        f"/api/v1/patients/{second.patient_id}/progress/",
    ):
        with CaptureQueriesContext(connection) as cold:
            first_answer = _get(api, url)
        with CaptureQueriesContext(connection) as warm:
            again = _get(api, url)
        assert again.content == first_answer.content
        assert again["Content-Type"] == first_answer["Content-Type"] == "application/json"
        assert len(warm) < len(cold), url
        # token, membership, the stamped lookup, and the audit event the middleware appends
        assert len(warm) <= 4, [q["sql"] for q in warm.captured_queries]


def test_analysis_follows_a_finding_edit(api, history):
    _, second = history
    url = f"/api/v1/visits/{second.pk}/analysis/"
    before = _get(api, url).json()
    finding = second.findings.get()
    patched = api.patch(f"/api/v1/findings/{finding.pk}/", {"muscle": "gastrocnemius", "version": finding.version})
    assert patched.status_code == 200, patched.content
    after = _get(api, url).json()
    assert after != before
    assert "gastrocnemius" in str(after["suspected_sources"])


def test_analysis_follows_a_new_stressor(api, patient, history):
    _, second = history
    url = f"/api/v1/visits/{second.pk}/analysis/"
    assert _get(api, url).json()["stressors_to_address"] == []
    created = api.post(
        f"/api/v1/patients/{patient.pk}/stressors/", {"kind": "rapid_footwear_transition", "severity": 3}
    )
    assert created.status_code == 201, created.content
    kinds = [s["kind"] for s in _get(api, url).json()["stressors_to_address"]]
    assert kinds == ["rapid_footwear_transition"]


def test_analysis_follows_an_injury(api, patient, history):
    _, second = history
    url = f"/api/v1/visits/{second.pk}/analysis/"
    before = _get(api, url).content
    created = api.post(
        f"/api/v1/patients/{patient.pk}/injuries/", {"zone": "plantar_heel", "side": "left", "painful_now": True}
    )
    assert created.status_code == 201, created.content
    assert _get(api, url).content != before


def test_analysis_compare_and_progress_follow_a_write_to_an_earlier_visit(api, patient, history):
    first, second = history
    urls = [
        f"/api/v1/visits/{second.pk}/analysis/",
        f"/api/v1/visits/{second.pk}/compare/",
        f"/api/v1/patients/{patient.pk}/progress/",
    ]
    before = [_get(api, url).json() for url in urls]
    earlier_point = first.findings.get()
    patched = api.patch(f"/api/v1/findings/{earlier_point.pk}/", {"tenderness": 1, "version": earlier_point.version})
    assert patched.status_code == 200, patched.content
    after = [_get(api, url).json() for url in urls]
    compare_points = {c["key"]: c for c in after[1]["findings"]}
    assert (
        compare_points["soleus:left"]["before"] != {c["key"]: c for c in before[1]["findings"]}["soleus:left"]["before"]
    )
    soleus = next(s for s in after[2]["points"] if s["key"] == "soleus:left")
    assert [p["value"] for p in soleus["points"]] == [1, 3]
    assert after[1] != before[1] and after[2] != before[2]


def test_progress_follows_a_new_visit(api, patient, history):
    url = f"/api/v1/patients/{patient.pk}/progress/"
    assert len(_get(api, url).json()["visits"]) == 2
    created = api.post("/api/v1/visits/", {"patient": str(patient.pk), "date": "2026-11-01", "kind": "follow_up"})
    assert created.status_code == 201, created.content
    assert len(_get(api, url).json()["visits"]) == 3


def test_visit_detail_follows_a_new_finding_and_keeps_its_etag_in_step(api, history):
    _, second = history
    url = f"/api/v1/visits/{second.pk}/"
    cached = _get(api, url)
    assert cached["ETag"] == f'"{cached.json()["version"]}"'
    created = api.post(
        f"/api/v1/visits/{second.pk}/findings/", {"muscle": "gastrocnemius", "side": "right", "tenderness": 4}
    )
    assert created.status_code == 201, created.content
    patched = api.patch(url, {"notes": "Walks better", "version": cached.json()["version"]})
    assert patched.status_code == 200, patched.content
    fresh = _get(api, url)
    assert {f["muscle"] for f in fresh.json()["findings"]} == {"soleus", "gastrocnemius"}
    assert fresh.json()["notes"] == "Walks better"
    assert fresh["ETag"] == f'"{fresh.json()["version"]}"' != cached["ETag"]


def test_analysis_follows_a_new_catalog_release(api, history):
    _, second = history
    url = f"/api/v1/visits/{second.pk}/analysis/"
    before = _get(api, url).content
    soleus = CatalogEntry.objects.get(section="muscle", slug="soleus")
    soleus.data = {**soleus.data, "name": "Soleus (edited release)"}
    soleus.name = "Soleus (edited release)"
    soleus.save()
    CatalogRelease.objects.create(version="test+cache.1")
    after = _get(api, url).content
    assert after != before
    assert b"Soleus (edited release)" in after


def test_another_clinic_gets_404_even_when_the_answer_is_cached(api, history, other_clinic):
    _, second = history
    url = f"/api/v1/visits/{second.pk}/analysis/"
    _get(api, url)
    outsider = MembershipFactory(clinic=other_clinic, user__username="other.practitioner").user
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=outsider).key}")
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/patients/{second.patient_id}/progress/").status_code == 404


def test_errors_are_not_cached(api, patient, history):
    first, _ = history
    url = f"/api/v1/visits/{first.pk}/compare/"
    assert api.get(url).status_code == 400  # the first visit: nothing earlier
    earlier = VisitFactory(patient=patient, date=datetime.date(2026, 9, 1))
    StressorFactory(patient=patient)  # factories write no stamp: the new earlier visit alone must be found
    assert api.get(url).status_code == 200
    assert _get(api, url).json()["before_visit"]["id"] == str(earlier.pk)


def test_visit_page_analysis_follows_a_new_stressor_and_a_finding_edit(browser_client, user, patient, history):
    from assessments import services
    from patients.services import stressor_create

    _, second = history
    url = f"/visits/{second.pk}/"
    page = browser_client.get(url).context["page"]
    assert page.analysis.stressors_to_address == ()
    stressor_create(patient=patient, actor=user, data={"kind": "rapid_footwear_transition", "severity": 3})
    analysis = browser_client.get(url).context["page"].analysis
    assert [s.kind for s in analysis.stressors_to_address] == ["rapid_footwear_transition"]
    finding = second.findings.get()
    services.child_update(child=finding, actor=user, changes={"muscle": "gastrocnemius"}, expected_version=None)
    analysis = browser_client.get(url).context["page"].analysis
    assert "gastrocnemius" in {s.muscle for s in analysis.suspected_sources}


def test_chart_page_timeline_and_trends_follow_writes(browser_client, user, patient, history):
    from assessments import services

    first, second = history
    url = f"/patients/{patient.pk}/"
    context = browser_client.get(url).context
    assert [h.plan_status for h in context["timeline"]] == ["none", "none"]
    services.plan_build(visit=second, actor=user)
    context = browser_client.get(url).context
    assert [h.plan_status for h in context["timeline"]] == ["proposed", "none"]
    outcome = first.outcomes.get()
    services.child_update(child=outcome, actor=user, changes={"value": 30}, expected_version=None)
    lefs = next(s for s in browser_client.get(url).context["progress"].measures if s.key == "lefs")
    assert [p.value for p in lefs.points] == [30, 52]


def test_the_plan_is_read_from_the_cache_and_follows_every_plan_write(api, user, history):
    from assessments import services

    _, second = history
    url = f"/api/v1/visits/{second.pk}/plan/"
    assert api.get(url).status_code == 404  # no plan yet: an error is never cached
    services.plan_build(visit=second, actor=user)
    with CaptureQueriesContext(connection) as cold:
        built = _get(api, url)
    with CaptureQueriesContext(connection) as warm:
        again = _get(api, url)
    assert again.content == built.content and again["ETag"] == built["ETag"] == f'"{built.json()["version"]}"'
    assert len(warm) < len(cold)
    steps = built.json()["steps"]
    edited = api.patch(url, {"steps": steps[::-1], "version": built.json()["version"]}, format="json")
    assert edited.status_code == 200, edited.content
    after_edit = _get(api, url).json()
    assert after_edit["steps"] == edited.json()["steps"]
    assert after_edit["version"] == built.json()["version"] + 1
    confirmed = api.post(f"{url}confirm/")
    assert confirmed.status_code == 200, confirmed.content
    assert _get(api, url).json()["confirmed"] is True
