"""The stable command-line: create_practitioner."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from clinic.models import Clinic, Membership

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
