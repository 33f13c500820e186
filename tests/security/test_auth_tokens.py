"""API tokens: still {"token": "..."}, refused after TOKEN_TTL, replaced when expired, ended by POST
/api/v1/auth/logout/; inactive users get none; a token of a user without an active membership is refused with 403."""

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "/api/v1/auth/token/"
LOGOUT = "/api/v1/auth/logout/"
RIGHT = "correct-horse-battery"


def with_token(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def obtain(username: str) -> str:
    response = APIClient().post(TOKEN, {"username": username, "password": RIGHT}, format="json")
    assert response.status_code == 200, response.content
    assert set(response.json()) == {"token"}
    return response.json()["token"]


def age_token(key: str, seconds: int) -> None:
    Token.objects.filter(key=key).update(created=timezone.now() - datetime.timedelta(seconds=seconds))


def test_a_token_is_accepted_until_its_ttl_and_refused_after(user):
    assert settings.TOKEN_TTL == 12 * 3600
    key = obtain(user.username)
    age_token(key, settings.TOKEN_TTL - 60)
    assert with_token(key).get("/api/v1/patients/").status_code == 200
    age_token(key, settings.TOKEN_TTL + 1)
    response = with_token(key).get("/api/v1/patients/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Token expired."}
    assert response["WWW-Authenticate"] == "Token"
    assert not Token.objects.filter(key=key).exists()


def test_asking_again_replaces_an_expired_token_and_keeps_a_fresh_one(user):
    key = obtain(user.username)
    assert obtain(user.username) == key  # still fresh: the same token
    age_token(key, settings.TOKEN_TTL + 1)
    new_key = obtain(user.username)
    assert new_key != key
    assert with_token(new_key).get("/api/v1/patients/").status_code == 200


def test_api_logout_deletes_the_callers_token(user):
    key = obtain(user.username)
    response = with_token(key).post(LOGOUT)
    assert response.status_code == 204 and response.content == b""
    assert with_token(key).get("/api/v1/patients/").status_code == 401
    assert not Token.objects.filter(user=user).exists()


def test_api_logout_without_credentials_is_401():
    assert APIClient().post(LOGOUT).status_code == 401


def test_api_logout_from_a_browser_session_ends_the_session(client, user):
    client.post("/accounts/login/", {"username": user.username, "password": RIGHT})
    csrf = client.cookies["csrftoken"].value
    response = client.post(LOGOUT, HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 204
    assert client.get("/patients/").status_code == 302


def test_an_inactive_user_gets_no_token(user):
    user.is_active = False
    user.save()
    response = APIClient().post(TOKEN, {"username": user.username, "password": RIGHT}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_an_unknown_token_and_a_deactivated_users_token_are_401(user):
    assert with_token("0" * 40).get("/api/v1/ping/").json() == {"detail": "Invalid token."}
    key = obtain(user.username)
    type(user).objects.filter(pk=user.pk).update(is_active=False)  # no signal: the token is not deleted
    response = with_token(key).get("/api/v1/ping/")
    assert response.status_code == 401 and response.json() == {"detail": "User inactive or deleted."}


def test_a_token_of_a_user_without_an_active_membership_is_403(user):
    key = obtain(user.username)
    user.memberships.update(is_active=False)
    response = with_token(key).get("/api/v1/patients/")
    assert response.status_code == 403
    assert "not a member" in response.json()["detail"]


def test_a_user_who_never_belonged_to_a_clinic_is_403():
    UserFactory(username="loner")
    key = obtain("loner")
    assert with_token(key).get("/api/v1/patients/").status_code == 403


def test_the_schema_generates_without_warnings_and_documents_the_auth_routes(tmp_path):
    out = tmp_path / "schema.yaml"
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--fail-on-warn", "--validate", "--file", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    schema = yaml.safe_load(out.read_text())
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert set(token["responses"]) >= {"200", "400", "429"}
    assert token["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/AuthTokenRequest")
    logout = schema["paths"]["/api/v1/auth/logout/"]["post"]
    assert set(logout["responses"]) >= {"204", "401"}
