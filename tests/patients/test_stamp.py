"""Every write to a patient's clinical data raises their data stamp (Patient.data_version).

Computed reads are cached under the stamp (assessments/cache.py); a write path that forgets it would serve stale
clinical reasoning. `test_every_write_service_has_a_stamp_case` fails when a service is added without a case here.
"""

import datetime
import inspect
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from assessments import services as visit_services
from assessments.models import MuscleTest, Outcome, PainSite, Screening
from clinic.errors import LockedError
from patients import services as patient_services
from patients.models import Patient
from tests.factories import (
    FavouriteSetFactory,
    FindingFactory,
    InjuryFactory,
    PainSiteFactory,
    StressorFactory,
    TreatmentFactory,
    VisitFactory,
)

EXEMPT = {
    "patient_create": "a patient who did not exist has nothing cached",
    "lock_draft": "the lock point itself: every child and plan write below goes through it",
    "document_issued": "records that a document was handed out; changes no clinical data",
    "favourite_create": "a favourite set names muscles and sides, no patient (not chart data)",
    "favourite_update": "a favourite set names muscles and sides, no patient (not chart data)",
    "favourite_delete": "a favourite set names muscles and sides, no patient (not chart data)",
    "favourite_create_from_visit": "reads the visit's findings into a new set; changes no chart data",
}


def _made(factory: Any, **fields: Any) -> Any:
    """A factory's model instance (typed as such for mypy)."""
    return factory(**fields)


def _visit(patient, **kwargs):
    return _made(VisitFactory, patient=patient, **kwargs)


def _planned(patient, user):
    visit = _visit(patient)
    PainSiteFactory(visit=visit)
    FindingFactory(visit=visit)
    return visit_services.plan_build(visit=visit, actor=user)


def _case(p, u, name):
    """Prepare the objects a write needs (factories write no stamp), then return the write under test."""
    ps, vs = patient_services, visit_services
    if name == "patient_update":
        return lambda: ps.patient_update(patient=p, actor=u, changes={"occupation": "Nurse"}, expected_version=None)
    if name == "patient_archive":
        return lambda: ps.patient_archive(patient=p, actor=u)
    if name == "stressor_create":
        return lambda: ps.stressor_create(patient=p, actor=u, data={"kind": "footwear", "severity": 2})
    if name.startswith("stressor_"):
        stressor = _made(StressorFactory, patient=p)
        if name == "stressor_update":
            return lambda: ps.stressor_update(
                stressor=stressor, actor=u, changes={"severity": 3}, expected_version=None
            )
        if name == "stressor_resolve":
            on = datetime.date(2026, 1, 1)
            return lambda: ps.stressor_resolve(stressor=stressor, actor=u, on=on, expected_version=None)
        return lambda: ps.stressor_archive(stressor=stressor, actor=u)
    if name == "injury_create":
        return lambda: ps.injury_create(patient=p, actor=u, data={"zone": "posterior_shoulder", "side": "left"})
    if name.startswith("injury_"):
        injury = _made(InjuryFactory, patient=p)
        if name == "injury_update":
            painful = {"painful_now": True}
            return lambda: ps.injury_update(injury=injury, actor=u, changes=painful, expected_version=None)
        return lambda: ps.injury_archive(injury=injury, actor=u)
    if name == "treatment_create":
        return lambda: ps.treatment_create(patient=p, actor=u, data={"kind": "self_rolling", "frequency": "daily"})
    if name.startswith("treatment_"):
        treatment = _made(TreatmentFactory, patient=p)
        if name == "treatment_update":
            better = {"response": "better"}
            return lambda: ps.treatment_update(treatment=treatment, actor=u, changes=better, expected_version=None)
        return lambda: ps.treatment_archive(treatment=treatment, actor=u)
    if name == "history_save":
        visit = _visit(p)
        return lambda: vs.history_save(visit=visit, actor=u, changes={"course": "worse"}, expected_version=None)
    if name == "visit_create":
        return lambda: vs.visit_create(patient=p, actor=u, data={"kind": "initial"})
    if name.startswith("plan_"):
        if name == "plan_build":
            visit = _visit(p)
            PainSiteFactory(visit=visit)
            FindingFactory(visit=visit)
            return lambda: vs.plan_build(visit=visit, actor=u)
        plan = _planned(p, u)
        if name == "plan_edit":
            on = datetime.date(2026, 12, 1)
            return lambda: vs.plan_edit(plan=plan, actor=u, steps=None, follow_up_on=on, expected_version=None)
        if name == "plan_step_add":
            MuscleTest.objects.create(
                clinic=plan.clinic, visit=plan.visit, muscle="gluteus_medius", side="right", result="normal"
            )
            return lambda: vs.plan_step_add(
                plan=plan, actor=u, muscle="gluteus_medius", side="right", reason="Weak.", expected_version=None
            )
        return lambda: vs.plan_confirm(plan=plan, actor=u)
    visit = _visit(p, status="signed") if name == "addendum_create" else _visit(p)
    if name == "visit_update":
        changes = {"chief_complaint": "Calf pain"}
        return lambda: vs.visit_update(visit=visit, actor=u, changes=changes, expected_version=None)
    if name == "visit_sign":
        return lambda: vs.visit_sign(visit=visit, actor=u)
    if name == "addendum_create":
        return lambda: vs.addendum_create(visit=visit, actor=u, text="Phoned: better.")
    if name == "child_create":
        return lambda: vs.child_create(model=Outcome, visit=visit, actor=u, data={"measure": "nprs", "value": 5})
    if name == "screen_reconfirm":
        earlier = _visit(p, date=visit.date - datetime.timedelta(days=7))
        Screening.objects.create(clinic=p.clinic, visit=earlier, rule="SAFE-M-DVT", side="left", result="negative")
        return lambda: vs.screen_reconfirm(visit=visit, actor=u, rule="SAFE-M-DVT", side="left")
    if name == "children_create":
        rows = [{"rule": "SAFE-M-DVT", "result": "negative"}]
        return lambda: vs.children_create(model=Screening, visit=visit, actor=u, rows=rows)
    if name == "child_update":
        finding = _made(FindingFactory, visit=visit)
        return lambda: vs.child_update(child=finding, actor=u, changes={"tenderness": 2}, expected_version=None)
    if name == "child_archive":
        site = _made(PainSiteFactory, visit=visit)
        return lambda: vs.child_archive(child=site, actor=u)
    if name == "child_restore":
        removed = _made(PainSiteFactory, visit=visit, archived_at=datetime.datetime.now(datetime.UTC))
        return lambda: vs.child_restore(child=removed, actor=u)
    if name == "referral_letter_update":
        Screening.objects.create(clinic=visit.clinic, visit=visit, rule="SAFE-M-DVT", side="left", result="positive")
        changes = {"body": "Please see her today."}
        return lambda: vs.referral_letter_update(visit=visit, actor=u, changes=changes, expected_version=None)
    if name == "favourite_chart":
        favourite = _made(FavouriteSetFactory, clinic=p.clinic, owner=u)
        favourite_rows: list[dict[str, Any] | None] = [
            {"side": "left", "tenderness": 3}, None, None, None, {"side": "left", "result": "normal"}
        ]  # fmt: skip
        return lambda: vs.favourite_chart(visit=visit, favourite=favourite, actor=u, rows=favourite_rows)
    if name == "carry_forward":
        findings = [{"muscle": "soleus", "side": "left", "tenderness": 5}]
        tests = [{"muscle": "soleus", "side": "left", "phase": "pre", "result": "inhibited"}]
        return lambda: vs.carry_forward(visit=visit, actor=u, findings=findings, muscle_tests=tests)
    raise AssertionError(f"No stamp case for the write service {name}.")


