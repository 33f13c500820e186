"""The favourites control on the visit page: loaded beside the cached page content, chart from a set as a batch form
through htmx (errors beside their rows, nothing half-saved), and save the visit as a set."""

import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from assessments.cache import CACHE_ALIAS
from assessments.models import FavouriteSet, Finding, MuscleTest
from clinic.models import Role
from patients.models import Patient
from tests.factories import FavouriteSetFactory, FindingFactory, MembershipFactory, PainSiteFactory, VisitFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def empty_clinical_cache():
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


@pytest.fixture
def visit(patient):
    visit = VisitFactory(patient=patient)
    PainSiteFactory(visit=visit, zone="lateral_knee", side="right", primary=True)
    return visit


@pytest.fixture
def knee(clinic, user):
    return FavouriteSetFactory(clinic=clinic, owner=user)


def _panel(client, visit, **query):
    return client.get(reverse("assessments:favourites", args=[visit.pk]), query, **HTMX)


def _filled(knee, **overrides):
    """The batch form as the practitioner sends it: every row ticked, the findings' tenderness and the test's result."""
    data = {"set_version": str(knee.version)}
    for number, tenderness in ((1, "7"), (2, "5"), (3, "3"), (4, "2")):
        data |= {f"row-{number}-include": "on", f"row-{number}-side": "right", f"row-{number}-tenderness": tenderness,
                 f"row-{number}-status": "active", f"row-{number}-location": ""}  # fmt: skip
    data |= {"row-5-include": "on", "row-5-side": "right", "row-5-phase": "pre", "row-5-result": "inhibited"}
    return data | overrides


def _chart(client, visit, knee, data, **extra):
    return client.post(reverse("assessments:favourite-chart", args=[visit.pk, knee.pk]), data, **extra)


def test_the_visit_page_loads_the_favourites_panel_instead_of_caching_it(browser_client, visit, knee, user, clinic):
    url = reverse("assessments:visit", args=[visit.pk])
    browser_client.get(url)
    page = browser_client.get(url).content.decode()  # from the cached fragment now
    panel_url = reverse("assessments:favourites", args=[visit.pk])
    assert f'hx-get="{panel_url}" hx-trigger="load"' in page
    assert "Runner&#x27;s knee" not in page  # no set is part of the cached content
    stamp = Patient.objects.get(pk=visit.patient_id).data_version
    FavouriteSetFactory(clinic=clinic, owner=user, name="Plantar heel")  # not chart data: no stamp raised
    again = browser_client.get(url).content.decode()
    assert again[again.index('id="main"') :] == page[page.index('id="main"') :]  # still the cached content
    panel = _panel(browser_client, visit).content.decode()
    assert "Plantar heel" in panel and "Runner&#x27;s knee" in panel
    assert Patient.objects.get(pk=visit.patient_id).data_version == stamp


def test_the_panel_lists_my_sets_and_the_clinics_shared_ones(browser_client, clinic, visit, knee):
    colleague = MembershipFactory(clinic=clinic, user__username="colleague").user
    FavouriteSetFactory(clinic=clinic, owner=colleague, name="Shared neck", shared=True)
    FavouriteSetFactory(clinic=clinic, owner=colleague, name="Private hip")
    panel = _panel(browser_client, visit).content.decode()
    assert "Shared neck (shared by colleague)" in panel
    assert "Private hip" not in panel
    assert 'id="chart-from-set"' in panel and 'id="save-favourite"' in panel


def test_choosing_a_set_shows_one_row_per_item_on_the_side_of_the_complaint(browser_client, visit, knee):
    response = _panel(browser_client, visit, set=str(knee.pk))
    assert response.status_code == 200
    form = response.content.decode()
    assert form.count('name="row-') and all(f'name="row-{n}-include"' in form for n in range(1, 6))
    assert 'name="row-6-include"' not in form
    assert re.search(r'name="row-1-side"[^>]*>.*?<option value="right" selected>', form, re.S)
    assert 'name="row-1-tenderness"' in form and 'name="row-5-result"' in form and 'name="row-5-tenderness"' not in form
    assert "Vastus lateralis" in form and f'name="set_version" value="{knee.version}"' in form


def test_chart_from_a_set_through_htmx_saves_every_row_and_swaps_the_sections_in(browser_client, visit, knee):
    response = _chart(browser_client, visit, knee, _filled(knee), **HTMX)
    assert response.status_code == 200, response.content.decode()[:800]
    assert response["HX-Trigger"] == "charted"
    html = response.content.decode()
    assert "Charted from “Runner&#x27;s knee”: 4 findings and 1 muscle test." in html
    assert 'id="section-findings" aria-labelledby="findings-h" hx-swap-oob="true"' in html
    assert 'id="section-muscle-tests" aria-labelledby="tests-h" hx-swap-oob="true"' in html
    assert sorted(Finding.objects.filter(visit=visit).values_list("muscle", "side", "tenderness")) == [
        ("gluteus_minimus", "right", 3), ("soleus", "right", 2), ("tensor_fasciae_latae", "right", 5),
        ("vastus_lateralis", "right", 7),
    ]  # fmt: skip
    assert list(MuscleTest.objects.filter(visit=visit).values_list("muscle", "result")) == [
        ("gluteus_medius", "inhibited")
    ]
    page = browser_client.get(reverse("assessments:visit", args=[visit.pk])).content.decode()
    assert "Tensor fasciae latae" in page  # the cached page follows the chart write (the stamp was raised)


