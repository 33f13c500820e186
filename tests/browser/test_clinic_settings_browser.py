"""The owner's clinic settings page in a real browser: reached from the header, the time zone chosen from the keyboard,
saved; it fits a phone and a desktop and axe finds nothing serious or critical.

Screens: test-artifacts/browser/clinic-settings-<width>.png.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from clinic.models import Clinic, Role
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility import assert_accessible
from tests.factories import ClinicFactory, MembershipFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def owner(live_app: str) -> Any:
    clinic = ClinicFactory(name="Harbour Street Clinic", address="1 Quay Street", phone="555 0100")
    return MembershipFactory(clinic=clinic, role=Role.OWNER, user__username="olga.owner")


@pytest.mark.parametrize("width", [390, 1440])
def test_an_owner_changes_the_time_zone_from_the_header_link(page: Page, sign_in: Any, owner: Any, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in("olga.owner")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clinic settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinic settings")
    zone = page.get_by_label("Time zone")
    expect(zone).to_have_value("UTC")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert_accessible(page, f"clinic settings at {width} px")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"clinic-settings-{width}.png"), full_page=True)

    zone.focus()
    page.keyboard.type("Pacific/Auckland")  # a select's own type-ahead
    expect(zone).to_have_value("Pacific/Auckland")
    page.get_by_label("Phone").fill("+64 9 555 0100")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Clinic settings saved.")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("Pacific/Auckland")
    clinic = Clinic.objects.get(pk=owner.clinic.pk)
    assert (clinic.time_zone, clinic.phone, clinic.address) == ("Pacific/Auckland", "+64 9 555 0100", "1 Quay Street")
