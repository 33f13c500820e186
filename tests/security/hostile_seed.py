"""A small charted clinic with fixed ids, shared by the hostile-input and schemathesis tests.

Fixed UUIDs let generated requests aim at real objects (schemathesis swaps them into path parameters).
"""

import datetime
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token

from assessments import services as visit_services
from assessments.models import (
    FavouriteSet,
    Finding,
    MuscleTest,
    Observation,
    Outcome,
    PainSite,
    Screening,
    TreatmentPlan,
    Visit,
)
from clinic.models import Clinic, Membership, Role
from patients.models import Injury, Patient, PriorTreatment, Stressor

TOKEN = "0123456789abcdef0123456789abcdef01234567"
PATIENT = uuid.UUID("00000000-0000-4000-8000-000000000001")
STRESSOR = uuid.UUID("00000000-0000-4000-8000-000000000002")
INJURY = uuid.UUID("00000000-0000-4000-8000-000000000003")
EARLIER_VISIT = uuid.UUID("00000000-0000-4000-8000-000000000004")
VISIT = uuid.UUID("00000000-0000-4000-8000-000000000005")
FINDING = uuid.UUID("00000000-0000-4000-8000-000000000006")
MUSCLE_TEST = uuid.UUID("00000000-0000-4000-8000-000000000007")
FAVOURITE = uuid.UUID("00000000-0000-4000-8000-000000000008")
OBSERVATION = uuid.UUID("00000000-0000-4000-8000-000000000009")
TREATMENT = uuid.UUID("00000000-0000-4000-8000-00000000000a")


@dataclass(frozen=True)
class Seeded:
    clinic: Clinic
    user: object
    patient: Patient
    visit: Visit
    earlier_visit: Visit
    plan: TreatmentPlan


def seed_clinic() -> Seeded:
    """A practitioner (token TOKEN) in a clinic with one patient, a stressor, an injury, two visits and a plan, and a
    favourite set of theirs; the earlier visit has a positive red-flag screen (a referral letter can be written)."""
    clinic = Clinic.objects.create(name="Hostile Input Clinic", address="1 Test Street")
    user = get_user_model().objects.create_user(username="hostile.practitioner", password="correct-horse-battery")
    Membership.objects.create(user=user, clinic=clinic, role=Role.PRACTITIONER)
    Token.objects.create(user=user, key=TOKEN)
    patient = Patient.objects.create(
        id=PATIENT, clinic=clinic, first_name="Maria", last_name="Lopez", date_of_birth=datetime.date(1980, 5, 17)
    )
    Stressor.objects.create(
        id=STRESSOR, clinic=clinic, patient=patient, kind="footwear", category="physical_structural", severity=2
    )
    Injury.objects.create(
        id=INJURY, clinic=clinic, patient=patient, zone="posterior_shoulder", side="left",
        occurred_on=datetime.date(2015, 3, 1),
    )  # fmt: skip
    today = timezone.localdate()
    earlier = Visit.objects.create(
        id=EARLIER_VISIT, clinic=clinic, patient=patient, date=today - datetime.timedelta(days=14),
        chief_complaint="Heel pain",
    )  # fmt: skip
    visit = Visit.objects.create(
        id=VISIT, clinic=clinic, patient=patient, date=today, kind="follow_up", chief_complaint="Heel pain"
    )
    for v, tenderness, nprs in ((earlier, 7, 7), (visit, 4, 3)):
        fid = FINDING if v is visit else uuid.uuid4()
        mid = MUSCLE_TEST if v is visit else uuid.uuid4()
        Finding.objects.create(
            id=fid, clinic=clinic, visit=v, muscle="soleus", side="left", tenderness=tenderness, taut_band=True,
            status="active", recognized=True, referral_zones=["plantar_heel"],
        )  # fmt: skip
        MuscleTest.objects.create(
            id=mid, clinic=clinic, visit=v, muscle="soleus", side="left", phase="pre", result="inhibited"
        )
        PainSite.objects.create(clinic=clinic, visit=v, zone="plantar_heel", side="left", nprs=nprs, primary=True)
        Outcome.objects.create(clinic=clinic, visit=v, measure="nprs", value=nprs)
        Screening.objects.create(clinic=clinic, visit=v, rule="SAFE-M-DVT", result="negative")
    # The earlier visit's positive screen gives it a referral letter to write into (the current visit's plan stays
    # the one without a red flag).
    Screening.objects.create(
        clinic=clinic, visit=earlier, rule="SAFE-M-TENDON-RUPTURE", side="left", result="positive", detail="Gap"
    )
    Observation.objects.create(id=OBSERVATION, clinic=clinic, visit=visit, kind="reduced_arm_swing", side="left")
    PriorTreatment.objects.create(
        id=TREATMENT, clinic=clinic, patient=patient, kind="self_rolling", zone="plantar_heel", frequency="daily"
    )
    plan = visit_services.plan_build(visit=visit, actor=user)
    FavouriteSet.objects.create(
        id=FAVOURITE, clinic=clinic, owner=user, created_by=user, name="Runner's knee",
        items=[{"kind": "finding", "muscle": "vastus_lateralis", "side": "complaint", "location": ""},
               {"kind": "muscle_test", "muscle": "gluteus_medius", "side": "complaint", "phase": "pre"}],
    )  # fmt: skip
    return Seeded(clinic=clinic, user=user, patient=patient, visit=visit, earlier_visit=earlier, plan=plan)


# Which seeded object a path parameter names, by the path's first segment (/api/v1/<segment>/{id}/...).
IDS_BY_SEGMENT = {
    "patients": PATIENT,
    "stressors": STRESSOR,
    "injuries": INJURY,
    "visits": VISIT,
    "findings": FINDING,
    "muscle-tests": MUSCLE_TEST,
    "observations": OBSERVATION,
    "treatments": TREATMENT,
    "favourites": FAVOURITE,
}
# Other path parameters, by name, wherever they appear (/api/v1/visits/{id}/favourites/{set_id}/chart/).
IDS_BY_PARAMETER = {"set_id": FAVOURITE}
