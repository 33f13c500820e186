"""A panel's request after the session has ended: a clear notice and a sign-in back to the page, nothing swapped away,
nothing saved; a plain request still goes to the sign-in page."""

import pytest
from django.urls import reverse

from assessments.models import Finding
from tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def test_an_htmx_save_without_a_session_answers_401_with_a_sign_in_back_to_the_visit(client, patient):
    visit = VisitFactory(patient=patient)
    page = f"http://testserver{reverse('assessments:visit', args=[visit.pk])}"
    url = reverse("assessments:section-add", args=[visit.pk, "findings"])
    response = client.post(
        url, {"muscle": "soleus", "side": "left", "tenderness": 6}, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=page
    )
    assert response.status_code == 401
    assert response["HX-Retarget"] == "#session-notice" and response["HX-Reswap"] == "innerHTML"
    body = response.content.decode()
    assert "Your session has ended" in body and "still in the form" in body
    assert f"/accounts/login/?next=%2Fvisits%2F{visit.pk}%2F" in body
    assert not Finding.objects.exists()


def test_a_foreign_current_url_is_not_where_the_sign_in_returns(client, patient):
    visit = VisitFactory(patient=patient)
    url = reverse("assessments:section-add", args=[visit.pk, "findings"])
    response = client.post(url, {}, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://evil.example/visits/")
    assert response.status_code == 401
    assert "evil.example" not in response.content.decode()


def test_a_plain_request_without_a_session_goes_to_the_sign_in_page(client, patient):
    visit = VisitFactory(patient=patient)
    response = client.get(reverse("assessments:visit", args=[visit.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_session_state_says_whether_signed_in_and_gives_a_fresh_csrf_token(client, user):
    state = client.get(reverse("session-state")).json()
    assert state["signed_in"] is False and state["csrf_token"]
    client.force_login(user)
    signed_in = client.get(reverse("session-state"))
    assert signed_in.json()["signed_in"] is True and signed_in["Cache-Control"] == "no-store"
