"""Visit charting pages: htmx sections, plan editing, carry forward, signing, tenancy and constant query counts."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.cache import CACHE_ALIAS
from assessments.models import Finding, MuscleTest, PainSite, Screening, TreatmentPlan, Visit
from tests.assessments.documents.helpers import pdf_text
from tests.factories import FindingFactory, MuscleTestFactory, PainSiteFactory, PatientFactory, VisitFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def visit(patient):
    return VisitFactory(patient=patient)


def add(client, visit, section, data, **extra):
    url = reverse("assessments:section-add", args=[visit.pk, section])
    return client.post(url, {f"{section}-{k}": v for k, v in data.items()}, **extra)


def test_start_a_visit_from_the_patient_page(browser_client, patient):
    response = browser_client.post(reverse("assessments:visit-create", args=[patient.pk]))
    visit = Visit.objects.get(patient=patient)
    assert response.status_code == 302 and response["Location"] == reverse("assessments:visit", args=[visit.pk])
    assert visit.kind == "initial"
    browser_client.post(reverse("assessments:visit-create", args=[patient.pk]))
    assert Visit.objects.filter(patient=patient, kind="follow_up").count() == 1


def test_visit_page_shows_every_section(browser_client, visit):
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    for marker in ('id="section-pain-sites"', 'id="section-findings"', 'id="section-muscle-tests"',
                   'id="section-outcomes"', 'id="section-screening"', 'id="panel-analysis"', 'id="panel-plan"',
                   'id="section-addenda"', 'data-body-chart', 'id="muscle-options"', "Sign visit"):  # fmt: skip
        assert marker in page, marker


def test_htmx_add_a_pain_site_returns_the_section_and_triggers_analysis(browser_client, visit):
    response = add(browser_client, visit, "pain-sites", {"zone": "plantar_heel", "side": "left", "nprs": 6}, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section class="card" id="section-pain-sites"')
    assert response["HX-Trigger"] == "charted"
    assert PainSite.objects.get(visit=visit).nprs == 6


def test_finding_form_accepts_a_synonym_and_rejects_an_unknown_muscle_inline(browser_client, visit):
    ok = add(
        browser_client,
        visit,
        "findings",
        {"muscle": "SCM", "side": "right", "tenderness": 7, "status": "active"},
        **HTMX,
    )
    assert ok.status_code == 200
    assert Finding.objects.get(visit=visit).muscle == "sternocleidomastoid"
    bad = add(
        browser_client,
        visit,
        "findings",
        {"muscle": "wing", "side": "right", "tenderness": 11, "status": "active"},
        **HTMX,
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Pick a muscle from the list" in body and 'class="field-error"' in body
    assert Finding.objects.filter(visit=visit).count() == 1


def test_duplicate_finding_error_is_shown_on_the_form(browser_client, visit):
    data = {"muscle": "soleus", "side": "left", "tenderness": 5, "status": "latent"}
    add(browser_client, visit, "findings", data, **HTMX)
    response = add(browser_client, visit, "findings", data, **HTMX)
    assert response.status_code == 400
    assert "already has a finding" in response.content.decode()


def test_screening_checklist_is_proposed_from_the_complaint(browser_client, visit):
    PainSiteFactory(visit=visit, zone="calf")
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    assert "SAFE-M-DVT" in page
    response = add(browser_client, visit, "screening", {"rule": "SAFE-M-DVT", "result": "positive"}, **HTMX)
    assert response.status_code == 200
    analysis = browser_client.get(reverse("assessments:analysis", args=[visit.pk])).content.decode()
    assert "Red flags: refer" in analysis


def select_options(html, select_id):
    """(value, text) of each option of the <select> with this id, or None when the page has no such select."""
    select = re.search(rf'<select id="{select_id}" name="screening-side"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option value="([^"]*)">([^<]*)</option>', select.group(1)) if select else None


def test_the_screening_form_has_a_labelled_side_select_that_starts_with_not_one_side(browser_client, visit):
    PainSiteFactory(visit=visit, zone="calf")
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    assert select_options(page, "side-SAFE-M-DVT") == [
        ("", "Not one side"), ("left", "Left"), ("right", "Right"), ("bilateral", "Bilateral"), ("midline", "Midline"),
    ]  # fmt: skip
    assert '<label class="inline-choice" for="side-SAFE-M-DVT">Side<span class="visually-hidden"> of ' in page


def test_the_screening_form_saves_the_side_and_the_charted_screen_shows_it(browser_client, visit):
    data = {"rule": "SAFE-M-FRACTURE-ANKLE-FOOT", "result": "positive", "side": "left", "detail": "Ottawa positive"}
    response = add(browser_client, visit, "screening", data, **HTMX)
    assert response.status_code == 200
    screen = Screening.objects.get(visit=visit)
    assert (screen.rule, screen.side, screen.result, screen.detail) == (
        "SAFE-M-FRACTURE-ANKLE-FOOT", "left", "positive", "Ottawa positive",
    )  # fmt: skip
    assert str(screen) == "SAFE-M-FRACTURE-ANKLE-FOOT (left): positive"
    html = response.content.decode()
    assert 'Result (left): <span class="result result-positive">Positive</span> — Ottawa positive' in html
    assert re.search(r'aria-label="Remove [^"]+ \(left\)"', html)
    # the rule is lateral (catalog): the other side can still be screened
    assert select_options(html, "another-side-SAFE-M-FRACTURE-ANKLE-FOOT") == [("right", "Right")]


def test_a_screen_the_analysis_holds_treatment_for_can_be_recorded_on_the_page(browser_client, visit):
    """Low back pain does not call for the abdominal screen, but a charted psoas needs it (CS-04)."""
    PainSiteFactory(visit=visit, zone="lumbar", side="bilateral")
    FindingFactory(visit=visit, muscle="iliopsoas", side="right", tenderness=6)
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    assert 'name="screening-rule" value="SAFE-M-ABDOMEN"' in page
    assert (
        add(browser_client, visit, "screening", {"rule": "SAFE-M-ABDOMEN", "result": "negative"}, **HTMX).status_code
        == 200
    )
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    assert "Screen before treating" not in page


def test_the_other_side_of_a_screen_is_recorded_and_the_same_side_twice_is_refused(browser_client, visit):
    def screen(result, side):
        return add(browser_client, visit, "screening", {"rule": "SAFE-M-FRACTURE-ANKLE-FOOT", "result": result,
                                                        "side": side}, **HTMX)  # fmt: skip

    assert screen("negative", "left").status_code == 200
    assert screen("positive", "right").status_code == 200
    again = screen("positive", "left")
    assert again.status_code == 400
    assert "This red-flag screen and side is already recorded in this visit." in again.content.decode()
    assert screen("positive", "up").status_code == 400
    assert sorted(Screening.objects.filter(visit=visit).values_list("side", "result")) == [
        ("left", "negative"), ("right", "positive"),
    ]  # fmt: skip


@pytest.mark.parametrize("side", ["", "bilateral"])
def test_a_screen_that_covers_both_sides_leaves_no_other_side_to_record(browser_client, visit, side):
    response = add(
        browser_client, visit, "screening", {"rule": "SAFE-M-DVT", "result": "negative", "side": side}, **HTMX
    )
    assert response.status_code == 200
    assert Screening.objects.get(visit=visit).side == side
    assert select_options(response.content.decode(), "another-side-SAFE-M-DVT") is None


def test_a_rule_the_catalog_does_not_hold_by_side_is_screened_without_a_side_select(browser_client, visit):
    PainSiteFactory(visit=visit, zone="lumbar")
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    assert 'name="screening-rule" value="SAFE-M-CES"' in page  # proposed, and not lateral in the catalog
    assert select_options(page, "side-SAFE-M-CES") is None
    assert select_options(page, "side-SAFE-M-SPINE-SERIOUS") is None


def test_build_move_and_confirm_the_plan_on_the_page(browser_client, visit, patient):
    PainSiteFactory(visit=visit)
    FindingFactory(visit=visit, muscle="soleus")
    FindingFactory(visit=visit, muscle="gastrocnemius", tenderness=4, status="latent", recognized=False)
    response = browser_client.post(reverse("assessments:plan-build", args=[visit.pk]), {"max_home_care": 2}, **HTMX)
    assert response.status_code == 200 and 'id="panel-plan"' in response.content.decode()
    plan = TreatmentPlan.objects.get(visit=visit)
    first, second = plan.steps[0], plan.steps[1]
    browser_client.post(
        reverse("assessments:plan-move", args=[visit.pk, 2]), {"direction": "up", "version": plan.version}, **HTMX
    )
    plan.refresh_from_db()
    assert (plan.steps[0]["kind"], plan.steps[1]["kind"]) == (second["kind"], first["kind"])
    stale = browser_client.post(
        reverse("assessments:plan-move", args=[visit.pk, 2]), {"direction": "up", "version": 1}, **HTMX
    )
    assert stale.status_code == 409
    browser_client.post(reverse("assessments:plan-confirm", args=[visit.pk]), **HTMX)
    plan.refresh_from_db()
    assert plan.confirmed


def test_the_words_for_the_patient_are_edited_on_the_plan_panel_after_confirming_until_signing(
    browser_client, visit, api
):
    PainSiteFactory(visit=visit)
    FindingFactory(visit=visit, muscle="soleus")
    browser_client.post(reverse("assessments:plan-build", args=[visit.pk]), {"max_home_care": 2}, **HTMX)
    browser_client.post(reverse("assessments:plan-confirm", args=[visit.pk]), **HTMX)
    plan = TreatmentPlan.objects.get(visit=visit)
    spot = next(step["order"] for step in plan.steps if step.get("home_care"))
    words = {"patient_note": "Walk ten minutes after lunch.", "large_type": "on", "version": plan.version}
    response = browser_client.post(reverse("assessments:plan-words", args=[visit.pk]), words, **HTMX)
    assert response.status_code == 200 and "Walk ten minutes after lunch." in response.content.decode()
    plan.refresh_from_db()
    note = {"patient_note": "Use the wall, not the floor.", "version": plan.version}
    response = browser_client.post(reverse("assessments:plan-step-note", args=[visit.pk, spot]), note, **HTMX)
    assert response.status_code == 200 and "Use the wall, not the floor." in response.content.decode()
    plan.refresh_from_db()
    assert (plan.patient_note, plan.large_type, plan.confirmed) == ("Walk ten minutes after lunch.", True, True)
    assert plan.steps[spot - 1]["patient_note"] == "Use the wall, not the floor."
    stale = browser_client.post(reverse("assessments:plan-words", args=[visit.pk]), {**words, "version": 1}, **HTMX)
    assert stale.status_code == 409
    sheet = api.get(f"/api/v1/visits/{visit.pk}/home-care.pdf")
    text = " ".join(pdf_text(sheet.content).split())
    assert "Walk ten minutes after lunch." in text and "Use the wall, not the floor." in text
    browser_client.post(reverse("assessments:sign", args=[visit.pk]), **HTMX)
    plan.refresh_from_db()
    visit.refresh_from_db()
    assert visit.is_signed
    signed = browser_client.post(
        reverse("assessments:plan-words", args=[visit.pk]), {**words, "version": plan.version}, **HTMX
    )
    assert signed.status_code == 409


def test_the_plan_is_built_with_the_protocol_chosen_on_the_page(browser_client, visit):
    PainSiteFactory(visit=visit)
    FindingFactory(visit=visit, muscle="soleus")
    chosen = {"max_home_care": 2, "protocol": "PROT-STROKING"}
    response = browser_client.post(reverse("assessments:plan-build", args=[visit.pk]), chosen, **HTMX)
    assert response.status_code == 200
    assert TreatmentPlan.objects.get(visit=visit).protocol == "PROT-STROKING"


def test_carry_forward_saves_only_ticked_items_with_the_values_given(browser_client, patient):
    earlier = VisitFactory(patient=patient, date=datetime.date(2026, 10, 1))
    kept = FindingFactory(visit=earlier, muscle="soleus", tenderness=7, notes="private note")
    FindingFactory(visit=earlier, muscle="gastrocnemius", tenderness=5)
    test = MuscleTestFactory(visit=earlier, muscle="gluteus_medius", result="inhibited")
    today = VisitFactory(patient=patient, date=datetime.date(2026, 11, 1))
    page = browser_client.get(reverse("assessments:visit", args=[today.pk])).content.decode()
    assert "Carry forward from the last visit" in page
    data = {f"f-{kept.pk}-include": "on", f"f-{kept.pk}-tenderness": "3", f"f-{kept.pk}-status": "latent",
            f"t-{test.pk}-include": "on", f"t-{test.pk}-result": "normal"}  # fmt: skip
    response = browser_client.post(reverse("assessments:carry-forward", args=[today.pk]), data, **HTMX)
    assert response.status_code == 204
    carried = Finding.objects.get(visit=today)
    assert (carried.muscle, carried.tenderness, carried.status, carried.notes) == ("soleus", 3, "latent", "")
    assert MuscleTest.objects.get(visit=today).result == "normal"
    nothing = browser_client.post(reverse("assessments:carry-forward", args=[today.pk]), {}, **HTMX)
    assert nothing.status_code == 400


def test_signed_visit_page_is_read_only_and_posts_are_refused(browser_client, visit):
    FindingFactory(visit=visit)
    browser_client.post(reverse("assessments:sign", args=[visit.pk]))
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    assert "Signed by" in page and "Add finding" not in page and "Sign visit" not in page
    response = add(
        browser_client,
        visit,
        "findings",
        {"muscle": "soleus", "side": "right", "tenderness": 3, "status": "latent"},
        **HTMX,
    )
    assert response.status_code == 409
    assert Finding.objects.filter(visit=visit).count() == 1
    addendum = browser_client.post(reverse("assessments:addendum", args=[visit.pk]), {"text": "Called: better"}, **HTMX)
    assert addendum.status_code == 200 and "Called: better" in addendum.content.decode()


def test_another_clinics_visit_pages_are_404(browser_client, foreign_patient):
    foreign = VisitFactory(patient=foreign_patient)
    for name, args in [("visit", [foreign.pk]), ("analysis", [foreign.pk])]:
        assert browser_client.get(reverse(f"assessments:{name}", args=args)).status_code == 404
    for name in ("sign", "plan-build", "plan-confirm", "addendum", "carry-forward"):
        assert browser_client.post(reverse(f"assessments:{name}", args=[foreign.pk])).status_code == 404
    assert add(browser_client, foreign, "findings", {"muscle": "soleus", "side": "left"}).status_code == 404
    assert browser_client.post(reverse("assessments:visit-create", args=[foreign_patient.pk])).status_code == 404
    assert Visit.objects.filter(patient=foreign_patient).count() == 1


def _history(clinic, *, visits, findings):
    patient = PatientFactory(clinic=clinic)
    made = []
    muscles = ["soleus", "gastrocnemius", "tibialis_posterior", "gluteus_medius", "quadratus_lumborum"]
    for n in range(visits):
        visit = VisitFactory(patient=patient, date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n))
        PainSiteFactory(visit=visit)
        MuscleTestFactory(visit=visit)
        for i in range(findings):
            FindingFactory(visit=visit, muscle=muscles[i % 5], location=f"spot {i}")
        made.append(visit)
    TreatmentPlan.objects.create(clinic=clinic, visit=made[-1], engine_version="1", catalog_version="x", steps=[])
    return patient, made[-1]


def _queries(client, url):
    """Queries of a page rendered in full (the per-process catalog cache is loaded by a first request; the page's
    cached fragments and computed reads are then emptied, so the page is read from the database)."""
    client.get(url)
    caches[CACHE_ALIAS].clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_visit_page_and_patient_chart_use_a_constant_number_of_queries(browser_client, clinic):
    """2 visits of 2 findings, 20 and 50 visits of 40 findings: the number of queries does not grow with history.

    Points tender at every visit of the engine's window (selectors.HISTORY_WINDOW) make it read the older visits too,
    once for each kind of child (4 queries), however many there are.
    """
    small_patient, small_visit = _history(clinic, visits=2, findings=2)
    long_patient, long_visit = _history(clinic, visits=20, findings=40)
    large_patient, large_visit = _history(clinic, visits=50, findings=40)
    visit_counts = [
        _queries(browser_client, reverse("assessments:visit", args=[v.pk]))
        for v in (small_visit, long_visit, large_visit)
    ]
    chart_counts = [
        _queries(browser_client, reverse("assessments:chart", args=[p.pk]))
        for p in (small_patient, long_patient, large_patient)
    ]
    assert visit_counts[1] == visit_counts[2], visit_counts
    assert visit_counts[0] <= visit_counts[1] <= visit_counts[0] + 4, visit_counts
    assert chart_counts[0] == chart_counts[1] == chart_counts[2], chart_counts


def test_muscle_names_are_matched_whatever_the_case_and_ambiguous_ones_name_the_candidates(browser_client, visit):
    ok = add(browser_client, visit, "findings", {"muscle": "Tibialis posterior", "side": "left", "tenderness": 4,
                                                 "status": "latent"}, **HTMX)  # fmt: skip
    assert ok.status_code == 200
    assert Finding.objects.get(visit=visit).muscle == "tibialis_posterior"
    ambiguous = add(browser_client, visit, "findings", {"muscle": "calf", "side": "left", "tenderness": 4,
                                                        "status": "latent"}, **HTMX)  # fmt: skip
    assert ambiguous.status_code == 400
    body = ambiguous.content.decode()
    assert "could be" in body and "Soleus" in body


# --- charting at the speed of a treatment room: the finding form and signing ---------------------------------------


def test_the_finding_form_starts_with_no_tenderness_and_refuses_to_save_without_one_inline(browser_client, visit):
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    tenderness = re.search(r'<input[^>]*name="findings-tenderness"[^>]*>', page)
    assert tenderness is not None and "value=" not in tenderness.group(0) and "required" in tenderness.group(0)
    response = add(browser_client, visit, "findings", {"muscle": "soleus", "side": "left", "status": "active"}, **HTMX)
    assert response.status_code == 400
    assert re.search(r'class="field-error"[^>]*>Give the tenderness, 0–10.<', response.content.decode())
    assert not Finding.objects.filter(visit=visit).exists()


def test_the_finding_form_asks_once_whether_the_point_reproduces_the_familiar_pain(browser_client, visit):
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    form = page[page.index('id="form-findings"') :]
    form = form[: form.index("</form>")]
    assert 'name="findings-recognized"' not in form
    assert form.count('type="radio" name="findings-status"') == 3
    assert "<legend>Pressing the point</legend>" in form
    for label in ("Reproduces the familiar pain (active)", "Does not (latent)", "Not sure"):
        assert label in form
    assert re.search(r'<input type="radio" name="findings-status" value="unknown"[^>]*checked', form)


@pytest.mark.parametrize(
    ("choice", "stored"), [("active", ("active", True)), ("latent", ("latent", False)), ("unknown", ("unknown", False))]
)
def test_the_familiar_pain_choice_sets_status_and_recognized_together(browser_client, visit, choice, stored):
    response = add(
        browser_client,
        visit,
        "findings",
        {"muscle": "soleus", "side": "left", "tenderness": 6, "status": choice},
        **HTMX,
    )
    assert response.status_code == 200
    finding = Finding.objects.get(visit=visit)
    assert (finding.status, finding.recognized) == stored


def test_carry_forward_asks_once_about_the_familiar_pain_and_sets_both(browser_client, patient):
    earlier = VisitFactory(patient=patient, date=datetime.date(2026, 10, 1))
    point = FindingFactory(visit=earlier, muscle="soleus", status="latent", recognized=False)
    today = VisitFactory(patient=patient, date=datetime.date(2026, 11, 1))
    page = browser_client.get(reverse("assessments:visit", args=[today.pk])).content.decode()
    assert f'name="f-{point.pk}-recognized"' not in page and "Reproduces the familiar pain (active)" in page
    data = {f"f-{point.pk}-include": "on", f"f-{point.pk}-tenderness": "6", f"f-{point.pk}-status": "active"}
    assert browser_client.post(reverse("assessments:carry-forward", args=[today.pk]), data, **HTMX).status_code == 204
    carried = Finding.objects.get(visit=today)
    assert (carried.status, carried.recognized) == ("active", True)


def test_the_sign_button_asks_for_confirmation_through_htmx_and_the_plain_form_still_signs(browser_client, patient):
    first, second = VisitFactory(patient=patient), VisitFactory(patient=patient, date=datetime.date(2026, 11, 3))
    sign_url = reverse("assessments:sign", args=[first.pk])
    page = browser_client.get(reverse("assessments:visit", args=[first.pk])).content.decode()
    form = re.search(rf'<form method="post" action="{sign_url}">.*?</form>', page)
    assert form is not None, "the plain form posts without JavaScript"
    button = re.search(r"<button[^>]*>Sign visit</button>", form.group(0))
    assert button is not None and 'type="submit"' in button.group(0)
    assert f'hx-post="{sign_url}"' in button.group(0) and 'hx-confirm="Sign this visit?' in button.group(0)
    by_htmx = browser_client.post(reverse("assessments:sign", args=[first.pk]), **HTMX)
    assert by_htmx.status_code == 200 and by_htmx["HX-Redirect"] == reverse("assessments:visit", args=[first.pk])
    without_js = browser_client.post(reverse("assessments:sign", args=[second.pk]))
    assert without_js.status_code == 302 and without_js["Location"] == reverse("assessments:visit", args=[second.pk])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_signed and second.is_signed


def test_a_new_date_saved_from_the_complaint_form_shows_in_the_heading_at_once(browser_client, visit):
    """The heading is swapped in with the saved form (out of band): no reload to see the visit's new date or kind."""
    url = reverse("assessments:visit-details", args=[visit.pk])
    new_date = visit.date - datetime.timedelta(days=3)
    saved = browser_client.post(url, {"date": new_date.isoformat(), "kind": "follow_up", "version": 1}, **HTMX)
    html = saved.content.decode()
    assert saved.status_code == 200
    head = re.search(r'<div class="page-head" id="visit-head" hx-swap-oob="true">(.*?)</div>', html, re.S)
    assert head is not None, html
    assert f"Follow-up visit, {new_date.day} {new_date:%b %Y}" in head.group(1)
    refused = browser_client.post(url, {"date": "2999-01-01", "kind": "initial", "version": 2}, **HTMX)
    assert refused.status_code == 400 and 'id="visit-head"' not in refused.content.decode()  # nothing changed
