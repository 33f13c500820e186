"""A plan that keeps up with the chart, through the API: stale after new findings, rebuild that says what changed,
the practitioner's own steps (never around the red-flag screens), and muscle tests in the analysis and the plan."""

import pytest

from assessments.engine.version import ENGINE_VERSION
from assessments.models import TreatmentPlan
from tests.factories import FindingFactory, MuscleTestFactory, PainSiteFactory, StressorFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heel_visit(patient):
    visit = VisitFactory(patient=patient)
    PainSiteFactory(visit=visit)
    FindingFactory(visit=visit, muscle="soleus", referral_zones=["plantar_heel"])
    FindingFactory(visit=visit, muscle="tibialis_posterior", status="latent", recognized=False, tenderness=5)
    StressorFactory(patient=patient, kind="rapid_footwear_transition", category="physical_structural")
    return visit


def url(visit, tail=""):
    return f"/api/v1/visits/{visit.pk}/plan/{tail}"


def chart_finding(api, visit, **fields):
    body = {"side": "left", "tenderness": 6, "status": "active", **fields}
    response = api.post(f"/api/v1/visits/{visit.pk}/findings/", body, format="json")
    assert response.status_code == 201, response.json()


def confirmed_plan(api, visit):
    assert api.post(url(visit), {}, format="json").status_code == 200
    return api.post(url(visit, "confirm/")).json()


# --- out of date -------------------------------------------------------------------------------------------------


def test_a_plan_is_up_to_date_until_a_new_finding_changes_the_analysis(api, heel_visit):
    plan = confirmed_plan(api, heel_visit)
    assert (plan["stale"], plan["what_changed"], plan["last_rebuild"]) == (False, None, None)
    assert api.get(url(heel_visit)).json()["stale"] is False
    chart_finding(api, heel_visit, muscle="abductor_hallucis", tenderness=6)
    body = api.get(url(heel_visit)).json()
    assert body["stale"] is True and body["confirmed"] is True
    changed = body["what_changed"]
    assert "New suspected source: Abductor hallucis (left)" in changed["summary"]
    assert [s["label"] for s in changed["steps_added"]] == ["Treat trigger point: Abductor hallucis (left)"]
    assert changed["steps_added"][0] == {
        "kind": "treat_trigger_point", "muscle": "abductor_hallucis", "side": "left", "stressor": None,
        "custom": False, "label": "Treat trigger point: Abductor hallucis (left)",
    }  # fmt: skip


def test_a_positive_red_flag_after_confirming_makes_the_plan_stale_with_the_referral_a_rebuild_adds(api, heel_visit):
    confirmed_plan(api, heel_visit)
    api.post(
        f"/api/v1/visits/{heel_visit.pk}/screening/",
        {"rule": "SAFE-M-DVT", "side": "left", "result": "positive"},
        format="json",
    )
    changed = api.get(url(heel_visit)).json()["what_changed"]
    assert any(line.startswith("Red flag now positive: SAFE-M-DVT") for line in changed["summary"])
    assert "Refer" in [s["label"] for s in changed["steps_added"]]
    assert "Treat trigger point: Soleus (left)" in [s["label"] for s in changed["steps_removed"]]


def test_a_signed_visits_plan_is_the_record_and_never_stale(api, heel_visit):
    confirmed_plan(api, heel_visit)
    chart_finding(api, heel_visit, muscle="abductor_hallucis")
    api.post(f"/api/v1/visits/{heel_visit.pk}/sign/")
    assert api.get(url(heel_visit)).json()["stale"] is False


# --- rebuild -----------------------------------------------------------------------------------------------------


def test_a_confirmed_plan_rebuilds_only_when_asked_and_returns_to_proposed_with_what_changed(api, heel_visit):
    confirmed_plan(api, heel_visit)
    chart_finding(api, heel_visit, muscle="abductor_hallucis")
    refused = api.post(url(heel_visit), {}, format="json")
    assert refused.status_code == 409 and "rebuild" in str(refused.json())
    rebuilt = api.post(url(heel_visit), {"rebuild": True}, format="json")
    assert rebuilt.status_code == 200, rebuilt.json()
    body = rebuilt.json()
    assert (body["confirmed"], body["confirmed_by"], body["stale"]) == (False, None, False)
    assert body["last_rebuild"]["was_confirmed"] is True and body["last_rebuild"]["by"] == "pat.practitioner"
    assert [s["label"] for s in body["last_rebuild"]["added"]] == ["Treat trigger point: Abductor hallucis (left)"]
    assert body["last_rebuild"]["removed"] == []
    assert api.get(url(heel_visit)).json()["last_rebuild"] == body["last_rebuild"]
    assert api.post(url(heel_visit), {"rebuild": "yes"}, format="json").status_code == 400


