"""Load the shipped clinical catalog (catalog/data/*.json) into every database, idempotently."""

from django.db import migrations


def load(apps, schema_editor):
    from catalog.store import read_files, sync

    sync(apps.get_model("assessments", "CatalogEntry"), apps.get_model("assessments", "CatalogRelease"), read_files())


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
