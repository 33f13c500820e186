"""The Content-Security-Policy header comes from django-csp's middleware and settings (clinic/settings/base.py)."""

import re

import pytest
from csp.constants import HEADER, NONCE, SELF
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

SCRIPT = '<script nonce="{{ request.csp_nonce }}" src="/static/js/body_chart.js"></script>'


def page_with_a_nonce(request: HttpRequest) -> HttpResponse:
    return HttpResponse(engines["django"].from_string(SCRIPT).render(request=request))


def plain_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("plain")


urlpatterns = [path("nonce/", page_with_a_nonce), path("plain/", plain_page)]


def test_a_response_carries_the_configured_policy(client):
    header = client.get("/plain/")[HEADER]
    assert "default-src 'self'" in header and "frame-ancestors 'none'" in header
    assert "nonce-" not in header


def test_a_nonce_a_template_uses_is_in_the_header(client, settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "script-src": [SELF, NONCE]}}
    response = client.get("/nonce/")
    (nonce,) = re.findall(r'nonce="([^"]+)"', response.content.decode())
    assert f"'nonce-{nonce}'" in response[HEADER]
    assert client.get("/nonce/")[HEADER] != response[HEADER]  # a new nonce for every response
