"""axe-core on the visit pages: no "serious" or "critical" accessibility violation.

The patient's chart with a visit timeline; a draft visit with every section filled in, the analysis and a built plan,
also with form errors shown; a signed visit with an addendum. Every page at every width (390 to 1440 px), with the
touch-target rule too: tests/browser/test_every_width_browser.py.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from assessments import services
from assessments.models import Outcome, Screening
from tests.browser.test_accessibility import assert_accessible
from tests.factories import (
    FindingFactory,
    MuscleTestFactory,
    PainSiteFactory,
    PatientFactory,
    StressorFactory,
    VisitFactory,
)

pytestmark = pytest.mark.browser

TODAY = datetime.date.today()


def charted_visit(patient: Any, user: Any, *, days_ago: int, kind: str = "follow_up", signed: bool = False) -> Any:
    """A visit with a pain site, findings, muscle tests, an outcome, screens and a built plan."""
    visit: Any = VisitFactory(
        patient=patient,
        date=TODAY - datetime.timedelta(days=days_ago),
        kind=kind,
        chief_complaint="Heel pain in the morning, calf tight after runs",
    )
    PainSiteFactory(visit=visit, zone="plantar_heel", side="left", nprs=6, primary=True)
    PainSiteFactory(visit=visit, zone="calf", side="left", nprs=3, primary=False)
    FindingFactory(visit=visit, muscle="soleus", side="left", tenderness=7, referral_zones=["plantar_heel"])
    FindingFactory(
        visit=visit,
        muscle="tibialis_posterior",
        side="left",
        tenderness=5,
        status="latent",
        recognized=False,
        location="proximal",
        treated=True,
        technique="hold",
        response="improved",
    )
    FindingFactory(visit=visit, muscle="gastrocnemius", side="left", tenderness=4, status="latent", recognized=False)
    MuscleTestFactory(visit=visit, muscle="soleus", side="left", phase="pre", result="inhibited")
    MuscleTestFactory(visit=visit, muscle="soleus", side="left", phase="post", result="normal")
    MuscleTestFactory(visit=visit, muscle="tibialis_posterior", side="left", phase="pre", result="facilitated")
    rows: list[tuple[type[Any], dict[str, Any]]] = [
        (Outcome, {"measure": "nprs", "value": 6, "detail": "first steps in the morning"}),
        (Outcome, {"measure": "rom", "value": 8, "detail": "ankle dorsiflexion, knee straight"}),
        (Screening, {"rule": "SAFE-M-DVT", "result": "negative", "detail": "no calf swelling, Wells low"}),
        (Screening, {"rule": "SAFE-M-NEURO", "result": "not_done"}),
    ]
    for model, data in rows:
        services.child_create(model=model, visit=visit, actor=user, data=data)
    services.plan_build(visit=visit, actor=user)
    if signed:
        services.plan_confirm(plan=visit.plan, actor=user)
        services.visit_sign(visit=visit, actor=user)
    return visit


@pytest.fixture
def patient(practitioner: Any) -> Any:
    patient = PatientFactory(clinic=practitioner.clinic, first_name="Lena", last_name="Okafor", occupation="Nurse")
    StressorFactory(patient=patient, kind="rapid_footwear_transition", severity=2, detail="minimalist shoes")
    return patient


def test_patient_chart_with_a_visit_timeline_is_accessible(logged_in_page: Page, practitioner: Any, patient: Any):
    page = logged_in_page
    charted_visit(patient, practitioner.user, days_ago=28, kind="initial", signed=True)
    charted_visit(patient, practitioner.user, days_ago=14, signed=True)
    VisitFactory(patient=patient, date=TODAY, kind="follow_up", chief_complaint="")  # today's, not charted yet
    page.goto(f"/patients/{patient.pk}/")
    timeline = page.locator("#visits ol.timeline > li")
    expect(timeline).to_have_count(3)
    expect(timeline.first).to_contain_text("No points charted.")
    expect(timeline.nth(1)).to_contain_text("Underside of the heel (left), NPRS 6")
    assert_accessible(page, "patient chart with a visit timeline")


def test_draft_visit_with_everything_charted_is_accessible_also_with_form_errors(
    logged_in_page: Page, practitioner: Any, patient: Any
):
    page = logged_in_page
    charted_visit(patient, practitioner.user, days_ago=14, kind="initial", signed=True)
    visit: Any = charted_visit(patient, practitioner.user, days_ago=0)
    services.child_create(
        model=Screening,
        visit=visit,
        actor=practitioner.user,
        data={"rule": "SAFE-M-FRACTURE-STRESS", "result": "positive", "detail": "focal calcaneal tenderness"},
    )
    services.plan_build(visit=visit, actor=practitioner.user)  # again, now with the red flag
    page.goto(f"/visits/{visit.pk}/")
    expect(page.locator("#section-findings tbody tr")).to_have_count(3)
    expect(page.locator("#section-muscle-tests tbody tr")).to_have_count(3)
    expect(page.locator("#section-outcomes li")).to_have_count(2)
    expect(page.locator("#section-screening .result-positive")).to_have_text("Positive")
    expect(page.locator("#section-screening form.screen-form").first).to_be_visible()  # screens still to record
    expect(page.locator("#panel-analysis .red-flags")).to_contain_text("SAFE-M-FRACTURE-STRESS")
    expect(page.locator("#panel-analysis")).to_contain_text("Suspected sources")
    expect(page.locator("#panel-plan ol.steps > li").first).to_be_visible()
    expect(page.locator("#section-carry-forward")).to_be_visible()
    assert_accessible(page, "draft visit page, fully charted")

    # Everything folded away opened (carry forward is open already): the signs of a screen, a step's reason, the
    # panels' add forms.
    page.locator("#section-screening summary").first.click()
    page.locator("#panel-plan summary").first.click()
    page.locator("#panel-stressors").get_by_text("Add stressors").click()
    page.locator("#panel-analysis summary").click()
    expect(
        page.locator("#section-carry-forward .carry-group, #section-carry-forward [role=status]").first
    ).to_be_visible()

    # An invalid finding, an empty pain site and an empty test: the errors appear next to the fields (htmx, 400).
    findings = page.locator("#form-findings")
    findings.get_by_label("Muscle", exact=True).fill("wing")
    findings.get_by_label("Tenderness (0–10)").fill("11")
    findings.get_by_role("button", name="Add finding").click()
    expect(findings.locator(".field-error").first).to_be_visible()
    expect(page.locator("#form-findings")).to_contain_text("Pick a muscle from the list")
    page.locator("#form-pain-sites").get_by_role("button", name="Add pain site").click()
    expect(page.locator("#form-pain-sites .field-error").first).to_be_visible()
    page.locator("#form-muscle-tests").get_by_role("button", name="Add test").click()
    expect(page.locator("#form-muscle-tests .field-error").first).to_be_visible()
    page.locator("#panel-stressors").get_by_role("button", name="Add").click()
    expect(page.locator("#panel-stressors .field-error").first).to_be_visible()
    assert_accessible(page, "draft visit page with form errors")


def test_signed_visit_with_an_addendum_is_accessible(logged_in_page: Page, practitioner: Any, patient: Any):
    page = logged_in_page
    visit = charted_visit(patient, practitioner.user, days_ago=3, kind="initial", signed=True)
    page.goto(f"/visits/{visit.pk}/")
    expect(page.locator(".page-head .status")).to_contain_text("Signed by")
    addenda = page.locator("#section-addenda")
    addenda.get_by_role("button", name="Add addendum").click()  # empty: the error comes back inline
    expect(addenda.locator(".field-error")).to_be_visible()
    assert_accessible(page, "signed visit page with an addendum error")
    addenda.get_by_label("Addendum").fill("Patient phoned: heel pain 3/10 two days later, running again.")
    addenda.get_by_role("button", name="Add addendum").click()
    expect(addenda.locator("ul.compact > li")).to_have_count(1)
    expect(addenda).to_contain_text("running again")
    expect(page.locator("#form-findings")).to_have_count(0)
    assert_accessible(page, "signed visit page with an addendum")


def test_a_screen_of_each_side_is_recorded_from_the_page_and_stays_accessible(
    logged_in_page: Page, practitioner: Any, patient: Any
):
    page = logged_in_page
    visit: Any = VisitFactory(patient=patient, date=TODAY, chief_complaint="Left calf ache after a long flight")
    PainSiteFactory(visit=visit, zone="calf", side="left", nprs=5, primary=True)  # its rules call for SAFE-M-DVT
    page.goto(f"/visits/{visit.pk}/")
    screen = page.locator("#section-screening li.screen", has_text="SAFE-M-DVT")
    expect(screen.get_by_label("Side of", exact=False)).to_have_value("")  # "Not one side" unless chosen
    screen.get_by_label("Negative", exact=True).check()
    screen.get_by_label("Side of", exact=False).select_option("left")
    screen.get_by_role("button", name="Record", exact=True).click()
    expect(screen.locator(".screen-result")).to_have_count(1)
    expect(screen.locator(".screen-result").first).to_contain_text("Result (left): Negative")
    assert_accessible(page, "visit page, a screen of one side charted")

    screen.get_by_text("Screen the other side").click()
    another = screen.locator("form.another-side")
    another.get_by_label("Positive", exact=True).check()
    another.get_by_label("Side of", exact=False).select_option("right")
    another.get_by_role("button", name="Record this side").click()
    expect(screen.locator(".screen-result")).to_have_count(2)
    expect(screen.locator(".screen-result").nth(1)).to_contain_text("Result (right): Positive")
    expect(screen.get_by_role("button", name="Remove Possible deep-vein thrombosis (", exact=False)).to_have_count(2)
    assert sorted(Screening.objects.filter(visit=visit).values_list("side", "result")) == [
        ("left", "negative"),
        ("right", "positive"),
    ]
    assert_accessible(page, "visit page, a screen of each side charted")
