"""Clinical vocabularies that charting fields accept: sides, zones, muscles, stressor kinds, safety rules, measures.

Zones, muscles and stressor kinds come from the clinical catalog in the database (loaded from catalog/data/ by
migrations, editable by staff); a value outside them is a validation error. Sides are the API contract's four.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible

from catalog.store import current_derived


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BILATERAL = "bilateral", "Bilateral"
    MIDLINE = "midline", "Midline"


def _build_zones(doc: dict[str, Any]) -> tuple[tuple[str, str, str], ...]:
    return tuple((z["slug"], z.get("label") or z["slug"].replace("_", " "), z.get("group", "")) for z in doc["zones"])


def _build_stressor_kinds(doc: dict[str, Any]) -> tuple[tuple[str, str, str], ...]:
    kinds: list[tuple[str, str, str]] = []
    for category in doc["stressors"]["categories"]:
        for subtype in category["subtypes"]:
            label = subtype.get("label") or subtype["id"].replace("_", " ").capitalize()
            kinds.append((subtype["id"], label, category["id"]))
    return tuple(kinds)


def _build_muscles(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["slug"]: m for m in doc["muscles"]}


def _zones() -> tuple[tuple[str, str, str], ...]:
    """(slug, label, group) for every zone in catalog order."""
    return current_derived("zones", _build_zones)


def _stressor_kinds() -> tuple[tuple[str, str, str], ...]:
    """(kind, label, category) for every stressor subtype in catalog order."""
    return current_derived("stressor_kinds", _build_stressor_kinds)


def muscles() -> dict[str, dict[str, Any]]:
    """Catalog muscles by slug, in catalog order."""
    return current_derived("muscles", _build_muscles)


def validate_muscle(value: str) -> None:
    if value not in muscles():
        raise ValidationError("Unknown muscle %(value)s: use a muscle slug from the catalog.", params={"value": value})


def zone_slugs() -> frozenset[str]:
    return current_derived("zone_slugs", lambda doc: frozenset(z["slug"] for z in doc["zones"]))


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


def safety_rule_ids() -> frozenset[str]:
    return current_derived(
        "safety_rule_ids",
        lambda doc: frozenset(r["id"] for rules in doc["safety_rules"].values() for r in rules),
    )


def validate_safety_rule(value: str) -> None:
    if value not in safety_rule_ids():
        raise ValidationError(
            "Unknown safety rule %(value)s: use a safety rule id from the catalog.", params={"value": value}
        )


def outcome_measures() -> dict[str, dict[str, Any]]:
    """Outcome measures by id (nprs, psfs, lefs, ndi, odi, ppt, rom...) with min, max, mcid and direction."""
    return current_derived("outcome_measures", lambda doc: {m["id"]: m for m in doc["outcome_measures"]})


def history_words(vocabulary: str) -> dict[str, str]:
    """Slug -> the practitioner's label in one of the structured history's vocabularies (catalog ``meta.history``:
    mechanisms, courses, patterns, activities, systemic_signs, treatments, frequencies, intensities, responses,
    observations), in catalog order."""

    def build(doc: dict[str, Any]) -> dict[str, str]:
        raw = (doc["meta"].get("history") or {}).get(vocabulary) or []
        return {entry["slug"]: entry["label"] for entry in raw}

    return current_derived(f"history_{vocabulary}", build)


def history_choices(vocabulary: str) -> list[tuple[str, str]]:
    return list(history_words(vocabulary).items())


@deconstructible
class HistoryWord:
    """Validates a slug, or each slug of a list, against one history vocabulary of the catalog (400 when unknown)."""

    def __init__(self, vocabulary: str) -> None:
        self.vocabulary = vocabulary

    def __call__(self, value: Any) -> None:
        values = value if isinstance(value, list) else [value]
        words = history_words(self.vocabulary)
        for item in values:
            if not isinstance(item, str) or (item and item not in words):
                raise ValidationError(
                    "Unknown %(vocabulary)s word %(value)s: use one of %(known)s.",
                    params={"vocabulary": self.vocabulary.replace("_", " "), "value": item, "known": ", ".join(words)},
                )
        if isinstance(value, list) and len(set(value)) != len(value):
            raise ValidationError("Each word at most once.")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HistoryWord) and other.vocabulary == self.vocabulary

    def __hash__(self) -> int:
        return hash(self.vocabulary)
