"""Favourite sets below the API: the items' vocabulary, the side of the complaint, saving a visit as a set, and
charting a set all or nothing."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from assessments import selectors, services
from assessments.models import Finding, MuscleTest, clean_favourite_items
from clinic.errors import LockedError
from patients.models import Patient
from tests.factories import (
    RUNNERS_KNEE,
    FavouriteSetFactory,
    FindingFactory,
    MuscleTestFactory,
    PainSiteFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


class InjectedFault(Exception):
    pass


@pytest.fixture
def visit(patient):
    return VisitFactory(patient=patient)


@pytest.fixture
def knee(clinic, user):
    return FavouriteSetFactory(clinic=clinic, owner=user)


def test_items_are_normalised_with_every_key_and_nothing_else():
    items = [
        {"kind": "finding", "muscle": "soleus", "side": "left", "location": " belly "},
        {"kind": "finding", "muscle": "gastrocnemius", "side": "complaint"},
        {"kind": "muscle_test", "muscle": "gluteus_medius", "side": "right"},
    ]
    assert clean_favourite_items(items) == [
        {"kind": "finding", "muscle": "soleus", "side": "left", "location": "belly"},
        {"kind": "finding", "muscle": "gastrocnemius", "side": "complaint", "location": ""},
        {"kind": "muscle_test", "muscle": "gluteus_medius", "side": "right", "phase": "pre"},
    ]


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ("soleus", "A list of at least one"),
        ([{"kind": "finding", "muscle": "soleus"}], "Item 1: side must be"),
        ([RUNNERS_KNEE[0], {"kind": "finding", "muscle": 7, "side": "left"}], "Item 2: muscle must be a muscle slug"),
        ([{"kind": "finding", "muscle": "soleus", "side": "left", "location": "x\x00"}], "Item 1: Null characters"),
        ([{"kind": "muscle_test", "muscle": "soleus", "side": "left", "phase": "during"}], "Item 1: phase must be"),
    ],
    ids=["not-a-list", "no-side", "muscle-not-text", "nul-in-location", "bad-phase"],
)
def test_bad_items_name_their_position(items, message):
    with pytest.raises(ValidationError) as caught:
        clean_favourite_items(items)
    assert any(message in m for m in caught.value.message_dict["items"]), caught.value.message_dict


@pytest.mark.parametrize(
    ("sites", "side"),
    [
        ([("left", False), ("right", True)], "right"),
        ([("left", False), ("left", False)], "left"),
        ([("left", False), ("right", False)], ""),
        ([], ""),
    ],
    ids=["primary", "all-one-side", "mixed-sides", "no-pain-site"],
)
def test_the_side_of_the_complaint_is_the_primary_pain_sites(visit, sites, side):
    for number, (site_side, primary) in enumerate(sites):
        zone = ("lateral_knee", "plantar_heel")[number]
        PainSiteFactory(visit=visit, zone=zone, side=site_side, primary=primary)
    assert selectors.complaint_side(visit=visit) == side


def test_the_proposal_resolves_the_complaint_side_and_keeps_a_set_side(visit, clinic, user):
    PainSiteFactory(visit=visit, zone="lateral_knee", side="right")
    items = [RUNNERS_KNEE[0], {"kind": "muscle_test", "muscle": "gluteus_medius", "side": "left", "phase": "post"}]
    favourite: Any = FavouriteSetFactory(clinic=clinic, owner=user, items=items)
    proposal = selectors.favourite_proposal(visit=visit, favourite=favourite)
    assert [(p.number, p.muscle, p.side, p.set_side) for p in proposal] == [
        (1, "vastus_lateralis", "right", "complaint"),
        (2, "gluteus_medius", "left", "left"),
    ]
    assert proposal[1].defaults() == {"muscle": "gluteus_medius", "side": "left", "phase": "post"}


def test_save_a_visit_as_a_set_keeps_muscles_and_sides_never_values(visit, user, patient):
    PainSiteFactory(visit=visit, zone="lateral_knee", side="right", primary=True)
    FindingFactory(visit=visit, muscle="vastus_lateralis", side="right", location="distal", tenderness=8)
    FindingFactory(visit=visit, muscle="soleus", side="left", tenderness=3)
    MuscleTestFactory(visit=visit, muscle="gluteus_medius", side="right", phase="post", result="facilitated")
    stamp = Patient.objects.get(pk=patient.pk).data_version
    favourite = services.favourite_create_from_visit(visit=visit, actor=user, name="Knee", shared=True)
    assert (favourite.name, favourite.shared, favourite.owner, favourite.clinic_id) == (
        "Knee", True, user, visit.clinic_id)  # fmt: skip
    assert favourite.items == [
        {"kind": "finding", "muscle": "vastus_lateralis", "side": "complaint", "location": "distal"},
        {"kind": "finding", "muscle": "soleus", "side": "left", "location": ""},
        {"kind": "muscle_test", "muscle": "gluteus_medius", "side": "complaint", "phase": "post"},
    ]
    assert Patient.objects.get(pk=patient.pk).data_version == stamp
    as_charted = services.favourite_create_from_visit(visit=visit, actor=user, name="As charted", complaint_side=False)
    assert [item["side"] for item in as_charted.items] == ["right", "left", "right"]


def test_a_visit_without_findings_or_tests_cannot_be_saved_as_a_set(visit, user):
    with pytest.raises(ValidationError, match="no findings or muscle tests"):
        services.favourite_create_from_visit(visit=visit, actor=user, name="Empty")


def test_a_signed_visit_can_still_be_saved_as_a_set(visit, user):
    FindingFactory(visit=visit)
    services.visit_sign(visit=visit, actor=user)
    assert len(services.favourite_create_from_visit(visit=visit, actor=user, name="From signed").items) == 1


ROWS: list[dict[str, Any] | None] = [
    {"side": "right", "tenderness": 6},
    {"side": "right", "tenderness": 0},
    None,
    {"side": "left", "tenderness": 3},
    {"side": "right", "result": "normal"},
]


def test_chart_from_a_set_saves_every_row_under_one_lock(visit, user, knee):
    findings, tests = services.favourite_chart(visit=visit, favourite=knee, actor=user, rows=ROWS)
    assert [(f.muscle, f.side, f.tenderness) for f in findings] == [
        ("vastus_lateralis", "right", 6), ("tensor_fasciae_latae", "right", 0), ("soleus", "left", 3)]  # fmt: skip
    assert [(t.muscle, t.result, t.created_by) for t in tests] == [("gluteus_medius", "normal", user)]


def test_a_finding_row_without_its_tenderness_saves_nothing(visit, user, knee):
    rows: list[dict[str, Any] | None] = [{"side": "right", "tenderness": 6}, {"side": "right"}, None, None, None]
    with pytest.raises(services.RowsInvalid):
        services.favourite_chart(visit=visit, favourite=knee, actor=user, rows=rows)
    assert not visit.findings.exists()


def test_the_muscle_always_comes_from_the_set(visit, user, knee):
    rows: list[dict[str, Any] | None] = [{**(ROWS[0] or {}), "muscle": "masseter"}, None, None, None, None]
    findings, _ = services.favourite_chart(visit=visit, favourite=knee, actor=user, rows=rows)
    assert [f.muscle for f in findings] == ["vastus_lateralis"]


@pytest.mark.parametrize("failing_call", [2, 4], ids=["second-row", "test-after-findings"])
def test_a_fault_after_the_first_row_saves_nothing(monkeypatch, visit, user, knee, failing_call):
    real = getattr(services, "_save_unique")
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == failing_call:
            raise InjectedFault
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_save_unique", failing)
    with pytest.raises(InjectedFault):
        services.favourite_chart(visit=visit, favourite=knee, actor=user, rows=ROWS)
    assert calls["n"] == failing_call
    assert not Finding.objects.filter(visit=visit).exists() and not MuscleTest.objects.filter(visit=visit).exists()


def test_bad_rows_are_named_one_entry_per_row_and_nothing_is_saved(visit, user, knee):
    rows: list[dict[str, Any] | None] = [
        ROWS[0],
        {"side": "right", "tenderness": 12},
        None,
        {"side": "up", "tenderness": 4},
        {"side": "right"},
    ]
    with pytest.raises(services.RowsInvalid) as caught:
        services.favourite_chart(visit=visit, favourite=knee, actor=user, rows=rows)
    assert [sorted(errors) for errors in caught.value.rows] == [[], ["tenderness"], [], ["side"], ["result"]]
    assert "Row 2: tenderness:" in caught.value.message_dict["rows"][0]
    assert not Finding.objects.filter(visit=visit).exists()


def test_charting_a_set_on_a_signed_visit_is_refused(visit, user, knee):
    services.visit_sign(visit=visit, actor=user)
    with pytest.raises(LockedError):
        services.favourite_chart(visit=visit, favourite=knee, actor=user, rows=ROWS)
    assert not Finding.objects.filter(visit=visit).exists()


def test_another_clinics_set_is_refused_by_the_service_too(visit, user, other_clinic):
    foreign: Any = FavouriteSetFactory(clinic=other_clinic, owner=user)
    with pytest.raises(ValidationError, match="not of this visit's clinic"):
        services.favourite_chart(visit=visit, favourite=foreign, actor=user, rows=ROWS)