def test_unticked_rows_are_left_out(browser_client, visit, knee):
    data = {k: v for k, v in _filled(knee).items() if not re.match(r"row-[2-5]-include", k)}
    assert _chart(browser_client, visit, knee, data, **HTMX).status_code == 200
    assert list(Finding.objects.filter(visit=visit).values_list("muscle", flat=True)) == ["vastus_lateralis"]
    assert not MuscleTest.objects.filter(visit=visit).exists()


def test_a_bad_row_answers_400_with_the_error_in_its_row_and_nothing_saved(browser_client, visit, knee):
    response = _chart(browser_client, visit, knee, _filled(knee, **{"row-3-tenderness": "12", "row-5-result": ""}),
                      **HTMX)  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    row3 = html[html.index('id="favourite-row-3"') : html.index('id="favourite-row-4"')]
    assert "Tenderness (0–10): Ensure this value is less than or equal to 10." in row3
    row5 = html[html.index('id="favourite-row-5"') :]
    assert "Result: This field is required." in row5
    assert 'name="row-1-tenderness" value="7"' in html  # what was typed stays
    assert not Finding.objects.filter(visit=visit).exists() and not MuscleTest.objects.filter(visit=visit).exists()


def test_a_row_the_service_refuses_is_shown_in_its_row_and_the_rows_before_are_rolled_back(browser_client, visit, knee):
    FindingFactory(visit=visit, muscle="soleus", side="right", location="", tenderness=1)
    response = _chart(browser_client, visit, knee, _filled(knee), **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    row4 = html[html.index('id="favourite-row-4"') : html.index('id="favourite-row-5"')]
    assert "already has a finding in this visit" in row4
    assert list(Finding.objects.filter(visit=visit).values_list("muscle", "tenderness")) == [("soleus", 1)]


def test_a_signed_visit_answers_409_and_charts_nothing(browser_client, visit, knee, user):
    from assessments import services

    services.visit_sign(visit=visit, actor=user)
    response = _chart(browser_client, visit, knee, _filled(knee), **HTMX)
    assert response.status_code == 409
    assert "signed and read-only" in response.content.decode()
    assert not Finding.objects.filter(visit=visit).exists()


def test_a_set_changed_since_the_form_was_filled_in_answers_409(browser_client, visit, knee):
    FavouriteSet.objects.filter(pk=knee.pk).update(version=2)
    response = _chart(browser_client, visit, knee, _filled(knee), **HTMX)
    assert response.status_code == 409 and "choose it again" in response.content.decode()
    assert not Finding.objects.filter(visit=visit).exists()


def test_save_the_visit_as_a_favourite(browser_client, visit, user):
    FindingFactory(visit=visit, muscle="vastus_lateralis", side="right", tenderness=8)
    url = reverse("assessments:favourite-save", args=[visit.pk])
    response = browser_client.post(
        url, {"favourite-name": "Knee", "favourite-shared": "on", "favourite-complaint_side": "on"}, **HTMX
    )
    assert response.status_code == 200
    assert "Saved “Knee”: 1 item." in response.content.decode()
    favourite = FavouriteSet.objects.get(owner=user)
    assert (favourite.shared, favourite.items) == (
        True, [{"kind": "finding", "muscle": "vastus_lateralis", "side": "complaint", "location": ""}])  # fmt: skip
    again = browser_client.post(url, {"favourite-name": "Knee"}, **HTMX)
    assert again.status_code == 400
    assert "You already have a set with this name." in again.content.decode()


def test_save_without_anything_charted_is_an_inline_error(browser_client, visit):
    response = browser_client.post(
        reverse("assessments:favourite-save", args=[visit.pk]), {"favourite-name": "Empty"}, **HTMX
    )
    assert response.status_code == 400
    assert "no findings or muscle tests to save" in response.content.decode()
    assert not FavouriteSet.objects.exists()


def test_without_htmx_the_panel_is_a_page_and_a_chart_returns_to_the_visit(browser_client, visit, knee):
    page = browser_client.get(reverse("assessments:favourites", args=[visit.pk]), {"set": str(knee.pk)})
    assert (
        page.status_code == 200 and "<html" in page.content.decode() and 'name="row-5-result"' in page.content.decode()
    )
    response = _chart(browser_client, visit, knee, _filled(knee))
    assert response.status_code == 302 and response["Location"] == reverse("assessments:visit", args=[visit.pk])
    assert Finding.objects.filter(visit=visit).count() == 4


def test_another_clinics_set_or_a_colleagues_private_set_is_404(browser_client, clinic, other_clinic, visit):
    colleague = MembershipFactory(clinic=clinic, user__username="colleague").user
    for favourite in (FavouriteSetFactory(clinic=other_clinic), FavouriteSetFactory(clinic=clinic, owner=colleague)):
        assert _panel(browser_client, visit, set=str(favourite.pk)).status_code == 404
        assert _chart(browser_client, visit, favourite, _filled(favourite), **HTMX).status_code == 404
    assert not Finding.objects.filter(visit=visit).exists()


def test_an_assistant_gets_no_favourites(client, clinic, visit, knee):
    FavouriteSet.objects.filter(pk=knee.pk).update(shared=True)  # a private set is not theirs to see at all: 404
    assistant = MembershipFactory(clinic=clinic, role=Role.ASSISTANT).user
    client.force_login(assistant)
    assert _panel(client, visit).status_code == 403
    assert _chart(client, visit, knee, _filled(knee), **HTMX).status_code == 403
