"""Idempotency-Key: a retried POST runs once and answers the same; a reused key for another request is refused."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessments.models import Addendum, Finding, PainSite
from clinic.idempotency import fingerprint
from clinic.models import IdempotencyRecord
from patients.models import Patient, Stressor
from tests.factories import MembershipFactory, VisitFactory

pytestmark = pytest.mark.django_db

KEY = "3f6c1d2e-retry-me"


@pytest.fixture
def visit(patient):
    return VisitFactory(patient=patient)


def post(client, url, body, key=KEY):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(url, body, format="json", headers=headers)


CREATES = [
    ("patients", lambda p, v: "/api/v1/patients/", {"first_name": "Ana", "last_name": "Silva"}, Patient),
    ("stressors", lambda p, v: f"/api/v1/patients/{p.pk}/stressors/", {"kind": "footwear", "severity": 2}, Stressor),
    (
        "findings",
        lambda p, v: f"/api/v1/visits/{v.pk}/findings/",
        {"muscle": "soleus", "side": "left", "location": "belly", "tenderness": 7},
        Finding,
    ),
    (
        "pain-sites",
        lambda p, v: f"/api/v1/visits/{v.pk}/pain-sites/",
        {"zone": "plantar_heel", "side": "left"},
        PainSite,
    ),
    ("addenda", lambda p, v: f"/api/v1/visits/{v.pk}/addenda/", {"text": "Phoned: better today."}, Addendum),
]


@pytest.mark.parametrize(("name", "url", "body", "model"), CREATES, ids=[c[0] for c in CREATES])
def test_a_retried_post_with_the_same_key_creates_one_row_and_replays_the_first_answer(
    api, patient, visit, name, url, body, model
):
    before = model.objects.count()
    first = post(api, url(patient, visit), body)
    second = post(api, url(patient, visit), body)
    assert first.status_code == 201, first.content
    assert second.status_code == 201
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert second["Content-Type"] == first["Content-Type"]
    if first.has_header("ETag"):
        assert second["ETag"] == first["ETag"]
    assert model.objects.count() == before + 1


def test_the_same_key_with_a_different_body_is_refused_and_runs_nothing(api):
    assert post(api, "/api/v1/patients/", {"first_name": "Ana", "last_name": "Silva"}).status_code == 201
    response = post(api, "/api/v1/patients/", {"first_name": "Ana", "last_name": "Souza"})
    assert response.status_code == 422
    assert "different request" in response.json()["detail"]
    assert list(Patient.objects.values_list("last_name", flat=True)) == ["Silva"]


def test_the_same_key_on_another_path_is_refused(api, patient, visit):
    body = {"text": "Same body, other visit."}
    assert post(api, f"/api/v1/visits/{visit.pk}/addenda/", body).status_code == 201
    other = VisitFactory(patient=patient)
    assert post(api, f"/api/v1/visits/{other.pk}/addenda/", body).status_code == 422
    assert Addendum.objects.count() == 1


def test_without_a_key_posts_behave_as_before(api, visit):
    body = {"first_name": "Ana", "last_name": "Silva"}
    assert post(api, "/api/v1/patients/", body, key=None).status_code == 201
    assert post(api, "/api/v1/patients/", body, key=None).status_code == 201
    assert Patient.objects.filter(last_name="Silva").count() == 2
    site = {"zone": "plantar_heel", "side": "left"}
    assert post(api, f"/api/v1/visits/{visit.pk}/pain-sites/", site, key=None).status_code == 201
    duplicate = post(api, f"/api/v1/visits/{visit.pk}/pain-sites/", site, key=None)
    assert duplicate.status_code == 400 and "non_field_errors" in duplicate.json()
    assert IdempotencyRecord.objects.count() == 0


def test_a_validation_error_is_stored_and_replayed_too(api):
    first = post(api, "/api/v1/patients/", {"first_name": "", "last_name": "Silva"})
    second = post(api, "/api/v1/patients/", {"first_name": "", "last_name": "Silva"})
    assert first.status_code == second.status_code == 400
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert not Patient.objects.exists()


def test_signing_twice_with_the_same_key_replays_and_without_a_key_keeps_the_first_signature(api, visit):
    first = post(api, f"/api/v1/visits/{visit.pk}/sign/", None)
    replay = post(api, f"/api/v1/visits/{visit.pk}/sign/", None)
    again = post(api, f"/api/v1/visits/{visit.pk}/sign/", None, key=None)
    assert first.status_code == replay.status_code == again.status_code == 200
    assert replay.content == first.content and replay["Idempotent-Replayed"] == "true"
    assert again.json()["signed_at"] == first.json()["signed_at"] and again.json()["version"] == first.json()["version"]
    visit.refresh_from_db()
    assert visit.version == 2


def test_keys_belong_to_one_user_and_clinic(api, clinic, user):
    colleague = MembershipFactory(clinic=clinic).user
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=colleague).key}")
    body = {"first_name": "Ana", "last_name": "Silva"}
    assert post(api, "/api/v1/patients/", body).status_code == 201
    response = post(other, "/api/v1/patients/", body)
    assert response.status_code == 201 and not response.has_header("Idempotent-Replayed")
    assert Patient.objects.count() == 2


def test_a_request_still_in_flight_answers_409(api, clinic, user):
    path = "/api/v1/patients/"
    body = b'{"first_name":"Ana","last_name":"Silva"}'
    now = timezone.now()
    IdempotencyRecord.objects.create(
        user=user,
        clinic=clinic,
        key=KEY,
        fingerprint=fingerprint("POST", path, body, "practitioner"),
        created_at=now,
        claimed_at=now,
    )
    response = api.generic("POST", path, body, content_type="application/json", headers={"Idempotency-Key": KEY})
    assert response.status_code == 409 and "still being processed" in response.json()["detail"]
    assert response["Retry-After"] == "1"
    assert not Patient.objects.exists()


def test_an_abandoned_claim_is_taken_over_after_the_timeout(api, clinic, user):
    path = "/api/v1/patients/"
    body = b'{"first_name":"Ana","last_name":"Silva"}'
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    IdempotencyRecord.objects.create(
        user=user, clinic=clinic, key=KEY, fingerprint=fingerprint("POST", path, body, "practitioner"),
        created_at=long_ago, claimed_at=long_ago,
    )  # fmt: skip
    response = api.generic("POST", path, body, content_type="application/json", headers={"Idempotency-Key": KEY})
    assert response.status_code == 201
    assert Patient.objects.count() == 1
    assert IdempotencyRecord.objects.get().status_code == 201


def test_an_expired_key_runs_the_request_again(api):
    body = {"first_name": "Ana", "last_name": "Silva"}
    assert post(api, "/api/v1/patients/", body).status_code == 201
    IdempotencyRecord.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    response = post(api, "/api/v1/patients/", body)
    assert response.status_code == 201 and not response.has_header("Idempotent-Replayed")
    assert Patient.objects.count() == 2


def test_a_server_error_is_not_stored_rolls_back_and_the_retry_runs(api, monkeypatch):
    from patients.api.serializers import PatientSerializer

    def broken(self, instance):
        raise RuntimeError("rendering failed after the row was written")

    monkeypatch.setattr(PatientSerializer, "to_representation", broken)
    api.raise_request_exception = False
    body = {"first_name": "Ana", "last_name": "Silva"}
    assert post(api, "/api/v1/patients/", body).status_code == 500
    assert not Patient.objects.exists()
    assert not IdempotencyRecord.objects.exists()
    monkeypatch.undo()
    assert post(api, "/api/v1/patients/", body).status_code == 201
    assert Patient.objects.count() == 1


@pytest.mark.parametrize("key", ["", " leading-space", "x" * 256, "naïve", "tab\tkey"])
def test_a_malformed_key_is_a_400_and_runs_nothing(api, key):
    response = post(api, "/api/v1/patients/", {"first_name": "Ana", "last_name": "Silva"}, key=key)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert not Patient.objects.exists()


def test_a_255_character_key_is_accepted(api):
    assert post(api, "/api/v1/patients/", {"first_name": "Ana", "last_name": "Silva"}, key="k" * 255).status_code == 201


def test_unauthenticated_posts_with_a_key_still_answer_401():
    response = post(APIClient(), "/api/v1/patients/", {"first_name": "Ana", "last_name": "Silva"})
    assert response.status_code == 401
    assert not IdempotencyRecord.objects.exists()


def test_session_authenticated_posts_are_idempotent_too(browser_client):
    for _ in range(2):
        response = browser_client.post(
            "/api/v1/patients/",
            {"first_name": "Ana", "last_name": "Silva"},
            content_type="application/json",
            headers={"Idempotency-Key": KEY},
        )
        assert response.status_code == 201
    assert Patient.objects.count() == 1


def test_purge_command_deletes_only_expired_keys(api, clinic, user):
    now = timezone.now()
    for key, age in (("old", datetime.timedelta(hours=30)), ("fresh", datetime.timedelta(hours=1))):
        IdempotencyRecord.objects.create(
            user=user, clinic=clinic, key=key, fingerprint="0" * 64, created_at=now - age, claimed_at=now - age,
            status_code=201,
        )  # fmt: skip
    call_command("purge_idempotency_keys")
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]


def test_the_schema_documents_the_header_on_posts(api):
    schema = api.get("/api/v1/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}).json()
    patients_post = schema["paths"]["/api/v1/patients/"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in patients_post["parameters"])
    assert "422" in patients_post["responses"]
    patients_get = schema["paths"]["/api/v1/patients/"]["get"]
    assert all(p["name"] != "Idempotency-Key" for p in patients_get.get("parameters", []))


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_run_once_on_postgresql(clinic, user, monkeypatch):
    """Two identical requests at once: the first runs, the duplicate answers 409 while it is in flight."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the concurrent case needs PostgreSQL (CI's PostgreSQL pass runs it).")
    from patients import services

    real_create = services.patient_create
    entered, release = threading.Event(), threading.Event()

    def slow_create(**kwargs):
        entered.set()
        assert release.wait(10)
        return real_create(**kwargs)

    monkeypatch.setattr(services, "patient_create", slow_create)
    token = Token.objects.create(user=user).key
    results: list[int] = []

    def send() -> None:
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            results.append(post(client, "/api/v1/patients/", {"first_name": "Ana", "last_name": "Silva"}).status_code)
        finally:
            connections.close_all()

    first = threading.Thread(target=send)
    first.start()
    assert entered.wait(10)
    duplicate = threading.Thread(target=send)
    duplicate.start()
    duplicate.join(10)
    release.set()
    first.join(10)
    assert sorted(results) == [201, 409]
    assert Patient.objects.filter(clinic=clinic).count() == 1
    replay = post_as(token, "/api/v1/patients/", {"first_name": "Ana", "last_name": "Silva"})
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"


