"""Small inline-SVG trend lines for the patient chart (no script, no inline style: classes only)."""

from collections.abc import Sequence
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

WIDTH, HEIGHT, PAD = 160.0, 40.0, 4.0


@register.simple_tag
def sparkline(series: Any, *, lower: float = 0.0, upper: float | None = None) -> SafeString:
    """A trend line of `series.points` (oldest first) with the MCID band from the first value, when there is one.

    The band shows how far the measure must move in its better direction to be a clinically important change.
    """
    points: Sequence[Any] = series.points
    values = [float(p.value) for p in points]
    if not values:
        return mark_safe("")
    top = upper if upper is not None else max(max(values), lower + 1)
    mcid = getattr(series, "mcid", None)
    if mcid:
        top = max(top, values[0] + mcid)
    span = (top - lower) or 1.0

    def x(i: int) -> float:
        return PAD + (WIDTH - 2 * PAD) * (i / max(len(values) - 1, 1))

    def y(v: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * ((v - lower) / span)

    parts = [
        f'<svg class="spark" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" width="{WIDTH:g}" height="{HEIGHT:g}" role="img" '
        f'aria-label="{escape(_describe(series, values))}">'
    ]
    if mcid:
        target = values[0] + mcid if getattr(series, "higher_is_better", False) else values[0] - mcid
        y0, y1 = sorted((y(values[0]), y(target)))
        parts.append(f'<rect class="spark-mcid" x="0" y="{y0:.1f}" width="{WIDTH:g}" height="{max(y1 - y0, 1):.1f}"/>')
    coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    parts.append(f'<polyline class="spark-line" points="{coords}"/>')
    parts.extend(f'<circle class="spark-dot" cx="{x(i):.1f}" cy="{y(v):.1f}" r="2"/>' for i, v in enumerate(values))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (numbers and escaped text only)


def _describe(series: Any, values: list[float]) -> str:
    trend = ", ".join(f"{v:g}" for v in values)
    mcid = getattr(series, "mcid", None)
    band = f"; shaded band: the MCID of {mcid:g} from the first value" if mcid else ""
    return f"{getattr(series, 'label', 'Trend')}: {trend} (oldest first){band}"
