"""Page set-up shared by both documents (page size, margins, the file's settings, footer, numbered badge) and the small
flowables the progress report is made of (the home-care sheet is drawn on the canvas: ``pages.py``).

Everything that can hold caller text is splittable (long text flows onto the next page instead of raising
``LayoutError``): ``PlainText`` splits between its lines, ``Field`` and ``Fact`` with their value, and boxes between
(or inside) their flowables.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .lines import Fragment, Line, Measure, Style, draw_line, wrap, wrap_spans
from .text import fit
from .theme import ACCENT, INK, MUTED, RULE, Theme

MARGIN = 16 * mm
FOOTER_GAP = 9 * mm
# The file's settings, as reportlab's constructors take them: compressed page streams and reportlab's invariant mode
# (no clock in the file: its fixed creation date, 1 Jan 2000, and an identifier digested from the content). The same
# document is then the same bytes, so a kept copy is the file a new build would give; the date a document is issued
# on is printed on it.
FILE_SETTINGS: dict[str, Any] = {"pageCompression": 1, "invariant": 1, "lang": "en"}


def page_size(paper_size: str) -> tuple[float, float]:
    return LETTER if str(paper_size).upper() == "LETTER" else A4


def render(
    story: list[Flowable],
    *,
    theme: Theme,
    paper_size: str,
    title: str,
    author: str,
    subject: str,
    footer_left: str,
    underlay: Callable[[Canvas, float, float], None] | None = None,
) -> bytes:
    """Lays `story` out on numbered pages and returns the PDF.

    `title`, `author`, `subject` and `footer_left` are caller text: cleaned here to one line. `underlay(canvas, page
    width, page height)`, when given, is drawn on every page before its content (a watermark: the text stays on top).
    """
    buf = io.BytesIO()
    width, height = page_size(paper_size)
    meta_title = theme.text(title, multiline=False)
    doc = BaseDocTemplate(
        buf,
        pagesize=(width, height),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_GAP,
        title=meta_title,
        author=theme.text(author, multiline=False),
        subject=theme.text(subject, multiline=False),
        creator="clinic-charting",
        displayDocTitle=1,
        initialFontName=theme.regular,
        initialFontSize=10,
        **FILE_SETTINGS,
    )
    footer = theme.text(footer_left, multiline=False)

    def on_page(canv: Canvas, doc: BaseDocTemplate) -> None:
        draw_footer(canv, theme, width, doc.page, footer)

    frame = Frame(
        doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0,
        topPadding=0, bottomPadding=0,
    )  # fmt: skip

    def under(canv: Canvas, doc: BaseDocTemplate) -> None:
        if underlay is not None:
            canv.saveState()
            underlay(canv, width, height)
            canv.restoreState()

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=under, onPageEnd=on_page)])
    doc.build(story)
    return buf.getvalue()


def draw_footer(canv: Canvas, theme: Theme, page_width: float, page: int, footer: str) -> None:
    """The footer: a rule, `footer` (one line of cleaned text, shortened to fit) and the page number. Drawn after the
    page's content, so that text extraction reads it last."""
    canv.saveState()
    y = MARGIN + 2.5 * mm
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.6)
    canv.line(MARGIN, y + 9, page_width - MARGIN, y + 9)
    canv.setFillColor(MUTED)
    canv.setFont(theme.regular, 7.8)
    number = f"Page {page}"
    number_w = canv.stringWidth(number, theme.regular, 7.8)
    canv.drawRightString(page_width - MARGIN, y, number)
    shown = fit(footer, theme.regular, 7.8, page_width - 2 * MARGIN - number_w - 12)
    draw_line(canv, MARGIN, y, ((shown, theme.regular, MUTED),), 7.8)  # a CJK name in a fallback font (glyphs.py)
    canv.restoreState()


def content_width(paper_size: str) -> float:
    return page_size(paper_size)[0] - 2 * MARGIN


def content_height(paper_size: str) -> float:
    return page_size(paper_size)[1] - 2 * MARGIN - FOOTER_GAP


# --- flowables -------------------------------------------------------------------------------------------------------


