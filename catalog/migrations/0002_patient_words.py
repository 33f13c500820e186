"""Load catalog release 2026.12.1 (the patient-language layer: plain muscle names and where to find them, one dose per
self-care tool, what to do about each stressor, safety signs in three tiers) into databases migrated before it,
idempotently."""

from django.db import migrations


def load(apps, schema_editor):
    from catalog.store import read_files, sync

    sync(
        apps.get_model("catalog", "CatalogEntry"),
        apps.get_model("catalog", "CatalogRelease"),
        read_files(),
        note="patient language: plain names, one dose per tool, stressor actions, safety signs in three tiers",
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
