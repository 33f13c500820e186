"""Hostile strings in every free-text field, then every way the record is shown: API, pages, htmx partials, admin, PDFs.

Each value is either stored literally (and shown escaped: no live <script>, no event-handler attribute, no `javascript:`
link, nothing fetched by the PDF builder) or refused with a clean 400: NUL characters (PostgreSQL text cannot hold
them), unpaired surrogates (not encodable as UTF-8) and values over the field's max_length.

The free-text fields are enumerated from the models: a new CharField/TextField fails
`test_every_free_text_field_is_covered` until it is added to API_FIELDS (or EXCLUDED with a reason).
"""

import json
import re
import socket
from collections.abc import Iterator
from html.parser import HTMLParser
from io import BytesIO
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from pypdf import PdfReader
from rest_framework.test import APIClient

from clinic.models import Clinic
from tests.security import hostile_seed as seed

LONG_WORD = "A" * 300
HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img_onerror": '"><img src=x onerror=alert(1)>',
    "javascript_url": "javascript:alert(1)",
    "reportlab_font": '<font color="[[[x]]]">',
    "reportlab_img": '<para><img src="http://example.invalid/x.png"/></para>',
    "ampersand": "AT&T <b>",
    "rtl_override": "abc\u202edef.exe",
    "long_word": LONG_WORD,
    "long_text": " ".join(["x" * 99] * 50),  # 4,999 characters: fits the notes fields only
    "very_long": "y" * 20_000,  # longer than any text field
    "nul": "before\x00after",
    "lone_surrogate": "before\ud800after",
}
UNSTORABLE = {"nul", "lone_surrogate"}

