"""axe-core on the practitioner pages: no "serious" or "critical" accessibility violation."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.factories import ClinicFactory, InjuryFactory, MembershipFactory, PatientFactory, StressorFactory

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
_axe = Axe()


TARGET_SIZE = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


def assert_accessible(page: Page, what: str, *, target_size: bool = False) -> None:
    """Run axe on the page as it is now; fail listing every serious or critical violation. With `target_size`, also
    WCAG 2.2's touch-target size (2.5.8: 24 x 24 CSS px or enough space), a rule axe leaves off unless asked."""
    violations = (_axe.run(page, options=TARGET_SIZE) if target_size else _axe.run(page)).response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING]
    report = []
    for v in blocking:
        report.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            report.append(f"    at {', '.join(str(t) for t in node['target'])}: {node.get('failureSummary', '')}")
    minor = sorted({f"{v['id']} ({v.get('impact')})" for v in violations if v.get("impact") not in BLOCKING})
    if minor:
        print(f"{what}: minor axe findings (not failing): {', '.join(minor)}")
    assert not blocking, f"{what}: {len(blocking)} serious/critical axe violation(s):\n" + "\n".join(report)


def test_the_check_itself_catches_violations(page):
    page.set_content('<html lang="en"><body><main><h1 style="color:#ccc">Faint</h1><img src="x.png"></main></body>')
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "a broken page")
    for rule in ("color-contrast (serious)", "image-alt (critical)"):
        assert rule in str(failure.value)


def test_login_page_is_accessible(page):
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page, "login page")
    page.get_by_role("button", name="Sign in").click()  # empty: the form comes back with its errors
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert_accessible(page, "login page after an empty submit")


def test_patient_list_is_accessible(logged_in_page, practitioner):
    page = logged_in_page
    for first, last in [("Maria", "Lopez"), ("Zoe", "Brown"), ("Adam", "Green")]:
        PatientFactory(clinic=practitioner.clinic, first_name=first, last_name=last, occupation="Teacher")
    page.reload()
    expect(page.locator("#patient-results tbody tr")).to_have_count(3)
    assert_accessible(page, "patient list")
    page.get_by_label("Search by name").fill("nobody")
    expect(page.locator("#patient-results")).to_contain_text("No patient matches")
    assert_accessible(page, "patient list with no match")


def test_patient_page_with_stressors_and_injuries_is_accessible(logged_in_page, practitioner):
    page = logged_in_page
    patient = PatientFactory(clinic=practitioner.clinic, first_name="Ines", last_name="Moreau", occupation="Chef")
    StressorFactory(patient=patient, kind="footwear", severity=3, detail="new running shoes")
    StressorFactory(patient=patient, kind="poor_sleep", category="emotional_mental", severity=2)
    InjuryFactory(patient=patient, description="fell off a bike", painful_now=True)
    page.goto(f"/patients/{patient.pk}/")
    expect(page.locator("#panel-stressors ul.items > li")).to_have_count(2)
    expect(page.locator("#panel-injuries ul.items > li")).to_have_count(1)
    assert_accessible(page, "patient page")

    # The add forms open, then an invalid add with its inline errors, then an inline edit form.
    stressors = page.locator("#panel-stressors")
    stressors.get_by_text("Add stressors").click()
    page.locator("#panel-injuries").get_by_text("Add old injuries").click()
    stressors.get_by_role("button", name="Add").click()
    expect(stressors.locator(".field-error").first).to_be_visible()
    page.locator("#panel-injuries").get_by_role("link", name="Edit").click()
    expect(page.locator("#panel-injuries").get_by_role("button", name="Save")).to_be_visible()
    assert_accessible(page, "patient page with open panel forms and errors")


def test_new_patient_form_is_accessible_also_with_errors(logged_in_page):
    page = logged_in_page
    page.get_by_role("link", name="New patient").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New patient")
    assert_accessible(page, "new patient form")
    page.get_by_label("Date of birth").fill("2999-01-01")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field-error").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/patients/new/$"))
    assert_accessible(page, "new patient form with errors")


def test_clinic_chooser_is_accessible(page, practitioner, sign_in):
    MembershipFactory(user=practitioner.user, clinic=ClinicFactory(name="Second Clinic"))
    sign_in(practitioner.username, practitioner.password)  # two clinics: the login leads to the chooser
    expect(page.get_by_role("heading", level=1)).to_have_text("Which clinic are you working for?")
    assert_accessible(page, "clinic chooser")
    page.get_by_label("Second Clinic").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".topbar")).to_contain_text("Second Clinic")
