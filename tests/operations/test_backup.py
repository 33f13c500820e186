"""Backup and restore of one clinic: export, remove, import, and find identical counts and content checksums."""

import datetime
import json
import stat

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from assessments import services as visits
from assessments.models import (
    DocumentIssue,
    Finding,
    MuscleTest,
    Outcome,
    PainSite,
    Screening,
    TreatmentPlan,
    Visit,
)
from clinic.models import Clinic, Membership, Role
from operations import backup
from patients import services as people
from patients.models import Patient
from tests.factories import MembershipFactory, PatientFactory, VisitFactory

pytestmark = pytest.mark.django_db


def chart(visit, actor):
    visits.child_create(
        model=PainSite,
        visit=visit,
        actor=actor,
        data={"zone": "plantar_heel", "side": "left", "nprs": 6, "primary": True},
    )
    visits.child_create(
        model=Finding,
        visit=visit,
        actor=actor,
        data={
            "muscle": "soleus",
            "side": "left",
            "location": "belly",
            "tenderness": 7,
            "taut_band": True,
            "referral_zones": ["plantar_heel", "calf"],
            "recognized": True,
            "status": "active",
            "notes": "Zoë: “sharp” ✓",
        },
    )
    gone = visits.child_create(
        model=Finding, visit=visit, actor=actor, data={"muscle": "gastrocnemius", "side": "left", "tenderness": 2}
    )
    visits.child_archive(child=gone, actor=actor)
    visits.child_create(
        model=MuscleTest,
        visit=visit,
        actor=actor,
        data={"muscle": "gluteus_medius", "side": "left", "phase": "pre", "result": "inhibited"},
    )
    visits.child_create(model=Outcome, visit=visit, actor=actor, data={"measure": "ppt", "value": 3.35})
    visits.child_create(model=Screening, visit=visit, actor=actor, data={"rule": "SAFE-M-DVT", "result": "negative"})
    visits.child_create(
        model=Screening,
        visit=visit,
        actor=actor,
        data={"rule": "SAFE-M-FRACTURE-ANKLE-FOOT", "side": "left", "result": "negative", "detail": "Ottawa negative"},
    )


@pytest.fixture(autouse=True)
def exports_leave_no_audit_event(request, monkeypatch):
    """The round trips delete the clinic to import it again, which the (append-only, protecting) audit trail would
    refuse; auditing of exports has its own test below."""
    if "audit" not in request.node.name:
        monkeypatch.setattr("operations.management.commands.clinic_export._audit_export", lambda **kwargs: None)


@pytest.fixture
def seeded(clinic, user, other_clinic):
    """A clinic with every kind of record: members, patients, stressors, injuries, visits with every child type, an
    archived finding, a confirmed plan, a signed visit with an addendum, a document issued. Another clinic too."""
    assistant = User.objects.create_user("ada.assistant", password="another-horse-battery")
    MembershipFactory(clinic=clinic, role=Role.ASSISTANT, user=assistant)
    maria = people.patient_create(
        clinic=clinic,
        actor=user,
        data={
            "first_name": "María",
            "last_name": "López-李",
            "date_of_birth": datetime.date(1980, 5, 17),
            "sex": "female",
            "email": "maria@example.org",
            "notes": "Line one\nline two",
        },
    )
    tom = people.patient_create(clinic=clinic, actor=assistant, data={"first_name": "Tom", "last_name": "Archer"})
    people.patient_archive(patient=tom, actor=user)
    people.stressor_create(patient=maria, actor=user, data={"kind": "footwear", "severity": 3, "detail": "New shoes"})
    people.stressor_create(patient=maria, actor=user, data={"kind": "poor_sleep", "onset": datetime.date(2026, 1, 2)})
    people.injury_create(
        patient=maria,
        actor=user,
        data={"zone": "lateral_knee", "side": "right", "occurred_on": datetime.date(2015, 3, 1)},
    )
    first = visits.visit_create(
        patient=maria, actor=user, data={"date": datetime.date(2026, 10, 1), "chief_complaint": "Heel pain"}
    )
    chart(first, user)
    plan = visits.plan_build(visit=first, actor=user)
    visits.plan_confirm(plan=plan, actor=user)
    visits.visit_sign(visit=first, actor=user)
    visits.addendum_create(visit=first, actor=assistant, text="Phoned: better.")
    visits.document_issued(visit=first, patient=maria, kind="home_care", actor=user, size=12345)
    second = visits.visit_create(
        patient=maria, actor=user, data={"date": datetime.date(2026, 11, 1), "kind": "follow_up"}
    )
    chart(second, user)
    visits.visit_update(visit=second, actor=user, changes={"notes": "edited once"}, expected_version=1)
    foreign = PatientFactory(clinic=other_clinic)
    VisitFactory(patient=foreign)
    return clinic


