"""The owner's audit page: owners only, the acting clinic only, newest first, filters, a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.audit import record
from clinic.models import AuditAction, AuditEvent, AuditOutcome, Role
from tests.factories import MembershipFactory, PatientFactory

pytestmark = pytest.mark.django_db

URL = "/clinic/audit/"


@pytest.fixture
def owner(clinic):
    return MembershipFactory(clinic=clinic, role=Role.OWNER, user__username="olga.owner").user


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def event(clinic, user, patient=None, *, action=AuditAction.READ, outcome=AuditOutcome.SUCCESS, route="x"):
    return record(
        user=user,
        clinic=clinic,
        action=action,
        outcome=outcome,
        patient_id=patient.pk if patient else None,
        object_type="patient" if patient else "",
        object_id=patient.pk if patient else None,
        route=route,
        method="GET",
        client="127.0.0.1",
    )


def rows(response):
    return list(response.context["page"].object_list)


def test_the_url_is_clinic_audit():
    assert reverse("audit") == URL


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.ASSISTANT])
def test_practitioners_and_assistants_get_403(client, clinic, role):
    member = MembershipFactory(clinic=clinic, role=role).user
    client.force_login(member)
    response = client.get(URL)
    assert response.status_code == 403
    assert "page" not in (response.context or {})


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_owner_of_another_clinic_acting_here_is_refused(client, clinic, other_clinic):
    """Owner in one clinic, practitioner in the other: the role of the acting clinic decides."""
    person = MembershipFactory(clinic=other_clinic, role=Role.OWNER).user
    MembershipFactory(clinic=clinic, user=person, role=Role.PRACTITIONER)
    client.force_login(person)
    assert client.get(URL, HTTP_X_CLINIC=str(clinic.pk)).status_code == 403
    assert client.get(URL, HTTP_X_CLINIC=str(other_clinic.pk)).status_code == 200


def test_the_nav_links_to_the_page_for_owners_only(owner, user):
    owner_client, practitioner_client = Client(), Client()
    owner_client.force_login(owner)
    practitioner_client.force_login(user)
    assert URL.encode() in owner_client.get(reverse("patients:list")).content
    assert URL.encode() not in practitioner_client.get(reverse("patients:list")).content


def test_owners_see_their_clinics_events_newest_first_with_user_and_patient_name(
    owner_client, owner, user, clinic, other_clinic, patient, foreign_patient
):
    first = event(clinic, user, patient)
    event(other_clinic, None, foreign_patient)
    second = event(clinic, None, None, outcome=AuditOutcome.DENIED)
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert [e.pk for e in rows(response)] == [second.pk, first.pk]
    body = response.content.decode()
    assert "Maria Lopez" in body and "pat.practitioner" in body
    assert "Foreign Person" not in body
    # the owner's visit to this page was recorded after it was shown: the next one shows it first
    newest = rows(owner_client.get(URL))[0]
    assert (newest.route, newest.user, newest.action, newest.outcome) == ("audit", owner, "read", "success")


def _ids(response):
    return {e.pk for e in rows(response)}


def test_filters_by_user_patient_action_outcome_and_dates(owner_client, owner, user, clinic, patient):
    other_patient = PatientFactory(clinic=clinic)
    by_user = event(clinic, user, patient)
    by_owner = event(clinic, owner, other_patient, action=AuditAction.UPDATE)
    denied = event(clinic, None, None, outcome=AuditOutcome.DENIED)
    assert _ids(owner_client.get(URL, {"user": user.pk})) == {by_user.pk}
    assert _ids(owner_client.get(URL, {"patient": str(other_patient.pk)})) == {by_owner.pk}
    assert _ids(owner_client.get(URL, {"action": "update"})) == {by_owner.pk}
    assert _ids(owner_client.get(URL, {"outcome": "denied"})) == {denied.pk}
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    dated = owner_client.get(URL, {"since": today.isoformat(), "until": today.isoformat(), "outcome": "success"})
    assert {by_user.pk, by_owner.pk} <= _ids(dated)
    assert _ids(owner_client.get(URL, {"since": tomorrow.isoformat()})) == set()
    yesterday = today - datetime.timedelta(days=1)
    assert _ids(owner_client.get(URL, {"until": yesterday.isoformat()})) == set()


def test_the_user_filter_offers_only_members_of_the_clinic(owner_client, user, other_clinic):
    stranger = MembershipFactory(clinic=other_clinic, user__username="stranger").user
    response = owner_client.get(URL)
    choices = {str(value) for value, _ in response.context["filter"].form.fields["user"].choices if value}
    assert str(user.pk) in choices and str(stranger.pk) not in choices
    assert owner_client.get(URL, {"user": stranger.pk}).status_code == 400


@pytest.mark.parametrize(
    "bad",
    [{"patient": "Maria"}, {"action": "delete"}, {"outcome": "meh"}, {"since": "yesterday"}, {"user": "x"}],
)
def test_bad_filters_answer_400_naming_the_field(owner_client, bad):
    response = owner_client.get(URL, bad)
    assert response.status_code == 400
    assert next(iter(bad)) in response.context["filter"].errors


def test_fifty_events_a_page(owner_client, user, clinic, patient):
    for _ in range(60):
        event(clinic, user, patient)
    first = owner_client.get(URL)
    assert len(rows(first)) == 50 and first.context["page"].paginator.count == 60
    second = owner_client.get(URL, {"page": 2})
    assert len(rows(second)) == 11  # the 60 and the owner's first visit to the page, minus the 50 on page 1


def test_the_page_uses_a_constant_number_of_queries(owner_client, user, clinic):
    def queries():
        owner_client.get(URL)
        with CaptureQueriesContext(connection) as ctx:
            assert owner_client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        event(clinic, user, PatientFactory(clinic=clinic))
    few = queries()
    for _ in range(40):
        event(clinic, MembershipFactory(clinic=clinic).user, PatientFactory(clinic=clinic))
    many = queries()
    assert few == many
    assert AuditEvent.objects.filter(clinic=clinic).count() > 40


def test_times_and_date_filters_are_in_the_clinics_time_zone(owner_client, owner, clinic):
    clinic.time_zone = "Pacific/Auckland"
    clinic.save()
    # 20:00 UTC on 1 March 2026 is 09:00 on 2 March in Auckland (NZDT, UTC+13).
    at = datetime.datetime(2026, 3, 1, 20, 0, tzinfo=datetime.UTC)
    morning = AuditEvent.objects.create(
        clinic=clinic, user=owner, action=AuditAction.READ, outcome=AuditOutcome.SUCCESS, route="x", method="GET", at=at
    )
    page = owner_client.get(URL, {"since": "2026-03-02", "until": "2026-03-02"})
    assert _ids(page) == {morning.pk}
    body = page.content.decode()
    assert "2026-03-02 09:00:00" in body and "Pacific/Auckland" in body and "Times are UTC" not in body
    assert _ids(owner_client.get(URL, {"until": "2026-03-01"})) == set()
