"""Prepared statements on PostgreSQL (clinic/settings/base.py) and the queries that opt out (clinic.db)."""

import pytest
from django.db import connection

from clinic.db import planned_for_their_values
from clinic.models import Clinic
from patients.models import Patient
from patients.selectors import patient_list
from tests.factories import ClinicFactory, PatientFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
]


def prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_lookup_run_again_and_again_is_prepared_and_answers_the_same():
    clinic = ClinicFactory()
    made = [PatientFactory(clinic=clinic) for _ in range(3)]
    for _ in range(6):
        for patient in made:
            assert Patient.objects.get(pk=patient.pk).last_name == patient.last_name
    assert any('FROM "patients_patient"' in sql and '"id" = $1' in sql for sql in prepared())


def test_a_name_search_is_planned_for_its_terms_every_time():
    clinic = Clinic.objects.get(pk=ClinicFactory().pk)
    PatientFactory(clinic=clinic, last_name="Ngata")
    with planned_for_their_values():
        assert connection.connection.prepare_threshold is None
        for _ in range(8):
            assert [p.last_name for p in patient_list(clinic=clinic, search="ng")] == ["Ngata"]
    assert connection.connection.prepare_threshold == 5
    assert not [sql for sql in prepared() if "LIKE" in sql]
    for _ in range(8):  # the same search outside is prepared: the test sees the difference
        list(patient_list(clinic=clinic, search="ng"))
    assert [sql for sql in prepared() if "LIKE" in sql]


def test_the_patients_page_search_and_an_api_search_are_never_prepared(api, browser_client, clinic):
    PatientFactory(clinic=clinic, first_name="Aroha", last_name="Ngata")
    for _ in range(8):
        assert api.get("/api/v1/patients/", {"search": "ng aro"}).json()["count"] == 1
        assert api.get("/api/v1/patients/", {"search": "ngat"}).json()["count"] == 1
        assert "Ngata" in browser_client.get("/patients/", {"q": "ng"}).content.decode()
    assert not [sql for sql in prepared() if "LIKE" in sql]
    assert prepared()  # while the lookups every request makes are
