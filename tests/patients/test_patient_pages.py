"""Practitioner pages: sign in, patient list and search, patient page, forms, inline htmx panels."""

import pytest
from django.urls import reverse

from patients.models import Injury, Patient, Stressor
from tests.factories import PatientFactory, StressorFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_served_and_the_login_reaches_the_patient_list(client, user, patient):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(
        reverse("login"), {"username": user.username, "password": "correct-horse-battery"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("patients:list")
    assert "Lopez, Maria" in response.content.decode()


def test_pages_require_login(client, patient):
    response = client.get(reverse("assessments:chart", args=[patient.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_patient_list_searches_by_name_and_htmx_gets_only_the_results(browser_client, clinic):
    PatientFactory(clinic=clinic, first_name="Zoe", last_name="Brown")
    PatientFactory(clinic=clinic, first_name="Adam", last_name="Green")
    page = browser_client.get(reverse("patients:list"), {"q": "green"}).content.decode()
    assert "Green, Adam" in page and "Brown, Zoe" not in page
    partial = browser_client.get(
        reverse("patients:list"), {"q": "zoe"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="patient-results"
    ).content.decode()
    assert "Brown, Zoe" in partial and "<html" not in partial


def test_patient_list_hides_other_clinics(browser_client, foreign_patient):
    assert "Person, Foreign" not in browser_client.get(reverse("patients:list")).content.decode()


def test_another_clinics_patient_page_is_404(browser_client, foreign_patient):
    assert browser_client.get(reverse("assessments:chart", args=[foreign_patient.pk])).status_code == 404
    assert browser_client.get(reverse("patients:edit", args=[foreign_patient.pk])).status_code == 404
    url = reverse("patients:panel-add", args=[foreign_patient.pk, "stressors"])
    assert browser_client.post(url, {"new-stressors-kind": "footwear"}).status_code == 404
    assert not Stressor.objects.filter(patient=foreign_patient).exists()


def test_create_patient_form_shows_field_errors_and_saves_nothing(browser_client):
    response = browser_client.post(
        reverse("patients:create"), {"first_name": "", "last_name": "X", "date_of_birth": "2999-01-01", "sex": "female"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page and "This date is in the future." in page
    assert Patient.objects.count() == 0


def test_create_patient_form_saves_and_opens_the_patient(browser_client, clinic):
    response = browser_client.post(
        reverse("patients:create"), {"first_name": "Ana", "last_name": "Silva", "sex": "female"}, follow=True
    )
    patient = Patient.objects.get(last_name="Silva")
    assert patient.clinic == clinic
    assert response.redirect_chain[-1][0] == reverse("assessments:chart", args=[patient.pk])


def test_edit_with_a_stale_version_is_refused_with_a_message(browser_client, patient):
    url = reverse("patients:edit", args=[patient.pk])
    data = {"first_name": "Maria", "last_name": "Lopez", "sex": "female", "version": 1}
    assert browser_client.post(url, {**data, "occupation": "Nurse"}).status_code == 302
    response = browser_client.post(url, {**data, "occupation": "Pilot"})
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    patient.refresh_from_db()
    assert patient.occupation == "Nurse"


def test_patient_page_shows_details_stressors_and_injuries(browser_client, patient):
    StressorFactory(patient=patient, kind="rapid_footwear_transition", category="physical_structural")
    page = browser_client.get(reverse("assessments:chart", args=[patient.pk])).content.decode()
    assert "Maria Lopez" in page
    assert 'id="panel-stressors"' in page and 'id="panel-injuries"' in page
    assert 'id="visits"' in page


def test_htmx_add_stressor_returns_the_panel_partial(browser_client, patient):
    url = reverse("patients:panel-add", args=[patient.pk, "stressors"])
    response = browser_client.post(
        url, {"new-stressors-kind": "poor_sleep", "new-stressors-severity": "2"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card panel" id="panel-stressors"')
    assert Stressor.objects.get(patient=patient).category == "emotional_mental"


def test_htmx_add_stressor_with_bad_input_shows_inline_errors(browser_client, patient):
    url = reverse("patients:panel-add", args=[patient.pk, "stressors"])
    response = browser_client.post(
        url, {"new-stressors-kind": "moon_phase", "new-stressors-severity": "9"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert not Stressor.objects.exists()


def test_htmx_edit_and_archive_an_injury(browser_client, patient):
    url = reverse("patients:panel-add", args=[patient.pk, "injuries"])
    browser_client.post(
        url, {"new-injuries-zone": "posterior_shoulder", "new-injuries-side": "left"}, HTTP_HX_REQUEST="true"
    )
    injury = Injury.objects.get(patient=patient)
    edit = reverse("patients:panel-edit", args=[patient.pk, "injuries", injury.pk])
    assert "Save" in browser_client.get(edit, HTTP_HX_REQUEST="true").content.decode()
    prefix = f"edit-{injury.pk}"
    response = browser_client.post(
        edit,
        {f"{prefix}-zone": "posterior_shoulder", f"{prefix}-side": "left", f"{prefix}-painful_now": "on",
         f"{prefix}-version": "1"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response.status_code == 200
    injury.refresh_from_db()
    assert injury.painful_now and injury.version == 2
    archive = reverse("patients:panel-archive", args=[patient.pk, "injuries", injury.pk])
    browser_client.post(archive, HTTP_HX_REQUEST="true")
    injury.refresh_from_db()
    assert injury.archived_at is not None


def test_unknown_panel_is_404(browser_client, patient):
    assert browser_client.post(reverse("patients:panel-add", args=[patient.pk, "secrets"])).status_code == 404
