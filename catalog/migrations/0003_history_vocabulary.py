"""Load catalog release 2026.12.2 (the structured history: its vocabularies and rules HX-01..HX-07) into databases
migrated before it, idempotently."""

from django.db import migrations


def load(apps, schema_editor):
    from catalog.store import read_files, sync

    sync(
        apps.get_model("catalog", "CatalogEntry"),
        apps.get_model("catalog", "CatalogRelease"),
        read_files(),
        note="structured history: onset, mechanism, course, 24-hour pattern, treatments, observations; rules HX-01..07",
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_patient_words")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
