"""Hostile request shapes against every API list/create endpoint and the pages: each is refused (400/404/413/415),
ignored or capped, never a 500.

The endpoints come from the OpenAPI generator (which walks the URL resolver), with the seeded objects' ids filled in,
so a new list or create endpoint is covered without editing this file.
"""

import json
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from patients.models import Patient
from tests.security import hostile_seed as seed

TEN_MB = 10 * 1024 * 1024


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, item in schema["paths"].items():
        segment = path.removeprefix("/api/v1/").split("/")[0]
        url = path
        for name in ("{id}", "{patient_id}"):
            fallback = seed.PATIENT if name == "{patient_id}" else ""
            url = url.replace(name, str(seed.IDS_BY_SEGMENT.get(segment, fallback)))
        url = url.replace("{slug}", "soleus")
        for name, seeded in seed.IDS_BY_PARAMETER.items():
            url = url.replace(f"{{{name}}}", str(seeded))
        for method, operation in item.items():
            found.append((method, url, operation))
    return found


OPERATIONS = _operations()
LISTS = [url for method, url, op in OPERATIONS if method == "get" and any(
    p["name"] == "page_size" for p in op.get("parameters", []))]  # fmt: skip
BODIES = [(method, url) for method, url, op in OPERATIONS if "requestBody" in op and url != "/api/v1/auth/token/"]


def test_the_endpoint_lists_are_not_empty() -> None:
    assert len(LISTS) >= 10 and len(BODIES) >= 12, (LISTS, BODIES)


@pytest.fixture
def world(db: None) -> seed.Seeded:
    return seed.seed_clinic()


@pytest.fixture
def api(world: seed.Seeded) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {seed.TOKEN}")
    return client


@pytest.fixture
def pages(client: Any, world: seed.Seeded) -> Any:
    client.force_login(world.user)
    return client


def _send(api: APIClient, method: str, url: str, body: bytes | str, content_type: str = "application/json") -> Any:
    return getattr(api, method)(url, body, content_type=content_type)


# --- body size and width ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "url"), BODIES)
def test_a_10_mb_body_answers_413_with_a_json_message(api: APIClient, method: str, url: str) -> None:
    body = json.dumps({"notes": "x" * TEN_MB})
    response = _send(api, method, url, body)
    assert response.status_code == 413, response.content[:200]
    assert "too large" in response.json()["detail"]


def test_a_10_mb_form_post_to_a_page_answers_413(pages: Any) -> None:
    response = pages.post(f"/patients/{seed.PATIENT}/edit/", {"notes": "x" * TEN_MB})
    assert response.status_code == 413


def test_a_malformed_content_length_answers_400(api: APIClient) -> None:
    response = api.post("/api/v1/patients/", "{}", content_type="application/json", CONTENT_LENGTH="12abc")
    assert response.status_code == 400


def test_a_page_form_with_1001_fields_answers_400(pages: Any) -> None:
    fields = {f"field{i}": "x" for i in range(1001)}
    response = pages.post(f"/patients/{seed.PATIENT}/edit/", fields)
    assert response.status_code == 400
    assert Patient.objects.get(pk=seed.PATIENT).first_name == "Maria"


@pytest.mark.parametrize(("method", "url"), BODIES)
def test_a_json_object_with_1001_keys_answers_400(api: APIClient, method: str, url: str) -> None:
    response = _send(api, method, url, json.dumps({f"field{i}": "x" for i in range(1001)}))
    assert response.status_code == 400, response.content[:200]
    assert "Too many fields" in response.json()["detail"]


# --- malformed bodies -------------------------------------------------------------------------------------------

