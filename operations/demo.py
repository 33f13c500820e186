"""The demo clinic: made-up patients with stressors, old injuries, treatments tried and charted visits (with their
history and posture and gait) that show what the product reasons about."""

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from clinic.models import Role
from clinic.services import clinic_get_or_create, member_add
from patients import services as patient_services
from patients.models import Patient

DEMO_CLINIC = "Demo Manual Therapy Clinic"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "trigger-point-demo"

_PATIENTS: list[dict[str, Any]] = [
    {
        "patient": {
            "first_name": "Maria", "last_name": "Lopez", "date_of_birth": datetime.date(1986, 4, 12), "sex": "female",
            "occupation": "Teacher", "activities": "Runs 30 km a week",
            "notes": "Heel pain on first steps in the morning for 6 weeks.",
        },
        "stressors": [
            {"kind": "rapid_footwear_transition", "severity": 3, "detail": "Switched to minimalist shoes 3 months ago",
             "onset": datetime.date(2026, 8, 20)},
            {"kind": "inadequate_recovery", "severity": 2, "detail": "No rest days"},
        ],
        "injuries": [{"zone": "lateral_ankle", "side": "left", "occurred_on": datetime.date(2019, 6, 1),
                      "description": "Ankle sprain, walked on it", "painful_now": False}],
        "treatments": [
            {"kind": "self_rolling", "zone": "plantar_heel", "side": "left", "frequency": "daily",
             "intensity": "moderate", "response": "temporary", "detail": "Golf ball under the foot in the morning"},
            {"kind": "orthotics", "zone": "arch_instep", "side": "left", "response": "no_change",
             "detail": "Off-the-shelf arch supports"},
        ],
        "visits": [
            {"days_ago": 14, "kind": "initial", "sign": True,
             "history": {"weeks_ago": 6, "mechanism": "after_change", "course": "worse", "patterns": ["morning"],
                         "aggravating": ["first_steps", "running"], "easing": ["movement"], "previous_episodes": 0},
             "complaint": "Left heel pain on first steps in the morning",
             "pain": [{"zone": "plantar_heel", "side": "left", "nprs": 7, "primary": True}],
             "findings": [
                 {"muscle": "soleus", "side": "left", "location": "belly", "tenderness": 8, "taut_band": True,
                  "recognized": True, "status": "active", "referral_zones": ["plantar_heel"], "treated": True,
                  "technique": "hold", "response": "improved"},
                 {"muscle": "tibialis_posterior", "side": "left", "location": "proximal", "tenderness": 6,
                  "taut_band": True, "status": "latent"},
                 {"muscle": "gastrocnemius", "side": "left", "location": "medial head", "tenderness": 5,
                  "status": "latent"}],
             "tests": [{"muscle": "soleus", "side": "left", "phase": "pre", "result": "inhibited"},
                       {"muscle": "soleus", "side": "left", "phase": "post", "result": "normal"}],
             "screens": [{"rule": "SAFE-M-DVT", "result": "negative"},
                         {"rule": "SAFE-M-FRACTURE-STRESS", "result": "negative"}]},
            {"days_ago": 0, "kind": "follow_up", "complaint": "Heel better, still sore after long runs",
             "pain": [{"zone": "plantar_heel", "side": "left", "nprs": 4, "primary": True}],
             "findings": [
                 {"muscle": "soleus", "side": "left", "location": "belly", "tenderness": 5, "taut_band": True,
                  "recognized": True, "status": "active", "referral_zones": ["plantar_heel"]}],
             "tests": [{"muscle": "soleus", "side": "left", "phase": "pre", "result": "normal"}],
             "screens": [{"rule": "SAFE-M-DVT", "result": "negative"}]},
        ],
    },
    {
        "patient": {
            "first_name": "James", "last_name": "Okafor", "date_of_birth": datetime.date(1974, 11, 3), "sex": "male",
            "occupation": "Electrician", "activities": "Tennis on weekends",
            "notes": "Right lateral thigh and knee pain when walking downhill.",
        },
        "stressors": [{"kind": "posture_ergonomics", "severity": 1, "detail": "Works overhead a lot"}],
        "injuries": [{"zone": "posterior_shoulder", "side": "left", "occurred_on": datetime.date(2015, 3, 1),
                      "description": "Dislocated shoulder playing rugby", "painful_now": False}],
        "visits": [
            {"days_ago": 3, "kind": "initial", "complaint": "Right lateral thigh and knee pain walking downhill",
             "history": {"weeks_ago": 20, "mechanism": "gradual", "course": "same", "patterns": ["after_activity"],
                         "aggravating": ["walking", "stairs"]},
             "observations": [{"kind": "reduced_arm_swing", "side": "left", "detail": "Clear at a brisk walk"}],
             "pain": [{"zone": "lateral_thigh", "side": "right", "nprs": 6, "primary": True},
                      {"zone": "lateral_knee", "side": "right", "nprs": 4}],
             "findings": [
                 {"muscle": "gluteus_minimus", "side": "right", "location": "anterior fibres", "tenderness": 7,
                  "taut_band": True, "recognized": True, "status": "active", "referral_zones": ["lateral_thigh"]},
                 {"muscle": "vastus_lateralis", "side": "right", "location": "distal", "tenderness": 5,
                  "status": "latent"},
                 {"muscle": "infraspinatus", "side": "left", "location": "belly", "tenderness": 6, "taut_band": True,
                  "status": "latent"}],
             "tests": [{"muscle": "gluteus_medius", "side": "right", "phase": "pre", "result": "inhibited"}],
             "screens": []},
        ],
    },
    {
        "patient": {
            "first_name": "Aiko", "last_name": "Tanaka", "date_of_birth": datetime.date(1992, 1, 25), "sex": "female",
            "occupation": "Software developer", "activities": "Climbing",
            "notes": "Temple headaches late in the working day.",
        },
        "stressors": [
            {"kind": "work_commitments_stress", "severity": 3, "detail": "Release deadlines"},
            {"kind": "poor_sleep", "severity": 2, "detail": "Around 5 hours a night"},
            {"kind": "posture_ergonomics", "severity": 2, "detail": "Laptop on the sofa"},
        ],
        "injuries": [],
    },
    {
        "patient": {
            "first_name": "Peter", "last_name": "Novak", "date_of_birth": datetime.date(1968, 7, 30), "sex": "male",
            "occupation": "Accountant", "activities": "Gardening",
            "notes": "Low back pain, worse after meals.",
        },
        "stressors": [
            {"kind": "gut_distension_bloating", "severity": 3, "detail": "Bloated after most meals"},
            {"kind": "refined_sugar", "severity": 2, "detail": "Soft drinks daily"},
        ],
        "injuries": [],
    },
]  # fmt: skip


