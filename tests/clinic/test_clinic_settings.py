"""Owners edit the clinic's name, address, phone and time zone on /clinic/settings/; nobody else may."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Visit
from clinic import services
from clinic.models import AuditAction, AuditEvent, AuditOutcome, Clinic, Role
from clinic.settings_views import time_zone_choices
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = "/clinic/settings/"
GOOD = {"name": "Harbour Physio", "address": "1 Quay Street, Auckland", "phone": "+64 9 555 0100"}
# 20:00 UTC on 1 March 2026 is 09:00 on 2 March in Auckland (NZDT, UTC+13).
AUCKLAND_MORNING = datetime.datetime(2026, 3, 1, 20, 0, tzinfo=datetime.UTC)


@pytest.fixture
def owner(clinic):
    return MembershipFactory(clinic=clinic, role=Role.OWNER, user__username="olga.owner")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner.user)
    return client


def test_the_url_is_the_settings_page():
    assert reverse("clinic-settings") == URL


def test_the_owner_sees_the_clinics_details_and_a_link_in_the_header(owner_client, clinic):
    clinic.address, clinic.phone = "9 Dock Road", "555 0199"
    clinic.save()
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{URL}"' in html  # the owner's navigation
    assert 'value="Home Clinic"' in html and "9 Dock Road" in html and 'value="555 0199"' in html
    assert '<option value="UTC" selected>UTC</option>' in html
    assert '<option value="Pacific/Auckland">Pacific/Auckland</option>' in html


def test_the_time_zones_are_every_known_zone_sorted():
    values = [value for value, _ in time_zone_choices()]
    assert values == sorted(values)
    assert {"Europe/London", "America/Los_Angeles", "Pacific/Auckland", "UTC"} <= set(values)
    assert len(values) > 300


def test_an_owner_saves_the_name_address_phone_and_time_zone(owner_client, clinic):
    response = owner_client.post(URL, {**GOOD, "time_zone": "Pacific/Auckland"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Clinic settings saved." in response.content.decode()
    clinic.refresh_from_db()
    assert (clinic.name, clinic.address, clinic.phone, clinic.time_zone) == (
        "Harbour Physio", "1 Quay Street, Auckland", "+64 9 555 0100", "Pacific/Auckland",
    )  # fmt: skip
    assert "Harbour Physio" in response.content.decode()  # the header names the clinic by its new name


def test_the_change_is_audited_as_an_update_of_the_clinic_by_the_owner(owner_client, owner, clinic):
    owner_client.post(URL, {**GOOD, "time_zone": "Europe/Lisbon"})
    event = AuditEvent.objects.get(object_type="clinic")
    assert (event.user, event.clinic, event.object_id) == (owner.user, clinic, clinic.pk)
    assert (event.action, event.outcome, event.route) == (AuditAction.UPDATE, AuditOutcome.SUCCESS, "clinic-settings")
    assert event.patient_id is None


def test_the_change_and_its_audit_event_commit_together(owner, clinic):
    audit_down = mock.patch("clinic.services.record", side_effect=RuntimeError("audit store down"))
    with audit_down, pytest.raises(RuntimeError):
        services.clinic_update(clinic=clinic, actor=owner.user, **GOOD, time_zone="Europe/Lisbon")
    clinic.refresh_from_db()
    assert (clinic.name, clinic.time_zone) == ("Home Clinic", "UTC")


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "GMT+13", "pacific/auckland", "", "Europe/London "])
def test_a_bad_time_zone_is_400_with_the_reason_and_nothing_is_saved(owner_client, clinic, zone):
    response = owner_client.post(URL, {**GOOD, "time_zone": zone})
    assert response.status_code == 400
    assert response.context["form"].errors["time_zone"]
    assert 'class="field has-error"' in response.content.decode()
    clinic.refresh_from_db()
    assert (clinic.name, clinic.address, clinic.time_zone) == ("Home Clinic", "", "UTC")  # not even the good fields
    assert not AuditEvent.objects.filter(object_type="clinic").exists()


def test_the_service_refuses_a_bad_time_zone_too(owner, clinic):
    with pytest.raises(ValidationError) as refused:
        services.clinic_update(clinic=clinic, actor=owner.user, **GOOD, time_zone="Atlantis/Main")
    assert "time_zone" in refused.value.message_dict
    clinic.refresh_from_db()
    assert clinic.name == "Home Clinic"


def test_a_name_is_required_and_another_clinics_name_is_refused(owner_client, clinic, other_clinic):
    empty = owner_client.post(URL, {**GOOD, "name": "  ", "time_zone": "UTC"})
    taken = owner_client.post(URL, {**GOOD, "name": "Other Clinic", "time_zone": "UTC"})
    assert empty.status_code == 400 and empty.context["form"].errors["name"]
    assert taken.status_code == 400 and taken.context["form"].errors["name"]
    assert Clinic.objects.get(pk=clinic.pk).name == "Home Clinic"


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.ASSISTANT])
def test_only_owners_see_or_change_the_settings(client, clinic, role):
    member = MembershipFactory(clinic=clinic, role=role)
    client.force_login(member.user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {**GOOD, "time_zone": "Pacific/Auckland"}).status_code == 403
    assert f'href="{URL}"' not in client.get(reverse("patients:list")).content.decode()
    clinic.refresh_from_db()
    assert (clinic.name, clinic.time_zone) == ("Home Clinic", "UTC")


def test_an_owner_changes_only_the_clinic_they_act_for(owner_client, other_clinic):
    owner_client.post(URL, {**GOOD, "time_zone": "Pacific/Auckland"})
    other_clinic.refresh_from_db()
    assert (other_clinic.name, other_clinic.time_zone) == ("Other Clinic", "UTC")


def test_today_on_a_new_visit_follows_the_new_time_zone(owner_client, clinic, patient):
    create = reverse("assessments:visit-create", args=[patient.pk])
    with mock.patch("django.utils.timezone.now", return_value=AUCKLAND_MORNING):
        owner_client.post(create)  # still in UTC: 1 March
        assert owner_client.post(URL, {**GOOD, "time_zone": "Pacific/Auckland"}).status_code == 302
        owner_client.post(create)  # now in Auckland: already 2 March
    dates = sorted(Visit.objects.filter(patient=patient).values_list("date", flat=True))
    assert dates == [datetime.date(2026, 3, 1), datetime.date(2026, 3, 2)]  # the same instant, a day apart
