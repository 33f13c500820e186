"""Issue 23 in the browser: a history, two treatments tried and one gait observation charted on the visit page with
few interactions, and the analysis names the left shoulder chain link for reduced left arm swing with right hip pain.

Counted with tests.browser.test_visit_charting_browser.Interactions (every click, field typed, option chosen, box
ticked); the budget is the issue-22 pace: at most 20 for the three together (the history 8, each treatment 4, the
observation 4, with a little room). The counts go to test-artifacts/browser/history-interactions.txt.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Observation, VisitHistory
from patients.models import PriorTreatment
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_journey_browser import SettledInteractions
from tests.browser.test_visit_charting_browser import assert_same_document, mark_document
from tests.factories import FindingFactory, PainSiteFactory, PatientFactory, VisitFactory

pytestmark = pytest.mark.browser

BUDGET = 20


def test_a_history_two_treatments_and_a_gait_observation_charted_within_budget(
    logged_in_page: Page, practitioner: Any
) -> None:
    page = logged_in_page
    patient = PatientFactory(clinic=practitioner.clinic, first_name="Noor", last_name="Haddad")
    visit: Any = VisitFactory(patient=patient, chief_complaint="Right hip pain when walking")
    PainSiteFactory(visit=visit, zone="lateral_hip_trochanter", side="right", primary=True)
    FindingFactory(visit=visit, muscle="infraspinatus", side="left", referral_zones=[])
    page.goto(f"/visits/{visit.pk}/")
    mark_document(page)
    ui = SettledInteractions(page)

    # --- the history: about 6 weeks ago, gradual, worse, mornings, worse with walking and stairs ------------------
    ui.step("history")
    history = page.locator("#section-history")
    ui.fill(history.get_by_label("Or: began about … weeks ago"), "6")
    ui.select(history.get_by_label("How it began"), "gradual")
    ui.check(history.get_by_label("Getting worse"))
    ui.check(history.get_by_label("Worse in the morning or on the first steps"))
    worse_with = history.get_by_role("group", name="Worse with")
    ui.check(worse_with.get_by_label("Walking", exact=True))
    ui.check(worse_with.get_by_label("Stairs", exact=True))
    ui.click(history.get_by_role("button", name="Save history"))
    expect(page.locator("#section-history").get_by_role("status")).to_have_text("History saved.")
    expect(page.locator("#section-history")).to_contain_text("worse with walking, stairs")
    assert_same_document(page)

    # --- two treatments tried, on the panel of the visit page ------------------------------------------------------
    treatments = page.locator("#panel-treatments")
    for number, (kind, response) in enumerate((("injection", "temporary"), ("self_rolling", "no_change")), start=1):
        ui.step(f"treatment {number}: {kind}")
        panel = page.locator("#panel-treatments")
        if number == 1:  # after an add the form stays open for the next one
            ui.click(panel.get_by_text("Add treatments tried"))
        ui.select(panel.get_by_label("Treatment", exact=True), kind)
        ui.select(panel.get_by_label("How it went"), response)
        ui.click(panel.get_by_role("button", name="Add"))
        expect(treatments.locator("ul.items > li")).to_have_count(number)
    expect(treatments).to_contain_text("Injection (e.g. corticosteroid)")
    expect(treatments).to_contain_text("Foam rolling, ball or stick at home")
    assert_same_document(page)

    # --- one gait observation: reduced arm swing on the left -------------------------------------------------------
    ui.step("gait observation")
    observations = page.locator("#section-observations")
    ui.select(observations.get_by_label("Observation", exact=True), "reduced_arm_swing")
    ui.select(observations.get_by_label("Side", exact=True), "left")
    ui.click(observations.get_by_role("button", name="Add observation"))
    expect(observations.locator("table tbody tr")).to_have_count(1)
    expect(observations.locator("table tbody tr").first).to_contain_text("Reduced arm swing")

    # --- the analysis refreshed itself and names the left shoulder link because of it -----------------------------
    analysis = page.locator("#panel-analysis")
    drivers = analysis.locator("li", has_text="Infraspinatus (left)")
    expect(drivers).to_contain_text("left shoulder region, where the reduced arm swing was observed")
    expect(drivers).to_contain_text("KC-X1")
    assert_same_document(page)
    assert_accessible(page, "visit page with a history, treatments and a gait observation")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#section-history").screenshot(path=str(ARTIFACTS / "history-section.png"))

    report = "\n".join(
        [f"History, two treatments and a gait observation: {ui.total} interactions (budget {BUDGET})"]
        + [f"  {name.ljust(28)} {count:>3}" for name, count in ui.steps.items()]
    )
    (ARTIFACTS / "history-interactions.txt").write_text(report + "\n", encoding="utf-8")
    assert ui.total <= BUDGET, report
    saved = VisitHistory.objects.get(visit=visit)
    assert (saved.mechanism, saved.course, saved.patterns) == ("gradual", "worse", ["morning"])
    assert saved.aggravating == ["walking", "stairs"]
    assert PriorTreatment.objects.filter(patient=patient).count() == 2
    assert Observation.objects.filter(visit=visit, kind="reduced_arm_swing", side="left").exists()
