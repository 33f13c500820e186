"""Nothing typed is lost: a save after the session ended keeps the entry and offers a sign-in back to the visit; a
save says so; leaving with unsent text asks first."""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import Dialog, expect
from playwright.sync_api import Error as PlaywrightError

from assessments.models import Visit
from tests.browser.conftest import _sign_in
from tests.factories import PatientFactory, VisitFactory

pytestmark = pytest.mark.browser


def test_a_save_after_the_session_ended_keeps_the_entry_and_saves_after_signing_in_again(logged_in_page, practitioner):
    page = logged_in_page
    visit = VisitFactory(patient=PatientFactory(clinic=practitioner.clinic), chief_complaint="Heel pain")
    page.goto(f"/visits/{visit.pk}/")
    complaint = page.locator("#section-details textarea, #section-details input[name$=chief_complaint]").first
    complaint.fill("Heel pain, worse in the first steps of the morning")
    kept = [c for c in page.context.cookies() if c["name"] != "sessionid"]  # the session ended; CSRF cookie stays
    page.context.clear_cookies()
    page.context.add_cookies(kept)
    page.get_by_role("button", name="Save complaint").click()

    notice = page.locator("#session-notice")
    expect(notice).to_contain_text("Your session has ended")
    expect(complaint).to_have_value("Heel pain, worse in the first steps of the morning")  # nothing swapped away
    sign_in_again = notice.get_by_role("link", name="Sign in again")
    assert re.search(rf"next=%2Fvisits%2F{visit.pk}%2F", sign_in_again.get_attribute("href") or "")

    other = page.context.new_page()  # the link opens a new tab: sign in there, come back, save again
    _sign_in(other, practitioner.username, practitioner.password)
    other.close()
    page.bring_to_front()
    page.evaluate("window.dispatchEvent(new Event('focus'))")  # back on the visit's tab
    expect(page.locator("#session-notice")).to_contain_text("signed in again")
    page.get_by_role("button", name="Save complaint").click()
    expect(page.locator("#save-status")).to_have_text(re.compile(r"Saved at \d\d:\d\d"))
    visit.refresh_from_db()
    assert visit.chief_complaint == "Heel pain, worse in the first steps of the morning"
    assert Visit.objects.count() == 1


def test_leaving_with_unsent_text_asks_first(logged_in_page, practitioner):
    page = logged_in_page
    visit = VisitFactory(patient=PatientFactory(clinic=practitioner.clinic))
    page.goto(f"/visits/{visit.pk}/")
    page.locator("#section-details textarea, #section-details input[name$=chief_complaint]").first.fill("Typed")
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.evaluate("document.querySelector('#section-details form').dispatchEvent(new Event('input'))")
    with contextlib.suppress(PlaywrightError):  # dismissing the prompt cancels the navigation: goto reports it
        page.goto("/patients/", wait_until="commit")
    assert asked == ["beforeunload"]
    assert f"/visits/{visit.pk}/" in page.url  # still on the visit, the text still there
