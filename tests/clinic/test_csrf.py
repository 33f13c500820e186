"""A page carries one masked CSRF token (Django's csrf context processor) in base.html and its forms alike."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.factories import ClinicFactory, MembershipFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKENS = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def test_a_page_carries_one_token_masked_anew_per_response_and_it_is_accepted():
    clinic = ClinicFactory()
    user = User.objects.get(pk=UserFactory(username="carer").pk)
    MembershipFactory(user=user, clinic=clinic)
    patient = PatientFactory(clinic=clinic)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    pages = [client.get(reverse("assessments:chart", args=[patient.pk])).content.decode() for _ in range(2)]
    per_page = [{a or b for a, b in TOKENS.findall(page)} for page in pages]
    assert [len(tokens) for tokens in per_page] == [1, 1]  # htmx header, logout form and the page's forms
    assert per_page[0] != per_page[1]  # masked anew for each response
    token = per_page[1].pop()
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