def remove_clinic(clinic_id):
    """Test-only: delete one clinic's rows in reverse dependency order, then its users and the clinic."""
    users = set(Membership.objects.filter(clinic_id=clinic_id).values_list("user_id", flat=True))
    users |= set(Visit.objects.filter(clinic_id=clinic_id).values_list("created_by_id", flat=True))
    for _, model in reversed(backup.MODEL_TABLES[1:]):
        model._base_manager.filter(clinic_id=clinic_id).delete()
    get_user_model().objects.filter(pk__in=users - {None}).delete()
    Clinic.objects.filter(pk=clinic_id).delete()


def test_export_then_import_restores_identical_counts_and_checksums(seeded, other_clinic, tmp_path):
    before = backup.clinic_digest(seeded.pk)
    assert all(before.counts[name] > 0 for name in backup.TABLE_NAMES), before.counts  # every table is exercised
    stamps = list(Visit.objects.filter(clinic=seeded).order_by("pk").values_list("pk", "created_at", "updated_at"))
    foreign_before = backup.clinic_digest(other_clinic.pk)
    path = tmp_path / "clinic.json"

    call_command("clinic_export", clinic=seeded.name, output=str(path))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["checksum"] == before.checksum and document["counts"] == before.counts
    assert document["catalog_release"] and document["includes_password_hashes"] is False
    assert "password" not in document["tables"]["users"][0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    remove_clinic(seeded.pk)
    assert backup.clinic_digest(seeded.pk).counts["patients"] == 0
    call_command("clinic_import", str(path))

    after = backup.clinic_digest(seeded.pk)
    assert (after.counts, after.tables, after.checksum) == (before.counts, before.tables, before.checksum)
    assert list(Visit.objects.filter(clinic=seeded).order_by("pk").values_list("pk", "created_at", "updated_at")) == (
        stamps
    )
    signed = Visit.objects.get(clinic=seeded, status="signed")
    assert signed.signed_by.username == "pat.practitioner" and signed.signed_at is not None
    assert signed.addenda.get().text == "Phoned: better."
    assert TreatmentPlan.objects.get(visit=signed).confirmed
    assert Finding.objects.filter(clinic=seeded, archived_at__isnull=False).count() == 2
    assert DocumentIssue.objects.get(clinic=seeded).size_bytes == 12345
    assert Outcome.objects.filter(clinic=seeded, measure="ppt").first().value == 3.35
    assert sorted(Screening.objects.filter(clinic=seeded).values_list("rule", "side")) == [
        ("SAFE-M-DVT", ""), ("SAFE-M-DVT", ""), ("SAFE-M-FRACTURE-ANKLE-FOOT", "left"),
        ("SAFE-M-FRACTURE-ANKLE-FOOT", "left"),
    ]  # fmt: skip
    restored = get_user_model().objects.get(username="pat.practitioner")
    assert not restored.is_active and not restored.has_usable_password()
    assert backup.clinic_digest(other_clinic.pk).checksum == foreign_before.checksum


def test_signed_visits_stay_read_only_after_import(seeded, tmp_path):
    path = tmp_path / "clinic.json"
    call_command("clinic_export", clinic=str(seeded.pk), output=str(path))
    remove_clinic(seeded.pk)
    call_command("clinic_import", str(path))
    signed = Visit.objects.get(clinic=seeded, status="signed")
    from clinic.errors import LockedError

    with pytest.raises(LockedError):
        visits.visit_update(visit=signed, actor=None, changes={"notes": "x"}, expected_version=None)


def test_a_tampered_file_is_refused_by_its_checksum_and_imports_nothing(seeded, tmp_path):
    path = tmp_path / "clinic.json"
    call_command("clinic_export", clinic=seeded.name, output=str(path))
    remove_clinic(seeded.pk)
    document = json.loads(path.read_text(encoding="utf-8"))
    finding = next(row for row in document["tables"]["findings"] if row["tenderness"] == 7)
    finding["tenderness"] = 2
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match=r"Checksum mismatch .*findings"):
        call_command("clinic_import", str(path))
    assert not Clinic.objects.filter(pk=seeded.pk).exists()
    assert not Patient.objects.filter(clinic_id=seeded.pk).exists()


