"""The patient's home-care sheet: a short, illustrated self-care programme to take home.

``build_home_care_pdf(sheet) -> bytes`` is pure: the sheet in, the PDF out (no Django, no queries). Every word about
the patient's care arrives in the sheet, already in plain language (the catalog's patient words, chosen by
``assessments.document_selectors``); the builder adds only its headings and labels. Order on the page: header (clinic
name, address and phone); a red-flag notice if self-care was withheld; the practitioner's note; the body figure
(numbered dots where to work, shaded where it hurts) with its key and the spots at a glance; one block per spot (one
dose, for the one tool); "Things to change"; "Safety first" beside "When to get help" in three tiers, most urgent first;
the next visit and whom to call. Large type prints every style ``LARGE_TYPE`` times bigger.

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
    ACCENT_LIGHT,
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

LARGE_TYPE = 1.3  # how much bigger everything prints in large type
GLANCE_LIMIT = 6  # points summarised beside the figure; the blocks below always list them all
FIGURE_SHARE = 0.56  # of the text width
LABEL_WIDTH = 74.0  # at the body size BASE_SIZE; it grows with large type
BASE_SIZE = 10.2
GUTTER = 26.0
KEEP_SHARE = 0.45  # a point block (or a box) up to this share of a page is kept on one page
KEY_INDENT = 22.0  # the figure key's text, after its symbol
SWATCH = 16.0

Symbol = Callable[[Canvas, float, float], None]  # a key symbol, drawn in a SWATCH square from its top left corner


def build_home_care_pdf(sheet: HomeCareSheet) -> bytes:
    """The home-care sheet as PDF bytes (A4 or US Letter, as the sheet says; bigger type when the sheet asks)."""
    content = _content(sheet, _theme.THEME)
    t = theme_for(content.strings()).scaled(LARGE_TYPE if sheet.large_type else 1)
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
    heading: str  # "Deep calf muscle (soleus), right side"
    fields: tuple[tuple[str, tuple[Run, ...]], ...]  # (label, value)
    recurring: str


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
    note: str
    hurts: str
    points: tuple[_Point, ...]
    shared: tuple[tuple[str, tuple[Run, ...]], ...]  # the lines every spot has, printed once
    glance: tuple[_Glance, ...]
    actions: tuple[tuple[Run, ...], ...]
    safety: tuple[str, ...]
    help: tuple[tuple[str, tuple[str, ...]], ...]
    not_the_sore_spot: str
    no_points: str
    closing: tuple[Run, ...]
    footer: str
    metadata: tuple[str, str, str]  # title, author, subject

    def strings(self) -> Iterator[str]:
        yield from (self.clinic_name, self.clinic_contact, self.title, self.notice, self.note, self.hurts)
        yield from (self.not_the_sore_spot, self.no_points, self.footer)
        yield from (s for fact in self.facts for s in fact)
        for p in self.points:
            yield from (p.number, p.heading, p.recurring)
            yield from (text for _, runs in p.fields for text, _ in runs)
        yield from (s for label, runs in self.shared for s in (label, *(text for text, _ in runs)))
        yield from (s for g in self.glance for s in (g.number, g.head, g.tail))
        yield from (text for runs in (*self.actions, self.closing) for text, _ in runs)
        yield from (s for heading, signs in self.help for s in (heading, *signs))
        yield from (*self.safety, *self.metadata, *FIGURE_LABELS)


def _content(sheet: HomeCareSheet, t: Theme) -> _Content:
    """The sheet's text: each caller string cleaned once by `t` (which replaces what Helvetica cannot show only in the
    fallback, when the DejaVu files are missing)."""
    text = t.text
    patient = text(sheet.patient_name)
    practitioner = text(sheet.practitioner)
    clinic = text(sheet.clinic_name)
    parts = (text(sheet.clinic_address, multiline=False), _phone(t, sheet), text(sheet.clinic_email))
    contact = " · ".join(part for part in parts if part)
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

    shared = _shared(t, sheet.points)
    help_tiers = tuple(
        (text(tier.heading), tuple(s for s in (text(x) for x in tier.signs) if s)) for tier in sheet.help
    )
    title_line = one_line(title)
    patient_line = one_line(patient)
    return _Content(
        clinic_name=clinic,
        clinic_contact=contact,
        title=title,
        facts=tuple(facts),
        notice=text(sheet.red_flag_notice) if sheet.red_flag_notice is not None else "",
        note=text(sheet.note),
        hurts=truncate("; ".join(hurts), 240),
        points=tuple(_point(t, p, frozenset(label for label, _ in shared)) for p in sheet.points),
        shared=shared,
        glance=tuple(_glance(t, p) for p in sheet.points[:GLANCE_LIMIT]),
        actions=tuple(actions),
        safety=tuple(s for s in (text(x) for x in sheet.safety) if s),
        help=tuple((heading, signs) for heading, signs in help_tiers if signs),
        not_the_sore_spot=text(sheet.not_the_sore_spot),
        no_points=text(sheet.no_points),
        closing=_closing(sheet, t),
        footer=f"{patient_line} · {title_line} · {visit}",
        metadata=(
            f"{title_line}: {patient_line} ({visit})",
            one_line(clinic),
            f"Home-care plan from the visit on {visit}",
        ),
    )


def _phone(t: Theme, sheet: HomeCareSheet) -> str:
    phone = t.text(sheet.clinic_phone, multiline=False)
    return f"Phone {phone}" if phone else ""


def _closing(sheet: HomeCareSheet, t: Theme) -> tuple[Run, ...]:
    """The last lines: the next visit, whom to call, on which day and by whom the sheet was given."""
    practitioner, clinic = t.text(sheet.practitioner), t.text(sheet.clinic_name, multiline=False)
    phone = t.text(sheet.clinic_phone, multiline=False)
    closing: list[Run] = []
    if sheet.follow_up_on is not None:
        closing.append((f"Your next visit: {fmt_date(sheet.follow_up_on)}. ", True))
    if phone:
        closing.append((f"Questions? Call {clinic or 'us'} on {phone}. ", False))
    closing.append((f"Given to you on {fmt_date(sheet.issued_on)}" + (f" by {practitioner}" if practitioner else "") +
                    ".", False))  # fmt: skip
    return tuple(closing)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


SHARED_FIELDS = (("How often", "how_often"), ("How hard", "how_hard"), ("When to stop", "stop"))


def _shared(t: Theme, points: Sequence[HomeCarePoint]) -> tuple[tuple[str, tuple[Run, ...]], ...]:
    """The lines every spot has word for word (how often, how hard, when to stop): printed once, above the spots."""
    shared = []
    for label, attr in SHARED_FIELDS:
        values = {t.text(getattr(p, attr)) for p in points}
        if len(points) > 1 and len(values) == 1 and "" not in values:
            shared.append((label, ((values.pop(), False),)))
    return tuple(shared)


def _point(t: Theme, point: HomeCarePoint, shared: frozenset[str] = frozenset()) -> _Point:
    text = t.text
    name = text(point.name, multiline=False)
    side = side_words(text(point.side, multiline=False))
    heading = (_cap(name) or "Muscle") + (f", {side}" if side else "")
    values: list[tuple[str, tuple[Run, ...]]] = [
        ("Where", ((text(point.where), False),)),
        ("Use", ((_cap(text(point.tool, multiline=False)), True),)),
        ("How", ((text(point.how), False),)),
        ("How long", ((text(point.how_long), False),)),
        ("How often", ((text(point.how_often), False),)),
        ("How hard", ((text(point.how_hard), False),)),
        ("When to stop", ((text(point.stop), False),)),
        ("Take care", ((text(point.care), False),)),
        ("Our note", ((text(point.note), False),)),
    ]
    return _Point(
        number=truncate(text(point.number, multiline=False), 4) or "•",
        heading=heading,
        fields=tuple((label, runs) for label, runs in values if runs and runs[0][0] and label not in shared),
        recurring=text(point.recurring),
    )


def _glance(t: Theme, point: HomeCarePoint) -> _Glance:
    text = t.text
    name = text(point.name, multiline=False)
    where = side_words(text(point.side, multiline=False))
    tool = _cap(text(point.tool, multiline=False))
    return _Glance(
        number=truncate(text(point.number, multiline=False), 4),
        head=truncate(", ".join(b for b in (_cap(name), where) if b), 70),
        tail=truncate(tool, 90),
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
        if c.note:
            pages.space(2)
            box = Box(ACCENT_LIGHT, ACCENT)
            inner = box.inner(width)
            who = c.facts[2][1] if len(c.facts) > 2 and c.facts[2][1] else "your practitioner"
            rows = [*self.plain(f"A note from {who}", "box_title", inner), *self.plain(c.note, "body", inner)]
            pages.place_box(box, rows, keep=pages.page_height * KEEP_SHARE)
            pages.space(6)
        figure = self.figure(sheet, c, width)
        if figure is not None:
            pages.space(4)
            pages.place([figure])
            pages.space(2)
        self.points(c, width)
        if c.actions:
            pages.space(10)
            heading = [*self.plain("Things to change", "h2", width), gap(4)]
            for i, runs in enumerate(c.actions):
                rows, head = self.bullet(runs, width), 2  # no bullet's first line alone at the foot of a page
                if i == 0:  # and the heading stays with the start of the first item
                    rows, head = heading + rows, head + len(heading)
                pages.place(rows, head=head)
                pages.space(1.5)
        # Full width, one under the other: the signs of a long "when to get help" list wrap less that way.
        safety, help_box = Box(SAFETY_FILL, SAFETY_EDGE), Box(ALERT_FILL, ALERT_EDGE)
        for box, rows in (
            (safety, self.list_box("Safety first", c.safety, safety.inner(width)) if c.safety else []),
            (help_box, self.help_box(c.help, help_box.inner(width)) if c.help else []),
        ):
            if rows:
                pages.space(8)
                pages.place_box(box, rows, keep=pages.page_height * KEEP_SHARE)
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
            key += self.plain(c.not_the_sore_spot, "body", side_w)
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
        heading = [*self.plain("Your self-care spots", "h2", width), gap(4)]
        if not c.points:
            sentence = c.no_points + (" Please read the box above." if c.notice else "")
            pages.place([*heading, *self.plain(sentence, "body", width)], head=len(heading) + 1)
            return
        heading += self.plain("Work on each numbered spot in this order.", "small", width)
        heading.append(gap(4))
        if c.shared:
            heading += self.plain("For every spot", "h3", width)
            for label, runs in c.shared:
                heading += self.field(label, runs, width)
            heading.append(_rule(RULE, 0.6, 4, width))
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
            rows = [Row(max(20.0, s.leading), rows[0].draw)]  # the badge is taller than one line
        heading = rows[0]
        number, bold = point.number, self.t.bold

        def badged(canv: Canvas, x: float, top: float) -> None:
            draw_badge(canv, x + 9, top - s.size + 4, 9.0, number, ACCENT, bold)
            if heading.draw is not None:
                heading.draw(canv, x, top)

        rows[0] = Row(heading.height, badged)
        rows.append(gap(3))
        for label, runs in point.fields:
            rows += self.field(label, runs, width)
        if point.recurring:
            rows += [gap(2), *self.para(((point.recurring, True),), "value", width, GUTTER)]
        return rows

    def field(self, label: str, runs: Sequence[Run], width: float) -> list[Row]:
        """A muted bold label in its column, the value beside it on the same first baseline."""
        value = self.s["value"]
        label_width = LABEL_WIDTH * value.size / BASE_SIZE
        rows = self.para(runs, "value", width, GUTTER + label_width)
        first = rows[0]
        line: Line = ((label, self.t.bold, self.s["label"].colour),)

        def draw(canv: Canvas, x: float, top: float) -> None:
            draw_line(canv, x + GUTTER, top - value.size, line, self.s["label"].size)
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

    def help_box(self, tiers: Sequence[tuple[str, Sequence[str]]], width: float) -> list[Row]:
        """ "When to get help": each tier's heading (what to do) over its signs, most urgent first."""
        rows = [*self.plain("When to get help", "box_title", width), gap(2)]
        for i, (heading, signs) in enumerate(tiers):
            if i:
                rows.append(gap(4))
            rows += self.para(((heading, True),), "body", width)
            for sign in signs:
                rows += self.bullet(((sign, False),), width)
        return rows

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
