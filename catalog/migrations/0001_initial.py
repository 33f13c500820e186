"""The catalog's models move here from the assessments app, which held the catalog until now.

State only: the tables stay as they are (`assessments_catalogentry`, `assessments_catalogrelease`, named in the models'
`db_table`), with their rows, constraints and sequences; assessments 0008 removes the models from the assessments app's
state. On a fresh database, assessments 0001 creates the tables and 0002/0007 load the shipped catalog before this runs.

The content types follow the models (assessments -> catalog), so the permissions given to staff who edit the catalog and
the admin's history of their edits stay attached.
"""

from django.db import migrations, models


MODELS = (
    "catalogrelease", "catalogentry", "chainlinkentry", "muscleentry", "outcomemeasureentry", "protocolentry",
    "safetyruleentry", "sourceentry", "stressorkindentry", "symptomruleentry", "treatmentorderruleentry", "zoneentry",
)  # fmt: skip


def _move_content_types(apps, schema_editor, *, source, target):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not content_type.objects.using(db).filter(app_label=target, model=model).exists():
            content_type.objects.using(db).filter(app_label=source, model=model).update(app_label=target)


def content_types_to_catalog(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="assessments", target="catalog")


def content_types_to_assessments(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="catalog", target="assessments")


def _proxy(name, verbose, plural):
    return migrations.CreateModel(
        name=name,
        fields=[],
        options={
            'verbose_name': verbose,
            'verbose_name_plural': plural,
            'proxy': True,
            'indexes': [],
            'constraints': [],
        },
        bases=('catalog.catalogentry',),
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('assessments', '0007_catalog_2026_12'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CatalogRelease',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.CharField(max_length=64, unique=True)),
                        ('loaded_at', models.DateTimeField(auto_now_add=True)),
                        ('note', models.CharField(blank=True, max_length=300)),
                    ],
                    options={
                        'db_table': 'assessments_catalogrelease',
                        'ordering': ['-id'],
                    },
                ),
                migrations.CreateModel(
                    name='CatalogEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('section', models.CharField(choices=[('meta', 'Catalog information'), ('source', 'Source'), ('zone', 'Zone'), ('muscle', 'Muscle'), ('stressor_category', 'Stressor category'), ('stressor_kind', 'Stressor kind'), ('chain', 'Kinetic chain (nodes, zone map)'), ('chain_link', 'Kinetic-chain link'), ('universal_rule', 'Universal principle'), ('symptom_rule', 'Symptom rule'), ('treatment_order_rule', 'Treatment-order rule'), ('safety_rule', 'Safety rule'), ('protocol', 'Self-care protocol'), ('protocol_conflicts', 'Protocol conflicts'), ('outcome_measure', 'Outcome measure')], max_length=32)),
                        ('slug', models.CharField(max_length=80)),
                        ('position', models.PositiveIntegerField(default=0)),
                        ('name', models.CharField(blank=True, max_length=300)),
                        ('group', models.CharField(blank=True, help_text='Region, category or rule list the item belongs to.', max_length=80)),
                        ('data', models.JSONField(help_text='The full catalog entry. Sources must name catalog sources.')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'verbose_name_plural': 'catalog entries',
                        'db_table': 'assessments_catalogentry',
                        'ordering': ['section', 'position', 'slug'],
                        'constraints': [models.UniqueConstraint(fields=('section', 'slug'), name='catalog_entry_unique')],
                    },
                ),
                _proxy('ChainLinkEntry', 'kinetic-chain link', 'kinetic-chain links'),
                _proxy('MuscleEntry', 'muscle', 'muscles'),
                _proxy('OutcomeMeasureEntry', 'outcome measure', 'outcome measures'),
                _proxy('ProtocolEntry', 'self-care protocol', 'self-care protocols'),
                _proxy('SafetyRuleEntry', 'safety rule', 'safety rules'),
                _proxy('SourceEntry', 'source', 'sources'),
                _proxy('StressorKindEntry', 'stressor kind', 'stressor kinds'),
                _proxy('SymptomRuleEntry', 'symptom rule', 'symptom rules'),
                _proxy('TreatmentOrderRuleEntry', 'treatment-order rule', 'treatment-order rules'),
                _proxy('ZoneEntry', 'zone', 'zones'),
            ],
        ),
        migrations.RunPython(content_types_to_catalog, content_types_to_assessments),
    ]
