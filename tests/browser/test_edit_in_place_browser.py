"""Charted rows edited in place and a removal undone, in a real browser, without a page load.

The practitioner corrects a finding's tenderness where it is charted, mistypes it on the next edit and corrects it
beside the error (the focus is put on the invalid field), leaves a muscle test's form with Escape, removes the test
and undoes that. The window marker of test_visit_charting_browser shows that the document was never reloaded.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Finding, MuscleTest, Visit
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_visit_charting_browser import assert_same_document, mark_document
from tests.factories import FindingFactory, MuscleTestFactory, PatientFactory, StressorFactory, VisitFactory

pytestmark = pytest.mark.browser


def test_a_finding_is_edited_in_place_and_a_removed_test_comes_back_with_undo(
    logged_in_page: Page, practitioner: Any
) -> None:
    page = logged_in_page
    patient = PatientFactory(clinic=practitioner.clinic, first_name="Iris", last_name="Moreau")
    visit: Any = VisitFactory(patient=patient, date=datetime.date.today(), chief_complaint="Knee pain on stairs")
    finding: Any = FindingFactory(visit=visit, muscle="vastus_lateralis", side="right", tenderness=6)
    test: Any = MuscleTestFactory(visit=visit, muscle="gluteus_medius", side="right", result="inhibited")
    page.goto(f"/visits/{visit.pk}/")
    mark_document(page)
    findings = page.locator("#section-findings")
    row = findings.locator(f"#row-{finding.pk}")
    expect(row).to_contain_text("6/10")

    # Edit: the row becomes its form, prefilled, the focus in its first field; Save puts the focus back on Edit.
    row.get_by_role("link", name="Edit Vastus lateralis").click()
    form = findings.locator(f"#edit-form-{finding.pk}")
    expect(form).to_be_visible()
    expect(form.get_by_label("Muscle", exact=True)).to_be_focused()
    tenderness = form.get_by_label("Tenderness (0–10)")
    expect(tenderness).to_have_value("6")
    assert_accessible(page, "a finding open for editing in place")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    findings.screenshot(path=str(ARTIFACTS / "edit-in-place-finding-form.png"))
    tenderness.fill("3")
    form.get_by_role("button", name="Save").click()
    expect(form).to_have_count(0)
    expect(row).to_contain_text("3/10")
    expect(findings.get_by_role("status")).to_contain_text("Saved Vastus lateralis (right)")
    edit = findings.locator(f"#edit-{finding.pk}")
    expect(edit).to_be_focused()
    assert Finding.objects.get(pk=finding.pk).tenderness == 3

    # A mistake: the error beside the field, the focus on it, nothing saved; corrected there, saved.
    edit.click()
    # the form takes the focus once htmx has settled it (edit_in_place.js): wait for that, as a person sees it open
    expect(form.get_by_label("Muscle", exact=True)).to_be_focused()
    tenderness = form.get_by_label("Tenderness (0–10)")
    tenderness.fill("")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".field-error")).to_contain_text("Give the tenderness, 0–10.")
    expect(form.get_by_label("Tenderness (0–10)")).to_be_focused()
    assert Finding.objects.get(pk=finding.pk).tenderness == 3
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    expect(form).to_have_count(0)
    expect(row).to_contain_text("4/10")
    assert Finding.objects.get(pk=finding.pk).tenderness == 4

    # Escape leaves a row's form as it was, the focus back on its Edit control; only the row was swapped, so what is
    # typed in the section's add form stays.
    tests = page.locator("#section-muscle-tests")
    tests.locator("#form-muscle-tests").get_by_label("Muscle", exact=True).fill("soleus")
    tests.get_by_role("link", name="Edit Gluteus medius").click()
    test_form = tests.locator(f"#edit-form-{test.pk}")
    expect(test_form.get_by_label("Muscle", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(test_form).to_have_count(0)
    expect(tests.locator(f"#edit-{test.pk}")).to_be_focused()
    expect(tests.locator("#form-muscle-tests").get_by_label("Muscle", exact=True)).to_have_value("soleus")

    # Remove, then Undo: the test is back as it was.
    tests.get_by_role("button", name="Remove Gluteus medius").click()
    expect(tests.locator(f"#row-{test.pk}")).to_have_count(0)
    removed = tests.get_by_role("status").filter(has_text="Removed")
    expect(removed).to_contain_text("Removed Gluteus medius (right, before treatment).")
    undo = tests.get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    tests.screenshot(path=str(ARTIFACTS / "edit-in-place-removed-undo.png"))
    assert_accessible(page, "a removal offered for undo")
    assert MuscleTest.objects.get(pk=test.pk).archived_at is not None
    undo.click()
    expect(tests.locator(f"#row-{test.pk}")).to_contain_text("Inhibited")
    expect(tests.get_by_role("button", name="Undo")).to_have_count(0)
    assert MuscleTest.objects.get(pk=test.pk).archived_at is None
    assert_same_document(page)


def test_every_panel_form_shows_its_errors_in_place_with_the_focus_on_the_invalid_field(
    logged_in_page: Page, practitioner: Any
) -> None:
    page = logged_in_page
    patient = PatientFactory(clinic=practitioner.clinic, first_name="Iris", last_name="Moreau")
    stressor: Any = StressorFactory(patient=patient, kind="poor_sleep", category="emotional_mental")
    visit: Any = VisitFactory(patient=patient, date=datetime.date(2026, 11, 2), chief_complaint="Knee pain on stairs")
    FindingFactory(visit=visit, muscle="vastus_lateralis", side="right", tenderness=6)
    page.goto(f"/visits/{visit.pk}/")
    mark_document(page)

    def invalid_then_focused(form: Any, button: str, field: str, what: str) -> None:
        form.get_by_role("button", name=button).click()
        expect(form.get_by_label(field, exact=True)).to_be_focused()
        expect(form.get_by_label(field, exact=True)).to_have_attribute("aria-invalid", "true")
        assert_same_document(page)

    details = page.locator("#section-details form")
    details.get_by_label("Date").fill("")
    invalid_then_focused(page.locator("#section-details form"), "Save complaint", "Date", "the visit's date")
    page.locator("#section-details").get_by_label("Date").fill("2026-11-03")
    page.locator("#section-details").get_by_role("button", name="Save complaint").click()
    expect(page.locator("#section-details [aria-invalid='true']")).to_have_count(0)
    assert Visit.objects.get(pk=visit.pk).date == datetime.date(2026, 11, 3)

    invalid_then_focused(page.locator("#section-addenda form"), "Add addendum", "Addendum", "an addendum's text")

    page.locator("#panel-stressors").get_by_text("Add stressors").click()
    invalid_then_focused(page.locator("#panel-stressors details form"), "Add", "Kind", "a stressor's kind")

    page.locator("#panel-favourites").get_by_text("Save as favourite").first.click()
    invalid_then_focused(page.locator("#favourite-save form"), "Save as favourite", "Name of the set", "a set's name")

    # A stressor edited in its panel on the visit page: Escape brings the panel back, the page stays the visit's.
    stressors = page.locator("#panel-stressors")
    stressors.locator(f"#edit-{stressor.pk}").click()
    expect(stressors.locator("form[data-edit-form]").get_by_label("Kind")).to_be_focused()
    page.keyboard.press("Escape")
    expect(stressors.locator("form[data-edit-form]")).to_have_count(0)
    expect(stressors.locator(f"#edit-{stressor.pk}")).to_be_focused()
    expect(page).to_have_url(re.compile(rf"/visits/{visit.pk}/$"))
    assert_same_document(page)


@pytest.mark.parametrize("width", [390, 768, 1024, 1440])
def test_a_rows_edit_form_fits_the_screen_at_every_width(page: Page, practitioner: Any, sign_in: Any, width: int):
    """The row's form opens inside its table, but is as wide as the card at most: on a phone it is one column, and
    neither the page nor the form scrolls sideways."""
    patient = PatientFactory(clinic=practitioner.clinic, first_name="Iris", last_name="Moreau")
    visit: Any = VisitFactory(patient=patient, date=datetime.date(2026, 11, 2), chief_complaint="Knee pain on stairs")
    finding: Any = FindingFactory(visit=visit, muscle="vastus_lateralis", side="right", tenderness=6, location="distal")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(practitioner.username)
    page.goto(f"/visits/{visit.pk}/")
    page.locator(f"#edit-{finding.pk}").click()
    form = page.locator(f"#edit-form-{finding.pk}")
    expect(form.get_by_label("Muscle", exact=True)).to_be_focused()
    box = form.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#section-findings").screenshot(path=str(ARTIFACTS / f"edit-in-place-finding-{width}.png"))
