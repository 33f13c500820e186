"""Every page a user can reach, on a phone, a tablet, a small laptop and a desktop (390, 768, 1024 and 1440 px wide).

On each page at each width: the page never scrolls sideways (`scrollWidth <= clientWidth`; a wide table scrolls inside
its own card or is shown as stacked rows); axe finds no serious or critical violation, touch-target size (WCAG 2.2
2.5.8, 24 px) included; on a phone every form is one column. On the visit page the analysis is one tap away on a phone
and a tablet, and printing a visit shows what was charted without the navigation, the forms and the buttons.

The pages are seen as an owner (the longest header: members and audit links, the clinic's name, the role) who also
works for a second clinic as an assistant (so the clinic chooser and the 403 page are reached on the way). One
signed-in browser context per width goes through all of them. Each page at each width is saved as
test-artifacts/browser/widths/<page>-<width>.png.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from assessments import services
from assessments.models import Screening
from clinic.models import Role
from tests.browser.conftest import ARTIFACTS, PASSWORD, TIMEOUT_MS, Practitioner
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_visit_accessibility import charted_visit
from tests.factories import (
    ClinicFactory,
    FavouriteSetFactory,
    FindingFactory,
    InjuryFactory,
    MembershipFactory,
    PatientFactory,
    StressorFactory,
)

pytestmark = pytest.mark.browser

WIDTHS = [390, 768, 1024, 1440]
PHONE = 390
SHOTS = ARTIFACTS / "widths"
TODAY = datetime.date.today()

# The elements that stick out to the right of the window (for the failure message).
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
    && !e.closest('.table-scroll, .bc-views'))
  .slice(0, 8).map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')}`
    + ` right=${Math.round(e.getBoundingClientRect().right)}`)"""

# Form fields (typed into or chosen from, not ticked) that share a row with another field of the same form. Fields in
# a table row belong to that row; the table is then shown as stacked rows or scrolls inside its card.
SIDE_BY_SIDE = """() => {
  const visible = (e) => e.offsetParent !== null && e.getBoundingClientRect().width > 0;
  const fields = (form) => [...form.querySelectorAll('input, select, textarea')].filter((e) =>
    !['hidden', 'checkbox', 'radio', 'submit', 'button'].includes(e.type) && visible(e) && !e.closest('table'));
  const pairs = [];
  for (const form of document.querySelectorAll('form')) {
    const boxes = fields(form).map((e) => [e, e.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, ra] = boxes[i], [b, rb] = boxes[j];
        const sameRow = ra.top < rb.bottom - 1 && rb.top < ra.bottom - 1;
        const apart = ra.right <= rb.left + 1 || rb.right <= ra.left + 1;
        if (sameRow && apart) pairs.push(`${a.name || a.id} | ${b.name || b.id} (form ${form.id || form.action})`);
      }
    }
  }
  return pairs;
}"""


@dataclass(frozen=True)
class Chart:
    """What the pages show: a patient with stressors, an old injury, a signed initial visit and a draft follow-up."""

    patient: Any
    stressor: Any
    injury: Any
    signed: Any
    draft: Any


@pytest.fixture
def owner(practitioner: Practitioner) -> Practitioner:
    """The practitioner made the clinic's owner, with a colleague, and an assistant at a second clinic."""
    practitioner.membership.role = Role.OWNER
    practitioner.membership.save()
    MembershipFactory(clinic=practitioner.clinic, user__username="alex.assistant", role=Role.ASSISTANT)
    MembershipFactory(user=practitioner.user, clinic=ClinicFactory(name="Second Clinic"), role=Role.ASSISTANT)
    return practitioner