CASES = sorted(
    {
        "patient_update", "patient_archive", "stressor_create", "stressor_update", "stressor_resolve",
        "stressor_archive", "injury_create", "injury_update", "injury_archive", "visit_create", "visit_update",
        "visit_sign", "addendum_create", "child_create", "children_create", "child_update", "child_archive",
        "child_restore", "carry_forward", "screen_reconfirm", "favourite_chart", "plan_build", "plan_edit",
        "plan_confirm", "plan_step_add", "referral_letter_update", "treatment_create", "treatment_update",
        "treatment_archive", "history_save",
    }
)  # fmt: skip


def _public_services() -> set[str]:
    names = set()
    for module in (patient_services, visit_services):
        for name, value in vars(module).items():
            if inspect.isfunction(value) and value.__module__ == module.__name__ and not name.startswith("_"):
                names.add(name)
    return names


def test_every_write_service_has_a_stamp_case():
    assert _public_services() == set(CASES) | set(EXEMPT)


@pytest.mark.parametrize("name", sorted(CASES))
def test_write_service_raises_the_patients_data_stamp(name, patient, user):
    write = _case(patient, user, name)
    before = Patient.objects.get(pk=patient.pk).data_version
    write()
    assert Patient.objects.get(pk=patient.pk).data_version > before


def test_a_refused_write_leaves_the_stamp_alone(patient, user):
    """The stamp moves with the write's transaction: a write refused after the lock (a value out of range, a signed
    visit) leaves it where it was."""
    before = Patient.objects.get(pk=patient.pk).data_version
    with pytest.raises(ValidationError):
        visit_services.child_create(
            model=Outcome, visit=_visit(patient), actor=user, data={"measure": "nprs", "value": 99}
        )
    with pytest.raises(LockedError):
        visit_services.child_create(
            model=PainSite, visit=_visit(patient, status="signed"), actor=user, data={"zone": "plantar_heel"}
        )
    assert Patient.objects.get(pk=patient.pk).data_version == before


def test_another_patients_writes_leave_the_stamp_alone(patient, user, clinic):
    other = Patient.objects.create(clinic=clinic, first_name="Ann", last_name="Other")
    before = Patient.objects.get(pk=patient.pk).data_version
    visit_services.child_create(
        model=MuscleTest,
        visit=_visit(other),
        actor=user,
        data={"muscle": "soleus", "side": "left", "phase": "pre", "result": "inhibited"},
    )
    assert Patient.objects.get(pk=patient.pk).data_version == before
