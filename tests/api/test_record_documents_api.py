"""The visit note and the referral letter through the API: content from the chart, DRAFT on unsigned notes, the
letter's editable text (versions, signed visits, tenancy), each PDF recorded as a document issued and audited."""

import io
from typing import Any

import pytest
from pypdf import PdfReader

from assessments import services
from assessments.models import DocumentIssue, Outcome, ReferralLetter, Screening
from clinic.models import AuditEvent
from tests.factories import (
    FindingFactory,
    InjuryFactory,
    MuscleTestFactory,
    PainSiteFactory,
    StressorFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def pages(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(response.content)).pages]


def flat(response) -> str:
    return " ".join(pages(response))


@pytest.fixture
def practitioner(user):
    user.first_name, user.last_name = "Ana", "Silva"
    user.save()
    return user


@pytest.fixture
def charted(patient, practitioner):
    """A heel-pain visit with one of everything charted, a stressor and an old injury."""
    visit: Any = VisitFactory(patient=patient, created_by=practitioner, notes="Runs 30 km a week.")
    PainSiteFactory(visit=visit)
    PainSiteFactory(visit=visit, zone="calf", nprs=3, primary=False)
    FindingFactory(visit=visit, muscle="soleus", referral_zones=["plantar_heel"], notes="Reproduces the heel pain")
    FindingFactory(visit=visit, muscle="tibialis_posterior", status="latent", recognized=False, tenderness=5)
    MuscleTestFactory(visit=visit, muscle="soleus", phase="pre", result="inhibited")
    MuscleTestFactory(visit=visit, muscle="soleus", phase="post", result="normal")
    services.child_create(model=Outcome, visit=visit, actor=practitioner, data={"measure": "lefs", "value": 52})
    services.child_create(
        model=Screening, visit=visit, actor=practitioner,
        data={"rule": "SAFE-M-CES", "result": "negative", "detail": "Saddle sensation normal"},
    )  # fmt: skip
    StressorFactory(patient=patient, kind="rapid_footwear_transition", detail="Minimal shoes since September")
    InjuryFactory(patient=patient, zone="lateral_ankle", side="right", description="Inversion sprain")
    return visit


def positive_screen(visit, user, **data):
    body = {"rule": "SAFE-M-DVT", "result": "positive", "side": "left", "detail": "Left calf swollen and warm"}
    return services.child_create(model=Screening, visit=visit, actor=user, data={**body, **data})


# --- the visit note ------------------------------------------------------------------------------------------------


def test_the_note_of_a_signed_visit_holds_everything_charted_the_assessment_signature_and_addenda(
    api, charted, practitioner
):
    plan = services.plan_build(visit=charted, actor=practitioner)
    services.plan_confirm(plan=plan, actor=practitioner)
    services.visit_sign(visit=charted, actor=practitioner)
    services.addendum_create(visit=charted, actor=practitioner, text="Phoned: walking without pain.")
    charted.refresh_from_db()

    text = flat(api.get(f"/api/v1/visits/{charted.pk}/note.pdf"))
    for expected in (
        "Heel pain in the morning",  # the complaint
        "Runs 30 km a week.",
        "Changing footwear too quickly",  # the stressor, in the catalog's words
        "Minimal shoes since September",
        "Inversion sprain",  # the old injury, with its date
        "1 Mar 2015",
        "Underside of the heel",  # each pain site
        "Calf",
        "Cauda equina syndrome (SAFE-M-CES)",  # the screen and its result
        "Saddle sensation normal",
        "Soleus, left",  # each finding, with its signs
        "Tibialis posterior, left",
        "Reproduces the heel pain",
        "Soleus left Inhibited Normal",  # the muscle test before and after
        "LEFS (0-80) 52",  # the outcome
        "Not a diagnosis",
        "Ana Silva",
    ):
        assert expected in text, expected
    signed = charted.signed_at.strftime("%H:%M")
    assert f"Signed by Ana Silva on {charted.signed_at.day} " in text and f"{signed} (UTC)" in text
    assert "Addendum by Ana Silva" in text and "Phoned: walking without pain." in text
    assert "Plan not confirmed" not in text and "1. Address stressor" in text
    assert "DRAFT" not in text
    issue = DocumentIssue.objects.get()
    assert (issue.kind, issue.visit_id, issue.patient_id) == ("visit_note", charted.pk, charted.patient_id)
    event = AuditEvent.objects.get(route="visit-note-pdf")
    assert (event.action, event.patient_id, event.object_id) == ("document", charted.patient_id, charted.pk)


