"""No patient data in the application logs: request log lines name the route and status, never the path or query."""

import logging
import uuid

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

NAME = "Maria"


@pytest.fixture
def logged(caplog):
    caplog.set_level(logging.INFO)
    return caplog


def _lines(caplog):
    return [record.getMessage() for record in caplog.records]


def test_a_404_with_a_name_in_the_query_string_logs_the_route_and_status_only(api, logged):
    response = api.get(f"/api/v1/patients/{uuid.uuid4()}/?search={NAME}")
    assert response.status_code == 404
    assert _lines(logged) == ["Not Found: <route patient-detail> [status 404]"]
    assert NAME not in logged.text


def test_a_400_with_a_name_in_the_query_string_logs_no_name(api, logged):
    assert api.get(f"/api/v1/visits/?patient={NAME}&search={NAME}").status_code == 400
    assert _lines(logged) == ["Bad Request: <route visit-list> [status 400]"]
    assert NAME not in logged.text


def test_a_name_typed_into_the_path_is_not_logged(browser_client, logged):
    """Unresolved paths can hold anything a person typed: they are not logged at all."""
    assert browser_client.get(f"/patients/{NAME}-Lopez/?q={NAME}").status_code == 404
    assert _lines(logged) == ["Not Found: <unresolved path> [status 404]"]
    assert NAME not in logged.text


def test_a_refused_csrf_post_logs_no_path(user, patient, logged):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("patients:edit", args=[patient.pk]) + f"?q={NAME}", {"first_name": NAME})
    assert response.status_code == 403
    assert any("<route patients:edit>" in line for line in _lines(logged))
    assert NAME not in logged.text and str(patient.pk) not in logged.text


def test_the_development_servers_request_lines_lose_their_query_strings(logged):
    """runserver logs each request line through django.server (WSGIRequestHandler.log_message)."""

    class Handler(WSGIRequestHandler):
        def __init__(self):  # no socket: only log_message is exercised
            self.request = None  # type: ignore[assignment]

        def log_date_time_string(self):
            return "21/Nov/2026 10:00:00"

    Handler().log_message('"%s" %s %s', f"GET /api/v1/patients/?search={NAME}&page=2 HTTP/1.1", "404", "58")
    assert _lines(logged) == ['"GET /api/v1/patients/ HTTP/1.1" 404 58']
    assert NAME not in logged.text


def test_django_no_longer_mails_request_details_to_admins():
    handlers = [h for name in ("django", "django.request") for h in logging.getLogger(name).handlers]
    assert not any(type(h).__name__ == "AdminEmailHandler" for h in handlers)
    root_handlers = logging.getLogger().handlers
    assert not any(type(h).__name__ == "AdminEmailHandler" for h in root_handlers)


def test_the_filter_runs_on_the_loggers_so_every_handler_sees_scrubbed_records():
    for name in ("django.request", "django.server", "django.security.csrf"):
        assert any(type(f).__name__ == "NoPatientData" for f in logging.getLogger(name).filters), name
