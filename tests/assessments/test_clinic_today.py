""" "Today" is the clinic's: visit dates, the not-in-the-future checks, documents and the times on its pages follow the
acting clinic's time zone (Clinic.time_zone, activated per request by clinic.tenancy), not the server's UTC."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Visit
from tests.factories import VisitFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}

UTC = datetime.UTC
# 20:00 UTC on 1 March 2026 is 09:00 on 2 March in Auckland (NZDT, UTC+13): Auckland is already tomorrow.
AUCKLAND_MORNING = datetime.datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
# 03:00 UTC on 2 March 2026 is 19:00 on 1 March in Los Angeles (PST, UTC-8): Los Angeles is still yesterday.
LOS_ANGELES_EVENING = datetime.datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
FIRST, SECOND, THIRD = datetime.date(2026, 3, 1), datetime.date(2026, 3, 2), datetime.date(2026, 3, 3)


@contextmanager
def frozen(at: datetime.datetime) -> Iterator[None]:
    """Django's clock (timezone.now, which localdate and the model validators read) stopped at `at`."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


@pytest.fixture
def in_zone(clinic):
    def set_zone(name: str):
        clinic.time_zone = name
        clinic.full_clean()
        clinic.save()
        return clinic

    return set_zone


def test_the_instants_fall_on_different_days_in_utc_and_in_the_clinics():
    assert AUCKLAND_MORNING.date() == FIRST
    assert AUCKLAND_MORNING.astimezone(datetime.timezone(datetime.timedelta(hours=13))).date() == SECOND
    assert LOS_ANGELES_EVENING.date() == SECOND
    assert LOS_ANGELES_EVENING.astimezone(datetime.timezone(datetime.timedelta(hours=-8))).date() == FIRST


# --- Auckland: already tomorrow in UTC's evening ---------------------------------------------------------------------


def test_an_auckland_clinic_starts_a_visit_on_the_page_dated_its_own_today(browser_client, in_zone, patient):
    in_zone("Pacific/Auckland")
    with frozen(AUCKLAND_MORNING):
        response = browser_client.post(reverse("assessments:visit-create", args=[patient.pk]))
    assert response.status_code == 302
    assert Visit.objects.get(patient=patient).date == SECOND


def test_an_auckland_clinic_may_date_a_visit_its_today_on_the_page(browser_client, in_zone, patient):
    in_zone("Pacific/Auckland")
    visit = VisitFactory(patient=patient, date=FIRST)
    url = reverse("assessments:visit-details", args=[visit.pk])
    with frozen(AUCKLAND_MORNING):
        saved = browser_client.post(url, {"date": "2026-03-02", "kind": "initial", "version": 1}, **HTMX)
        future = browser_client.post(url, {"date": "2026-03-03", "kind": "initial", "version": 2}, **HTMX)
    assert saved.status_code == 200 and future.status_code == 400
    assert "This date is in the future." in future.content.decode()
    visit.refresh_from_db()
    assert visit.date == SECOND


def test_an_auckland_clinic_gets_its_today_as_the_api_default_and_may_date_a_visit_today(api, in_zone, patient):
    in_zone("Pacific/Auckland")
    with frozen(AUCKLAND_MORNING):
        by_default = api.post("/api/v1/visits/", {"patient": str(patient.pk)}, format="json")
        dated = api.post("/api/v1/visits/", {"patient": str(patient.pk), "date": "2026-03-02"}, format="json")
        future = api.post("/api/v1/visits/", {"patient": str(patient.pk), "date": "2026-03-03"}, format="json")
    assert by_default.status_code == 201 and by_default.json()["date"] == "2026-03-02"
    assert dated.status_code == 201, dated.json()
    assert future.status_code == 400 and "date" in future.json()


def test_other_dates_are_checked_against_the_clinics_today_too(api, in_zone, patient):
    in_zone("Pacific/Auckland")
    url = f"/api/v1/patients/{patient.pk}/stressors/"
    with frozen(AUCKLAND_MORNING):
        today = api.post(url, {"kind": "footwear", "severity": 2, "onset": "2026-03-02"}, format="json")
        tomorrow = api.post(url, {"kind": "poor_sleep", "severity": 2, "onset": "2026-03-03"}, format="json")
    assert today.status_code == 201, today.json()
    assert tomorrow.status_code == 400 and "onset" in tomorrow.json()


