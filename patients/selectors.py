"""Reads for patients, stressors and injuries, always narrowed to the acting clinic; archived records excluded."""

import functools
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Q, QuerySet
from django.http import Http404

from clinic import rows
from clinic.db import planned_for_their_values, planned_once
from clinic.models import Clinic
from clinic.selectors import get_or_404, uuid_or_404
from patients.models import Injury, Patient, Stressor


def patient_list(*, clinic: Clinic, search: str | None = None) -> QuerySet[Patient]:
    patients = Patient.objects.for_clinic(clinic).filter(archived_at__isnull=True)
    for term in search_terms(search):
        patients = patients.filter(name_matches(term))
    return patients.order_by("last_name", "first_name", "id")


def search_terms(search: str | None) -> list[str]:
    """The words of a name search (at most five; NUL cannot appear in a PostgreSQL query, nobody types it)."""
    return (search or "").replace("\x00", "").split()[:5]


def patient_search_page(
    *, clinic: Clinic, search: str, columns: Sequence[str], offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of ``patient_list(clinic=..., search=...)`` as ``.values(*columns)`` rows, and the number of matches.

    One query, written once per process for each number of words, form and columns (clinic.rows). When a word has
    three letters or digits in a row, the clinic's trigram indexes find its few matches: the rows are read with them
    (``_search_sql``'s table form). Otherwise the page is chosen from the clinic's live-name index alone (its
    entries carry the names, so PostgreSQL filters and counts them without reading the table, in list order) and
    only the page's rows are read (the index form). The ORM's version of the same read compiled for longer than
    PostgreSQL ran it, and read every patient of the clinic whose name it tested.

    Planning the search cost PostgreSQL a third of running it. When every word has a trigram, or none has, the
    best plan does not depend on the words (the index form cannot use the trigram indexes at all), so the query is
    prepared like the lookups (``clinic.db.planned_once``); a search mixing both kinds is planned for its words.
    """
    terms = search_terms(search)
    wrapper = connections[DEFAULT_DB_ALIAS]
    table = _search_table(tuple(columns))
    params: list[Any] = [table.value("clinic", clinic.pk)]
    for term in terms:
        pattern = f"%{wrapper.ops.prep_for_like_query(term)}%"
        params += [pattern, pattern]
    trigrams = {bool(_TRIGRAM.search(term)) for term in terms}
    sql = _search_sql(wrapper.vendor, len(terms), True in trigrams, tuple(columns))
    planning = planned_once() if len(trigrams) <= 1 else planned_for_their_values()  # one kind of word: one plan
    with planning, wrapper.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        found = cursor.fetchall()
    if not found:
        return [], 0
    width = len(columns)
    page = [dict(zip(columns, table.convert(list(raw[:width]), wrapper), strict=True)) for raw in found]
    return page, int(found[0][-1])


_TRIGRAM = re.compile(r"[^\W_]{3}")  # what pg_trgm makes a trigram of: three letters or digits in a row


@functools.cache
def _search_table(columns: tuple[str, ...]) -> rows.Table:
    return rows.Table(Patient, "p", only=columns)


@functools.cache
def _search_sql(vendor: str, terms: int, indexed: bool, columns: tuple[str, ...]) -> str:
    """The search of `terms` words; each word matches the first or the last name as the ORM's `icontains` does on
    this backend. `indexed`: the rows of the matches, which the trigram indexes find (patients/migrations/0004);
    else the page of ids (with the count of all matches) from the name index, then its rows. On PostgreSQL the
    index form reads the clinic's names through a subquery the planner cannot push the name conditions into
    (OFFSET 0), so that no plan of it can use the trigram indexes, whatever the words, and upper-cases each word
    once per run."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    assert wrapper.vendor == vendor
    quote = wrapper.ops.quote_name
    table = _search_table(columns)

    def contains(alias: str, column: str) -> str:
        field = cast("Field[Any, Any]", Patient._meta.get_field(column))
        lhs = wrapper.ops.lookup_cast("icontains", field.get_internal_type()) % f"{alias}.{quote(column)}"
        operator = wrapper.operators["icontains"] % "%s"  # "LIKE UPPER(%s)" on PostgreSQL
        if vendor == "postgresql" and not indexed:
            # the pattern's side as a subquery: computed once per run (an InitPlan), where a prepared statement's
            # generic plan would compute UPPER(pattern) again for every name it tests
            keyword, pattern = operator.split(" ", 1)
            return f"{lhs} {keyword} (SELECT {pattern})"
        return f"{lhs} {operator}"

    def live(alias: str) -> str:
        return f"{alias}.{quote('clinic_id')} = %s AND {alias}.{quote('archived_at')} IS NULL"

    def names(alias: str) -> str:
        return " AND ".join(
            f"({contains(alias, 'first_name')} OR {contains(alias, 'last_name')})" for _ in range(terms)
        )

    def where(alias: str) -> str:
        return " AND ".join(filter(None, [live(alias), names(alias)]))

    patients = quote(Patient._meta.db_table)
    last, first, pk = quote("last_name"), quote("first_name"), quote("id")  # patient_list's order
    # Identifiers from the model's metadata and the backend's own lookup SQL; every value is a parameter.
    if indexed:
        return (
            f"SELECT {table.columns()}, COUNT(*) OVER () AS total FROM {patients} p "  # noqa: S608
            f"WHERE {where('p')} ORDER BY p.{last}, p.{first}, p.{pk} LIMIT %s OFFSET %s"
        )
    if vendor == "postgresql":
        source = (
            f"(SELECT c.{pk}, c.{last}, c.{first} FROM {patients} c WHERE {live('c')} "  # noqa: S608
            f"ORDER BY c.{last}, c.{first}, c.{pk} OFFSET 0) n"
        )
        condition = names("n") or "TRUE"
    else:
        source, condition = f"{patients} n", where("n")
    return (
        f"SELECT {table.columns()}, page.total FROM ("  # noqa: S608
        f"SELECT n.{pk}, n.{last}, n.{first}, COUNT(*) OVER () AS total "
        f"FROM {source} WHERE {condition} "
        f"ORDER BY n.{last}, n.{first}, n.{pk} LIMIT %s OFFSET %s"
        f") page JOIN {patients} p ON p.{pk} = page.{pk} "
        f"ORDER BY page.{last}, page.{first}, page.{pk}"
    )


def name_matches(term: str) -> Q:
    """First or last name contains `term`, any case (UPPER(name) LIKE, which the trigram indexes answer)."""
    return Q(first_name__icontains=term) | Q(last_name__icontains=term)


_PATIENT_GET = rows.Query(
    [rows.Table(Patient, "p")],
    lambda p: (
        f"FROM {p.source} WHERE {p.column('id')} = %s AND {p.column('clinic')} = %s "
        f"AND {p.column('archived_at')} IS NULL"
    ),
)


def patient_get(*, clinic: Clinic, patient_id: uuid.UUID | str) -> Patient:
    """The clinic's live patient, or 404 exactly as if it did not exist (another clinic's patient included).

    Every patient read and write starts here: one hand-written query (clinic.rows).
    """
    (p,) = _PATIENT_GET.tables
    found = _PATIENT_GET.rows([p.value("id", uuid_or_404(patient_id)), p.value("clinic", clinic.pk)])
    if not found:
        raise Http404("Not found.")
    return cast(Patient, found[0][0])


def stressor_list(*, patient: Patient) -> QuerySet[Stressor]:
    return Stressor.objects.for_clinic_id(patient.clinic_id).filter(patient=patient, archived_at__isnull=True)


def stressor_queryset(*, clinic: Clinic) -> QuerySet[Stressor]:
    """The clinic's live stressors (of live patients), for lookups by id."""
    return Stressor.objects.for_clinic(clinic).filter(archived_at__isnull=True, patient__archived_at__isnull=True)


def stressor_get(*, clinic: Clinic, stressor_id: uuid.UUID | str) -> Stressor:
    return get_or_404(stressor_queryset(clinic=clinic), stressor_id)


def injury_list(*, patient: Patient) -> QuerySet[Injury]:
    return Injury.objects.for_clinic_id(patient.clinic_id).filter(patient=patient, archived_at__isnull=True)


def injury_queryset(*, clinic: Clinic) -> QuerySet[Injury]:
    """The clinic's live old injuries (of live patients), for lookups by id."""
    return Injury.objects.for_clinic(clinic).filter(archived_at__isnull=True, patient__archived_at__isnull=True)


def injury_get(*, clinic: Clinic, injury_id: uuid.UUID | str) -> Injury:
    return get_or_404(injury_queryset(clinic=clinic), injury_id)


@dataclass(frozen=True)
class PatientChart:
    """Everything the patient page shows, fetched in a fixed number of queries."""

    patient: Patient
    stressors: list[Stressor]
    injuries: list[Injury]


def patient_chart_of(patient: Patient) -> PatientChart:
    """The chart of a patient already read (and scoped) by the caller."""
    return PatientChart(
        patient=patient,
        stressors=list(stressor_list(patient=patient)),
        injuries=list(injury_list(patient=patient)),
    )
