"""Editing a charted row in place and undoing a removal on the visit page: the same validation and service as the
API (version-checked, audited with the write), errors inside the section's partial, signed visits refused."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from assessments.models import Finding, MuscleTest, Outcome, PainSite, Screening
from clinic.models import AuditEvent
from tests.factories import FindingFactory, MuscleTestFactory, PainSiteFactory, VisitFactory

pytestmark = pytest.mark.django_db
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def _outcome(visit: Any) -> Outcome:
    return Outcome.objects.create(clinic_id=visit.clinic_id, visit=visit, measure="lefs", value=41)


def _screen(visit: Any) -> Screening:
    return Screening.objects.create(
        clinic_id=visit.clinic_id, visit=visit, rule="SAFE-M-FRACTURE-ANKLE-FOOT", side="left", result="negative"
    )


@dataclass(frozen=True)
class Case:
    """One section: how to chart a row, a valid edit and what it changes, an invalid edit and its message."""

    section: str
    make: Callable[[Any], Any]
    valid: dict[str, Any]
    changed: Callable[[Any], Any]
    expected: Any
    invalid: dict[str, Any]
    message: str


FINDING = {"muscle": "Soleus", "side": "left", "tenderness": "3", "status": "latent", "taut_band": "on"}
CASES = [
    Case("findings", lambda v: FindingFactory(visit=v), FINDING,
         lambda f: (f.tenderness, f.status, f.recognized), (3, "latent", False),
         {**FINDING, "tenderness": ""}, "Give the tenderness, 0–10."),
    Case("muscle-tests", lambda v: MuscleTestFactory(visit=v),
         {"muscle": "soleus", "side": "left", "phase": "pre", "result": "normal"},
         lambda t: t.result, "normal",
         {"muscle": "soleus", "side": "left", "phase": "pre", "result": "sideways"}, "is not one of the available"),
    Case("pain-sites", lambda v: PainSiteFactory(visit=v),
         {"zone": "plantar_heel", "side": "left", "nprs": "2", "primary": "on"},
         lambda p: p.nprs, 2,
         {"zone": "plantar_heel", "side": "left", "nprs": "11", "primary": "on"}, "less than or equal to 10"),
    Case("outcomes", _outcome, {"measure": "lefs", "value": "55"}, lambda o: o.value, 55,
         {"measure": "lefs", "value": "95"}, "must be between 0 and 80"),
    Case("screening", _screen,
         {"rule": "SAFE-M-FRACTURE-ANKLE-FOOT", "side": "left", "result": "positive", "detail": "Ottawa positive"},
         lambda s: (s.result, s.detail), ("positive", "Ottawa positive"),
         {"rule": "SAFE-M-FRACTURE-ANKLE-FOOT", "side": "left", "result": ""}, "This field is required."),
]  # fmt: skip
IDS = [case.section for case in CASES]


@pytest.fixture
def visit(patient: Any) -> Any:
    return VisitFactory(patient=patient)


def edit_url(visit: Any, section: str, row: Any) -> str:
    return reverse("assessments:section-edit", args=[visit.pk, section, row.pk])


def post_edit(client: Any, visit: Any, section: str, row: Any, data: dict[str, Any], version: Any) -> Any:
    body = {f"edit-{section}-{k}": v for k, v in data.items()}
    return client.post(edit_url(visit, section, row), {**body, "version": version}, **HTMX)


def fresh(row: Any) -> Any:
    return type(row).objects.get(pk=row.pk)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_edit_control_opens_the_row_as_its_prefilled_form_with_its_version(
    browser_client: Any, visit: Any, case: Case
) -> None:
    row = case.make(visit)
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    assert f'id="edit-{row.pk}"' in page and f'hx-get="{edit_url(visit, case.section, row)}"' in page
    response = browser_client.get(edit_url(visit, case.section, row), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<section class="card" id="section-{case.section}"')
    assert f'id="edit-form-{row.pk}"' in html and "data-edit-form" in html
    assert f'<input type="hidden" name="version" value="{row.version}">' in html
    assert "data-edit-cancel" in html


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_saving_an_edit_changes_the_row_audits_it_and_puts_the_focus_back_on_its_edit_control(
    browser_client: Any, visit: Any, patient: Any, case: Case
) -> None:
    row = case.make(visit)
    response = post_edit(browser_client, visit, case.section, row, case.valid, row.version)
    assert response.status_code == 200, response.content.decode()[:2000]
    saved = fresh(row)
    assert case.changed(saved) == case.expected
    assert saved.version == row.version + 1
    html = response.content.decode()
    assert "data-edit-form" not in html
    assert f'id="edit-{row.pk}"' in html and "data-focus-after-swap" in html
    assert 'class="saved-note" role="status">Saved ' in html
    assert response["HX-Trigger"] == "charted"
    event = AuditEvent.objects.get(route="assessments:section-edit")
    assert (event.action, event.object_id, event.patient_id, event.status) == ("update", row.pk, patient.pk, 200)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_an_invalid_edit_answers_400_inside_the_section_and_saves_nothing(
    browser_client: Any, visit: Any, case: Case
) -> None:
    row = case.make(visit)
    before = fresh(row)
    response = post_edit(browser_client, visit, case.section, row, case.invalid, row.version)
    html = response.content.decode()
    assert response.status_code == 400
    assert html.lstrip().startswith(f'<section class="card" id="section-{case.section}"')
    assert case.message in html
    assert f'id="edit-form-{row.pk}"' in html  # the form stays open, as typed, with the errors inline
    after = fresh(row)
    assert (after.version, case.changed(after)) == (before.version, case.changed(before))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_stale_version_answers_409_with_the_rows_values_now_and_overwrites_nothing(
    browser_client: Any, visit: Any, case: Case
) -> None:
    row = case.make(visit)
    first = post_edit(browser_client, visit, case.section, row, case.valid, row.version)
    assert first.status_code == 200
    current = fresh(row)
    again = {**case.invalid, **case.valid}
    stale = post_edit(browser_client, visit, case.section, row, again, row.version)
    html = stale.content.decode()
    assert stale.status_code == 409
    assert "Someone else changed" in html and "These are its values now" in html
    assert f'<input type="hidden" name="version" value="{current.version}">' in html
    assert fresh(row).version == current.version


def test_the_stale_answer_shows_the_values_saved_by_the_other_edit(browser_client: Any, visit: Any) -> None:
    finding = FindingFactory(visit=visit, tenderness=6)
    post_edit(browser_client, visit, "findings", finding, {**FINDING, "tenderness": "2"}, finding.version)
    stale = post_edit(browser_client, visit, "findings", finding, {**FINDING, "tenderness": "9"}, finding.version)
    assert stale.status_code == 409
    assert 'name="edit-findings-tenderness" value="2"' in stale.content.decode()
    assert fresh(finding).tenderness == 2


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_signed_visit_has_no_edit_control_and_refuses_the_edit(browser_client: Any, visit: Any, case: Case) -> None:
    row = case.make(visit)
    browser_client.post(reverse("assessments:sign", args=[visit.pk]))
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    assert f'id="edit-{row.pk}"' not in page
    assert browser_client.get(edit_url(visit, case.section, row), **HTMX).status_code == 409
    refused = post_edit(browser_client, visit, case.section, row, case.valid, row.version)
    assert refused.status_code == 409
    assert "This visit is signed and read-only" in refused.content.decode()
    assert fresh(row).version == row.version


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_another_clinics_row_is_404_to_edit_and_to_undo(browser_client: Any, foreign_patient: Any, case: Case) -> None:
    foreign = VisitFactory(patient=foreign_patient)
    row = case.make(foreign)
    assert browser_client.get(edit_url(foreign, case.section, row), **HTMX).status_code == 404
    assert post_edit(browser_client, foreign, case.section, row, case.valid, row.version).status_code == 404
    row_url = reverse("assessments:section-row", args=[foreign.pk, case.section, row.pk])
    assert browser_client.get(row_url).status_code == 404
    type(row).objects.filter(pk=row.pk).update(archived_at="2026-11-02T10:00:00Z")
    restore = reverse("assessments:section-restore", args=[foreign.pk, case.section, row.pk])
    assert browser_client.post(restore, **HTMX).status_code == 404
    assert fresh(row).archived_at is not None


def test_a_row_of_another_visit_is_404_under_this_visit(browser_client: Any, visit: Any, patient: Any) -> None:
    other = VisitFactory(patient=patient)
    finding = FindingFactory(visit=other)
    assert post_edit(browser_client, visit, "findings", finding, FINDING, finding.version).status_code == 404
    assert fresh(finding).tenderness == 6


def test_cancel_shows_the_row_again_with_the_focus_on_its_edit_control(browser_client: Any, visit: Any) -> None:
    finding = FindingFactory(visit=visit)
    response = browser_client.get(reverse("assessments:section-row", args=[visit.pk, "findings", finding.pk]), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-edit-form" not in html
    assert f'id="edit-{finding.pk}"' in html and "data-focus-after-swap" in html


def test_a_duplicate_edit_is_refused_inline_and_names_the_row_to_edit(browser_client: Any, visit: Any) -> None:
    FindingFactory(visit=visit, muscle="soleus", side="left")
    other = FindingFactory(visit=visit, muscle="soleus", side="right")
    response = post_edit(browser_client, visit, "findings", other, {**FINDING, "side": "left"}, other.version)
    assert response.status_code == 400
    assert "edit that one instead" in response.content.decode()
    assert fresh(other).side == "right"


# --- undo ---------------------------------------------------------------------------------------------------------


def remove(client: Any, visit: Any, section: str, row: Any) -> Any:
    return client.post(reverse("assessments:section-remove", args=[visit.pk, section, row.pk]), **HTMX)


def restore(client: Any, visit: Any, section: str, row: Any) -> Any:
    return client.post(reverse("assessments:section-restore", args=[visit.pk, section, row.pk]), **HTMX)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_removal_says_what_was_removed_and_undo_restores_the_row_audited(
    browser_client: Any, visit: Any, patient: Any, case: Case
) -> None:
    row = case.make(visit)
    removed = remove(browser_client, visit, case.section, row)
    html = removed.content.decode()
    assert removed.status_code == 200
    assert '<p role="status">Removed ' in html and ">Undo</button>" in html
    assert reverse("assessments:section-restore", args=[visit.pk, case.section, row.pk]) in html
    assert fresh(row).archived_at is not None
    restored = restore(browser_client, visit, case.section, row)
    assert restored.status_code == 200
    assert fresh(row).archived_at is None
    assert "Restored " in restored.content.decode() and "Undo</button>" not in restored.content.decode()
    event = AuditEvent.objects.get(route="assessments:section-restore")
    assert (event.action, event.object_id, event.patient_id, event.status) == ("update", row.pk, patient.pk, 200)


def test_the_undo_is_still_offered_after_a_reload_until_the_next_action_in_the_section(
    browser_client: Any, visit: Any
) -> None:
    test = MuscleTestFactory(visit=visit)
    remove(browser_client, visit, "muscle-tests", test)
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    assert "Removed Soleus (left, before treatment). <button" in page
    added = browser_client.post(
        reverse("assessments:section-add", args=[visit.pk, "muscle-tests"]),
        {"muscle-tests-muscle": "soleus", "muscle-tests-side": "right", "muscle-tests-phase": "pre",
         "muscle-tests-result": "normal"},
        **HTMX,
    )  # fmt: skip
    assert added.status_code == 200
    assert "Removed Soleus" not in added.content.decode()


def test_undo_is_refused_once_the_same_row_is_charted_again(browser_client: Any, visit: Any) -> None:
    finding = FindingFactory(visit=visit)
    remove(browser_client, visit, "findings", finding)
    FindingFactory(visit=visit)  # soleus, left again
    refused = restore(browser_client, visit, "findings", finding)
    assert refused.status_code == 400
    assert "edit that one instead" in refused.content.decode()
    assert fresh(finding).archived_at is not None


def test_undo_is_refused_on_a_signed_visit(browser_client: Any, visit: Any) -> None:
    finding = FindingFactory(visit=visit)
    remove(browser_client, visit, "findings", finding)
    browser_client.post(reverse("assessments:sign", args=[visit.pk]))
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    assert "Undo</button>" not in page
    refused = restore(browser_client, visit, "findings", finding)
    assert refused.status_code == 409
    assert fresh(finding).archived_at is not None


def test_a_live_row_cannot_be_restored_and_a_removed_one_cannot_be_edited(browser_client: Any, visit: Any) -> None:
    live = FindingFactory(visit=visit)
    assert restore(browser_client, visit, "findings", live).status_code == 404
    removed = PainSiteFactory(visit=visit)
    remove(browser_client, visit, "pain-sites", removed)
    assert post_edit(browser_client, visit, "pain-sites", removed, CASES[2].valid, 2).status_code == 404
    assert isinstance(fresh(removed), PainSite) and not Finding.objects.filter(archived_at__isnull=False).exists()
    assert MuscleTest.objects.count() == 0


# --- "edit that one instead" opens that one ------------------------------------------------------------------------


def test_adding_a_finding_charted_already_links_to_the_edit_of_that_one(browser_client: Any, visit: Any) -> None:
    charted = FindingFactory(visit=visit)
    response = browser_client.post(
        reverse("assessments:section-add", args=[visit.pk, "findings"]),
        {"findings-muscle": "soleus", "findings-side": "left", "findings-tenderness": "4", "findings-status": "latent"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "edit that one instead" in html
    assert f'hx-get="{edit_url(visit, "findings", charted)}"' in html and ">Edit Soleus (left)</a>" in html


def test_a_finding_charted_already_today_is_not_carried_again_but_links_to_the_edit_of_that_one(
    browser_client: Any, patient: Any
) -> None:
    """Carry forward shows a point charted today as charted (not offered again), with a link that opens today's row
    in place; ticking the old point anyway charts nothing twice."""
    earlier = VisitFactory(patient=patient)
    point = FindingFactory(visit=earlier)
    today = VisitFactory(patient=patient, date=earlier.date.replace(day=earlier.date.day + 7), kind="follow_up")
    charted = FindingFactory(visit=today)
    page = browser_client.get(reverse("assessments:visit", args=[today.pk])).content.decode()
    panel = page[page.index('id="section-carry-forward"') : page.index('id="section-details"')]
    assert "Everything from the last visit is charted today." in panel
    assert f'hx-get="{edit_url(today, "findings", charted)}"' in panel and f'hx-target="#row-{charted.pk}"' in panel
    data = {f"f-{point.pk}-include": "on", f"f-{point.pk}-tenderness": "3", f"f-{point.pk}-status": "latent"}
    browser_client.post(reverse("assessments:carry-forward", args=[today.pk]), data, **HTMX)
    assert Finding.objects.filter(visit=today).count() == 1
