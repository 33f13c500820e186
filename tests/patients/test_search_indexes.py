"""The name search is answered from indexes that lead with the clinic (and, on PostgreSQL, trigram indexes)."""

import itertools
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

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


def _explain(sql: str, params, *, bitmaps_only: bool) -> str:
    """The plan of `sql`. `bitmaps_only`: with no scan but bitmap scans and no B-tree index but the primary key, so
    that only the trigram indexes can find the names (left as they were afterwards: DDL is transactional)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if bitmaps_only:
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL enable_indexonlyscan = off")
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'patients_patient' "
                "AND indexdef LIKE '%USING btree%' AND indexname <> 'patients_patient_pkey'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def _search_query(clinic, search: str) -> str:
    """The SQL `patient_search_page` runs for `search`, its values in it (explained with no parameters)."""
    with CaptureQueriesContext(connection) as queries:
        selectors.patient_search_page(clinic=clinic, search=search, columns=["id"], offset=0, limit=25)
    (query,) = queries.captured_queries
    return query["sql"]


TRIGRAM_INDEXES = ("patient_clinic_first_name_trgm", "patient_clinic_last_name_trgm")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
@pytest.mark.parametrize("term", ["nguy", "Xiong", "ría"])
def test_the_name_filter_of_three_or_more_characters_can_be_answered_by_the_trigram_indexes(clinic, term):
    """Only bitmap scans allowed and no clinic condition: the plan must find the live patients with the name through
    the trigram indexes (it fails if the filter's SQL stops matching the indexed expression UPPER(name), or the
    indexes stop covering the live patients)."""
    PatientFactory.create_batch(3, clinic=clinic)
    live = Patient.objects.filter(archived_at__isnull=True).filter(selectors.name_matches(term))
    sql, params = live.query.sql_with_params()
    plan = _explain(sql, params, bitmaps_only=True)
    for index in TRIGRAM_INDEXES:
        assert f"Bitmap Index Scan on {index}" in plan
    assert plan.count("Index Cond: (upper(") == 2
    sql = _search_query(clinic, f"a {term}")
    assert any(f"Bitmap Index Scan on {index}" in _explain(sql, None, bitmaps_only=True) for index in TRIGRAM_INDEXES)


@pytest.mark.parametrize(("search", "form"), [("ng", "name index"), ("a b", "name index"), ("..._", "name index"),
                                              ("ngu", "table"), ("a ngu", "table"), ("ña5", "table")])  # fmt: skip
def test_the_search_reads_the_table_only_when_a_word_has_a_trigram(clinic, search, form):
    sql = _search_query(clinic, search)
    assert ("JOIN" in sql) == (form == "name index")
    if connection.vendor == "postgresql" and form == "name index":
        assert "Index Only Scan using patient_clinic_name_live" in _explain(sql, None, bitmaps_only=False)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
@pytest.mark.parametrize("words", [1, 2])
def test_no_plan_of_the_name_index_form_can_search_the_names_by_trigram_whatever_its_words(clinic, words):
    """The form is prepared, its plan made once for any words. Even given a word the trigram indexes would answer
    best (a rare long name), with no index left but trigram indexes on the names alone, its plans must not search
    the names through them (fails without the OFFSET 0 fence: the planner then pushes the name conditions down)."""
    PatientFactory.create_batch(3, clinic=clinic, last_name="Ngata")
    Patient.objects.bulk_create(PatientFactory.build_batch(2000, clinic=clinic, last_name="Ruiz", first_name="Eli"))
    sql = selectors._search_sql("postgresql", words, False, ("id", "last_name"))
    numbers = itertools.count(1)
    numbered = re.sub("%s", lambda _: f"${next(numbers)}", sql)
    # EXPLAIN takes no bind parameters: the values written in (constants of this test)
    arguments = ", ".join([f"'{clinic.pk}'::uuid", *["'%NGATA%'"] * (2 * words), "25", "0"])
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks left before the DDL
        cursor.execute("ANALYZE patients_patient")
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'patients_patient' "
                       "AND indexname <> 'patients_patient_pkey'")  # fmt: skip
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        for column in ("first_name", "last_name"):
            cursor.execute(f"CREATE INDEX names_{column} ON patients_patient USING gin (UPPER({column}) gin_trgm_ops)")
        cursor.execute("SET LOCAL enable_seqscan = off")
        types = ["uuid", *["text"] * (2 * words), "bigint", "bigint"]
        cursor.execute(f"PREPARE short_search ({', '.join(types)}) AS {numbered}")
        for mode in ("force_custom_plan", "force_generic_plan"):
            cursor.execute(f"SET LOCAL plan_cache_mode = {mode}")
            cursor.execute(f"EXPLAIN EXECUTE short_search({arguments})")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
        cursor.execute(f"EXECUTE short_search({arguments})")
        found = cursor.fetchall()
        cursor.execute("DEALLOCATE short_search")
        transaction.set_rollback(True)
    for plan in plans:
        assert "names_" not in plan, plan
    assert "InitPlan" in plans[1] and "upper($" not in plans[1]  # each word upper-cased once per run, not per name
    assert len(found) == 3
