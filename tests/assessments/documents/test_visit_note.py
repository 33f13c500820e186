"""The visit note builder: every charted item printed, the assessment as "not a diagnosis" with readable sources, the
signature and addenda with their times, DRAFT on every page of an unsigned note, caller text printed literally."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from assessments.documents import build_visit_note_pdf
from assessments.documents.record_samples import long_draft_note, sample_visit_note
from assessments.documents.record_types import AddendumRecord, Signature
from tests.assessments.documents.helpers import pdf_text, reader


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in reader(pdf).pages]


def test_a_signed_note_prints_every_charted_item_in_its_soap_section():
    note = sample_visit_note()
    text = pdf_text(build_visit_note_pdf(note))
    for heading in ("Subjective", "Objective", "Assessment (not a diagnosis)", "Plan", "Signature", "Addenda"):
        assert heading in text
    assert text.index("Subjective") < text.index("Objective") < text.index("Assessment") < text.index("Signature")
    assert note.chief_complaint in text
    assert "Runs 30 km a week" in text
    for stressor in note.stressors:
        assert stressor.label in text
    assert "since 1 Sep 2026" in text and "resolved 20 Oct 2026" in text
    assert "Lateral ankle (left), 1 Mar 2015" in text
    for site in note.pain_sites:
        assert site.zone in text
    assert "Possible deep-vein thrombosis (SAFE-M-DVT)" in text and "Negative" in text
    for finding in note.findings:
        assert f"{finding.muscle}, {finding.side}" in text
    assert "taut band, recognised pain" in text and "Treated (hold): released" in text
    assert "Reproduced the heel pain on sustained pressure." in text
    assert "Soleus left Inhibited Normal" in text  # before / after
    assert "LEFS (0-80) 52" in text
    assert "Harbour Street Clinic" in text and "0117 496 0000" in text
    assert "Maria Lopez" in text and "17 May 1980" in text and "Ana Silva" in text


def test_the_assessment_is_not_a_diagnosis_and_cites_its_sources_as_readable_references():
    text = pdf_text(build_visit_note_pdf(sample_visit_note()))
    assert "Not a diagnosis." in text
    assert "Rules: SR-HEEL-01, U-3." in text
    assert "Pain Med 2018;19(1):142-150" in text  # the catalog's cite, not the id "Delphi2018"
    assert "(AK tradition, not evidence-based)" in text


def test_the_signature_and_each_addendum_print_who_and_when_in_the_clinics_time_zone():
    zone = dt.timezone(dt.timedelta(hours=1))
    note = replace(
        sample_visit_note(),
        signature=Signature("Ana Silva", dt.datetime(2026, 11, 2, 12, 5, tzinfo=zone)),
        addenda=(AddendumRecord("Ben Okafor", dt.datetime(2026, 11, 4, 10, 12, tzinfo=zone), "Phoned: better."),),
        time_zone="Europe/Paris",
    )
    text = pdf_text(build_visit_note_pdf(note))
    assert "Signed by Ana Silva on 2 Nov 2026, 12:05 (Europe/Paris)." in text
    assert "Signed on 2 Nov 2026, 12:05 (Europe/Paris)" in text
    assert "Addendum by Ben Okafor, 4 Nov 2026, 10:12 (Europe/Paris)" in text
    assert "Phoned: better." in text
    assert "DRAFT" not in text


def test_a_draft_says_draft_on_every_page():
    pdf = build_visit_note_pdf(long_draft_note())
    pages = page_texts(pdf)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "DRAFT" in text, f"page {number}"
    assert "Not signed." in pdf_text(pdf)


def test_a_plan_that_is_not_confirmed_is_said_to_be_so_and_its_steps_are_not_printed():
    note = replace(sample_visit_note(), plan_confirmed=False, plan_confirmed_by="", plan_confirmed_at=None)
    text = pdf_text(build_visit_note_pdf(note))
    assert "Plan not confirmed" in text
    assert "Treat trigger point: Soleus, left" not in text
    none = pdf_text(build_visit_note_pdf(replace(note, plan_exists=False, plan=())))
    assert "Plan not confirmed: no treatment plan was built" in none


def test_a_confirmed_plan_prints_its_steps_with_their_rationale():
    text = pdf_text(build_visit_note_pdf(sample_visit_note()))
    assert "Confirmed by Ana Silva on 2 Nov 2026, 10:41 (UTC)." in text
    assert "2. Treat trigger point: Soleus, left" in text
    assert "Active point reproducing the familiar pain (TO-04)." in text


def test_unicode_names_and_markup_print_literally():
    name = "Zoë Łukasiewicz-Øster 李"
    note = replace(sample_visit_note(), patient_name=name, notes='<b>&</b> <font color="red">x</font> & AT&T')
    text = pdf_text(build_visit_note_pdf(note))
    assert name in text
    assert '<b>&</b> <font color="red">x</font> & AT&T' in text


def test_empty_sections_say_so():
    note = replace(
        sample_visit_note(),
        stressors=(),
        injuries=(),
        pain_sites=(),
        screens=(),
        findings=(),
        muscle_tests=(),
        outcomes=(),
        assessment=(),
        addenda=(),
        history=(),
        treatments=(),
        observations=(),
    )
    text = pdf_text(build_visit_note_pdf(note))
    assert text.count("None recorded.") == 9  # stressors, injuries, history, treatments, posture and gait, ...
    assert "No screen recorded." in text
    assert "Nothing to report" in text


def test_the_history_treatments_and_posture_and_gait_are_in_the_note():
    """Issue 23: the Subjective carries the complaint's history and the treatments tried; the Objective the posture and
    gait observations."""
    text = " ".join(pdf_text(build_visit_note_pdf(sample_visit_note())).split())
    assert "History" in text and "How it began" in text and "Changing footwear too quickly" in text
    assert "Treatments tried" in text and "underside of the heel, daily, hard" in text
    assert "Posture and gait" in text and "Foot pronation (arch flattening) (left)" in text
    assert text.index("Treatments tried") < text.index("Objective") < text.index("Posture and gait")
