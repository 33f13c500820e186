"""Headers: a strict Content-Security-Policy on every page, no-store on anything a signed-in user or the API gets."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return dict(directives)


def assert_no_store(response) -> None:
    assert "no-store" in response["Cache-Control"], (response.request["PATH_INFO"], response.get("Cache-Control"))
    assert response["Pragma"] == "no-cache"


@pytest.fixture
def visit(patient, user):
    return VisitFactory(patient=patient, clinic=patient.clinic)


def test_pages_carry_the_strict_policy(browser_client, patient):
    for response in (Client().get("/accounts/login/"), browser_client.get(f"/patients/{patient.pk}/")):
        assert response.status_code == 200
        directives = policy(response)
        for name, value in STRICT.items():
            assert directives[name] == value, name
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_templates_carry_no_inline_script_or_handlers(browser_client, patient, visit):
    for url in ("/patients/", f"/patients/{patient.pk}/", f"/visits/{visit.pk}/", "/accounts/login/"):
        html = browser_client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html), url
        for handler in (" onclick=", " onload=", " onsubmit=", " onchange=", "hx-on", "javascript:", " style="):
            assert handler not in html, (url, handler)


def test_the_api_docs_relax_style_src_only(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert "<script>" not in response.content.decode()  # the start-up script comes from a URL, not inline
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_every_page_of_a_signed_in_user_is_no_store(browser_client, patient, visit):
    urls = [
        "/patients/",
        "/patients/?q=lop",
        f"/patients/{patient.pk}/",
        f"/patients/{patient.pk}/edit/",
        "/patients/new/",
        f"/visits/{visit.pk}/",
        f"/visits/{visit.pk}/analysis/",
        "/clinic/choose/",
    ]
    for url in urls:
        response = browser_client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        assert_no_store(response)
        assert "private" in response["Cache-Control"]
    assert_no_store(browser_client.get(f"/patients/{patient.pk}/", HTTP_HX_REQUEST="true"))
    assert_no_store(browser_client.get("/no-such-page/"))  # even a 404 to a signed-in user


def test_every_api_response_is_no_store(api, patient, visit):
    urls = [
        "/api/v1/patients/",
        f"/api/v1/patients/{patient.pk}/",
        f"/api/v1/patients/{patient.pk}/stressors/",
        f"/api/v1/visits/{visit.pk}/",
        "/api/v1/visits/",
        "/api/v1/catalog/zones/",
        f"/api/v1/patients/{patient.pk}/progress/",
    ]
    for url in urls:
        response = api.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert_no_store(response)
    assert_no_store(api.post("/api/v1/patients/", {}, format="json"))  # a 400 too
    assert_no_store(APIClient().get("/api/v1/patients/"))  # and a 401


def test_a_session_request_to_the_api_is_no_store(browser_client):
    assert_no_store(browser_client.get("/api/v1/patients/"))


def test_public_pages_are_not_forced_to_no_store_but_static_files_stay_cacheable(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
