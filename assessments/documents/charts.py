"""Line charts for the progress report: visits evenly spaced along x, a nice y scale, an optional MCID band.

Drawn with the canvas's own lines, paths and strings (no reportlab.graphics Drawing), which leaves the MCID band and
its label entirely to the chart.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color, white
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from .layout import polylines
from .text import fit, fmt_number, fmt_short_date
from .theme import GOOD, INK, MCID_FILL, MUTED, RULE, Theme


@dataclass(frozen=True)
class Line:
    label: str  # plain, cleaned text
    colour: Color
    points: tuple[tuple[dt.date, float], ...]


@dataclass(frozen=True)
class Band:
    """The MCID: shaded from `start` (the first value) to `threshold` (first value +/- MCID), dashed at `threshold`."""

    start: float
    threshold: float
    label: str


def nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(ticks, 1)
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


class TrendChart(Flowable):
    LEFT = 34.0
    RIGHT = 10.0
    TOP = 16.0
    BOTTOM = 20.0
    LEGEND_ROW = 12.0

    def __init__(
        self,
        width: float,
        height: float,
        theme: Theme,
        lines: Sequence[Line],
        *,
        y_range: tuple[float, float] | None = None,
        unit: str = "",
        band: Band | None = None,
        show_values: bool = True,
        legend: bool = False,
    ) -> None:
        super().__init__()
        self.theme = theme
        self.lines = tuple(
            Line(ln.label, ln.colour, tuple((d, float(v)) for d, v in ln.points if math.isfinite(float(v))))
            for ln in lines
        )
        self.unit = unit
        self.band = band
        self.show_values = show_values
        self.legend = legend and len(self.lines) > 1
        self.width = width
        self.columns = max(1, min(3, int((width - self.LEFT) // 150)))
        legend_rows = math.ceil(len(self.lines) / self.columns) if self.legend else 0
        self.plot_height = height
        self.height = height + legend_rows * self.LEGEND_ROW + (4 if legend_rows else 0)
        self.dates = sorted({d for ln in self.lines for d, _ in ln.points})
        self.lo, self.hi, self.step = self._y_scale(y_range)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def _y_scale(self, y_range: tuple[float, float] | None) -> tuple[float, float, float]:
        values = [v for ln in self.lines for _, v in ln.points]
        if self.band is not None:
            values += [self.band.start, self.band.threshold]
        values = [v for v in values if math.isfinite(v)]
        if y_range is not None and all(math.isfinite(v) for v in y_range) and y_range[1] > y_range[0]:
            lo, hi = min([y_range[0], *values]), max([y_range[1], *values])
            return lo, hi, nice_step(hi - lo)
        if not values:
            return 0.0, 10.0, 2.0
        lo, hi = min(values), max(values)
        if hi - lo < 1e-9:
            lo, hi = lo - 1, hi + 1
        if lo >= 0 and lo <= (hi - lo) * 1.5:
            lo = 0.0  # start at zero when that costs little room
        least = 0.3 * max(abs(lo), abs(hi))  # so that a small change does not fill the whole height
        if hi - lo < least:
            pad = (least - (hi - lo)) / 2
            lo, hi = (lo - pad if lo - pad >= 0 or lo < 0 else 0.0), hi + pad
        step = nice_step(hi - lo)
        return math.floor(lo / step) * step, math.ceil(hi / step) * step, step

    # --- geometry ---

    @property
    def _plot(self) -> tuple[float, float, float, float]:
        """left, bottom, right, top of the plotting area."""
        bottom = self.height - self.plot_height + self.BOTTOM
        return self.LEFT, bottom, self.width - self.RIGHT, self.height - self.TOP

    def _x(self, date: dt.date, index: dict[dt.date, int]) -> float:
        left, _, right, _ = self._plot
        n = len(self.dates)
        if n <= 1:
            return (left + right) / 2
        pad = 16.0
        return left + pad + index[date] * (right - left - 2 * pad) / (n - 1)

    def _y(self, value: float) -> float:
        _, bottom, _, top = self._plot
        return bottom + (value - self.lo) / (self.hi - self.lo) * (top - bottom)

    # --- drawing ---

    def draw(self) -> None:
        canv = self.canv
        theme = self.theme
        left, bottom, right, top = self._plot
        index = {d: i for i, d in enumerate(self.dates)}
        labels = _Labels(canv)

        # MCID band, under everything else.
        if self.band is not None:
            y0, y1 = self._y(self.band.start), self._y(self.band.threshold)
            canv.setFillColor(MCID_FILL)
            canv.rect(left, min(y0, y1), right - left, abs(y1 - y0), stroke=0, fill=1)

        # Grid and y labels.
        ticks = round((self.hi - self.lo) / self.step) if self.step > 0 else 0
        grid = []
        for k in range(min(ticks, 20) + 1):
            value = self.lo + k * self.step
            y = self._y(value)
            grid.append((left, y, right, y))
            labels.add(theme.regular, 7.4, MUTED, left - 4, y - 2.6, fmt_number(value), "right")
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.lines(grid)
        if self.unit:
            labels.add(theme.regular, 7.4, MUTED, left, top + 5, fit(self.unit, theme.regular, 7.4, right - left))

        # The MCID threshold, dashed, and its key top right above the plot.
        if self.band is not None:
            y1 = self._y(self.band.threshold)
            room = (right - left) - (stringWidth(self.unit, theme.regular, 7.4) + 30 if self.unit else 0) - 22
            label = fit(self.band.label, theme.bold, 7.4, room)
            kx = right - stringWidth(label, theme.bold, 7.4) - 20
            canv.setStrokeColor(GOOD)
            canv.setLineWidth(1.0)
            canv.setDash(4, 3)
            canv.lines([(left, y1, right, y1), (kx, top + 7.6, kx + 16, top + 7.6)])
            canv.setDash()
            labels.add(theme.bold, 7.4, GOOD, right, top + 5, label, "right")

        # Axes.
        canv.setStrokeColor(MUTED)
        canv.setLineWidth(0.8)
        canv.drawPath(polylines(canv, [[(left, top), (left, bottom), (right, bottom)]]), stroke=1, fill=0)

        # x labels: every visit when they fit, otherwise evenly thinned.
        n = len(self.dates)
        if n:
            room_n = max(1, int((right - left) // 44))
            every = max(1, math.ceil(n / room_n))
            for i, d in enumerate(self.dates):
                if i % every == 0 or (i == n - 1 and (n - 1) % every > every / 2):
                    labels.add(theme.regular, 7.2, MUTED, self._x(d, index), bottom - 10, fmt_short_date(d), "centre")

        # The lines, their dots and (for a single line) the values.
        many = len(self.lines) > 1
        radius = 2.4 if many else 2.9
        for li, line in enumerate(self.lines):
            if not line.points:
                continue
            jitter = (li - (len(self.lines) - 1) / 2) * 1.4 if many else 0.0
            pts = [(self._x(d, index) + jitter, self._y(v)) for d, v in line.points]
            if len(pts) > 1:
                canv.setStrokeColor(line.colour)
                canv.setLineWidth(1.4 if many else 1.8)
                canv.setLineJoin(1)
                canv.drawPath(polylines(canv, [pts]), stroke=1, fill=0)
            canv.setFillColor(line.colour)
            canv.setStrokeColor(white)
            canv.setLineWidth(0.8)
            dots = canv.beginPath()
            for x, y in pts:
                dots.circle(x, y, radius)
            canv.drawPath(dots, stroke=1, fill=1)
            if self.show_values and not many and len(pts) <= 16:
                for (x, y), (_, v) in zip(pts, line.points, strict=True):
                    below = y + 12 > top + 2  # no room above the top line: under the dot instead
                    labels.add(theme.bold, 7.6, INK, x, y - 11 if below else y + 5, fmt_number(v), "centre")

        if self.legend:
            self._draw_legend(labels)
        labels.draw()

    def _draw_legend(self, labels: _Labels) -> None:
        canv = self.canv
        theme = self.theme
        left, _, right, _ = self._plot
        col_w = (right - left) / self.columns
        top = self.height - self.plot_height - 2
        for i, line in enumerate(self.lines):
            row, col = divmod(i, self.columns)
            x = left + col * col_w
            y = top - (row + 1) * self.LEGEND_ROW + 3
            canv.setStrokeColor(line.colour)
            canv.setFillColor(line.colour)
            canv.setLineWidth(1.6)
            canv.line(x, y + 2.6, x + 14, y + 2.6)
            canv.circle(x + 7, y + 2.6, 2.2, stroke=0, fill=1)
            labels.add(theme.regular, 7.6, INK, x + 18, y, fit(line.label, theme.regular, 7.6, col_w - 22))


class _Labels:
    """A chart's labels, drawn last so that they stay above its lines and dots."""

    def __init__(self, canv: Canvas) -> None:
        self.canv = canv
        self.items: list[tuple[str, float, Color, float, float, str, str]] = []

    def add(self, font: str, size: float, colour: Color, x: float, y: float, text: str, align: str = "left") -> None:
        if text:
            self.items.append((font, size, colour, x, y, text, align))

    def draw(self) -> None:
        canv = self.canv
        for font, size, colour, x, y, text, align in self.items:
            canv.setFont(font, size)
            canv.setFillColor(colour)
            if align == "right":
                canv.drawRightString(x, y, text)
            elif align == "centre":
                canv.drawCentredString(x, y, text)
            else:
                canv.drawString(x, y, text)