def test_a_rebuild_keeps_the_practitioners_notes_for_the_patient_and_edited_reasons_and_says_what_moved(
    api, heel_visit
):
    plan = api.post(url(heel_visit), {}, format="json").json()
    treat = [s for s in plan["steps"] if s["kind"] == "treat_trigger_point"]
    stressor = plan["steps"][0]
    edited = [stressor, *reversed(treat), *plan["steps"][len(treat) + 1 :]]
    edited[1] = {**edited[1], "rationale": "Practitioner: the deeper point first.", "patient_note": "Go gently."}
    patched = api.patch(url(heel_visit), {"steps": edited, "version": plan["version"]}, format="json")
    assert patched.status_code == 200, patched.json()
    api.post(url(heel_visit, "confirm/"))
    chart_finding(api, heel_visit, muscle="abductor_hallucis")
    body = api.post(url(heel_visit), {"rebuild": True}, format="json").json()
    moved_muscle = edited[1]["muscle"]
    step = next(s for s in body["steps"] if s["muscle"] == moved_muscle and s["kind"] == "treat_trigger_point")
    assert (step["rationale"], step["patient_note"], step["edited"]) == (
        "Practitioner: the deeper point first.", "Go gently.", True,
    )  # fmt: skip
    rebuild = body["last_rebuild"]
    assert (rebuild["kept_patient_notes"], rebuild["kept_rationales"]) == (1, 1)
    assert rebuild["moved"], "the engine's order is back: the practitioner's reordering shows as moved"
    assert {m["muscle"] for m in rebuild["moved"]} <= {t["muscle"] for t in treat}


# --- the practitioner's own step ---------------------------------------------------------------------------------


def test_a_step_of_the_practitioners_own_for_a_charted_unlinked_muscle(api, heel_visit):
    FindingFactory(visit=heel_visit, muscle="tensor_fasciae_latae", side="right", tenderness=5, status="unknown",
                   taut_band=False, recognized=False, location="anterior hip")  # fmt: skip
    plan = api.post(url(heel_visit), {}, format="json").json()
    assert "tensor_fasciae_latae" not in {s["muscle"] for s in plan["steps"]}
    body = {"muscle": "tensor_fasciae_latae", "side": "right", "reason": "Tight and tender; I treat it.",
            "patient_note": "Roll the side of the hip gently.", "version": plan["version"]}  # fmt: skip
    response = api.post(url(heel_visit, "steps/"), body, format="json")
    assert response.status_code == 201, response.json()
    steps = response.json()["steps"]
    own = next(s for s in steps if s["custom"])
    assert (own["kind"], own["muscle"], own["side"], own["rule_ids"], own["sources"]) == (
        "treat_trigger_point", "tensor_fasciae_latae", "right", [], [],
    )  # fmt: skip
    assert own["reason"] == "Tight and tender; I treat it." and own["rationale"].startswith(own["reason"])
    assert own["patient_note"] == "Roll the side of the hip gently."
    assert own["home_care"] is not None and own["home_care"]["muscle"] == "tensor_fasciae_latae"
    kinds = [s["kind"] for s in steps]
    assert kinds.index("retest") == steps.index(own) + 1, "after the treatment steps, before the retest"
    assert [s["order"] for s in steps] == list(range(1, len(steps) + 1))
    assert all(not s["custom"] for s in steps if s is not own)


