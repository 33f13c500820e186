"""The hand-written hot lookups (clinic.rows): the same instances as the ORM's, in one query."""

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from clinic.auth import ExpiringTokenAuthentication, MembershipsModelBackend
from clinic.models import Membership
from clinic.tenancy import active_memberships
from tests.factories import ClinicFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def field_values(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


@pytest.fixture
def member():
    user = UserFactory(username="locum", first_name="Ada")
    older, newer, left = ClinicFactory(name="Older"), ClinicFactory(name="Newer"), ClinicFactory(name="Left")
    first = MembershipFactory(user=user, clinic=older)
    second = MembershipFactory(user=user, clinic=newer)
    gone = MembershipFactory(user=user, clinic=left, is_active=False)
    # Creation order decides the default clinic: make it differ from the ids' order.
    Membership.objects.filter(pk=first.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    Membership.objects.filter(pk=gone.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    return user, first, second


def test_token_user_and_memberships_are_the_orm_instances_in_one_query(member):
    user, first, second = member
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/ping/", HTTP_X_CLINIC=str(second.clinic_id))
    assert response.status_code == 200
    assert len(queries) == 1, [q["sql"] for q in queries]

    loaded_user, loaded_token = ExpiringTokenAuthentication().authenticate_credentials(token.key)
    assert field_values(loaded_token) == field_values(Token.objects.get(pk=token.pk))
    assert field_values(loaded_user) == field_values(User.objects.get(pk=user.pk))
    assert loaded_token.user is loaded_user
    memberships = active_memberships(loaded_user)
    assert [m.pk for m in memberships] == [first.pk, second.pk]  # oldest first, the inactive one left out
    assert [field_values(m) for m in memberships] == [
        field_values(Membership.objects.get(pk=m.pk)) for m in memberships
    ]
    assert [m.clinic.name for m in memberships] == ["Older", "Newer"]
    with CaptureQueriesContext(connection) as queries:
        assert active_memberships(loaded_user)[0].clinic.name == "Older"
    assert len(queries) == 0


def test_token_refusals_keep_their_answers(member):
    user, *_ = member
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/v1/ping/").json()["detail"] == "Invalid token."

    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/api/v1/ping/")
    assert response.status_code == 401 and response.json()["detail"] == "User inactive or deleted."


def test_a_user_without_active_memberships_is_authenticated_but_acts_for_no_clinic():
    user = UserFactory(username="alone")
    MembershipFactory(user=user, clinic=ClinicFactory(name="Former"), is_active=False)
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/ping/").status_code == 403


def test_session_user_comes_with_memberships(client, member):
    user, first, _second = member
    client.force_login(user, backend="clinic.auth.MembershipsModelBackend")
    request = client.get(reverse("home")).wsgi_request
    loaded = get_user(request)
    assert loaded.pk == user.pk and field_values(loaded) == field_values(User.objects.get(pk=user.pk))
    assert active_memberships(loaded)[0].pk == first.pk


def test_session_backend_refuses_unknown_inactive_and_malformed_ids(member):
    user, *_ = member
    backend = MembershipsModelBackend()
    assert backend.get_user(user.pk).pk == user.pk
    assert backend.get_user(10**9) is None
    assert backend.get_user("not-a-number") is None
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert backend.get_user(user.pk) is None


def test_insert_writes_the_row_save_would_write_in_one_query():
    from assessments.models import DocumentIssue, DocumentKind
    from assessments.services import document_issued
    from tests.factories import VisitFactory

    visit: Any = VisitFactory()
    actor: Any = UserFactory()
    before = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        issue = document_issued(visit=visit, patient=visit.patient, kind=DocumentKind.HOME_CARE, actor=actor, size=1234)
    assert len(queries) == 1 and queries[0]["sql"].startswith("INSERT")
    assert not issue._state.adding
    stored = DocumentIssue.objects.get(pk=issue.pk)
    assert field_values(stored) == field_values(issue)
    assert stored.clinic_id == visit.clinic_id and stored.patient_id == visit.patient_id
    assert stored.visit_id == visit.pk and stored.issued_by_id == actor.pk and stored.size_bytes == 1234
    assert before <= stored.issued_at <= timezone.now()  # auto_now_add applied
    again = document_issued(visit=None, patient=visit.patient, kind=DocumentKind.PROGRESS, actor=actor, size=0)
    assert again.pk != issue.pk and DocumentIssue.objects.get(pk=again.pk).visit_id is None
