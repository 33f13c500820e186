"""Favourite sets through the API: a practitioner's own and the clinic's shared sets, who may change them, versions,
the catalog vocabulary, and charting a set on a visit in one transaction."""

from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessments.models import FavouriteSet, Finding, MuscleTest
from clinic.models import Role
from patients.models import Patient
from tests.factories import (
    RUNNERS_KNEE,
    FavouriteSetFactory,
    FindingFactory,
    MembershipFactory,
    PainSiteFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

KNEE_ROWS: list[dict[str, Any]] = [
    {"tenderness": 7, "status": "active", "recognized": True, "taut_band": True},
    {"tenderness": 5, "status": "latent"},
    {"tenderness": 3},
    {"tenderness": 2, "status": "latent", "location": "medial belly"},
    {"result": "inhibited"},
]


def _client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def colleague(clinic):
    return MembershipFactory(clinic=clinic, role=Role.PRACTITIONER, user__username="colleague").user


@pytest.fixture
def clinic_owner(clinic):
    return MembershipFactory(clinic=clinic, role=Role.OWNER, user__username="clinic.owner").user


@pytest.fixture
def visit(patient):
    visit = VisitFactory(patient=patient)
    PainSiteFactory(visit=visit, zone="lateral_knee", side="right", primary=True)
    return visit


@pytest.fixture
def knee(clinic, user):
    return FavouriteSetFactory(clinic=clinic, owner=user)


def _chart(api, visit, favourite, rows, **extra):
    return api.post(
        f"/api/v1/visits/{visit.pk}/favourites/{favourite.pk}/chart/", {"rows": rows, **extra}, format="json"
    )


def _charted(visit):
    return (
        sorted(Finding.objects.filter(visit=visit).values_list("muscle", "side", "tenderness")),
        sorted(MuscleTest.objects.filter(visit=visit).values_list("muscle", "side", "result")),
    )


# --- create, list, read ------------------------------------------------------------------------------------------


def test_create_a_set_and_read_it_back(api, user):
    test = {"kind": "muscle_test", "muscle": "gluteus_medius", "side": "left"}
    body = {"name": "Runner's knee", "items": [RUNNERS_KNEE[0], test]}
    response = api.post("/api/v1/favourites/", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert response["ETag"] == '"1"'
    assert created["name"] == "Runner's knee" and created["shared"] is False and created["version"] == 1
    assert created["owner"] == user.username and created["mine"] is True and created["editable"] is True
    assert created["items"] == [
        {"kind": "finding", "muscle": "vastus_lateralis", "side": "complaint", "location": ""},
        {"kind": "muscle_test", "muscle": "gluteus_medius", "side": "left", "phase": "pre"},
    ]
    assert api.get(f"/api/v1/favourites/{created['id']}/").json() == created
    assert FavouriteSet.objects.get().created_by == user


def test_the_list_is_mine_and_the_clinics_shared_sets_never_a_colleagues_private_or_another_clinics(
    api, clinic, other_clinic, user, colleague
):
    mine = FavouriteSetFactory(clinic=clinic, owner=user, name="Mine")
    shared = FavouriteSetFactory(clinic=clinic, owner=colleague, name="Shared heel", shared=True)
    FavouriteSetFactory(clinic=clinic, owner=colleague, name="Colleague's own")
    FavouriteSetFactory(clinic=other_clinic, name="Elsewhere", shared=True)
    listed = api.get("/api/v1/favourites/").json()
    assert listed["count"] == 2
    assert [(s["id"], s["mine"], s["editable"]) for s in listed["results"]] == [
        (str(mine.pk), True, True),
        (str(shared.pk), False, False),
    ]
    assert listed["results"][1]["owner"] == "colleague"


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_clinics_set_and_a_colleagues_private_set_answer_404(api, clinic, other_clinic, colleague, method):
    for favourite in (
        FavouriteSetFactory(clinic=other_clinic, shared=True),
        FavouriteSetFactory(clinic=clinic, owner=colleague),
    ):
        response = getattr(api, method)(f"/api/v1/favourites/{favourite.pk}/", {"name": "Taken"}, format="json")
        assert response.status_code == 404
        favourite.refresh_from_db()
        assert (favourite.name, favourite.version) == ("Runner's knee", 1)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([{"kind": "finding", "muscle": "quadriceps_of_doom", "side": "left"}], "Unknown muscle"),
        ([{"kind": "finding", "muscle": "soleus", "side": "front"}], "valid choice"),
        ([{"kind": "x-ray", "muscle": "soleus", "side": "left"}], "valid choice"),
        ([{"kind": "muscle_test", "muscle": "soleus", "side": "left", "location": "belly"}], "findings only"),
        ([{"kind": "finding", "muscle": "soleus", "side": "left", "phase": "pre"}], "muscle tests only"),
        ([], "at least 1"),
        ([RUNNERS_KNEE[0], RUNNERS_KNEE[0]], "the same as item 1"),
        ([{"kind": "finding", "muscle": "soleus", "side": "left"}] * 31, "no more than 30"),
    ],
    ids=["unknown-muscle", "bad-side", "bad-kind", "location-on-a-test", "phase-on-a-finding", "empty", "duplicate",
         "too-many"],
)  # fmt: skip
def test_items_outside_the_catalog_vocabulary_are_400_on_items_and_nothing_saved(api, items, message):
    response = api.post("/api/v1/favourites/", {"name": "Bad", "items": items}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["items"]
    assert message in str(response.json()["items"])
    assert not FavouriteSet.objects.exists()


def test_an_unknown_muscle_in_a_patch_is_400_and_changes_nothing(api, knee):
    items = [{"kind": "finding", "muscle": "unknownius", "side": "left"}]
    response = api.patch(f"/api/v1/favourites/{knee.pk}/", {"items": items, "version": 1}, format="json")
    assert response.status_code == 400
    assert "Unknown muscle unknownius" in str(response.json()["items"])
    knee.refresh_from_db()
    assert (knee.items, knee.version) == (RUNNERS_KNEE, 1)


def test_two_sets_of_one_author_cannot_share_a_name_but_two_authors_can(api, clinic, user, colleague, knee):
    again = api.post("/api/v1/favourites/", {"name": "Runner's knee", "items": RUNNERS_KNEE}, format="json")
    assert again.status_code == 400 and again.json() == {"name": ["You already have a set with this name."]}
    other = _client(colleague).post("/api/v1/favourites/", {"name": "Runner's knee", "items": RUNNERS_KNEE},
                                    format="json")  # fmt: skip
    assert other.status_code == 201
    second = FavouriteSetFactory(clinic=clinic, owner=user, name="Heel")
    renamed = api.patch(f"/api/v1/favourites/{second.pk}/", {"name": "Runner's knee"}, format="json")
    assert renamed.status_code == 400 and list(renamed.json()) == ["name"]


# --- update and delete: versions and who may ----------------------------------------------------------------------


def test_patch_with_the_current_version_changes_and_a_stale_one_is_409(api, knee):
    url = f"/api/v1/favourites/{knee.pk}/"
    ok = api.patch(url, {"name": "Knee (runners)", "shared": True, "version": 1}, format="json")
    assert ok.status_code == 200, ok.content
    assert (ok.json()["name"], ok.json()["shared"], ok.json()["version"], ok["ETag"]) == ("Knee (runners)", True, 2,
                                                                                          '"2"')  # fmt: skip
    stale = api.patch(url, {"name": "Lost update", "version": 1}, format="json")
    assert stale.status_code == 409
    assert "stale version" in stale.json()["detail"]
    stale_etag = api.patch(url, {"name": "Lost update"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale_etag.status_code == 412
    knee.refresh_from_db()
    assert (knee.name, knee.version) == ("Knee (runners)", 2)


def test_the_owner_and_identity_fields_cannot_be_patched(api, knee, colleague):
    response = api.patch(f"/api/v1/favourites/{knee.pk}/", {"owner": "colleague", "name": "Mine now"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["owner"]
    knee.refresh_from_db()
    assert (knee.owner_id, knee.name) != (colleague.pk, "Mine now")


def test_delete_needs_the_current_version_when_one_is_given(api, knee):
    url = f"/api/v1/favourites/{knee.pk}/"
    assert api.delete(url, HTTP_IF_MATCH='"7"').status_code == 412
    assert api.delete(f"{url}?version=7").status_code == 409
    assert api.delete(f"{url}?version=seven").status_code == 400
    assert FavouriteSet.objects.filter(pk=knee.pk).exists()
    assert api.delete(url, HTTP_IF_MATCH='"1"').status_code == 204
    assert not FavouriteSet.objects.filter(pk=knee.pk).exists()
    assert api.get(url).status_code == 404


def test_a_shared_set_is_changed_only_by_its_author_or_a_clinic_owner(clinic, colleague, clinic_owner, user):
    shared = FavouriteSetFactory(clinic=clinic, owner=colleague, shared=True)
    url = f"/api/v1/favourites/{shared.pk}/"
    practitioner = _client(user)
    assert practitioner.get(url).status_code == 200
    refused = practitioner.patch(url, {"name": "Hijacked"}, format="json")
    assert refused.status_code == 403
    assert "Only the author" in refused.json()["detail"]
    assert practitioner.delete(url).status_code == 403
    owner = _client(clinic_owner)
    assert owner.get(url).json()["editable"] is True
    assert owner.patch(url, {"name": "Runner's knee (clinic)", "version": 1}, format="json").status_code == 200
    author = _client(colleague)
    assert author.patch(url, {"shared": False, "version": 2}, format="json").status_code == 200
    assert owner.get(url).status_code == 404  # private again: the owner no longer sees it
    shared.refresh_from_db()
    assert (shared.name, shared.shared, shared.owner_id) == ("Runner's knee (clinic)", False, colleague.pk)


def test_a_clinic_owner_may_delete_a_shared_set_but_not_see_a_private_one(clinic, colleague, clinic_owner):
    shared = FavouriteSetFactory(clinic=clinic, owner=colleague, shared=True, name="Shared")
    private = FavouriteSetFactory(clinic=clinic, owner=colleague, name="Private")
    owner = _client(clinic_owner)
    assert owner.delete(f"/api/v1/favourites/{private.pk}/").status_code == 404
    assert owner.delete(f"/api/v1/favourites/{shared.pk}/").status_code == 204
    assert list(FavouriteSet.objects.values_list("name", flat=True)) == ["Private"]


def test_an_assistant_has_no_favourites(clinic, knee):
    assistant = _client(MembershipFactory(clinic=clinic, role=Role.ASSISTANT).user)
    assert assistant.get("/api/v1/favourites/").status_code == 403
    assert assistant.post("/api/v1/favourites/", {"name": "X", "items": RUNNERS_KNEE}, format="json").status_code == 403


def test_sets_are_not_chart_data_and_leave_the_patients_data_stamp_alone(api, patient, knee):
    stamp = Patient.objects.get(pk=patient.pk).data_version
    created = api.post("/api/v1/favourites/", {"name": "Neck", "items": RUNNERS_KNEE[:2]}, format="json")
    assert created.status_code == 201
    assert api.patch(f"/api/v1/favourites/{knee.pk}/", {"shared": True}, format="json").status_code == 200
    assert api.delete(f"/api/v1/favourites/{created.json()['id']}/").status_code == 204
    assert Patient.objects.get(pk=patient.pk).data_version == stamp


# --- charting from a set ------------------------------------------------------------------------------------------


def test_chart_from_a_set_creates_exactly_the_sets_rows_on_the_side_of_the_complaint(api, visit, knee, patient):
    stamp = Patient.objects.get(pk=patient.pk).data_version
    response = _chart(api, visit, knee, KNEE_ROWS, set_version=1)
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(f["muscle"], f["side"], f["tenderness"], f["status"]) for f in body["findings"]] == [
        ("vastus_lateralis", "right", 7, "active"),
        ("tensor_fasciae_latae", "right", 5, "latent"),
        ("gluteus_minimus", "right", 3, "unknown"),
        ("soleus", "right", 2, "latent"),
    ]
    assert body["findings"][0]["recognized"] is True and body["findings"][3]["location"] == "medial belly"
    assert [(t["muscle"], t["side"], t["phase"], t["result"]) for t in body["muscle_tests"]] == [
        ("gluteus_medius", "right", "pre", "inhibited")
    ]
    assert {f["visit"] for f in body["findings"] + body["muscle_tests"]} == {str(visit.pk)}
    assert len(_charted(visit)[0]) == 4 and len(_charted(visit)[1]) == 1
    assert Patient.objects.get(pk=patient.pk).data_version > stamp  # chart data: the visit page and analysis follow
    detail = api.get(f"/api/v1/visits/{visit.pk}/").json()
    assert len(detail["findings"]) == 4 and len(detail["muscle_tests"]) == 1


def test_a_row_may_be_skipped_or_charted_on_another_side(api, visit, knee):
    rows = [{"skip": True}, {"tenderness": 4, "side": "left"}, {"skip": True}, {"skip": True}, {"skip": True}]
    response = _chart(api, visit, knee, rows)
    assert response.status_code == 201, response.content
    assert _charted(visit) == ([("tensor_fasciae_latae", "left", 4)], [])


def test_a_bad_row_is_400_naming_it_and_nothing_is_saved(api, visit, knee, patient):
    stamp = Patient.objects.get(pk=patient.pk).data_version
    rows = [dict(row) for row in KNEE_ROWS]
    rows[2] = {"tenderness": 11}
    rows[4] = {"result": "weak"}
    response = _chart(api, visit, knee, rows)
    assert response.status_code == 400
    errors = response.json()["rows"]
    assert len(errors) == 5 and errors[0] == errors[1] == errors[3] == {}
    assert list(errors[2]) == ["tenderness"] and list(errors[4]) == ["result"]
    assert _charted(visit) == ([], [])
    assert Patient.objects.get(pk=patient.pk).data_version == stamp


def test_a_row_that_duplicates_a_charted_finding_is_400_and_the_rows_before_it_are_rolled_back(api, visit, knee):
    FindingFactory(visit=visit, muscle="soleus", side="right", location="medial belly", tenderness=1)
    response = _chart(api, visit, knee, KNEE_ROWS)
    assert response.status_code == 400
    errors = response.json()["rows"]
    assert errors[:3] == [{}, {}, {}] and errors[4] == {}
    assert "already has a finding in this visit" in errors[3]["non_field_errors"][0]
    assert _charted(visit) == ([("soleus", "right", 1)], [])


def test_a_test_row_needs_its_result_and_takes_no_finding_fields(api, visit, knee):
    rows = [*KNEE_ROWS[:4], {"tenderness": 3}]
    errors = _chart(api, visit, knee, rows).json()["rows"]
    assert set(errors[4]) == {"tenderness", "result"}
    assert "Not a field of a muscle test" in errors[4]["tenderness"][0]
    assert _charted(visit) == ([], [])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rows": KNEE_ROWS[:4]}, "rows"),
        ({}, "rows"),
        ({"rows": "all"}, "rows"),
        ({"rows": [{"skip": True}] * 5}, "rows"),
    ],
    ids=["too-few-rows", "no-rows", "not-a-list", "all-skipped"],
)
def test_rows_that_do_not_match_the_set_are_400(api, visit, knee, body, field):
    response = api.post(f"/api/v1/visits/{visit.pk}/favourites/{knee.pk}/chart/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert _charted(visit) == ([], [])


def test_the_side_of_the_complaint_must_be_chosen_when_the_visit_has_none(api, patient, knee):
    visit = VisitFactory(patient=patient)
    rows = [dict(row) for row in KNEE_ROWS]
    response = _chart(api, visit, knee, rows)
    assert response.status_code == 400
    assert all("choose the side" in row["side"][0] for row in response.json()["rows"])
    response = _chart(api, visit, knee, [{**row, "side": "left"} for row in rows])
    assert response.status_code == 201
    assert {side for _, side, _ in _charted(visit)[0]} == {"left"}


def test_rows_filled_in_from_an_older_version_of_the_set_are_409(api, visit, knee):
    knee.items = knee.items[:4]
    knee.version = 2
    knee.save()
    response = _chart(api, visit, knee, KNEE_ROWS[:4], set_version=1)
    assert response.status_code == 409 and "choose it again" in response.json()["detail"]
    assert _charted(visit) == ([], [])


def test_a_signed_visit_is_409_and_nothing_is_charted(api, visit, knee):
    assert api.post(f"/api/v1/visits/{visit.pk}/sign/").status_code == 200
    response = _chart(api, visit, knee, KNEE_ROWS)
    assert response.status_code == 409
    assert "signed" in response.json()["detail"]
    assert _charted(visit) == ([], [])


def test_another_clinics_visit_or_set_and_a_colleagues_private_set_answer_404(
    api, clinic, other_clinic, foreign_patient, visit, knee, colleague
):
    foreign_visit = VisitFactory(patient=foreign_patient)
    foreign_set = FavouriteSetFactory(clinic=other_clinic, shared=True)
    private = FavouriteSetFactory(clinic=clinic, owner=colleague)
    shared = FavouriteSetFactory(clinic=clinic, owner=colleague, shared=True, name="Shared knee")
    assert _chart(api, foreign_visit, knee, KNEE_ROWS).status_code == 404
    assert _chart(api, visit, foreign_set, KNEE_ROWS).status_code == 404
    assert _chart(api, visit, private, KNEE_ROWS).status_code == 404
    assert _charted(visit) == ([], [])
    assert _chart(api, visit, shared, KNEE_ROWS).status_code == 201  # a colleague's shared set is charted


def test_the_schema_documents_the_favourites_routes(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    chart = schema["paths"]["/api/v1/visits/{id}/favourites/{set_id}/chart/"]["post"]
    assert set(chart["responses"]) >= {"201", "400", "404", "409"}
    assert chart["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("FavouriteChartRequest")
    assert set(schema["paths"]["/api/v1/favourites/"]) >= {"get", "post"}
    assert set(schema["paths"]["/api/v1/favourites/{id}/"]) >= {"get", "patch", "delete"}
    side = schema["components"]["schemas"]["FavouriteItemSideEnum"]["enum"]
    assert side == ["left", "right", "bilateral", "midline", "complaint"]


@pytest.mark.parametrize(
    "item",
    [
        {"muscle": "soleus", "side": "left"},
        {"kind": "finding", "side": "left"},
        {"kind": "finding", "muscle": "soleus"},
    ],
    ids=["no-kind", "no-muscle", "no-side"],
)
def test_a_patch_with_an_incomplete_item_is_400_not_a_server_error(api, knee, item):
    response = api.patch(f"/api/v1/favourites/{knee.pk}/", {"items": [item]}, format="json")
    assert response.status_code == 400, response.content
    assert "Item 1" in str(response.json()["items"])
    knee.refresh_from_db()
    assert knee.version == 1