class PlainText(Flowable):
    """Text without markup in one paragraph style: a caller's string (already cleaned), or spans that name their own
    font and colour (a bold label, a green verdict), after a bullet if given.

    Wrapped by ``lines.wrap`` and drawn line by line on the canvas: caller text is never parsed as Paragraph markup.
    It splits between lines and, like the theme's paragraphs (no orphans, no widows), does not leave one line of a
    paragraph alone on a page.
    """

    def __init__(
        self, text: str | Sequence[Fragment], style: ParagraphStyle, *, bullet: str = "",
        lines: list[Line] | None = None, at: float = -1.0,
    ) -> None:  # fmt: skip
        super().__init__()
        self.text = text
        self.style = style
        self.bullet = bullet
        self._style = Style(style.fontName, style.fontName, style.fontSize, style.leading, style.textColor)
        self._lines: list[Line] = lines or []
        self._at = at  # the width the lines were wrapped at

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        room = availWidth - self.style.leftIndent - self.style.rightIndent
        if room != self._at:
            if isinstance(self.text, str):
                self._lines = wrap(((self.text, False),), self._style, room, Measure())
            else:
                self._lines = wrap_spans(self.text, self._style.size, room, Measure())
            self._lines = self._lines or [()]
            self._at = room
        self.width, self.height = availWidth, len(self._lines) * self._style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        lines = self._lines
        fit = int(availHeight / self._style.leading + 1e-6)
        if len(lines) - fit == 1:
            fit -= 1  # no widow
        if fit < 2 or fit >= len(lines):  # no orphan, or nothing to split
            return []
        return [self._part(lines[:fit], self.bullet), self._part(lines[fit:], "")]

    def _part(self, lines: list[Line], bullet: str) -> PlainText:
        """Some of the lines (their text keeps its line ends, should it ever be wrapped again at another width)."""
        spans = [fragment for i, line in enumerate(lines) for fragment in ((("\n", *line[0][1:]),) if i else ()) + line]
        return PlainText(spans, self.style, bullet=bullet, lines=lines, at=self._at)

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def draw(self) -> None:
        canv = self.canv
        style, s = self.style, self._style
        if self.bullet:  # where a Paragraph puts it: at the bullet indent, on the first baseline
            mark = ((self.bullet, style.bulletFontName, style.textColor),)
            draw_line(canv, style.bulletIndent, self.height - s.size, mark, style.bulletFontSize)
        for i, line in enumerate(self._lines):
            draw_line(canv, style.leftIndent, self.height - s.size - i * s.leading, line, s.size)


class Fact(Flowable):
    """A small muted label over its value, in the header (the label is the builder's own word); splits with the value.

    Label and value were once one paragraph: each line's baseline sits a label's size below the line's top.
    """

    LABEL_SIZE = 8.6

    def __init__(self, label: str, value: PlainText, font: str) -> None:
        super().__init__()
        self.label = label
        self.value = value
        self.font = font

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        leading = self.value.style.leading
        _, h = self.value.wrap(availWidth, availHeight - leading)
        self.width, self.height = availWidth, leading + h
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self.value.split(availWidth, availHeight - self.value.style.leading)
        return [Fact(self.label, parts[0], self.font), *parts[1:]] if parts else []

    def draw(self) -> None:
        canv = self.canv
        canv.setFillColor(MUTED)
        canv.setFont(self.font, self.LABEL_SIZE)
        canv.drawString(0, self.height - self.LABEL_SIZE, self.label)
        self.value.drawOn(canv, 0, self.value.style.fontSize - self.LABEL_SIZE)


class Field(Flowable):
    """A label in a left column and its value beside it, e.g. "How long   30-60 s per spot"; splits with the value.

    The label is the builder's own short word (never caller text) and is drawn straight on the canvas.
    """

    def __init__(
        self, label: str | None, value: Flowable, label_width: float, indent: float = 0.0, *,
        font: str = "",
        size: float = 9.2, colour: Color = MUTED, symbol: Flowable | None = None,
    ) -> None:  # fmt: skip
        super().__init__()
        self.symbol = symbol
        self.label = label
        self.value = value
        self.label_width = label_width
        self.indent = indent
        style = getattr(value, "style", None)
        self.font = font or (style.fontName if style is not None else "Helvetica")
        self.size = size
        self.colour = colour

    def _again(self, value: Flowable, label: str | None, symbol: Flowable | None = None) -> Field:
        return Field(label, value, self.label_width, self.indent, font=self.font, size=self.size, colour=self.colour,
                     symbol=symbol)  # fmt: skip

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, value_h = self.value.wrap(availWidth - self.indent - self.label_width, availHeight)
        symbol_h = self.symbol.wrap(self.label_width, availHeight)[1] if self.symbol is not None else 0.0
        self.width, self.height = availWidth, max(value_h, symbol_h)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self.value.split(availWidth - self.indent - self.label_width, availHeight)
        if not parts:
            return []
        first = self._again(parts[0], self.label, self.symbol)
        return [first, *[self._again(p, None) for p in parts[1:]]]

    def getSpaceBefore(self) -> float:
        return float(self.value.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.value.getSpaceAfter())

    def draw(self) -> None:
        # The label first, so that text extraction and screen readers meet it before its value.
        if self.label:
            # On the value's first baseline (a Paragraph puts it one font size below its top).
            canv = self.canv
            canv.setFillColor(self.colour)
            canv.setFont(self.font, self.size)
            style = getattr(self.value, "style", None)
            canv.drawString(self.indent, self.height - (style.fontSize if style else self.size), self.label)
        if self.symbol is not None:
            self.symbol.drawOn(self.canv, self.indent, self.height - self.symbol.height)
        self.value.drawOn(self.canv, self.indent + self.label_width, self.height - self.value.height)


