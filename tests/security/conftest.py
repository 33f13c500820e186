"""Fixtures shared by the security tests: two fully charted clinics built once per test module."""

import pytest
from django.db import transaction

from tests.security.routes import World, build_world


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker) -> tuple[World, World]:
    """(home, foreign): clinic A, whose members act, and clinic B, whose objects they probe.

    Built once per module inside a transaction that is rolled back afterwards; each test still runs in its own
    savepoint (pytest-django's `db`), so a probe that writes does not leak into the next one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        home, foreign = build_world("Clinic A"), build_world("Clinic B")
        yield home, foreign
        transaction.set_rollback(True)
