"""The catalog's models leave the assessments app for their own app (catalog 0001, which has them from here on).

State only: the tables `assessments_catalogentry` and `assessments_catalogrelease` stay, with their rows, and belong to
the catalog app's models now. No model of this app points at them.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0007_catalog_2026_12'),
        ('catalog', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name=name)
                for name in (
                    'ChainLinkEntry', 'MuscleEntry', 'OutcomeMeasureEntry', 'ProtocolEntry', 'SafetyRuleEntry',
                    'SourceEntry', 'StressorKindEntry', 'SymptomRuleEntry', 'TreatmentOrderRuleEntry', 'ZoneEntry',
                    'CatalogEntry', 'CatalogRelease',
                )
            ],
        ),
    ]
