"""The stable command-line: `manage.py demo` leaves a demo clinic with patients and visits to explore."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.http import HttpRequest

from assessments.models import Visit
from operations.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo
from patients.models import Patient

pytestmark = pytest.mark.django_db


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


def test_the_demo_shows_a_history_treatments_tried_and_a_gait_observation():
    """Issue 23 in the tour: Maria's first visit has its history, she has two treatments tried, and James's reduced left
    arm swing names his left shoulder for the right thigh pain (HX-06, KC-X1)."""
    from assessments.models import Observation, VisitHistory
    from assessments.selectors import visit_analysis
    from patients.models import PriorTreatment

    load_demo()
    maria_history = VisitHistory.objects.get(visit__patient__first_name="Maria")
    assert (maria_history.mechanism, maria_history.patterns) == ("after_change", ["morning"])
    assert PriorTreatment.objects.filter(patient__first_name="Maria").count() == 2
    swing = Observation.objects.get(visit__patient__first_name="James")
    analysis = visit_analysis(visit=swing.visit)
    assert any("HX-06" in driver.rule_ids and driver.side == "left" for driver in analysis.remote_drivers)
