"""The name search is answered from indexes that lead with the clinic (and, on PostgreSQL, trigram indexes)."""

import pytest
from django.db import connection, transaction

from patients import selectors
from patients.models import Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


def test_the_list_of_a_clinic_reads_the_clinic_name_index(clinic):
    PatientFactory.create_batch(3, clinic=clinic)
    assert "patient_clinic_name_live" in _plan(selectors.patient_list(clinic=clinic))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
@pytest.mark.parametrize("term", ["nguy", "Xiong", "ría"])
def test_the_name_filter_of_three_or_more_characters_can_be_answered_by_the_trigram_indexes(clinic, term):
    """Only bitmap scans allowed and no clinic condition: the plan must find the name through the trigram indexes
    (it fails if the filter's SQL stops matching the indexed expression UPPER(name))."""
    PatientFactory.create_batch(3, clinic=clinic)
    sql, params = Patient.objects.filter(selectors.name_matches(term)).query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on patients_patient_first_name_trgm" in plan
    assert "Bitmap Index Scan on patients_patient_last_name_trgm" in plan
