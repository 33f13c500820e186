"""The htmx pages follow the role table: what a role cannot use is neither reachable (403 page) nor shown."""

import pytest
from django.urls import reverse

from clinic.models import Role
from patients.models import Injury, Stressor
from tests.factories import (
    FindingFactory,
    InjuryFactory,
    MembershipFactory,
    StressorFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def charted(patient):
    StressorFactory(patient=patient, detail="Night shifts since May")
    InjuryFactory(patient=patient, description="Fell skiing")
    earlier = VisitFactory(patient=patient, chief_complaint="Heel pain on waking", date="2026-10-01")
    FindingFactory(visit=earlier, muscle="soleus")
    later = VisitFactory(patient=patient, chief_complaint="Heel better", date="2026-11-02", kind="follow_up")
    return earlier, later


def signed_in(client, clinic, role):
    client.force_login(MembershipFactory(clinic=clinic, role=role).user)
    return client


def test_the_assistant_sees_details_stressors_and_visit_dates_but_nothing_clinical(client, clinic, patient, charted):
    earlier, later = charted
    html = (
        signed_in(client, clinic, Role.ASSISTANT).get(reverse("assessments:chart", args=[patient.pk])).content.decode()
    )
    assert "Maria Lopez" in html and "Night shifts since May" in html
    assert 'id="schedule"' in html and "2026-10-01" in html and "2026-11-02" in html and "Follow-up" in html
    for clinical in ("Fell skiing", "Old injuries", "Heel pain on waking", "Soleus", "Trends", "progress-pdf"):
        assert clinical not in html
    assert str(earlier.pk) not in html and str(later.pk) not in html  # no link into a visit
    assert 'id="new-visit"' not in html
    assert reverse("patients:edit", args=[patient.pk]) in html  # front-desk details stay editable
    assert "Add stressors" in html


def test_the_practitioner_sees_the_clinical_chart(client, clinic, patient, charted):
    earlier, _ = charted
    html = signed_in(client, clinic, Role.PRACTITIONER).get(reverse("assessments:chart", args=[patient.pk]))
    html = html.content.decode()
    for clinical in ("Fell skiing", "Old injuries", 'id="new-visit"', "progress-pdf", "Trends"):
        assert clinical in html
    assert reverse("assessments:visit", args=[earlier.pk]) in html
    assert 'id="schedule"' not in html
    assert 'href="/clinic/members/"' not in html


@pytest.mark.parametrize(
    "route",
    ["assessments:visit", "assessments:analysis", "assessments:compare"],
)
def test_the_assistant_gets_the_403_page_on_clinical_pages(client, clinic, charted, route):
    _, later = charted
    response = signed_in(client, clinic, Role.ASSISTANT).get(reverse(route, args=[later.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Not allowed" in html and "Heel better" not in html


def test_the_assistant_adds_a_stressor_inline_but_not_an_old_injury(client, clinic, patient):
    assistant = signed_in(client, clinic, Role.ASSISTANT)
    stressor = assistant.post(
        reverse("patients:panel-add", args=[patient.pk, "stressors"]),
        {"new-stressors-kind": "poor_sleep", "new-stressors-severity": "2"},
        HTTP_HX_REQUEST="true",
    )
    assert stressor.status_code == 200 and Stressor.objects.filter(patient=patient, kind="poor_sleep").exists()
    injury = assistant.post(
        reverse("patients:panel-add", args=[patient.pk, "injuries"]),
        {"new-injuries-zone": "lateral_knee", "new-injuries-side": "left", "new-injuries-occurred_on": "2010-01-01"},
    )
    assert injury.status_code == 403 and not Injury.objects.exists()


def test_the_assistant_cannot_start_a_visit(client, clinic, patient):
    response = signed_in(client, clinic, Role.ASSISTANT).post(reverse("assessments:visit-create", args=[patient.pk]))
    assert response.status_code == 403
    assert not patient.visits.exists()


@pytest.mark.parametrize("role", [Role.OWNER, Role.PRACTITIONER])
def test_clinical_roles_see_sign_and_document_buttons_on_the_visit_page(client, clinic, charted, role):
    _, later = charted
    html = signed_in(client, clinic, role).get(reverse("assessments:visit", args=[later.pk])).content.decode()
    assert 'id="sign-visit"' in html


def test_the_owner_navigation_links_to_members(client, clinic):
    html = signed_in(client, clinic, Role.OWNER).get(reverse("patients:list")).content.decode()
    assert 'href="/clinic/members/"' in html
