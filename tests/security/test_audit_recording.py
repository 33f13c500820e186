"""Every request on patient data leaves one audit event: who, clinic, patient, object, action, outcome, time, client."""

import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from rest_framework.test import APIClient

from clinic.models import AuditEvent, Role
from tests.factories import FindingFactory, MembershipFactory, PainSiteFactory, UserFactory, VisitFactory

pytestmark = pytest.mark.django_db


def _secret_view(request, patient_id):
    return HttpResponse("ok")


# Used by test_an_undeclared_route_under_the_patient_paths_is_still_recorded (pytest.mark.urls).
urlpatterns = [
    path("patients/<uuid:patient_id>/forgotten/", _secret_view, name="forgotten"),
    path("", include("clinic.urls")),
]


def only_event():
    events = list(AuditEvent.objects.all())
    assert len(events) == 1, [(e.route, e.method, e.outcome) for e in events]
    return events[0]


@pytest.fixture
def visit(patient):
    return VisitFactory(patient=patient)


@pytest.fixture
def foreign_visit(foreign_patient):
    return VisitFactory(patient=foreign_patient)


# --- who, what, which patient --------------------------------------------------------------------------------------


def test_reading_the_patient_page_records_user_clinic_patient_object_route_and_client(
    browser_client, user, clinic, patient
):
    assert (
        browser_client.get(reverse("assessments:chart", args=[patient.pk]), REMOTE_ADDR="203.0.113.7").status_code
        == 200
    )
    event = only_event()
    assert (event.user, event.clinic, event.patient_id) == (user, clinic, patient.pk)
    assert (event.object_type, event.object_id) == ("patient", patient.pk)
    assert (event.action, event.outcome, event.status) == ("read", "success", 200)
    assert (event.method, event.route, event.client) == ("GET", "assessments:chart", "203.0.113.7")
    assert event.at.utcoffset().total_seconds() == 0


def test_a_token_request_records_its_user_and_clinic(api, user, clinic, patient):
    assert api.get(f"/api/v1/patients/{patient.pk}/").status_code == 200
    event = only_event()
    assert (event.user, event.clinic, event.patient_id, event.route) == (user, clinic, patient.pk, "patient-detail")


def test_a_finding_read_finds_its_patient_through_the_visit(api, visit, patient):
    finding = FindingFactory(visit=visit)
    assert api.get(f"/api/v1/findings/{finding.pk}/").status_code == 200
    event = only_event()
    assert (event.object_type, event.object_id, event.patient_id) == ("finding", finding.pk, patient.pk)


def test_a_list_is_one_read_without_a_patient_and_keeps_no_search_text(api, clinic, patient):
    assert api.get("/api/v1/patients/?search=Maria").status_code == 200
    event = only_event()
    assert (event.action, event.patient_id, event.object_id, event.route) == ("read", None, None, "patient-list")
    stored = " ".join(str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields)
    assert "Maria" not in stored and "search" not in stored


def test_a_visit_list_for_one_patient_records_that_patient(api, patient, visit):
    assert api.get(f"/api/v1/visits/?patient={patient.pk}").status_code == 200
    assert only_event().patient_id == patient.pk


# --- each action ---------------------------------------------------------------------------------------------------


def test_creating_a_patient_by_api_records_the_new_patient(api, clinic):
    response = api.post("/api/v1/patients/", {"first_name": "Ana", "last_name": "Silva"}, format="json")
    assert response.status_code == 201
    event = only_event()
    new_id = uuid.UUID(response.json()["id"])
    assert (event.action, event.outcome, event.object_id, event.patient_id) == ("create", "success", new_id, new_id)


def test_creating_a_patient_on_the_page_records_the_new_patient(browser_client):
    response = browser_client.post(
        reverse("patients:create"), {"first_name": "Ana", "last_name": "Silva", "sex": "undisclosed"}
    )
    assert response.status_code == 302
    event = only_event()
    new_id = uuid.UUID(response["Location"].strip("/").split("/")[-1])
    assert (event.action, event.outcome, event.patient_id, event.route) == (
        "create",
        "success",
        new_id,
        "patients:create",
    )


def test_creating_a_visit_by_api_records_its_patient(api, patient):
    response = api.post("/api/v1/visits/", {"patient": str(patient.pk), "date": "2026-11-02"}, format="json")
    assert response.status_code == 201, response.json()
    event = only_event()
    assert (event.object_type, event.object_id, event.patient_id) == (
        "visit",
        uuid.UUID(response.json()["id"]),
        patient.pk,
    )


def test_update_archive_and_their_refusals_are_recorded(api, patient):
    url = f"/api/v1/patients/{patient.pk}/"
    assert api.patch(url, {"notes": "Runs", "version": 1}, format="json").status_code == 200
    assert api.patch(url, {"notes": "Stale", "version": 1}, format="json").status_code == 409
    assert api.patch(url, {"date_of_birth": "not a date", "version": 2}, format="json").status_code == 400
    assert api.delete(url).status_code == 204
    events = AuditEvent.objects.order_by("id")
    assert [(e.action, e.outcome, e.status, e.method) for e in events] == [
        ("update", "success", 200, "PATCH"),
        ("update", "invalid", 409, "PATCH"),
        ("update", "invalid", 400, "PATCH"),
        ("archive", "success", 204, "DELETE"),
    ]
    assert {e.patient_id for e in events} == {patient.pk}


