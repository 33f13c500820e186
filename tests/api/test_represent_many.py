"""clinic.api.fields.represent_many: the serializer's own output, without building its fields per request."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from clinic.api.fields import represent_many, sources
from clinic.api.pagination import Pagination
from patients.api.serializers import PatientSerializer
from patients.models import Patient
from tests.factories import ClinicFactory, MembershipFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

# What the API lets in: no surrogates or control characters (PostgreSQL refuses NUL outright).
storable = st.characters(blacklist_categories=("Cs", "Cc"))
names = st.text(storable, min_size=1, max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=names,
    last=names,
    born=st.none() | st.dates(datetime.date(1900, 1, 1), datetime.date(2020, 1, 1)),
    notes=st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=50),
)
def test_rows_and_instances_render_as_the_serializer_does(first, last, born, notes):
    made = PatientFactory(first_name=first, last_name=last, date_of_birth=born, notes=notes)
    patient = Patient.objects.get(pk=made.pk)  # as the database gives it back
    expected = PatientSerializer([patient], many=True).data
    assert represent_many(PatientSerializer, [patient]) == expected
    rows = Patient.objects.filter(pk=patient.pk).values(*sources(PatientSerializer))
    assert represent_many(PatientSerializer, rows) == expected


def test_patient_list_answers_what_the_serializer_gives():
    clinic = ClinicFactory()
    user = UserFactory()
    MembershipFactory(user=user, clinic=clinic)
    for index in range(30):
        PatientFactory(
            clinic=clinic,
            last_name=f"Ng{index:02d}",
            date_of_birth=None if index % 3 else datetime.date(1980, 1, index % 28 + 1),
        )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    body = client.get("/api/v1/patients/", {"search": "ng", "page": "2"}).json()
    expected = PatientSerializer(
        Patient.objects.filter(clinic=clinic).order_by("last_name", "first_name", "id")[25:], many=True
    ).data
    assert body["count"] == 30 and body["results"] == expected
    assert body["previous"].endswith("/api/v1/patients/?search=ng") and body["next"] is None


@pytest.fixture
def searcher():
    clinic = ClinicFactory()
    user = UserFactory()
    MembershipFactory(user=user, clinic=clinic)
    for index in range(53):
        PatientFactory(clinic=clinic, first_name=f"Fi{index:02d}", last_name="Ngata" if index % 2 else "Smith")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.mark.parametrize(
    "params",
    [
        {"search": "ng", "page": "1"},
        {"search": "ng", "page": "2"},
        {"search": "smith ith", "page": "2", "page_size": "10"},
        {"search": "fi", "page": "3"},
        {"search": "nobody"},
        {"search": "ng", "page": "last"},
    ],
)
def test_a_search_page_counted_by_its_own_query_answers_as_drf_does(searcher, params, monkeypatch):
    counted = searcher.get("/api/v1/patients/", params)
    # DRF's own path (count, then slice) for the same request:
    monkeypatch.setattr(
        Pagination,
        "paginate_fetched",
        lambda self, fetch, queryset, request, view=None: self.paginate_queryset(queryset(), request, view),
    )
    expected = searcher.get("/api/v1/patients/", params)
    assert counted.status_code == expected.status_code == 200
    assert counted.json() == expected.json()


@pytest.mark.parametrize("page", ["4", "9", "0", "abc", "", "85899346", "9223372036854775807", "9" * 30])
def test_a_search_page_past_the_end_or_malformed_is_drfs_404(searcher, page):
    response = searcher.get("/api/v1/patients/", {"search": "ng", "page": page})
    assert response.status_code == 404


def test_a_search_costs_one_query_for_its_page_and_total(searcher):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert searcher.get("/api/v1/patients/", {"search": "ng", "page": "2"}).json()["count"] == 26
    patient_queries = [q["sql"] for q in queries if "patients_patient" in q["sql"] and "audit" not in q["sql"]]
    assert len(patient_queries) == 1, patient_queries
