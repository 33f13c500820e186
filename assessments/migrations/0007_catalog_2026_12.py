"""Load catalog release 2026.12.0 (clinical-safety rules CS-01..CS-08, screen reach and side, endangerment screens,
stressor evidence levels, MCID in percent) into databases migrated before it, idempotently."""

from django.db import migrations


def load(apps, schema_editor):
    from catalog.store import read_files, sync

    sync(
        apps.get_model("assessments", "CatalogEntry"),
        apps.get_model("assessments", "CatalogRelease"),
        read_files(),
        note="clinical safety: acute injuries, screens by side, endangerment screens, recurrence, MCID in percent",
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_screening_side")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
