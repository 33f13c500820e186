from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from catalog.models import CatalogEntry
from catalog.store import forget_cached_catalog
from tests.factories import ClinicFactory, MembershipFactory, PatientFactory


def ensure_catalog() -> None:
    """Load the shipped catalog when the database has none (after a transactional test's flush)."""
    if not CatalogEntry.objects.exists():
        call_command("load_catalog", stdout=StringIO())


def _is_transactional(item: pytest.Item) -> bool:
    funcargs = getattr(item, "funcargs", None) or {}
    marker = item.get_closest_marker("django_db")
    by_marker = marker is not None and bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return by_marker or "live_server" in funcargs or "transactional_db" in funcargs


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """The catalog is loaded by a data migration, so a transactional test's flush removes it: load it again for the
    tests that follow (instead of serialized_rollback, which clashes with the content types other flushes recreate)."""
    blocker = (getattr(item, "funcargs", None) or {}).get("django_db_blocker")
    try:
        return (yield)
    finally:
        if blocker is not None and nextitem is not None and _is_transactional(item):
            with blocker.unblock():
                ensure_catalog()


@pytest.fixture(autouse=True)
def fresh_catalog_cache():
    """Each test reads the catalog as its own database holds it (a rolled-back edit must not linger in the cache)."""
    forget_cached_catalog()
    yield
    forget_cached_catalog()


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with empty caches: with REDIS_URL set the cache outlives the test run, and a fresh test
    database hands out the same ids again, so an entry left by an earlier run or test must not answer."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def clinic(db):
    return ClinicFactory(name="Home Clinic")


@pytest.fixture
def other_clinic(db):
    return ClinicFactory(name="Other Clinic")


@pytest.fixture
def membership(clinic):
    return MembershipFactory(clinic=clinic, user__username="pat.practitioner")


@pytest.fixture
def user(membership):
    return membership.user


@pytest.fixture
def api(user):
    """An API client authenticated by token as a practitioner of `clinic`."""
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def browser_client(client, user):
    """A Django test client signed in through the session, as a practitioner of `clinic`."""
    client.force_login(user)
    return client


@pytest.fixture
def patient(clinic):
    return PatientFactory(clinic=clinic, first_name="Maria", last_name="Lopez")


@pytest.fixture
def foreign_patient(other_clinic):
    return PatientFactory(clinic=other_clinic, first_name="Foreign", last_name="Person")