# --- Los Angeles: still yesterday in UTC's early morning -------------------------------------------------------------


def test_a_los_angeles_clinic_is_refused_its_tomorrow_though_it_is_todays_date_in_utc(api, in_zone, patient):
    in_zone("America/Los_Angeles")
    with frozen(LOS_ANGELES_EVENING):
        tomorrow = api.post("/api/v1/visits/", {"patient": str(patient.pk), "date": "2026-03-02"}, format="json")
        by_default = api.post("/api/v1/visits/", {"patient": str(patient.pk)}, format="json")
    assert tomorrow.status_code == 400 and tomorrow.json()["date"] == ["This date is in the future."]
    assert by_default.status_code == 201 and by_default.json()["date"] == "2026-03-01"


def test_a_los_angeles_clinic_is_refused_its_tomorrow_on_the_page(browser_client, in_zone, patient):
    in_zone("America/Los_Angeles")
    visit = VisitFactory(patient=patient, date=FIRST)
    with frozen(LOS_ANGELES_EVENING):
        response = browser_client.post(
            reverse("assessments:visit-details", args=[visit.pk]),
            {"date": "2026-03-02", "kind": "initial", "version": 1},
            **HTMX,
        )
    assert response.status_code == 400 and "This date is in the future." in response.content.decode()
    visit.refresh_from_db()
    assert visit.date == FIRST


# --- times shown ----------------------------------------------------------------------------------------------------


def test_the_signature_time_is_shown_in_the_clinics_time_zone(browser_client, api, in_zone, patient):
    in_zone("Pacific/Auckland")
    visit = VisitFactory(patient=patient, date=SECOND)
    with frozen(AUCKLAND_MORNING):
        assert browser_client.post(reverse("assessments:sign", args=[visit.pk])).status_code == 302
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    assert "2026-03-02 09:00" in page and "2026-03-01 20:00" not in page
    signed_at = api.get(f"/api/v1/visits/{visit.pk}/").json()["signed_at"]
    assert signed_at == "2026-03-02T09:00:00+13:00"  # the same instant, with the clinic's offset


def test_the_visit_note_is_issued_on_the_clinics_today_with_its_times_in_the_clinics_zone(
    browser_client, in_zone, patient
):
    in_zone("Pacific/Auckland")
    visit = VisitFactory(patient=patient, date=SECOND)
    with frozen(AUCKLAND_MORNING):
        browser_client.post(reverse("assessments:sign", args=[visit.pk]))
        note = browser_client.get(reverse("assessments:visit-note", args=[visit.pk])).content.decode()
    assert "issued 2 Mar 2026" in note
    assert "2 Mar 2026, 09:00 (Pacific/Auckland)" in note


def test_a_new_time_zone_shows_at_once_on_a_page_kept_in_the_cache(browser_client, in_zone, patient):
    visit = VisitFactory(patient=patient, date=FIRST)
    with frozen(AUCKLAND_MORNING):
        browser_client.post(reverse("assessments:sign", args=[visit.pk]))
    url = reverse("assessments:visit", args=[visit.pk])
    browser_client.get(url)  # sets the CSRF cookie that the page's cached content is keyed by
    assert "2026-03-01 20:00" in browser_client.get(url).content.decode()  # UTC, now kept
    in_zone("Pacific/Auckland")
    assert "2026-03-02 09:00" in browser_client.get(url).content.decode()


def test_the_clinics_zone_ends_with_its_request(browser_client, api, in_zone, patient):
    in_zone("Pacific/Auckland")
    visit = VisitFactory(patient=patient)
    browser_client.get(reverse("assessments:visit", args=[visit.pk]))
    assert timezone.get_current_timezone_name() == "UTC"
    api.get(f"/api/v1/visits/{visit.pk}/")
    assert timezone.get_current_timezone_name() == "UTC"
