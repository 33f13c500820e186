"""Sessions: a new key at sign-in, 30-minute sliding idle timeout, absolute timeout, htmx told to go to the login page,
sign-out and deactivation end sessions (and tokens)."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from clinic import auth as clinic_auth
from clinic.models import LoginSession
from tests.factories import MembershipFactory, PatientFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
RIGHT = "correct-horse-battery"
MINUTE = 60


class Clock:
    def __init__(self) -> None:
        self.at = 1_800_000_000.0

    def __call__(self) -> float:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(clinic_auth, "now", fake)
    return fake


def sign_in(client, username):
    response = client.post(LOGIN, {"username": username, "password": RIGHT})
    assert response.status_code == 302, response.content[:500]
    return client


def is_signed_in(client) -> bool:
    response = client.get("/patients/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    return False


def test_documented_defaults():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * MINUTE
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 60 * MINUTE
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_TIMEOUT
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_signing_in_gives_a_new_session_key(client, user):
    client.get(LOGIN)
    store = client.session  # a session that exists before signing in (what a fixation attack would plant)
    store["planted"] = "yes"
    store.save()
    before = store.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before

    sign_in(client, user.username)

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert LoginSession.objects.filter(user=user, session_key=after).exists()
    assert client.session[SESSION_KEY] == str(user.pk)


def test_the_idle_timeout_slides_with_activity_and_ends_after_thirty_idle_minutes(client, user, clock):
    sign_in(client, user.username)
    for _ in range(4):  # two hours of work, never 30 minutes idle
        clock.advance(29 * MINUTE)
        assert is_signed_in(client)
    clock.advance(30 * MINUTE + 5)
    response = client.get("/patients/")
    assert response.status_code == 302 and response["Location"] == f"{LOGIN}?next=/patients/"
    assert SESSION_KEY not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert "signed out after 30 minutes without activity" in login_page
    assert not LoginSession.objects.filter(user=user).exists()


def test_the_absolute_timeout_ends_a_busy_session(client, user, clock):
    sign_in(client, user.username)
    for _ in range(30):  # more than twelve hours of requests, never 30 minutes apart
        clock.advance(29 * MINUTE + 50)
        if not is_signed_in(client):
            break
    else:
        pytest.fail("the session outlived the absolute timeout")
    elapsed = clock.at - 1_800_000_000.0
    assert 12 * 60 * MINUTE < elapsed <= 12 * 60 * MINUTE + 30 * MINUTE
    assert "12 hours after signing in" in client.get(LOGIN).content.decode()


def test_activity_rewrites_the_session_at_most_once_a_minute(client, user, clock):
    sign_in(client, user.username)

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/patients/").status_code == 200
        return sum(
            1
            for q in queries
            if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
        )

    clock.advance(20)
    assert session_writes() == 0
    clock.advance(20)
    assert session_writes() == 0
    clock.advance(MINUTE)
    assert session_writes() == 1
    assert session_writes() == 0


def test_an_htmx_request_on_an_ended_session_is_sent_to_the_login_page(client, user, clock):
    patient = PatientFactory(clinic=user.memberships.get().clinic)
    sign_in(client, user.username)
    clock.advance(31 * MINUTE)
    response = client.get(
        "/patients/?q=lop",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver/patients/{patient.pk}/",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{LOGIN}?next=%2Fpatients%2F{patient.pk}%2F"
    assert response.content == b""


def test_an_htmx_request_without_a_session_is_sent_to_the_login_page(client):
    response = client.get("/patients/?q=lop", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/patients/")
    assert response.status_code == 200 and response["HX-Redirect"] == f"{LOGIN}?next=%2Fpatients%2F"


def test_signing_out_ends_the_session_and_deletes_the_api_token(client, user):
    sign_in(client, user.username)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    token = Token.objects.create(user=user)

    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == LOGIN

    assert not Session.objects.filter(session_key=key).exists()
    assert not Token.objects.filter(pk=token.pk).exists()
    assert not LoginSession.objects.filter(user=user).exists()
    assert not is_signed_in(client)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/patients/").status_code == 401


def test_deactivating_a_user_ends_all_their_sessions_and_tokens_and_no_one_elses(user):
    colleague = MembershipFactory(clinic=user.memberships.get().clinic, user__username="colleague").user
    desk, laptop, other = (sign_in(Client(), name) for name in (user.username, user.username, colleague.username))
    token = Token.objects.create(user=user)
    other_token = Token.objects.create(user=colleague)
    assert LoginSession.objects.filter(user=user).count() == 2

    user.is_active = False
    user.save()  # as the admin, a service or the shell would

    assert not is_signed_in(desk) and not is_signed_in(laptop)
    assert not LoginSession.objects.filter(user=user).exists()
    assert not Token.objects.filter(pk=token.pk).exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/patients/").status_code == 401
    assert is_signed_in(other)
    assert Token.objects.filter(pk=other_token.pk).exists()

    user.is_active = True
    user.save()
    assert not is_signed_in(desk)  # reactivating does not bring the old sessions back


def test_deleting_a_user_ends_their_sessions(user):
    browser = sign_in(Client(), user.username)
    key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    user.delete()
    assert not Session.objects.filter(session_key=key).exists()


def test_deactivation_through_the_admin_ends_sessions(admin_client, user):
    browser = sign_in(Client(), user.username)
    response = admin_client.get(f"/admin/auth/user/{user.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {
        k: v for k, v in form.initial.items() if v is not None and k not in {"password", "groups", "user_permissions"}
    }
    data.update(
        {
            "is_active": "",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "10:00:00",
            "last_login_0": "",
            "last_login_1": "",
        }
    )
    response = admin_client.post(f"/admin/auth/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    user.refresh_from_db()
    assert user.is_active is False
    assert not is_signed_in(browser)


def test_old_login_records_are_pruned_at_the_next_sign_in(client, user):
    sign_in(Client(), user.username)
    LoginSession.objects.filter(user=user).update(created_at="2000-01-01T00:00:00Z")
    sign_in(client, user.username)
    assert LoginSession.objects.filter(user=user).count() == 1
