"""Read-only catalog endpoints as in shared/api-contract.md."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

AK_LABEL = "AK tradition, not evidence-based"


def test_catalog_needs_authentication():
    assert APIClient().get("/api/v1/catalog/muscles/").status_code == 401


def test_muscle_list_is_paginated_with_the_contract_fields(api):
    body = api.get("/api/v1/catalog/muscles/", {"page_size": 100}).json()
    assert body["count"] == 59 and len(body["results"]) == 59
    contract = {
        "slug",
        "name",
        "region",
        "trp_locations",
        "referral_zones",
        "self_treatment",
        "ak_association",
        "sources",
    }
    for muscle in body["results"]:
        assert contract <= set(muscle)
        assert muscle["ak_association"]["label"] == AK_LABEL
        assert muscle["sources"]


def test_muscle_detail_by_slug(api):
    soleus = api.get("/api/v1/catalog/muscles/soleus/").json()
    assert soleus["slug"] == "soleus"
    assert "plantar_heel" in soleus["referral_zones"]
    assert set(soleus["self_treatment"].values()) <= {"good", "ok", "caution", "not_suited", "avoid"}
    assert api.get("/api/v1/catalog/muscles/unicorn/").status_code == 404


@pytest.mark.parametrize(
    ("typed", "expected"), [("scm", "sternocleidomastoid"), ("calf", "soleus"), ("upper trap", "trapezius_upper")]
)
def test_muscle_search_matches_common_synonyms_for_type_ahead(api, typed, expected):
    results = api.get("/api/v1/catalog/muscles/", {"search": typed, "page_size": 100}).json()["results"]
    assert expected in [m["slug"] for m in results]


def test_zones_stressors_and_patterns(api):
    zones = api.get("/api/v1/catalog/zones/", {"page_size": 100}).json()
    assert zones["count"] == 66
    stressors = api.get("/api/v1/catalog/stressors/", {"page_size": 100}).json()["results"]
    kinds = {s["kind"]: s["category"] for s in stressors}
    assert kinds["gut_distension_bloating"] == "chemical_nutritional"
    assert kinds["rapid_footwear_transition"] == "physical_structural"
    patterns = api.get("/api/v1/catalog/patterns/", {"page_size": 100}).json()
    by_id = {p["id"]: p for p in patterns["results"]}
    assert by_id["KC-X1"]["kind"] == "kinetic_chain" and by_id["KC-X1"]["side_relation"] == "contralateral"
    assert by_id["SYM-HEAD-TEMPLE"]["kind"] == "symptom_rule"
    assert all(p["sources"] for p in patterns["results"])
    only_links = api.get("/api/v1/catalog/patterns/", {"kind": "kinetic_chain", "page_size": 100}).json()["results"]
    assert {p["kind"] for p in only_links} == {"kinetic_chain"}


def test_catalog_responses_name_the_catalog_version(api):
    assert api.get("/api/v1/catalog/zones/")["X-Catalog-Version"]
