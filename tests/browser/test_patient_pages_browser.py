"""The patient pages in a real browser: sign in, live search, the patient page and its inline htmx panels."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from patients.models import Injury, Stressor
from tests.factories import ClinicFactory, InjuryFactory, PatientFactory

pytestmark = pytest.mark.browser

NO_RELOAD = "window.__sameDocument"


def mark_document(page: Page) -> None:
    """Put a marker on window: it survives htmx swaps and disappears on any full page load."""
    page.evaluate(f"{NO_RELOAD} = true")


def assert_same_document(page: Page) -> None:
    assert page.evaluate(f"{NO_RELOAD} === true"), "the page was reloaded"


def test_sign_in_see_the_clinics_patients_search_live_and_open_one(page, practitioner):
    clinic = practitioner.clinic
    PatientFactory(clinic=clinic, first_name="Maria", last_name="Lopez")
    PatientFactory(clinic=clinic, first_name="Zoe", last_name="Brown")
    PatientFactory(clinic=clinic, first_name="Adam", last_name="Green", occupation="Carpenter")
    PatientFactory(clinic=ClinicFactory(name="Elsewhere"), first_name="Foreign", last_name="Person")

    page.goto("/patients/")  # not signed in: the login form, then back to the list
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill(practitioner.username)
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("enter a correct username and password")
    page.get_by_label("Password").fill(practitioner.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/patients/$"))

    rows = page.locator("#patient-results tbody tr")
    expect(rows).to_have_count(3)
    expect(page.get_by_role("link", name="Lopez, Maria")).to_be_visible()
    expect(page.get_by_text("Person, Foreign")).to_have_count(0)
    expect(page.locator(".topbar")).to_contain_text("Harbour Street Clinic")

    mark_document(page)
    page.get_by_label("Search by name").press_sequentially("gre", delay=40)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Green, Adam")
    expect(rows.first).to_contain_text("Carpenter")
    expect(page).to_have_url(re.compile(r"/patients/\?q=gre$"))  # hx-push-url keeps the search in the address
    assert_same_document(page)

    page.get_by_label("Search by name").fill("nobody-like-this")
    expect(page.locator("#patient-results")).to_contain_text("No patient matches “nobody-like-this”.")
    assert_same_document(page)

    page.get_by_label("Search by name").fill("")
    expect(rows).to_have_count(3)
    page.get_by_role("link", name="Green, Adam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adam Green")
    expect(page.locator("#panel-stressors")).to_contain_text("None recorded.")


def test_add_a_stressor_see_a_field_error_and_edit_an_injury_inline(logged_in_page, practitioner):
    page = logged_in_page
    patient = PatientFactory(clinic=practitioner.clinic, first_name="Ines", last_name="Moreau")
    injury = InjuryFactory(patient=patient, zone="posterior_shoulder", side="left", description="fell off a bike")

    page.reload()  # the list was shown before the patient existed
    page.get_by_role("link", name="Moreau, Ines").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ines Moreau")
    mark_document(page)

    # Add a stressor through the inline panel.
    stressors = page.locator("#panel-stressors")
    expect(stressors).to_contain_text("None recorded.")
    stressors.get_by_text("Add stressors").click()
    stressors.get_by_label("Kind").select_option("footwear")
    stressors.get_by_label("Severity").fill("3")
    stressors.get_by_label("Detail").fill("new running shoes in March")
    stressors.get_by_role("button", name="Add").click()
    item = stressors.locator("ul.items > li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Footwear not right for the person")
    expect(item).to_contain_text("severity 3/3")
    expect(item).to_contain_text("new running shoes in March")
    # a fresh add form, kept open with the focus in it, for the next stressor
    expect(stressors.locator("details")).to_have_attribute("open", "")
    expect(stressors.get_by_label("Kind")).to_have_value("")
    expect(stressors.get_by_label("Kind")).to_be_focused()
    assert_same_document(page)
    stressor = Stressor.objects.get(patient_id=patient.pk)
    assert (stressor.kind, stressor.category, stressor.severity) == ("footwear", "physical_structural", 3)

    # An invalid add shows the errors next to the fields and adds nothing.
    stressors.get_by_label("Severity").fill("7")
    stressors.get_by_role("button", name="Add").click()
    kind_field = stressors.locator(".field.has-error", has=page.get_by_label("Kind"))
    expect(kind_field.locator(".field-error")).to_have_text("This field is required.")
    severity_field = stressors.locator(".field.has-error", has=page.get_by_label("Severity"))
    expect(severity_field.locator(".field-error")).to_contain_text("less than or equal to 3")
    expect(stressors.locator("details")).to_have_attribute("open", "")
    expect(item).to_have_count(1)
    assert_same_document(page)
    assert Stressor.objects.filter(patient_id=patient.pk).count() == 1

    # Edit the old injury inline.
    injuries = page.locator("#panel-injuries")
    expect(injuries).to_contain_text("fell off a bike")
    injuries.get_by_role("link", name="Edit").click()
    row = injuries.locator(f"#injuries-{injury.pk}")  # the edit form replaces the item's row
    description = row.get_by_label("Description")
    expect(description).to_have_value("fell off a bike")
    description.fill("fell off a mountain bike")
    row.get_by_label("When (approximate is fine)").fill("2016-07-10")
    row.get_by_label("Still painful").check()
    row.get_by_role("button", name="Save").click()
    expect(injuries.get_by_role("button", name="Save")).to_have_count(0)  # the edit form is gone
    expect(injuries).to_contain_text("fell off a mountain bike")
    expect(injuries).to_contain_text("2016-07 · still painful")
    assert_same_document(page)
    injury.refresh_from_db()
    assert injury.description == "fell off a mountain bike"
    assert injury.painful_now is True
    assert injury.occurred_on == datetime.date(2016, 7, 10)
    assert Injury.objects.filter(patient_id=patient.pk).count() == 1
