from django.db import migrations

# Statistics on the names as the search compares them (UPPER(name): `icontains`), so that PostgreSQL can tell a rare
# word from a common one and read a rare word's matches through the clinic's trigram indexes (migration 0004).
# PostgreSQL keeps no statistics for the expressions of a partial index, which those indexes are, and without any it
# guesses that a word matches about one name in a hundred. Expression statistics need PostgreSQL 14; other databases
# (SQLite in development) have no trigram indexes.
STATISTICS = {
    "patient_upper_first_name": "UPPER(first_name)",
    "patient_upper_last_name": "UPPER(last_name)",
}


def create_statistics(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return
    for name, expression in STATISTICS.items():
        schema_editor.execute(f"CREATE STATISTICS IF NOT EXISTS {name} ON ({expression}) FROM patients_patient")
    schema_editor.execute("ANALYZE patients_patient")


def drop_statistics(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return
    for name in STATISTICS:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0004_clinic_trigram_indexes")]

    operations = [migrations.RunPython(create_statistics, drop_statistics, elidable=False)]
