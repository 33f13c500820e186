"""Visits API: charting with validation, signing and addenda, analysis and plan, tenancy, concurrency, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Finding, Screening, TreatmentPlan, Visit
from tests.factories import (
    FindingFactory,
    MuscleTestFactory,
    PainSiteFactory,
    PatientFactory,
    StressorFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(patient):
    return VisitFactory(patient=patient)


@pytest.fixture
def foreign_visit(foreign_patient):
    return VisitFactory(patient=foreign_patient)


def finding_payload(**overrides):
    return {
        "muscle": "soleus", "side": "left", "location": "belly", "tenderness": 7, "taut_band": True,
        "referral_zones": ["plantar_heel"], "recognized": True, "status": "active", **overrides,
    }  # fmt: skip


# --- visits --------------------------------------------------------------------------------------------------------


def test_create_visit_returns_the_detail_with_nested_lists(api, patient):
    response = api.post(
        "/api/v1/visits/",
        {"patient": str(patient.pk), "date": "2026-11-01", "kind": "initial", "chief_complaint": "Heel pain"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["version"] == 1 and body["signed_at"] is None
    for nested in ("pain_sites", "findings", "muscle_tests", "outcomes", "addenda"):
        assert body[nested] == []


def test_visit_for_another_clinics_patient_is_404_and_saves_nothing(api, foreign_patient):
    response = api.post("/api/v1/visits/", {"patient": str(foreign_patient.pk), "date": "2026-11-01"}, format="json")
    assert response.status_code == 404
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"date": "2999-01-01"}, "date"), ({"date": "1970-01-01"}, "date"), ({"kind": "emergency"}, "kind")],
)
def test_bad_visit_input_is_400(api, patient, payload, field):
    response = api.post("/api/v1/visits/", {"patient": str(patient.pk), "date": "2026-11-01", **payload}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Visit.objects.exists()


def test_visit_list_filters_by_patient_and_refuses_foreign_or_malformed_ids(api, clinic, patient, foreign_patient):
    VisitFactory(patient=patient)
    VisitFactory(patient=PatientFactory(clinic=clinic))
    assert api.get("/api/v1/visits/").json()["count"] == 2
    assert api.get("/api/v1/visits/", {"patient": str(patient.pk)}).json()["count"] == 1
    assert api.get("/api/v1/visits/", {"patient": str(foreign_patient.pk)}).status_code == 404
    assert api.get("/api/v1/visits/", {"patient": "nope"}).status_code == 400


# --- charting ------------------------------------------------------------------------------------------------------


def test_add_a_finding_and_read_it_back_in_the_visit(api, visit):
    response = api.post(f"/api/v1/visits/{visit.pk}/findings/", finding_payload(), format="json")
    assert response.status_code == 201, response.json()
    detail = api.get(f"/api/v1/visits/{visit.pk}/").json()
    assert [f["muscle"] for f in detail["findings"]] == ["soleus"]
    assert detail["findings"][0]["referral_zones"] == ["plantar_heel"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"muscle": "flux_capacitor"}, "muscle"),
        ({"tenderness": 11}, "tenderness"),
        ({"tenderness": -1}, "tenderness"),
        ({"side": "up"}, "side"),
        ({"status": "dormant"}, "status"),
        ({"referral_zones": ["moon"]}, "referral_zones"),
        ({"technique": "hammer"}, "technique"),
        ({"response": "released", "treated": False}, "response"),
        ({"notes": "x" * 2001}, "notes"),
    ],
)
def test_bad_finding_input_is_400_naming_the_field(api, visit, overrides, field):
    response = api.post(f"/api/v1/visits/{visit.pk}/findings/", finding_payload(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Finding.objects.exists()


def test_a_finding_without_tenderness_is_400_naming_it_and_saves_nothing(api, visit):
    payload = finding_payload()
    del payload["tenderness"]
    response = api.post(f"/api/v1/visits/{visit.pk}/findings/", payload, format="json")
    assert response.status_code == 400 and "tenderness" in response.json()
    assert api.post(f"/api/v1/visits/{visit.pk}/findings/", {**payload, "tenderness": None}, format="json").json()[
        "tenderness"
    ]
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    ("recognized", "status"), [(True, "latent"), (False, "active"), (True, "unknown")]
)  # fmt: skip
def test_a_finding_whose_familiar_pain_and_status_disagree_is_400_and_saves_nothing(api, visit, recognized, status):
    """Delphi2018: an active trigger point is one that reproduces the familiar pain."""
    response = api.post(
        f"/api/v1/visits/{visit.pk}/findings/", finding_payload(recognized=recognized, status=status), format="json"
    )
    assert response.status_code == 400
    assert "reproduces the familiar pain" in " ".join(response.json()["status"])
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ({"status": "active"}, ("active", True)),
        ({"status": "latent"}, ("latent", False)),
        ({"status": "unknown"}, ("unknown", False)),
        ({"recognized": True}, ("active", True)),
        ({"recognized": False}, ("unknown", False)),
        ({}, ("unknown", False)),
    ],
)
def test_a_new_finding_sent_with_one_of_familiar_pain_and_status_gets_the_other_to_match(api, visit, sent, stored):
    payload = {"muscle": "soleus", "side": "left", "tenderness": 5, **sent}
    response = api.post(f"/api/v1/visits/{visit.pk}/findings/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["recognized"]) == stored


def test_patching_one_of_familiar_pain_and_status_keeps_the_pair_consistent_and_a_disagreeing_pair_is_400(api, visit):
    finding = FindingFactory(visit=visit, status="latent", recognized=False)
    url = f"/api/v1/findings/{finding.pk}/"
    assert api.patch(url, {"status": "active", "version": 1}, format="json").json()["recognized"] is True
    turned = api.patch(url, {"recognized": False, "version": 2}, format="json").json()
    assert (turned["status"], turned["recognized"]) == ("latent", False)
    refused = api.patch(url, {"status": "latent", "recognized": True, "version": 3}, format="json")
    assert refused.status_code == 400 and "status" in refused.json()
    finding.refresh_from_db()
    assert (finding.status, finding.recognized, finding.version) == ("latent", False, 3)


def test_a_finding_charted_inconsistently_before_the_rule_can_still_be_edited_in_its_other_fields(api, visit):
    finding = FindingFactory(visit=visit, status="active", recognized=False)
    response = api.patch(f"/api/v1/findings/{finding.pk}/", {"tenderness": 4, "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["tenderness"] == 4


def test_the_schema_requires_tenderness_to_create_a_finding_and_explains_the_familiar_pain_rule(api):
    schemas = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    assert "tenderness" in schemas["FindingInputRequest"]["required"]
    assert "tenderness" not in schemas["PatchedFindingInputRequest"].get("required", [])
    properties = schemas["FindingInputRequest"]["properties"]
    assert "no default" in properties["tenderness"]["description"]
    assert "Delphi2018" in properties["recognized"]["description"]
    assert "must agree" in properties["status"]["description"]


def test_duplicate_finding_for_the_same_muscle_side_and_location_is_400(api, visit):
    assert api.post(f"/api/v1/visits/{visit.pk}/findings/", finding_payload(), format="json").status_code == 201
    response = api.post(f"/api/v1/visits/{visit.pk}/findings/", finding_payload(), format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert Finding.objects.count() == 1
    other_location = api.post(f"/api/v1/visits/{visit.pk}/findings/", finding_payload(location="distal"), format="json")
    assert other_location.status_code == 201


def test_a_finding_on_another_clinics_visit_is_404(api, foreign_visit):
    assert api.post(f"/api/v1/visits/{foreign_visit.pk}/findings/", finding_payload(), format="json").status_code == 404
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    ("payload", "status_code"),
    [
        ({"zone": "plantar_heel", "side": "left", "nprs": 6, "primary": True}, 201),
        ({"zone": "moon", "side": "left"}, 400),
        ({"zone": "plantar_heel", "side": "left", "nprs": 11}, 400),
    ],
)
def test_pain_sites_accept_only_catalog_zones_and_nprs_0_to_10(api, visit, payload, status_code):
    assert api.post(f"/api/v1/visits/{visit.pk}/pain-sites/", payload, format="json").status_code == status_code


def test_only_one_primary_pain_site(api, visit):
    url = f"/api/v1/visits/{visit.pk}/pain-sites/"
    assert api.post(url, {"zone": "plantar_heel", "side": "left", "primary": True}, format="json").status_code == 201
    response = api.post(url, {"zone": "calf", "side": "left", "primary": True}, format="json")
    assert response.status_code == 400 and "primary" in response.json()


@pytest.mark.parametrize(
    ("measure", "value", "status_code"),
    [("nprs", 10, 201), ("nprs", 11, 400), ("lefs", 80, 201), ("lefs", 81, 400), ("ndi", 51, 400),
     ("odi", 100, 201), ("odi", -1, 400), ("psfs", 10.5, 400), ("rom", 45, 201), ("ppt", 4.2, 201), ("vas", 3, 400)],
)  # fmt: skip
def test_outcome_values_are_range_checked_per_measure(api, visit, measure, value, status_code):
    response = api.post(f"/api/v1/visits/{visit.pk}/outcomes/", {"measure": measure, "value": value}, format="json")
    assert response.status_code == status_code, response.json()


def test_screening_accepts_only_catalog_safety_rules(api, visit):
    url = f"/api/v1/visits/{visit.pk}/screening/"
    assert api.post(url, {"rule": "SAFE-M-DVT", "result": "negative"}, format="json").status_code == 201
    assert api.post(url, {"rule": "SAFE-MADE-UP", "result": "negative"}, format="json").status_code == 400
    assert api.post(url, {"rule": "SAFE-M-CES", "result": "maybe"}, format="json").status_code == 400


def test_a_screen_records_the_side_it_concerns_and_reads_it_back(api, visit):
    url = f"/api/v1/visits/{visit.pk}/screening/"
    body = {"rule": "SAFE-M-FRACTURE-ANKLE-FOOT", "result": "positive", "side": "left", "detail": "Ottawa positive"}
    created = api.post(url, body, format="json")
    assert created.status_code == 201, created.json()
    assert {k: created.json()[k] for k in body} == body
    assert [(s["rule"], s["side"]) for s in api.get(url).json()["results"]] == [("SAFE-M-FRACTURE-ANKLE-FOOT", "left")]
    screens = api.get(f"/api/v1/visits/{visit.pk}/").json()["screening"]
    assert [(s["rule"], s["side"], s["result"]) for s in screens] == [
        ("SAFE-M-FRACTURE-ANKLE-FOOT", "left", "positive")
    ]


@pytest.mark.parametrize("sent", [{}, {"side": ""}, {"side": None}], ids=["left-out", "blank", "null"])
def test_a_screen_without_a_side_is_stored_as_not_one_side(api, visit, sent):
    response = api.post(
        f"/api/v1/visits/{visit.pk}/screening/", {"rule": "SAFE-M-CES", "result": "negative", **sent}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["side"] == ""
    assert Screening.objects.get(visit=visit).side == ""


@pytest.mark.parametrize("side", ["up", "LEFT", "both", 1, True, ["left"], {"side": "left"}])
def test_a_bad_side_is_400_naming_the_side_and_saves_nothing(api, visit, side):
    body = {"rule": "SAFE-M-FRACTURE-ANKLE-FOOT", "result": "positive", "side": side}
    response = api.post(f"/api/v1/visits/{visit.pk}/screening/", body, format="json")
    assert response.status_code == 400
    assert "is not a side: use left, right, bilateral or midline" in response.json()["side"][0]
    assert not Screening.objects.filter(visit=visit).exists()


def test_left_and_right_screens_of_one_rule_are_both_allowed_but_each_side_once(api, visit):
    url = f"/api/v1/visits/{visit.pk}/screening/"
    body = {"rule": "SAFE-M-FRACTURE-ANKLE-FOOT", "result": "negative"}
    for side in ("left", "right", ""):
        assert api.post(url, {**body, "side": side}, format="json").status_code == 201
    for side in ("left", ""):
        duplicate = api.post(url, {**body, "side": side, "result": "positive"}, format="json")
        assert duplicate.status_code == 400
        assert duplicate.json() == {
            "non_field_errors": ["This red-flag screen and side is already recorded in this visit."]
        }
    assert sorted(Screening.objects.filter(visit=visit).values_list("side", "result")) == [
        ("", "negative"), ("left", "negative"), ("right", "negative"),
    ]  # fmt: skip


def test_a_sided_screen_on_a_signed_visit_is_409_and_saves_nothing(api, visit):
    api.post(f"/api/v1/visits/{visit.pk}/sign/")
    body = {"rule": "SAFE-M-FRACTURE-ANKLE-FOOT", "result": "positive", "side": "right"}
    assert api.post(f"/api/v1/visits/{visit.pk}/screening/", body, format="json").status_code == 409
    assert not Screening.objects.filter(visit=visit).exists()


def test_the_schema_documents_the_side_of_a_screen(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    side = schema["components"]["schemas"]["Screening"]["properties"]["side"]
    assert side["nullable"] is True and "not of one side" in side["description"]
    refs = {branch["$ref"].rsplit("/", 1)[1] for branch in side["oneOf"]}
    assert {tuple(schema["components"]["schemas"][ref].get("enum", ())) for ref in refs} >= {
        ("left", "right", "bilateral", "midline"), ("",),
    }  # fmt: skip


def test_muscle_tests_pre_and_post_with_duplicates_refused(api, visit):
    url = f"/api/v1/visits/{visit.pk}/muscle-tests/"
    body = {"muscle": "gluteus_medius", "side": "right", "phase": "pre", "result": "inhibited"}
    assert api.post(url, body, format="json").status_code == 201
    assert api.post(url, {**body, "phase": "post", "result": "normal"}, format="json").status_code == 201
    assert api.post(url, body, format="json").status_code == 400
    assert api.post(url, {**body, "phase": "during"}, format="json").status_code == 400


def test_finding_patch_with_versions_and_delete_archives(api, visit):
    finding = FindingFactory(visit=visit)
    url = f"/api/v1/findings/{finding.pk}/"
    assert api.patch(url, {"tenderness": 3, "version": 1}, format="json").status_code == 200
    assert api.patch(url, {"tenderness": 9, "version": 1}, format="json").status_code == 409
    assert api.patch(url, {"tenderness": 9}, format="json", HTTP_IF_MATCH='"1"').status_code == 412
    finding.refresh_from_db()
    assert finding.tenderness == 3
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
    assert api.get(f"/api/v1/visits/{visit.pk}/").json()["findings"] == []


# --- signing and addenda ---------------------------------------------------------------------------------------------


def test_signing_locks_the_visit_and_everything_under_it(api, visit):
    finding = FindingFactory(visit=visit)
    test = MuscleTestFactory(visit=visit)
    api.post(f"/api/v1/visits/{visit.pk}/plan/", {}, format="json")
    signed = api.post(f"/api/v1/visits/{visit.pk}/sign/").json()
    assert signed["status"] == "signed" and signed["signed_by"] == "pat.practitioner" and signed["signed_at"]
    writes = [
        ("patch", f"/api/v1/visits/{visit.pk}/", {"notes": "changed"}),
        ("post", f"/api/v1/visits/{visit.pk}/findings/", finding_payload(muscle="gastrocnemius")),
        ("post", f"/api/v1/visits/{visit.pk}/pain-sites/", {"zone": "calf", "side": "left"}),
        ("post", f"/api/v1/visits/{visit.pk}/muscle-tests/", {"muscle": "soleus", "side": "right", "result": "normal"}),
        ("post", f"/api/v1/visits/{visit.pk}/outcomes/", {"measure": "nprs", "value": 2}),
        ("post", f"/api/v1/visits/{visit.pk}/screening/", {"rule": "SAFE-M-DVT", "result": "negative"}),
        ("patch", f"/api/v1/findings/{finding.pk}/", {"tenderness": 1}),
        ("delete", f"/api/v1/findings/{finding.pk}/", None),
        ("patch", f"/api/v1/muscle-tests/{test.pk}/", {"result": "normal"}),
        ("post", f"/api/v1/visits/{visit.pk}/plan/", {}),
        ("patch", f"/api/v1/visits/{visit.pk}/plan/", {"steps": []}),
        ("post", f"/api/v1/visits/{visit.pk}/plan/confirm/", None),
    ]
    for method, url, body in writes:
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code == 409, (method, url, response.status_code)
        assert "signed" in response.json()["detail"]
    finding.refresh_from_db()
    assert finding.tenderness == 6 and finding.archived_at is None


def test_signing_twice_keeps_the_first_signature(api, visit):
    first = api.post(f"/api/v1/visits/{visit.pk}/sign/").json()
    second = api.post(f"/api/v1/visits/{visit.pk}/sign/").json()
    assert first["signed_at"] == second["signed_at"] and first["version"] == second["version"]


def test_addenda_on_a_signed_visit_keep_the_original_and_show_author_and_time(api, visit):
    api.post(f"/api/v1/visits/{visit.pk}/sign/")
    response = api.post(f"/api/v1/visits/{visit.pk}/addenda/", {"text": "Patient phoned: better."}, format="json")
    assert response.status_code == 201
    assert response.json()["created_by"] == "pat.practitioner" and response.json()["created_at"]
    detail = api.get(f"/api/v1/visits/{visit.pk}/").json()
    assert [a["text"] for a in detail["addenda"]] == ["Patient phoned: better."]
    assert detail["chief_complaint"] == "Heel pain in the morning"
    assert api.post(f"/api/v1/visits/{visit.pk}/addenda/", {"text": ""}, format="json").status_code == 400


# --- analysis and plan -----------------------------------------------------------------------------------------------


@pytest.fixture
def heel_visit(patient):
    visit = VisitFactory(patient=patient)
    PainSiteFactory(visit=visit)
    FindingFactory(visit=visit, muscle="soleus", referral_zones=["plantar_heel"])
    FindingFactory(visit=visit, muscle="tibialis_posterior", status="latent", recognized=False, tenderness=5)
    StressorFactory(patient=patient, kind="rapid_footwear_transition", category="physical_structural")
    return visit


def test_analysis_has_the_contract_shape_and_reasons_with_sources(api, heel_visit):
    body = api.get(f"/api/v1/visits/{heel_visit.pk}/analysis/").json()
    keys = {
        "red_flags",
        "patterns",
        "suspected_sources",
        "remote_drivers",
        "stressors_to_address",
        "recurring",
        "engine_version",
    }
    assert keys <= set(body)
    assert [s["muscle"] for s in body["suspected_sources"]][:2] == ["soleus", "tibialis_posterior"]
    assert {"muscle", "side", "reason", "pattern"} <= set(body["suspected_sources"][0])
    assert body["stressors_to_address"][0]["kind"] == "rapid_footwear_transition"
    assert all(p["sources"] for p in body["patterns"])
    assert {p["kind"] for p in body["patterns"]} <= {"symptom_rule", "kinetic_chain"}


def test_a_positive_blood_clot_screen_is_a_red_flag_and_the_plan_refers_first(api, heel_visit):
    api.post(f"/api/v1/visits/{heel_visit.pk}/screening/", {"rule": "SAFE-M-DVT", "result": "positive"}, format="json")
    analysis = api.get(f"/api/v1/visits/{heel_visit.pk}/analysis/").json()
    assert [f["rule"] for f in analysis["red_flags"]] == ["SAFE-M-DVT"]
    plan = api.post(f"/api/v1/visits/{heel_visit.pk}/plan/", {}, format="json").json()
    assert plan["steps"][0]["kind"] == "refer"
    calf = {"soleus", "gastrocnemius", "tibialis_posterior"}
    assert not [s for s in plan["steps"] if s["muscle"] in calf and s["kind"].startswith("treat")]
    assert not [s for s in plan["steps"] if s["home_care"] and s["muscle"] in calf]


def test_plan_build_reorder_edit_and_confirm(api, heel_visit):
    url = f"/api/v1/visits/{heel_visit.pk}/plan/"
    assert api.get(url).status_code == 404
    plan = api.post(url, {"max_home_care": 2}, format="json").json()
    assert plan["confirmed"] is False and plan["engine_version"] and plan["catalog_version"]
    kinds = [s["kind"] for s in plan["steps"]]
    assert kinds[0] == "address_stressor" and kinds[-1] == "follow_up"
    assert all(
        {"order", "kind", "muscle", "side", "stressor", "rationale", "home_care"} <= set(s) for s in plan["steps"]
    )
    treat = [s for s in plan["steps"] if s["kind"] == "treat_trigger_point"]
    reordered = [plan["steps"][0], *reversed(treat), *plan["steps"][len(treat) + 1 :]]
    reordered[1] = {**reordered[1], "rationale": "Practitioner: start with the deeper point."}
    edited = api.patch(url, {"steps": reordered, "version": plan["version"]}, format="json")
    assert edited.status_code == 200, edited.json()
    steps = edited.json()["steps"]
    assert [s["muscle"] for s in steps if s["kind"] == "treat_trigger_point"] == [t["muscle"] for t in reversed(treat)]
    assert steps[1]["rationale"] == "Practitioner: start with the deeper point."
    assert [s["order"] for s in steps] == list(range(1, len(steps) + 1))
    assert api.patch(url, {"steps": reordered, "version": plan["version"]}, format="json").status_code == 409
    confirmed = api.post(f"{url}confirm/").json()
    assert confirmed["confirmed"] is True and confirmed["confirmed_by"] == "pat.practitioner"
    assert api.post(url, {}, format="json").status_code == 409
    assert TreatmentPlan.objects.get(visit=heel_visit).engine_version == plan["engine_version"]


def test_plan_edit_cannot_add_an_unproposed_treatment_or_drop_a_referral(api, heel_visit):
    api.post(f"/api/v1/visits/{heel_visit.pk}/screening/", {"rule": "SAFE-M-DVT", "result": "positive"}, format="json")
    plan = api.post(f"/api/v1/visits/{heel_visit.pk}/plan/", {}, format="json").json()
    sneaky = {"kind": "treat_trigger_point", "muscle": "soleus", "side": "left", "stressor": None, "rationale": ""}
    response = api.patch(f"/api/v1/visits/{heel_visit.pk}/plan/", {"steps": [*plan["steps"], sneaky]}, format="json")
    assert response.status_code == 400 and "steps" in response.json()
    without_refer = [s for s in plan["steps"] if s["kind"] != "refer"]
    response = api.patch(f"/api/v1/visits/{heel_visit.pk}/plan/", {"steps": without_refer}, format="json")
    assert response.status_code == 400
    assert "referral" in str(response.json())


# --- tenancy -------------------------------------------------------------------------------------------------------


def test_another_clinics_visit_answers_404_on_every_route(api, foreign_visit):
    finding = FindingFactory(visit=foreign_visit)
    test = MuscleTestFactory(visit=foreign_visit)
    v = foreign_visit.pk
    probes = [
        ("get", f"/api/v1/visits/{v}/", None), ("patch", f"/api/v1/visits/{v}/", {"notes": "x"}),
        ("get", f"/api/v1/visits/{v}/findings/", None), ("post", f"/api/v1/visits/{v}/findings/", finding_payload()),
        ("get", f"/api/v1/visits/{v}/pain-sites/", None), ("get", f"/api/v1/visits/{v}/muscle-tests/", None),
        ("get", f"/api/v1/visits/{v}/outcomes/", None), ("get", f"/api/v1/visits/{v}/screening/", None),
        ("get", f"/api/v1/visits/{v}/analysis/", None), ("post", f"/api/v1/visits/{v}/plan/", {}),
        ("get", f"/api/v1/visits/{v}/plan/", None), ("post", f"/api/v1/visits/{v}/sign/", None),
        ("post", f"/api/v1/visits/{v}/addenda/", {"text": "x"}), ("post", f"/api/v1/visits/{v}/plan/confirm/", None),
        ("get", f"/api/v1/findings/{finding.pk}/", None),
        ("patch", f"/api/v1/findings/{finding.pk}/", {"tenderness": 1}),
        ("delete", f"/api/v1/findings/{finding.pk}/", None), ("get", f"/api/v1/muscle-tests/{test.pk}/", None),
    ]  # fmt: skip
    for method, url, body in probes:
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
    foreign_visit.refresh_from_db()
    assert foreign_visit.status == "draft" and foreign_visit.notes == ""


# --- constant query counts -----------------------------------------------------------------------------------------


def count_queries(api, url):
    api.get(url)  # warm the per-process catalog cache
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url).status_code == 200
    return len(ctx.captured_queries)


def build_history(patient, *, visits, findings_per_visit):
    made = []
    for n in range(visits):
        visit = VisitFactory(patient=patient, date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
        muscles = ["soleus", "gastrocnemius", "tibialis_posterior", "gluteus_medius", "quadratus_lumborum"]
        for i in range(findings_per_visit):
            FindingFactory(visit=visit, muscle=muscles[i % 5], side="left", location=f"spot {i}")
        MuscleTestFactory(visit=visit)
        PainSiteFactory(visit=visit)
        made.append(visit)
    return made


def test_visit_detail_and_analysis_use_a_constant_number_of_queries(api, clinic):
    """1 visit with 2 findings, 2 visits, 20 and 50 visits of 40 findings: the count does not grow with history.

    These points are tender at every visit, so the analysis reads past the engine's window of recent visits
    (selectors.HISTORY_WINDOW): once more per kind of child (4 queries), however long the history.
    """
    one = build_history(PatientFactory(clinic=clinic), visits=1, findings_per_visit=2)[-1]
    two = build_history(PatientFactory(clinic=clinic), visits=2, findings_per_visit=2)[-1]
    twenty = build_history(PatientFactory(clinic=clinic), visits=20, findings_per_visit=40)[-1]
    fifty = build_history(PatientFactory(clinic=clinic), visits=50, findings_per_visit=40)[-1]
    for route, beyond_window in (("", 0), ("analysis/", 4)):
        counts = [count_queries(api, f"/api/v1/visits/{v.pk}/{route}") for v in (one, two, twenty, fifty)]
        assert counts[3] == counts[2] <= counts[1] + beyond_window, (route, counts)
        assert counts[1] >= counts[0], (route, counts)
