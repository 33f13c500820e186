"""Home-care sheet and progress report PDFs through the API: content, safety, escaping, recording, tenancy."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from assessments.documents.text import fmt_date
from assessments.models import DocumentIssue, Outcome
from catalog.store import current_document
from clinic.models import AuditEvent
from tests.factories import FindingFactory, PainSiteFactory, StressorFactory, VisitFactory

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def heel_visit(patient):
    visit = VisitFactory(patient=patient)
    PainSiteFactory(visit=visit)
    FindingFactory(visit=visit, muscle="soleus", referral_zones=["plantar_heel"])
    FindingFactory(visit=visit, muscle="tibialis_posterior", status="latent", recognized=False, tenderness=5)
    StressorFactory(patient=patient, kind="rapid_footwear_transition", category="physical_structural")
    return visit


def test_home_care_sheet_comes_from_the_plan_with_points_doses_actions_and_safety(api, heel_visit):
    assert api.get(f"/api/v1/visits/{heel_visit.pk}/home-care.pdf").status_code == 404  # no plan yet
    api.post(f"/api/v1/visits/{heel_visit.pk}/plan/", {"max_home_care": 4}, format="json")
    text = pdf_text(api.get(f"/api/v1/visits/{heel_visit.pk}/home-care.pdf"))
    flat = " ".join(text.split())
    assert "Maria Lopez" in flat
    assert "soleus" in flat.lower() and "tibialis posterior" in flat.lower()
    assert flat.count("How long") == 2 and "seconds" in flat  # one dose per spot, in words
    assert "sore the next day" in flat.lower()
    assert "shoes" in flat.lower()  # the footwear-transition action
    issue = DocumentIssue.objects.get()
    assert (issue.kind, issue.visit_id, issue.patient_id) == ("home_care", heel_visit.pk, heel_visit.patient_id)


def test_positive_blood_clot_screen_gives_no_calf_self_care_only_the_safety_net(api, heel_visit):
    api.post(f"/api/v1/visits/{heel_visit.pk}/screening/", {"rule": "SAFE-M-DVT", "result": "positive"}, format="json")
    api.post(f"/api/v1/visits/{heel_visit.pk}/plan/", {}, format="json")
    flat = " ".join(pdf_text(api.get(f"/api/v1/visits/{heel_visit.pk}/home-care.pdf")).split())
    general = current_document()["meta"]["patient"]["general"]
    assert general["withheld"] in flat and general["take_letter"] in flat
    assert general["no_points"] in flat
    assert "When to get help" in flat and "thrombosis" not in flat.lower()


def test_a_red_flag_charted_after_the_plan_withholds_that_self_care_from_the_sheet(api, heel_visit):
    api.post(f"/api/v1/visits/{heel_visit.pk}/plan/", {"max_home_care": 4}, format="json")
    before = " ".join(pdf_text(api.get(f"/api/v1/visits/{heel_visit.pk}/home-care.pdf")).split())
    assert "(soleus)" in before
    body = {"rule": "SAFE-M-DVT", "result": "positive", "side": "left"}
    assert api.post(f"/api/v1/visits/{heel_visit.pk}/screening/", body, format="json").status_code == 201
    after = " ".join(pdf_text(api.get(f"/api/v1/visits/{heel_visit.pk}/home-care.pdf")).split())
    assert "(soleus)" not in after and "(tibialis posterior)" not in after  # the plan was not rebuilt
    assert current_document()["meta"]["patient"]["general"]["withheld"] in after


def test_a_rule_screened_positive_on_both_sides_gives_one_notice_on_the_sheet(api, heel_visit):
    url = f"/api/v1/visits/{heel_visit.pk}/screening/"
    for side in ("left", "right"):
        body = {"rule": "SAFE-M-DVT", "result": "positive", "side": side}
        assert api.post(url, body, format="json").status_code == 201
    api.post(f"/api/v1/visits/{heel_visit.pk}/plan/", {}, format="json")
    flat = " ".join(pdf_text(api.get(f"/api/v1/visits/{heel_visit.pk}/home-care.pdf")).split())
    assert flat.count(current_document()["meta"]["patient"]["general"]["withheld"]) == 1


def test_patient_names_with_markup_print_literally(api, heel_visit):
    patient = heel_visit.patient
    patient.first_name = '<font color="[[[x]]]">AT&T <b>'
    patient.last_name = '<img src="http://example.com/x.png">'
    patient.save()
    api.post(f"/api/v1/visits/{heel_visit.pk}/plan/", {}, format="json")
    flat = " ".join(pdf_text(api.get(f"/api/v1/visits/{heel_visit.pk}/home-care.pdf")).split())
    assert '<font color="[[[x]]]">AT&T <b>' in flat
    assert '<img src="http://example.com/x.png">' in flat


def test_progress_report_across_visits_is_recorded(api, patient):
    for day, nprs in ((1, 7), (15, 4)):
        visit = VisitFactory(patient=patient, date=datetime.date(2026, 10, day))
        PainSiteFactory(visit=visit, nprs=nprs)
        FindingFactory(visit=visit, muscle="soleus", tenderness=nprs)
        Outcome.objects.create(clinic=visit.clinic, visit=visit, measure="lefs", value=40 + day)
    flat = " ".join(pdf_text(api.get(f"/api/v1/patients/{patient.pk}/progress.pdf")).split())
    assert "Maria Lopez" in flat and "MCID" in flat and "Soleus" in flat
    assert DocumentIssue.objects.filter(kind="progress", patient=patient).count() == 1


def test_documents_of_another_clinic_are_404(api, foreign_patient):
    visit = VisitFactory(patient=foreign_patient)
    assert api.get(f"/api/v1/visits/{visit.pk}/home-care.pdf").status_code == 404
    assert api.get(f"/api/v1/patients/{foreign_patient.pk}/progress.pdf").status_code == 404
    assert not DocumentIssue.objects.exists()


def test_plan_edit_may_reorder_tools_but_never_add_an_unsuitable_one(api, heel_visit):
    plan = api.post(f"/api/v1/visits/{heel_visit.pk}/plan/", {}, format="json").json()
    steps = plan["steps"]
    index = next(i for i, s in enumerate(steps) if s["home_care"])
    tools = steps[index]["home_care"]["tools"]
    steps[index] = {**steps[index], "home_care": {"tools": [tools[-1]]}}
    edited = api.patch(f"/api/v1/visits/{heel_visit.pk}/plan/", {"steps": steps}, format="json")
    assert edited.status_code == 200, edited.json()
    assert edited.json()["steps"][index]["home_care"]["tools"][0] == tools[-1]
    steps = edited.json()["steps"]
    steps[index] = {**steps[index], "home_care": {"tools": ["foam_roller_of_doom"]}}
    assert api.patch(f"/api/v1/visits/{heel_visit.pk}/plan/", {"steps": steps}, format="json").status_code == 400


def test_a_sheet_issued_again_follows_plan_clinic_and_patient_changes(api, user, heel_visit):
    from patients.services import patient_update

    url = f"/api/v1/visits/{heel_visit.pk}/home-care.pdf"
    plan = api.post(f"/api/v1/visits/{heel_visit.pk}/plan/", {}, format="json").json()
    first = " ".join(pdf_text(api.get(url)).split())
    assert "Your next visit" not in first
    edited = api.patch(
        f"/api/v1/visits/{heel_visit.pk}/plan/", {"follow_up_on": "2031-05-04", "version": plan["version"]},
        format="json",
    )  # fmt: skip
    assert edited.status_code == 200, edited.content
    assert "Your next visit: 4 May 2031" in " ".join(pdf_text(api.get(url)).split())
    clinic = heel_visit.clinic
    clinic.name, clinic.phone = "Renamed Street Clinic", "0999 000 111"
    clinic.save()
    renamed = " ".join(pdf_text(api.get(url)).split())
    assert "Renamed Street Clinic" in renamed and "0999 000 111" in renamed
    patient_update(patient=heel_visit.patient, actor=user, changes={"first_name": "Mariana"}, expected_version=None)
    assert "Mariana Lopez" in " ".join(pdf_text(api.get(url)).split())
    assert DocumentIssue.objects.filter(visit=heel_visit).count() == 4  # every issue recorded, cached or not


@pytest.fixture
def built(monkeypatch):
    """Counts the documents built (not served from the cache), by kind."""
    from assessments import document_selectors

    counts = {"home_care": 0, "progress": 0}
    sheet, report = document_selectors.home_care_sheet, document_selectors.progress_report

    def counted_sheet(**kw):
        counts["home_care"] += 1
        return sheet(**kw)

    def counted_report(**kw):
        counts["progress"] += 1
        return report(**kw)

    monkeypatch.setattr(document_selectors, "home_care_sheet", counted_sheet)
    monkeypatch.setattr(document_selectors, "progress_report", counted_report)
    cache.clear()
    yield counts
    cache.clear()


def document_events() -> int:
    return AuditEvent.objects.filter(action="document").count()


def test_the_same_sheet_downloaded_again_is_the_kept_file_and_each_download_is_recorded(api, heel_visit, built):
    url = f"/api/v1/visits/{heel_visit.pk}/home-care.pdf"
    plan = api.post(f"/api/v1/visits/{heel_visit.pk}/plan/", {}, format="json").json()
    first, again = api.get(url), api.get(url)
    assert first.content == again.content and built["home_care"] == 1  # the second came from the cache
    given = f"Given to you on {fmt_date(timezone.localdate())}"
    assert given in " ".join(pdf_text(again).split())  # the day, not the time
    assert DocumentIssue.objects.filter(visit=heel_visit).count() == 2 and document_events() == 2
    api.patch(f"/api/v1/visits/{heel_visit.pk}/plan/", {"follow_up_on": "2031-05-04", "version": plan["version"]},
              format="json")  # fmt: skip
    changed = api.get(url)
    assert changed.content != first.content and built["home_care"] == 2
    assert "Your next visit: 4 May 2031" in " ".join(pdf_text(changed).split())
    assert DocumentIssue.objects.filter(visit=heel_visit).count() == 3 and document_events() == 3


def test_a_sheet_downloaded_the_next_day_is_built_again_with_that_day(api, heel_visit, built, monkeypatch):
    from assessments import document_selectors

    url = f"/api/v1/visits/{heel_visit.pk}/home-care.pdf"
    api.post(f"/api/v1/visits/{heel_visit.pk}/plan/", {}, format="json")
    texts = []
    for day in (21, 22):
        today = datetime.date(2026, 11, day)
        monkeypatch.setattr(document_selectors, "timezone", SimpleNamespace(localdate=lambda today=today: today))
        texts.append(" ".join(pdf_text(api.get(url)).split()))
    assert built["home_care"] == 2
    assert "Given to you on 21 Nov 2026" in texts[0] and "Given to you on 22 Nov 2026" in texts[1]


def test_the_same_progress_report_downloaded_again_is_the_kept_file_and_each_download_is_recorded(
    api, heel_visit, built
):
    patient = heel_visit.patient
    url = f"/api/v1/patients/{patient.pk}/progress.pdf"
    first, again = api.get(url), api.get(url)
    assert first.content == again.content and built["progress"] == 1
    assert DocumentIssue.objects.filter(kind="progress", patient=patient).count() == 2 and document_events() == 2
    pain = {"zone": "plantar_heel", "side": "right", "nprs": 3}
    assert api.post(f"/api/v1/visits/{heel_visit.pk}/pain-sites/", pain, format="json").status_code == 201
    changed = api.get(url)
    assert changed.content != first.content and built["progress"] == 2
    assert DocumentIssue.objects.filter(kind="progress", patient=patient).count() == 3 and document_events() == 3