MALFORMED: dict[str, tuple[str | bytes, str, int]] = {
    "truncated_json": ('{"first_name": "Ana"', "application/json", 400),
    "json_array": ('[{"first_name": "Ana"}]', "application/json", 400),
    "json_string": ('"hello"', "application/json", 400),
    "not_utf8": (b'{"first_name": "\xff\xfe"}', "application/json", 400),
    "nan": ('{"value": NaN, "measure": "nprs"}', "application/json", 400),
    "infinity": ('{"value": Infinity, "measure": "nprs"}', "application/json", 400),
    "deeply_nested": ("[" * 100_000 + "]" * 100_000, "application/json", 400),
    "deeply_nested_object": ('{"a":' * 50_000 + "1" + "}" * 50_000, "application/json", 400),
    "form_encoded": ("first_name=Ana", "application/x-www-form-urlencoded", 415),
    "text_plain": ("hello", "text/plain", 415),
}


@pytest.mark.parametrize(("method", "url"), BODIES)
@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_bodies_answer_400_or_415(api: APIClient, method: str, url: str, case: str) -> None:
    body, content_type, expected = MALFORMED[case]
    response = _send(api, method, url, body, content_type)
    assert response.status_code == expected, (case, response.status_code, response.content[:200])
    response.json()


WRONG_VALUES = [
    # (url, field, value, base body)
    (f"/api/v1/visits/{seed.VISIT}/findings/", "tenderness", 10**30, {"muscle": "soleus", "side": "right"}),
    (f"/api/v1/visits/{seed.VISIT}/findings/", "tenderness", "5", {"muscle": "soleus", "side": "right"}),
    (f"/api/v1/visits/{seed.VISIT}/findings/", "tenderness", -1, {"muscle": "soleus", "side": "right"}),
    (f"/api/v1/visits/{seed.VISIT}/findings/", "treated", "yes", {"muscle": "soleus", "side": "right"}),
    (f"/api/v1/visits/{seed.VISIT}/findings/", "referral_zones", "plantar_heel", {"muscle": "soleus", "side": "right"}),
    (f"/api/v1/visits/{seed.VISIT}/pain-sites/", "nprs", 10**30, {"zone": "lateral_knee", "side": "left"}),
    (f"/api/v1/visits/{seed.VISIT}/pain-sites/", "nprs", 7.5, {"zone": "lateral_knee", "side": "left"}),
    (f"/api/v1/visits/{seed.VISIT}/outcomes/", "value", 10**30, {"measure": "psfs"}),
    (f"/api/v1/visits/{seed.VISIT}/outcomes/", "value", 10**400, {"measure": "psfs"}),
    (f"/api/v1/visits/{seed.VISIT}/outcomes/", "value", "5", {"measure": "psfs"}),
    (f"/api/v1/visits/{seed.VISIT}/outcomes/", "value", True, {"measure": "psfs"}),
    ("/api/v1/patients/", "first_name", 12345, {"last_name": "Lopez"}),
    ("/api/v1/patients/", "date_of_birth", "0000-00-00", {"first_name": "Ana", "last_name": "Lopez"}),
    ("/api/v1/patients/", "date_of_birth", "99999-01-01", {"first_name": "Ana", "last_name": "Lopez"}),
    ("/api/v1/patients/", "date_of_birth", "2000-02-30", {"first_name": "Ana", "last_name": "Lopez"}),
    ("/api/v1/patients/", "date_of_birth", 20000101, {"first_name": "Ana", "last_name": "Lopez"}),
    ("/api/v1/patients/", "version", 10**30, {"first_name": "Ana", "last_name": "Lopez"}),
    ("/api/v1/visits/", "date", "0000-00-00", {"patient": str(seed.PATIENT)}),
    ("/api/v1/visits/", "date", "99999-01-01", {"patient": str(seed.PATIENT)}),
    ("/api/v1/visits/", "patient", "not-a-uuid", {}),
    (f"/api/v1/patients/{seed.PATIENT}/stressors/", "severity", 10**30, {"kind": "footwear"}),
    (f"/api/v1/patients/{seed.PATIENT}/stressors/", "onset", "99999-01-01", {"kind": "footwear"}),
    (f"/api/v1/patients/{seed.PATIENT}/injuries/", "occurred_on", "0000-00-00", {"zone": "lumbar", "side": "left"}),
    (f"/api/v1/visits/{seed.VISIT}/plan/", "max_home_care", 10**30, {}),
    (f"/api/v1/visits/{seed.VISIT}/plan/", "max_home_care", "3", {}),
]


