"""Template filters that turn catalog slugs into the names practitioners read."""

from typing import Any

from django import template

from catalog.vocabulary import history_words, muscles, zone_label

register = template.Library()


@register.filter
def muscle_name(slug: str | None) -> str:
    if not slug:
        return ""
    return str(muscles().get(slug, {}).get("name", slug))


@register.filter
def zone_name(slug: str | None) -> str:
    return zone_label(slug) if slug else ""


@register.filter
def humanize_slug(value: str | None) -> str:
    return (value or "").replace("_", " ")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key) if hasattr(mapping, "get") else None
    except TypeError:
        return None


@register.filter
def history_word(slug: str | None, vocabulary: str) -> str:
    """The practitioner's label of a word in one of the catalog's history vocabularies (issue 23)."""
    return history_words(vocabulary).get(slug or "", (slug or "").replace("_", " "))
