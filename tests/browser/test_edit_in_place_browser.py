"""Charted rows edited in place and a removal undone, in a real browser, without a page load.

The practitioner corrects a finding's tenderness where it is charted, mistypes it on the next edit and corrects it
beside the error (the focus is put on the invalid field), leaves a muscle test's form with Escape, removes the test
and undoes that. The window marker of test_visit_charting_browser shows that the document was never reloaded.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Finding, MuscleTest
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_visit_charting_browser import assert_same_document, mark_document
from tests.factories import FindingFactory, MuscleTestFactory, PatientFactory, VisitFactory

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

    # Escape leaves a row's form as it was, the focus back on its Edit control.
    tests = page.locator("#section-muscle-tests")
    tests.get_by_role("link", name="Edit Gluteus medius").click()
    test_form = tests.locator(f"#edit-form-{test.pk}")
    expect(test_form).to_be_visible()
    page.keyboard.press("Escape")
    expect(test_form).to_have_count(0)
    expect(tests.locator(f"#edit-{test.pk}")).to_be_focused()

    # Remove, then Undo: the test is back as it was.
    tests.get_by_role("button", name="Remove Gluteus medius").click()
    expect(tests.locator(f"#row-{test.pk}")).to_have_count(0)
    removed = tests.get_by_role("status").filter(has_text="Removed")
    expect(removed).to_contain_text("Removed Gluteus medius (right, before treatment).")
    undo = tests.get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    tests.screenshot(path=str(ARTIFACTS / "edit-in-place-removed-undo.png"))
    assert MuscleTest.objects.get(pk=test.pk).archived_at is not None
    undo.click()
    expect(tests.locator(f"#row-{test.pk}")).to_contain_text("Inhibited")
    expect(tests.get_by_role("button", name="Undo")).to_have_count(0)
    assert MuscleTest.objects.get(pk=test.pk).archived_at is None
    assert_same_document(page)
