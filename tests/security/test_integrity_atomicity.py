"""Multi-row writes are all or nothing: a fault after the first row leaves nothing behind."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments import services
from assessments.models import Finding, MuscleTest, TreatmentPlan, Visit
from clinic.models import Clinic, Membership
from patients.models import Patient, Stressor
from tests.factories import FindingFactory, MuscleTestFactory, PainSiteFactory, VisitFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


class InjectedFault(Exception):
    pass


def fail_on_call(monkeypatch, module, name, *, call_number):
    """Make module.name raise InjectedFault on its `call_number`-th call (the calls before go through)."""
    real = getattr(module, name)
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == call_number:
            raise InjectedFault(f"{name} call {call_number}")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


@pytest.fixture
def visit(patient):
    return VisitFactory(patient=patient)


def chart_state(visit):
    visit.refresh_from_db()
    return (
        Finding.objects.filter(visit=visit).count(),
        MuscleTest.objects.filter(visit=visit).count(),
        visit.version,
        visit.updated_at,
    )


FINDINGS = [
    {"muscle": "soleus", "side": "left", "location": "belly", "tenderness": 6},
    {"muscle": "gastrocnemius", "side": "left", "location": "", "tenderness": 4},
]
TESTS = [{"muscle": "gluteus_medius", "side": "left", "phase": "pre", "result": "inhibited"}]


@pytest.mark.parametrize(
    ("failing_call", "what"),
    [(2, "second finding"), (3, "muscle test after both findings")],
)
def test_carry_forward_with_a_fault_after_the_first_row_saves_nothing(monkeypatch, visit, user, failing_call, what):
    before = chart_state(visit)
    calls = fail_on_call(monkeypatch, services, "_save_unique", call_number=failing_call)
    with pytest.raises(InjectedFault):
        services.carry_forward(visit=visit, actor=user, findings=FINDINGS, muscle_tests=TESTS)
    assert calls["n"] == failing_call  # the rows before the fault were written, then rolled back
    assert chart_state(visit) == before, what


def test_carry_forward_without_a_fault_saves_every_row(visit, user):
    services.carry_forward(visit=visit, actor=user, findings=FINDINGS, muscle_tests=TESTS)
    assert chart_state(visit)[:2] == (2, 1)


def test_children_create_with_an_invalid_second_row_saves_nothing(visit, user):
    rows = [FINDINGS[0], {**FINDINGS[1], "tenderness": 11}]
    with pytest.raises(ValidationError):
        services.children_create(model=Finding, visit=visit, actor=user, rows=rows)
    assert not Finding.objects.filter(visit=visit).exists()


def test_carry_forward_page_with_a_duplicate_second_row_answers_400_and_saves_nothing(browser_client, patient):
    earlier = VisitFactory(patient=patient, date=datetime.date(2026, 10, 1))
    soleus = FindingFactory(visit=earlier, muscle="soleus", location="belly")
    gastrocnemius = FindingFactory(visit=earlier, muscle="gastrocnemius", location="")
    today = VisitFactory(patient=patient, date=datetime.date(2026, 11, 1))
    FindingFactory(visit=today, muscle="gastrocnemius", location="", tenderness=2)  # already charted today
    data: dict[str, str] = {}
    for finding in (soleus, gastrocnemius):
        data |= {f"f-{finding.pk}-include": "on", f"f-{finding.pk}-tenderness": "3", f"f-{finding.pk}-status": "latent"}
    response = browser_client.post(reverse("assessments:carry-forward", args=[today.pk]), data, **HTMX)
    assert response.status_code == 400
    assert list(Finding.objects.filter(visit=today).values_list("muscle", "tenderness")) == [("gastrocnemius", 2)]


def test_a_failed_plan_rebuild_keeps_the_previous_plan(monkeypatch, visit, user):
    PainSiteFactory(visit=visit)
    FindingFactory(visit=visit)
    plan = services.plan_build(visit=visit, actor=user)
    steps, version = plan.steps, plan.version
    from assessments import mappers

    monkeypatch.setattr(mappers, "notes_to_json", lambda notes: (_ for _ in ()).throw(InjectedFault("notes")))
    with pytest.raises(InjectedFault):
        services.plan_build(visit=visit, actor=user, max_home_care=1)
    plan.refresh_from_db()
    assert (plan.steps, plan.version, plan.max_home_care) == (steps, version, 4)
    assert TreatmentPlan.objects.filter(visit=visit).count() == 1


def test_signing_that_fails_midway_leaves_the_visit_a_draft(monkeypatch, visit, user):
    MuscleTestFactory(visit=visit)
    from clinic import concurrency

    monkeypatch.setattr(services, "versioned_update", lambda *a, **k: (_ for _ in ()).throw(InjectedFault("x")))
    with pytest.raises(InjectedFault):
        services.visit_sign(visit=visit, actor=user)
    monkeypatch.setattr(services, "versioned_update", concurrency.versioned_update)
    visit.refresh_from_db()
    assert (visit.status, visit.version, visit.signed_at) == ("draft", 1, None)


def test_demo_load_with_a_fault_on_the_second_patient_leaves_nothing(monkeypatch):
    from operations import demo

    fail_on_call(monkeypatch, demo.patient_services, "patient_create", call_number=2)
    with pytest.raises(InjectedFault):
        demo.load_demo()
    assert not Clinic.objects.filter(name=demo.DEMO_CLINIC).exists()
    assert (Patient.objects.count(), Stressor.objects.count(), Visit.objects.count()) == (0, 0, 0)


def test_create_practitioner_with_a_weak_password_leaves_no_empty_clinic_behind():
    with pytest.raises(CommandError):
        call_command("create_practitioner", clinic="Brand New Clinic", username="kim", password="123")
    assert not Clinic.objects.filter(name="Brand New Clinic").exists()
    assert not Membership.objects.exists()
