"""PATCH can never change identity, tenancy, authorship or the signature; PUT is not offered.

Every PATCH route in the route table is tested with every protected field: a changed value answers 400 naming the
field and nothing is saved (not even the legitimate change sent alongside). A field the API shows may be sent back
unchanged, so a client can PATCH back the body it read.
"""

import uuid
from typing import Any

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.security.routes import ROUTES, call, client_for

pytestmark = pytest.mark.django_db

ALWAYS = {
    "id": str(uuid.uuid4()),
    "clinic": str(uuid.uuid4()),
    "created_by": 1,
    "created_at": "2020-01-01T00:00:00Z",
    "updated_at": "2020-01-01T00:00:00Z",
    "signed_at": "2026-01-05T10:00:00Z",
    "signed_by": "someone",
}
# route name -> (path keyword, object kind, extra protected fields with a changed value, a legitimate change)
PATCH_ROUTES: dict[str, tuple[str, str, dict[str, Any], dict[str, Any]]] = {
    "patient-detail": ("pk", "patient", {}, {"occupation": "Pilot"}),
    "stressor-detail": ("pk", "stressor", {"patient": "<other patient>"}, {"severity": 3}),
    "injury-detail": ("pk", "injury", {"patient": "<other patient>"}, {"painful_now": True}),
    "visit-detail": ("pk", "visit", {"patient": "<other patient>", "status": "signed"}, {"notes": "Changed"}),
    "finding-detail": ("pk", "finding", {"visit": "<other visit>"}, {"tenderness": 1}),
    "muscle-test-detail": ("pk", "muscle_test", {"visit": "<other visit>"}, {"result": "facilitated"}),
    "observation-detail": ("pk", "observation", {"visit": "<other visit>"}, {"side": "right"}),
    "treatment-detail": ("pk", "treatment", {"patient": "<other patient>"}, {"response": "worse"}),
    "visit-history": ("pk", "visit", {"visit": "<other visit>"}, {"course": "worse"}),
    "visit-plan": (
        "pk",
        "visit",
        {
            "visit": "<other visit>",
            "confirmed": True,
            "confirmed_at": "2026-01-05T10:00:00Z",
            "confirmed_by": "someone",
            "engine_version": "0.0.0",
            "catalog_version": "0",
        },
        {"follow_up_on": "2026-12-24"},
    ),
    "visit-referral": ("pk", "referral_visit", {"visit": "<other visit>"}, {"body": "Please see her today."}),
    "favourite-detail": ("pk", "favourite", {"owner": "someone", "mine": True}, {"name": "Knee (renamed)"}),
}
CASES = [
    pytest.param(name, field, id=f"{name}-{field}")
    for name, (_, _, extra, _) in PATCH_ROUTES.items()
    for field in sorted({*ALWAYS, *extra})
]


def _url(name, world):
    keyword, kind, _, _ = PATCH_ROUTES[name]
    return reverse(name, kwargs={keyword: world.id_of(kind)})


def _value(name, field, home, foreign):
    value = PATCH_ROUTES[name][2].get(field, ALWAYS.get(field))
    if value == "<other patient>":
        return foreign.id_of("patient")  # another clinic's patient: refused like any other change
    if value == "<other visit>":
        return home.id_of("earlier_visit")  # the same clinic's other visit: still refused
    return value


def test_every_patch_route_in_the_table_is_tested_here():
    patch_routes = {name for name, probes in ROUTES.items() if any(p.method == "PATCH" for p in probes)}
    assert patch_routes == set(PATCH_ROUTES)


@pytest.mark.parametrize(("name", "field"), CASES)
def test_changing_a_protected_field_is_400_naming_it_and_saves_nothing(worlds, name, field):
    home, foreign = worlds
    client = client_for(home.members[Role.OWNER], api=True)
    url = _url(name, home)
    before = client.get(url).json()
    legit = PATCH_ROUTES[name][3]
    response = client.patch(url, {**legit, field: _value(name, field, home, foreign)}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert field in response.json()[field][0]
    assert foreign.id_of("patient") not in response.content.decode()
    assert client.get(url).json() == before


@pytest.mark.parametrize("name", sorted(PATCH_ROUTES))
def test_the_body_read_can_be_patched_back_unchanged(worlds, name):
    home, _ = worlds
    client = client_for(home.members[Role.OWNER], api=True)
    url = _url(name, home)
    body = client.get(url).json()
    if name == "visit-plan" and body["follow_up_on"] is None:
        del body["follow_up_on"]  # the plan's edit input takes a date or nothing, not null
    response = client.patch(url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["id"] == body["id"]


@pytest.mark.parametrize("name", sorted(PATCH_ROUTES))
def test_put_is_not_offered(worlds, name):
    home, _ = worlds
    client = client_for(home.members[Role.OWNER], api=True)
    url = _url(name, home)
    body = client.get(url).json()
    assert client.put(url, body, format="json").status_code == 405


def test_a_visit_is_signed_only_by_signing_it(worlds):
    home, _ = worlds
    client = client_for(home.members[Role.PRACTITIONER], api=True)
    url = _url("visit-detail", home)
    refused = client.patch(url, {"status": "signed"}, format="json")
    assert refused.status_code == 400 and "sign/" in refused.json()["status"][0]
    assert client.get(url).json()["status"] == "draft"
    probe = ROUTES["visit-sign"][0]
    assert call(client, "visit-sign", probe, own=home).status_code == 200
    assert client.get(url).json()["status"] == "signed"
