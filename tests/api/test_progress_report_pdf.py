"""The progress report PDF through the API, from a realistic chart: a plain summary the patient can read first, their
goals, muscle tests labelled before or after treatment, and no rule code, slug or catalog id anywhere."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from assessments import document_selectors
from assessments.models import Outcome
from catalog.store import current_document
from tests.factories import (
    FindingFactory,
    MuscleTestFactory,
    PainSiteFactory,
    PatientFactory,
    StressorFactory,
    VisitFactory,
)
from tests.plain_language import problems

pytestmark = pytest.mark.django_db

DAYS = [datetime.date(2026, 3, 2) + datetime.timedelta(days=7 * i) for i in range(4)]
GOALS = {"climbing stairs": (3, 4, 6, 7), "kneeling in the garden": (2, 2, 3, 4), "running for the bus": (1, 2, 4, 6)}
# What the report must never print: rule and catalog ids, seed references, slugs, catalog source ids ("Childs2005").
INTERNAL = re.compile(
    r"\b(?:SAFE|TO|KC|CS|PROT|SR|U|SYM)-[A-Z0-9]|\bseed[_ ]?\d|\b[a-z]+_[a-z_]+\b|\b[A-Z][a-z]+[A-Z]?[a-z]*\d{4}\b"
)


def proper_names() -> list[str]:
    """The muscles' proper names, as tests/catalog/test_patient_words.py allows them in brackets."""
    muscles = current_document()["muscles"]
    return [m["name"] for m in muscles] + [m["plain_name"].rsplit("(", 1)[-1].rstrip(")") for m in muscles]


def knee_history(patient, visits: int = 4) -> None:
    """Knee pain over `visits` weekly visits: the pain and a thigh point ease, a calf point stays tender, the side hip
    muscle tests weak before treatment and strong after it from the second visit, three goals on the PSFS."""
    for i, day in enumerate(DAYS[:visits]):
        visit = VisitFactory(patient=patient, date=day, kind="initial" if i == 0 else "follow_up")
        PainSiteFactory(visit=visit, zone="anterior_knee_patella", side="right", nprs=(7, 6, 4, 3)[i])
        PainSiteFactory(visit=visit, zone="lateral_knee", side="right", nprs=(5, 5, 4, 4)[i], primary=False)
        FindingFactory(visit=visit, muscle="rectus_femoris", side="right", tenderness=(7, 6, 4, 3)[i])
        FindingFactory(visit=visit, muscle="soleus", side="left", tenderness=5)
        MuscleTestFactory(
            visit=visit, muscle="gluteus_medius", side="right", phase="post", result="normal" if i else "inhibited"
        )  # recorded first: the report orders by phase
        MuscleTestFactory(visit=visit, muscle="gluteus_medius", side="right", phase="pre", result="inhibited")
        for activity, scores in GOALS.items():
            Outcome.objects.create(clinic=visit.clinic, visit=visit, measure="psfs", value=scores[i], detail=activity)
        Outcome.objects.create(clinic=visit.clinic, visit=visit, measure="lefs", value=40 + 5 * i)
    StressorFactory(patient=patient, kind="rapid_footwear_transition", category="physical_structural")


def report_text(api, patient) -> str:
    response = api.get(f"/api/v1/patients/{patient.pk}/progress.pdf")
    assert response.status_code == 200, response.content[:300]
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() or "" for page in pages).split())


def plain_summary(text: str) -> list[str]:
    part = text.split("How you are doing ", 1)[1].split(" Your goals ", 1)[0]
    return re.split(r"(?<=\.) (?=[A-Z])", part)


def test_the_report_starts_with_a_plain_summary_the_patient_can_read(api, patient):
    knee_history(patient)
    text = report_text(api, patient)
    sentences = plain_summary(text)
    assert 2 <= len(sentences) <= 5, sentences
    assert sentences[:2] == [
        "Your pain in the front of the knee on the right side went from 7 to 3 out of 10 over 4 visits.",
        "That is a real change (more than the 2 points that matter).",
    ]
    assert "All 3 of your goals are much easier now." in sentences
    assert any(s.startswith("The tender spot in your right ") and "rectus femoris" in s.lower() for s in sentences)
    assert any(s.startswith("One spot keeps coming back, in your left ") and "soleus" in s.lower() for s in sentences)
    names = proper_names()
    for sentence in sentences:
        assert problems(sentence, names=names) == [], sentence
    assert text.index("How you are doing") < text.index("Your goals") < text.index("Details for your practitioner")


def test_the_goals_list_each_psfs_activity_with_its_first_and_latest_score(api, patient):
    knee_history(patient)
    text = report_text(api, patient)
    goals = text.split(" Your goals ", 1)[1].split(" Details for your practitioner", 1)[0]
    assert goals.startswith("Each score goes from 0 (you could not do it) to 10 (as well as before the problem).")
    for row in (
        "Climbing stairs 3 on 2 Mar 2026 7 on 23 Mar 2026 much easier",
        "Kneeling in the garden 2 on 2 Mar 2026 4 on 23 Mar 2026 much easier",
        "Running for the bus 1 on 2 Mar 2026 6 on 23 Mar 2026 much easier",
    ):
        assert row in goals


def test_no_goals_section_without_psfs_activities(api, patient):
    visit = VisitFactory(patient=patient, date=DAYS[0])
    PainSiteFactory(visit=visit, zone="anterior_knee_patella", side="right", nprs=6)
    Outcome.objects.create(clinic=visit.clinic, visit=visit, measure="psfs", value=4)  # a mean score: no activity
    text = report_text(api, patient)
    assert "Your goals" not in text
    assert plain_summary(text + " Your goals ")[0] == (
        "Your pain in the front of the knee on the right side was 6 out of 10."
    )


def test_muscle_tests_are_dated_and_labelled_before_or_after_treatment(api, patient):
    knee_history(patient)
    text = report_text(api, patient)
    assert "Gluteus medius (right): before treatment inhibited; after treatment inhibited → normal (normalised)" in text
    assert "2 Mar: before treatment inhibited, after treatment inhibited" in text
    assert "9 Mar: before treatment inhibited, after treatment normal" in text
    assert "23 Mar: before treatment inhibited, after treatment normal" in text


def test_no_rule_code_slug_or_catalog_id_anywhere_in_the_report(api, patient):
    knee_history(patient)
    text = report_text(api, patient)
    assert INTERNAL.findall(text) == []
    assert "consider other therapy or referral." in text  # the recurring point's advice, in words
    assert "Since the last visit Mixed: some tracked measures improved by their MCID, others did not." in text
    assert "MCID 2 (Childs 2005; Farrar 2001)" in text and "MCID 9 (Binkley 1999)" in text
    assert "Changing footwear too quickly" in text


def test_the_report_reads_a_constant_number_of_queries_however_long_the_history(clinic):
    def count(visits: int) -> int:
        patient = PatientFactory(clinic=clinic)
        knee_history(patient, visits)
        today = datetime.date(2026, 4, 1)
        document_selectors.progress_report(clinic=clinic, patient_id=patient.pk, generated_on=today)  # warm caches
        with CaptureQueriesContext(connection) as ctx:
            document_selectors.progress_report(clinic=clinic, patient_id=patient.pk, generated_on=today)
        return len(ctx.captured_queries)

    assert count(2) == count(4)