def test_a_file_whose_declared_digests_were_rewritten_is_refused_by_the_overall_checksum(seeded, tmp_path):
    path = tmp_path / "clinic.json"
    call_command("clinic_export", clinic=seeded.name, output=str(path))
    remove_clinic(seeded.pk)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["tables"]["patients"].pop()
    document["counts"]["patients"] -= 1
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match="Checksum mismatch"):
        call_command("clinic_import", str(path))
    assert not Clinic.objects.filter(pk=seeded.pk).exists()


def test_an_export_from_before_screens_had_a_side_imports_its_screens_as_not_one_side(seeded, tmp_path):
    path = tmp_path / "clinic.json"
    call_command("clinic_export", clinic=seeded.name, output=str(path))
    remove_clinic(seeded.pk)
    document = json.loads(path.read_text(encoding="utf-8"))
    for row in document["tables"]["screenings"]:  # the rows as written before assessments 0006 added the side
        del row["side"]
    older = backup.document_digest(document)
    document.update(counts=older.counts, sha256=older.tables, checksum=older.checksum)
    path.write_text(json.dumps(document), encoding="utf-8")

    call_command("clinic_import", str(path))

    screens = Screening.objects.filter(clinic=seeded)
    assert screens.count() == older.counts["screenings"] == 4
    assert set(screens.values_list("side", flat=True)) == {""}
    after = backup.clinic_digest(seeded.pk)
    assert {n: after.counts[n] for n in backup.TABLE_NAMES} == older.counts
    assert {n: after.tables[n] for n in backup.TABLE_NAMES if n != "screenings"} == {
        n: older.tables[n] for n in backup.TABLE_NAMES if n != "screenings"
    }


def test_an_export_from_before_clinics_had_a_time_zone_imports_its_clinic_in_utc(seeded, tmp_path):
    path = tmp_path / "clinic.json"
    call_command("clinic_export", clinic=seeded.name, output=str(path))
    remove_clinic(seeded.pk)
    document = json.loads(path.read_text(encoding="utf-8"))
    del document["tables"]["clinic"][0]["time_zone"]  # the row as written before clinic 0005 added the time zone
    older = backup.document_digest(document)
    document.update(counts=older.counts, sha256=older.tables, checksum=older.checksum)
    path.write_text(json.dumps(document), encoding="utf-8")

    call_command("clinic_import", str(path))

    assert Clinic.objects.get(pk=seeded.pk).time_zone == "UTC"


def test_a_clinics_time_zone_survives_the_round_trip(seeded, tmp_path):
    Clinic.objects.filter(pk=seeded.pk).update(time_zone="Pacific/Auckland")
    path = tmp_path / "clinic.json"
    call_command("clinic_export", clinic=seeded.name, output=str(path))
    remove_clinic(seeded.pk)
    call_command("clinic_import", str(path))
    assert Clinic.objects.get(pk=seeded.pk).time_zone == "Pacific/Auckland"


