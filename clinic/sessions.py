"""The session engine: Django's database sessions, with the row read by SQL written once (clinic.rows).

Every page request reads its session; the ORM's compiling of that one lookup cost more than the database answering
it. Everything else (saving, cycling keys, expiry, clearsessions) is Django's `db` backend unchanged.
"""

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from clinic import rows

_SESSION = rows.Query(
    [rows.Table(Session, "s")],
    lambda s: f"FROM {s.source} WHERE {s.column('session_key')} = %s AND {s.column('expire_date')} > %s",
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        (table,) = _SESSION.tables
        found = _SESSION.rows([self.session_key, table.value("expire_date", timezone.now())])
        if not found:
            self._session_key = None
            return None
        return found[0][0]