def test_a_step_for_a_muscle_only_tested_inhibited_gets_no_self_care_and_says_why(api, heel_visit):
    MuscleTestFactory(visit=heel_visit, muscle="gluteus_medius", side="right", result="inhibited")
    plan = api.post(url(heel_visit), {}, format="json").json()
    body = {"muscle": "gluteus_medius", "side": "right", "reason": "Inhibited; treat it.", "version": plan["version"]}
    own = next(s for s in api.post(url(heel_visit, "steps/"), body, format="json").json()["steps"] if s["custom"])
    assert own["home_care"] is None and "muscle test only" in own["rationale"]


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        pytest.param({"muscle": "tensor_fasciae_latae", "side": "right"}, "reason", "required", id="no-reason"),
        pytest.param({"muscle": "tensor_fasciae_latae", "side": "right", "reason": ""}, "reason", "blank",
                     id="blank-reason"),
        pytest.param({"muscle": "tensor_fasciae_latae", "side": "right", "reason": "   "}, "reason", "",
                     id="whitespace-reason"),
        pytest.param({"muscle": "tensor_fasciae_latae", "side": "left", "reason": "Why not."}, "muscle",
                     "not charted", id="side-not-charted"),
        pytest.param({"muscle": "piriformis", "side": "right", "reason": "Why not."}, "muscle", "not charted",
                     id="muscle-not-charted"),
        pytest.param({"muscle": "soleus", "side": "left", "reason": "Twice."}, "muscle", "already treats",
                     id="already-a-step"),
        pytest.param({"muscle": "no_such_muscle", "side": "right", "reason": "Why."}, "muscle", "", id="unknown"),
    ],
)  # fmt: skip
def test_a_step_of_ones_own_is_refused_with_the_reason_and_nothing_saved(api, heel_visit, body, field, says):
    FindingFactory(visit=heel_visit, muscle="tensor_fasciae_latae", side="right", tenderness=5)
    plan = api.post(url(heel_visit), {}, format="json").json()
    response = api.post(url(heel_visit, "steps/"), body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert says in " ".join(response.json()[field])
    assert TreatmentPlan.objects.get(visit=heel_visit).version == plan["version"]


def test_a_muscle_in_an_area_a_positive_red_flag_blocks_is_refused(api, heel_visit):
    FindingFactory(visit=heel_visit, muscle="tensor_fasciae_latae", side="right", tenderness=5)
    api.post(
        f"/api/v1/visits/{heel_visit.pk}/screening/",
        {"rule": "SAFE-M-DVT", "side": "right", "result": "positive"},
        format="json",
    )
    plan = api.post(url(heel_visit), {}, format="json").json()
    body = {"muscle": "tensor_fasciae_latae", "side": "right", "reason": "I want to.", "version": plan["version"]}
    response = api.post(url(heel_visit, "steps/"), body, format="json")
    assert response.status_code == 400
    message = " ".join(response.json()["muscle"])
    assert "SAFE-M-DVT" in message and "red-flag" in message and "TO-00" in message
    assert not any(s.get("custom") for s in TreatmentPlan.objects.get(visit=heel_visit).steps)


def test_a_step_of_ones_own_on_a_signed_visit_or_a_confirmed_plan_is_a_conflict(api, heel_visit):
    FindingFactory(visit=heel_visit, muscle="tensor_fasciae_latae", side="right", tenderness=5)
    body = {"muscle": "tensor_fasciae_latae", "side": "right", "reason": "Tight."}
    confirmed_plan(api, heel_visit)
    assert api.post(url(heel_visit, "steps/"), body, format="json").status_code == 409
    api.post(f"/api/v1/visits/{heel_visit.pk}/sign/")
    response = api.post(url(heel_visit, "steps/"), body, format="json")
    assert response.status_code == 409
    assert not any(s.get("custom") for s in TreatmentPlan.objects.get(visit=heel_visit).steps)


def test_a_stale_version_adds_no_step(api, heel_visit):
    FindingFactory(visit=heel_visit, muscle="tensor_fasciae_latae", side="right", tenderness=5)
    plan = api.post(url(heel_visit), {}, format="json").json()
    api.patch(url(heel_visit), {"patient_note": "Walk daily.", "version": plan["version"]}, format="json")
    body = {"muscle": "tensor_fasciae_latae", "side": "right", "reason": "Tight.", "version": plan["version"]}
    assert api.post(url(heel_visit, "steps/"), body, format="json").status_code == 409
    assert not any(s.get("custom") for s in TreatmentPlan.objects.get(visit=heel_visit).steps)


def test_own_steps_are_moved_and_dropped_with_patch_but_only_added_through_their_route(api, heel_visit):
    FindingFactory(visit=heel_visit, muscle="tensor_fasciae_latae", side="right", tenderness=5)
    plan = api.post(url(heel_visit), {}, format="json").json()
    body = {"muscle": "tensor_fasciae_latae", "side": "right", "reason": "Tight.", "version": plan["version"]}
    plan = api.post(url(heel_visit, "steps/"), body, format="json").json()
    own = next(s for s in plan["steps"] if s["custom"])
    moved = [own, *(s for s in plan["steps"] if s is not own)]
    patched = api.patch(url(heel_visit), {"steps": moved, "version": plan["version"]}, format="json")
    assert patched.status_code == 200, patched.json()
    first = patched.json()["steps"][0]
    assert (first["custom"], first["reason"], first["rule_ids"]) == (True, "Tight.", [])
    sneaky = {**own, "muscle": "gluteus_medius"}
    response = api.patch(url(heel_visit), {"steps": [*patched.json()["steps"], sneaky]}, format="json")
    assert response.status_code == 400 and "plan/steps" in str(response.json())
    laundered = {**own, "custom": False}
    response = api.patch(url(heel_visit), {"steps": [laundered]}, format="json")
    assert response.status_code == 400 and "not proposed" in str(response.json())


def test_a_rebuild_keeps_an_own_step_and_drops_it_once_a_red_flag_blocks_its_area(api, heel_visit):
    FindingFactory(visit=heel_visit, muscle="tensor_fasciae_latae", side="right", tenderness=5)
    plan = api.post(url(heel_visit), {}, format="json").json()
    body = {"muscle": "tensor_fasciae_latae", "side": "right", "reason": "Tight.", "patient_note": "Gently.",
            "version": plan["version"]}  # fmt: skip
    api.post(url(heel_visit, "steps/"), body, format="json")
    kept = api.post(url(heel_visit), {}, format="json").json()
    own = [s for s in kept["steps"] if s["custom"]]
    assert [(s["muscle"], s["patient_note"], s["reason"]) for s in own] == [
        ("tensor_fasciae_latae", "Gently.", "Tight.")
    ]
    assert kept["last_rebuild"]["removed"] == [] and kept["last_rebuild"]["kept_patient_notes"] == 1
    api.post(
        f"/api/v1/visits/{heel_visit.pk}/screening/",
        {"rule": "SAFE-M-DVT", "side": "right", "result": "positive"},
        format="json",
    )
    rebuilt = api.post(url(heel_visit), {}, format="json").json()
    assert not any(s["custom"] for s in rebuilt["steps"])
    (dropped,) = rebuilt["last_rebuild"]["removed"]
    assert dropped["custom"] is True and dropped["reason"] == "Tight." and "SAFE-M-DVT" in dropped["why"]


# --- muscle tests in the analysis and the plan -------------------------------------------------------------------


def test_an_inhibited_gluteus_medius_is_analysed_and_planned_as_practitioner_judgement(api, patient):
    visit = VisitFactory(patient=patient)
    PainSiteFactory(visit=visit, zone="lateral_hip_trochanter", side="right")
    MuscleTestFactory(visit=visit, muscle="gluteus_medius", side="right", result="inhibited")
    analysis = api.get(f"/api/v1/visits/{visit.pk}/analysis/").json()
    (source,) = analysis["suspected_sources"]
    assert (source["muscle"], source["basis"], source["finding_id"]) == ("gluteus_medius", "muscle_test", "")
    assert "TO-05" in source["rule_ids"] and "practitioner judgement" in source["reason"]
    assert analysis["engine_version"] == ENGINE_VERSION
    assert [c["muscle"] for c in analysis["charted"]] == ["gluteus_medius"]
    steps = api.post(url(visit), {}, format="json").json()["steps"]
    (treat,) = [s for s in steps if s["kind"] == "treat_trigger_point"]
    assert treat["muscle"] == "gluteus_medius" and treat["custom"] is False and "TO-05" in treat["rule_ids"]


def test_the_schema_documents_the_rebuild_and_the_own_step_route(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content.decode()
    assert "/api/v1/visits/{id}/plan/steps/" in schema
    for word in ("rebuild", "what_changed", "last_rebuild", "stale", "PlanStepInput"):
        assert word in schema, word
