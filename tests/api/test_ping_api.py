"""GET /api/v1/ping/: the authenticated floor endpoint the load benchmark compares every endpoint with."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_ping_answers_ok_to_a_clinic_member(api):
    response = api.get("/api/v1/ping/")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_ping_needs_credentials():
    assert APIClient().get("/api/v1/ping/").status_code == 401


def test_ping_refuses_a_user_of_no_clinic():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory()).key}")
    assert client.get("/api/v1/ping/").status_code == 403


def test_ping_refuses_a_clinic_the_user_does_not_belong_to(api, other_clinic):
    assert api.get("/api/v1/ping/", HTTP_X_CLINIC=str(other_clinic.pk)).status_code == 403


def test_ping_is_in_the_openapi_schema(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert "get" in schema["paths"]["/api/v1/ping/"]


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json; q=0.9, */*;q=0.1"])
def test_the_api_answers_json_to_plain_and_json_accepts(api, accept):
    headers = {"HTTP_ACCEPT": accept} if accept is not None else {}
    response = api.get("/api/v1/ping/", **headers)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


@pytest.mark.parametrize("accept", ["text/html", "application/xml"])
def test_an_accept_the_api_cannot_answer_is_406(api, accept):
    assert api.get("/api/v1/ping/", HTTP_ACCEPT=accept).status_code == 406