@pytest.mark.parametrize(("url", "field", "value", "base"), WRONG_VALUES, ids=lambda v: str(v)[:40])
def test_wrong_types_huge_numbers_and_impossible_dates_answer_400_per_field(
    api: APIClient, url: str, field: str, value: Any, base: dict[str, Any]
) -> None:
    before = Patient.objects.count()
    response = api.post(url, json.dumps({**base, field: value}), content_type="application/json")
    assert response.status_code == 400, (field, value, response.status_code, response.content[:300])
    assert field in response.json(), response.json()
    assert Patient.objects.count() == before


# --- query strings ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("page_size=10000000", 200),
        ("page_size=abc", 400),
        ("page_size=-1", 400),
        ("page_size=0", 400),
        ("page_size=1e9", 400),
        ("page=99999", 404),
        ("page=abc", 404),
        ("page=", 404),
        ("page=-1", 404),
    ],
)
def test_pagination_parameters_are_capped_or_refused(api: APIClient, url: str, query: str, expected: int) -> None:
    response = api.get(f"{url}?{query}")
    assert response.status_code == expected, (url, query, response.content[:200])
    response.json()


def test_page_size_is_capped_at_100(api: APIClient, world: seed.Seeded) -> None:
    Patient.objects.bulk_create(Patient(clinic=world.clinic, first_name=f"P{i}", last_name="Many") for i in range(120))
    body = api.get("/api/v1/patients/?page_size=10000000").json()
    assert body["count"] == 121
    assert len(body["results"]) == 100


ORDERINGS = ["name;DROP TABLE patients_patient", "__class__", "-id", "password", "clinic__name", "'", "1) OR (1=1"]


@pytest.mark.parametrize("url", LISTS)
def test_ordering_parameters_are_ignored_on_every_list(api: APIClient, url: str) -> None:
    """No list offers ?ordering=: whatever is sent, the answer is the default order."""
    plain = api.get(url).json()
    for ordering in ORDERINGS:
        response = api.get(url, {"ordering": ordering})
        assert response.status_code == 200, (url, ordering)
        assert (response.json()["count"], response.json()["results"]) == (plain["count"], plain["results"])
    assert Patient.objects.filter(pk=seed.PATIENT).exists()


@pytest.mark.parametrize("url", ["/api/v1/patients/", "/api/v1/catalog/muscles/"])
@pytest.mark.parametrize("search", ["%", "_", "\\", "%_\\%", "'; DROP TABLE x; --", "\x00", "a\x00b", "x" * 5000])
def test_search_with_wildcards_quotes_and_nul_is_safe(api: APIClient, url: str, search: str) -> None:
    response = api.get(url, {"search": search})
    assert response.status_code in (200, 400), (search[:20], response.status_code)
    if response.status_code == 200 and search in ("%", "_", "\\"):
        assert response.json()["count"] == 0 or url.endswith("muscles/")


def test_search_on_the_patient_list_page_with_nul_is_safe(pages: Any) -> None:
    response = pages.get("/patients/", {"q": "a\x00b"})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/patients/?" + "x" * 100_000 + "=1",
        "/api/v1/patients/?search=" + "x" * 100_000,
        "/api/v1/patients/" + "a" * 10_000 + "/",
        "/patients/" + "a" * 10_000 + "/",
        "/api/v1/visits/?patient=" + "x" * 10_000,
        f"/api/v1/visits/{seed.VISIT}/compare/?with=" + "x" * 10_000,
    ],
    ids=["long_query_name", "long_search", "long_api_path", "long_page_path", "long_patient_filter", "long_with"],
)
def test_very_long_urls_answer_4xx_or_200_never_500(pages: Any, api: APIClient, url: str) -> None:
    client = api if url.startswith("/api/") else pages
    response = client.get(url)
    assert response.status_code in (200, 400, 404, 414), response.status_code
