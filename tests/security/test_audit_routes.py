"""The route matrix: every patient-data route in the URL resolver is probed and each request adds its audit row.

A route is patient data when its URL is under the patient pages (/patients/, /visits/) or the patient API
(/api/v1/patients|stressors|injuries|visits|findings|muscle-tests/), plus the audit page (it shows patient names).
Adding such a route without a probe here, or without a declaration in clinic.audit.routes, fails this file.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.models import Screening
from clinic.audit.routes import ROUTES
from clinic.models import AuditEvent
from tests.factories import (
    FavouriteSetFactory,
    FindingFactory,
    InjuryFactory,
    MuscleTestFactory,
    ObservationFactory,
    PainSiteFactory,
    PatientFactory,
    StressorFactory,
    TreatmentFactory,
    VisitFactory,
)

PATIENT_DATA = re.compile(
    r"^(patients|visits)/|^api/v1/(patients|stressors|injuries|treatments|visits|findings|muscle-tests|observations)/"
)
ALSO_PATIENT_DATA = {"audit"}


def resolver_routes(patterns=None, prefix="", namespace=""):
    """(URL pattern, view name) of every route the project serves."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from resolver_routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield (prefix + str(entry.pattern)).replace("^", "").replace("$", ""), name


def patient_data_routes():
    return {name for pattern, name in resolver_routes() if PATIENT_DATA.match(pattern) or name in ALSO_PATIENT_DATA}


@dataclass(frozen=True)
class Probe:
    api: bool  # token-authenticated API client, else a signed-in browser session
    method: str
    url: Callable[[SimpleNamespace], str]
    action: str
    names_patient: bool = True  # the URL leads to one patient


def page(method, name, *args, action="read", names_patient=True):
    def url(w):
        return reverse(name, args=[getattr(w, a) if a in vars(w) else a for a in args])

    return Probe(False, method, url, action, names_patient)


def api(method, template, action="read", names_patient=True):
    return Probe(True, method, lambda w: template.format(**vars(w)), action, names_patient)


