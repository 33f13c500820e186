"""clinic.shell: the chart and visit pages around their cached body, base.html kept per user, clinic and role."""

import re

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.safestring import mark_safe

from clinic import shell
from clinic.models import Role
from tests.factories import ClinicFactory, MembershipFactory, PatientFactory, VisitFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(?<=name="csrfmiddlewaretoken" value=")[^"]+|(?<="X-CSRFToken": ")[^"]+')


def without_tokens(html: str) -> str:
    """The page with its CSRF tokens (masked anew for every response) blanked."""
    return TOKEN.sub("TOKEN", html)


@pytest.fixture(autouse=True)
def no_shells():
    shell.forget()
    yield
    shell.forget()


@pytest.fixture
def carer():
    clinic = ClinicFactory(name="Harbour <Physio> & Co")
    membership = MembershipFactory(clinic=clinic, user__username="ana.o'neil", role=Role.OWNER)
    patient = PatientFactory(clinic=clinic, first_name="Zoë", last_name="<b>Lopez</b> & Sons")
    visit = VisitFactory(patient=patient)
    client = Client()
    client.force_login(User.objects.get(pk=membership.user_id))
    return client, membership, patient, visit


def full_render(monkeypatch, client, path):
    """The page as base.html renders it on the spot (no shell kept)."""
    with monkeypatch.context() as patch:
        patch.setattr(shell, "_key", lambda request: None)
        return client.get(path).content.decode()


@pytest.mark.parametrize("page", ["chart", "visit"])
def test_a_page_from_its_shell_is_the_page_rendered_in_full(carer, monkeypatch, page):
    client, _, patient, visit = carer
    path = reverse("patients:detail", args=[patient.pk]) if page == "chart" else f"/visits/{visit.pk}/"
    first, second = (client.get(path) for _ in range(2))
    assert first.status_code == second.status_code == 200
    assert len(shell._shells) == 1  # built by the first request, used by the second
    expected = without_tokens(full_render(monkeypatch, client, path))
    assert without_tokens(first.content.decode()) == without_tokens(second.content.decode()) == expected
    # The title is escaped once, as the template does it:
    title = "Zoë &lt;b&gt;Lopez&lt;/b&gt; &amp; Sons"
    assert f"<title>{title} · Clinic charting</title>" in expected or f"· {title} · Clinic charting</title>" in expected
    assert "Harbour &lt;Physio&gt; &amp; Co" in expected and "ana.o&#x27;neil" in expected


def test_page_html_renders_as_the_pages_own_templates_did(carer):
    _, membership, patient, visit = carer
    request = RequestFactory().get("/")
    request.user, request.clinic, request.membership = membership.user, membership.clinic, membership
    body = mark_safe("<section>the body</section>")
    for template, context, title in [
        ("patients/detail.html", {"patient": patient, "body": body}, patient.full_name),
        (
            "assessments/visit.html",
            {"visit": visit, "patient": patient, "body": body},
            f"Visit {visit.date:%Y-%m-%d} · {patient.full_name}",
        ),
    ]:
        own = render_to_string(template, context, request=request)
        page = render_to_string(shell.PAGE, {"title": title, "body": body}, request=request)
        assert without_tokens(page) == without_tokens(own)


def test_each_user_clinic_and_role_gets_its_own_shell(carer):
    client, membership, patient, _ = carer
    path = reverse("patients:detail", args=[patient.pk])
    assert "ana.o&#x27;neil" in client.get(path).content.decode()
    colleague = MembershipFactory(clinic=membership.clinic, user__username="ben.assistant", role=Role.ASSISTANT)
    other = Client()
    other.force_login(User.objects.get(pk=colleague.user_id))
    page = other.get(path).content.decode()
    assert "ben.assistant" in page and "ana.o" not in page
    assert "Members" not in page and "Assistant" in page  # an assistant's menu, not the owner's
    membership.clinic.name = "Harbour Physio"
    membership.clinic.save()
    page = client.get(path).content.decode()
    assert "Harbour Physio</span>" in page and "&lt;Physio&gt;" not in page
    membership.role = Role.PRACTITIONER
    membership.save()
    page = client.get(path).content.decode()
    assert "Practitioner</span>" in page and ">Members<" not in page
    assert len(shell._shells) == 4


def test_waiting_messages_are_shown_once(carer):
    client, _, patient, _ = carer
    path = reverse("patients:detail", args=[patient.pk])
    client.get(path)  # the shell is kept
    request = RequestFactory().get("/")
    client.cookies["messages"] = CookieStorage(request)._encode([Message(constants.SUCCESS, "Saved the patient.")])
    assert "Saved the patient." in client.get(path).content.decode()
    assert "Saved the patient." not in client.get(path).content.decode()


def test_the_token_a_shell_page_carries_is_this_responses_and_is_accepted(carer):
    _, membership, patient, _ = carer
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(pk=membership.user_id))
    path = reverse("patients:detail", args=[patient.pk])
    pages = [client.get(path).content.decode() for _ in range(3)]
    tokens = [set(TOKEN.findall(page)) for page in pages]
    assert all(len(found) == 1 for found in tokens) and len({found.pop() for found in tokens}) == 3
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": TOKEN.findall(pages[-1])[0]}).status_code == 302
