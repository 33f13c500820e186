"""The clinical catalog in the admin: staff can read and edit every entry.

An edit is held against what the catalog's readers need of the whole catalog before it is saved (catalog.validation:
for the engine, a rule cannot name a muscle, zone or source that does not exist) and records a new catalog release, so
analyses say which version they used.
"""

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from catalog import models, validation
from catalog.store import Row, current_release_version, join, rows_from_db


class PrettyJSONWidget(forms.Textarea):
    def format_value(self, value: Any) -> str:
        try:
            return json.dumps(json.loads(value), indent=2, ensure_ascii=False)
        except (TypeError, ValueError):
            return str(value or "")


class CatalogEntryForm(forms.ModelForm):
    class Meta:
        model = models.CatalogEntry
        fields = ("section", "slug", "position", "name", "group", "data")
        widgets = {"data": PrettyJSONWidget(attrs={"rows": 30, "cols": 110, "style": "font-family: monospace"})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        edited = Row(
            cleaned["section"], cleaned["slug"], cleaned["position"], cleaned["name"], cleaned["group"], cleaned["data"]
        )
        rows = [
            r for r in rows_from_db() if (r.section, r.slug) not in {(edited.section, edited.slug), self._old_key()}
        ]
        try:
            problems = validation.problems(join([*rows, edited]))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValidationError(f"This entry does not have the shape the catalog needs: {exc!r}") from exc
        if problems:
            raise ValidationError(["The catalog would have broken cross-references:", *problems[:20]])
        return cleaned

    def _old_key(self) -> tuple[str, str]:
        instance = self.instance
        return (instance.section, instance.slug) if instance.pk else ("", "")


@admin.register(models.CatalogEntry)
class CatalogEntryAdmin(admin.ModelAdmin):
    form = CatalogEntryForm
    list_display = ("name", "slug", "section", "group", "updated_at")
    list_filter = ("section", "group")
    search_fields = ("slug", "name")
    ordering = ("section", "position", "slug")

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _record_edit(request, f"{obj.section} {obj.slug} {'changed' if change else 'added'}")

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        _record_edit(request, f"{obj.section} {obj.slug} deleted")


def _record_edit(request: HttpRequest, note: str) -> None:
    base = current_release_version().split("+edit")[0] or "catalog"
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    models.CatalogRelease.objects.create(version=f"{base}+edit.{stamp}", note=f"{request.user}: {note}"[:300])


for _proxy in (
    models.MuscleEntry, models.ZoneEntry, models.StressorKindEntry, models.ChainLinkEntry, models.SymptomRuleEntry,
    models.TreatmentOrderRuleEntry, models.SafetyRuleEntry, models.ProtocolEntry, models.OutcomeMeasureEntry,
    models.SourceEntry,
):  # fmt: skip
    admin.site.register(_proxy, type(f"{_proxy.__name__}Admin", (CatalogEntryAdmin,), {"list_filter": ("group",)}))


@admin.register(models.CatalogRelease)
class CatalogReleaseAdmin(admin.ModelAdmin):
    list_display = ("version", "loaded_at", "note")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
