"""Test-only middleware: the live server answers one request at a time when the test database is SQLite in memory.

An in-memory SQLite test database exists only inside one connection, so pytest-django's live server hands that same
connection to every request thread. Two overlapping requests from the browser (an htmx save and the analysis panel's
refresh, say) would then run on one connection at once: one request's queries land inside the other's transaction and
a savepoint can be released under it, which answers a 500 that no real deployment can produce (there every thread has
its own connection). Serialising the requests keeps the browser tests about the product, not about that sharing.
PostgreSQL test runs do not use it: their requests overlap as in production.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_ONE_AT_A_TIME = threading.Lock()


class OneRequestAtATimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with _ONE_AT_A_TIME:
            return self.get_response(request)
