"""The pages work under the strict Content-Security-Policy: no violation reported while charting, in the console or as
a securitypolicyviolation event; the API docs work under their relaxed style-src; an ended session sends an htmx
request's page to the login page instead of swapping the login form into a panel."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from clinic.auth import end_sessions_and_tokens
from tests.browser.test_visit_accessibility import charted_visit
from tests.factories import PatientFactory, StressorFactory

pytestmark = pytest.mark.browser

# Runs in every document before its own scripts (injected by the browser driver, so the policy does not apply to it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile
    + ":" + e.lineNumber);
});
"""


class Violations:
    """Console messages about the Content-Security-Policy, plus securitypolicyviolation events of the page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _on_console(self, message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text or "Refused to" in text:
            self.console.append(f"{message.type}: {text}")
        elif message.type == "error" and not text.startswith("Failed to load resource"):  # 400s and 404s are fine
            self.errors.append(f"{text} ({message.location.get('url')})")

    def assert_none(self, where: str) -> None:
        events = self.page.evaluate("window.__cspViolations || []")
        assert not self.console and not events, f"CSP violations on {where}: {self.console + events}"
        assert not self.errors, f"script errors on {where}: {self.errors}"


@pytest.fixture
def patient(practitioner: Any) -> Any:
    patient = PatientFactory(clinic=practitioner.clinic, first_name="Lena", last_name="Okafor")
    StressorFactory(patient=patient, kind="rapid_footwear_transition", severity=2)
    return patient


def test_no_csp_violation_on_the_patient_chart_and_the_visit_page_while_charting(
    page: Page, practitioner: Any, patient: Any, sign_in: Any
):
    violations = Violations(page)
    charted_visit(patient, practitioner.user, days_ago=14, kind="initial", signed=True)
    visit = charted_visit(patient, practitioner.user, days_ago=0)

    sign_in(practitioner.username)
    violations.assert_none("the sign-in and the patient list")

    page.get_by_label("Search by name").fill("oka")  # live search (htmx)
    expect(page.get_by_role("link", name="Okafor, Lena")).to_be_visible()
    page.get_by_role("link", name="Okafor, Lena").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lena Okafor")
    page.locator("#visits ol.timeline > li").first.wait_for()
    violations.assert_none("the patient chart")

    page.goto(f"/visits/{visit.pk}/")
    expect(page.locator("#section-findings tbody tr")).to_have_count(3)
    pain = page.locator("#section-pain-sites")
    pain.get_by_role("button", name="Calf, right").click()  # the body chart's script (a static file) at work
    form = pain.locator("#form-pain-sites")
    expect(form.get_by_label("Zone", exact=True)).to_have_value("calf")
    form.get_by_label("Pain now (NPRS 0–10)").fill("4")
    form.get_by_role("button", name="Add pain site").click()
    expect(pain.locator("table tbody tr")).to_have_count(3)  # two from charted_visit, one added by htmx
    findings = page.locator("#form-findings")
    findings.get_by_label("Muscle", exact=True).fill("wing")
    findings.get_by_role("button", name="Add finding").click()  # an htmx 400 with errors swapped in
    expect(findings.locator(".field-error").first).to_be_visible()
    page.locator("#panel-analysis summary").click()
    violations.assert_none("the visit page while charting")


def test_the_api_docs_render_under_their_relaxed_policy(page: Page, practitioner: Any, sign_in: Any):
    violations = Violations(page)
    sign_in(practitioner.username)
    page.goto("/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Clinic charting API")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    violations.assert_none("the API docs")


def test_an_ended_session_sends_the_page_of_an_htmx_request_to_the_login_page(page: Page, practitioner: Any, sign_in):
    sign_in(practitioner.username)
    expect(page).to_have_url(re.compile(r"/patients/$"))
    end_sessions_and_tokens(practitioner.user.pk)  # as a deactivation would (through the session engine and its cache)

    page.get_by_label("Search by name").fill("oka")  # an htmx request without a session
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fpatients%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator("#patient-results")).to_have_count(0)  # no panel with a login form in it
