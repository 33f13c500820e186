"""The referral letter builder: the recipient and the letter's text, the positive screen with its criteria, what was
done and not done, the practitioner's name and the clinic's contact details."""

from __future__ import annotations

from dataclasses import replace

from assessments.documents import build_referral_pdf
from assessments.documents.record_samples import DVT_SIGNS, sample_referral
from tests.assessments.documents.helpers import pdf_text, reader


def test_the_letter_names_the_finding_its_criteria_and_what_was_and_was_not_done():
    letter = sample_referral()
    text = pdf_text(build_referral_pdf(letter))
    assert "To Dr Ravi Patel, Clifton Medical Practice" in text
    assert "Re Maria Lopez, born 17 May 1980, seen on 2 Nov 2026" in text
    assert "Possible deep-vein thrombosis (left side): red-flag screen positive (catalog rule SAFE-M-DVT)." in text
    assert "Left calf 3.5 cm larger than the right" in text
    assert "Urgency same day" in text
    for sign in DVT_SIGNS:
        assert sign in text
    assert "Wells PS et al. Lancet 1997" in text
    assert "No trigger-point treatment or self-care was given to the affected area" in text
    assert "Trigger-point treatment elsewhere: upper trapezius (right)." in text


def test_the_practitioner_signs_with_the_clinics_contact_details_right_after_the_text():
    text = pdf_text(build_referral_pdf(sample_referral()))
    sign_off = text.index("Yours sincerely,")
    assert text.index("set out below.") < sign_off < text.index("Clinical details")
    tail = text[sign_off:]
    assert tail.startswith("Yours sincerely, Ana Silva Harbour Street Clinic 12 Harbour Street, Bristol BS1 4QA")
    assert "Phone: 0117 496 0000 · Email: desk@harbour.example" in tail


def test_the_letters_own_text_prints_as_written_markup_and_unicode_included():
    body = "Dear Dr Nowak,\n\nPlease see Zoë Łukasiewicz-Øster 李 today. <b>&</b> AT&T"
    text = pdf_text(build_referral_pdf(replace(sample_referral(), body=body, patient_name="Zoë Łukasiewicz-Øster 李")))
    assert "Please see Zoë Łukasiewicz-Øster 李 today. <b>&</b> AT&T" in text
    assert "Re Zoë Łukasiewicz-Øster 李, born" in text


def test_a_blank_recipient_prints_the_patients_general_practitioner():
    text = pdf_text(build_referral_pdf(replace(sample_referral(), recipient="  ")))
    assert "To The patient's general practitioner" in text


def test_a_short_letter_fits_on_one_page():
    assert len(reader(build_referral_pdf(sample_referral())).pages) == 1
