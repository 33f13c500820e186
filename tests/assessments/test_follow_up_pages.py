"""A follow-up starts filled: the carry-forward panel at the top of the page proposes the last visit's complaint, pain
sites, outcome measures, findings and muscle tests, each ticked, its last value shown, today's value typed; "Chart all
ticked" charts them all or none. Recent negative red-flag screens are re-confirmed with one click."""

import datetime
import re

import pytest
from django.urls import reverse

from assessments import selectors, services
from assessments.models import Finding, MuscleTest, Outcome, PainSite, Screening, Visit
from clinic.errors import LockedError, StaleVersionError
from clinic.models import AuditEvent
from tests.factories import FindingFactory, MuscleTestFactory, PainSiteFactory, VisitFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
LAST = datetime.date(2026, 10, 26)
TODAY = datetime.date(2026, 11, 2)


@pytest.fixture
def last_visit(patient):
    """A signed initial visit for knee pain: complaint, a pain site, LEFS, two findings, a test, a negative screen."""
    visit = VisitFactory(patient=patient, date=LAST, chief_complaint="Pain at the front of the right knee on stairs")
    PainSiteFactory(visit=visit, zone="anterior_knee_patella", side="right", nprs=6, primary=True)
    Outcome.objects.create(clinic=visit.clinic, visit=visit, measure="lefs", value=48)
    FindingFactory(visit=visit, muscle="vastus_lateralis", side="right", tenderness=7, status="active",
                   recognized=True, taut_band=True, notes="private note")  # fmt: skip
    FindingFactory(visit=visit, muscle="rectus_femoris", side="right", tenderness=4, status="latent")
    MuscleTestFactory(visit=visit, muscle="gluteus_medius", side="right", result="inhibited", notes="weak")
    Screening.objects.create(clinic=visit.clinic, visit=visit, rule="SAFE-M-FRACTURE-KNEE", result="negative")
    Visit.objects.filter(pk=visit.pk).update(status="signed")
    return visit


@pytest.fixture
def follow_up(patient, last_visit):
    return VisitFactory(patient=patient, date=TODAY, kind="follow_up", chief_complaint="")


def keys(visit):
    last = selectors.previous_visit(visit=visit)
    assert last is not None
    return {
        "site": f"p-{last.pain_sites.get().pk}",
        "lefs": f"o-{last.outcomes.get().pk}",
        "vl": f"f-{last.findings.get(muscle='vastus_lateralis').pk}",
        "rf": f"f-{last.findings.get(muscle='rectus_femoris').pk}",
        "gmed": f"t-{last.muscle_tests.get().pk}",
    }


def everything(visit, **changes):
    k = keys(visit)
    data = {
        "version": str(visit.version),
        "c-include": "on", "c-chief_complaint": "Pain at the front of the right knee on stairs",
        f"{k['site']}-include": "on", f"{k['site']}-nprs": "3",
        f"{k['lefs']}-include": "on", f"{k['lefs']}-value": "60",
        f"{k['vl']}-include": "on", f"{k['vl']}-tenderness": "4", f"{k['vl']}-status": "active",
        f"{k['vl']}-taut_band": "on",
        f"{k['rf']}-include": "on", f"{k['rf']}-tenderness": "2", f"{k['rf']}-status": "latent",
        f"{k['gmed']}-include": "on", f"{k['gmed']}-result": "normal",
    }  # fmt: skip
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def carry(client, visit, data):
    return client.post(reverse("assessments:carry-forward", args=[visit.pk]), data, **HTMX)


def page_of(client, visit):
    return client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()


def charted(visit):
    return (
        list(PainSite.objects.filter(visit=visit).values_list("zone", "side", "nprs", "primary")),
        list(Outcome.objects.filter(visit=visit).values_list("measure", "value")),
        list(Finding.objects.filter(visit=visit).order_by("muscle").values_list("muscle", "tenderness", "status",
                                                                                  "recognized", "taut_band", "notes")),
        list(MuscleTest.objects.filter(visit=visit).values_list("muscle", "side", "phase", "result", "notes")),
    )  # fmt: skip


