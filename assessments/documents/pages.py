"""A small page layout drawn on a reportlab canvas through its public drawing methods, for the home-care sheet.

A block is a list of ``Row``s (usually one line of text each, from ``lines.wrap``) that ``Pages`` places under each
other, starting a new page, with its footer, when the next row does not fit. Its rules are the sheet's: a point block
up to a share of a page stays on one page, a heading stays with what follows it, a box splits with its edge open at
the cut, and the safety and seek-care boxes stand side by side, equally tall.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from .layout import FOOTER_GAP, MARGIN, draw_footer
from .lines import Line, Style, draw_line
from .theme import Theme

Draw = Callable[[Canvas, float, float], None]  # (canvas, left, top)


@dataclass(frozen=True)
class Row:
    """Something `height` points tall drawn by `draw` from its top left corner; no `draw` is blank space, which is
    left out at the top of a page."""

    height: float
    draw: Draw | None = None


def gap(height: float) -> Row:
    return Row(height)


def text_rows(lines: Sequence[Line], style: Style, indent: float = 0.0) -> list[Row]:
    """One row per line, each `style.leading` tall, the baseline one font size below the top."""
    size = style.size

    def row(line: Line) -> Row:
        return Row(style.leading, lambda canv, x, top: draw_line(canv, x + indent, top - size, line, size))

    return [row(line) for line in lines]


def stack(rows: Sequence[Row]) -> Row:
    """Rows as one, never split (the figure's key)."""
    rows = list(rows)

    def draw(canv: Canvas, x: float, top: float) -> None:
        for row in rows:
            if row.draw is not None:
                row.draw(canv, x, top)
            top -= row.height

    return Row(sum(r.height for r in rows), draw)


@dataclass(frozen=True)
class Box:
    """A tinted box with a coloured edge around rows."""

    fill: Color
    edge: Color
    edge_width: float = 1.0
    pad: tuple[float, float, float, float] = (9.0, 6.0, 9.0, 7.0)  # left, top, right, bottom

    def inner(self, width: float) -> float:
        return width - self.pad[0] - self.pad[2]

    def height(self, rows: Sequence[Row]) -> float:
        return self.pad[1] + sum(r.height for r in rows) + self.pad[3]

    def draw(self, canv: Canvas, x: float, top: float, width: float, height: float, *, open_top: bool = False,
             open_bottom: bool = False) -> None:  # fmt: skip
        """The background and the edges; an open side is where the box continues on another page."""
        bottom = top - height
        canv.saveState()
        canv.setFillColor(self.fill)
        canv.rect(x, bottom, width, height, stroke=0, fill=1)
        canv.setStrokeColor(self.edge)
        canv.setLineWidth(self.edge_width)
        canv.line(x, bottom, x, top)
        canv.line(x + width, bottom, x + width, top)
        if not open_top:
            canv.line(x, top, x + width, top)
        if not open_bottom:
            canv.line(x, bottom, x + width, bottom)
        canv.restoreState()


class Pages:
    """The cursor: where the next row goes, on which page. Each page gets the footer as it is finished."""

    def __init__(self, canv: Canvas, size: tuple[float, float], theme: Theme, footer: str) -> None:
        self.canv = canv
        self.page_width = size[0]
        self.left = MARGIN
        self.width = size[0] - 2 * MARGIN
        self.top = size[1] - MARGIN
        self.bottom = MARGIN + FOOTER_GAP
        self.theme = theme
        self.footer = footer
        self.number = 1
        self.y = self.top
        self._space = 0.0  # blank space owed before the next row (dropped at the top of a page)

    @property
    def page_height(self) -> float:
        return self.top - self.bottom

    @property
    def at_top(self) -> bool:
        return self.y >= self.top

    def room(self) -> float:
        """What is left on this page, after the blank space owed."""
        return self.y - self._space - self.bottom

    def new_page(self) -> None:
        draw_footer(self.canv, self.theme, self.page_width, self.number, self.footer)
        self.canv.showPage()
        self.number += 1
        self.y = self.top
        self._space = 0.0

    def finish(self) -> None:
        self.new_page()

    def space(self, height: float) -> None:
        if not self.at_top:
            self._space += height

    def place(self, rows: Sequence[Row], keep: float = 0.0, head: int = 0) -> None:
        """`rows` under each other, the next page taking over when one does not fit.

        A block up to `keep` points tall that does not fit in what is left of this page starts on the next one
        instead (kept together); the first `head` rows always stay together (a heading with what follows it).
        """
        if not self.at_top:
            room = self.room()
            total = _content_height(rows)
            if room < total <= keep or room < _content_height(rows[:head]):
                self.new_page()
        for row in rows:
            if row.draw is None:
                self.space(row.height)
                continue
            if row.height > self.room() and not self.at_top:
                self.new_page()
            self.y -= self._space
            self._space = 0.0
            row.draw(self.canv, self.left, self.y)
            self.y -= row.height

    def place_box(self, box: Box, rows: Sequence[Row], keep: float = 0.0) -> None:
        """`rows` in `box`. A box up to `keep` points tall that does not fit here starts on the next page; a taller one
        is split between rows, the box open at the cut."""
        width = self.width
        total = box.height(rows)
        if self.room() < total <= keep and not self.at_top:
            self.new_page()
        rest = list(rows)
        open_top = False
        while rest:
            if self.at_top:
                while rest and rest[0].draw is None:
                    rest.pop(0)
            room = self.room() - box.pad[1] - box.pad[3]
            taken: list[Row] = []
            used = 0.0
            while rest and used + rest[0].height <= room:
                used += rest[0].height
                taken.append(rest.pop(0))
            if not any(r.draw is not None for r in taken):
                if not self.at_top:
                    rest[:0] = taken  # nothing printable fits here: on to the next page
                    self.new_page()
                    continue
                taken += [rest.pop(0)] if rest else []  # taller than a page by itself: drawn anyway
            self.y -= self._space
            self._space = 0.0
            height = box.height(taken)
            box.draw(self.canv, self.left, self.y, width, height, open_top=open_top, open_bottom=bool(rest))
            top = self.y - box.pad[1]
            for row in taken:
                if row.draw is not None:
                    row.draw(self.canv, self.left + box.pad[0], top)
                top -= row.height
            self.y -= height
            open_top = True
            if rest:
                self.new_page()


def _content_height(rows: Sequence[Row]) -> float:
    """The height of `rows` down to the last one drawn (blank space after it is not needed on this page)."""
    drawn = [i for i, r in enumerate(rows) if r.draw is not None]
    return sum(r.height for r in rows[: drawn[-1] + 1]) if drawn else 0.0
