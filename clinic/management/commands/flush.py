"""`manage.py flush`, allowed to erase the audit trail along with everything else (see clinic.audit.db).

Django's own flush, run inside clinic.audit.db.erasing_database(): on SQLite it empties tables with DELETE, which the
audit trail's append-only trigger refuses otherwise. The test suite flushes the database after each transactional test
(browser tests included) through this command.
"""

from typing import Any

from django.core.management.commands import flush

from clinic.audit.db import erasing_database


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with erasing_database():
            super().handle(**options)
