"""Clinical safety through the public API: acute injuries and fracture screens by side, the abdominal screen before
psoas work, and recurrence that agrees across the analysis, the comparison and the progress series."""

import datetime

import pytest
from django.utils import timezone

from catalog.store import read_files

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()  # the clinic's today (the test clinic is in the default zone, UTC)
LOWER_LIMB = {"soleus", "fibularis_longus_brevis", "vastus_lateralis", "gluteus_minimus", "gastrocnemius"}


def new_visit(api, patient, days_ago=0, **fields):
    date = (TODAY - datetime.timedelta(days=days_ago)).isoformat()
    response = api.post("/api/v1/visits/", {"patient": str(patient.pk), "date": date, **fields}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def chart(api, visit_id, kind, *rows):
    for row in rows:
        response = api.post(f"/api/v1/visits/{visit_id}/{kind}/", row, format="json")
        assert response.status_code == 201, response.json()


def point(muscle, side="left", tenderness=7, **extra):
    return {"muscle": muscle, "side": side, "tenderness": tenderness, "status": "active", **extra}


def plan_steps(api, visit_id):
    response = api.post(f"/api/v1/visits/{visit_id}/plan/", {}, format="json")
    assert response.status_code in (200, 201), response.json()
    return response.json()["steps"]


def treatment(steps):
    return {(s["muscle"], s["side"]): s for s in steps if s["kind"] in ("treat_remote_driver", "treat_trigger_point")}


@pytest.fixture
def fall(api, patient):
    """Two days after a fall on the left ankle: leg and neck pain charted."""
    injury = {
        "zone": "lateral_ankle", "side": "left", "description": "fell down two stairs", "painful_now": True,
        "occurred_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
    }  # fmt: skip
    assert api.post(f"/api/v1/patients/{patient.pk}/injuries/", injury, format="json").status_code == 201
    visit_id = new_visit(api, patient, chief_complaint="Leg and neck pain after a fall")
    chart(
        api, visit_id, "pain-sites",
        {"zone": "lateral_leg", "side": "left", "nprs": 6, "primary": True},
        {"zone": "posterior_neck", "side": "right", "nprs": 4},
    )  # fmt: skip
    chart(
        api, visit_id, "findings",
        point("fibularis_longus_brevis", recognized=True), point("soleus"), point("gluteus_minimus"),
        point("trapezius_upper", "right", recognized=True),
    )  # fmt: skip
    chart(api, visit_id, "screening", {"rule": "SAFE-M-CAD", "result": "negative"})
    return visit_id


def test_a_fresh_fracture_screen_leaves_no_treatment_or_self_care_on_that_leg_and_the_neck_still_planned(api, fall):
    chart(api, fall, "screening", {"rule": "SAFE-M-FRACTURE-ANKLE-FOOT", "result": "positive", "side": "left"})
    analysis = api.get(f"/api/v1/visits/{fall}/analysis/").json()
    assert [(f["rule"], f["side"]) for f in analysis["red_flags"]] == [("SAFE-M-FRACTURE-ANKLE-FOOT", "left")]
    steps = plan_steps(api, fall)
    assert steps[0]["kind"] == "refer"
    for step in steps:
        assert not (step["muscle"] in LOWER_LIMB and step["side"] == "left"), step
        care = step["home_care"]
        assert not (care and care["muscle"] in LOWER_LIMB and care["side"] == "left"), step
    neck = treatment(steps)[("trapezius_upper", "right")]
    assert neck["home_care"] is not None and neck["pending_screens"] == []


def test_an_unscreened_fresh_injury_names_the_missing_screen_and_holds_the_leg_until_it_is_negative(api, fall):
    analysis = api.get(f"/api/v1/visits/{fall}/analysis/").json()
    needed = {(n["rule"], n["side"]) for n in analysis["screens_needed"]}
    assert ("SAFE-M-FRACTURE-ANKLE-FOOT", "left") in needed
    assert not any(d["muscle"] == "soleus" for d in analysis["remote_drivers"]), "an acute injury drives nothing"
    fibularis = treatment(plan_steps(api, fall))[("fibularis_longus_brevis", "left")]
    assert fibularis["pending_screens"] == ["SAFE-M-FRACTURE-ANKLE-FOOT"] and fibularis["home_care"] is None
    chart(api, fall, "screening", {"rule": "SAFE-M-FRACTURE-ANKLE-FOOT", "result": "negative", "side": "left"})
    fibularis = treatment(plan_steps(api, fall))[("fibularis_longus_brevis", "left")]
    assert fibularis["pending_screens"] == []
    assert fibularis["home_care"] is None, "self-care stays off the injured region itself (SAFE-S1)"


def test_a_right_side_problem_is_treatable_beside_a_left_side_red_flag(api, patient):
    visit_id = new_visit(api, patient, chief_complaint="Right hip pain")
    chart(api, visit_id, "pain-sites", {"zone": "lateral_hip_trochanter", "side": "right", "nprs": 6, "primary": True})
    chart(api, visit_id, "findings", point("gluteus_minimus", "right", recognized=True))
    chart(api, visit_id, "screening", {"rule": "SAFE-M-FRACTURE-ANKLE-FOOT", "result": "positive", "side": "left"})
    steps = treatment(plan_steps(api, visit_id))
    assert steps[("gluteus_minimus", "right")]["home_care"] is not None


@pytest.fixture
def low_back(api, patient):
    visit_id = new_visit(api, patient, chief_complaint="Low back pain")
    chart(api, visit_id, "pain-sites", {"zone": "lumbar", "side": "bilateral", "nprs": 6, "primary": True})
    chart(api, visit_id, "findings", point("quadratus_lumborum", recognized=True), point("iliopsoas", "right", 6))
    return visit_id


def test_psoas_without_the_abdominal_screen_is_pending_and_with_it_negative_is_planned_without_self_care(api, low_back):
    analysis = api.get(f"/api/v1/visits/{low_back}/analysis/").json()
    assert "SAFE-M-ABDOMEN" in {n["rule"] for n in analysis["screens_needed"]}
    psoas = treatment(plan_steps(api, low_back))[("iliopsoas", "right")]
    assert psoas["pending_screens"] == ["SAFE-M-ABDOMEN"] and psoas["home_care"] is None
    assert psoas["rationale"].startswith("Screen first")
    chart(api, low_back, "screening", {"rule": "SAFE-M-ABDOMEN", "result": "negative"})
    psoas = treatment(plan_steps(api, low_back))[("iliopsoas", "right")]
    assert psoas["pending_screens"] == [] and psoas["home_care"] is None


def vastus_lateralis_over(api, patient, tenderness):
    ids = []
    for index, value in enumerate(tenderness):
        visit_id = new_visit(api, patient, days_ago=14 * (len(tenderness) - 1 - index))
        chart(api, visit_id, "pain-sites", {"zone": "lateral_thigh", "side": "left", "nprs": 5})
        chart(api, visit_id, "findings", point("vastus_lateralis", tenderness=value))
        ids.append(visit_id)
    return ids


@pytest.mark.parametrize(
    ("tenderness", "recurring", "change"),
    [
        pytest.param([7, 3], False, "improved", id="7-3-improving"),
        pytest.param([7, 7, 6], True, "unchanged", id="7-7-6-recurring"),
    ],
)
def test_recurring_and_improving_agree_in_analysis_comparison_and_progress(api, patient, tenderness, recurring, change):
    ids = vastus_lateralis_over(api, patient, tenderness)
    analysis = api.get(f"/api/v1/visits/{ids[-1]}/analysis/").json()
    assert bool(analysis["recurring"]) is recurring
    compared = api.get(f"/api/v1/visits/{ids[-1]}/compare/").json()
    (finding,) = compared["findings"]
    assert (finding["change"], finding["recurring"]) == (change, recurring)
    (series,) = api.get(f"/api/v1/patients/{patient.pk}/progress/").json()["points"]
    assert (series["recurring"], series["improving"]) == (recurring, change == "improved")
    follow_up = next(s for s in plan_steps(api, ids[-1]) if s["kind"] == "follow_up")
    assert ("tender at 3 consecutive visits" in follow_up["rationale"]) is recurring


def test_a_third_less_pain_is_an_important_change_by_percent(api, patient):
    first = new_visit(api, patient, days_ago=14)
    chart(api, first, "pain-sites", {"zone": "lumbar", "side": "midline", "nprs": 3, "primary": True})
    second = new_visit(api, patient)
    chart(api, second, "pain-sites", {"zone": "lumbar", "side": "midline", "nprs": 2, "primary": True})
    body = api.get(f"/api/v1/visits/{second}/compare/").json()
    (pain,) = body["pain_sites"]
    assert pain["change"] == "improved" and body["summary"] == "improved"


def sheet_text(api, visit_id):
    from tests.assessments.documents.helpers import pdf_text

    response = api.get(f"/api/v1/visits/{visit_id}/home-care.pdf")
    assert response.status_code == 200
    return pdf_text(b"".join(response.streaming_content) if response.streaming else response.content)


def test_the_sheet_never_carries_a_step_pending_its_screen(api, patient):
    visit_id = new_visit(api, patient, chief_complaint="Low back pain")
    chart(api, visit_id, "pain-sites", {"zone": "lumbar", "side": "bilateral", "nprs": 6, "primary": True})
    chart(api, visit_id, "findings", point("rectus_abdominis", "right", recognized=True))
    plan_steps(api, visit_id)
    assert "rectus abdominis" not in sheet_text(api, visit_id).lower()


ERECTOR = next(m for m in read_files()["muscles"] if m["slug"] == "erector_spinae")
L1_SPOT = [*ERECTOR["patient"]["spots"], "", ""][1]  # iliocostalis lumborum at about L1, in the patient's words


@pytest.mark.parametrize(
    ("location", "where"),
    [
        pytest.param("iliocostalis lumborum L1", L1_SPOT, id="charted-and-in-the-catalog"),
        pytest.param("between the shoulder blades", "The spot your practitioner showed you.", id="not-in-catalog"),
    ],
)
def test_the_sheet_says_where_the_point_was_charted_or_that_the_practitioner_will_show_it(
    api, patient, location, where
):
    visit_id = new_visit(api, patient, chief_complaint="Low back pain")
    chart(api, visit_id, "pain-sites", {"zone": "lumbar", "side": "left", "nprs": 6, "primary": True})
    chart(api, visit_id, "findings", point("erector_spinae", location=location, recognized=True))
    (step,) = [s for s in plan_steps(api, visit_id) if s["muscle"] == "erector_spinae"]
    assert step["home_care"] is not None
    text = " ".join(sheet_text(api, visit_id).split())
    assert where and where in text
    assert "between the shoulder blades" not in text.lower() or location == "between the shoulder blades"
