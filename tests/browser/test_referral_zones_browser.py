"""A finding's "Refers to" in a real browser: typed zones become removable chips, keyboard only if need be, on a phone
too; the finding saves with the zones left, and without the script the plain multiple select still works.

Screens of the findings card (and of the body chart lent to it): test-artifacts/browser/referral-zones-<name>.png.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from assessments.models import Finding
from tests.browser.conftest import ARTIFACTS, PASSWORD
from tests.browser.test_accessibility import assert_accessible
from tests.factories import PatientFactory, VisitFactory

pytestmark = pytest.mark.browser

NO_RELOAD = "window.__sameDocument"
TARGET_PX = 24


@pytest.fixture
def visit(practitioner: Any) -> Any:
    patient = PatientFactory(clinic=practitioner.clinic, first_name="Lena", last_name="Okafor")
    return VisitFactory(patient=patient, date=datetime.date.today(), chief_complaint="Outer knee pain when running")


def shot(page: Page, name: str, section: str = "#section-findings") -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(section).screenshot(path=str(ARTIFACTS / f"referral-zones-{name}.png"))


def chips(form: Locator) -> Locator:
    return form.locator(".zone-chips li")


def fill_the_finding(form: Locator) -> None:
    form.get_by_label("Muscle", exact=True).fill("vastus_lateralis")
    form.get_by_label("Side", exact=True).select_option("right")
    form.get_by_label("Reproduces the familiar pain (active)").check()
    form.get_by_label("Tenderness (0–10)").fill("6")


def test_two_zones_typed_one_removed_and_the_finding_saves_with_the_one_left(logged_in_page: Page, visit: Any):
    page = logged_in_page
    page.goto(f"/visits/{visit.pk}/")
    page.evaluate(f"{NO_RELOAD} = true")
    form = page.locator("#form-findings")
    expect(form.locator("select[name='findings-referral_zones']")).to_be_hidden()  # the type-ahead stands in for it
    fill_the_finding(form)

    refers = form.get_by_label("Refers to", exact=True)
    expect(refers).to_have_attribute("list", "id_findings-referral_zones-options")
    expect(form.locator("#id_findings-referral_zones-options option[value='Outer knee']")).to_have_count(1)
    refers.fill("Outer knee")
    refers.press("Enter")
    refers.fill("outer thigh")  # part of a name that only one zone has
    refers.press("Enter")
    expect(chips(form)).to_have_text(["Outer knee×", "Outer thigh (IT band area)×"])
    expect(refers).to_have_value("")
    expect(refers).to_be_focused()
    expect(form.locator(".zone-picker-status")).to_have_text("Outer thigh (IT band area) added.")
    # a chosen zone leaves the suggestions; the hidden select holds the values the form will post
    expect(form.locator("#id_findings-referral_zones-options option[value='Outer knee']")).to_have_count(0)
    selected = form.locator("select[name='findings-referral_zones']").evaluate(
        "s => [...s.selectedOptions].map(o => o.value)"
    )
    assert sorted(selected) == ["lateral_knee", "lateral_thigh"]

    form.get_by_role("button", name="Remove Outer knee").click()
    expect(chips(form)).to_have_text(["Outer thigh (IT band area)×"])
    expect(form.get_by_role("button", name="Remove Outer thigh (IT band area)")).to_be_focused()
    expect(form.locator(".zone-picker-status")).to_have_text("Outer knee removed.")
    assert_accessible(page, "the findings form with a chosen zone")
    shot(page, "chip")

    form.get_by_role("button", name="Add finding").click()
    row = page.locator("#section-findings table tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(4)).to_have_text("Outer thigh (IT band area)")
    assert page.evaluate(f"{NO_RELOAD} === true"), "the page was reloaded"
    assert Finding.objects.get(visit=visit).referral_zones == ["lateral_thigh"]
    fresh = page.locator("#form-findings")  # the fresh form is enhanced again, with no zone chosen
    expect(fresh.get_by_label("Refers to", exact=True)).to_have_value("")
    expect(chips(fresh)).to_have_count(0)
    expect(fresh.locator("select[name='findings-referral_zones']")).to_be_hidden()
    assert_accessible(page, "the visit page after saving the finding")


def test_the_picker_is_keyboard_operable_and_says_when_a_name_is_unknown_or_ambiguous(logged_in_page: Page, visit: Any):
    page = logged_in_page
    page.goto(f"/visits/{visit.pk}/")
    form = page.locator("#form-findings")
    refers = form.get_by_label("Refers to", exact=True)
    refers.focus()
    page.keyboard.type("knee")
    page.keyboard.press("Enter")  # four zones have "knee" in their name: nothing added, the form not sent
    expect(form.locator(".zone-picker-status")).to_have_text(
        "4 zones match “knee”: type more or pick one from the suggestions."
    )
    expect(chips(form)).to_have_count(0)
    refers.fill("")
    page.keyboard.type("elbow of the moon")
    page.keyboard.press("Enter")
    expect(form.locator(".zone-picker-status")).to_have_text(
        "No zone called “elbow of the moon”: pick one from the suggestions."
    )
    refers.fill("")
    page.keyboard.type("back of the knee")
    page.keyboard.press("Enter")
    page.keyboard.type("calf")
    page.keyboard.press("Enter")
    expect(chips(form)).to_have_text(["Back of the knee×", "Calf×"])
    page.keyboard.press("Backspace")  # in the empty field: the last chip goes
    expect(chips(form)).to_have_text(["Back of the knee×"])
    page.keyboard.press("Shift+Tab")  # back from the field to the chip's remove button
    expect(form.get_by_role("button", name="Remove Back of the knee")).to_be_focused()
    page.keyboard.press("Enter")
    expect(chips(form)).to_have_count(0)
    expect(refers).to_be_focused()  # no chip left: back to the field
    assert Finding.objects.filter(visit=visit).count() == 0


def test_on_a_phone_the_picker_fits_and_its_targets_are_big_enough(logged_in_page: Page, visit: Any):
    page = logged_in_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/visits/{visit.pk}/")
    form = page.locator("#form-findings")
    refers = form.get_by_label("Refers to", exact=True)
    for name in ("Outer knee", "Outer thigh (IT band area)", "Ring and little fingers (ulnar hand)"):
        refers.fill(name)
        form.get_by_role("button", name="Add", exact=True).click()
    expect(chips(form)).to_have_count(3)
    refers.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    card = page.locator("#section-findings").bounding_box()
    assert card is not None
    buttons = [
        form.get_by_role("button", name="Add", exact=True),
        form.get_by_role("button", name="Pick on the body chart"),
    ]
    for target in [*form.locator(".zone-chip-remove").all(), *buttons]:
        box = target.bounding_box()
        assert box is not None
        assert box["width"] >= TARGET_PX and box["height"] >= TARGET_PX, box
        assert box["x"] >= card["x"] and box["x"] + box["width"] <= card["x"] + card["width"] + 0.5, box
    assert_accessible(page, "the findings form at 390 px with three chosen zones")
    shot(page, "390")


def test_without_the_script_the_multiple_select_still_saves_the_zones(browser: Browser, live_app: str, visit: Any):
    practitioner_name = visit.patient.clinic.memberships.get().user.username
    context = browser.new_context(base_url=live_app, java_script_enabled=False, viewport={"width": 1024, "height": 900})
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(practitioner_name)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"/visits/{visit.pk}/")
        form = page.locator("#form-findings")
        expect(form.locator(".zone-picker")).to_have_count(0)
        fill_the_finding(form)
        form.get_by_label("Refers to", exact=True).select_option(["lateral_knee", "calf"])
        form.get_by_role("button", name="Add finding").click()
        expect(page.locator("#section-findings table tbody tr td").nth(4)).to_have_text("Outer knee, Calf")
        assert sorted(Finding.objects.get(visit=visit).referral_zones) == ["calf", "lateral_knee"]
    finally:
        context.close()


def test_zones_picked_on_the_body_chart_are_added_and_the_pain_site_form_is_left_alone(
    logged_in_page: Page, visit: Any
):
    page = logged_in_page
    page.goto(f"/visits/{visit.pk}/")
    form = page.locator("#form-findings")
    fill_the_finding(form)
    pick = form.get_by_role("button", name="Pick on the body chart")
    pick.click()
    expect(pick).to_have_attribute("aria-pressed", "true")
    pain = page.locator("#section-pain-sites")
    status = pain.locator("[data-body-chart-status]")
    expect(status).to_have_text("Choose the zones this finding refers to: each zone you choose is added.")
    knee = pain.get_by_role("button", name="Outer knee, right").first
    knee.click()
    expect(chips(form)).to_have_text(["Outer knee×"])
    expect(status).to_have_text("Outer knee added.")
    expect(knee).to_have_class(re.compile(r"\bpicked\b"))
    expect(pain.locator("#form-pain-sites").get_by_label("Zone", exact=True)).to_have_value("")  # not a pain site
    calf = pain.get_by_role("button", name="Calf, right").first
    calf.focus()
    page.keyboard.press("Enter")  # from the keyboard as well
    expect(chips(form)).to_have_text(["Outer knee×", "Calf×"])
    knee.click()  # chosen again: taken off
    expect(chips(form)).to_have_text(["Calf×"])
    expect(status).to_have_text("Outer knee removed.")
    assert_accessible(page, "the body chart lent to Refers to")
    shot(page, "body-chart", "#section-pain-sites")
    page.keyboard.press("Escape")  # gives the chart back and returns to the field
    expect(form.get_by_label("Refers to", exact=True)).to_be_focused()
    expect(pick).to_have_attribute("aria-pressed", "false")
    expect(pain.locator(".zone.picked")).to_have_count(0)

    pick.click()
    expect(pain.locator(".zone.picked[data-zone='calf']")).to_have_count(2)  # the calf, left and right
    expect(pain.locator(".zone.picked")).to_have_count(2)
    pain.get_by_role("button", name="Back to the finding").click()
    expect(form.get_by_label("Refers to", exact=True)).to_be_focused()
    expect(pain.get_by_role("button", name="Back to the finding")).to_have_count(0)
    knee.click()  # the chart charts pain sites again
    expect(pain.locator("#form-pain-sites").get_by_label("Zone", exact=True)).to_have_value("lateral_knee")
    expect(chips(form)).to_have_text(["Calf×"])

    form.get_by_role("button", name="Add finding").click()
    expect(page.locator("#section-findings table tbody tr td").nth(4)).to_have_text("Calf")
    assert Finding.objects.get(visit=visit).referral_zones == ["calf"]
