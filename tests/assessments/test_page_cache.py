"""The chart and visit pages' cached fragments (``{% cache %}`` with assessments.cache.fragment_context).

A fragment is rendered once per patient data stamp (and role, for patient data) and shared by every reader of the
clinic, so these tests look for what must never be shared (another session's CSRF token, another reader's input)
and for what must show at once (a write).
"""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.cache import CACHE_ALIAS
from assessments.models import PainSite
from clinic.models import Membership, Role
from tests.factories import FindingFactory, MembershipFactory, VisitFactory

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HTMX = {"HTTP_HX_REQUEST": "true"}


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


def test_each_reader_gets_tokens_of_their_own_that_work(clinic, visit):
    """Each browser's page content is cached for that browser (its CSRF cookie is in the key): the second read of
    each comes from the cache, and still carries that browser's own working tokens."""
    url = f"/visits/{visit.pk}/"
    first, second = _signed_in(clinic, username="first.reader"), _signed_in(clinic)
    for client in (first, second, first, second):
        _page(client, url)
    first_tokens, second_tokens = set(TOKEN.findall(_page(first, url))), set(TOKEN.findall(_page(second, url)))
    assert first_tokens and second_tokens and not first_tokens & second_tokens
    html = _page(second, url)
    body_token = TOKEN.findall(html[html.index('id="main"') :])[0]  # a form of the page's body, CSRF enforced
    response = second.post(
        f"/visits/{visit.pk}/chart/findings/",
        {"csrfmiddlewaretoken": body_token, "findings-muscle": "gastrocnemius", "findings-side": "left",
         "findings-tenderness": "5", "findings-status": "active"},
    )  # fmt: skip
    assert response.status_code in (200, 302), response.content[:300]
    assert visit.findings.filter(muscle="gastrocnemius").exists()


@pytest.mark.parametrize("page", ["visit", "chart"])
def test_a_browsers_second_read_comes_from_its_cached_fragment(clinic, visit, page):
    url = f"/visits/{visit.pk}/" if page == "visit" else f"/patients/{visit.patient_id}/"
    reader = _signed_in(clinic)
    _page(reader, url)  # no CSRF cookie yet: rendered in full, and the response sets one
    with CaptureQueriesContext(connection) as full:
        first = _page(reader, url)
    with CaptureQueriesContext(connection) as cached:
        second = _page(reader, url)
    assert len(cached.captured_queries) < len(full.captured_queries)
    masked_tokens = re.compile(r"[A-Za-z0-9]{64}")  # Django masks the token afresh for every response
    assert masked_tokens.sub("", first) == masked_tokens.sub("", second)


def test_another_sessions_token_is_refused(clinic, visit):
    url = f"/visits/{visit.pk}/"
    first, second = _signed_in(clinic, username="first.reader"), _signed_in(clinic)
    stolen = TOKEN.findall(_page(first, url))[0]
    _page(second, url)
    response = second.post(f"/visits/{visit.pk}/chart/findings/", {"csrfmiddlewaretoken": stolen})
    assert response.status_code == 403


def test_a_write_shows_on_the_next_read(browser_client, visit):
    from patients.services import injury_create

    url, marker = f"/visits/{visit.pk}/", "Knee gives way on stairs"
    assert marker not in _page(browser_client, url)
    services.visit_update(visit=visit, actor=None, changes={"chief_complaint": marker}, expected_version=None)
    assert marker in _page(browser_client, url)
    chart = f"/patients/{visit.patient_id}/"
    assert "Ankle sprain 2019" not in _page(browser_client, chart)
    injury_create(
        patient=visit.patient,
        actor=None,
        data={"description": "Ankle sprain 2019", "zone": "posterior_shoulder", "side": "left"},
    )
    assert "Ankle sprain 2019" in _page(browser_client, chart)


def test_the_analysis_panel_follows_what_is_charted(browser_client, visit):
    url = f"/visits/{visit.pk}/"

    def analysis(html):
        return html[html.index('id="panel-analysis"') : html.index("</section>", html.index('id="panel-analysis"'))]

    before = analysis(_page(browser_client, url))
    assert analysis(_page(browser_client, url)) == before  # from the cache
    services.child_create(
        model=PainSite, visit=visit, actor=None, data={"zone": "plantar_heel", "side": "left", "nprs": 7}
    )
    assert analysis(_page(browser_client, url)) != before


@pytest.mark.parametrize("first_role", [Role.PRACTITIONER, Role.ASSISTANT])
def test_each_role_gets_its_own_page(clinic, visit, first_role):
    url = f"/patients/{visit.patient_id}/"
    roles = [first_role, Role.ASSISTANT if first_role == Role.PRACTITIONER else Role.PRACTITIONER]
    pages = {role: _page(_signed_in(clinic, role, f"reader.{role}"), url) for role in roles}
    assert 'id="progress-pdf"' in pages[Role.PRACTITIONER]
    assert 'id="progress-pdf"' not in pages[Role.ASSISTANT]


def test_a_readers_input_and_errors_stay_theirs(browser_client, clinic, visit):
    url = f"/visits/{visit.pk}/"
    _page(browser_client, url)  # the blank add forms are kept
    bad = {"findings-muscle": "not a muscle Zq", "findings-side": "left", "findings-tenderness": "5"}
    answer = browser_client.post(f"/visits/{visit.pk}/chart/findings/", bad, **HTMX)
    assert answer.status_code == 400 and "not a muscle Zq" in answer.content.decode()
    other = _page(_signed_in(clinic), url)
    assert "not a muscle Zq" not in other and "field-error" not in other


def test_a_form_posted_without_htmx_shows_its_errors_and_they_are_not_kept(browser_client, visit):
    """A browser without htmx posts the form itself and gets the whole page back with the errors: that page is not
    the cached one, and is not kept for the next read."""
    url = f"/visits/{visit.pk}/"
    _page(browser_client, url)
    _page(browser_client, url)  # the page's content is now cached for this browser
    bad = {"findings-muscle": "not a muscle Zq", "findings-side": "left", "findings-tenderness": "5"}
    answer = browser_client.post(f"/visits/{visit.pk}/chart/findings/", bad)
    assert answer.status_code == 400
    assert "not a muscle Zq" in answer.content.decode() and "field-error" in answer.content.decode()
    again = _page(browser_client, url)
    assert "not a muscle Zq" not in again and "field-error" not in again
