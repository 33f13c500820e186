"""Acting clinic: a user in several clinics acts for one at a time, on pages and in the API."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from clinic.models import Membership
from tests.factories import ClinicFactory, MembershipFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_clinic_user():
    user = UserFactory(username="locum")
    first, second = ClinicFactory(name="North"), ClinicFactory(name="South")
    MembershipFactory(user=user, clinic=first)
    MembershipFactory(user=user, clinic=second)
    PatientFactory(clinic=first, last_name="Northerner")
    PatientFactory(clinic=second, last_name="Southerner")
    return user, first, second


def test_user_in_several_clinics_chooses_one_after_login(client, two_clinic_user):
    _user, _, second = two_clinic_user
    response = client.post(reverse("login"), {"username": "locum", "password": "correct-horse-battery"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("choose-clinic")
    response = client.post(reverse("choose-clinic"), {"clinic": str(second.pk)}, follow=True)
    page = response.content.decode()
    assert "Southerner" in page and "Northerner" not in page


def test_choosing_a_clinic_the_user_does_not_belong_to_is_refused(client, two_clinic_user):
    client.force_login(two_clinic_user[0])
    stranger = ClinicFactory(name="Elsewhere")
    assert client.post(reverse("choose-clinic"), {"clinic": str(stranger.pk)}).status_code == 400


def test_api_acts_for_the_clinic_in_the_x_clinic_header(two_clinic_user):
    user, _first, second = two_clinic_user
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    default = api.get("/api/v1/patients/").json()["results"]
    assert [p["last_name"] for p in default] == ["Northerner"]
    chosen = api.get("/api/v1/patients/", HTTP_X_CLINIC=str(second.pk)).json()["results"]
    assert [p["last_name"] for p in chosen] == ["Southerner"]


def test_api_refuses_a_clinic_header_naming_a_foreign_clinic(two_clinic_user):
    user, *_ = two_clinic_user
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert api.get("/api/v1/patients/", HTTP_X_CLINIC=str(ClinicFactory().pk)).status_code == 403


def test_without_a_choice_a_user_acts_for_their_oldest_active_clinic(client, two_clinic_user):
    user, _first, second = two_clinic_user
    left = MembershipFactory(user=user, clinic=ClinicFactory(name="Left")).pk
    # Creation order decides, not the ids' order; an inactive membership never does.
    Membership.objects.filter(clinic=second).update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    Membership.objects.filter(pk=left).update(
        is_active=False, created_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert [p["last_name"] for p in api.get("/api/v1/patients/").json()["results"]] == ["Southerner"]
    client.force_login(user)
    page = client.get(reverse("patients:list")).content.decode()
    assert "Southerner" in page and "Northerner" not in page


def test_user_without_a_clinic_gets_a_clear_403(client):
    client.force_login(UserFactory())
    response = client.get(reverse("patients:list"))
    assert response.status_code == 403
    assert "not a member of any clinic" in response.content.decode()


def test_deactivated_membership_loses_access(client, membership):
    membership.is_active = False
    membership.save()
    client.force_login(membership.user)
    assert client.get(reverse("patients:list")).status_code == 403
