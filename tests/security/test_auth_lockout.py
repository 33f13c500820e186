"""Lockout (django-axes): five wrong passwords lock a username for 15 minutes, on the login page and the token endpoint.

During the cool-off even the right password is refused; afterwards it works; other usernames are unaffected.
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from rest_framework.test import APIClient

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
RIGHT = "correct-horse-battery"


@pytest.fixture
def kim():
    return MembershipFactory(user__username="kim").user


@pytest.fixture
def lee(kim):
    return MembershipFactory(clinic=kim.memberships.get().clinic, user__username="lee").user


def fail_on_page(client, username, times):
    return [
        client.post(LOGIN, {"username": username, "password": "wrong-password-x"}).status_code for _ in range(times)
    ]


def fail_on_api(username, times):
    api = APIClient()
    return [api.post(TOKEN, {"username": username, "password": "wrong-password-x"}).status_code for _ in range(times)]


def end_cool_off(username):
    """Travel past the cool-off: the counted failures happened 16 minutes ago."""
    past = datetime.timedelta(minutes=16)
    for attempt in AccessAttempt.objects.filter(username=username):
        attempt.attempt_time -= past
        attempt.save(update_fields=["attempt_time"])


def test_the_settings_lock_by_username_after_five_failures_for_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_four_failures_do_not_lock_and_a_success_forgets_them(client, kim):
    assert fail_on_page(client, "kim", 4) == [200] * 4  # the form again, with its error
    assert client.post(LOGIN, {"username": "kim", "password": RIGHT}).status_code == 302
    client.logout()
    assert fail_on_page(client, "kim", 4) == [200] * 4  # counting starts again
    assert client.post(LOGIN, {"username": "kim", "password": RIGHT}).status_code == 302


def test_the_right_password_is_refused_on_the_page_during_the_cool_off_and_accepted_after(client, kim):
    assert fail_on_page(client, "kim", 5) == [200, 200, 200, 200, 429]

    response = client.post(LOGIN, {"username": "kim", "password": RIGHT})
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    page = response.content.decode()
    assert "Sign-in locked" in page and "Try again after" in page and "kim" in page
    assert 14 * 60 <= int(response["Retry-After"]) <= 15 * 60
    assert "Cache-Control" in response and "Content-Security-Policy" in response

    end_cool_off("kim")
    response = client.post(LOGIN, {"username": "kim", "password": RIGHT})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(kim.pk)


def test_the_right_password_is_refused_on_the_token_endpoint_during_the_cool_off(kim):
    assert fail_on_api("kim", 5) == [400, 400, 400, 400, 429]

    response = APIClient().post(TOKEN, {"username": "kim", "password": RIGHT})
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "Too many failed sign-ins" in response.json()["detail"]
    assert "Try again after" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0

    end_cool_off("kim")
    response = APIClient().post(TOKEN, {"username": "kim", "password": RIGHT})
    assert response.status_code == 200 and response.json()["token"]


def test_failures_count_across_the_page_and_the_api(client, kim):
    fail_on_page(client, "kim", 3)
    assert fail_on_api("kim", 2) == [400, 429]
    assert client.post(LOGIN, {"username": "kim", "password": RIGHT}).status_code == 429


def test_a_locked_username_does_not_lock_another_one_behind_the_same_address(client, kim, lee):
    fail_on_page(client, "kim", 5)
    assert client.post(LOGIN, {"username": "lee", "password": RIGHT}).status_code == 302
    assert APIClient().post(TOKEN, {"username": "lee", "password": RIGHT}).status_code == 200


def test_the_failed_attempts_are_recorded_without_the_password(client, kim):
    fail_on_page(client, "kim", 2)
    attempt = AccessAttempt.objects.get(username="kim")
    assert attempt.failures_since_start == 2
    assert "wrong-password-x" not in attempt.post_data


def test_attempts_during_the_lockout_do_not_extend_it(client, kim):
    fail_on_page(client, "kim", 5)
    first = AccessAttempt.objects.get(username="kim").attempt_time
    fail_on_page(client, "kim", 3)
    assert AccessAttempt.objects.get(username="kim").attempt_time == first
