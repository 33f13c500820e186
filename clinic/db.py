"""Database helpers that are not queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection


@contextmanager
def planned_for_their_values() -> Iterator[None]:
    """Queries run inside are planned for their own parameters every time, never as a prepared statement.

    With prepared statements on (clinic/settings/base.py), PostgreSQL may switch a statement to one generic plan after
    a few runs. That suits lookups by key; a name search's `LIKE '%term%'` is best answered by the trigram indexes for
    three letters or more and by the clinic's name index for fewer, which only a plan made for the term can choose.
    """
    with _prepare_threshold(None):
        yield


@contextmanager
def planned_once() -> Iterator[None]:
    """Queries run inside are prepared as configured (clinic/settings/base.py), also inside
    `planned_for_their_values`: for a statement written so that its plan cannot depend on its parameters, which
    PostgreSQL may then plan once per connection instead of on every run."""
    with _prepare_threshold(settings.DATABASES[DEFAULT_DB_ALIAS].get("OPTIONS", {}).get("prepare_threshold")):
        yield


@contextmanager
def _prepare_threshold(threshold: int | None) -> Iterator[None]:
    """The connection's psycopg prepare threshold set to `threshold` inside (None: never prepare; PostgreSQL only),
    restored afterwards (it is None already when prepared statements are off)."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    saved = raw.prepare_threshold
    raw.prepare_threshold = threshold
    try:
        yield
    finally:
        raw.prepare_threshold = saved
