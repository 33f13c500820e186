"""The practitioner's journey of issue 22, counted: an initial visit for knee pain charted and signed, then the
follow-up started from the carry-forward panel and compared with it; and the follow-up alone.

Every click, field typed into, option chosen and key pressed that submits is counted (tests.browser.
test_visit_charting_browser.Interactions); the test fails above its budget (70 for the whole journey, 20 for the
follow-up alone) and writes its counts to test-artifacts/browser/.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from assessments import services
from assessments.models import Finding, MuscleTest, Outcome, PainSite, Screening, Visit
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_visit_charting_browser import Interactions, assert_same_document, mark_document
from tests.factories import PatientFactory

pytestmark = pytest.mark.browser

JOURNEY_BUDGET = 70
FOLLOW_UP_BUDGET = 20
KNEE = "anterior_knee_patella"
KNEE_SCREEN = "SAFE-M-FRACTURE-KNEE"  # the screen the symptom rules call for with pain at the front of the knee
COMPLAINT = "Pain at the front of the right knee on stairs and after running"
# muscle typed, tenderness, reproduces the familiar pain, taut band
FINDINGS = [
    ("vastus lateralis", "7", True, True),
    ("vastus medialis", "5", False, False),
    ("rectus femoris", "4", False, False),
    ("tensor fasciae latae", "5", False, False),
]
SLUGS = ["vastus_lateralis", "vastus_medialis", "rectus_femoris", "tensor_fasciae_latae"]
TESTS = [("gluteus medius", "inhibited"), ("gluteus maximus", "normal")]
STRESSORS = ["repetitive_overuse", "rapid_load_increase", "poor_sleep"]
# What the follow-up measures today: the knee's pain, LEFS, the four points' tenderness, the two tests' results.
TODAY_NPRS, TODAY_LEFS = "3", "62"
TODAY_TENDERNESS = ["4", "3", "2", "3"]
TODAY_RESULTS = ["normal", "normal"]


class SettledInteractions(Interactions):
    """Interactions that start only once htmx has finished every request, swap and settle on the page (a click
    on a form swapped in but not yet wired up would be lost to a race, not to the design)."""

    def step(self, name: str) -> None:
        settled(self.page)
        super().step(name)


def settled(page: Page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => window.htmx !== undefined"
        " && !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping, .htmx-added')"
    )


def write_report(ui: SettledInteractions, name: str, title: str, budget: int) -> str:
    width = max(len(step) for step in ui.steps)
    lines = [f"{title}: {ui.total} interactions (budget {budget})"]
    lines += [f"  {step.ljust(width)}  {count:>3}" for step, count in ui.steps.items()]
    report = "\n".join(lines)
    print("\n" + report)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}-interactions.txt").write_text(report + "\n", encoding="utf-8")
    return report


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}.png"), full_page=True)


def follow_up(page: Page, ui: SettledInteractions, list_name: str, first_name: str) -> str:
    """From the patient list: start the follow-up, confirm everything the carry-forward panel proposes with today's
    values, re-confirm the negative knee screen, open the comparison. Returns the follow-up's id."""
    ui.step("follow-up: open the patient, start a visit")
    if page.get_by_role("link", name=list_name).count():  # on the patient list
        ui.click(page.get_by_role("link", name=list_name))
    else:  # on the signed visit: the link back to the patient
        ui.click(page.locator(".crumbs").get_by_role("link", name=re.compile(first_name)))
    ui.click(page.get_by_role("button", name="Start a new visit"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Follow-up visit")
    follow_up_id = re.search(r"/visits/([0-9a-f-]{36})/$", page.url).group(1)

    ui.step("follow-up: carry forward")
    panel = page.locator("#section-carry-forward")
    expect(panel).to_be_visible()
    expect(panel.locator("details")).to_have_count(0)  # open, not folded away
    box = panel.bounding_box()
    details = page.locator("#section-details").bounding_box()
    assert box is not None and details is not None and box["y"] < details["y"], "the panel is at the top"
    expect(panel.get_by_label("Same complaint")).to_be_checked()
    expect(panel).to_contain_text("last NPRS 6")
    expect(panel).to_contain_text("last 48")
    expect(panel).to_contain_text("last 7/10, active (reproduces the familiar pain), taut band")
    expect(panel).to_contain_text("last inhibited (before treatment)")
    ui.fill(panel.get_by_label("NPRS today"), TODAY_NPRS)
    ui.fill(panel.get_by_label(re.compile(r"^Today, LEFS")), TODAY_LEFS)
    for muscle, tenderness in zip(("Vastus lateralis", "Vastus medialis", "Rectus femoris", "Tensor fasciae latae"),
                                  TODAY_TENDERNESS, strict=True):  # fmt: skip
        ui.fill(panel.get_by_label(f"Tenderness today, {muscle} (right)"), tenderness)
    for muscle, result in zip(("Gluteus medius", "Gluteus maximus"), TODAY_RESULTS, strict=True):
        ui.select(panel.get_by_label(f"Result today, {muscle} (right)"), result)
    ui.click(panel.get_by_role("button", name="Chart all ticked"))
    expect(page.locator("#section-carry-forward")).to_contain_text("Everything from the last visit is charted today.")
    expect(page.locator("#section-findings tbody tr")).to_have_count(4)
    expect(page.locator("#section-muscle-tests tbody tr")).to_have_count(2)
    expect(page.locator("#section-pain-sites tbody tr")).to_have_count(1)
    expect(page.locator("#section-outcomes li")).to_have_count(1)
    expect(page.locator("#section-details").get_by_label("Chief complaint")).to_have_value(COMPLAINT)
    shot(page, "follow-up-carried")

    ui.step("follow-up: knee screen still negative")
    screening = page.locator("#section-screening")
    expect(screening).to_contain_text("Negative on")
    mark_document(page)
    ui.click(screening.get_by_role("button", name=re.compile("^Still negative")))
    expect(screening.locator(".screen-result .result")).to_have_text("Negative")
    expect(screening.get_by_role("button", name=re.compile("^Still negative"))).to_have_count(0)
    assert_same_document(page)

    ui.step("follow-up: open the comparison")
    ui.click(page.get_by_role("link", name=re.compile("^Compare with the previous visit")))
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed")
    expect(page.locator(".summary-banner")).to_contain_text("Overall")
    expect(page.locator("main")).to_contain_text("Vastus lateralis")
    shot(page, "comparison")
    return follow_up_id


def assert_follow_up_charted(follow_up_id: str) -> None:
    visit = Visit.objects.get(pk=follow_up_id)
    assert (visit.kind, visit.chief_complaint, visit.notes) == ("follow_up", COMPLAINT, "")
    assert list(PainSite.objects.filter(visit=visit).values_list("zone", "side", "nprs", "primary")) == [
        (KNEE, "right", int(TODAY_NPRS), True)
    ]
    assert list(Outcome.objects.filter(visit=visit).values_list("measure", "value")) == [("lefs", float(TODAY_LEFS))]
    findings = {
        f.muscle: (f.tenderness, f.recognized, f.taut_band, f.notes) for f in Finding.objects.filter(visit=visit)
    }
    assert findings == {
        "vastus_lateralis": (4, True, True, ""),
        "vastus_medialis": (3, False, False, ""),
        "rectus_femoris": (2, False, False, ""),
        "tensor_fasciae_latae": (3, False, False, ""),
    }
    tests = set(MuscleTest.objects.filter(visit=visit).values_list("muscle", "side", "phase", "result"))
    assert tests == {("gluteus_medius", "right", "pre", "normal"), ("gluteus_maximus", "right", "pre", "normal")}
    assert list(Screening.objects.filter(visit=visit).values_list("rule", "result")) == [(KNEE_SCREEN, "negative")]


def test_the_whole_journey_initial_visit_then_follow_up_within_70_interactions(page, practitioner, sign_in):
    PatientFactory(clinic=practitioner.clinic, first_name="Ines", last_name="Moreau", occupation="Teacher")
    sign_in(practitioner.username, practitioner.password)
    expect(page).to_have_url(re.compile(r"/patients/$"))
    ui = SettledInteractions(page)

    ui.step("open the patient, start a visit")
    ui.click(page.get_by_role("link", name="Moreau, Ines"))
    ui.click(page.get_by_role("button", name="Start a new visit"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Initial visit")
    expect(page.locator("#section-carry-forward")).to_have_count(0)  # a first visit has nothing to carry
    mark_document(page)

    ui.step("chief complaint")
    details = page.locator("#section-details")
    ui.fill(details.get_by_label("Chief complaint"), COMPLAINT)
    ui.click(details.get_by_role("button", name="Save complaint"))
    expect(details.get_by_label("Chief complaint")).to_have_value(COMPLAINT)

    ui.step("pain site (body chart)")
    pain = page.locator("#section-pain-sites")
    ui.click(pain.get_by_role("button", name="Front of the knee (kneecap), right"))
    form = pain.locator("#form-pain-sites")
    nprs = form.get_by_label("Pain now (NPRS 0–10)")
    expect(nprs).to_be_focused()
    ui.type("6")
    ui.check(form.get_by_label("Main complaint"))
    ui.press("Enter", nprs)
    expect(pain.locator("table tbody tr")).to_have_count(1)

    ui.step("red-flag screen")
    screening = page.locator("#section-screening")
    screen = screening.locator("li.screen", has_text=KNEE_SCREEN)
    ui.check(screen.get_by_label("Negative", exact=True))
    ui.click(screen.get_by_role("button", name="Record"))
    expect(screen.locator(".result")).to_have_text("Negative")

    ui.step("outcome: LEFS")
    outcomes = page.locator("#form-outcomes")
    ui.select(outcomes.get_by_label("Measure"), "lefs")
    value = outcomes.get_by_label("Value")
    ui.fill(value, "48")
    ui.press("Enter", value)
    expect(page.locator("#section-outcomes li")).to_have_count(1)

    for number, (typed, tenderness, familiar, taut) in enumerate(FINDINGS, start=1):
        ui.step(f"finding {number}: {typed}")
        form = page.locator("#form-findings")
        muscle = form.get_by_label("Muscle", exact=True)
        if number == 1:
            ui.fill(muscle, typed)
        else:  # the fresh form's first field has the focus after an add
            expect(muscle).to_be_focused()
            ui.type(typed)
        expect(form.get_by_label("Side", exact=True)).to_have_value("right")  # the complaint's side, shown
        if familiar:
            ui.check(form.get_by_label("Reproduces the familiar pain (active)"))
        if taut:
            ui.check(form.get_by_label("Taut band", exact=True))
        field = form.get_by_label("Tenderness (0–10)")
        ui.fill(field, tenderness)
        ui.press("Enter", field)
        expect(page.locator("#section-findings tbody tr")).to_have_count(number)

    for number, (typed, result) in enumerate(TESTS, start=1):
        ui.step(f"muscle test {number}: {typed}")
        form = page.locator("#form-muscle-tests")
        muscle = form.get_by_label("Muscle", exact=True)
        if number == 1:
            ui.fill(muscle, typed)
        else:
            expect(muscle).to_be_focused()
            ui.type(typed)
        expect(form.get_by_label("Side", exact=True)).to_have_value("right")
        ui.select(form.get_by_label("Result", exact=True), result)
        ui.click(form.get_by_role("button", name="Add test"))
        expect(page.locator("#section-muscle-tests tbody tr")).to_have_count(number)

    stressors = page.locator("#panel-stressors")
    for number, kind in enumerate(STRESSORS, start=1):
        ui.step(f"stressor {number}: {kind}")
        if number == 1:  # after an add the panel's form stays open, the focus in it, for the next one
            ui.click(stressors.get_by_text("Add stressors"))
        ui.select(stressors.get_by_label("Kind", exact=True), kind)
        ui.click(stressors.get_by_role("button", name="Add"))
        expect(stressors.locator("ul.items > li")).to_have_count(number)

    ui.step("old injury")
    injuries = page.locator("#panel-injuries")
    ui.click(injuries.get_by_text("Add old injuries"))
    ui.select(injuries.get_by_label("Zone", exact=True), "posterior_thigh")
    ui.select(injuries.get_by_label("Side", exact=True), "right")
    ui.click(injuries.get_by_role("button", name="Add"))
    expect(injuries.locator("ul.items > li")).to_have_count(1)
    assert_same_document(page)

    ui.step("plan: build, confirm")
    plan = page.locator("#panel-plan")
    ui.click(plan.get_by_role("button", name="Build plan"))
    expect(plan.locator("ol.steps > li").first).to_be_visible()
    ui.click(plan.get_by_role("button", name="Confirm plan"))
    expect(plan).to_contain_text(f"Confirmed by {practitioner.username}")
    assert_same_document(page)

    ui.step("sign")
    ui.click_and_confirm(page.get_by_role("button", name="Sign visit"))
    expect(page.locator(".page-head .status")).to_contain_text(f"Signed by {practitioner.username}")
    shot(page, "initial-signed")

    follow_up_id = follow_up(page, ui, "Moreau, Ines", "Ines")

    report = write_report(ui, "journey", "Initial visit for knee pain, signed, then the follow-up", JOURNEY_BUDGET)
    assert ui.total <= JOURNEY_BUDGET, report
    assert_follow_up_charted(follow_up_id)


def test_the_follow_up_alone_within_20_interactions(page, practitioner, sign_in):
    patient: Any = PatientFactory(clinic=practitioner.clinic, first_name="Ines", last_name="Moreau")
    user = practitioner.user
    initial = services.visit_create(
        patient=patient, actor=user,
        data={"date": datetime.date.today() - datetime.timedelta(days=6), "chief_complaint": COMPLAINT},
    )  # fmt: skip
    services.child_create(model=PainSite, visit=initial, actor=user,
                          data={"zone": KNEE, "side": "right", "nprs": 6, "primary": True})  # fmt: skip
    services.child_create(model=Outcome, visit=initial, actor=user, data={"measure": "lefs", "value": 48})
    services.child_create(model=Screening, visit=initial, actor=user, data={"rule": KNEE_SCREEN, "result": "negative"})
    for slug, (_, tenderness, familiar, taut) in zip(SLUGS, FINDINGS, strict=True):
        data = {"muscle": slug, "side": "right", "tenderness": int(tenderness), "taut_band": taut,
                "status": "active" if familiar else "latent", "notes": "not to be copied"}  # fmt: skip
        services.child_create(model=Finding, visit=initial, actor=user, data=data)
    for slug, result in (("gluteus_medius", "inhibited"), ("gluteus_maximus", "normal")):
        services.child_create(model=MuscleTest, visit=initial, actor=user,
                              data={"muscle": slug, "side": "right", "result": result})  # fmt: skip
    services.visit_sign(visit=initial, actor=user)
    sign_in(practitioner.username, practitioner.password)
    expect(page).to_have_url(re.compile(r"/patients/$"))
    ui = SettledInteractions(page)

    follow_up_id = follow_up(page, ui, "Moreau, Ines", "Ines")

    report = write_report(ui, "follow-up", "The follow-up alone, from the patient list", FOLLOW_UP_BUDGET)
    assert ui.total <= FOLLOW_UP_BUDGET, report
    assert_follow_up_charted(follow_up_id)


def test_a_bad_value_in_the_carry_forward_panel_is_shown_beside_its_row_and_nothing_is_charted(
    logged_in_page, practitioner
):
    page = logged_in_page
    patient: Any = PatientFactory(clinic=practitioner.clinic)
    user = practitioner.user
    initial = services.visit_create(
        patient=patient, actor=user, data={"date": datetime.date.today() - datetime.timedelta(days=6)}
    )
    services.child_create(model=Outcome, visit=initial, actor=user, data={"measure": "lefs", "value": 48})
    services.child_create(model=Finding, visit=initial, actor=user,
                          data={"muscle": "vastus_lateralis", "side": "right", "tenderness": 7})  # fmt: skip
    services.visit_sign(visit=initial, actor=user)
    today = services.visit_create(patient=patient, actor=user, data={"kind": "follow_up"})
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/visits/{today.pk}/")
    mark_document(page)
    panel = page.locator("#section-carry-forward")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    lefs = panel.get_by_label(re.compile(r"^Today, LEFS"))
    tenderness = panel.get_by_label("Tenderness today, Vastus lateralis (right)")
    lefs.fill("95")  # outside LEFS's 0-80
    tenderness.press("Enter")  # the tenderness left empty: submitted from the keyboard anyway
    expect(panel.locator(".field-error")).to_have_text(re.compile("Give the tenderness"))
    expect(panel).to_contain_text("Nothing was charted")
    expect(tenderness).to_be_focused()  # the focus is on the row to correct
    expect(lefs).to_have_value("95")  # what was typed is kept
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shot(page, "carry-forward-error-390")

    tenderness.fill("3")
    tenderness.press("Enter")  # now the service refuses the score outside the measure's range, beside its row
    expect(panel.locator(".field-error")).to_have_text(re.compile("must be between 0 and 80"))
    expect(lefs).to_be_focused()
    expect(tenderness).to_have_value("3")
    assert_same_document(page)
    assert not Finding.objects.filter(visit=today).exists() and not Outcome.objects.filter(visit=today).exists()

    lefs.fill("60")
    lefs.press("Enter")
    expect(page.locator("#section-carry-forward")).to_contain_text("Everything from the last visit is charted today.")
    assert list(Finding.objects.filter(visit=today).values_list("muscle", "tenderness")) == [("vastus_lateralis", 3)]
    assert list(Outcome.objects.filter(visit=today).values_list("measure", "value")) == [("lefs", 60.0)]


@pytest.mark.parametrize("width", [390, 768, 1024, 1440])
def test_the_follow_up_page_with_its_carry_forward_panel_fits_every_width_and_passes_axe(
    logged_in_page, practitioner, width
):
    page = logged_in_page
    patient: Any = PatientFactory(clinic=practitioner.clinic)
    user = practitioner.user
    initial = services.visit_create(
        patient=patient, actor=user,
        data={"date": datetime.date.today() - datetime.timedelta(days=6), "chief_complaint": COMPLAINT},
    )  # fmt: skip
    services.child_create(model=PainSite, visit=initial, actor=user,
                          data={"zone": KNEE, "side": "right", "nprs": 6, "primary": True})  # fmt: skip
    services.child_create(model=Outcome, visit=initial, actor=user, data={"measure": "lefs", "value": 48})
    services.child_create(model=Screening, visit=initial, actor=user, data={"rule": KNEE_SCREEN, "result": "negative"})
    services.child_create(model=Finding, visit=initial, actor=user,
                          data={"muscle": "tensor_fasciae_latae", "side": "right", "tenderness": 5,
                                "location": "anterior, just below the iliac crest", "taut_band": True})  # fmt: skip
    services.child_create(model=MuscleTest, visit=initial, actor=user,
                          data={"muscle": "gluteus_medius", "side": "right", "result": "inhibited"})  # fmt: skip
    services.visit_sign(visit=initial, actor=user)
    today = services.visit_create(patient=patient, actor=user, data={"kind": "follow_up"})
    services.child_create(model=PainSite, visit=today, actor=user, data={"zone": KNEE, "side": "right", "nprs": 4})
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/visits/{today.pk}/")
    panel = page.locator("#section-carry-forward")
    expect(panel).to_contain_text("charted today: NPRS 4")  # the pain site charted already: not offered again
    expect(panel.get_by_label("Tenderness today, Tensor fasciae latae (right)")).to_be_visible()
    expect(page.locator("#section-screening")).to_contain_text("Negative on")
    fits = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    assert page.evaluate(fits), f"sideways scrolling at {width} px"
    for box in [panel.get_by_role("checkbox").first.bounding_box(), panel.get_by_role("button").first.bounding_box()]:
        assert box is not None and box["height"] >= 24 and box["width"] >= 24
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(ARTIFACTS / f"journey-carry-forward-{width}.png"))
    page.locator("#section-screening").screenshot(path=str(ARTIFACTS / f"journey-still-negative-{width}.png"))
    from tests.browser.test_accessibility import assert_accessible

    assert_accessible(page, f"follow-up page with the carry-forward panel at {width} px")


def test_new_findings_and_tests_start_on_the_complaints_side_and_keep_a_side_chosen(logged_in_page, practitioner):
    page = logged_in_page
    patient: Any = PatientFactory(clinic=practitioner.clinic)
    visit = services.visit_create(patient=patient, actor=practitioner.user, data={})
    page.goto(f"/visits/{visit.pk}/")
    findings = page.locator("#form-findings")
    expect(findings.get_by_label("Side", exact=True)).to_have_value("")  # no complaint yet: no side assumed
    page.locator("#section-pain-sites").get_by_role("button", name="Front of the knee (kneecap), left").click()
    page.locator("#form-pain-sites").get_by_label("Main complaint").check()
    page.locator("#form-pain-sites").get_by_label("Pain now (NPRS 0–10)").press("Enter")
    expect(page.locator("#section-pain-sites tbody tr")).to_have_count(1)
    expect(findings.get_by_label("Side", exact=True)).to_have_value("left")
    expect(page.locator("#form-muscle-tests").get_by_label("Side", exact=True)).to_have_value("left")
    findings.get_by_label("Side", exact=True).select_option("right")  # the point is on the other side
    findings.get_by_label("Muscle", exact=True).fill("vastus lateralis")
    findings.get_by_role("button", name="Add finding").click()  # no tenderness: refused, the side chosen kept
    expect(page.locator("#form-findings .field-error").first).to_be_visible()
    expect(page.locator("#form-findings").get_by_label("Side", exact=True)).to_have_value("right")