@transaction.atomic
def load_demo() -> str:
    clinic, _ = clinic_get_or_create(name=DEMO_CLINIC)
    if not clinic.phone:  # the documents print the clinic's address and phone (an invented, unassigned number)
        clinic.address, clinic.phone = "12 Harbour Street, Bristol BS1 4QA", "0117 496 0000"
        clinic.save(update_fields=["address", "phone"])
    membership = member_add(
        clinic=clinic,
        username=DEMO_USERNAME,
        password=DEMO_PASSWORD,
        role=Role.OWNER,
        first_name="Alex",
        last_name="Morgan",
    )
    actor = membership.user
    created = 0
    for entry in _PATIENTS:
        data = entry["patient"]
        if (
            Patient.objects.for_clinic(clinic)
            .filter(first_name=data["first_name"], last_name=data["last_name"])
            .exists()
        ):
            continue
        patient = patient_services.patient_create(clinic=clinic, actor=actor, data=data)
        for stressor in entry["stressors"]:
            patient_services.stressor_create(patient=patient, actor=actor, data=stressor)
        for injury in entry["injuries"]:
            patient_services.injury_create(patient=patient, actor=actor, data=injury)
        for treatment in entry.get("treatments", []):
            patient_services.treatment_create(patient=patient, actor=actor, data=treatment)
        _chart_demo_visits(patient, actor, entry.get("visits", []))
        created += 1
    total = Patient.objects.for_clinic(clinic).filter(archived_at__isnull=True).count()
    return f"{total} patients ({created} added now)"


def _chart_demo_visits(patient: Patient, actor: User, visits: list[dict[str, Any]]) -> None:
    """Chart each demo visit through the same services the pages use; earlier ones are planned, confirmed, signed."""
    from assessments import services as visits_services
    from assessments.models import Finding, MuscleTest, Observation, PainSite, Screening

    today = timezone.localdate()
    for spec in visits:
        visit = visits_services.visit_create(
            patient=patient,
            actor=actor,
            data={"date": today - datetime.timedelta(days=spec["days_ago"]), "kind": spec["kind"],
                  "chief_complaint": spec["complaint"]},
        )  # fmt: skip
        for model, rows in ((PainSite, spec["pain"]), (Finding, spec["findings"]), (MuscleTest, spec["tests"]),
                            (Screening, spec["screens"]), (Observation, spec.get("observations", []))):  # fmt: skip
            for row in rows:
                visits_services.child_create(model=model, visit=visit, actor=actor, data=row)
        if "history" in spec:  # the complaint's history (issue 23); "weeks_ago" counted from the visit's day
            history = dict(spec["history"])
            history["onset"] = visit.date - datetime.timedelta(weeks=history.pop("weeks_ago"))
            visits_services.history_save(visit=visit, actor=actor, changes=history, expected_version=None)
        if spec.get("sign"):
            plan = visits_services.plan_build(visit=visit, actor=actor)
            visits_services.plan_confirm(plan=plan, actor=actor)
            visits_services.visit_sign(visit=visit, actor=actor)
