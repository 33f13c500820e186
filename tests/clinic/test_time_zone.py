"""Each clinic has its own time zone: an IANA name, the server's zone by default, set in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic.admin import ClinicAdminForm
from clinic.models import Clinic
from tests.factories import ClinicFactory

pytestmark = pytest.mark.django_db


def test_a_new_clinic_takes_the_servers_time_zone(settings):
    assert ClinicFactory().time_zone == "UTC"
    settings.TIME_ZONE = "Europe/Lisbon"
    assert Clinic(name="Lisbon Clinic").time_zone == "Europe/Lisbon"


@pytest.mark.parametrize("name", ["Pacific/Auckland", "America/Los_Angeles", "Europe/London", "UTC"])
def test_an_iana_time_zone_name_is_accepted(name):
    clinic = ClinicFactory(time_zone=name)
    clinic.full_clean()


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "GMT+13", "pacific/auckland", "", "Europe/London "])
def test_anything_else_is_refused_with_an_example(name):
    clinic = ClinicFactory.build(time_zone=name)
    with pytest.raises(ValidationError) as refused:
        clinic.full_clean()
    assert "time_zone" in refused.value.message_dict


def test_the_admin_offers_the_known_time_zones_and_saves_one(admin_client):
    clinic = ClinicFactory(name="Harbour Clinic")
    page = admin_client.get(reverse("admin:clinic_clinic_change", args=[clinic.pk])).content.decode()
    assert '<select name="time_zone"' in page and '<option value="UTC" selected>' in page
    assert '<option value="Pacific/Auckland">' in page
    form = ClinicAdminForm(
        {"name": "Harbour Clinic", "paper_size": "A4", "time_zone": "Pacific/Auckland"}, instance=clinic
    )
    assert form.is_valid(), form.errors
    form.save()
    clinic.refresh_from_db()
    assert clinic.time_zone == "Pacific/Auckland"
    refused = ClinicAdminForm(
        {"name": "Harbour Clinic", "paper_size": "A4", "time_zone": "Atlantis/Main"}, instance=clinic
    )
    assert not refused.is_valid() and "time_zone" in refused.errors
