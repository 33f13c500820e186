"""Cached page bodies (assessments.cache.cached_page_body): the chart and visit pages.

A body is rendered once per patient data stamp and role and shared by every reader of the clinic, so these tests
look for what must never be shared (another session's CSRF token, another role's buttons) and for what must show at
once (a write).
"""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.cache import CACHE_ALIAS, CSRF_SLOT
from clinic.models import Membership, Role
from tests.factories import FindingFactory, MembershipFactory, PatientFactory, VisitFactory

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def empty_clinical_cache():
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


@pytest.fixture
def visit(patient):
    visit = VisitFactory(patient=patient)
    FindingFactory(visit=visit, muscle="soleus", tenderness=6)
    return visit


def _signed_in(clinic, role=Role.PRACTITIONER, username="second.reader"):
    member = Membership.objects.get(pk=MembershipFactory(clinic=clinic, role=role, user__username=username).pk)
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    return client


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def test_a_second_reader_gets_the_cached_body_with_a_token_of_their_own_that_works(clinic, visit):
    url = f"/visits/{visit.pk}/"
    first, second = _signed_in(clinic, username="first.reader"), _signed_in(clinic)
    html_first = _page(first, url)
    html_second = _page(second, url)
    assert "page" not in (second.get(url).context or {})  # served from the cache
    first_tokens, second_tokens = set(TOKEN.findall(html_first)), set(TOKEN.findall(html_second))
    assert first_tokens and second_tokens and not first_tokens & second_tokens
    assert CSRF_SLOT not in html_second
    # The token in the cached body's own forms is accepted for the second reader's session (CSRF enforced).
    body_token = TOKEN.findall(html_second[html_second.index('id="main"') :])[0]
    response = second.post(
        f"/visits/{visit.pk}/chart/findings/",
        {"csrfmiddlewaretoken": body_token, "findings-muscle": "gastrocnemius", "findings-side": "left",
         "findings-tenderness": "5", "findings-status": "active"},
    )  # fmt: skip
    assert response.status_code in (200, 302), response.content[:300]
    assert visit.findings.filter(muscle="gastrocnemius").exists()


def test_another_sessions_token_is_refused(clinic, visit):
    url = f"/visits/{visit.pk}/"
    first, second = _signed_in(clinic, username="first.reader"), _signed_in(clinic)
    stolen = TOKEN.findall(_page(first, url))[0]
    _page(second, url)
    response = second.post(f"/visits/{visit.pk}/chart/findings/", {"csrfmiddlewaretoken": stolen})
    assert response.status_code == 403


def test_a_write_shows_on_the_next_read(browser_client, visit):
    from assessments import services

    url, marker = f"/visits/{visit.pk}/", "Knee gives way on stairs"
    assert marker not in _page(browser_client, url)
    services.visit_update(visit=visit, actor=None, changes={"chief_complaint": marker}, expected_version=None)
    assert marker in _page(browser_client, url)
    chart = f"/patients/{visit.patient_id}/"
    assert "Ankle sprain 2019" not in _page(browser_client, chart)
    from patients.services import injury_create

    injury_create(
        patient=visit.patient,
        actor=None,
        data={"description": "Ankle sprain 2019", "zone": "posterior_shoulder", "side": "left"},
    )
    assert "Ankle sprain 2019" in _page(browser_client, chart)


@pytest.mark.parametrize("first_role", [Role.PRACTITIONER, Role.ASSISTANT])
def test_each_role_gets_its_own_body(clinic, visit, first_role):
    url = f"/patients/{visit.patient_id}/"
    roles = [first_role, Role.ASSISTANT if first_role == Role.PRACTITIONER else Role.PRACTITIONER]
    pages = {role: _page(_signed_in(clinic, role, f"reader.{role}"), url) for role in roles}
    assert 'id="progress-pdf"' in pages[Role.PRACTITIONER]
    assert 'id="progress-pdf"' not in pages[Role.ASSISTANT]


def test_text_that_looks_like_the_slot_stays_text(clinic, browser_client):
    patient = PatientFactory(clinic=clinic, first_name=CSRF_SLOT, last_name="Slot")
    url = f"/patients/{patient.pk}/"
    for _ in range(2):
        html = _page(browser_client, url)
        assert "&lt;csrf-slot/&gt;" in html
        assert CSRF_SLOT not in html


def test_a_cached_read_runs_fewer_queries_whatever_the_history(clinic, browser_client, patient):
    visits = [VisitFactory(patient=patient) for _ in range(3)]
    for v in visits:
        FindingFactory(visit=v, muscle="soleus", tenderness=5)
    counts = []
    for url in (f"/visits/{visits[-1].pk}/", f"/patients/{patient.pk}/"):
        with CaptureQueriesContext(connection) as cold:
            _page(browser_client, url)
        with CaptureQueriesContext(connection) as warm:
            _page(browser_client, url)
        assert len(warm) < len(cold), url
        counts.append(len(warm))
    for _ in range(5):
        extra = VisitFactory(patient=patient)
        FindingFactory(visit=extra, muscle="soleus", tenderness=5)
    for url, before in zip((f"/visits/{visits[-1].pk}/", f"/patients/{patient.pk}/"), counts, strict=True):
        _page(browser_client, url)
        with CaptureQueriesContext(connection) as warm:
            _page(browser_client, url)
        assert len(warm) == before, url


def test_a_cached_visit_page_reads_its_visit_once(clinic, browser_client, visit):
    url = f"/visits/{visit.pk}/"
    _page(browser_client, url)
    with CaptureQueriesContext(connection) as warm:
        _page(browser_client, url)
    visit_reads = [q["sql"] for q in warm if q["sql"].startswith("SELECT") and "assessments_visit" in q["sql"]]
    assert len(visit_reads) == 1, visit_reads  # the stamp check; the body comes from the cache
