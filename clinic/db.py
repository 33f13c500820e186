"""Database helpers that are not queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def planned_for_their_values() -> Iterator[None]:
    """Queries run inside are planned for their own parameters every time, never as a prepared statement.

    With prepared statements on (clinic/settings/base.py), PostgreSQL may switch a statement to one generic plan after
    a few runs. That suits lookups by key; a name search's `LIKE '%term%'` is best answered by the trigram indexes for
    a rare word of three letters or more and by the clinic's name index otherwise, which only a plan made for the word
    can choose. The connection's psycopg prepare threshold is None inside (PostgreSQL only) and restored afterwards.
    """
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    saved = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = saved
