"""A stressor or old injury edited in its panel, in place: Cancel swaps the panel back (it never leaves the page it is
on, the visit page included) and the focus returns to the item's Edit control after Cancel and after Save."""

import re

import pytest
from django.urls import reverse

from tests.factories import InjuryFactory, StressorFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_edit_form_of_a_stressor_cancels_through_htmx_back_to_its_edit_control(browser_client, patient):
    stressor = StressorFactory(patient=patient, kind="poor_sleep", category="emotional_mental")
    panel_url = reverse("patients:panel-add", args=[patient.pk, "stressors"])
    form = browser_client.get(reverse("patients:panel-edit", args=[patient.pk, "stressors", stressor.pk]), **HTMX)
    html = form.content.decode()
    assert "data-edit-form" in html
    cancel = re.search(r"<a [^>]*data-edit-cancel[^>]*>Cancel</a>", html, re.S)
    assert cancel is not None and f'hx-get="{panel_url}?item={stressor.pk}"' in cancel.group(0)
    back = browser_client.get(f"{panel_url}?item={stressor.pk}", **HTMX)
    assert back.status_code == 200
    body = back.content.decode()
    assert body.lstrip().startswith('<section class="card panel" id="panel-stressors"')
    assert re.search(rf'id="edit-{stressor.pk}" data-focus-after-swap', body)
    assert browser_client.get(panel_url).status_code == 302  # without htmx: the patient's page


def test_saving_an_old_injury_puts_the_focus_back_on_its_edit_control(browser_client, patient):
    injury = InjuryFactory(patient=patient)
    url = reverse("patients:panel-edit", args=[patient.pk, "injuries", injury.pk])
    page = browser_client.get(url, **HTMX).content.decode()
    fields = dict(re.findall(r'name="(edit-[^"]+)"[^>]*value="([^"]*)"', page))
    fields.update({f"edit-{injury.pk}-description": "Rolled it on a trail run", f"edit-{injury.pk}-version": "1"})
    selects = re.findall(r'<select name="(edit-[^"]+)"[^>]*>.*?<option value="([^"]+)" selected', page, re.S)
    fields.update(dict(selects))
    response = browser_client.post(url, fields, **HTMX)
    assert response.status_code == 200, response.content.decode()[:1500]
    assert re.search(rf'id="edit-{injury.pk}" data-focus-after-swap', response.content.decode())


def test_another_clinics_panel_is_404(browser_client, foreign_patient):
    url = reverse("patients:panel-add", args=[foreign_patient.pk, "stressors"])
    assert browser_client.get(url, **HTMX).status_code == 404
