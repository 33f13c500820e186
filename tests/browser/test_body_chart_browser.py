"""The body chart on a phone, a tablet and desktops (390, 768, 1024 and 1440 px wide): it scales to its box and the page
never scrolls sideways; zoomed into an area, every zone is a target of at least 24 x 24 CSS px; the zones are one stop
in the Tab order, the arrow keys move between them and Enter charts a pain site as a click does; axe finds nothing
serious or critical. Without the script, the zone and side fields still chart a pain site.

Each width's chart, whole and zoomed into each area, is saved as test-artifacts/browser/body-chart/<width>-<area>.png.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from assessments.body_map import REGIONS, ZOOM_AREAS
from assessments.models import PainSite
from tests.browser.conftest import ARTIFACTS, PASSWORD
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_visit_accessibility import charted_visit
from tests.factories import PatientFactory, VisitFactory

pytestmark = pytest.mark.browser

WIDTHS = [390, 768, 1024, 1440]
SHOTS = ARTIFACTS / "body-chart"
TARGET_PX = 24

MEASURE = """(figure, target) => {
  const small = [], outside = [];
  let count = 0;
  for (const view of figure.querySelectorAll('.bc-view')) {
    const svg = view.querySelector('svg').getBoundingClientRect();
    for (const zone of view.querySelectorAll(".zone[role='button']:not(.bc-out)")) {
      count += 1;
      const r = zone.getBoundingClientRect();
      const name = `${zone.getAttribute('aria-label')} (${view.dataset.view})`;
      if (r.width < target || r.height < target) small.push(`${name}: ${r.width.toFixed(1)} x ${r.height.toFixed(1)}`);
      const cut = r.left < svg.left - 0.5 || r.right > svg.right + 0.5 || r.top < svg.top - 0.5
        || r.bottom > svg.bottom + 0.5;
      if (cut) outside.push(name);
    }
  }
  const row = figure.querySelector('.bc-views');
  return {count, small, outside, rowOverflow: row.scrollWidth - row.clientWidth};
}"""

# From every zone in play, each arrow key in turn (dispatched as the keyboard would): which zones can be reached.
REACHABLE = """(figure) => {
  const zones = [...figure.querySelectorAll(".zone[role='button']:not(.bc-out)")];
  const seen = new Set([zones[0]]);
  const queue = [zones[0]];
  while (queue.length) {
    const zone = queue.shift();
    for (const key of ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight']) {
      zone.focus();
      zone.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true, cancelable: true}));
      const next = document.activeElement;
      if (zones.includes(next) && !seen.has(next)) { seen.add(next); queue.push(next); }
    }
  }
  return zones.filter((z) => !seen.has(z)).map((z) => z.getAttribute('aria-label'));
}"""

TAB_STOPS = "(root) => [...root.querySelectorAll('[tabindex], button')].filter((e) => e.tabIndex >= 0).length"

ACTIVE = """() => {
  const el = document.activeElement;
  return {label: el.getAttribute('aria-label') || el.textContent.trim(), zone: el.classList.contains('zone'),
          inViews: !!el.closest('.bc-views'), inToolbar: !!el.closest('.bc-zoom')};
}"""


def in_area(key: str) -> int:
    area = next(a for a in ZOOM_AREAS if a.key == key)
    return sum(1 for r in REGIONS if area.holds(r))


@pytest.fixture
def visit(practitioner: Any) -> Any:
    patient = PatientFactory(clinic=practitioner.clinic, first_name="Lena", last_name="Okafor")
    return charted_visit(patient, practitioner.user, days_ago=0)


def open_visit(page: Page, sign_in: Any, practitioner: Any, visit: Any, width: int) -> Locator:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(practitioner.username)
    page.goto(f"/visits/{visit.pk}/")
    figure = page.locator("#section-pain-sites .body-chart")
    expect(figure.locator(".bc-zoom")).to_be_visible()  # the script has run
    return figure


def assert_no_sideways_scroll(page: Page, what: str) -> None:
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"{what}: the page scrolls sideways ({scroll} > {client})"


@pytest.mark.parametrize("width", WIDTHS)
def test_zoomed_into_any_area_every_zone_is_a_24_px_target_and_the_page_never_scrolls_sideways(
    page: Page, practitioner: Any, visit: Any, sign_in: Any, width: int
):
    figure = open_visit(page, sign_in, practitioner, visit, width)
    SHOTS.mkdir(parents=True, exist_ok=True)

    # The whole body: both views share the chart's box, which fits the card.
    views = figure.locator(".bc-views")
    row = views.bounding_box()
    card = page.locator("#section-pain-sites").bounding_box()
    assert row and card and row["x"] >= card["x"] and row["x"] + row["width"] <= card["x"] + card["width"]
    for view in ("front", "back"):
        svg = figure.locator(f".bc-{view} svg").bounding_box()
        assert svg and svg["width"] >= 0.4 * min(row["width"], 520) - 1, (view, svg, row)
    measured = figure.evaluate(MEASURE, TARGET_PX)
    assert measured["count"] == len(REGIONS) and measured["outside"] == [] and measured["rowOverflow"] <= 0
    assert_no_sideways_scroll(page, f"whole body at {width}")
    figure.screenshot(path=str(SHOTS / f"{width}-whole_body.png"))
    assert_accessible(page, f"visit page at {width} px, the whole body chart")

    for area in ZOOM_AREAS:
        figure.get_by_role("button", name=area.label, exact=True).click()
        expect(figure).to_have_class("body-chart bc-zoomed")
        measured = figure.evaluate(MEASURE, TARGET_PX)
        assert measured["count"] == in_area(area.key), area.key
        assert measured["small"] == [], f"{area.key} at {width} px: zones under {TARGET_PX} px: {measured['small']}"
        assert measured["outside"] == [], f"{area.key} at {width} px: zones cut off: {measured['outside']}"
        assert measured["rowOverflow"] <= 0, f"{area.key} at {width} px: the views scroll sideways"
        assert_no_sideways_scroll(page, f"{area.key} at {width}")
        figure.screenshot(path=str(SHOTS / f"{width}-{area.key}.png"))
    assert_accessible(page, f"visit page at {width} px, the chart zoomed into {ZOOM_AREAS[-1].key}")

    figure.get_by_role("button", name="Whole body", exact=True).click()
    expect(figure).to_have_class("body-chart")
    assert figure.evaluate(MEASURE, TARGET_PX)["count"] == len(REGIONS)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_chart_is_one_tab_stop_the_arrow_keys_move_between_zones_and_enter_charts_a_pain_site(
    page: Page, practitioner: Any, visit: Any, sign_in: Any, width: int
):
    figure = open_visit(page, sign_in, practitioner, visit, width)
    toolbar = figure.get_by_role("toolbar", name="Zoom the chart to")
    whole = toolbar.get_by_role("button", name="Whole body", exact=True)
    assert figure.locator(".bc-views").evaluate(TAB_STOPS) == 1
    assert toolbar.evaluate(TAB_STOPS) == 1

    # From the field before the chart's toolbar: Tab reaches the toolbar (one stop), Tab the chart (one stop), and the
    # next Tab leaves it; Shift+Tab comes back to the same zone.
    whole.focus()
    page.keyboard.press("Shift+Tab")
    before = page.evaluate(ACTIVE)
    assert not before["inToolbar"] and not before["inViews"]
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE) == {"label": "Whole body", "zone": False, "inViews": False, "inToolbar": True}
    page.keyboard.press("Tab")
    vertex = {"label": "Top of the head (vertex), midline", "zone": True, "inViews": True, "inToolbar": False}
    assert page.evaluate(ACTIVE) == vertex
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE)["inViews"] is False
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(ACTIVE) == vertex

    # Arrow keys between the zones of the whole body; the focused one is outlined on top of the others, and stays the
    # chart's tab stop.
    page.keyboard.press("ArrowDown")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("aria-label", "Forehead, midline")
    ring = figure.locator(".bc-front .bc-focus")
    expect(ring).to_have_class("bc-focus bc-focus-on")
    assert ring.locator(".bc-focus-line").get_attribute("points") == focused.get_attribute("points")
    page.keyboard.press("Tab")
    expect(ring).to_have_class("bc-focus")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Forehead, midline")
    assert figure.evaluate(REACHABLE) == [], "zones the arrow keys cannot reach in the whole body chart"

    # The zoom toolbar from the keyboard: End goes to its last button, Enter zooms into the ankle and foot.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(ACTIVE)["inToolbar"] is True
    page.keyboard.press("End")
    expect(page.locator(":focus")).to_have_text("Ankle & foot")
    page.keyboard.press("Enter")
    expect(toolbar.get_by_role("button", name="Ankle & foot")).to_have_attribute("aria-pressed", "true")
    assert figure.evaluate(REACHABLE) == [], "zones the arrow keys cannot reach in the ankle and foot"
    for area in ZOOM_AREAS[:-1]:
        toolbar.get_by_role("button", name=area.label, exact=True).click()
        assert figure.evaluate(REACHABLE) == [], f"zones the arrow keys cannot reach in {area.key}"
    toolbar.get_by_role("button", name="Ankle & foot", exact=True).click()

    # Into the zoomed chart, one zone to the right, Enter: the pain site is filled in as a click fills it in.
    toolbar.get_by_role("button", name="Ankle & foot", exact=True).focus()
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Outer ankle, right")
    page.keyboard.press("ArrowRight")
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Front of the ankle, right")
    SHOTS.mkdir(parents=True, exist_ok=True)
    figure.screenshot(path=str(SHOTS / f"{width}-keyboard_focus.png"))
    page.keyboard.press("Enter")
    pain = page.locator("#section-pain-sites")
    form = pain.locator("#form-pain-sites")
    expect(form.get_by_label("Zone", exact=True)).to_have_value("anterior_ankle")
    expect(form.get_by_label("Side", exact=True)).to_have_value("right")
    expect(pain.locator("[data-body-chart-status]")).to_have_text("Selected: Front of the ankle, right")
    nprs = form.get_by_label("Pain now (NPRS 0–10)")
    expect(nprs).to_be_focused()
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    expect(pain.locator("table tbody tr")).to_have_count(3)  # two from charted_visit
    expect(pain.locator("polygon.zone.marked[data-zone='anterior_ankle'][data-side='right']")).to_have_count(1)
    assert PainSite.objects.filter(visit=visit, zone="anterior_ankle", side="right", nprs=5).count() == 1
    # The chart comes back zoomed as it was, with one tab stop.
    figure = pain.locator(".body-chart")
    expect(figure).to_have_class("body-chart bc-zoomed")
    expect(figure.get_by_role("button", name="Ankle & foot", exact=True)).to_have_attribute("aria-pressed", "true")
    assert figure.locator(".bc-views").evaluate(TAB_STOPS) == 1


def test_without_the_script_the_zone_and_side_fields_chart_a_pain_site(
    browser: Browser, live_app: str, practitioner: Any
):
    patient = PatientFactory(clinic=practitioner.clinic, first_name="Lena", last_name="Okafor")
    visit: Any = VisitFactory(patient=patient, date=datetime.date.today(), chief_complaint="Heel pain")
    context = browser.new_context(base_url=live_app, java_script_enabled=False, viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(practitioner.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"/visits/{visit.pk}/")
        pain = page.locator("#section-pain-sites")
        expect(pain.locator(".bc-zoom")).to_be_hidden()  # zooming needs the script
        expect(pain.locator(".bc-views svg")).to_have_count(2)
        form = pain.locator("#form-pain-sites")
        form.get_by_label("Zone", exact=True).select_option("lateral_ankle")
        form.get_by_label("Side", exact=True).select_option("left")
        form.get_by_label("Pain now (NPRS 0–10)").fill("4")
        form.get_by_role("button", name="Add pain site").click()
        expect(page.locator("#section-pain-sites table tbody tr")).to_have_count(1)
        assert PainSite.objects.filter(visit=visit, zone="lateral_ankle", side="left", nprs=4).count() == 1
        expect(page.locator("polygon.zone.marked[data-zone='lateral_ankle'][data-side='left']")).to_have_count(2)
    finally:
        context.close()
