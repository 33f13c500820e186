"""ORM rows to engine dataclasses (assessments.mappers): what the engine is given for each charted row."""

from typing import Any

import pytest

from assessments import mappers, selectors, services
from assessments.engine import types as e
from assessments.models import Screening
from tests.factories import VisitFactory


@pytest.mark.parametrize(("side", "engine_side"), [("", None), ("left", "left"), ("midline", "midline")])
def test_a_screen_gives_the_engine_its_side_and_none_when_it_is_not_one_side(side, engine_side):
    row = Screening(rule="SAFE-M-FRACTURE-ANKLE-FOOT", result="positive", detail="Ottawa positive", side=side)
    assert mappers.screening(row) == e.Screening(
        rule="SAFE-M-FRACTURE-ANKLE-FOOT", result="positive", detail="Ottawa positive", side=engine_side
    )


@pytest.mark.django_db
def test_the_engine_input_of_a_visit_carries_each_live_screen_with_its_side(patient, user):
    visit: Any = VisitFactory(patient=patient)
    for side in ("left", "right", ""):
        services.child_create(
            model=Screening,
            visit=visit,
            actor=user,
            data={"rule": "SAFE-M-FRACTURE-ANKLE-FOOT", "result": "negative", "side": side},
        )
    archived = services.child_create(
        model=Screening, visit=visit, actor=user, data={"rule": "SAFE-M-DVT", "result": "positive", "side": "left"}
    )
    services.child_archive(child=archived, actor=user)
    screenings = selectors.engine_input_for_visit(visit=visit).screenings
    assert sorted(((s.rule, s.side) for s in screenings), key=str) == sorted(
        [("SAFE-M-FRACTURE-ANKLE-FOOT", None), ("SAFE-M-FRACTURE-ANKLE-FOOT", "left"),
         ("SAFE-M-FRACTURE-ANKLE-FOOT", "right")], key=str,
    )  # fmt: skip
