from django.db import migrations

# The name search's trigram indexes lead with the clinic, like every other index a clinic's reads use, and cover its
# live patients only (as the search does): a word of three letters or more finds its matches among the clinic's own
# patients instead of every clinic's. The clinic column goes into the GIN index through btree_gin, which, like
# pg_trgm, is a trusted extension (PostgreSQL 13+): the database owner may create it. Other databases (SQLite in
# development) have no trigram indexes: the search reads the clinic's name index.
GLOBAL_INDEXES = {
    "patients_patient_first_name_trgm": "(UPPER(first_name) gin_trgm_ops)",
    "patients_patient_last_name_trgm": "(UPPER(last_name) gin_trgm_ops)",
}
CLINIC_INDEXES = {
    "patient_clinic_first_name_trgm": "(clinic_id, UPPER(first_name) gin_trgm_ops) WHERE archived_at IS NULL",
    "patient_clinic_last_name_trgm": "(clinic_id, UPPER(last_name) gin_trgm_ops) WHERE archived_at IS NULL",
}


def _create(schema_editor, indexes):
    for name, definition in indexes.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON patients_patient USING gin {definition}")


def _drop(schema_editor, indexes):
    for name in indexes:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def lead_with_the_clinic(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    _create(schema_editor, CLINIC_INDEXES)
    _drop(schema_editor, GLOBAL_INDEXES)


def back_to_global(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _create(schema_editor, GLOBAL_INDEXES)
    _drop(schema_editor, CLINIC_INDEXES)


class Migration(migrations.Migration):
    dependencies = [("patients", "0003_search_indexes")]

    operations = [migrations.RunPython(lead_with_the_clinic, back_to_global, elidable=False)]