def test_the_panel_is_open_at_the_top_with_every_kind_ticked_and_the_last_values_beside_empty_inputs(
    browser_client, follow_up
):
    html = page_of(browser_client, follow_up)
    panel = re.search(r'<section class="card carry" id="section-carry-forward".*?</section>', html, re.S)
    assert panel is not None
    sections = ("section-carry-forward", "section-details", "section-findings")
    order = [html.index(f'id="{section}"') for section in sections]
    assert order == sorted(order)
    text = panel.group(0)
    assert "<details" not in text
    k = keys(follow_up)
    for key in k.values():
        assert f'name="{key}-include" checked' in text
    assert 'name="c-include" checked' in text and 'value="Pain at the front of the right knee on stairs"' in text
    assert "last NPRS 6" in text and "last 48" in text and "last 7/10, active" in text and "taut band" in text
    assert "last inhibited (before treatment)" in text
    assert re.search(rf'name="{k["site"]}-nprs" value=""', text)  # today's values are typed, never copied
    assert re.search(rf'name="{k["vl"]}-tenderness" value=""', text)
    assert re.search(rf'name="{k["lefs"]}-value" value=""', text)
    assert "private note" not in text and "weak" not in text
    assert "Chart all ticked" in text


def test_chart_all_ticked_carries_each_kind_with_todays_values_and_never_the_notes(browser_client, follow_up):
    response = carry(browser_client, follow_up, everything(follow_up))
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    follow_up.refresh_from_db()
    assert follow_up.chief_complaint == "Pain at the front of the right knee on stairs"
    assert charted(follow_up) == (
        [("anterior_knee_patella", "right", 3, True)],
        [("lefs", 60.0)],
        [("rectus_femoris", 2, "latent", False, False, ""), ("vastus_lateralis", 4, "active", True, True, "")],
        [("gluteus_medius", "right", "pre", "normal", "")],
    )


def test_unticked_items_are_left_out(browser_client, follow_up):
    k = keys(follow_up)
    data = everything(follow_up, **{f"{k['rf']}-include": None, f"{k['lefs']}-include": None, "c-include": None})
    assert carry(browser_client, follow_up, data).status_code == 204
    follow_up.refresh_from_db()
    assert follow_up.chief_complaint == ""
    assert [f.muscle for f in Finding.objects.filter(visit=follow_up)] == ["vastus_lateralis"]
    assert not Outcome.objects.filter(visit=follow_up).exists()


def test_charted_items_are_shown_as_charted_and_not_offered_again(browser_client, follow_up):
    assert carry(browser_client, follow_up, everything(follow_up)).status_code == 204
    html = page_of(browser_client, follow_up)
    panel = re.search(r'id="section-carry-forward".*?</section>', html, re.S)
    assert panel is not None
    assert "Everything from the last visit is charted today." in panel.group(0)
    assert "-include" not in panel.group(0)
    again = carry(browser_client, follow_up, everything(follow_up))
    assert again.status_code == 400  # the same points posted again from a stale page: refused, nothing doubled
    assert "already has a finding in this visit" in again.content.decode()
    assert len(charted(follow_up)[2]) == 2


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("vl-tenderness", "Give the tenderness, 0–10."),  # ticked, today's value forgotten
        ("lefs-value", "LEFS"),  # 95 is outside 0-80 (the catalog's range)
        ("gmed-result", "Result"),  # no result chosen
        ("site-nprs", "NPRS"),  # 11 is not a pain score
    ],
)
def test_a_bad_value_answers_400_inside_the_panel_and_charts_nothing(browser_client, follow_up, bad, message):
    k = keys(follow_up)
    row, field = bad.split("-", 1)
    value = {"vl-tenderness": "", "lefs-value": "95", "gmed-result": "", "site-nprs": "11"}[bad]
    response = carry(browser_client, follow_up, everything(follow_up, **{f"{k[row]}-{field}": value}))
    assert response.status_code == 400
    html = response.content.decode()
    assert html.lstrip().startswith("<section") and 'id="section-carry-forward"' in html  # the partial, not a page
    assert "Nothing was charted" in html and message in html
    assert f'aria-describedby="{k[row]}-errors"' in html  # the error beside its row
    assert 'value="60"' in html or row == "lefs"  # what was typed is kept
    follow_up.refresh_from_db()
    assert follow_up.chief_complaint == "" and charted(follow_up) == ([], [], [], [])