# (model label, field) -> how the API writes it: (method, url template, extra body). Ids come from hostile_seed.
P, V = seed.PATIENT, seed.VISIT
API_FIELDS: dict[tuple[str, str], tuple[str, str, dict[str, Any]]] = {
    ("patients.Patient", "first_name"): ("patch", f"/api/v1/patients/{P}/", {}),
    ("patients.Patient", "last_name"): ("patch", f"/api/v1/patients/{P}/", {}),
    ("patients.Patient", "email"): ("patch", f"/api/v1/patients/{P}/", {}),
    ("patients.Patient", "phone"): ("patch", f"/api/v1/patients/{P}/", {}),
    ("patients.Patient", "occupation"): ("patch", f"/api/v1/patients/{P}/", {}),
    ("patients.Patient", "activities"): ("patch", f"/api/v1/patients/{P}/", {}),
    ("patients.Patient", "notes"): ("patch", f"/api/v1/patients/{P}/", {}),
    ("patients.Stressor", "detail"): ("patch", f"/api/v1/stressors/{seed.STRESSOR}/", {}),
    ("patients.Injury", "description"): ("patch", f"/api/v1/injuries/{seed.INJURY}/", {}),
    ("assessments.Visit", "chief_complaint"): ("patch", f"/api/v1/visits/{V}/", {}),
    ("assessments.Visit", "notes"): ("patch", f"/api/v1/visits/{V}/", {}),
    ("assessments.Finding", "location"): ("patch", f"/api/v1/findings/{seed.FINDING}/", {}),
    ("assessments.Finding", "notes"): ("patch", f"/api/v1/findings/{seed.FINDING}/", {}),
    ("assessments.MuscleTest", "notes"): ("patch", f"/api/v1/muscle-tests/{seed.MUSCLE_TEST}/", {}),
    ("assessments.Outcome", "detail"): ("post", f"/api/v1/visits/{V}/outcomes/", {"measure": "psfs", "value": 5}),
    ("assessments.Screening", "detail"): (
        "post",
        f"/api/v1/visits/{V}/screening/",
        {"rule": "SAFE-M-CES", "result": "negative"},
    ),
    ("assessments.Addendum", "text"): ("post", f"/api/v1/visits/{V}/addenda/", {}),
    ("assessments.ReferralLetter", "recipient"): ("patch", f"/api/v1/visits/{seed.EARLIER_VISIT}/referral/", {}),
    ("assessments.ReferralLetter", "body"): ("patch", f"/api/v1/visits/{seed.EARLIER_VISIT}/referral/", {}),
    ("assessments.FavouriteSet", "name"): ("patch", f"/api/v1/favourites/{seed.FAVOURITE}/", {}),
    ("assessments.Observation", "detail"): ("patch", f"/api/v1/observations/{seed.OBSERVATION}/", {}),
    ("assessments.VisitHistory", "detail"): ("patch", f"/api/v1/visits/{V}/history/", {}),
    ("assessments.VisitHistory", "aggravating_detail"): ("patch", f"/api/v1/visits/{V}/history/", {}),
    ("assessments.VisitHistory", "easing_detail"): ("patch", f"/api/v1/visits/{V}/history/", {}),
    ("patients.PriorTreatment", "detail"): ("patch", f"/api/v1/treatments/{seed.TREATMENT}/", {}),
}
# Free text that is not written through the API, tested on its own path below.
OTHER_PATHS = {
    ("clinic.Clinic", "name"): "admin change form, PDFs",
    ("clinic.Clinic", "address"): "admin change form, PDFs",
    ("clinic.Clinic", "phone"): "admin change form, PDFs",
    ("clinic.Clinic", "email"): "admin change form (an email address: the hostile values are invalid)",
    ("assessments.TreatmentPlan", "patient_note"): "plan PATCH (the sheet's words for the patient), below",
}
EXCLUDED = {
    ("patients.Stressor", "kind"): "catalog slug, validated against the catalog",
    ("patients.Stressor", "category"): "derived from kind, not editable",
    ("patients.Injury", "zone"): "catalog slug",
    ("assessments.PainSite", "zone"): "catalog slug",
    ("assessments.Finding", "muscle"): "catalog slug",
    ("assessments.MuscleTest", "muscle"): "catalog slug",
    ("assessments.Screening", "rule"): "catalog safety rule id",
    ("assessments.Observation", "kind"): "catalog history word (observations), validated",
    ("assessments.VisitHistory", "mechanism"): "catalog history word, validated",
    ("assessments.VisitHistory", "course"): "catalog history word, validated",
    ("patients.PriorTreatment", "kind"): "catalog history word (treatments), validated",
    ("patients.PriorTreatment", "frequency"): "catalog history word, validated",
    ("patients.PriorTreatment", "intensity"): "catalog history word, validated",
    ("patients.PriorTreatment", "response"): "catalog history word, validated",
    ("patients.PriorTreatment", "zone"): "catalog slug",
    ("assessments.TreatmentPlan", "engine_version"): "set by the engine",
    ("assessments.TreatmentPlan", "catalog_version"): "set by the engine",
    ("assessments.TreatmentPlan", "protocol"): "catalog protocol id, validated",
    ("assessments.TreatmentPlan", "analysis_digest"): "a SHA-256 hex digest computed by the server",
    ("catalog.CatalogRelease", "version"): "catalog data (staff-edited in the admin, not patient data)",
    ("catalog.CatalogRelease", "note"): "catalog data (staff-edited in the admin, not patient data)",
    ("catalog.CatalogEntry", "slug"): "catalog data (staff-edited in the admin, not patient data)",
    ("catalog.CatalogEntry", "name"): "catalog data (staff-edited in the admin, not patient data)",
    ("catalog.CatalogEntry", "group"): "catalog data (staff-edited in the admin, not patient data)",
    ("clinic.AuditEvent", "method"): "written by the audit middleware from the request method, never typed",
    ("clinic.AuditEvent", "object_type"): "written by the audit middleware from its route table",
    ("clinic.AuditEvent", "route"): "a URL name from the resolver, never the typed path",
    ("clinic.IdempotencyRecord", "fingerprint"): "a SHA-256 hex digest computed by the server",
    ("clinic.IdempotencyRecord", "key"): "client header, refused unless printable ASCII <= 255 (test_idempotency.py)",
    ("clinic.LoginSession", "session_key"): "Django's own session key",
    ("clinic.Clinic", "time_zone"): "an IANA time zone name, validated against zoneinfo.available_timezones() "
    "(tests/clinic/test_time_zone.py); picked from a list in the admin",
}
PROJECT_APPS = ("clinic", "catalog", "patients", "assessments", "operations")


def free_text_fields() -> Iterator[tuple[str, str]]:
    """Every CharField/TextField of the project's concrete models that a person can type into (no choices)."""
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model._meta.proxy:
                continue
            for field in model._meta.get_fields():
                if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
                    yield model._meta.label, field.name


