"""The structured history, prior treatments and observations through the API (issue 23): catalog vocabulary (400 on
an unknown word, nothing saved), versions (409 on a stale one), signed visits (409), tenancy (404), audit, and what
the analysis makes of them."""

import datetime

import pytest

from assessments.models import Observation, VisitHistory
from clinic.models import AuditEvent
from patients.models import PriorTreatment
from tests.factories import (
    FindingFactory,
    ObservationFactory,
    PainSiteFactory,
    StressorFactory,
    TreatmentFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(patient):
    return VisitFactory(patient=patient)


def history_url(visit):
    return f"/api/v1/visits/{visit.pk}/history/"


# --- the history -----------------------------------------------------------------------------------------------------


def test_a_visit_without_history_reads_empty_at_version_0(api, visit):
    body = api.get(history_url(visit)).json()
    assert body["version"] == 0 and body["id"] is None and body["patterns"] == [] and body["mechanism"] == ""


def test_the_history_is_charted_then_changed_with_its_version(api, visit):
    onset = (visit.date - datetime.timedelta(days=20)).isoformat()
    first = api.patch(
        history_url(visit),
        {"onset": onset, "mechanism": "gradual", "patterns": ["morning", "night"], "aggravating": ["sitting"]},
        format="json",
    )
    assert first.status_code == 200, first.json()
    assert first.json()["version"] == 1 and first.json()["patterns"] == ["morning", "night"]
    stale = api.patch(history_url(visit), {"course": "worse", "version": 0}, format="json")
    assert stale.status_code == 409
    changed = api.patch(history_url(visit), {"course": "worse", "version": 1}, format="json")
    assert changed.status_code == 200 and changed.json()["version"] == 2 and changed.json()["onset"] == onset
    assert api.get(f"/api/v1/visits/{visit.pk}/").json()["history"]["course"] == "worse"
    assert VisitHistory.objects.get(visit=visit).aggravating == ["sitting"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mechanism": "lightning"}, "mechanism"),
        ({"patterns": ["night", "at_full_moon"]}, "patterns"),
        ({"patterns": ["night", "night"]}, "patterns"),
        ({"aggravating": "sitting"}, "aggravating"),
        ({"systemic_signs": ["hiccups"]}, "systemic_signs"),
        ({"course": "sideways"}, "course"),
        ({"previous_episodes": -1}, "previous_episodes"),
        ({"onset": "2999-01-01"}, "onset"),
        ({"onset": "1900-01-01"}, "onset"),  # before the patient's birth
    ],
)
def test_unknown_words_and_bad_values_answer_400_and_save_nothing(api, visit, body, field):
    response = api.patch(history_url(visit), body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not VisitHistory.objects.filter(visit=visit).exists()


def test_the_change_it_came_after_is_one_of_this_patients_stressors(api, visit, foreign_patient):
    own = StressorFactory(patient=visit.patient, kind="rapid_footwear_transition")
    foreign = StressorFactory(patient=foreign_patient)
    refused = api.patch(
        history_url(visit), {"mechanism": "after_change", "change_stressor": str(foreign.pk)}, format="json"
    )
    assert refused.status_code == 400 and "change_stressor" in refused.json()
    not_a_change = api.patch(
        history_url(visit), {"mechanism": "gradual", "change_stressor": str(own.pk)}, format="json"
    )
    assert not_a_change.status_code == 400
    saved = api.patch(history_url(visit), {"mechanism": "after_change", "change_stressor": str(own.pk)}, format="json")
    assert saved.status_code == 200 and saved.json()["change_stressor"] == str(own.pk)


def test_a_signed_visits_history_is_read_only(api, visit):
    visit.status, visit.signed_at = "signed", visit.created_at
    visit.save()
    assert api.patch(history_url(visit), {"course": "better"}, format="json").status_code == 409
    assert not VisitHistory.objects.filter(visit=visit).exists()


def test_another_clinics_visit_history_is_404(api, foreign_patient):
    foreign = VisitFactory(patient=foreign_patient)
    assert api.get(history_url(foreign)).status_code == 404
    assert api.patch(history_url(foreign), {"course": "better"}, format="json").status_code == 404
    assert not VisitHistory.objects.exists()


def test_charting_the_history_is_audited(api, visit):
    api.patch(history_url(visit), {"course": "better"}, format="json")
    event = AuditEvent.objects.filter(route="visit-history").latest("at")
    assert (event.method, event.status, event.patient_id) == ("PATCH", 200, visit.patient_id)


# --- observations ----------------------------------------------------------------------------------------------------


def test_observations_are_charted_edited_and_removed(api, visit):
    url = f"/api/v1/visits/{visit.pk}/observations/"
    created = api.post(url, {"kind": "reduced_arm_swing", "side": "left", "detail": "clear at speed"}, format="json")
    assert created.status_code == 201, created.json()
    oid = created.json()["id"]
    assert api.post(url, {"kind": "reduced_arm_swing", "side": "left"}, format="json").status_code == 400  # twice
    assert api.post(url, {"kind": "tail_wagging", "side": "left"}, format="json").status_code == 400
    assert api.patch(f"/api/v1/observations/{oid}/", {"side": "right", "version": 7}, format="json").status_code == 409
    edited = api.patch(f"/api/v1/observations/{oid}/", {"side": "right", "version": 1}, format="json")
    assert edited.status_code == 200 and edited.json()["side"] == "right"
    assert [o["kind"] for o in api.get(url).json()["results"]] == ["reduced_arm_swing"]
    assert api.delete(f"/api/v1/observations/{oid}/").status_code == 204
    assert api.get(url).json()["results"] == []
    assert Observation.objects.filter(pk=oid, archived_at__isnull=False).exists()  # archived, never lost


def test_another_clinics_observation_is_404(api, foreign_patient):
    foreign = ObservationFactory(visit=VisitFactory(patient=foreign_patient))
    assert api.get(f"/api/v1/observations/{foreign.pk}/").status_code == 404
    assert api.patch(f"/api/v1/observations/{foreign.pk}/", {"side": "right"}, format="json").status_code == 404


# --- prior treatments ------------------------------------------------------------------------------------------------


def test_treatments_are_charted_on_the_patient(api, patient):
    url = f"/api/v1/patients/{patient.pk}/treatments/"
    body = {
        "kind": "self_rolling",
        "zone": "plantar_heel",
        "frequency": "daily",
        "intensity": "hard",
        "since": "2026-01-05",
    }
    created = api.post(url, body, format="json")
    assert created.status_code == 201, created.json()
    assert api.post(url, {**body, "kind": "voodoo"}, format="json").status_code == 400
    assert api.post(url, {**body, "frequency": "hourly"}, format="json").status_code == 400
    assert api.post(url, {**body, "ended_on": "2026-01-01"}, format="json").status_code == 400  # before it began
    tid = created.json()["id"]
    assert (
        api.patch(f"/api/v1/treatments/{tid}/", {"response": "worse", "version": 3}, format="json").status_code == 409
    )
    assert (
        api.patch(f"/api/v1/treatments/{tid}/", {"response": "worse", "version": 1}, format="json").status_code == 200
    )
    assert PriorTreatment.objects.filter(patient=patient).count() == 1


def test_another_clinics_treatments_are_404(api, foreign_patient):
    foreign = TreatmentFactory(patient=foreign_patient)
    assert api.get(f"/api/v1/patients/{foreign_patient.pk}/treatments/").status_code == 404
    assert api.get(f"/api/v1/treatments/{foreign.pk}/").status_code == 404


# --- what the analysis makes of them ---------------------------------------------------------------------------------


def test_the_analysis_names_the_left_shoulder_link_for_reduced_left_arm_swing_and_right_hip_pain(api, visit):
    PainSiteFactory(visit=visit, zone="lateral_hip_trochanter", side="right", primary=True)
    FindingFactory(visit=visit, muscle="infraspinatus", side="left", referral_zones=[])
    api.post(f"/api/v1/visits/{visit.pk}/observations/", {"kind": "reduced_arm_swing", "side": "left"}, format="json")
    analysis = api.get(f"/api/v1/visits/{visit.pk}/analysis/").json()
    (link,) = [p for p in analysis["patterns"] if p["id"] == "KC-X1"]
    assert any("reduced arm swing (left)" in e for e in link["evidence"])
    assert [(d["muscle"], d["side"]) for d in analysis["remote_drivers"]] == [("infraspinatus", "left")]


def test_daily_hard_self_rolling_withholds_home_care_until_it_stops(api, visit):
    PainSiteFactory(visit=visit, zone="plantar_heel", side="left", primary=True)
    FindingFactory(visit=visit, muscle="soleus", side="left")
    treatment = TreatmentFactory(patient=visit.patient)  # daily, hard, on the heel
    plan = api.post(f"/api/v1/visits/{visit.pk}/plan/", {}, format="json").json()
    assert all(step["home_care"] is None for step in plan["steps"])
    api.patch(f"/api/v1/treatments/{treatment.pk}/", {"intensity": "gentle"}, format="json")
    rebuilt = api.post(f"/api/v1/visits/{visit.pk}/plan/", {"rebuild": True}, format="json").json()
    assert any(step["home_care"] for step in rebuilt["steps"])