def test_the_assessments_sources_print_as_readable_citations_not_catalog_ids(api, charted):
    text = flat(api.get(f"/api/v1/visits/{charted.pk}/note.pdf"))
    assert "Assessment (not a diagnosis)" in text
    assert "Travell JG, Simons DG. Myofascial Pain and Dysfunction" in text
    assert "Rules: SYM-HEEL-PLANTAR" in text


def test_a_draft_visits_note_says_draft_on_every_page(api, charted, practitioner):
    for n in range(14):  # long enough for several pages
        FindingFactory(visit=charted, muscle="soleus", location=f"point {n}", notes="Tender band. " * 20)
    note = pages(api.get(f"/api/v1/visits/{charted.pk}/note.pdf"))
    assert len(note) >= 2
    assert all("DRAFT" in page for page in note)
    assert "Plan not confirmed" in " ".join(note)


def test_a_unicode_name_and_markup_print_literally(api, charted):
    patient = charted.patient
    patient.first_name, patient.last_name = "Zoë", "Łukasiewicz-Øster 李"
    patient.save()
    charted.chief_complaint = "<b>&</b> heel"
    charted.save()
    text = flat(api.get(f"/api/v1/visits/{charted.pk}/note.pdf"))
    assert "Zoë Łukasiewicz-Øster 李" in text
    assert "<b>&</b> heel" in text


def test_each_download_is_recorded_and_a_write_gives_a_new_file(api, charted, practitioner):
    url = f"/api/v1/visits/{charted.pk}/note.pdf"
    first = api.get(url).content
    assert api.get(url).content == first  # kept: the same content that day is the same file
    services.addendum_create(visit=charted, actor=practitioner, text="Second thoughts.")
    assert "Second thoughts." in flat(api.get(url))
    assert DocumentIssue.objects.filter(visit=charted, kind="visit_note").count() == 3


# --- the referral letter -------------------------------------------------------------------------------------------


def test_no_positive_screen_means_no_referral_letter(api, charted):
    url = f"/api/v1/visits/{charted.pk}/referral"
    for response in (api.get(f"{url}/"), api.patch(f"{url}/", {"body": "x"}, format="json"), api.get(f"{url}.pdf")):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert "positive" in response.json()["detail"]
    assert not DocumentIssue.objects.exists()
    assert not ReferralLetter.objects.exists()


def test_the_letter_names_the_positive_screen_its_criteria_and_the_practitioners_contact(api, charted, practitioner):
    clinic = charted.clinic
    clinic.address, clinic.phone, clinic.email = "12 Harbour Street, Bristol", "0117 496 0000", "desk@harbour.example"
    clinic.save()
    positive_screen(charted, practitioner)
    services.plan_build(visit=charted, actor=practitioner)

    text = flat(api.get(f"/api/v1/visits/{charted.pk}/referral.pdf"))
    assert "Possible deep-vein thrombosis (left side): red-flag screen positive (catalog rule SAFE-M-DVT)." in text
    assert "Left calf swollen and warm" in text
    for sign in ("unilateral calf or whole-leg swelling", "pitting oedema in the symptomatic leg", "warmth/redness"):
        assert sign in text  # the rule's criteria, in clinician language
    assert "Wells PS et al. Lancet 1997" in text
    assert "No trigger-point treatment or self-care was given to the affected area on the left side" in text
    assert "Withheld until medically cleared: soleus (left), tibialis posterior (left)." in text
    assert "Ana Silva Home Clinic 12 Harbour Street, Bristol Phone: 0117 496 0000 · Email: desk@harbour.example" in text
    assert "To The patient's general practitioner" in text
    assert "Dear Doctor," in text and "assess Maria Lopez the same day" in text
    issue = DocumentIssue.objects.get()
    assert (issue.kind, issue.visit_id, issue.patient_id) == ("referral", charted.pk, charted.patient_id)
    event = AuditEvent.objects.get(route="visit-referral-pdf")
    assert (event.action, event.patient_id) == ("document", charted.patient_id)


