"""The body figure for the home-care sheet: front and back views from ``assessments.body_map``, drawn as vectors.

Painful zones are shaded; each self-care point is a numbered dot at ``muscle_point(slug, side)``. Dots that would
overlap are moved apart a little, with a thin leader line back to the exact spot.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from reportlab.pdfgen.canvas import FILL_NON_ZERO, Canvas

from assessments.body_map import (
    DETAILS,
    HEIGHT,
    OUTLINE,
    VIEWS,
    WIDTH,
    Region,
    View,
    muscle_point,
    regions,
    simplify,
)

from .layout import draw_badge, polylines
from .theme import ACCENT, BODY_DETAIL, BODY_FILL, BODY_LINE, MUTED, PAIN, PAIN_EDGE, Theme

GAP = 26.0  # between the views, in body-map units
CAPTION = 17.0  # points above the views for "Front" / "Back"
BELOW = 11.0  # room for "soles" under the back view
BADGE_RADIUS = 6.6
_NUDGE_LIMIT = 40  # above this many dots, overlap is accepted (moving them would take long and help little)
LABELS = ("Front", "Back", "your right", "your left", "soles (from below)")  # the figure's own words


@dataclass(frozen=True)
class Marker:
    number: str
    view: View
    x: float  # body-map units
    y: float


@cache
def _regions_by_zone() -> dict[str, tuple[Region, ...]]:
    out: dict[str, list[Region]] = {}
    for region in regions():
        out.setdefault(region.zone, []).append(region)
    return {zone: tuple(rs) for zone, rs in out.items()}


def shaded_regions(painful: Iterable[tuple[str, str]]) -> tuple[Region, ...]:
    """The regions to shade: "bilateral" (or a side the zone is not drawn on) shades every side of the zone."""
    by_zone = _regions_by_zone()
    chosen: dict[tuple[str, str, str], Region] = {}
    for zone, side in painful:
        zone_regions = by_zone.get(str(zone), ())
        matching = [r for r in zone_regions if r.side == str(side).lower()]
        for region in matching or zone_regions:
            chosen[(region.zone, region.side, region.view)] = region
    return tuple(chosen.values())


def markers_for(points: Iterable[tuple[int | str, str, str]]) -> tuple[Marker, ...]:
    """(number, muscle slug, side) -> dots; "bilateral" gives one on each side; an unknown muscle gives none."""
    out: list[Marker] = []
    for number, slug, side in points:
        s = str(side).lower()
        sides = ("right", "left") if s in ("bilateral", "both") else ("left",) if s == "left" else ("right",)
        for one in sides:
            try:
                view, x, y = muscle_point(str(slug), one)
            except KeyError:
                continue
            out.append(Marker(str(number), view, x, y))
    return tuple(out)


class BodyFigure:
    """Both views side by side, `width` points wide, drawn with ``draw_on``."""

    def __init__(self, width: float, theme: Theme, markers: Sequence[Marker], shaded: Sequence[Region]) -> None:
        self.width = width
        self.theme = theme
        self.markers = tuple(markers)
        self.shaded = tuple(shaded)
        self.scale = width / (2 * WIDTH + GAP)
        self.height = CAPTION + HEIGHT * self.scale + BELOW

    def _origin(self, view: View) -> tuple[float, float]:
        """The PDF position of the view's (0, 0) corner (its top left)."""
        dx = 0.0 if view == "front" else (WIDTH + GAP) * self.scale
        return dx, self.height - CAPTION

    def to_pdf(self, view: View, x: float, y: float) -> tuple[float, float]:
        ox, oy = self._origin(view)
        return ox + x * self.scale, oy - y * self.scale

    def draw_on(self, canv: Canvas, x: float, y: float) -> None:
        """The figure with its bottom left corner at (x, y)."""
        canv.saveState()
        canv.translate(x, y)
        self._draw(canv)
        canv.restoreState()

    def _draw(self, canv: Canvas) -> None:
        s = self.scale
        theme = self.theme
        for view in VIEWS:
            ox, oy = self._origin(view)
            view_w = WIDTH * s
            # Captions: which view, and which side is the patient's.
            canv.setFillColor(BODY_LINE)
            canv.setFont(theme.bold, 10)
            canv.drawCentredString(ox + view_w / 2, oy + 5, LABELS[0] if view == "front" else LABELS[1])
            canv.setFont(theme.regular, 7.2)
            canv.setFillColor(MUTED)
            left, right = (LABELS[2], LABELS[3]) if view == "front" else (LABELS[3], LABELS[2])
            canv.drawString(ox + 2, oy - 2, left)
            canv.drawRightString(ox + view_w - 2, oy - 2, right)
            if view == "back":
                canv.drawCentredString(ox + view_w / 2, oy - HEIGHT * s - 8, LABELS[4])

            # The figure itself, in body-map units (y down).
            canv.saveState()
            canv.translate(ox, oy)
            canv.scale(s, -s)
            canv.setLineJoin(1)
            canv.setFillColor(BODY_FILL)
            outline = polylines(canv, _OUTLINES[view], closed=True)
            canv.drawPath(outline, stroke=0, fill=1, fillMode=FILL_NON_ZERO)  # ears, thumbs and soles join the body
            shaded = [r for r in self.shaded if r.view == view]
            if shaded:
                canv.setFillColor(PAIN)
                canv.setStrokeColor(PAIN_EDGE)
                canv.setLineWidth(0.5 / s)
                regions = polylines(canv, [_simplified(r.points, closed=True) for r in shaded], closed=True)
                canv.drawPath(regions, stroke=1, fill=1, fillMode=FILL_NON_ZERO)
            canv.setStrokeColor(BODY_LINE)
            canv.setLineWidth(0.9 / s)
            canv.drawPath(outline, stroke=1, fill=0)
            canv.setStrokeColor(BODY_DETAIL)
            canv.setLineWidth(0.5 / s)
            canv.drawPath(polylines(canv, _DETAILS[view]), stroke=1, fill=0)
            canv.restoreState()
        self._draw_markers(canv)

    def _draw_markers(self, canv: Canvas) -> None:
        placed: list[tuple[float, float]] = []
        nudge = len(self.markers) <= _NUDGE_LIMIT
        view_boxes = {view: (self._origin(view), WIDTH * self.scale, HEIGHT * self.scale) for view in VIEWS}
        for marker in self.markers:
            x, y = self.to_pdf(marker.view, marker.x, marker.y)
            bx, by = _free_spot(x, y, placed, view_boxes[marker.view]) if nudge else (x, y)
            if (bx, by) != (x, y):
                canv.setStrokeColor(ACCENT)
                canv.setLineWidth(0.8)
                canv.line(x, y, bx, by)
                canv.setFillColor(ACCENT)
                canv.circle(x, y, 1.6, stroke=0, fill=1)
            placed.append((bx, by))
        for marker, (bx, by) in zip(self.markers, placed, strict=True):
            draw_badge(canv, bx, by, BADGE_RADIUS, marker.number, ACCENT, self.theme.bold)


