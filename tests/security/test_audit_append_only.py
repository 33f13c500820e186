"""The audit trail is append-only: the model refuses changes and deletes, and so does the database itself."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from clinic.audit import record
from clinic.audit.db import erasing_database
from clinic.models import AuditAction, AuditEvent, AuditOutcome, AuditTrailIsAppendOnly

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def event(clinic, user, patient):
    return record(
        user=user,
        clinic=clinic,
        action=AuditAction.READ,
        outcome=AuditOutcome.SUCCESS,
        patient_id=patient.pk,
        object_type="patient",
        object_id=patient.pk,
        route="assessments:chart",
        method="GET",
        client="127.0.0.1",
    )


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- Python -------------------------------------------------------------------------------------------------------


def test_saving_an_existing_event_again_is_refused(event):
    event.outcome = AuditOutcome.DENIED
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    event.refresh_from_db()
    assert event.outcome == AuditOutcome.SUCCESS


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda qs: qs.update(outcome=AuditOutcome.DENIED),
        lambda qs: qs.delete(),
        lambda qs: qs.bulk_update(list(qs), ["outcome"]),
        lambda qs: AuditEvent.objects.update_or_create(pk=qs.get().pk, defaults={"outcome": AuditOutcome.DENIED}),
    ],
    ids=["update", "delete", "bulk_update", "update_or_create"],
)
def test_queryset_changes_are_refused(event, change):
    with pytest.raises(AuditTrailIsAppendOnly):
        change(AuditEvent.objects.filter(pk=event.pk))
    assert AuditEvent.objects.get(pk=event.pk).outcome == AuditOutcome.SUCCESS


def test_record_refuses_unknown_actions_and_outcomes(clinic, user):
    with pytest.raises(ValueError, match="action"):
        record(user=user, clinic=clinic, action="peek", outcome=AuditOutcome.SUCCESS)
    with pytest.raises(ValueError, match="outcome"):
        record(user=user, clinic=clinic, action=AuditAction.EXPORT, outcome="maybe")
    assert not AuditEvent.objects.exists()


def test_record_for_a_non_http_caller_keeps_ids_and_drops_a_bad_address(clinic, user, patient):
    event = record(
        user=user,
        clinic=clinic,
        action=AuditAction.EXPORT,
        outcome=AuditOutcome.SUCCESS,
        patient_id=str(patient.pk),
        object_type="patient",
        object_id=str(patient.pk),
        route="command:export",
        client="not an address",
    )
    event.refresh_from_db()
    assert (event.user, event.clinic, event.patient_id, event.object_id) == (user, clinic, patient.pk, patient.pk)
    assert (event.action, event.route, event.method, event.client) == ("export", "command:export", "", None)
    assert event.at.utcoffset().total_seconds() == 0


def test_a_user_with_audit_events_cannot_be_deleted(event, user):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        user.delete()


# --- the database -----------------------------------------------------------------------------------------------


def test_the_database_refuses_an_update_of_an_event(event):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {TABLE} SET outcome = 'denied' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).outcome == AuditOutcome.SUCCESS


def test_the_database_refuses_a_delete_of_an_event(event):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_emptying_the_table_row_by_row(event):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE}")
    assert AuditEvent.objects.count() == 1


def test_the_database_accepts_new_events_through_raw_sql_too(event, clinic):
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (at, clinic_id, object_type, action, outcome, method, route)"
            " VALUES (%s, %s, '', 'read', 'success', 'GET', 'x')",
            [event.at, clinic.pk.hex if connection.vendor == "sqlite" else clinic.pk],
        )
    assert AuditEvent.objects.count() == 2


def test_the_append_only_triggers_are_installed_after_all_migrations(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
            expected = {"clinic_auditevent_no_update", "clinic_auditevent_no_delete"}
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [TABLE])
            expected = {"clinic_auditevent_append_only"}
        assert {row[0] for row in cursor.fetchall()} == expected


def test_a_whole_database_flush_still_erases_the_trail(event):
    """manage.py flush (and the test suite between transactional and browser tests) must keep working."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # TRUNCATE refuses tables with pending deferred-constraint checks
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()


def test_only_the_flush_escape_lets_a_delete_through_on_sqlite_and_nothing_does_on_postgresql(event):
    """SQLite's flush is DELETE FROM: the trigger lets it through inside erasing_database() alone. PostgreSQL's flush
    is TRUNCATE, so there a DELETE stays refused even inside it."""
    with erasing_database():
        if connection.vendor == "sqlite":
            _raw(f"DELETE FROM {TABLE}")
            assert not AuditEvent.objects.exists()
        else:
            with pytest.raises(DatabaseError, match="append-only"):
                _raw(f"DELETE FROM {TABLE}")
            assert AuditEvent.objects.count() == 1
    record(user=None, clinic=None, action=AuditAction.READ, outcome=AuditOutcome.DENIED)
    with pytest.raises(DatabaseError, match="append-only"):  # the escape ended with the block
        _raw(f"DELETE FROM {TABLE}")
    assert AuditEvent.objects.exists()