def test_a_mismatch_found_after_writing_rolls_the_whole_import_back(seeded, tmp_path, monkeypatch):
    path = tmp_path / "clinic.json"
    call_command("clinic_export", clinic=seeded.name, output=str(path))
    remove_clinic(seeded.pk)
    real_parser = backup.field_parser

    def corrupting_parser(model_field, user_ids):
        return (lambda value: 0) if model_field.name == "tenderness" else real_parser(model_field, user_ids)

    monkeypatch.setattr(backup, "field_parser", corrupting_parser)
    with pytest.raises(CommandError, match=r"database after import.*findings"):
        call_command("clinic_import", str(path))
    assert not Clinic.objects.filter(pk=seeded.pk).exists()
    assert not Finding.objects.filter(clinic_id=seeded.pk).exists()
    assert not get_user_model().objects.filter(username="ada.assistant").exists()


def test_import_refuses_a_clinic_that_already_exists(seeded, tmp_path):
    path = tmp_path / "clinic.json"
    call_command("clinic_export", clinic=seeded.name, output=str(path))
    before = backup.clinic_digest(seeded.pk)
    with pytest.raises(CommandError, match="already exists"):
        call_command("clinic_import", str(path))
    assert backup.clinic_digest(seeded.pk).checksum == before.checksum


def test_into_new_db_refuses_a_database_that_holds_clinics(seeded, tmp_path):
    path = tmp_path / "clinic.json"
    call_command("clinic_export", clinic=seeded.name, output=str(path))
    remove_clinic(seeded.pk)
    with pytest.raises(CommandError, match="already holds clinics"):
        call_command("clinic_import", str(path), into_new_db=True)


def test_with_password_hashes_members_can_sign_in_after_import(seeded, tmp_path):
    before = backup.clinic_digest(seeded.pk, with_secrets=True)
    path = tmp_path / "clinic.json"
    call_command("clinic_export", clinic=seeded.name, output=str(path), include_password_hashes=True)
    remove_clinic(seeded.pk)
    call_command("clinic_import", str(path))
    assert backup.clinic_digest(seeded.pk, with_secrets=True).checksum == before.checksum
    assert authenticate(HttpRequest(), username="pat.practitioner", password="correct-horse-battery") is not None


def test_existing_users_are_reused_by_username(seeded, user, tmp_path):
    path = tmp_path / "clinic.json"
    call_command("clinic_export", clinic=seeded.name, output=str(path))
    for _, model in reversed(backup.MODEL_TABLES[1:]):
        model._base_manager.filter(clinic_id=seeded.pk).delete()
    Clinic.objects.filter(pk=seeded.pk).delete()
    call_command("clinic_import", str(path))
    assert Membership.objects.get(clinic=seeded, role=Role.PRACTITIONER).user_id == user.pk
    user.refresh_from_db()
    assert user.is_active and user.has_usable_password()


def test_export_of_an_unknown_clinic_and_import_of_a_foreign_file_fail_clearly(db, tmp_path):
    with pytest.raises(CommandError, match="No clinic"):
        call_command("clinic_export", clinic="Nowhere", output=str(tmp_path / "x.json"))
    assert not (tmp_path / "x.json").exists()
    other = tmp_path / "other.json"
    other.write_text('{"hello": "world"}', encoding="utf-8")
    with pytest.raises(CommandError, match="not a clinic export"):
        call_command("clinic_import", str(other))


def test_an_export_is_recorded_in_the_audit_trail(seeded, tmp_path):
    from clinic.models import AuditEvent

    call_command("clinic_export", clinic=seeded.name, output=str(tmp_path / "clinic.json"))
    event = AuditEvent.objects.get(clinic=seeded, action="export")
    assert (event.outcome, event.object_type, event.object_id) == ("success", "clinic", seeded.pk)
    assert event.route == "command:clinic_export" and event.user is None
