"""A cache for the computed clinical reads: analysis, comparison, progress, the visit detail, the plan, and the chart
and visit pages' fragments (``{% cache %}``: fragment_context, page_owner); finished PDFs are kept in Django's default
cache (assessments.document_selectors).

An answer is stored (as its rendered JSON, a frozen dataclass, or a fragment's HTML) under a key naming everything it
depends on:

- the patient's clinical data stamp (`Patient.data_version`), raised in the transaction of every write to the patient,
  their stressors and injuries, any of their visits and what is charted in them (patients.stamp);
- the catalog release this process reasons with and the engine version;
- the endpoint, its object ids and parameters, the acting clinic and the caller's role;
- the time zone the request runs in (the clinic's: clinic.tenancy), which the times shown and sent are in;
- FORMAT, raised by hand when the shape of an answer changes.

So a write or a new catalog release makes the old answers unreachable instead of deleting them (they expire after
TIMEOUT or are evicted). The stamp is read by the view's own object lookup (the visit or patient row, joined),
*before* anything the answer is computed from: an answer computed while a write commits is stored under the older
stamp, which no later request asks for. Permission checks and clinic scoping run before the cache is consulted;
errors (400, 404) are never cached.

The backend is the `clinical` alias of CACHES (clinic/settings/base.py): local memory per process by default, or a
shared cache (Redis) with REDIS_URL. What is not in the key: the username of who signed or wrote an addendum
(a renamed user shows under the old name in a cached visit detail until the patient's next write or TIMEOUT).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from rest_framework.renderers import JSONRenderer

from assessments.engine import ENGINE_VERSION
from catalog.store import current_release

CACHE_ALIAS = "clinical"
FORMAT = 4  # 3: the body chart in two scaling views with zoom; 4: the plan panel's stale banner and custom steps
TIMEOUT = 600  # seconds; bounds what the key cannot see (a renamed user) and frees memory of old stamps

_renderer = JSONRenderer()
_MISSING = object()
T = TypeVar("T")


def cache_key(*, kind: str, clinic_id: Any, patient_id: Any, stamp: int, params: Iterable[Any]) -> str:
    zone = timezone.get_current_timezone_name()
    parts = [FORMAT, ENGINE_VERSION, current_release(), zone, kind, clinic_id, patient_id, stamp, *params]
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


def fragment_context(request: HttpRequest) -> dict[str, Any]:
    """Template context processor for the chart and visit pages' ``{% cache %}`` fragments (in the `clinical` cache):
    `fragment_timeout`, and `fragment_version` (FORMAT, the engine version and the catalog release the fragments'
    choices and analysis come from, and the time zone the times in them are shown in), which every fragment's key
    names besides its own parts (the patient's data stamp and the acting role for patient data)."""
    zone = timezone.get_current_timezone_name()
    return {
        "fragment_timeout": TIMEOUT,
        "fragment_version": SimpleLazyObject(lambda: f"{FORMAT}:{ENGINE_VERSION}:{current_release()}:{zone}"),
    }


def page_owner(request: HttpRequest) -> str:
    """Who a whole page's cached content may be shown to: this browser's CSRF cookie (`fragment_owner` in the chart
    and visit page templates), or "" for "render it, do not cache it".

    A page's content holds forms, and each form a CSRF token made from the secret in the browser's CSRF cookie; any
    token made from that secret is accepted, and no other. So the content is keyed by that cookie too (hashed into the
    key by Django's fragment cache) and reused only for the same browser. Only the plain GET of a page sets it: a page
    answering a form posted without htmx carries that form's input and errors, which are never cached; with no
    cookie yet the page is rendered uncached (the response sets one)."""
    if request.method != "GET":
        return ""
    return request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
