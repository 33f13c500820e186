"""The audit trail, and the database triggers that keep it append-only.

The triggers refuse UPDATE and DELETE of clinic_auditevent whatever issues them (the application, a shell, a bug).
- PostgreSQL: one plpgsql row trigger. TRUNCATE fires no row trigger, so `manage.py flush` (and the test suite's
  flushes between transactional tests) still erase the whole database.
- SQLite: RAISE(ABORT) triggers. Django's flush on SQLite is `DELETE FROM` each table, so the DELETE trigger lets a
  delete through only while the SQL function clinic_audit_erasing_database() answers 1: clinic.audit.db registers it
  on every Django connection answering 0, and 1 only inside clinic.audit.db.erasing_database(), which the flush command
  (clinic/management/commands/flush.py) uses. Any other connection (sqlite3 shell) has no such function: refused too.
On SQLite a later migration that rebuilds this table (ALTER on SQLite copies the table) drops the triggers with the old
table; tests/security/test_audit_append_only.py checks they are present after all migrations.
"""


import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models



SQLITE_INSTALL = [
    """
    CREATE TRIGGER clinic_auditevent_no_update BEFORE UPDATE ON clinic_auditevent
    BEGIN SELECT RAISE(ABORT, 'clinic_auditevent is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER clinic_auditevent_no_delete BEFORE DELETE ON clinic_auditevent
    WHEN clinic_audit_erasing_database() IS NOT 1
    BEGIN SELECT RAISE(ABORT, 'clinic_auditevent is append-only: DELETE refused'); END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS clinic_auditevent_no_update",
    "DROP TRIGGER IF EXISTS clinic_auditevent_no_delete",
]
POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION clinic_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'clinic_auditevent is append-only: % refused', TG_OP;
    END;
    $$
    """,
    """
    CREATE TRIGGER clinic_auditevent_append_only BEFORE UPDATE OR DELETE ON clinic_auditevent
    FOR EACH ROW EXECUTE FUNCTION clinic_auditevent_append_only()
    """,
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS clinic_auditevent_append_only ON clinic_auditevent",
    "DROP FUNCTION IF EXISTS clinic_auditevent_append_only()",
]
STATEMENTS = {
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
}


def _run(schema_editor, which):
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"No append-only triggers for the {vendor} database: add them to this migration.")
    for statement in STATEMENTS[vendor][which]:
        schema_editor.execute(statement, params=None)


def install_triggers(apps, schema_editor):
    _run(schema_editor, 0)


def remove_triggers(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):

    dependencies = [
        ('clinic', '0002_auth_login_sessions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('patient_id', models.UUIDField(blank=True, editable=False, null=True)),
                ('object_type', models.CharField(blank=True, editable=False, max_length=40)),
                ('object_id', models.UUIDField(blank=True, editable=False, null=True)),
                ('action', models.CharField(choices=[('read', 'Read'), ('create', 'Create'), ('update', 'Update'), ('archive', 'Archive'), ('sign', 'Sign'), ('export', 'Export'), ('document', 'Document issued'), ('login', 'Sign-in')], editable=False, max_length=12)),
                ('outcome', models.CharField(choices=[('success', 'Success'), ('denied', 'Denied'), ('not_found', 'Not found'), ('invalid', 'Invalid'), ('error', 'Error')], editable=False, max_length=12)),
                ('status', models.PositiveSmallIntegerField(blank=True, editable=False, null=True)),
                ('method', models.CharField(blank=True, editable=False, max_length=10)),
                ('route', models.CharField(blank=True, editable=False, max_length=100)),
                ('client', models.GenericIPAddressField(blank=True, editable=False, null=True)),
                ('clinic', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinic.clinic')),
                ('user', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['clinic', '-at'], name='audit_clinic_at'), models.Index(fields=['clinic', 'patient_id', '-at'], name='audit_clinic_patient_at')],
            },
        ),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
