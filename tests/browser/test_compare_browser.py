"""The follow-up comparison page in a real browser, for a patient with three visits."""

import datetime

import pytest
from playwright.sync_api import expect

from assessments.models import Outcome
from tests.factories import FindingFactory, MuscleTestFactory, PainSiteFactory, PatientFactory, VisitFactory

pytestmark = pytest.mark.browser


def test_comparison_page_shows_changes_judged_by_mcid_and_can_pick_another_visit(logged_in_page, practitioner):
    page = logged_in_page
    patient = PatientFactory(clinic=practitioner.clinic, first_name="Maria", last_name="Lopez")
    history = [
        (datetime.date(2026, 9, 1), 8, 9, 35),
        (datetime.date(2026, 9, 15), 6, 7, 41),
        (datetime.date(2026, 10, 1), 3, 4, 55),
    ]
    visits = []
    for date, nprs, tenderness, lefs in history:
        visit = VisitFactory(patient=patient, date=date)
        PainSiteFactory(visit=visit, nprs=nprs)
        FindingFactory(visit=visit, muscle="soleus", tenderness=tenderness)  # 9 -> 7 -> 4: improving (CS-05)
        FindingFactory(visit=visit, muscle="gastrocnemius", tenderness=6, status="active")  # 6, 6, 6: recurring
        MuscleTestFactory(visit=visit, muscle="gluteus_medius", side="right",
                          result="inhibited" if date < datetime.date(2026, 10, 1) else "normal")  # fmt: skip
        Outcome.objects.create(clinic=visit.clinic, visit=visit, measure="lefs", value=lefs)
        visits.append(visit)

    page.goto(f"/patients/{patient.pk}/")
    expect(page.get_by_role("heading", name="Trends")).to_be_visible()
    expect(page.locator("svg.spark")).to_have_count(3)  # pain, LEFS, and the recurring gastrocnemius point
    page.get_by_role("link", name="Compare the latest visit with the one before").click()

    banner = page.get_by_role("status").filter(has_text="Overall")  # not the page's "Saved" cue (#save-status)
    expect(banner).to_contain_text("clinically important improvement")  # NPRS 6 -> 3 (MCID 2), LEFS 41 -> 55 (MCID 9)
    expect(banner).to_contain_text("MCID of 2")
    pain = page.get_by_role("row", name="Underside of the heel")
    expect(pain.locator(".change")).to_have_text("improved")
    test_row = page.get_by_role("row", name="Gluteus medius")
    expect(test_row).to_contain_text("normalised")
    soleus = page.get_by_role("row", name="Soleus")
    expect(soleus.locator(".change")).to_have_text("improved")  # an improving point is never recurring
    expect(soleus).not_to_contain_text("recurring")
    expect(page.get_by_role("row", name="Gastrocnemius")).to_contain_text("recurring")

    page.get_by_label("Compare 2026-10-01 with").select_option(label="2026-09-01 (initial)")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("status")).to_contain_text("2026-09-01 → 2026-10-01")
    expect(page.get_by_role("row", name="Underside of the heel")).to_contain_text("8")
    page.screenshot(path="test-artifacts/browser/compare-three-visits.png", full_page=True)
