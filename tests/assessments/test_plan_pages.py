"""The plan panel keeps up with the chart: the out-of-date banner, a rebuild that shows what changed, and the
practitioner's own step (htmx form, errors inline, never around a positive red-flag screen)."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Finding, Screening, TreatmentPlan
from tests.factories import FindingFactory, MuscleTestFactory, PainSiteFactory, VisitFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def visit(patient):
    visit = VisitFactory(patient=patient)
    PainSiteFactory(visit=visit)
    FindingFactory(visit=visit, muscle="soleus", referral_zones=["plantar_heel"])
    FindingFactory(visit=visit, muscle="tensor_fasciae_latae", side="right", tenderness=5, status="unknown",
                   taut_band=False, recognized=False)  # fmt: skip
    return visit


def page(client, visit):
    return client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()


def chart_finding(client, visit, **fields):
    data = {"muscle": "abductor_hallucis", "side": "left", "tenderness": 6, "status": "active", **fields}
    url = reverse("assessments:section-add", args=[visit.pk, "findings"])
    response = client.post(url, {f"findings-{k}": v for k, v in data.items()}, **HTMX)
    assert response.status_code == 200


def add_step(client, visit, **fields):
    plan = TreatmentPlan.objects.get(visit=visit)
    data = {"target": "tensor_fasciae_latae:right", "reason": "Tight band; my judgement.", "version": plan.version}
    data.update(fields)
    url = reverse("assessments:plan-step-add", args=[visit.pk])
    return client.post(url, {f"add-step-{k}": v for k, v in data.items()}, **HTMX)


def test_the_panel_says_the_plan_is_out_of_date_after_a_new_finding_and_what_changed(browser_client, user, visit):
    services.plan_confirm(plan=services.plan_build(visit=visit, actor=user), actor=user)
    assert "This plan is out of date" not in page(browser_client, visit)
    chart_finding(browser_client, visit)
    html = page(browser_client, visit)
    assert "This plan is out of date" in html and "after the plan was confirmed" in html
    assert "New suspected source: Abductor hallucis (left)" in html
    assert "add <strong>Treat trigger point: Abductor hallucis (left)</strong>" in html
    assert 'id="rebuild-stale-plan"' in html
    status = browser_client.get(reverse("assessments:plan-status", args=[visit.pk]), **HTMX).content.decode()
    assert status.lstrip().startswith('<div id="plan-stale"') and "This plan is out of date" in status
    assert 'hx-trigger="charted from:body"' in status


def test_a_confirmed_plan_is_rebuilt_on_the_page_and_the_panel_shows_what_changed(browser_client, user, visit):
    plan = services.plan_build(visit=visit, actor=user)
    spot = next(step["order"] for step in plan.steps if step.get("home_care"))
    services.plan_edit(plan=plan, actor=user, steps=None, step_notes={spot: "Press gently."}, expected_version=None)
    services.plan_confirm(plan=TreatmentPlan.objects.get(visit=visit), actor=user)
    assert 'id="rebuild-confirmed-plan"' in page(browser_client, visit)
    chart_finding(browser_client, visit)
    response = browser_client.post(
        reverse("assessments:plan-build", args=[visit.pk]), {"max_home_care": 4, "rebuild": "on"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "What the rebuild changed" in html and "from the confirmed plan" in html
    assert "Added: <strong>Treat trigger point: Abductor hallucis (left)</strong>" in html
    assert "Kept: 1 note for the patient" in html
    assert "This plan is out of date" not in html and 'id="confirm-plan"' in html
    plan = TreatmentPlan.objects.get(visit=visit)
    assert plan.confirmed is False
    assert "Press gently." in [step.get("patient_note") for step in plan.steps]


def test_without_rebuild_a_confirmed_plan_is_not_rebuilt(browser_client, user, visit):
    services.plan_confirm(plan=services.plan_build(visit=visit, actor=user), actor=user)
    response = browser_client.post(reverse("assessments:plan-build", args=[visit.pk]), {"max_home_care": 4}, **HTMX)
    assert response.status_code == 409 and "rebuild" in response.content.decode()
    assert TreatmentPlan.objects.get(visit=visit).confirmed


def test_add_a_step_of_ones_own_for_a_charted_muscle_on_the_plan_panel(browser_client, user, visit):
    services.plan_build(visit=visit, actor=user)
    html = page(browser_client, visit)
    assert 'id="add-step-form"' in html
    assert 'value="tensor_fasciae_latae:right">Tensor fasciae latae (right)</option>' in html
    assert "Soleus (left) — proposed by the engine" in html
    response = add_step(browser_client, visit, patient_note="Lean on the ball at the side of the hip.")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Practitioner's step" in html and "Your judgement: no catalog rule proposes this step." in html
    own = next(step for step in TreatmentPlan.objects.get(visit=visit).steps if step.get("custom"))
    assert (own["muscle"], own["side"], own["rule_ids"], own["reason"]) == (
        "tensor_fasciae_latae", "right", [], "Tight band; my judgement.",
    )  # fmt: skip
    assert own["patient_note"] == "Lean on the ball at the side of the hip."


def test_a_step_without_a_reason_is_refused_inline(browser_client, user, visit):
    services.plan_build(visit=visit, actor=user)
    response = add_step(browser_client, visit, reason="")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="add-step" open' in html and "This field is required." in html
    assert not any(step.get("custom") for step in TreatmentPlan.objects.get(visit=visit).steps)


def test_a_step_for_a_muscle_a_positive_red_flag_blocks_is_refused_inline(browser_client, user, visit):
    Screening.objects.create(clinic=visit.clinic, visit=visit, rule="SAFE-M-DVT", side="right", result="positive")
    services.plan_build(visit=visit, actor=user)
    assert "Tensor fasciae latae (right) — blocked by SAFE-M-DVT" in page(browser_client, visit)
    response = add_step(browser_client, visit)
    assert response.status_code == 400
    html = response.content.decode()
    assert "positive red-flag screen blocks (SAFE-M-DVT)" in html and 'class="field-error"' in html
    assert not any(step.get("custom") for step in TreatmentPlan.objects.get(visit=visit).steps)


def test_a_step_on_a_signed_visit_is_refused(browser_client, user, visit):
    services.plan_build(visit=visit, actor=user)
    services.visit_sign(visit=visit, actor=user)
    assert 'id="add-step-form"' not in page(browser_client, visit)
    response = add_step(browser_client, visit)
    assert response.status_code == 409
    assert not any(step.get("custom") for step in TreatmentPlan.objects.get(visit=visit).steps)


def test_an_inhibited_muscle_shows_in_the_analysis_panel_as_practitioner_judgement(browser_client, patient):
    visit = VisitFactory(patient=patient)
    PainSiteFactory(visit=visit, zone="lateral_hip_trochanter", side="right")
    MuscleTestFactory(visit=visit, muscle="gluteus_medius", side="right", result="inhibited")
    html = browser_client.get(reverse("assessments:analysis", args=[visit.pk])).content.decode()
    assert "<strong>Gluteus medius</strong> (right)" in html and "practitioner judgement (TO-05)" in html
    assert not Finding.objects.filter(visit=visit).exists()
