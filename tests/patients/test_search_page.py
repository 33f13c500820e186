"""The name search (patients.selectors.patient_list): each word found in the first or last name, in any case."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patients.models import Patient
from patients.selectors import patient_list
from tests.factories import ClinicFactory, PatientFactory

pytestmark = pytest.mark.django_db

NAMES = ["Ngata", "NGATA", "ngaio", "Smith", "Smyth", "O'Neil", "50%_off", "back\\slash", "María", "Zoë", "Ann Lee"]


@pytest.fixture
def clinic():
    clinic = ClinicFactory()
    for index, last in enumerate(NAMES):
        PatientFactory(clinic=clinic, first_name=NAMES[(index * 7) % len(NAMES)], last_name=last)
    archived = PatientFactory(clinic=clinic, first_name="Ngata", last_name="Archived")
    Patient.objects.filter(pk=archived.pk).update(archived_at=archived.created_at)
    PatientFactory(clinic=ClinicFactory(), first_name="Ngata", last_name="Elsewhere")  # another clinic's
    return clinic


def names(clinic, search):
    return {f"{p.first_name} {p.last_name}" for p in patient_list(clinic=clinic, search=search)}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("ngat", {"Ngata Ngata", "back\\slash NGATA", "NGATA María"}),  # part of a name, any case
        ("NGA", {"Ngata Ngata", "back\\slash NGATA", "NGATA María", "Smith ngaio", "ngaio O'Neil"}),
        ("ría", {"NGATA María", "María Zoë"}),  # accented letters are letters
        ("zoë", {"Zoë 50%_off", "María Zoë"}),
        ("nga mar", {"NGATA María"}),  # every word, in the first or the last name
        ("ann lee", {"Ann Lee Smith", "Smyth Ann Lee"}),
        ("o'n", {"ngaio O'Neil", "O'Neil back\\slash"}),
        ("50%", {"50%_off Smyth", "Zoë 50%_off"}),  # % and _ are letters, not wildcards
        ("%_o", {"50%_off Smyth", "Zoë 50%_off"}),
        ("k\\s", {"O'Neil back\\slash", "back\\slash NGATA"}),
        ("nobody", set()),
    ],
)
def test_the_search_finds_the_clinics_live_patients_by_part_of_their_names(clinic, search, expected):
    assert names(clinic, search) == expected


def test_the_search_keeps_list_order(clinic):
    found = list(patient_list(clinic=clinic, search="a"))
    assert found == sorted(found, key=lambda p: (p.last_name, p.first_name, str(p.pk)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(search=st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=12))
def test_any_typed_search_answers_a_page(clinic, api, search):
    response = api.get("/api/v1/patients/", {"search": search})
    assert response.status_code == 200
    assert response.json()["count"] == len(patient_list(clinic=clinic, search=search))
