"""patients.selectors.patient_search_page: the page and count of the ORM's name search, in one hand-written query."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic.api.fields import sources
from patients.api.serializers import PatientSerializer
from patients.models import Patient
from patients.selectors import patient_list, patient_search_page
from tests.factories import ClinicFactory, PatientFactory

pytestmark = pytest.mark.django_db

COLUMNS = sources(PatientSerializer)
NAMES = ["Ngata", "NGATA", "ngaio", "Smith", "Smyth", "O'Neil", "50%_off", "back\\slash", "Łukasz", "Zoë", "Ann Lee"]


def orm_page(clinic, search, offset, limit):
    found = patient_list(clinic=clinic, search=search).values(*COLUMNS)
    return list(found[offset : offset + limit]), found.count()


@pytest.fixture
def clinic():
    clinic = ClinicFactory()
    for index, last in enumerate(NAMES * 3):
        PatientFactory(clinic=clinic, first_name=NAMES[(index * 7) % len(NAMES)], last_name=last)
    archived = PatientFactory(clinic=clinic, first_name="Ngata", last_name="Archived")
    Patient.objects.filter(pk=archived.pk).update(archived_at=archived.created_at)
    PatientFactory(clinic=ClinicFactory(), first_name="Ngata", last_name="Elsewhere")  # another clinic's
    return clinic


@pytest.mark.parametrize(
    "search",
    ["ng", "NG", "nga smi", "a", "%", "_", "\\", "50%", "%_o", "łu", "zoë", "o'n", "ann lee", "nobody", "a b c d e f"],
)
@pytest.mark.parametrize(("offset", "limit"), [(0, 25), (0, 4), (4, 4), (30, 25)])
def test_the_page_and_count_are_the_orms(clinic, search, offset, limit):
    page, total = patient_search_page(clinic=clinic, search=search, columns=COLUMNS, offset=offset, limit=limit)
    expected, count = orm_page(clinic, search, offset, limit)
    assert page == expected
    assert total == (count if expected else 0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(search=st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=12))
def test_any_typed_search_finds_what_the_orm_finds(clinic, search):
    page, total = patient_search_page(clinic=clinic, search=search, columns=COLUMNS, offset=0, limit=100)
    expected, count = orm_page(clinic, search, 0, 100)
    assert page == expected and total == (count if expected else 0)


def test_the_rows_hold_the_columns_asked_for_as_the_orm_gives_them(clinic):
    page, _ = patient_search_page(clinic=clinic, search="smith", columns=["id", "last_name"], offset=0, limit=2)
    assert page == list(patient_list(clinic=clinic, search="smith").values("id", "last_name")[:2])
    assert all(set(row) == {"id", "last_name"} for row in page)