def test_every_free_text_field_is_covered() -> None:
    covered = set(API_FIELDS) | set(OTHER_PATHS) | set(EXCLUDED)
    missing = sorted(set(free_text_fields()) - covered)
    assert not missing, f"Free-text fields with no hostile-input test (add them to API_FIELDS or EXCLUDED): {missing}"
    stale = sorted(covered - set(free_text_fields()))
    assert not stale, f"Listed fields that no longer exist: {stale}"


# --- HTML safety ------------------------------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") and "alert(1)" in value:
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and re.sub(r"[\s\x00-\x1f]", "", value).startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in {"img", "font", "para"} and any(v and ("x.png" in v or "[[[x]]]" in v) for _, v in attrs):
            self.problems.append(f"live <{tag}> from user text")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(1)" in data:
            self.problems.append("user text inside a live <script>")


def assert_html_safe(response: Any, where: str) -> str:
    assert response.status_code < 500, f"{where}: {response.status_code}"
    body = response.content.decode()
    audit = _Audit()
    audit.feed(body)
    assert not audit.problems, f"{where}: {audit.problems}"
    assert "<script>alert(1)" not in body and "<img src=x onerror" not in body, where
    return body


def shown(value: str, body: str) -> bool:
    """The value appears in the page as text (after entity decoding)."""
    import html

    return value in html.unescape(body)


# --- fixtures ---------------------------------------------------------------------------------------------------


@pytest.fixture
def world(db: None) -> seed.Seeded:
    return seed.seed_clinic()


@pytest.fixture
def token_api(world: seed.Seeded) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {seed.TOKEN}")
    return client