def _free_spot(
    x: float, y: float, placed: Sequence[tuple[float, float]], view_box: tuple[tuple[float, float], float, float]
) -> tuple[float, float]:
    """The nearest spot to (x, y), inside the view, where a dot does not overlap the dots already placed."""
    (ox, oy), w, h = view_box
    clear = 2 * BADGE_RADIUS - 1.2  # the white rims may touch

    def free(px: float, py: float) -> bool:
        return all((px - qx) ** 2 + (py - qy) ** 2 >= clear * clear for qx, qy in placed)

    if free(x, y):
        return x, y
    for ring in (1.0, 1.6, 2.2, 2.8):
        distance = clear * ring
        for k in range(16):
            angle = math.pi / 2 + 2 * math.pi * k / 16
            px, py = x + distance * math.cos(angle), y + distance * math.sin(angle)
            inside = ox + BADGE_RADIUS <= px <= ox + w - BADGE_RADIUS and oy - h + BADGE_RADIUS <= py <= oy
            if inside and free(px, py):
                return px, py
    return x, y


# --- the figure's lines ----------------------------------------------------------------------------------------------

_TOLERANCE = 0.2  # body-map units (about 0.13 pt on the sheet): points closer than this to the line are dropped


def _simplified(polyline: Sequence[tuple[float, float]], *, closed: bool) -> list[tuple[float, float]]:
    """The polyline with the points it does not need dropped (a closed one is not repeated at its end)."""
    pts = simplify([*polyline, polyline[0]] if closed else list(polyline), _TOLERANCE)
    if closed and len(pts) > 1 and pts[-1] == pts[0]:
        pts = pts[:-1]
    return pts


_OUTLINES = {view: [_simplified(poly, closed=True) for poly in OUTLINE[view]] for view in VIEWS}
_DETAILS = {view: [_simplified(line, closed=False) for line in DETAILS[view]] for view in VIEWS}