@pytest.fixture
def chart(owner: Practitioner) -> Chart:
    clinic, user = owner.clinic, owner.user
    for first, last in [("Maria", "Lopez"), ("Zoe", "Brown"), ("Adam", "Green")]:
        PatientFactory(clinic=clinic, first_name=first, last_name=last, occupation="Teacher")
    patient = PatientFactory(
        clinic=clinic, first_name="Lena", last_name="Okafor-Whitfield", occupation="Night-shift nurse"
    )
    stressor = StressorFactory(
        patient=patient, kind="rapid_footwear_transition", severity=2, detail="minimalist shoes since October"
    )
    StressorFactory(patient=patient, kind="poor_sleep", category="emotional_mental", severity=2)
    injury = InjuryFactory(patient=patient, description="fell off a bike, left shoulder dislocated", painful_now=True)
    signed = charted_visit(patient, user, days_ago=14, kind="initial", signed=True)
    services.addendum_create(visit=signed, actor=user, text="Patient phoned: heel pain 3/10 two days later.")
    draft = charted_visit(patient, user, days_ago=0)
    services.child_create(
        model=Screening,
        visit=draft,
        actor=user,
        data={"rule": "SAFE-M-FRACTURE-STRESS", "result": "positive", "detail": "focal calcaneal tenderness"},
    )
    services.plan_build(visit=draft, actor=user)
    FindingFactory(visit=draft, muscle="flexor_digitorum_brevis", side="left", tenderness=3, status="latent")
    FavouriteSetFactory(clinic=clinic, owner=user, shared=True)
    return Chart(patient, stressor, injury, signed, draft)


# --- the pages -------------------------------------------------------------------------------------------------------


