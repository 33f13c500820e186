"""factory_boy factories for clinics, people and patient records."""

import datetime

import factory
from django.contrib.auth import get_user_model

from clinic.models import Clinic, Membership, Role
from patients.models import Injury, Patient, Stressor


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Clinic {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    clinic = factory.SubFactory(ClinicFactory)
    role = Role.PRACTITIONER


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = datetime.date(1980, 5, 17)


class StressorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stressor

    patient = factory.SubFactory(PatientFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    kind = "footwear"
    category = "physical_structural"
    severity = 2


class InjuryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Injury

    patient = factory.SubFactory(PatientFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    zone = "posterior_shoulder"
    side = "left"
    occurred_on = datetime.date(2015, 3, 1)


class TreatmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "patients.PriorTreatment"

    patient = factory.SubFactory(PatientFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    kind = "self_rolling"
    zone = "plantar_heel"
    side = "left"
    frequency = "daily"
    intensity = "hard"


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Visit"

    patient = factory.SubFactory(PatientFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    date = datetime.date(2026, 11, 2)
    kind = "initial"
    chief_complaint = "Heel pain in the morning"


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Finding"

    visit = factory.SubFactory(VisitFactory)
    clinic = factory.SelfAttribute("visit.clinic")
    muscle = "soleus"
    side = "left"
    tenderness = 6
    taut_band = True
    status = "active"
    recognized = True


class MuscleTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.MuscleTest"

    visit = factory.SubFactory(VisitFactory)
    clinic = factory.SelfAttribute("visit.clinic")
    muscle = "soleus"
    side = "left"
    phase = "pre"
    result = "inhibited"


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Observation"

    visit = factory.SubFactory(VisitFactory)
    clinic = factory.SelfAttribute("visit.clinic")
    kind = "reduced_arm_swing"
    side = "left"


class PainSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.PainSite"

    visit = factory.SubFactory(VisitFactory)
    clinic = factory.SelfAttribute("visit.clinic")
    zone = "plantar_heel"
    side = "left"
    nprs = 6
    primary = True


RUNNERS_KNEE = [
    {"kind": "finding", "muscle": "vastus_lateralis", "side": "complaint", "location": ""},
    {"kind": "finding", "muscle": "tensor_fasciae_latae", "side": "complaint", "location": ""},
    {"kind": "finding", "muscle": "gluteus_minimus", "side": "complaint", "location": ""},
    {"kind": "finding", "muscle": "soleus", "side": "complaint", "location": ""},
    {"kind": "muscle_test", "muscle": "gluteus_medius", "side": "complaint", "phase": "pre"},
]


class FavouriteSetFactory(factory.django.DjangoModelFactory):
    """A favourite set ("runner's knee" unless told), authored by `owner` in `clinic`."""

    class Meta:
        model = "assessments.FavouriteSet"

    clinic = factory.SubFactory(ClinicFactory)
    owner = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("owner")
    name = "Runner's knee"
    shared = False
    items = factory.LazyFunction(lambda: [dict(item) for item in RUNNERS_KNEE])
