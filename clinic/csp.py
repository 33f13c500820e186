"""django-csp's middleware, with the common response's policy built once per process.

django-csp builds the header string from the settings on every response (about 4 % of a cheap API request under
load). For a response that no csp decorator changed and whose request used no nonce, that string only depends on the
settings: it is built once (again when a setting changes, as in tests) by django-csp's own `build_policy`. Any other
response goes through django-csp unchanged.
"""

from __future__ import annotations

import functools
from typing import Any

from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponseBase

_PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


@functools.cache
def _policy(report_only: bool) -> str:
    return build_policy(report_only=report_only)


def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policy.cache_clear()


setting_changed.connect(_forget)


class CSPMiddleware(csp_middleware.CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, a) for a in _PER_RESPONSE):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:  # as django-csp: the debug pages keep theirs
            return response
        for header, setting, exempt, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
        ):
            policy = _policy(report_only)
            if not policy or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error, not a silently missing nonce.
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