def heading(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def login(page: Page, chart: Chart) -> None:
    """A wrong password: the form comes back with its error."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("nobody.here")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".errors").first).to_be_visible()


def patient_list(page: Page, chart: Chart) -> None:
    page.goto("/patients/")
    expect(page.locator("#patient-results tbody tr")).to_have_count(4)


def new_patient(page: Page, chart: Chart) -> None:
    page.goto("/patients/new/")
    heading(page)


def new_patient_with_errors(page: Page, chart: Chart) -> None:
    page.goto("/patients/new/")
    page.get_by_label("Date of birth").fill("2999-01-01")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field-error").first).to_be_visible()


def patient_page(page: Page, chart: Chart) -> None:
    page.goto(f"/patients/{chart.patient.pk}/")
    expect(page.locator("#visits ol.timeline > li")).to_have_count(2)
    page.locator("#panel-stressors").get_by_text("Add stressors").click()
    page.locator("#panel-stressors").get_by_role("button", name="Add").click()
    expect(page.locator("#panel-stressors .field-error").first).to_be_visible()


def stressor_edit(page: Page, chart: Chart) -> None:
    """A stressor edited in place on the patient page (a page of its own only without JavaScript)."""
    page.goto(f"/patients/{chart.patient.pk}/")
    page.locator(f"#stressors-{chart.stressor.pk}").get_by_role("link", name="Edit").click()
    expect(page.locator("#panel-stressors").get_by_role("button", name="Save")).to_be_visible()


def injury_edit(page: Page, chart: Chart) -> None:
    page.goto(f"/patients/{chart.patient.pk}/")
    page.locator(f"#injuries-{chart.injury.pk}").get_by_role("link", name="Edit").click()
    expect(page.locator("#panel-injuries").get_by_role("button", name="Save")).to_be_visible()


def draft_visit(page: Page, chart: Chart) -> None:
    """Everything charted, the plan out of date, the referral letter, a favourite set opened to chart from, every
    folded part opened."""
    page.goto(f"/visits/{chart.draft.pk}/")
    expect(page.locator("#panel-referral")).to_be_visible()
    expect(page.locator("#panel-plan ol.steps > li").first).to_be_visible()
    favourites = page.locator("#panel-favourites")
    favourites.get_by_role("button", name="Chart from set").click()
    expect(favourites.locator("tbody tr")).to_have_count(5)
    for summary in page.locator("#main details:not([open]) > summary").all():
        if summary.is_visible():
            summary.click()


def signed_visit(page: Page, chart: Chart) -> None:
    page.goto(f"/visits/{chart.signed.pk}/")
    expect(page.locator(".page-head .status")).to_contain_text("Signed by")


def compare(page: Page, chart: Chart) -> None:
    page.goto(f"/visits/{chart.draft.pk}/compare/")
    expect(page.locator(".summary-banner")).to_be_visible()


def visit_note(page: Page, chart: Chart) -> None:
    page.goto(f"/visits/{chart.draft.pk}/note/")
    heading(page)


def members(page: Page, chart: Chart) -> None:
    page.goto("/clinic/members/")
    expect(page.locator("#members tbody tr")).to_have_count(2)


def audit(page: Page, chart: Chart) -> None:
    page.goto("/clinic/audit/")
    expect(page.locator("table tbody tr").first).to_be_visible()


def not_found(page: Page, chart: Chart) -> None:
    response = page.goto(f"/patients/{uuid.uuid4()}/")
    assert response is not None and response.status == 404
    heading(page)


def chooser(page: Page, chart: Chart) -> None:
    page.goto("/clinic/choose/")
    heading(page)


def forbidden(page: Page, chart: Chart) -> None:
    """In the second clinic, where the owner is an assistant, the members page is not allowed."""
    page.goto("/clinic/choose/")
    page.get_by_label("Second Clinic").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".topbar")).to_contain_text("Second Clinic")
    response = page.goto("/clinic/members/")
    assert response is not None and response.status == 403
    heading(page)


PAGES: list[tuple[str, Callable[[Page, Chart], None]]] = [
    ("patients", patient_list),
    ("patient-new", new_patient),
    ("patient-new-errors", new_patient_with_errors),
    ("patient", patient_page),
    ("stressor-edit", stressor_edit),
    ("injury-edit", injury_edit),
    ("visit-draft", draft_visit),
    ("visit-signed", signed_visit),
    ("compare", compare),
    ("visit-note", visit_note),
    ("members", members),
    ("audit", audit),
    ("not-found", not_found),
    ("chooser", chooser),
    ("forbidden", forbidden),
]


def check_page(page: Page, name: str, width: int) -> list[str]:
    """No sideways scrolling, one column of fields on a phone, axe with target size; a screenshot. What is wrong."""
    what = f"{name} at {width} px"
    problems = []
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if scroll > client:
        problems.append(f"{what}: the page scrolls sideways ({scroll} > {client}): {page.evaluate(WIDE)}")
    if width == PHONE and (pairs := page.evaluate(SIDE_BY_SIDE)):
        problems.append(f"{what}: form fields side by side on a phone: {pairs}")
    # From the top: the visit page's bar sticks to the top of the window once scrolled, over whatever passes under it
    # (scroll-padding keeps a focused field clear of it), and axe would count a button under it as a small target.
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    try:
        assert_accessible(page, what, target_size=True)
    except AssertionError as failure:
        problems.append(str(failure))
    return problems


def test_the_checks_themselves_catch_fields_side_by_side_and_a_page_wider_than_the_window(page: Page):
    page.set_viewport_size({"width": PHONE, "height": 600})
    page.set_content(
        '<html lang="en"><body><main><form id="f" style="display:flex">'
        '<input name="first" style="width:150px"><select name="side" style="width:150px"></select>'
        '<input type="checkbox" name="ticked"></form><div style="width:500px">wide</div></main></body></html>'
    )
    assert page.evaluate(SIDE_BY_SIDE) == ["first | side (form f)"]
    assert page.evaluate("document.documentElement.scrollWidth") > PHONE
    assert page.evaluate(WIDE) == ["div. right=508"]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_the_screen_and_is_accessible_at_every_width(
    browser: Browser, live_app: str, owner: Practitioner, chart: Chart, width: int
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_app, viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        login(page, chart)
        problems = check_page(page, "login", width)
        page.get_by_label("Username").fill(owner.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Which clinic are you working for?")
        problems += check_page(page, "chooser-sign-in", width)
        page.get_by_label(owner.clinic.name).check()
        page.get_by_role("button", name="Continue").click()
        expect(page.locator(".topbar")).to_contain_text(owner.clinic.name)
        for name, show in PAGES:
            show(page, chart)
            problems += check_page(page, name, width)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# --- the analysis one tap away; printing ---------------------------------------------------------------------------


@pytest.fixture
def draft(practitioner: Practitioner) -> Any:
    """A draft follow-up with everything charted and a plan, after a signed initial visit."""
    patient = PatientFactory(clinic=practitioner.clinic, first_name="Lena", last_name="Okafor")
    StressorFactory(patient=patient, kind="rapid_footwear_transition", severity=2, detail="minimalist shoes")
    charted_visit(patient, practitioner.user, days_ago=14, kind="initial", signed=True)
    return charted_visit(patient, practitioner.user, days_ago=0)


IN_VIEW = """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
  return r.top >= 0 && r.top < innerHeight; }"""


@pytest.mark.parametrize("width", [390, 768, 1024])
def test_on_a_phone_or_tablet_the_analysis_is_one_tap_away_and_the_jump_moves_the_focus_there(
    page: Page, practitioner: Practitioner, sign_in: Any, draft: Any, width: int
):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(practitioner.username)
    page.goto(f"/visits/{draft.pk}/")
    jump = page.get_by_role("navigation", name="Jump to").get_by_role("link", name="Jump to analysis")
    expect(jump).to_be_in_viewport()
    if width < 1024:
        assert not page.evaluate(IN_VIEW, "#analysis-h"), "the analysis should start below the charting"

    jump.click()  # one tap
    expect(page.locator("#panel-analysis")).to_be_focused()
    assert page.evaluate(IN_VIEW, "#analysis-h"), "the analysis heading is not in view after the jump"
    expect(jump).to_be_in_viewport()  # the bar stays at the top, so the plan is one more tap

    # By keyboard: back to the top, Tab to the link, Enter.
    page.goto(f"/visits/{draft.pk}/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "jump-analysis":
            break
    expect(jump).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#panel-analysis")).to_be_focused()
    page.keyboard.press("Tab")  # the next Tab goes on inside the analysis, not back to the top
    assert page.evaluate("!!document.activeElement.closest('#panel-analysis, #panel-plan')")


def test_on_a_wide_screen_the_analysis_is_beside_the_charting_without_a_jump_bar(
    page: Page, practitioner: Practitioner, sign_in: Any, draft: Any
):
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(practitioner.username)
    page.goto(f"/visits/{draft.pk}/")
    expect(page.get_by_role("navigation", name="Jump to")).to_be_hidden()
    expect(page.locator("#analysis-h")).to_be_in_viewport()


NO_URLS = """() => [...document.querySelectorAll('a')].filter((a) => {
  const after = getComputedStyle(a, '::after').content, before = getComputedStyle(a, '::before').content;
  return [after, before].some((c) => c.includes('http') || c.includes('attr('));
}).length"""


@pytest.mark.parametrize("width", [390, 1024])
def test_a_printed_visit_shows_what_was_charted_without_navigation_forms_or_buttons(
    page: Page, practitioner: Practitioner, sign_in: Any, draft: Any, width: int
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(practitioner.username)
    page.goto(f"/visits/{draft.pk}/")
    expect(page.locator("#form-findings")).to_be_visible()
    page.emulate_media(media="print")

    hidden = ["header.topbar", "nav.jump-nav", ".crumbs", "#form-findings", "#form-pain-sites", "#form-muscle-tests"]
    hidden += ["#section-details form", "#sign-visit", "#panel-favourites", "#section-carry-forward"]
    hidden += ["#panel-documents", ".bc-zoom"]
    for selector in hidden:
        expect(page.locator(selector).first).to_be_hidden()
    controls = page.locator("main").locator("button, input, select, textarea")
    assert [c.evaluate("(e) => e.outerHTML.slice(0, 80)") for c in controls.all() if c.is_visible()] == []
    assert page.evaluate(NO_URLS) == 0

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#section-details")).to_contain_text("Heel pain in the morning, calf tight after runs")
    expect(page.locator("#section-findings tbody tr")).to_have_count(3)
    for row in page.locator("#section-findings tbody tr").all():
        expect(row).to_be_visible()
    expect(page.locator("#section-findings")).to_contain_text("7/10")
    expect(page.locator("#section-muscle-tests")).to_contain_text("Inhibited")
    expect(page.locator("#section-outcomes")).to_contain_text("first steps in the morning")
    expect(page.locator("#panel-analysis")).to_contain_text("Suspected sources")
    expect(page.locator("#panel-analysis")).to_be_visible()
    expect(page.locator("#panel-plan ol.steps > li").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"visit-print-{width}.png"), full_page=True)
    if width == 1024:
        page.pdf(path=str(SHOTS / "visit-print-a4.pdf"), format="A4")

    # The visit note's own print view: its toolbar (links back and to the PDF) stays off the paper.
    page.goto(f"/visits/{draft.pk}/note/")
    expect(page.get_by_role("navigation", name="Visit note")).to_be_hidden()
    expect(page.get_by_role("heading", name="Palpation findings")).to_be_visible()
    expect(page.locator("main")).to_contain_text("7/10")
    assert page.evaluate(NO_URLS) == 0
