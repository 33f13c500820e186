"""clinic.csp: the same headers as django-csp's own middleware, with the common policy built once per process."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware as LibraryMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from clinic.csp import CSPMiddleware


def answer(make_response, nonce=False):
    """The response both middlewares give for one view's answer, each on its own request."""
    results = []
    for middleware_class in (CSPMiddleware, LibraryMiddleware):
        request = RequestFactory().get("/api/v1/ping/")
        middleware = middleware_class(lambda r: make_response())
        middleware.process_request(request)
        if nonce:
            str(request.csp_nonce)
        results.append((request, middleware.process_response(request, make_response())))
    return results


def test_a_plain_response_gets_the_librarys_policy():
    (_, ours), (_, theirs) = answer(lambda: HttpResponse("x"))
    assert ours[HEADER] == theirs[HEADER] and "default-src 'self'" in ours[HEADER]
    assert HEADER_REPORT_ONLY not in ours


def test_a_decorated_view_keeps_its_own_policy():
    view = csp_update({"style-src": ["https://cdn.example"]})(lambda request: HttpResponse("x"))
    (_, ours), (_, theirs) = answer(lambda: view(RequestFactory().get("/")))
    assert ours[HEADER] == theirs[HEADER] and "https://cdn.example" in ours[HEADER]


def test_an_exempt_view_gets_no_header():
    view = csp_exempt()(lambda request: HttpResponse("x"))
    (_, ours), _ = answer(lambda: view(RequestFactory().get("/")))
    assert HEADER not in ours


def test_a_nonce_used_by_the_page_is_in_the_header(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]}}
    (request, ours), _ = answer(lambda: HttpResponse("x"), nonce=True)
    assert f"'nonce-{request._csp_nonce}'" in ours[HEADER]


def test_a_nonce_asked_for_after_the_header_is_an_error():
    (request, _), _ = answer(lambda: HttpResponse("x"))
    with pytest.raises(Exception, match="not available after the CSP header"):
        str(request.csp_nonce)


def test_a_changed_setting_is_used_at_once(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF, "https://changed.example"]}}
    (_, ours), (_, theirs) = answer(lambda: HttpResponse("x"))
    assert ours[HEADER] == theirs[HEADER] and "https://changed.example" in ours[HEADER]
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": [SELF]}}
    (_, ours), (_, theirs) = answer(lambda: HttpResponse("x"))
    assert ours[HEADER_REPORT_ONLY] == theirs[HEADER_REPORT_ONLY]