def test_signing_a_visit_is_recorded_as_sign(api, visit, patient):
    assert api.post(f"/api/v1/visits/{visit.pk}/sign/").status_code == 200
    event = only_event()
    assert (event.action, event.object_type, event.object_id, event.patient_id) == (
        "sign",
        "visit",
        visit.pk,
        patient.pk,
    )


def test_signing_on_the_page_and_archiving_a_chart_row_are_recorded(browser_client, visit, patient):
    pain = PainSiteFactory(visit=visit)
    browser_client.post(reverse("assessments:section-remove", args=[visit.pk, "pain-sites", pain.pk]))
    browser_client.post(reverse("assessments:sign", args=[visit.pk]))
    events = AuditEvent.objects.order_by("id")
    assert [(e.action, e.object_type, e.object_id, e.patient_id) for e in events] == [
        ("archive", "pain_site", pain.pk, patient.pk),
        ("sign", "visit", visit.pk, patient.pk),
    ]


def test_a_pdf_is_recorded_as_a_document_issued(api, patient):
    response = api.get(f"/api/v1/patients/{patient.pk}/progress.pdf")
    event = only_event()
    assert (event.action, event.status, event.patient_id, event.route) == (
        "document",
        response.status_code,
        patient.pk,
        "patient-progress-pdf",
    )


# --- refusals --------------------------------------------------------------------------------------------------------


def test_another_clinics_patient_is_recorded_as_not_found_with_the_user_and_no_patient(
    api, user, clinic, foreign_patient
):
    assert api.get(f"/api/v1/patients/{foreign_patient.pk}/").status_code == 404
    event = only_event()
    assert (event.user, event.clinic, event.outcome, event.status) == (user, clinic, "not_found", 404)
    assert event.patient_id is None and event.object_id == foreign_patient.pk


def test_another_clinics_visit_page_is_recorded_as_not_found(browser_client, user, foreign_visit):
    assert browser_client.get(reverse("assessments:visit", args=[foreign_visit.pk])).status_code == 404
    event = only_event()
    assert (event.user, event.outcome, event.patient_id, event.object_id) == (user, "not_found", None, foreign_visit.pk)


def test_an_anonymous_api_request_is_recorded_as_denied_with_no_user(patient):
    assert APIClient().get(f"/api/v1/patients/{patient.pk}/").status_code == 401
    event = only_event()
    assert (event.user, event.clinic, event.patient_id, event.outcome, event.status) == (
        None,
        None,
        None,
        "denied",
        401,
    )
    assert event.object_id == patient.pk


def test_an_anonymous_page_request_sent_to_sign_in_is_recorded_as_denied(client, patient):
    assert client.get(reverse("assessments:chart", args=[patient.pk])).status_code == 302
    event = only_event()
    assert (event.user, event.outcome, event.status, event.patient_id) == (None, "denied", 302, None)


def test_a_wrong_token_is_recorded_as_denied(patient):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/v1/patients/").status_code == 401
    assert only_event().outcome == "denied"


def test_a_user_of_no_clinic_is_recorded_as_denied_with_the_user(client, patient):
    loner = UserFactory()
    client.force_login(loner)
    assert client.get(reverse("assessments:chart", args=[patient.pk])).status_code == 403
    event = only_event()
    assert (event.user, event.clinic, event.outcome, event.patient_id) == (loner, None, "denied", None)


def test_naming_a_clinic_one_does_not_belong_to_is_recorded_as_denied(api, user, other_clinic, foreign_patient):
    response = api.get(f"/api/v1/patients/{foreign_patient.pk}/", HTTP_X_CLINIC=str(other_clinic.pk))
    assert response.status_code == 403
    event = only_event()
    assert (event.user, event.clinic, event.outcome, event.patient_id) == (user, None, "denied", None)


def test_a_practitioner_opening_the_audit_page_is_recorded_as_denied(browser_client, user):
    assert browser_client.get(reverse("audit")).status_code == 403
    event = only_event()
    assert (event.route, event.user, event.outcome) == ("audit", user, "denied")


# --- what is not recorded, and what happens when recording fails ----------------------------------------------------


def test_non_patient_routes_record_nothing(api, browser_client):
    api.get("/api/v1/catalog/muscles/")
    api.get("/api/v1/schema/")
    browser_client.get(reverse("choose-clinic"))
    APIClient().get(reverse("login"))
    browser_client.get("/patients-nope/")
    assert not AuditEvent.objects.exists()


@pytest.mark.urls("tests.security.test_audit_recording")
def test_an_undeclared_route_under_the_patient_paths_is_still_recorded(browser_client, patient):
    assert browser_client.get(f"/patients/{patient.pk}/forgotten/").status_code == 200
    event = only_event()
    assert (event.route, event.outcome, event.object_type, event.patient_id) == ("forgotten", "success", "", None)


