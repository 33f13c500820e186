"""A finding's "Refers to": the zones a trigger point refers pain to, chosen with a type-ahead
(static/js/zone_picker.js) over a plain multiple select that works without scripts and posts the same values."""

import re

import pytest
from django.urls import reverse

from assessments.models import Finding
from catalog.vocabulary import zone_choices
from tests.factories import VisitFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
FINDING = {"findings-muscle": "vastus_lateralis", "findings-side": "right", "findings-tenderness": "6",
           "findings-status": "active"}  # fmt: skip


@pytest.fixture
def visit(patient):
    return VisitFactory(patient=patient)


def _select(page: str) -> str:
    found = re.search(r'<select name="findings-referral_zones"[^>]*>.*?</select>', page, re.S)
    assert found, "no Refers to select"
    return found.group(0)


def test_refers_to_is_a_multiple_select_of_every_zone_by_name_that_the_picker_enhances(browser_client, visit):
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    select = _select(page)
    assert "multiple" in select and "data-zone-picker" in select
    for slug, label in zone_choices():
        assert f'<option value="{slug}">{label}</option>' in select
    assert '<label for="id_findings-referral_zones">Refers to</label>' in page
    assert "js/zone_picker.js" in page and "css/zone_picker.css" in page


def test_the_chosen_zones_are_saved_with_the_finding_and_shown_by_name(browser_client, visit):
    data = {**FINDING, "findings-referral_zones": ["lateral_knee", "lateral_thigh"]}
    response = browser_client.post(reverse("assessments:section-add", args=[visit.pk, "findings"]), data, **HTMX)
    assert response.status_code == 200
    finding = Finding.objects.get(visit=visit)
    assert sorted(finding.referral_zones) == ["lateral_knee", "lateral_thigh"]
    row = re.search(r"<tbody>.*?</tbody>", response.content.decode(), re.S)
    assert row and "Outer knee" in row.group(0) and "Outer thigh (IT band area)" in row.group(0)


def test_no_zone_chosen_saves_a_finding_that_refers_nowhere(browser_client, visit):
    response = browser_client.post(reverse("assessments:section-add", args=[visit.pk, "findings"]), FINDING, **HTMX)
    assert response.status_code == 200
    assert Finding.objects.get(visit=visit).referral_zones == []


def test_an_unknown_zone_is_refused_inline_keeping_the_chosen_ones_and_nothing_is_saved(browser_client, visit):
    data = {**FINDING, "findings-referral_zones": ["lateral_knee", "atlantis"]}
    response = browser_client.post(reverse("assessments:section-add", args=[visit.pk, "findings"]), data, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice. atlantis is not one of the available choices." in html
    assert '<option value="lateral_knee" selected>' in _select(html)  # the picker rebuilds its chips from these
    assert not Finding.objects.filter(visit=visit).exists()