def post_as(token, url, body):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return post(client, url, body)


def test_a_replayed_answer_is_recorded_in_the_audit_trail(api, patient, user):
    from clinic.models import AuditEvent

    url = f"/api/v1/patients/{patient.pk}/stressors/"
    assert post(api, url, {"kind": "footwear", "severity": 2}).status_code == 201
    replay = post(api, url, {"kind": "footwear", "severity": 2})
    assert replay["Idempotent-Replayed"] == "true"
    events = list(AuditEvent.objects.filter(route="patient-stressors").order_by("id"))
    assert len(events) == 2
    assert {(e.user_id, e.clinic_id, e.patient_id, e.outcome) for e in events} == {
        (user.pk, patient.clinic_id, patient.pk, "success")
    }


def test_a_retry_after_the_role_changed_is_not_replayed(api, user, clinic, patient):
    from clinic.models import Membership

    url = f"/api/v1/patients/{patient.pk}/injuries/"
    body = {"zone": "lateral_knee", "side": "left", "occurred_on": "2020-05-01", "painful_now": False}
    assert post(api, url, body).status_code == 201
    Membership.objects.filter(user=user, clinic=clinic).update(role="assistant")  # may no longer see injuries
    retry = post(api, url, body)
    assert retry.status_code == 422 and not retry.has_header("Idempotent-Replayed")
    assert "lateral_knee" not in retry.content.decode()