def test_when_the_event_cannot_be_written_the_data_is_not_served(browser_client, patient, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(AuditEvent, "save", broken)
    browser_client.raise_request_exception = False
    response = browser_client.get(reverse("assessments:chart", args=[patient.pk]))
    assert response.status_code == 500
    assert b"Maria" not in response.content


def test_recording_costs_one_insert_with_the_patient_lookup_inside_it(user, visit, patient, settings):
    """A finding (the deepest lookup: finding -> visit -> patient) costs the request one query, no more."""
    finding = FindingFactory(visit=visit)
    url = f"/api/v1/findings/{finding.pk}/"

    def queries():
        client = APIClient()  # a new client loads the middleware of the current settings
        client.force_authenticate(user)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    with_audit = queries()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "clinic.audit.AuditMiddleware"]
    without_audit = queries()
    assert len(with_audit) - len(without_audit) == 1
    audit_queries = [q for q in with_audit if "clinic_auditevent" in q]
    assert len(audit_queries) == 1 and audit_queries[0].startswith("INSERT")
    assert "assessments_finding" in audit_queries[0]
    assert {e.patient_id for e in AuditEvent.objects.all()} == {patient.pk}


# --- the client address ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.9", "127.0.0.1"),  # no trusted proxy: the header is anyone's claim
        (1, "10.0.0.1, 198.51.100.9", "198.51.100.9"),  # the address our one proxy saw
        (2, "10.0.0.1, 198.51.100.9, 192.0.2.4", "198.51.100.9"),
        (1, "", "127.0.0.1"),  # the header missing: the peer address
        (1, "not-an-ip", None),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_trusts_x_forwarded_for_only_from_the_configured_proxies(
    browser_client, patient, settings, proxies, forwarded, expected
):
    settings.AUDIT_TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    browser_client.get(reverse("assessments:chart", args=[patient.pk]), REMOTE_ADDR="127.0.0.1", **headers)
    assert only_event().client == expected


def test_the_default_is_to_trust_no_proxy():
    assert settings.AUDIT_TRUSTED_PROXY_COUNT == 0


def test_an_owner_and_an_assistant_are_attributed_like_anyone_else(client, clinic, patient):
    for role in (Role.OWNER, Role.ASSISTANT):
        member = MembershipFactory(clinic=clinic, role=role).user
        client.force_login(member)
        client.get(reverse("assessments:chart", args=[patient.pk]))
    assert [e.user.memberships.get().role for e in AuditEvent.objects.order_by("id")] == ["owner", "assistant"]


RELAX = "SET LOCAL synchronous_commit TO OFF"


def _statements(call):
    with CaptureQueriesContext(connection) as ctx:
        call()
    return " ".join(q["sql"] for q in ctx.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_reads_commit_their_event_without_waiting_for_the_flush_on_postgresql_unless_set_off(api, patient, settings):
    """Autocommit, as in production: a read's event is its own transaction with a relaxed commit; a write's never."""
    assert not connection.in_atomic_block
    url = f"/api/v1/patients/{patient.pk}/"
    postgresql = connection.vendor == "postgresql"

    assert settings.AUDIT_ASYNC_READ_COMMIT is True  # the default
    read = _statements(lambda: api.get(url))
    assert (RELAX in read) is postgresql
    assert "INSERT INTO" in read
    update = _statements(lambda: api.patch(url, {"notes": "x", "version": 1}, format="json"))
    assert "INSERT INTO" in update and "synchronous_commit" not in update
    settings.AUDIT_ASYNC_READ_COMMIT = False
    assert "synchronous_commit" not in _statements(lambda: api.get(url))
    assert [e.action for e in AuditEvent.objects.order_by("id")] == ["read", "update", "read"]


def test_a_read_inside_a_transaction_leaves_that_transaction_durable(api, patient, settings):
    """Inside an atomic block (here: the test's own transaction) the event takes the block's commit as it is."""
    assert connection.in_atomic_block and settings.AUDIT_ASYNC_READ_COMMIT
    assert "synchronous_commit" not in _statements(lambda: api.get(f"/api/v1/patients/{patient.pk}/"))
    assert AuditEvent.objects.get().action == "read"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_relaxed_read_event_leaves_the_connections_synchronous_commit_as_it_was(api, patient, visit):
    def setting():
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    before = setting()
    assert before != "off"
    assert api.get(f"/api/v1/visits/{visit.pk}/").status_code == 200
    assert setting() == before  # SET LOCAL: for the event's own transaction only
    assert AuditEvent.objects.get().patient_id == patient.pk  # the patient lookup inside the INSERT


def test_a_write_whose_event_cannot_be_written_is_rolled_back(api, patient, monkeypatch):
    from patients.models import Stressor

    def broken(*args, **kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(AuditEvent, "save", broken)
    api.raise_request_exception = False
    response = api.post(f"/api/v1/patients/{patient.pk}/stressors/", {"kind": "footwear", "severity": 2})
    assert response.status_code == 500
    assert not Stressor.objects.exists()