def test_a_signed_follow_up_is_refused_and_shows_no_panel(browser_client, follow_up):
    data = everything(follow_up)
    Visit.objects.filter(pk=follow_up.pk).update(status="signed")
    assert 'id="section-carry-forward"' not in page_of(browser_client, follow_up)
    response = carry(browser_client, follow_up, data)
    assert response.status_code == 409 and "signed" in response.content.decode()
    assert charted(follow_up) == ([], [], [], [])


def test_a_follow_up_changed_since_the_panel_was_read_is_refused(browser_client, follow_up, user):
    data = everything(follow_up)
    services.visit_update(visit=follow_up, actor=user, changes={"notes": "phoned"}, expected_version=None)
    response = carry(browser_client, follow_up, data)
    assert response.status_code == 409 and "changed by someone else" in response.content.decode()
    assert charted(follow_up) == ([], [], [], [])


def test_the_service_refuses_a_signed_visit_and_a_stale_version(follow_up, user):
    row = {"muscle": "soleus", "side": "left", "tenderness": 3}
    with pytest.raises(StaleVersionError):  # the complaint is written to the visit: only at the version read
        services.carry_forward(
            visit=follow_up, actor=user, complaint="Knee", findings=[row], expected_version=follow_up.version + 1
        )
    Visit.objects.filter(pk=follow_up.pk).update(status="signed")
    with pytest.raises(LockedError):
        services.carry_forward(visit=follow_up, actor=user, findings=[row])
    assert not Finding.objects.filter(visit=follow_up).exists()
    follow_up.refresh_from_db()
    assert follow_up.chief_complaint == ""


def test_the_complaint_saved_in_its_own_form_meanwhile_is_kept_and_the_rest_is_carried(browser_client, follow_up, user):
    data = everything(follow_up)  # the panel as read: "Same complaint" ticked
    services.visit_update(visit=follow_up, actor=user, changes={"chief_complaint": "Knee worse"}, expected_version=None)
    assert carry(browser_client, follow_up, data).status_code == 204
    follow_up.refresh_from_db()
    assert follow_up.chief_complaint == "Knee worse"
    assert len(charted(follow_up)[2]) == 2


def test_the_service_names_every_bad_row_and_saves_none(follow_up, user):
    with pytest.raises(services.CarryInvalid) as caught:
        services.carry_forward(
            visit=follow_up,
            actor=user,
            complaint="Knee",
            pain_sites=[{"zone": "anterior_knee_patella", "side": "right", "nprs": 4}],
            outcomes=[{"measure": "lefs", "value": 81}],
            findings=[{"muscle": "soleus", "side": "left", "tenderness": 3}],
        )
    assert list(caught.value.rows["outcomes"][0]) == ["value"]  # LEFS is 0-80
    assert caught.value.rows["pain_sites"] == [{}] and caught.value.rows["findings"] == [{}]
    follow_up.refresh_from_db()
    assert follow_up.chief_complaint == "" and charted(follow_up) == ([], [], [], [])


def test_another_clinics_follow_up_is_404(browser_client, foreign_patient):
    earlier = VisitFactory(patient=foreign_patient, date=LAST)
    point = FindingFactory(visit=earlier)
    foreign = VisitFactory(patient=foreign_patient, date=TODAY)
    data = {f"f-{point.pk}-include": "on", f"f-{point.pk}-tenderness": "3", f"f-{point.pk}-status": "latent"}
    assert carry(browser_client, foreign, data).status_code == 404
    screen = {"rule": "SAFE-M-FRACTURE-KNEE", "side": ""}
    url = reverse("assessments:screen-reconfirm", args=[foreign.pk])
    assert browser_client.post(url, screen, **HTMX).status_code == 404
    assert not Finding.objects.filter(visit=foreign).exists()
    assert not Screening.objects.filter(visit=foreign).exists()


def test_carrying_forward_is_audited_with_the_visit_and_its_patient(browser_client, follow_up, patient):
    assert carry(browser_client, follow_up, everything(follow_up)).status_code == 204
    event = AuditEvent.objects.get(route="assessments:carry-forward")
    assert (event.action, event.outcome, event.object_id, event.patient_id) == (
        "create", "success", follow_up.pk, patient.pk
    )  # fmt: skip


# --- red-flag screens negative within their window ---------------------------------------------------------------


def screening_html(client, visit):
    html = page_of(client, visit)
    section = re.search(r'<section class="card" id="section-screening".*?</section>', html, re.S)
    assert section is not None
    return section.group(0)


