import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessments.catalog_store import forget_cached_catalog
from tests.factories import ClinicFactory, MembershipFactory, PatientFactory


@pytest.fixture(autouse=True)
def fresh_catalog_cache():
    """Each test reads the catalog as its own database holds it (a rolled-back edit must not linger in the cache)."""
    forget_cached_catalog()
    yield
    forget_cached_catalog()


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