PROBES = {
    "patients:list": page("GET", "patients:list", names_patient=False),
    "patients:create": page("GET", "patients:create", names_patient=False),
    "assessments:chart": page("GET", "assessments:chart", "patient"),
    "patients:edit": page("POST", "patients:edit", "patient", action="update"),
    "patients:panel-add": page("POST", "patients:panel-add", "patient", "stressors", action="create"),
    "patients:panel-edit": page("GET", "patients:panel-edit", "patient", "stressors", "stressor"),
    "patients:panel-archive": page("POST", "patients:panel-archive", "patient", "injuries", "injury", action="archive"),
    "assessments:visit-create": page("POST", "assessments:visit-create", "patient", action="create"),
    "assessments:visit": page("GET", "assessments:visit", "visit"),
    "assessments:visit-details": page("POST", "assessments:visit-details", "visit", action="update"),
    "assessments:visit-history": page("POST", "assessments:visit-history", "visit", action="update"),
    "assessments:section-add": page("POST", "assessments:section-add", "visit", "findings", action="create"),
    "assessments:section-remove": page(
        "POST", "assessments:section-remove", "visit", "findings", "finding", action="archive"
    ),
    "assessments:section-row": page("GET", "assessments:section-row", "visit", "findings", "finding"),
    "assessments:section-edit": page(
        "POST", "assessments:section-edit", "visit", "findings", "finding", action="update"
    ),
    "assessments:section-restore": page(
        "POST", "assessments:section-restore", "visit", "findings", "removed_finding", action="update"
    ),
    "assessments:analysis": page("GET", "assessments:analysis", "visit"),
    "assessments:compare": page("GET", "assessments:compare", "visit"),
    "assessments:plan-build": page("POST", "assessments:plan-build", "visit", action="update"),
    "assessments:plan-status": page("GET", "assessments:plan-status", "visit"),
    "assessments:plan-step-add": page("POST", "assessments:plan-step-add", "visit", action="update"),
    "assessments:plan-move": page("POST", "assessments:plan-move", "visit", 1, action="update"),
    "assessments:plan-drop": page("POST", "assessments:plan-drop", "visit", 1, action="update"),
    "assessments:plan-rationale": page("POST", "assessments:plan-rationale", "visit", 1, action="update"),
    "assessments:plan-step-note": page("POST", "assessments:plan-step-note", "visit", 1, action="update"),
    "assessments:plan-words": page("POST", "assessments:plan-words", "visit", action="update"),
    "assessments:plan-confirm": page("POST", "assessments:plan-confirm", "visit", action="update"),
    "assessments:sign": page("POST", "assessments:sign", "visit", action="sign"),
    "assessments:addendum": page("POST", "assessments:addendum", "visit", action="create"),
    "assessments:carry-forward": page("POST", "assessments:carry-forward", "visit", action="create"),
    "assessments:screen-reconfirm": page("POST", "assessments:screen-reconfirm", "visit", action="create"),
    "assessments:visit-note": page("GET", "assessments:visit-note", "visit"),
    "assessments:referral": page("POST", "assessments:referral", "visit", action="update"),
    "assessments:referral-panel": page("GET", "assessments:referral-panel", "visit"),
    "assessments:favourites": page("GET", "assessments:favourites", "visit"),
    "assessments:favourite-chart": page("POST", "assessments:favourite-chart", "visit", "favourite", action="create"),
    "assessments:favourite-save": page("POST", "assessments:favourite-save", "visit", action="create"),
    "audit": page("GET", "audit", names_patient=False),
    "patient-list": api("GET", "/api/v1/patients/", names_patient=False),
    "patient-detail": api("GET", "/api/v1/patients/{patient}/"),
    "patient-stressors": api("GET", "/api/v1/patients/{patient}/stressors/"),
    "patient-injuries": api("GET", "/api/v1/patients/{patient}/injuries/"),
    "patient-progress": api("GET", "/api/v1/patients/{patient}/progress/"),
    "patient-progress-pdf": api("GET", "/api/v1/patients/{patient}/progress.pdf", "document"),
    "stressor-detail": api("GET", "/api/v1/stressors/{stressor}/"),
    "injury-detail": api("GET", "/api/v1/injuries/{injury}/"),
    "visit-list": api("GET", "/api/v1/visits/?patient={patient}"),
    "visit-detail": api("GET", "/api/v1/visits/{visit}/"),
    "visit-addenda": api("GET", "/api/v1/visits/{visit}/addenda/"),
    "visit-analysis": api("GET", "/api/v1/visits/{visit}/analysis/"),
    "visit-findings": api("GET", "/api/v1/visits/{visit}/findings/"),
    "visit-muscle-tests": api("GET", "/api/v1/visits/{visit}/muscle-tests/"),
    "visit-outcomes": api("GET", "/api/v1/visits/{visit}/outcomes/"),
    "visit-pain-sites": api("GET", "/api/v1/visits/{visit}/pain-sites/"),
    "visit-screening": api("GET", "/api/v1/visits/{visit}/screening/"),
    "visit-plan": api("GET", "/api/v1/visits/{visit}/plan/"),
    "visit-plan-confirm": api("POST", "/api/v1/visits/{visit}/plan/confirm/", "update"),
    "visit-plan-steps": api("POST", "/api/v1/visits/{visit}/plan/steps/", "update"),
    "visit-sign": api("POST", "/api/v1/visits/{visit}/sign/", "sign"),
    "visit-compare": api("GET", "/api/v1/visits/{visit}/compare/"),
    "visit-home-care-pdf": api("GET", "/api/v1/visits/{visit}/home-care.pdf", "document"),
    "visit-note-pdf": api("GET", "/api/v1/visits/{visit}/note.pdf", "document"),
    "visit-referral-pdf": api("GET", "/api/v1/visits/{visit}/referral.pdf", "document"),
    "visit-referral": api("GET", "/api/v1/visits/{visit}/referral/"),
    "visit-favourite-chart": api("POST", "/api/v1/visits/{visit}/favourites/{favourite}/chart/", "create"),
    "finding-detail": api("GET", "/api/v1/findings/{finding}/"),
    "muscle-test-detail": api("GET", "/api/v1/muscle-tests/{muscle_test}/"),
    "observation-detail": api("GET", "/api/v1/observations/{observation}/"),
    "visit-observations": api("GET", "/api/v1/visits/{visit}/observations/"),
    "visit-history": api("GET", "/api/v1/visits/{visit}/history/"),
    "patient-treatments": api("GET", "/api/v1/patients/{patient}/treatments/"),
    "treatment-detail": api("GET", "/api/v1/treatments/{treatment}/"),
}
WITH_OBJECT = sorted(name for name, probe in PROBES.items() if probe.names_patient)


