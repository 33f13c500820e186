"""A cache for the computed clinical reads: analysis, comparison, progress, the visit detail, the plan and the bodies
of the chart and visit pages (finished PDFs are kept in Django's default cache: assessments.document_selectors).

An answer is stored (as its rendered JSON, a frozen dataclass, or a page body's HTML) under a key naming everything
it depends on:

- the patient's clinical data stamp (`Patient.data_version`), raised in the transaction of every write to the patient,
  their stressors and injuries, any of their visits and what is charted in them (patients.stamp);
- the catalog release this process reasons with and the engine version;
- the endpoint, its object ids and parameters, the acting clinic and the caller's role;
- FORMAT, raised by hand when the shape of an answer changes.

So a write or a new catalog release makes the old answers unreachable instead of deleting them (they expire after
TIMEOUT or are evicted). The stamp is read by the view's own object lookup (the visit or patient row, joined),
*before* anything the answer is computed from: an answer computed while a write commits is stored under the older
stamp, which no later request asks for. Permission checks and clinic scoping run before the cache is consulted;
errors (400, 404) are never cached.

The backend is the `clinical` alias of CACHES (clinic/settings/base.py): local memory per process by default, or a
shared cache (Redis) with CLINICAL_CACHE_URL. What is not in the key: the username of who signed or wrote an addendum
(a renamed user shows under the old name in a cached visit detail until the patient's next write or TIMEOUT).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from rest_framework.renderers import JSONRenderer

from assessments.engine import ENGINE_VERSION
from catalog.store import current_release
from clinic.shell import PageBody

CACHE_ALIAS = "clinical"
FORMAT = 2  # 2: page bodies stored as PageBody
TIMEOUT = 600  # seconds; bounds what the key cannot see (a renamed user) and frees memory of old stamps

_renderer = JSONRenderer()
_MISSING = object()
# The CSRF token a cached page body was rendered with is stored as this slot and filled with the reader's own token
# on every use. Rendered text cannot forge it: templates escape "<" in anything they print.
CSRF_SLOT = "<csrf-slot/>"
_CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
T = TypeVar("T")


def cache_key(*, kind: str, clinic_id: Any, patient_id: Any, stamp: int, params: Iterable[Any]) -> str:
    parts = [FORMAT, ENGINE_VERSION, current_release(), kind, clinic_id, patient_id, stamp, *params]
    raw = ":".join(str(part) for part in parts)
    return "clinical:" + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()


def cached_value(
    *, kind: str, clinic_id: Any, patient_id: Any, stamp: int, params: Iterable[Any], compute: Callable[[], T]
) -> T:
    """A computed value under the patient's data stamp: plain data or frozen engine dataclasses (pickled) for the
    pages, rendered JSON for the API. The role is not in the key: permissions are checked before the cache is asked,
    and the answer is the same for every role that may see it."""
    key = cache_key(kind=kind, clinic_id=clinic_id, patient_id=patient_id, stamp=stamp, params=params)
    store = caches[CACHE_ALIAS]
    hit = store.get(key, _MISSING)
    if hit is not _MISSING:
        return cast(T, hit)
    value = compute()
    store.set(key, value, TIMEOUT)
    return value


def cached_json(
    request: HttpRequest,
    *,
    kind: str,
    patient_id: Any,
    stamp: int,
    params: Iterable[Any],
    compute: Callable[[], Any],
    etag: Callable[[Any], str] | None = None,
) -> tuple[bytes, str | None]:
    """The rendered JSON body of a computed read and its ETag (`etag` of the computed body)."""

    def render() -> tuple[bytes, str | None]:
        data = compute()
        return _renderer.render(data), etag(data) if etag else None

    clinic = getattr(request, "clinic", None)
    return cached_value(
        kind=kind, clinic_id=getattr(clinic, "pk", ""), patient_id=patient_id, stamp=stamp, params=params,
        compute=render,
    )  # fmt: skip


def json_response(body: bytes, *, etag: str | None = None) -> HttpResponse:
    """The answer exactly as DRF's JSONRenderer gives it (same bytes, same content type)."""
    response = HttpResponse(body, content_type=_renderer.media_type)
    if etag is not None:
        response["ETag"] = etag
    return response


def cached_page_body(
    request: HttpRequest, *, kind: str, patient: Any, params: Iterable[Any], render: Callable[[], str]
) -> PageBody:
    """The HTML body of a page under the patient's data stamp, for a plain (not htmx) GET.

    `render` renders the body with this request; the key adds the acting role (templates hide what a role cannot
    use) to the usual parts. Nothing else in a body may depend on who asks: the user's name, messages and the
    clinic switcher live in base.html (clinic.shell). The CSRF token inside the body's forms is the one per-request
    value: the body is stored as its UTF-8 pieces around it, joined by this request's token (`PageBody.with_token`).
    """
    membership = getattr(request, "membership", None)

    def compute() -> PageBody:
        html = render()
        for token in set(_CSRF_VALUE.findall(html)):
            html = html.replace(token, CSRF_SLOT)
        return PageBody(tuple(piece.encode() for piece in html.split(CSRF_SLOT)))

    return cached_value(
        kind=f"page:{kind}", clinic_id=patient.clinic_id, patient_id=patient.pk, stamp=patient.data_version,
        params=(getattr(membership, "role", ""), *params), compute=compute,
    )  # fmt: skip
