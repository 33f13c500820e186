"""clinic.sessions: Django's database sessions, the row read by SQL written once."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from clinic.sessions import SessionStore
from tests.factories import ClinicFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    user = UserFactory(username="reader")
    MembershipFactory(user=user, clinic=ClinicFactory())
    response = client.post(reverse("login"), {"username": "reader", "password": "correct-horse-battery"})
    assert response.status_code == 302
    return client


def test_a_stored_session_is_loaded_with_its_data(signed_in):
    key = signed_in.cookies["sessionid"].value
    store = SessionStore(session_key=key)
    assert store.get("_auth_user_id") == str(Session.objects.get(pk=key).get_decoded()["_auth_user_id"])
    assert signed_in.get(reverse("patients:list")).status_code == 200


def test_an_expired_session_is_not_loaded(signed_in):
    key = signed_in.cookies["sessionid"].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    store = SessionStore(session_key=key)
    assert store.load() == {} and store.session_key is None
    response = signed_in.get(reverse("patients:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_unknown_key_is_an_empty_session():
    store = SessionStore(session_key="x" * 32)
    assert store.load() == {} and store.session_key is None
