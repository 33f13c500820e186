"""The patient's home-care sheet: a short, illustrated self-care programme to take home.

``build_home_care_pdf(sheet) -> bytes`` is pure: the sheet in, the PDF out (no Django, no queries). Order on the page:
header; a red-flag notice if self-care was withheld; the body figure (numbered dots where to work, shaded where it
hurts) with its key and the points at a glance; one block per point; "Change these too"; the safety rules; when to
seek care; the next visit.

Two steps: ``_content`` turns the sheet into the exact strings to print (cleaned once), which choose the fonts
(``theme_for``: Helvetica when they are all WinAnsi); ``_Layout`` then draws them on a reportlab canvas with the small
layout in ``pages.py``, and ``Canvas.save()`` writes the file. The sheet prints its issue date, not a time: the same
content on the same day is the same file.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from . import theme as _theme
from .figure import LABELS as FIGURE_LABELS
from .figure import BodyFigure, markers_for, shaded_regions
from .layout import FILE_SETTINGS, draw_badge, page_size
from .lines import Line, Measure, Run, Style, draw_line, wrap
from .pages import Box, Pages, Row, gap, stack, text_rows
from .text import fmt_date, one_line, side_words, truncate
from .theme import (
    ACCENT,
    ALERT_EDGE,
    ALERT_FILL,
    INK,
    PAIN,
    PAIN_EDGE,
    RULE,
    SAFETY_EDGE,
    SAFETY_FILL,
    Theme,
    theme_for,
)
from .types import HomeCarePoint, HomeCareSheet

DEFAULT_INTENSITY = "about 7/10: uncomfortable, not excruciating"
DEFAULT_SAFETY = (
    "If the area is sore the next day, stop and rest it until the soreness has gone.",
    "Do not work on the painful spot itself: work on the numbered point.",
    "Do not press on an area that is red, hot or swollen: do not inflame an inflamed area.",
    "Never work through sharp, shooting or electric pain, numbness or tingling.",
)
DEFAULT_SEEK_CARE = (
    "Pain that keeps getting worse, wakes you at night, or spreads.",
    "New numbness, tingling or weakness, or fever or feeling generally unwell with the pain.",
)
SEEK_CARE_INTRO = "Contact us or your doctor straight away if you notice:"
NO_POINTS = "No self-care points this time."
GLANCE_LIMIT = 6  # points summarised beside the figure; the blocks below always list them all
FIGURE_SHARE = 0.56  # of the text width
LABEL_WIDTH = 74.0
GUTTER = 26.0
KEEP_SHARE = 0.45  # a point block (or a box) up to this share of a page is kept on one page
KEY_INDENT = 22.0  # the figure key's text, after its symbol
SWATCH = 16.0

Symbol = Callable[[Canvas, float, float], None]  # a key symbol, drawn in a SWATCH square from its top left corner


def build_home_care_pdf(sheet: HomeCareSheet) -> bytes:
    """The home-care sheet as PDF bytes (A4 or US Letter, as the sheet says)."""
    content = _content(sheet, _theme.THEME)
    t = theme_for(content.strings())
    buf = io.BytesIO()
    size = page_size(sheet.paper_size)
    canv = Canvas(buf, pagesize=size, initialFontName=t.regular, initialFontSize=10, **FILE_SETTINGS)
    title, author, subject = content.metadata
    canv.setTitle(title)
    canv.setAuthor(author)
    canv.setSubject(subject)
    canv.setCreator("clinic-charting")
    canv.setViewerPreference("DisplayDocTitle", "true")
    pages = Pages(canv, size, t, content.footer)
    _Layout(pages, t).draw(sheet, content)
    pages.finish()
    canv.save()
    return buf.getvalue()


# --- what the sheet prints -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Point:
    number: str  # on the badge and on the figure's dot
    heading: str  # "Upper trapezius (top of the shoulder), right side"
    anatomical: str  # under the heading, when the plain name does not already say it
    fields: tuple[tuple[str, tuple[Run, ...]], ...]  # (label, value)
    protocol: str


@dataclass(frozen=True)
class _Glance:
    number: str
    head: str
    tail: str


@dataclass(frozen=True)
class _Content:
    """Every string the sheet prints, cleaned (the builder's own words are WinAnsi: see test_home_care_layout)."""

    clinic_name: str
    clinic_contact: str
    title: str
    facts: tuple[tuple[str, str], ...]
    notice: str
    hurts: str
    points: tuple[_Point, ...]
    glance: tuple[_Glance, ...]
    actions: tuple[tuple[Run, ...], ...]
    safety: tuple[str, ...]
    seek_care: tuple[str, ...]
    closing: tuple[Run, ...]
    footer: str
    metadata: tuple[str, str, str]  # title, author, subject

    def strings(self) -> Iterator[str]:
        yield from (self.clinic_name, self.clinic_contact, self.title, self.notice, self.hurts, self.footer)
        yield from (s for fact in self.facts for s in fact)
        for p in self.points:
            yield from (p.number, p.heading, p.anatomical, p.protocol)
            yield from (text for _, runs in p.fields for text, _ in runs)
        yield from (s for g in self.glance for s in (g.number, g.head, g.tail))
        yield from (text for runs in (*self.actions, self.closing) for text, _ in runs)
        yield from (*self.safety, *self.seek_care, *self.metadata, *FIGURE_LABELS)


def _content(sheet: HomeCareSheet, t: Theme) -> _Content:
    """The sheet's text: each caller string cleaned once by `t` (which replaces what Helvetica cannot show only in the
    fallback, when the DejaVu files are missing)."""
    text = t.text
    patient = text(sheet.patient_name)
    practitioner = text(sheet.practitioner)
    contact = text(sheet.clinic_contact)
    clinic = text(sheet.clinic_name)
    title = text(sheet.title)
    visit = fmt_date(sheet.visit_date)
    facts = [("Patient", patient), ("Visit", visit), ("Practitioner", practitioner)]
    if sheet.follow_up_on is not None:
        facts.append(("Next visit", fmt_date(sheet.follow_up_on)))

    labels = {str(zone): text(label, multiline=False) for zone, label in sheet.zone_labels}
    hurts: list[str] = []
    for zone, side in sheet.painful_zones:
        name = labels.get(str(zone)) or text(str(zone).replace("_", " "), multiline=False)
        where = side_words(text(side, multiline=False))
        item = f"{name} ({where})" if where else name
        if name and item not in hurts:
            hurts.append(item)

    actions: list[tuple[Run, ...]] = []
    for action in sheet.stressor_actions:
        label, what = text(action.label), text(action.action)
        if label and what:
            actions.append(((label, True), (f": {what}", False)))
        elif label or what:
            actions.append(((label, True),) if label else ((what, False),))

    title_line = one_line(title)
    patient_line = one_line(patient)
    return _Content(
        clinic_name=clinic,
        clinic_contact=contact,
        title=title,
        facts=tuple(facts),
        notice=text(sheet.red_flag_notice) if sheet.red_flag_notice is not None else "",
        hurts=truncate("; ".join(hurts), 240),
        points=tuple(_point(t, p) for p in sheet.points),
        glance=tuple(_glance(t, p) for p in sheet.points[:GLANCE_LIMIT]),
        actions=tuple(actions),
        safety=tuple(s for s in (text(x) for x in sheet.safety) if s) or DEFAULT_SAFETY,
        seek_care=tuple(s for s in (text(x) for x in sheet.seek_care) if s) or DEFAULT_SEEK_CARE,
        closing=_closing(sheet, t),
        footer=f"{patient_line} · {title_line} · {visit}",
        metadata=(
            f"{title_line}: {patient_line} ({visit})",
            one_line(clinic),
            f"Home-care programme from the visit on {visit}",
        ),
    )


def _closing(sheet: HomeCareSheet, t: Theme) -> tuple[Run, ...]:
    """The last line: the next visit, on which day and by whom the sheet was issued, whom to ask."""
    practitioner, contact = t.text(sheet.practitioner), t.text(sheet.clinic_contact)
    closing: list[Run] = []
    if sheet.follow_up_on is not None:
        closing.append((f"Your next visit: {fmt_date(sheet.follow_up_on)}.", True))
    issued = f"Issued {fmt_date(sheet.issued_on)}" + (f" by {practitioner}" if practitioner else "") + "."
    closing.append((("" if not closing else " ") + issued + (f" Questions? {contact}" if contact else ""), False))
    return tuple(closing)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _point(t: Theme, point: HomeCarePoint) -> _Point:
    text = t.text
    plain = text(point.plain_name or point.muscle_name, multiline=False)
    side = side_words(text(point.side, multiline=False))
    heading = (_cap(plain) or "Muscle") + (f", {side}" if side else "")
    anatomical = text(point.muscle_name, multiline=False)
    if anatomical.lower() in plain.lower():
        anatomical = ""
    tools = [s for s in (text(x, multiline=False) for x in point.tools) if s]
    tool: tuple[Run, ...] = ()
    if len(tools) == 1:
        tool = ((_cap(tools[0]), True),)
    elif tools:  # the chosen tool, then the alternatives
        tool = ((_cap(tools[0]), True), (" (or: " + ", ".join(tools[1:]) + ")", False))
    values: list[tuple[str, tuple[Run, ...]]] = [
        ("Where", ((text(point.where), False),)),
        ("Tool", tool),
        ("Technique", ((text(point.method), False),)),
        ("How long", ((text(point.duration), False),)),
        ("How often", ((text(point.frequency), False),)),
        ("How hard", ((text(point.intensity) or DEFAULT_INTENSITY, False),)),
        ("Stop if", ((text(point.stop_rule), False),)),
        ("Caution", ((text(point.caution), False),)),
    ]
    name, source = text(point.protocol_name), text(point.protocol_source)
    protocol = (
        (f"Protocol: {name}" + (f" ({source})" if source else "")) if name else f"Source: {source}" if source else ""
    )
    return _Point(
        number=truncate(text(point.number, multiline=False), 4) or "•",
        heading=heading,
        anatomical=anatomical,
        fields=tuple((label, runs) for label, runs in values if runs and runs[0][0]),
        protocol=protocol,
    )


def _glance(t: Theme, point: HomeCarePoint) -> _Glance:
    text = t.text
    name = text(point.plain_name or point.muscle_name, multiline=False)
    where = side_words(text(point.side, multiline=False))
    details = [text(x, multiline=False) for x in (*point.tools[:1], point.duration, point.frequency)]
    return _Glance(
        number=truncate(text(point.number, multiline=False), 4),
        head=truncate(", ".join(b for b in (_cap(name), where) if b), 70),
        tail=truncate(" · ".join(d for d in details if d), 90),
    )


# --- drawing it ------------------------------------------------------------------------------------------------------


class _Layout:
    """The sheet's blocks, as rows for ``Pages``: sizes and spacing follow the theme's paragraph styles."""

    def __init__(self, pages: Pages, t: Theme) -> None:
        self.pages = pages
        self.t = t
        self.measure = Measure()
        self.s = {
            name: Style(ps.fontName, t.bold, ps.fontSize, ps.leading, ps.textColor) for name, ps in t.styles.items()
        }
        self.s["closing"] = replace(self.s["small"], strong=INK)

    def para(self, runs: Sequence[Run], style: str, width: float, indent: float = 0.0) -> list[Row]:
        s = self.s[style]
        return text_rows(wrap(runs, s, width - indent, self.measure), s, indent)

    def plain(self, text: str, style: str, width: float, indent: float = 0.0) -> list[Row]:
        return self.para(((text, False),), style, width, indent)

    def draw(self, sheet: HomeCareSheet, c: _Content) -> None:
        pages = self.pages
        width = pages.width
        pages.place(self.header(c, width))
        if c.notice:
            pages.space(4)
            box = Box(ALERT_FILL, ALERT_EDGE, 1.6)
            inner = box.inner(width)
            rows = self.plain("Important: please read this first", "alert_title", inner)
            rows += self.plain(c.notice, "body", inner)
            pages.place_box(box, rows, keep=pages.page_height * KEEP_SHARE)
            pages.space(8)
        figure = self.figure(sheet, c, width)
        if figure is not None:
            pages.space(4)
            pages.place([figure])
            pages.space(2)
        self.points(c, width)
        if c.actions:
            pages.space(10)
            heading = [*self.plain("Change these too", "h2", width), gap(4)]
            for i, runs in enumerate(c.actions):
                rows, head = self.bullet(runs, width), 2  # no bullet's first line alone at the foot of a page
                if i == 0:  # and the heading stays with the start of the first item
                    rows, head = heading + rows, head + len(heading)
                pages.place(rows, head=head)
                pages.space(1.5)
        pages.space(8)
        pages.place_boxes(
            [
                (Box(SAFETY_FILL, SAFETY_EDGE), lambda w: self.list_box("Safety first", c.safety, w)),
                (Box(ALERT_FILL, ALERT_EDGE), lambda w: self.list_box("When to seek care", c.seek_care, w,
                                                                       SEEK_CARE_INTRO)),
            ],
            gap=10,
            keep=pages.page_height * KEEP_SHARE,
        )  # fmt: skip
        pages.space(6)
        pages.place(self.para(c.closing, "closing", width))

    # --- header ---

    def header(self, c: _Content, width: float) -> list[Row]:
        rows = self.plain(c.clinic_name, "clinic", width) or [Row(self.s["clinic"].leading, _blank)]
        if c.clinic_contact:
            rows += self.plain(c.clinic_contact, "small", width)
        rows.append(_rule(ACCENT, 1.4, 5, width))
        rows += self.plain(c.title, "title", width)
        rows.append(gap(6))
        rows += self.facts(c.facts, width)
        rows.append(_rule(RULE, 0.7, 4, width))
        return rows

    def facts(self, facts: Sequence[tuple[str, str]], width: float) -> list[Row]:
        """The facts (patient, visit, ...) in a row of columns: small muted labels over the values, each value wrapped
        in its column; one row per line, so that a long value goes on over the page."""
        body = self.s["body"]
        muted = self.s["small"].colour
        col = width / max(len(facts), 1)
        labels = tuple((i * col, ((name, body.font, muted),)) for i, (name, _) in enumerate(facts))
        values = [wrap(((value or "–", False),), body, col - 8, self.measure) for _, value in facts]
        # Label and value were one paragraph: every line's baseline is the small label's size below its top.
        rows = [_columns_row(labels, 8.6, body.leading, 8.6)]
        for n in range(max(len(v) for v in values)):
            line = tuple((i * col, v[n]) for i, v in enumerate(values) if n < len(v))
            rows.append(_columns_row(line, body.size, body.leading, 8.6))
        return rows

    # --- figure and key ---

    def figure(self, sheet: HomeCareSheet, c: _Content, width: float) -> Row | None:
        markers = markers_for((p.number, sp.muscle_slug, sp.side) for p, sp in zip(c.points, sheet.points, strict=True))
        shaded = shaded_regions(sheet.painful_zones)
        if not markers and not shaded:
            return None
        figure_w = width * FIGURE_SHARE
        side_w = width - figure_w - 8
        figure = BodyFigure(figure_w, self.t, markers, shaded)

        key = [*self.plain("How to read the figure", "h3", side_w), gap(2)]
        if markers:
            key += self.keyed(_dot("1", self.t.bold), self.para((("Numbered dots:", True), (" where to work.", False)),
                                                              "body", side_w, KEY_INDENT))  # fmt: skip
        if shaded:
            key += self.keyed(_shade, self.para((("Shaded:", True), (" where it hurts.", False)), "body", side_w,
                                                KEY_INDENT))  # fmt: skip
        if markers:
            key.append(gap(3))
            key += self.plain("The point is not where it hurts: work on the dot, not on the sore spot.", "body", side_w)
        if c.hurts:
            key.append(gap(6))
            key += self.para((("Where it hurts:", True), (" " + c.hurts, False)), "small", side_w)
        if c.glance:
            key += [gap(12), *self.plain("At a glance", "h3", side_w), gap(2)]
            for g in c.glance:
                lines = self.plain(g.head, "cell_bold", side_w, KEY_INDENT)
                if g.tail:
                    lines += self.plain(g.tail, "glance", side_w, KEY_INDENT)
                key += self.keyed(_dot(g.number, self.t.bold), [*lines, gap(3)])
            if len(c.points) > GLANCE_LIMIT:
                key += self.plain(f"… and {len(c.points) - GLANCE_LIMIT} more, below.", "small", side_w)
        key_row = stack(key)

        def draw(canv: Canvas, x: float, top: float) -> None:
            figure.draw_on(canv, x, top - figure.height)
            if key_row.draw is not None:
                key_row.draw(canv, x + figure_w + 8, top)

        return Row(max(figure.height, key_row.height), draw)

    def keyed(self, symbol: Symbol, rows: list[Row]) -> list[Row]:
        """`rows` with a key symbol beside the first one, at least as tall as the symbol."""
        if not rows:
            return rows
        first = rows[0]

        def draw(canv: Canvas, x: float, top: float) -> None:
            symbol(canv, x, top)
            if first.draw is not None:
                first.draw(canv, x, top)

        total = sum(r.height for r in rows)
        return [Row(first.height, draw), *rows[1:], *([gap(SWATCH - total)] if total < SWATCH else [])]

    # --- the points ---

    def points(self, c: _Content, width: float) -> None:
        pages = self.pages
        pages.space(10)
        heading = [*self.plain("Your self-care points", "h2", width), gap(4)]
        if not c.points:
            sentence = NO_POINTS + (" Please read the notice above." if c.notice else "")
            pages.place([*heading, *self.plain(sentence, "body", width)], head=len(heading) + 1)
            return
        heading += self.plain(
            "Work on each numbered point as described, in this order. The point is often away from where it hurts.",
            "small",
            width,
        )
        heading.append(gap(4))
        for i, point in enumerate(c.points):
            rows = self.point(point, width)
            if i < len(c.points) - 1:
                rows.append(_rule(RULE, 0.6, 4, width))
            head = 3  # a long point flows on, but starts with its heading and first line on the same page
            if i == 0:
                rows = heading + rows  # the section heading stays with the first point
                head += len(heading)
            pages.place(rows, keep=pages.page_height * KEEP_SHARE, head=head)

    def point(self, point: _Point, width: float) -> list[Row]:
        s = self.s["point"]
        lines = wrap(((point.heading, False),), s, width - GUTTER, self.measure)
        rows = text_rows(lines, s, GUTTER)
        if len(rows) == 1:
            rows = [Row(20.0, rows[0].draw)]  # the badge is taller than one line
        heading = rows[0]
        number, bold = point.number, self.t.bold

        def badged(canv: Canvas, x: float, top: float) -> None:
            draw_badge(canv, x + 9, top - s.size + 4, 9.0, number, ACCENT, bold)
            if heading.draw is not None:
                heading.draw(canv, x, top)

        rows[0] = Row(heading.height, badged)
        if point.anatomical:
            rows += self.plain(point.anatomical, "small", width, GUTTER)
        rows.append(gap(3))
        for label, runs in point.fields:
            rows += self.field(label, runs, width)
        if point.protocol:
            rows += [gap(2), *self.plain(point.protocol, "tiny", width, GUTTER)]
        return rows

    def field(self, label: str, runs: Sequence[Run], width: float) -> list[Row]:
        """A muted bold label in its column, the value beside it on the same first baseline."""
        value = self.s["value"]
        rows = self.para(runs, "value", width, GUTTER + LABEL_WIDTH)
        first = rows[0]
        line: Line = ((label, self.t.bold, self.s["label"].colour),)

        def draw(canv: Canvas, x: float, top: float) -> None:
            draw_line(canv, x + GUTTER, top - value.size, line, 9.2)
            if first.draw is not None:
                first.draw(canv, x, top)

        return [Row(first.height, draw), *rows[1:]]

    # --- lists and boxes ---

    def bullet(self, runs: Sequence[Run], width: float) -> list[Row]:
        rows = self.para(runs, "bullet", width, 12)
        if not rows:
            return rows
        first = rows[0]
        body = self.s["bullet"]
        mark: Line = (("•", body.font, INK),)

        def draw(canv: Canvas, x: float, top: float) -> None:
            draw_line(canv, x + 2, top - body.size, mark, 10)
            if first.draw is not None:
                first.draw(canv, x, top)

        return [Row(first.height, draw), *rows[1:]]

    def list_box(self, title: str, items: Sequence[str], width: float, intro: str = "") -> list[Row]:
        rows = [*self.plain(title, "box_title", width), gap(2)]
        if intro:
            rows += self.plain(intro, "small", width)
        for i, item in enumerate(items):
            if i:
                rows.append(gap(1.5))
            rows += self.bullet(((item, False),), width)
        return rows


# --- small drawings --------------------------------------------------------------------------------------------------


def _dot(number: str, font: str) -> Symbol:
    def draw(canv: Canvas, x: float, top: float) -> None:
        draw_badge(canv, x + SWATCH / 2, top - SWATCH / 2 - 1, 6.6, number, ACCENT, font)

    return draw


def _shade(canv: Canvas, x: float, top: float) -> None:
    canv.saveState()
    canv.setFillColor(PAIN)
    canv.setStrokeColor(PAIN_EDGE)
    canv.setLineWidth(0.6)
    canv.roundRect(x + 1.5, top - SWATCH + 1, SWATCH - 3, SWATCH - 4, 2, stroke=1, fill=1)
    canv.restoreState()


def _blank(canv: Canvas, x: float, top: float) -> None:
    """An empty line that still takes its place (an empty clinic name)."""


def _rule(colour: Color, thickness: float, space: float, width: float) -> Row:
    """A line across `width` with `space` above and below it."""

    def draw(canv: Canvas, x: float, top: float) -> None:
        canv.saveState()
        canv.setStrokeColor(colour)
        canv.setLineWidth(thickness)
        canv.line(x, top - space - thickness, x + width, top - space - thickness)
        canv.restoreState()

    return Row(thickness + 2 * space, draw)


def _columns_row(cells: Sequence[tuple[float, Line]], size: float, leading: float, baseline: float) -> Row:
    def draw(canv: Canvas, x: float, top: float) -> None:
        for dx, line in cells:
            draw_line(canv, x + dx, top - baseline, line, size)

    return Row(leading, draw)