def draw_badge(canv: Canvas, x: float, y: float, radius: float, number: str, colour: Color, font: str) -> None:
    """A filled circle with a white rim and a white number in it, centred on (x, y)."""
    canv.saveState()
    canv.setFillColor(colour)
    canv.setStrokeColorRGB(1, 1, 1)
    canv.setLineWidth(max(0.6, radius / 8))
    canv.circle(x, y, radius, stroke=1, fill=1)
    digits = len(number)
    size = radius * (1.2 if digits <= 1 else 1.05 if digits == 2 else 0.82)
    canv.setFillColorRGB(1, 1, 1)
    canv.setFont(font, size)
    canv.drawCentredString(x, y - size * 0.36, number)  # the number's baseline below the centre
    canv.restoreState()


def polylines(canv: Canvas, lines: Iterable[Sequence[tuple[float, float]]], *, closed: bool = False) -> PDFPathObject:
    """A path through each line's points (closed back to its first point when `closed`), for ``canv.drawPath``."""
    path = canv.beginPath()
    for (x0, y0), *rest in lines:
        path.moveTo(x0, y0)
        for x, y in rest:
            path.lineTo(x, y)
        if closed:
            path.close()
    return path


class Rule(Flowable):
    """A thin horizontal line."""

    def __init__(self, colour: Color = RULE, thickness: float = 0.7, space: float = 4.0) -> None:
        super().__init__()
        self.colour = colour
        self.thickness = thickness
        self.space = space

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.thickness + 2 * self.space

    def draw(self) -> None:
        self.canv.setStrokeColor(self.colour)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.space, self.width, self.space)


class Boxed(Flowable):
    """Flowables in a tinted, bordered box; when it does not fit, it splits between (or inside) its flowables and
    continues on the next page with the border open at the cut."""

    PAD = (9.0, 6.0, 9.0, 7.0)  # left, top, right, bottom

    def __init__(
        self, content: Sequence[Flowable], *, fill: Color, edge: Color, edge_width: float = 1.0,
        open_top: bool = False, open_bottom: bool = False,
    ) -> None:  # fmt: skip
        super().__init__()
        self.content = list(content)
        self.fill = fill
        self.edge = edge
        self.edge_width = edge_width
        self.open_top = open_top
        self.open_bottom = open_bottom
        self._placed: list[tuple[Flowable, float]] = []

    def _again(self, content: Sequence[Flowable], *, open_top: bool, open_bottom: bool) -> Boxed:
        return Boxed(content, fill=self.fill, edge=self.edge, edge_width=self.edge_width, open_top=open_top,
                     open_bottom=open_bottom)  # fmt: skip

    def _inner(self, availWidth: float) -> float:
        return availWidth - self.PAD[0] - self.PAD[2]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        inner = self._inner(availWidth)
        y = 0.0
        placed = []
        for i, f in enumerate(self.content):
            if i:
                y += max(f.getSpaceBefore(), self.content[i - 1].getSpaceAfter())
            _, h = f.wrap(inner, max(availHeight, 1.0))
            placed.append((f, y + h))  # the flowable's bottom, measured down from the top of the content
            y += h
        self._placed = placed
        self.width, self.height = availWidth, y + self.PAD[1] + self.PAD[3]
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        inner = self._inner(availWidth)
        room = availHeight - self.PAD[1] - self.PAD[3]
        used = 0.0
        first: list[Flowable] = []
        rest: list[Flowable] = []
        for i, f in enumerate(self.content):
            gap = max(f.getSpaceBefore(), self.content[i - 1].getSpaceAfter()) if first else 0.0
            _, h = f.wrap(inner, max(room - used - gap, 1.0))
            if used + gap + h <= room:
                first.append(f)
                used += gap + h
                continue
            parts = f.split(inner, room - used - gap) if room - used - gap > 0 else []
            if parts:
                first.append(parts[0])
                rest = [*parts[1:], *self.content[i + 1 :]]
            else:
                rest = self.content[i:]
            break
        if not first or not rest:
            return []
        return [
            self._again(first, open_top=self.open_top, open_bottom=True),
            self._again(rest, open_top=True, open_bottom=self.open_bottom),
        ]

    def draw(self) -> None:
        canv = self.canv
        w, h = self.width, self.height
        canv.saveState()
        canv.setFillColor(self.fill)
        canv.rect(0, 0, w, h, stroke=0, fill=1)
        canv.setStrokeColor(self.edge)
        canv.setLineWidth(self.edge_width)
        canv.line(0, 0, 0, h)
        canv.line(w, 0, w, h)
        if not self.open_top:
            canv.line(0, h, w, h)
        if not self.open_bottom:
            canv.line(0, 0, w, 0)
        canv.restoreState()
        top = h - self.PAD[1]
        for f, bottom in self._placed:
            f.drawOn(canv, self.PAD[0], top - bottom)