def world(clinic):
    """One patient with one of everything, in `clinic`."""
    patient = PatientFactory(clinic=clinic)
    visit = VisitFactory(patient=patient)
    Screening.objects.create(clinic=clinic, visit=visit, rule="SAFE-M-DVT", side="left", result="positive")
    return SimpleNamespace(
        patient=patient.pk,
        visit=visit.pk,
        stressor=StressorFactory(patient=patient).pk,
        injury=InjuryFactory(patient=patient).pk,
        finding=FindingFactory(visit=visit).pk,
        removed_finding=FindingFactory(visit=visit, muscle="gastrocnemius", archived_at=timezone.now()).pk,
        muscle_test=MuscleTestFactory(visit=visit).pk,
        observation=ObservationFactory(visit=visit).pk,
        treatment=TreatmentFactory(patient=patient).pk,
        pain_site=PainSiteFactory(visit=visit).pk,
        favourite=FavouriteSetFactory(clinic=clinic, shared=True).pk,
    )


def send(probe, client, w):
    url = probe.url(w)
    return client.generic(probe.method, url) if not probe.api else getattr(client, probe.method.lower())(url)


def the_new_event(name, probe, response):
    events = list(AuditEvent.objects.all())
    assert len(events) == 1, f"{name}: {len(events)} audit rows for one request (status {response.status_code})"
    event = events[0]
    assert (event.route, event.method, event.status) == (name, probe.method, response.status_code)
    return event


# --- the matrix is complete --------------------------------------------------------------------------------------


def test_every_patient_data_route_of_the_resolver_is_probed_here():
    routes = patient_data_routes()
    assert routes - set(PROBES) == set(), "patient-data routes without a probe in tests/security/test_audit_routes.py"
    assert set(PROBES) - routes == set(), "probes of routes that are gone (or no longer patient data)"


def test_every_patient_data_route_is_declared_to_the_audit_middleware():
    assert patient_data_routes() - set(ROUTES) == set(), "declare these in clinic/audit/routes.py"
    assert set(ROUTES) - patient_data_routes() == set(), "declared routes the resolver does not serve"


def test_the_matrix_recognises_the_routes_that_are_not_patient_data():
    names = {name for _, name in resolver_routes()}
    for name in ("login", "api-token", "api-schema", "api-docs", "catalog-muscles", "choose-clinic", "home"):
        assert name in names and name not in patient_data_routes()


# --- each route adds its row -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PROBES))
def test_a_members_request_adds_one_row_with_user_clinic_patient_and_action(name, user, clinic, api, browser_client):
    probe = PROBES[name]
    w = world(clinic)
    response = send(probe, api if probe.api else browser_client, w)
    event = the_new_event(name, probe, response)
    assert (event.user, event.clinic, event.action) == (user, clinic, probe.action)
    assert event.patient_id == (w.patient if probe.names_patient else None)
    assert event.client == "127.0.0.1"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PROBES))
def test_an_anonymous_request_adds_one_denied_row_without_user_clinic_or_patient(name, clinic, client):
    probe = PROBES[name]
    response = send(probe, APIClient() if probe.api else client, world(clinic))
    event = the_new_event(name, probe, response)
    assert response.status_code in (302, 401, 403)
    assert (event.user, event.clinic, event.patient_id, event.outcome) == (None, None, None, "denied")


@pytest.mark.django_db
@pytest.mark.parametrize("name", WITH_OBJECT)
def test_another_clinics_object_adds_one_not_found_row_with_the_user_and_no_patient(
    name, user, clinic, other_clinic, api, browser_client
):
    probe = PROBES[name]
    response = send(probe, api if probe.api else browser_client, world(other_clinic))
    event = the_new_event(name, probe, response)
    assert response.status_code == 404
    assert (event.user, event.clinic, event.patient_id, event.outcome) == (user, clinic, None, "not_found")