def test_the_letter_uses_the_edited_text_after_a_patch(api, charted, practitioner):
    positive_screen(charted, practitioner)
    url = f"/api/v1/visits/{charted.pk}/referral/"
    letter = api.get(url)
    assert letter.status_code == 200
    body = letter.json()
    assert (body["id"], body["version"], body["body"], body["recipient"]) == (None, 0, "", "")
    assert letter["ETag"] == '"0"'
    assert body["positive_screens"] == [
        {"rule": "SAFE-M-DVT", "condition": "Possible deep-vein thrombosis", "side": "left",
         "detail": "Left calf swollen and warm"}
    ]  # fmt: skip
    assert "positive for possible deep-vein thrombosis (left side)" in body["default_body"]

    edit = {"recipient": "Dr Ravi Patel", "body": "Dear Dr Patel,\n\nPlease see <b>Maria</b> & her calf today.",
            "version": 0}  # fmt: skip
    saved = api.patch(url, edit, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 1 and saved.json()["body"] == edit["body"] and saved["ETag"] == '"1"'
    text = flat(api.get(f"/api/v1/visits/{charted.pk}/referral.pdf"))
    assert "To Dr Ravi Patel" in text
    assert "Please see <b>Maria</b> & her calf today." in text
    assert "Dear Doctor," not in text

    reset = api.patch(url, {"body": "", "version": 1}, format="json")
    assert reset.status_code == 200 and reset.json()["version"] == 2
    assert "Dear Doctor," in flat(api.get(f"/api/v1/visits/{charted.pk}/referral.pdf"))  # blank: the default again
    audited = AuditEvent.objects.filter(route="visit-referral", method="PATCH").values_list("action", flat=True)
    assert list(audited) == ["update", "update"]


def test_a_stale_version_is_refused_and_changes_nothing(api, charted, practitioner):
    positive_screen(charted, practitioner)
    url = f"/api/v1/visits/{charted.pk}/referral/"
    assert api.patch(url, {"body": "First.", "version": 0}, format="json").status_code == 200
    stale = api.patch(url, {"body": "Second.", "version": 0}, format="json")
    assert stale.status_code == 409 and "stale" in stale.json()["detail"]
    assert api.patch(url, {"body": "Third.", "version": 7}, format="json").status_code == 409
    assert api.patch(url, {"body": "Fourth."}, format="json", HTTP_IF_MATCH='"0"').status_code == 412
    assert api.get(url).json()["body"] == "First."


def test_a_signed_visits_letter_is_read_only(api, charted, practitioner):
    positive_screen(charted, practitioner)
    services.visit_sign(visit=charted, actor=practitioner)
    url = f"/api/v1/visits/{charted.pk}/referral/"
    refused = api.patch(url, {"body": "Too late.", "version": 0}, format="json")
    assert refused.status_code == 409
    assert "signed" in refused.json()["detail"]
    assert not ReferralLetter.objects.exists()
    assert api.get(url).status_code == 200
    assert "Dear Doctor," in flat(api.get(f"/api/v1/visits/{charted.pk}/referral.pdf"))


def test_the_letters_fields_are_validated(api, charted, practitioner):
    positive_screen(charted, practitioner)
    url = f"/api/v1/visits/{charted.pk}/referral/"
    assert api.patch(url, {"body": 5}, format="json").json() == {"body": ["Not a valid string."]}
    assert "recipient" in api.patch(url, {"recipient": "x" * 301}, format="json").json()
    assert "version" in api.patch(url, {"version": -1}, format="json").json()
    assert api.patch(url, {"id": "00000000-0000-4000-8000-000000000000"}, format="json").status_code == 400
    assert not ReferralLetter.objects.exists()


def test_another_clinics_visit_is_404_for_both_documents_and_the_letter(api, foreign_patient):
    visit = VisitFactory(patient=foreign_patient)
    Screening.objects.create(clinic=visit.clinic, visit=visit, rule="SAFE-M-DVT", result="positive")
    for response in (
        api.get(f"/api/v1/visits/{visit.pk}/note.pdf"),
        api.get(f"/api/v1/visits/{visit.pk}/referral.pdf"),
        api.get(f"/api/v1/visits/{visit.pk}/referral/"),
        api.patch(f"/api/v1/visits/{visit.pk}/referral/", {"body": "x"}, format="json"),
    ):
        assert response.status_code == 404
    assert not DocumentIssue.objects.exists() and not ReferralLetter.objects.exists()


def test_an_archived_positive_screen_takes_the_letter_away(api, charted, practitioner):
    screen = positive_screen(charted, practitioner)
    url = f"/api/v1/visits/{charted.pk}/referral/"
    assert api.get(url).status_code == 200
    services.child_archive(child=screen, actor=practitioner)
    assert api.get(url).status_code == 404
    assert api.get(f"/api/v1/visits/{charted.pk}/referral.pdf").status_code == 404


def test_a_point_in_the_affected_area_charted_as_treated_is_reported_not_hidden(api, charted, practitioner):
    soleus = charted.findings.get(muscle="soleus")
    soleus.treated, soleus.technique, soleus.response = True, "hold", "released"
    soleus.save()
    positive_screen(charted, practitioner)
    text = flat(api.get(f"/api/v1/visits/{charted.pk}/referral.pdf"))
    assert "No further trigger-point treatment or self-care was given to the affected area" in text
    assert "Charted as treated in the affected area at this visit: soleus (left)." in text
    assert "Withheld until medically cleared: tibialis posterior (left)." in text


def test_the_refer_steps_catalog_ids_give_way_to_readable_citations_in_the_note(api, charted, practitioner):
    positive_screen(charted, practitioner)
    services.plan_confirm(plan=services.plan_build(visit=charted, actor=practitioner), actor=practitioner)
    text = flat(api.get(f"/api/v1/visits/{charted.pk}/note.pdf"))
    step = text[text.index("1. Refer") :]
    assert "until medically cleared." in step
    assert "Sources: Wells1997" not in step
    assert "Sources: Wells PS et al. Lancet 1997" in step


def test_the_documents_content_is_read_in_a_number_of_queries_that_does_not_grow_with_the_chart(clinic, practitioner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from assessments import document_selectors
    from tests.factories import PatientFactory

    def queries(findings: int) -> int:
        visit: Any = VisitFactory(patient=PatientFactory(clinic=clinic), created_by=practitioner)
        for n in range(findings):
            FindingFactory(visit=visit, muscle="soleus", location=f"point {n}", treated=n % 2 == 0)
            side = "left" if n % 2 else "right"
            FindingFactory(visit=visit, muscle="tibialis_posterior", side=side, location=f"point {n}")
            StressorFactory(patient=visit.patient, detail=f"stressor {n}")
            InjuryFactory(patient=visit.patient, description=f"injury {n}")
            services.addendum_create(visit=visit, actor=practitioner, text=f"Called {n}.")
        MuscleTestFactory(visit=visit, muscle="soleus", phase="pre")
        MuscleTestFactory(visit=visit, muscle="soleus", phase="post", result="normal")
        positive_screen(visit, practitioner)
        with CaptureQueriesContext(connection) as captured:
            document_selectors.visit_note(clinic=clinic, visit_id=visit.pk, issued_on=timezone.localdate())
            document_selectors.referral_letter(clinic=clinic, visit_id=visit.pk, issued_on=timezone.localdate())
        return len(captured)

    assert queries(2) == queries(20)