def test_a_recent_negative_screen_is_shown_with_its_date_and_re_confirmed_with_one_click(
    browser_client, follow_up, patient
):
    PainSiteFactory(visit=follow_up, zone="anterior_knee_patella", side="right", nprs=3)
    section = screening_html(browser_client, follow_up)
    url = reverse("assessments:screen-reconfirm", args=[follow_up.pk])
    assert "Negative on 2026-10-26" in section and "Still negative" in section and f'action="{url}"' in section
    response = browser_client.post(url, {"rule": "SAFE-M-FRACTURE-KNEE", "side": ""}, **HTMX)
    assert response.status_code == 200 and response["HX-Trigger"] == "charted"
    screen = Screening.objects.get(visit=follow_up)
    assert (screen.rule, screen.side, screen.result) == ("SAFE-M-FRACTURE-KNEE", "", "negative")
    assert screen.detail == "Still negative (negative on 2026-10-26)"
    assert f'action="{url}"' not in response.content.decode()  # charted today: asked no more
    event = AuditEvent.objects.get(route="assessments:screen-reconfirm")
    assert (event.action, event.outcome, event.patient_id) == ("create", "success", patient.pk)
    twice = browser_client.post(url, {"rule": "SAFE-M-FRACTURE-KNEE", "side": ""}, **HTMX)
    assert twice.status_code == 400 and Screening.objects.filter(visit=follow_up).count() == 1


def test_an_expired_or_positive_screen_is_asked_again_in_full(browser_client, patient, last_visit):
    late = VisitFactory(patient=patient, date=LAST + datetime.timedelta(days=selectors.SCREEN_VALID_DAYS + 1))
    PainSiteFactory(visit=late, zone="anterior_knee_patella", side="right")
    section = screening_html(browser_client, late)
    url = reverse("assessments:screen-reconfirm", args=[late.pk])
    assert f'action="{url}"' not in section and 'name="screening-result"' in section
    refused = browser_client.post(url, {"rule": "SAFE-M-FRACTURE-KNEE", "side": ""}, **HTMX)
    assert refused.status_code == 400 and "record the screen" in refused.content.decode()
    assert not Screening.objects.filter(visit=late).exists()

    positive = VisitFactory(patient=patient, date=LAST + datetime.timedelta(days=2))
    Screening.objects.create(clinic=patient.clinic, visit=positive, rule="SAFE-M-FRACTURE-KNEE", result="positive")
    soon = VisitFactory(patient=patient, date=LAST + datetime.timedelta(days=3))
    PainSiteFactory(visit=soon, zone="anterior_knee_patella", side="right")
    soon_url = reverse("assessments:screen-reconfirm", args=[soon.pk])
    assert f'action="{soon_url}"' not in screening_html(browser_client, soon)  # the latest result was positive


def test_still_negative_is_refused_on_a_signed_visit(browser_client, follow_up):
    Visit.objects.filter(pk=follow_up.pk).update(status="signed")
    url = reverse("assessments:screen-reconfirm", args=[follow_up.pk])
    response = browser_client.post(url, {"rule": "SAFE-M-FRACTURE-KNEE", "side": ""}, **HTMX)
    assert response.status_code == 409
    assert not Screening.objects.filter(visit=follow_up).exists()


def test_a_lateral_screen_is_re_confirmed_on_the_side_it_was_negative(browser_client, patient):
    earlier = VisitFactory(patient=patient, date=LAST)
    Screening.objects.create(clinic=patient.clinic, visit=earlier, rule="SAFE-M-DVT", side="left", result="negative")
    today = VisitFactory(patient=patient, date=TODAY)
    PainSiteFactory(visit=today, zone="posterior_knee", side="left")  # back of the knee: the clot screen (SYM)
    section = screening_html(browser_client, today)
    assert "Negative on 2026-10-26" in section and "(left)" in section
    url = reverse("assessments:screen-reconfirm", args=[today.pk])
    assert browser_client.post(url, {"rule": "SAFE-M-DVT", "side": "right"}, **HTMX).status_code == 400  # never
    response = browser_client.post(url, {"rule": "SAFE-M-DVT", "side": "left"}, **HTMX)
    assert response.status_code == 200
    assert list(Screening.objects.filter(visit=today).values_list("rule", "side", "result")) == [
        ("SAFE-M-DVT", "left", "negative")
    ]
