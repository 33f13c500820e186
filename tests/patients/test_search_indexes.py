"""The name search is answered from indexes that lead with the clinic (and, on PostgreSQL, trigram indexes)."""

import itertools

import pytest
from django.db import connection, transaction

from patients import selectors
from patients.models import Patient
from tests.factories import ClinicFactory, PatientFactory

pytestmark = pytest.mark.django_db

TRIGRAM_INDEXES = ("patient_clinic_first_name_trgm", "patient_clinic_last_name_trgm")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL")


def test_the_list_of_a_clinic_reads_the_clinic_name_index(clinic):
    PatientFactory.create_batch(3, clinic=clinic)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        assert "patient_clinic_name_live" in selectors.patient_list(clinic=clinic).explain()


def _plan_with_trigram_indexes_only(queryset) -> str:
    """The plan of `queryset` with no scan but bitmap scans and no B-tree index but the primary key, so that only
    the trigram indexes can find the names (the indexes are back afterwards: DDL is transactional)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            for knob in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
                cursor.execute(f"SET LOCAL {knob} = off")
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'patients_patient' "
                "AND indexdef LIKE '%USING btree%' AND indexname <> 'patients_patient_pkey'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
        plan = queryset.explain()
        transaction.set_rollback(True)
    return plan


@postgresql_only
@pytest.mark.parametrize("term", ["nguy", "Xiong", "ría"])
def test_the_name_filter_matches_the_trigram_indexes_expression(clinic, term):
    """No clinic condition, so that the names must be found through the indexes: it fails if `icontains` stops
    compiling to the indexed expression UPPER(name), or the indexes stop covering the live patients."""
    PatientFactory.create_batch(3, clinic=clinic)
    live = Patient.objects.filter(archived_at__isnull=True).filter(selectors.name_matches(term))
    plan = _plan_with_trigram_indexes_only(live)
    for index in TRIGRAM_INDEXES:
        assert f"Bitmap Index Scan on {index}" in plan
    assert plan.count("Index Cond: (upper(") == 2


@postgresql_only
def test_a_rare_word_among_many_patients_is_looked_up_through_the_trigram_indexes(clinic):
    """With no planner setting changed: the statistics on UPPER(name) (migration 0005) tell the planner that the word
    is rare, so it reads the matches through the clinic's trigram indexes instead of testing every name."""
    syllables = ["ba", "ko", "ri", "su", "te", "mi", "lo", "da", "ve", "zu"]
    names = ["".join(parts).capitalize() for parts in itertools.product(syllables, repeat=4)]
    for owner in (clinic, ClinicFactory()):
        Patient.objects.bulk_create(
            Patient(clinic=owner, first_name=first, last_name=last)
            for first, last in zip(names, reversed(names), strict=True)
        )
    PatientFactory.create_batch(3, clinic=clinic, last_name="Ngata")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE patients_patient")
    page = selectors.patient_list(clinic=clinic, search="ngat")[:25]
    plan = page.explain()
    for index in TRIGRAM_INDEXES:
        assert f"Bitmap Index Scan on {index}" in plan, plan
    assert len(page) == 3
