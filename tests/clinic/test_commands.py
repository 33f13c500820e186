"""The stable command-line: create_practitioner and demo."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from assessments.models import Visit
from clinic.demo import DEMO_PASSWORD, DEMO_USERNAME
from clinic.models import Clinic, Membership
from patients.models import Patient

pytestmark = pytest.mark.django_db


def test_create_practitioner_creates_the_clinic_and_the_member():
    call_command(
        "create_practitioner", clinic="Harbour Physio", username="kim", password="a-long-secret-42", role="owner"
    )
    membership = Membership.objects.get(user__username="kim")
    assert membership.clinic.name == "Harbour Physio" and membership.role == "owner"
    assert authenticate(HttpRequest(), username="kim", password="a-long-secret-42") is not None


def test_create_practitioner_reuses_an_existing_clinic():
    call_command("create_practitioner", clinic="Harbour Physio", username="kim", password="a-long-secret-42")
    call_command("create_practitioner", clinic="Harbour Physio", username="lee", password="another-secret-43")
    assert Clinic.objects.filter(name="Harbour Physio").count() == 1
    assert Membership.objects.filter(clinic__name="Harbour Physio").count() == 2


def test_create_practitioner_refuses_a_weak_password():
    with pytest.raises(CommandError):
        call_command("create_practitioner", clinic="Harbour Physio", username="kim", password="123")
    assert not Membership.objects.exists()


def test_demo_loads_patients_and_a_working_login_and_is_idempotent(capsys):
    call_command("demo")
    call_command("demo")
    out = capsys.readouterr().out
    assert DEMO_USERNAME in out and DEMO_PASSWORD in out
    assert authenticate(HttpRequest(), username=DEMO_USERNAME, password=DEMO_PASSWORD) is not None
    assert Patient.objects.count() == 4
    assert Patient.objects.filter(stressors__isnull=False).distinct().count() == 4
    assert Visit.objects.count() == 3
    signed = Visit.objects.get(status="signed")
    assert signed.plan.confirmed and signed.findings.count() == 3


def test_demo_prints_the_address_on_the_port_it_is_served_on(capsys):
    call_command("demo", port=8123)
    assert "http://127.0.0.1:8123/" in capsys.readouterr().out
