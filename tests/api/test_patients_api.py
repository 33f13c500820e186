"""The patients, stressors and injuries API as written in shared/api-contract.md."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from patients.models import Injury, Patient, Stressor
from tests.factories import InjuryFactory, PatientFactory, StressorFactory

pytestmark = pytest.mark.django_db

PATIENT_FIELDS = {
    "id", "first_name", "last_name", "date_of_birth", "sex", "email", "phone", "occupation", "activities", "notes",
    "version",
}  # fmt: skip


def test_request_without_credentials_is_401():
    response = APIClient().get("/api/v1/patients/")
    assert response.status_code == 401


def test_token_endpoint_returns_a_token_that_authenticates(user):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": "correct-horse-battery"}, format="json"
    )
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/patients/").status_code == 200


def test_token_endpoint_refuses_a_wrong_password(user):
    response = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_create_patient_returns_the_contract_fields(api, clinic):
    response = api.post(
        "/api/v1/patients/",
        {"first_name": "Ana", "last_name": "Silva", "date_of_birth": "1990-02-03", "sex": "female"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == PATIENT_FIELDS
    assert body["version"] == 1
    patient = Patient.objects.get(pk=body["id"])
    assert patient.clinic == clinic
    assert response["ETag"] == '"1"'


def test_list_is_paginated_searchable_and_only_shows_the_clinics_patients(api, clinic, foreign_patient):
    PatientFactory(clinic=clinic, first_name="Zoe", last_name="Brown")
    PatientFactory(clinic=clinic, first_name="Adam", last_name="Green")
    body = api.get("/api/v1/patients/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert str(foreign_patient.pk) not in str(body)
    found = api.get("/api/v1/patients/", {"search": "brow"}).json()
    assert [p["last_name"] for p in found["results"]] == ["Brown"]


def test_a_search_is_paged_in_list_order_with_links(api, clinic):
    for index in range(30):
        PatientFactory(clinic=clinic, first_name=f"Fi{index:02d}", last_name="Ngata" if index % 2 else "Nguyen")
    PatientFactory(clinic=clinic, first_name="Ann", last_name="Smith")
    body = api.get("/api/v1/patients/", {"search": "ng", "page": "2"}).json()
    expected = Patient.objects.filter(clinic=clinic, last_name__startswith="Ng").order_by("last_name", "first_name")
    assert body["count"] == 30
    assert [p["id"] for p in body["results"]] == [str(p.pk) for p in expected[25:]]
    assert body["previous"].endswith("/api/v1/patients/?search=ng") and body["next"] is None


@pytest.mark.parametrize("page", ["3", "9", "0", "abc", "", "85899346", "9223372036854775807", "9" * 30])
def test_a_search_page_past_the_end_or_malformed_is_404(api, clinic, page):
    PatientFactory.create_batch(30, clinic=clinic, last_name="Ngata")
    assert api.get("/api/v1/patients/", {"search": "ng", "page": page}).status_code == 404


@pytest.mark.parametrize("search", ["x" * 101, " " * 101, "brown " * 17])
@pytest.mark.parametrize("page", [None, "1", "last"])
def test_a_search_over_100_characters_is_a_400_whatever_the_page(api, clinic, search, page):
    PatientFactory(clinic=clinic, first_name="Zoe", last_name="Brown")
    params = {"search": search} | ({"page": page} if page else {})
    response = api.get("/api/v1/patients/", params)
    assert response.status_code == 400
    assert response.json() == {"search": ["At most 100 characters."]}
    at_limit = api.get("/api/v1/patients/", {"search": search[:100]} | ({"page": page} if page else {}))
    assert at_limit.status_code == 200


def test_page_size_is_capped_at_100(api, clinic):
    PatientFactory.create_batch(105, clinic=clinic)
    body = api.get("/api/v1/patients/", {"page_size": 10_000_000}).json()
    assert len(body["results"]) == 100
    assert body["count"] == 105


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"first_name": "", "last_name": "X"}, "first_name"),
        ({"first_name": "A" * 101, "last_name": "X"}, "first_name"),
        ({"first_name": "A", "last_name": "X", "date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"first_name": "A", "last_name": "X", "date_of_birth": "1850-01-01"}, "date_of_birth"),
        ({"first_name": "A\x00B", "last_name": "X"}, "first_name"),
        ({"first_name": "A", "last_name": "X", "sex": "robot"}, "sex"),
        ({"first_name": "A", "last_name": "X", "email": "not-an-email"}, "email"),
        ({"first_name": "A", "last_name": "X", "notes": "n" * 10_001}, "notes"),
    ],
)
def test_bad_patient_input_is_a_400_naming_the_field_and_saves_nothing(api, payload, field):
    response = api.post("/api/v1/patients/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Patient.objects.count() == 0


def test_patch_with_current_version_updates_and_increments(api, patient):
    response = api.patch(f"/api/v1/patients/{patient.pk}/", {"occupation": "Nurse", "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    patient.refresh_from_db()
    assert (patient.occupation, patient.version) == ("Nurse", 2)


def test_patch_with_stale_version_is_409_and_changes_nothing(api, patient):
    api.patch(f"/api/v1/patients/{patient.pk}/", {"occupation": "Nurse", "version": 1}, format="json")
    response = api.patch(f"/api/v1/patients/{patient.pk}/", {"occupation": "Pilot", "version": 1}, format="json")
    assert response.status_code == 409
    patient.refresh_from_db()
    assert (patient.occupation, patient.version) == ("Nurse", 2)


def test_patch_with_stale_if_match_is_412_and_changes_nothing(api, patient):
    etag = api.get(f"/api/v1/patients/{patient.pk}/")["ETag"]
    assert (
        api.patch(f"/api/v1/patients/{patient.pk}/", {"notes": "a"}, format="json", HTTP_IF_MATCH=etag).status_code
        == 200
    )
    response = api.patch(f"/api/v1/patients/{patient.pk}/", {"notes": "b"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    patient.refresh_from_db()
    assert patient.notes == "a"


def test_patch_with_invalid_value_is_400_and_changes_nothing(api, patient):
    response = api.patch(f"/api/v1/patients/{patient.pk}/", {"date_of_birth": "2999-01-01"}, format="json")
    assert response.status_code == 400
    patient.refresh_from_db()
    assert patient.date_of_birth == datetime.date(1980, 5, 17) and patient.version == 1


def test_patch_cannot_change_id_it_is_refused_naming_the_field(api, patient):
    response = api.patch(
        f"/api/v1/patients/{patient.pk}/", {"id": "00000000-0000-0000-0000-000000000000"}, format="json"
    )
    assert response.status_code == 400
    assert "id" in response.json()
    assert api.get(f"/api/v1/patients/{patient.pk}/").json()["id"] == str(patient.pk)


def test_delete_archives_the_patient_and_keeps_the_record(api, patient):
    assert api.delete(f"/api/v1/patients/{patient.pk}/").status_code == 204
    assert api.get(f"/api/v1/patients/{patient.pk}/").status_code == 404
    assert api.get("/api/v1/patients/").json()["count"] == 0
    patient.refresh_from_db()
    assert patient.archived_at is not None


def test_put_is_not_offered(api, patient):
    assert api.put(f"/api/v1/patients/{patient.pk}/", {"first_name": "X"}, format="json").status_code == 405


# --- stressors -------------------------------------------------------------------------------------------------


def test_create_stressor_derives_its_category_from_the_catalog_kind(api, patient):
    response = api.post(
        f"/api/v1/patients/{patient.pk}/stressors/",
        {
            "kind": "rapid_footwear_transition",
            "severity": 3,
            "onset": "2026-01-10",
            "detail": "minimalist shoes",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["category"] == "physical_structural"
    assert {"kind", "category", "detail", "severity", "onset", "resolved_on", "version"} <= set(body)
    listed = api.get(f"/api/v1/patients/{patient.pk}/stressors/").json()
    assert [s["kind"] for s in listed["results"]] == ["rapid_footwear_transition"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "moon_phase", "severity": 2}, "kind"),
        ({"kind": "footwear", "severity": 4}, "severity"),
        ({"kind": "footwear", "severity": 0}, "severity"),
        ({"kind": "footwear", "onset": "2999-01-01"}, "onset"),
        ({"kind": "footwear", "onset": "2025-05-01", "resolved_on": "2025-01-01"}, "resolved_on"),
        ({"kind": "footwear", "detail": "x" * 2001}, "detail"),
        ({"kind": "footwear", "detail": "bad\x00byte"}, "detail"),
    ],
)
def test_bad_stressor_input_is_a_400_naming_the_field(api, patient, payload, field):
    response = api.post(f"/api/v1/patients/{patient.pk}/stressors/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Stressor.objects.count() == 0


def test_stressor_patch_changes_kind_and_category_with_version_check(api, patient):
    stressor = StressorFactory(patient=patient)
    url = f"/api/v1/stressors/{stressor.pk}/"
    response = api.patch(url, {"kind": "poor_sleep", "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["category"] == "emotional_mental"
    assert api.patch(url, {"severity": 1, "version": 1}, format="json").status_code == 409


def test_stressor_delete_archives(api, patient):
    stressor = StressorFactory(patient=patient)
    assert api.delete(f"/api/v1/stressors/{stressor.pk}/").status_code == 204
    assert api.get(f"/api/v1/patients/{patient.pk}/stressors/").json()["count"] == 0
    assert Stressor.objects.filter(pk=stressor.pk, archived_at__isnull=False).exists()


# --- injuries --------------------------------------------------------------------------------------------------


def test_create_injury_with_zone_side_and_approximate_date(api, patient):
    response = api.post(
        f"/api/v1/patients/{patient.pk}/injuries/",
        {"zone": "posterior_shoulder", "side": "left", "occurred_on": "2015-03-01", "painful_now": False,
         "description": "dislocated shoulder"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert {"zone", "side", "occurred_on", "description", "painful_now", "version"} <= set(response.json())


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"zone": "elbow_of_doom", "side": "left"}, "zone"),
        ({"zone": "lumbar", "side": "up"}, "side"),
        ({"zone": "lumbar", "side": "left", "occurred_on": "2999-01-01"}, "occurred_on"),
        ({"zone": "lumbar", "side": "left", "occurred_on": "1970-01-01"}, "occurred_on"),
    ],
)
def test_bad_injury_input_is_a_400_naming_the_field(api, patient, payload, field):
    response = api.post(f"/api/v1/patients/{patient.pk}/injuries/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Injury.objects.count() == 0


def test_injury_patch_with_stale_version_is_409(api, patient):
    injury = InjuryFactory(patient=patient)
    url = f"/api/v1/injuries/{injury.pk}/"
    assert api.patch(url, {"painful_now": True, "version": 1}, format="json").status_code == 200
    assert api.patch(url, {"painful_now": False, "version": 1}, format="json").status_code == 409
    injury.refresh_from_db()
    assert injury.painful_now is True


# --- another clinic's objects: 404 on every verb and route -------------------------------------------------------


def foreign_routes(foreign_patient):
    stressor = StressorFactory(patient=foreign_patient)
    injury = InjuryFactory(patient=foreign_patient)
    p, s, i = foreign_patient.pk, stressor.pk, injury.pk
    return [
        ("get", f"/api/v1/patients/{p}/", None),
        ("patch", f"/api/v1/patients/{p}/", {"first_name": "Hacked"}),
        ("delete", f"/api/v1/patients/{p}/", None),
        ("get", f"/api/v1/patients/{p}/stressors/", None),
        ("post", f"/api/v1/patients/{p}/stressors/", {"kind": "footwear"}),
        ("get", f"/api/v1/patients/{p}/injuries/", None),
        ("post", f"/api/v1/patients/{p}/injuries/", {"zone": "lumbar", "side": "left"}),
        ("get", f"/api/v1/stressors/{s}/", None),
        ("patch", f"/api/v1/stressors/{s}/", {"severity": 1}),
        ("delete", f"/api/v1/stressors/{s}/", None),
        ("get", f"/api/v1/injuries/{i}/", None),
        ("patch", f"/api/v1/injuries/{i}/", {"painful_now": True}),
        ("delete", f"/api/v1/injuries/{i}/", None),
    ]


def test_another_clinics_objects_answer_404_on_every_verb_and_nested_route(api, foreign_patient):
    for method, url, body in foreign_routes(foreign_patient):
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
        assert str(foreign_patient.pk) not in response.content.decode()
    foreign_patient.refresh_from_db()
    assert foreign_patient.first_name == "Foreign" and foreign_patient.archived_at is None
    assert Stressor.objects.filter(patient=foreign_patient, archived_at__isnull=True).count() == 1
    assert Injury.objects.filter(patient=foreign_patient, archived_at__isnull=True).count() == 1


def test_nonexistent_and_malformed_ids_answer_404(api):
    assert api.get("/api/v1/patients/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert api.get("/api/v1/patients/not-a-uuid/").status_code == 404


def test_archived_patients_children_are_not_reachable(api, patient):
    stressor = StressorFactory(patient=patient)
    patient.archived_at = timezone.now()
    patient.save()
    assert api.get(f"/api/v1/stressors/{stressor.pk}/").status_code == 404
