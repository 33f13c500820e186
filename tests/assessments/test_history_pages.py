"""The history, posture-and-gait and treatments panels of the visit page (issue 23): charted with htmx, errors inline
(400, nothing saved), stale versions refused (409), signed visits read-only, another clinic's visit 404."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Observation, VisitHistory
from patients.models import PriorTreatment
from tests.factories import ObservationFactory, StressorFactory, TreatmentFactory, VisitFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def visit(patient):
    return VisitFactory(patient=patient)


def post_history(client, visit, data):
    body = {f"history-{k}": v for k, v in data.items()}
    return client.post(reverse("assessments:visit-history", args=[visit.pk]), body, **HTMX)


def test_the_visit_page_has_the_history_the_posture_and_gait_and_the_treatments(browser_client, visit):
    html = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    for marker in ('id="section-history"', 'id="section-observations"', 'id="panel-treatments"'):
        assert marker in html, marker
    assert "Reduced arm swing" in html and "Night pain that wakes the patient" in html


def test_a_history_is_charted_with_about_n_weeks_ago_and_read_back(browser_client, visit):
    response = post_history(
        browser_client,
        visit,
        {"weeks_ago": "3", "mechanism": "gradual", "course": "worse", "patterns": ["morning", "night"],
         "aggravating": ["sitting", "stairs"], "aggravating_detail": "getting out of the car", "version": "0"},
    )  # fmt: skip
    assert response.status_code == 200, response.content.decode()[:500]
    assert response["HX-Trigger"] == "charted"  # the analysis reads it
    history = VisitHistory.objects.get(visit=visit)
    assert history.onset == visit.date - datetime.timedelta(weeks=3)  # counted from the visit's day
    assert history.patterns == ["morning", "night"] and history.aggravating == ["sitting", "stairs"]
    html = response.content.decode()
    assert "History saved." in html and "worse with sitting for long, stairs, getting out of the car" in html


def test_a_bad_history_answers_400_inline_and_saves_nothing(browser_client, visit):
    future = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = post_history(browser_client, visit, {"onset": future, "patterns": ["at_full_moon"], "version": "0"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="section-history"' in html and 'class="field-error"' in html
    assert not VisitHistory.objects.filter(visit=visit).exists()


def test_a_stale_history_is_refused_with_409(browser_client, visit):
    assert post_history(browser_client, visit, {"course": "better", "version": "0"}).status_code == 200
    assert post_history(browser_client, visit, {"course": "same", "version": "1"}).status_code == 200
    stale = post_history(browser_client, visit, {"course": "worse", "version": "1"})
    assert stale.status_code == 409
    assert VisitHistory.objects.get(visit=visit).course == "same"


def test_the_change_it_came_after_is_picked_from_the_patients_stressors(browser_client, visit):
    shoes = StressorFactory(patient=visit.patient, kind="rapid_footwear_transition")
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    assert re.search(rf'<option value="{shoes.pk}">Changing footwear too quickly</option>', page)
    response = post_history(
        browser_client, visit, {"mechanism": "after_change", "change_stressor": str(shoes.pk), "version": "0"}
    )
    assert response.status_code == 200
    assert VisitHistory.objects.get(visit=visit).change_stressor == shoes


def test_a_signed_visit_shows_its_history_read_only(browser_client, visit):
    post_history(browser_client, visit, {"course": "better", "version": "0"})
    visit.status, visit.signed_at = "signed", timezone.now()
    visit.save()
    html = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    section = html[html.index('id="section-history"') :]
    section = section[: section.index("</section>")]
    assert "getting better" in section and "<form" not in section
    assert post_history(browser_client, visit, {"course": "worse", "version": "1"}).status_code == 409


def test_another_clinics_visit_history_is_404(browser_client, foreign_patient):
    foreign = VisitFactory(patient=foreign_patient)
    assert post_history(browser_client, foreign, {"course": "worse", "version": "0"}).status_code == 404


def test_an_observation_is_charted_edited_and_removed_in_place(browser_client, visit):
    add = reverse("assessments:section-add", args=[visit.pk, "observations"])
    response = browser_client.post(add, {"observations-kind": "limp", "observations-side": "right"}, **HTMX)
    assert response.status_code == 200 and "Limp (antalgic gait)" in response.content.decode()
    row = Observation.objects.get(visit=visit)
    bad = browser_client.post(add, {"observations-kind": "tail_wagging"}, **HTMX)
    assert bad.status_code == 400 and Observation.objects.filter(visit=visit).count() == 1
    edit = reverse("assessments:section-edit", args=[visit.pk, "observations", row.pk])
    edited = browser_client.post(
        edit, {"edit-observations-kind": "limp", "edit-observations-side": "left", "version": row.version}, **HTMX
    )
    assert edited.status_code == 200, edited.content.decode()[:300]
    row.refresh_from_db()
    assert row.side == "left"
    remove = reverse("assessments:section-remove", args=[visit.pk, "observations", row.pk])
    removed = browser_client.post(remove, **HTMX)
    assert "Removed Limp (antalgic gait) (left). " in removed.content.decode()


def test_a_treatment_is_added_on_the_visit_page_panel(browser_client, visit):
    url = reverse("patients:panel-add", args=[visit.patient.pk, "treatments"])
    data = {"new-treatments-kind": "self_rolling", "new-treatments-zone": "plantar_heel",
            "new-treatments-frequency": "daily", "new-treatments-intensity": "hard"}  # fmt: skip
    response = browser_client.post(url, data, **HTMX)
    assert response.status_code == 200, response.content.decode()[:300]
    assert "Foam rolling, ball or stick at home" in response.content.decode()
    assert "underside of the heel, daily, hard" in response.content.decode().lower()
    assert PriorTreatment.objects.filter(patient=visit.patient).count() == 1
    bad = browser_client.post(url, {**data, "new-treatments-kind": "voodoo"}, **HTMX)
    assert bad.status_code == 400 and PriorTreatment.objects.filter(patient=visit.patient).count() == 1


def test_the_visit_note_shows_the_history_the_treatments_and_the_posture_and_gait(browser_client, visit):
    post_history(
        browser_client, visit, {"mechanism": "overuse", "course": "worse", "patterns": ["night"], "version": "0"}
    )
    ObservationFactory(visit=visit, kind="reduced_arm_swing", side="left", detail="at speed")
    TreatmentFactory(patient=visit.patient, since=visit.date - datetime.timedelta(days=30), response="no_change")
    html = browser_client.get(reverse("assessments:visit-note", args=[visit.pk])).content.decode()
    assert "Overuse: a repeated activity" in html and "Getting worse" in html and "Night pain that wakes" in html
    assert (
        "Foam rolling, ball or stick at home: underside of the heel, daily, hard (painful while doing it): no change"
        in html
    )
    assert "Reduced arm swing (left): at speed" in html


def test_the_comparison_shows_the_course_and_pattern_over_the_two_visits(browser_client, api, patient):
    first = VisitFactory(patient=patient, date=datetime.date(2026, 3, 2))
    second = VisitFactory(patient=patient, date=datetime.date(2026, 3, 16), kind="follow_up")
    post_history(browser_client, first, {"course": "worse", "patterns": ["night", "morning"], "version": "0"})
    post_history(browser_client, second, {"course": "better", "patterns": ["morning"], "version": "0"})
    html = browser_client.get(reverse("assessments:compare", args=[second.pk])).content.decode()
    section = html[html.index("History, as the patient reports it") :]
    assert "Course since it began" in section and "Getting worse" in section and "Getting better" in section
    assert "Night pain that wakes the patient" in section and "resolved" in section
    body = api.get(f"/api/v1/visits/{second.pk}/compare/").json()
    assert [(c["key"], c["change"]) for c in body["history"]] == [
        ("course", "improved"),
        ("pattern:morning", "unchanged"),
        ("pattern:night", "resolved"),
    ]


def test_a_follow_ups_history_starts_from_the_last_visits_and_is_saved_only_when_confirmed(browser_client, patient):
    first = VisitFactory(patient=patient, date=datetime.date(2026, 3, 2))
    post_history(
        browser_client, first, {"mechanism": "overuse", "course": "worse", "patterns": ["night"], "version": "0"}
    )
    follow_up = VisitFactory(patient=patient, date=datetime.date(2026, 3, 16), kind="follow_up")
    html = browser_client.get(reverse("assessments:visit", args=[follow_up.pk])).content.decode()
    section = html[html.index('id="section-history"') :]
    section = section[: section.index("</section>")]
    assert "Filled in from the last visit (2 Mar 2026)" in section
    assert re.search(r'<option value="overuse" selected>', section)
    assert re.search(r'value="night"[^>]*checked', section)
    assert not VisitHistory.objects.filter(visit=follow_up).exists()  # nothing saved until confirmed
    assert (
        post_history(
            browser_client, follow_up, {"mechanism": "overuse", "course": "better", "version": "0"}
        ).status_code
        == 200
    )
    assert VisitHistory.objects.get(visit=follow_up).course == "better"


def test_a_follow_up_carries_forward_a_posture_and_gait_observation_without_its_note(browser_client, patient):
    first = VisitFactory(patient=patient, date=datetime.date(2026, 3, 2))
    seen = ObservationFactory(visit=first, kind="reduced_arm_swing", side="left", detail="clear at speed")
    follow_up = VisitFactory(patient=patient, date=datetime.date(2026, 3, 16), kind="follow_up")
    html = browser_client.get(reverse("assessments:visit", args=[follow_up.pk])).content.decode()
    panel = html[html.index('id="section-carry-forward"') : html.index('id="section-details"')]
    assert "Posture and gait" in panel and "Reduced arm swing (left)" in panel
    assert re.search(rf'name="g-{seen.pk}-include" checked', panel)
    response = browser_client.post(
        reverse("assessments:carry-forward", args=[follow_up.pk]),
        {f"g-{seen.pk}-include": "on", "version": follow_up.version},
        **HTMX,
    )
    assert response.status_code == 204, response.content.decode()[:400]
    (carried,) = Observation.objects.filter(visit=follow_up)
    assert (carried.kind, carried.side, carried.detail) == ("reduced_arm_swing", "left", "")  # notes never copied
    again = browser_client.get(reverse("assessments:visit", args=[follow_up.pk])).content.decode()
    panel = again[again.index('id="section-carry-forward"') : again.index('id="section-details"')]
    assert "Reduced arm swing (left)" in panel and f'name="g-{seen.pk}-include"' not in panel  # not offered twice
