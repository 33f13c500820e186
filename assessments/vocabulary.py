"""Clinical vocabularies that charting fields accept: sides, zones and stressor kinds.

Zones and stressor kinds come from the project's clinical catalog (assessments/catalog/*.json, derived from the
catalog's `zones` and `stressors` sections); a value outside them is a validation error.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BILATERAL = "bilateral", "Bilateral"
    MIDLINE = "midline", "Midline"


def _read(name: str) -> Any:
    return json.loads((CATALOG_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def _zones() -> tuple[tuple[str, str, str], ...]:
    """(slug, label, group) for every zone in catalog order."""
    return tuple((z["slug"], z.get("label") or z["slug"].replace("_", " "), z.get("group", "")) for z in _read("zones"))


@cache
def _stressor_kinds() -> tuple[tuple[str, str, str], ...]:
    """(kind, label, category) for every stressor subtype in catalog order."""
    data = _read("stressors")
    categories = data["categories"] if isinstance(data, dict) else data
    kinds: list[tuple[str, str, str]] = []
    for category in categories:
        for subtype in category["subtypes"]:
            label = subtype.get("label") or subtype["id"].replace("_", " ").capitalize()
            kinds.append((subtype["id"], label, category["id"]))
    return tuple(kinds)


def zone_slugs() -> frozenset[str]:
    return frozenset(slug for slug, _, _ in _zones())


def zone_choices() -> list[tuple[str, str]]:
    return [(slug, label) for slug, label, _ in _zones()]


def grouped_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for slug, label, group in _zones():
        groups.setdefault(group.replace("_", " ").capitalize(), []).append((slug, label))
    return list(groups.items())


def stressor_kind_choices() -> list[tuple[str, str]]:
    return [(kind, label) for kind, label, _ in _stressor_kinds()]


def grouped_stressor_kind_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for kind, label, category in _stressor_kinds():
        groups.setdefault(category.replace("_", " ").capitalize(), []).append((kind, label))
    return list(groups.items())


def stressor_category(kind: str) -> str | None:
    return next((category for k, _, category in _stressor_kinds() if k == kind), None)


def validate_zone(value: str) -> None:
    if value not in zone_slugs():
        raise ValidationError("Unknown zone %(value)s: use a zone slug from the catalog.", params={"value": value})


def validate_stressor_kind(value: str) -> None:
    if stressor_category(value) is None:
        raise ValidationError(
            "Unknown stressor kind %(value)s: use a stressor kind from the catalog.", params={"value": value}
        )


def zone_label(slug: str) -> str:
    return next((label for s, label, _ in _zones() if s == slug), slug)


def stressor_kind_label(kind: str) -> str:
    return next((label for k, label, _ in _stressor_kinds() if k == kind), kind)