@pytest.fixture
def pages(client: Any, world: seed.Seeded) -> Any:
    client.force_login(world.user)
    return client


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any name lookup or connection attempt (e.g. reportlab fetching an <img>) is recorded and refused."""
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[:2]))
        raise OSError("network access is not allowed in this test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def _fits(model_field: tuple[str, str], value: str) -> bool:
    field = apps.get_model(model_field[0])._meta.get_field(model_field[1])
    return field.max_length is None or len(value) <= field.max_length


def _stored(model_field: tuple[str, str], name: str, value: str) -> bool:
    """Whether the API should store the value (else: 400)."""
    # None of the hostile values is an email address.
    return name not in UNSTORABLE and _fits(model_field, value) and model_field[1] != "email"


# --- the API stores literally or refuses; then every rendering path -----------------------------------------------


def _write(api: APIClient, model_field: tuple[str, str], value: str) -> Any:
    method, url, extra = API_FIELDS[model_field]
    body = json.dumps({**extra, model_field[1]: value})
    return getattr(api, method)(url, body, content_type="application/json")


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_is_stored_literally_or_refused_and_always_rendered_safely(
    name: str, world: seed.Seeded, token_api: APIClient, pages: Any, admin_client: Any, no_network: list[str]
) -> None:
    value = HOSTILE[name]
    accepted: dict[tuple[str, str], str] = {}
    for model_field in API_FIELDS:
        model = apps.get_model(model_field[0])
        before = model.objects.count()
        response = _write(token_api, model_field, value)
        label = f"{model_field} <- {name}"
        if _stored(model_field, name, value):
            assert response.status_code in (200, 201), f"{label}: {response.status_code} {response.content[:300]!r}"
            assert response.json()[model_field[1]] == value, label
            stored = model.objects.get(pk=response.json()["id"]) if "id" in response.json() else None
            assert stored is None or getattr(stored, model_field[1]) == value, label
            accepted[model_field] = value
        else:
            assert response.status_code == 400, f"{label}: {response.status_code} {response.content[:300]!r}"
            assert model_field[1] in response.json(), f"{label}: {response.json()}"
            assert model.objects.count() == before, f"{label}: half-saved"

    # The plan's step rationale (JSON inside the plan) takes the same text.
    plan = token_api.get(f"/api/v1/visits/{V}/plan/").json()
    steps = [{**plan["steps"][0], "rationale": value}, *plan["steps"][1:]]
    response = token_api.patch(
        f"/api/v1/visits/{V}/plan/", json.dumps({"steps": steps}), content_type="application/json"
    )
    if name in UNSTORABLE:
        assert response.status_code == 400, response.content[:300]
    else:
        assert response.status_code in (200, 400), response.content[:300]  # 400: over the rationale's limit
        if response.status_code == 200:
            assert response.json()["steps"][0]["rationale"] == value

    # So does the plan's note for the patient (printed on the home-care sheet), whole or for one step.
    plan = token_api.get(f"/api/v1/visits/{V}/plan/").json()
    body = {"patient_note": value, "step_notes": {"1": value}, "version": plan["version"]}
    response = token_api.patch(f"/api/v1/visits/{V}/plan/", json.dumps(body), content_type="application/json")
    if name in UNSTORABLE:
        assert response.status_code == 400, response.content[:300]
    else:
        assert response.status_code in (200, 400), response.content[:300]  # 400: over the note's limit
        if response.status_code == 200:
            assert response.json()["patient_note"] == value.strip()
            assert response.json()["steps"][0]["patient_note"] == value.strip()

    # And the practitioner's own step: their reason and their note for the patient (JSON inside the plan).
    tfl = {"muscle": "tensor_fasciae_latae", "side": "right", "tenderness": 2}
    assert token_api.post(f"/api/v1/visits/{V}/findings/", tfl, format="json").status_code == 201
    plan = token_api.get(f"/api/v1/visits/{V}/plan/").json()
    body = {**tfl, "reason": value, "patient_note": value[:1000], "version": plan["version"]}
    del body["tenderness"]
    response = token_api.post(f"/api/v1/visits/{V}/plan/steps/", json.dumps(body), content_type="application/json")
    if name in UNSTORABLE:
        assert response.status_code == 400, response.content[:300]
    else:
        assert response.status_code in (201, 400), response.content[:300]  # 400: over the reason's limit
        if response.status_code == 201:
            (own,) = [step for step in response.json()["steps"] if step["custom"]]
            assert (own["reason"], own["patient_note"]) == (value.strip(), value[:1000].strip())

    # The clinic's own details (admin-edited) carry it too, where the value can be stored.
    if name not in UNSTORABLE and len(value) <= 200:
        Clinic.objects.filter(pk=world.clinic.pk).update(name=value, address=value[:300], phone=value[:40])

    # API reads: the JSON carries the literal string.
    visit_json = token_api.get(f"/api/v1/visits/{V}/").content.decode()
    patient_json = token_api.get(f"/api/v1/patients/{P}/").content.decode()
    for (label, field), text in accepted.items():
        if label.startswith("patients.Patient"):
            assert json.loads(patient_json)[field] == text
    if ("assessments.Visit", "notes") in accepted:
        assert json.loads(visit_json)["notes"] == value
    for url in (
        f"/api/v1/visits/{V}/analysis/",
        f"/api/v1/visits/{V}/compare/?with={seed.EARLIER_VISIT}",
        f"/api/v1/patients/{P}/progress/",
        f"/api/v1/patients/{P}/stressors/",
        f"/api/v1/visits/{V}/findings/",
    ):
        response = token_api.get(url)
        assert response.status_code == 200, (url, response.status_code)
        json.loads(response.content)

    # Pages and htmx partials.
    patient_page = assert_html_safe(pages.get(f"/patients/{P}/"), "patient page")
    if ("patients.Patient", "first_name") in accepted and len(value) < 100:
        assert shown(value, patient_page), "the patient's name is shown (escaped) on the patient page"
    assert_html_safe(pages.get(f"/patients/{P}/edit/"), "patient edit form")
    # A form or URL cannot carry an unpaired surrogate (UTF-8 only): pages get what a browser would send.
    typed = value.encode("utf-8", "replace").decode()
    assert_html_safe(pages.get("/patients/", {"q": typed[:100]}), "patient list search")
    visit_page = assert_html_safe(pages.get(f"/visits/{V}/"), "visit page")
    if ("assessments.Visit", "chief_complaint") in accepted and len(value) < 100:
        assert shown(value, visit_page), "the chief complaint is shown (escaped) on the visit page"
    assert_html_safe(pages.get(f"/visits/{V}/analysis/", HTTP_HX_REQUEST="true"), "analysis partial")
    assert_html_safe(pages.get(f"/visits/{V}/compare/", {"with": str(seed.EARLIER_VISIT)}), "compare page")
    partial = pages.post(
        f"/visits/{V}/chart/findings/",
        {"findings-muscle": "soleus", "findings-side": "right", "findings-location": typed[:200],
         "findings-tenderness": "5", "findings-status": "active", "findings-notes": typed[:2000]},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert partial.status_code in (200, 400), partial.status_code
    assert_html_safe(partial, "findings partial")
    details = pages.post(
        f"/visits/{V}/details/",
        {"date": world.visit.date.isoformat(), "kind": "follow_up", "chief_complaint": typed[:500], "notes": typed},
        HTTP_HX_REQUEST="true",
    )
    assert details.status_code in (200, 400), details.status_code
    assert_html_safe(details, "details partial")

    # Admin (superuser): the clinic's change page and list.
    assert_html_safe(admin_client.get(f"/admin/clinic/clinic/{world.clinic.pk}/change/"), "admin clinic change")
    assert_html_safe(admin_client.get("/admin/clinic/clinic/"), "admin clinic list")

    favourites = assert_html_safe(pages.get(f"/visits/{V}/favourites/", HTTP_HX_REQUEST="true"), "favourites panel")
    chosen = assert_html_safe(
        pages.get(f"/visits/{V}/favourites/", {"set": str(seed.FAVOURITE)}, HTTP_HX_REQUEST="true"), "favourite form"
    )
    if ("assessments.FavouriteSet", "name") in accepted and len(value) < 100:
        assert shown(value, favourites) and shown(value, chosen), "the set's name is shown (escaped) in the panel"

    assert_html_safe(pages.get(f"/visits/{V}/note/"), "visit note print view")
    referral = assert_html_safe(pages.get(f"/visits/{seed.EARLIER_VISIT}/"), "visit page with the referral letter")
    if ("assessments.ReferralLetter", "body") in accepted and len(value) < 100:
        assert shown(value, referral), "the letter's text is shown (escaped) in its form"

    # PDFs: built, the literal text printed, nothing fetched.
    for url in (
        f"/api/v1/visits/{V}/home-care.pdf",
        f"/api/v1/patients/{P}/progress.pdf",
        f"/api/v1/visits/{V}/note.pdf",
        f"/api/v1/visits/{seed.EARLIER_VISIT}/referral.pdf",
    ):
        response = token_api.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        assert response["Content-Type"] == "application/pdf"
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
        compact = re.sub(r"\s+", "", text)
        if ("patients.Patient", "last_name") in accepted:
            assert re.sub(r"\s+", "", value.replace("\u202e", "")) in compact.replace("\u202e", ""), (url, text[:500])
    assert not no_network, f"the PDF builder tried to fetch: {no_network}"


# --- pages refuse what cannot be stored with a form error, never a 500 --------------------------------------------


@pytest.mark.parametrize("value", ["before\x00after"], ids=["nul"])
def test_page_forms_refuse_nul_with_a_form_error(value: str, world: seed.Seeded, pages: Any) -> None:
    data = {"first_name": value, "last_name": "Lopez", "sex": "undisclosed", "version": "1"}
    response = pages.post(f"/patients/{P}/edit/", data)
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    response = pages.post(
        f"/visits/{V}/details/",
        {"date": world.visit.date.isoformat(), "kind": "follow_up", "notes": value},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    response = pages.post(f"/visits/{V}/addenda/", {"text": value}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    response = pages.post(f"/patients/{P}/stressors/", {"kind": "footwear", "severity": "2", "detail": value})
    assert response.status_code == 400
    world.patient.refresh_from_db()
    assert world.patient.first_name == "Maria"


def test_page_form_bytes_that_are_not_utf8_are_replaced_not_a_server_error(world: seed.Seeded, pages: Any) -> None:
    """A lone surrogate cannot travel in a form (UTF-8 only); its CESU-8 bytes decode to U+FFFD."""
    body = "first_name=Ana%ED%A0%80&last_name=Lopez&sex=undisclosed&version=1"
    response = pages.post(f"/patients/{P}/edit/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 400)
    world.patient.refresh_from_db()
    world.patient.first_name.encode("utf-8")


def test_admin_clinic_form_refuses_nul_with_a_form_error(world: seed.Seeded, admin_client: Any) -> None:
    url = f"/admin/clinic/clinic/{world.clinic.pk}/change/"
    response = admin_client.post(url, {"name": "Bad\x00Name", "address": "", "phone": "", "email": "",
                                       "paper_size": "A4"})  # fmt: skip
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    world.clinic.refresh_from_db()
    assert world.clinic.name == "Hostile Input Clinic"
