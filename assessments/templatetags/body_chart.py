"""``{% body_chart %}``: the body map (assessments.body_map) as inline SVG, labelled from the clinical catalog.

    {% load body_chart %}
    <div data-body-chart data-body-chart-form="#form-pain-sites">
      {% body_chart marked=pain_sites %}
      <p data-body-chart-status aria-live="polite"></p>
    </div>

``marked`` is an iterable of pain sites (objects or dicts with ``zone`` and ``side``) or ``(zone, side)`` pairs; those
zones are shaded. ``selectable=False`` draws a read-only chart (no buttons, no tab stops, no zoom). Pass a distinct
``id_prefix`` when a page shows more than one chart. static/js/body_chart.js and static/css/body_chart.css do the rest.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from assessments.body_map import render_chart

register = template.Library()


def marked_pairs(marked: Iterable[Any] | None) -> list[tuple[str, str]]:
    """(zone, side) pairs from pain sites, dicts or pairs; anything without both a zone and a side is skipped."""
    pairs: list[tuple[str, str]] = []
    for item in marked or ():
        if isinstance(item, Mapping):
            zone, side = item.get("zone"), item.get("side")
        elif isinstance(item, tuple | list):
            zone, side = (item[0], item[1]) if len(item) >= 2 else (None, None)
        elif isinstance(item, str):
            continue
        else:
            zone, side = getattr(item, "zone", None), getattr(item, "side", None)
        if zone and side:
            pairs.append((str(zone), str(side)))
    return pairs


@register.simple_tag
def body_chart(marked: Iterable[Any] | None = None, selectable: bool = True, id_prefix: str = "bc") -> SafeString:
    from catalog.vocabulary import zone_choices  # the catalog in the database, read at render time

    chart = render_chart(
        marked=marked_pairs(marked),
        selectable=bool(selectable),
        labels=dict(zone_choices()),
        id_prefix=str(id_prefix),
    )
    return mark_safe(chart)  # noqa: S308 -- render_chart escapes every label, name and attribute value it writes
