"""The page around a cached body: base.html rendered once per signed-in user, clinic and role, kept in this process,
its title, body and CSRF token filled in on every request.

The chart and visit pages keep their body under the patient's data stamp (assessments.cache.cached_page_body); what
was left to render on every request was base.html (static file and URL lookups, the menu), about a fifth of such a
request's time. base.html may depend on the request only through what `_key` lists (who is signed in, the acting
clinic and membership, what the role can do), the CSRF token, and the messages: a page with messages waiting is
rendered in full, so that they are shown (once) as before. tests/clinic/test_shell.py renders pages both ways and
compares the bytes; a new request-dependent part of base.html belongs in `_key`.

The shells are forgotten when a setting changes (tests) and when a template file changes (runserver); a deployment
starts new processes.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Any

from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed
from django.utils.html import escape
from django.utils.safestring import mark_safe

from clinic.auth import csrf_token_of

PAGE = "page.html"  # base.html with the title and the body as they are given
LIMIT = 512  # shells kept per process (one per user, clinic and role in use)

_SLOT = f"shell-{secrets.token_hex(8)}"  # unguessable, so no rendered text can contain it
_TITLE, _BODY, _CSRF = (f"<{_SLOT}-{name}/>" for name in ("title", "body", "csrf"))
_SLOT_BYTES = tuple(slot.encode() for slot in (_TITLE, _BODY, _CSRF))
_shells: dict[tuple[Any, ...], tuple[bytes, ...]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class PageBody:
    """A cached page body as UTF-8 bytes, cut where its forms carry the CSRF token (assessments.cache): no decoding,
    searching or re-encoding of a 100 KB body per request; its bytes go to the response as they are."""

    pieces: tuple[bytes, ...]

    def with_token(self, request: HttpRequest) -> bytes:
        return csrf_token_of(request).encode().join(self.pieces)


def page_response(request: HttpRequest, *, title: str, body: PageBody) -> HttpResponse:
    """base.html (through page.html) with `title` (plain text, escaped here) and the cached `body`."""
    key = _key(request)
    content = body.with_token(request)
    if key is None or len(get_messages(request)):
        html = mark_safe(content.decode())  # noqa: S308 - rendered by our templates (autoescaped), stored as rendered
        return render(request, PAGE, {"title": title, "body": html})
    parts = _shells.get(key)
    if parts is None:
        parts = _shell(request)
        with _lock:
            if len(_shells) >= LIMIT:
                _shells.clear()
            _shells[key] = parts
    fill = dict(zip(_SLOT_BYTES, (escape(title).encode(), content, csrf_token_of(request).encode()), strict=True))
    return HttpResponse(b"".join(fill.get(part, part) for part in parts))


def _key(request: HttpRequest) -> tuple[Any, ...] | None:
    user = getattr(request, "user", None)
    clinic = getattr(request, "clinic", None)
    membership = getattr(request, "membership", None)
    if user is None or not user.is_authenticated or clinic is None or membership is None:
        return None
    return (user.pk, user.get_username(), clinic.pk, clinic.name, membership.pk, membership.role, membership.is_active)


def _shell(request: HttpRequest) -> tuple[bytes, ...]:
    """page.html rendered for this request with slots for the title, the body and the CSRF token, cut at the slots,
    as UTF-8 bytes (a slot is kept as its own piece, to be replaced)."""
    html: str = render_to_string(PAGE, {"title": mark_safe(_TITLE), "body": mark_safe(_BODY)}, request=request)  # noqa: S308
    html = html.replace(csrf_token_of(request), _CSRF)
    parts: list[str] = []
    for piece in html.split(f"<{_SLOT}-"):
        if parts:
            name, rest = piece.split("/>", 1)
            parts += [f"<{_SLOT}-{name}/>", rest]
        else:
            parts.append(piece)
    return tuple(p.encode() for p in parts if p)


def forget(**_: Any) -> None:
    with _lock:
        _shells.clear()


setting_changed.connect(forget, dispatch_uid="clinic.shell.forget")


def _template_changed(sender: Any, file_path: Any, **kwargs: Any) -> None:
    if str(file_path).endswith(".html"):
        forget()


file_changed.connect(_template_changed, dispatch_uid="clinic.shell.template_changed")
