"""The database side of the append-only audit trail (the triggers themselves are in migration clinic/0003_auditevent).

On SQLite the DELETE trigger asks the SQL function clinic_audit_erasing_database() whether the whole database is being
erased. Every Django connection gets it (answering 0); it answers 1 only inside erasing_database(), which
`manage.py flush` uses (clinic/management/commands/flush.py): Django's flush on SQLite is `DELETE FROM` every table,
the equivalent of the TRUNCATE it issues on PostgreSQL, which fires no row trigger. Nothing else may delete events.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

SQLITE_FUNCTION = "clinic_audit_erasing_database"

_erasing: ContextVar[bool] = ContextVar(SQLITE_FUNCTION, default=False)


@contextmanager
def erasing_database() -> Iterator[None]:
    """While the whole database is flushed (manage.py flush, the test suite between transactional tests)."""
    token = _erasing.set(True)
    try:
        yield
    finally:
        _erasing.reset(token)


def _erasing_now() -> int:
    return 1 if _erasing.get() else 0


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: give each new SQLite connection the function the DELETE trigger asks."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 0, _erasing_now)