def box(content: Sequence[Flowable], *, fill: Color, edge: Color, edge_width: float = 1.0) -> Boxed:
    """`content` in a tinted, bordered box that may continue onto the next page."""
    return Boxed(content, fill=fill, edge=edge, edge_width=edge_width)


class Columns(Flowable):
    """Flowables side by side, tops aligned. Moves whole to the next page when it does not fit; one taller than
    `max_height` (a page) is stacked instead, so each column can split on its own."""

    def __init__(self, cells: Sequence[Flowable], widths: Sequence[float], max_height: float, gap: float = 0.0) -> None:
        super().__init__()
        self.cells = list(cells)
        self.widths = list(widths)
        self.max_height = max_height
        self.gap = gap
        self._heights: list[float] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._heights = [c.wrap(w, availHeight)[1] for c, w in zip(self.cells, self.widths, strict=True)]
        self.width = sum(self.widths) + self.gap * (len(self.widths) - 1)
        self.height = max(self._heights, default=0.0)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.height <= self.max_height:
            return []  # fits on a fresh page
        # Taller than a page: stack the cells (full width) and let the first one split here.
        first, *rest = self.cells
        head = first.split(availWidth, availHeight)
        return [*head, *rest] if head else []

    def draw(self) -> None:
        x = 0.0
        for cell, w, h in zip(self.cells, self.widths, self._heights, strict=True):
            cell.drawOn(self.canv, x, self.height - h)
            x += w + self.gap


def grid(
    rows: list[list[Any]],
    col_widths: Sequence[float],
    *,
    theme: Theme,
    header: bool = True,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A plain data table: a header row repeated on each page, light rules, rows that split across pages.

    Cells are flowables (caller text, wrapped) or plain strings (the builder's own words, numbers and dates).
    """
    table = Table(rows, colWidths=list(col_widths), repeatRows=1 if header else 0, splitInRow=1, hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), theme.regular, 9, 11.6),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        style += [
            ("LINEBELOW", (0, 0), (-1, 0), 0.9, ACCENT),
            ("FONT", (0, 0), (-1, 0), theme.bold, 8.4, 10.6),
            ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
        ]
    style += list(extra)
    table.setStyle(TableStyle(style))
    return table


def header_block(
    theme: Theme,
    width: float,
    *,
    clinic_name: str,
    clinic_contact: str,
    title: str,
    facts: Sequence[tuple[str, str]],
    max_height: float,
) -> list[Flowable]:
    """Clinic name and contact, the document's title, then "Label: value" facts in a row; caller text."""
    clinic: list[Flowable] = [PlainText(theme.text(clinic_name), theme["clinic"])]  # an empty name keeps its line
    if theme.text(clinic_contact):
        clinic.append(PlainText(theme.text(clinic_contact), theme["small"]))
    cells: list[Flowable] = [
        Fact(label, PlainText(theme.text(value) or "–", theme["body"]), theme.regular) for label, value in facts
    ]
    per_row = len(cells) if len(cells) <= 4 else 3
    col_w = width / max(per_row, 1)
    facts_rows: list[Flowable] = []
    for i in range(0, len(cells), per_row):
        if i:
            facts_rows.append(Spacer(1, 5))
        row = cells[i : i + per_row]
        facts_rows.append(Columns(row, [col_w - 8] * len(row), max_height, gap=8))
    return [
        *clinic,
        Rule(ACCENT, 1.4, 5),
        PlainText(theme.text(title), theme["title"]),
        Spacer(1, 6),
        *facts_rows,
        Rule(RULE, 0.7, 4),
    ]
