"""The visit note's print view and the referral letter's panel on the visit page (htmx form, inline errors)."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import ReferralLetter, Screening
from clinic.models import Role
from tests.factories import FindingFactory, MembershipFactory, PainSiteFactory, VisitFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def visit(patient, user):
    visit = VisitFactory(patient=patient, created_by=user)
    PainSiteFactory(visit=visit)
    FindingFactory(visit=visit, muscle="soleus", referral_zones=["plantar_heel"])
    return visit


def positive(visit, user):
    return services.child_create(
        model=Screening, visit=visit, actor=user,
        data={"rule": "SAFE-M-DVT", "result": "positive", "side": "left", "detail": "Calf swollen"},
    )  # fmt: skip


def page(client, visit) -> str:
    response = client.get(reverse("assessments:visit", args=[visit.pk]))
    assert response.status_code == 200
    return response.content.decode()


def save(client, visit, **data):
    return client.post(reverse("assessments:referral", args=[visit.pk]), data, **HTMX)


# --- print view ----------------------------------------------------------------------------------------------------


def test_the_visit_page_links_the_note_and_its_print_view_shows_the_soap_note(browser_client, visit, user):
    assert reverse("assessments:visit-note", args=[visit.pk]) in page(browser_client, visit)
    assert reverse("visit-note-pdf", args=[visit.pk]) in page(browser_client, visit)
    draft = browser_client.get(reverse("assessments:visit-note", args=[visit.pk])).content.decode()
    for text in ("Subjective", "Objective", "Assessment (not a diagnosis)", "Not a diagnosis.", "Plan not confirmed",
                 "Underside of the heel", "Soleus, left", "Not signed.", 'class="watermark"'):  # fmt: skip
        assert text in draft, text
    services.visit_sign(visit=visit, actor=user)
    signed = browser_client.get(reverse("assessments:visit-note", args=[visit.pk])).content.decode()
    assert 'class="watermark"' not in signed and "Signed</strong> by" in signed


def test_an_assistant_gets_no_print_view(client, clinic, visit):
    assistant = MembershipFactory(clinic=clinic, role=Role.ASSISTANT).user
    client.force_login(assistant)
    assert client.get(reverse("assessments:visit-note", args=[visit.pk])).status_code == 403


# --- referral panel ------------------------------------------------------------------------------------------------


def test_the_referral_panel_appears_only_when_a_screen_is_positive(browser_client, visit, user):
    assert 'id="panel-referral"' not in page(browser_client, visit)
    slot = browser_client.get(reverse("assessments:referral-panel", args=[visit.pk]), **HTMX).content.decode()
    assert 'id="referral-slot"' in slot and 'id="panel-referral"' not in slot
    positive(visit, user)
    shown = page(browser_client, visit)
    assert 'id="panel-referral"' in shown
    assert "Possible deep-vein thrombosis" in shown
    assert reverse("visit-referral-pdf", args=[visit.pk]) in shown
    assert "assess Maria Lopez the same day" in shown  # the generated text, ready to edit
    refreshed = browser_client.get(reverse("assessments:referral-panel", args=[visit.pk]), **HTMX).content.decode()
    assert 'id="panel-referral"' in refreshed


def test_saving_the_letter_shows_it_on_the_page_and_in_the_pdf(browser_client, visit, user):
    positive(visit, user)
    response = save(browser_client, visit, recipient="Dr Ravi Patel", body="Please see her today.", version="0")
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section class="card referral" id="panel-referral"')
    letter = ReferralLetter.objects.get(visit=visit)
    assert (letter.recipient, letter.body, letter.version) == ("Dr Ravi Patel", "Please see her today.", 1)
    assert "Please see her today." in page(browser_client, visit)  # the cached page follows the write


def test_the_generated_text_sent_back_unchanged_is_saved_blank(browser_client, visit, user):
    positive(visit, user)
    from assessments import document_selectors, selectors

    default = document_selectors.referral_state(visit=selectors.visit_detail(clinic=visit.clinic, visit_id=visit.pk))
    body = default.default_body.replace("\n", "\r\n")  # as a browser sends a textarea
    assert save(browser_client, visit, recipient="", body=body, version="0").status_code == 200
    assert ReferralLetter.objects.get(visit=visit).body == ""


def test_errors_show_inline_and_nothing_is_saved(browser_client, visit, user):
    positive(visit, user)
    too_long = save(browser_client, visit, recipient="x" * 301, body="Text", version="0")
    assert too_long.status_code == 400
    assert 'class="field-error"' in too_long.content.decode()
    assert not ReferralLetter.objects.exists()
    assert save(browser_client, visit, body="First.", version="0").status_code == 200
    stale = save(browser_client, visit, body="Second.", version="0")
    assert stale.status_code == 409
    assert "stale version" in stale.content.decode()
    assert ReferralLetter.objects.get(visit=visit).body == "First."


def test_a_signed_visits_letter_is_shown_read_only_and_a_post_is_refused(browser_client, visit, user):
    positive(visit, user)
    services.visit_sign(visit=visit, actor=user)
    shown = page(browser_client, visit)
    assert 'id="panel-referral"' in shown and 'id="save-referral"' not in shown
    refused = save(browser_client, visit, body="Too late.", version="0")
    assert refused.status_code == 409
    assert "signed" in refused.content.decode()
    assert not ReferralLetter.objects.exists()


def test_no_positive_screen_no_letter_to_save(browser_client, visit):
    assert save(browser_client, visit, body="Text", version="0").status_code == 404
