"""The clinical catalog as stored in the database: shipped data, visible and editable by staff in the admin.

Each catalog item (a muscle, a zone, a symptom rule, a kinetic-chain link, a safety rule...) is one row holding its full
entry as JSON (`data`), with its section, slug, display name and position for listing. The catalog document is joined
from these rows (catalog.store); every change is held against the checks of the catalog's readers (catalog.validation)
before it is saved and gets a new catalog version.

The tables were created by the assessments app, which held the catalog first: they keep their names.
"""

from typing import Any, ClassVar

from django.db import models


class Section(models.TextChoices):
    META = "meta", "Catalog information"
    SOURCE = "source", "Source"
    ZONE = "zone", "Zone"
    MUSCLE = "muscle", "Muscle"
    STRESSOR_CATEGORY = "stressor_category", "Stressor category"
    STRESSOR_KIND = "stressor_kind", "Stressor kind"
    CHAIN = "chain", "Kinetic chain (nodes, zone map)"
    CHAIN_LINK = "chain_link", "Kinetic-chain link"
    UNIVERSAL_RULE = "universal_rule", "Universal principle"
    SYMPTOM_RULE = "symptom_rule", "Symptom rule"
    TREATMENT_ORDER_RULE = "treatment_order_rule", "Treatment-order rule"
    SAFETY_RULE = "safety_rule", "Safety rule"
    PROTOCOL = "protocol", "Self-care protocol"
    PROTOCOL_CONFLICTS = "protocol_conflicts", "Protocol conflicts"
    OUTCOME_MEASURE = "outcome_measure", "Outcome measure"


class CatalogRelease(models.Model):
    """One version of the catalog: loaded from the shipped files, or edited by staff."""

    version = models.CharField(max_length=64, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        db_table = "assessments_catalogrelease"
        ordering: ClassVar = ["-id"]

    def __str__(self) -> str:
        return self.version


class CatalogEntry(models.Model):
    section = models.CharField(max_length=32, choices=Section.choices)
    slug = models.CharField(max_length=80)
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=300, blank=True)
    group = models.CharField(max_length=80, blank=True, help_text="Region, category or rule list the item belongs to.")
    data: Any = models.JSONField(help_text="The full catalog entry. Sources must name catalog sources.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "assessments_catalogentry"
        ordering: ClassVar = ["section", "position", "slug"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["section", "slug"], name="catalog_entry_unique")]
        verbose_name_plural = "catalog entries"

    def __str__(self) -> str:
        return f"{self.get_section_display()}: {self.name or self.slug}"


class SectionManager(models.Manager["CatalogEntry"]):
    def __init__(self, section: str) -> None:
        super().__init__()
        self.section = section

    def get_queryset(self) -> models.QuerySet["CatalogEntry"]:
        return super().get_queryset().filter(section=self.section)


def _proxy(section: Section, verbose: str, plural: str) -> type[CatalogEntry]:
    meta = type("Meta", (), {"proxy": True, "verbose_name": verbose, "verbose_name_plural": plural})
    attrs = {"__module__": __name__, "Meta": meta, "objects": SectionManager(section.value), "SECTION": section.value}
    return type(f"{section.name.title().replace('_', '')}Entry", (CatalogEntry,), attrs)


MuscleEntry = _proxy(Section.MUSCLE, "muscle", "muscles")
ZoneEntry = _proxy(Section.ZONE, "zone", "zones")
StressorKindEntry = _proxy(Section.STRESSOR_KIND, "stressor kind", "stressor kinds")
ChainLinkEntry = _proxy(Section.CHAIN_LINK, "kinetic-chain link", "kinetic-chain links")
SymptomRuleEntry = _proxy(Section.SYMPTOM_RULE, "symptom rule", "symptom rules")
TreatmentOrderRuleEntry = _proxy(Section.TREATMENT_ORDER_RULE, "treatment-order rule", "treatment-order rules")
SafetyRuleEntry = _proxy(Section.SAFETY_RULE, "safety rule", "safety rules")
ProtocolEntry = _proxy(Section.PROTOCOL, "self-care protocol", "self-care protocols")
OutcomeMeasureEntry = _proxy(Section.OUTCOME_MEASURE, "outcome measure", "outcome measures")
SourceEntry = _proxy(Section.SOURCE, "source", "sources")
