"""The patient's home-care sheet: a short, illustrated self-care programme to take home.

``build_home_care_pdf(sheet) -> bytes`` is pure: the sheet in, the PDF out (no Django, no queries). Order on the page:
header; a red-flag notice if self-care was withheld; the body figure (numbered dots where to work, shaded where it
hurts) with its key and the points at a glance; one block per point; "Change these too"; the safety rules; when to
seek care; the next visit.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer

from . import theme as _theme
from .figure import BodyFigure, markers_for, shaded_regions
from .layout import (
    Badged,
    Columns,
    Field,
    KeepShortTogether,
    Para,
    PlainText,
    Rule,
    box,
    content_height,
    content_width,
    draw_badge,
    header_block,
    render,
)
from .text import fmt_date, fmt_datetime, side_words, truncate
from .theme import (
    ACCENT,
    ALERT_EDGE,
    ALERT_FILL,
    PAIN,
    PAIN_EDGE,
    RULE,
    SAFETY_EDGE,
    SAFETY_FILL,
    Theme,
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


def build_home_care_pdf(sheet: HomeCareSheet) -> bytes:
    """The home-care sheet as PDF bytes (A4 or US Letter, as the sheet says)."""
    t = _theme.THEME
    width = content_width(sheet.paper_size)
    patient = t.text(sheet.patient_name, multiline=False)
    visit = fmt_date(sheet.visit_date)

    story: list[Flowable] = []
    facts = [("Patient", sheet.patient_name), ("Visit", visit), ("Practitioner", sheet.practitioner)]
    if sheet.follow_up_on is not None:
        facts.append(("Next visit", fmt_date(sheet.follow_up_on)))
    page_h = content_height(sheet.paper_size)
    story += header_block(
        t, width, clinic_name=sheet.clinic_name, clinic_contact=sheet.clinic_contact, title=sheet.title, facts=facts,
        max_height=page_h,
    )  # fmt: skip

    notice = t.text(sheet.red_flag_notice) if sheet.red_flag_notice is not None else ""
    if notice:
        story.append(Spacer(1, 4))
        story.append(
            box(
                [
                    Para("Important: please read this first", t["alert_title"]),
                    Para(t.markup(notice), t["body"]),
                ],
                fill=ALERT_FILL,
                edge=ALERT_EDGE,
                edge_width=1.6,
            )
        )
        story.append(Spacer(1, 8))

    story += _figure_section(t, sheet, width, page_h)

    heading: list[Flowable] = [Para("Your self-care points", t["h2"])]
    if sheet.points:
        heading.append(
            Para(
                "Work on each numbered point as described, in this order. The point is often away from where it hurts.",
                t["small"],
            )
        )
        heading.append(Spacer(1, 4))
        for i, point in enumerate(sheet.points):
            block = _point_block(t, point)
            if i < len(sheet.points) - 1:
                block.append(Rule(RULE, 0.6, 4))
            # The section heading stays with the first point; a point stays on one page unless it is long.
            story.append(KeepShortTogether([*heading, *block] if i == 0 else block, page_h * 0.45))
    else:
        sentence = NO_POINTS + (" Please read the notice above." if notice else "")
        story += [*heading, Para(sentence, t["body"])]

    actions = [a for a in sheet.stressor_actions if t.text(a.label) or t.text(a.action)]
    if actions:
        story.append(Para("Change these too", t["h2"]))
        for action in actions:
            label, text = t.markup(action.label), t.markup(action.action)
            body = f"<b>{label}</b>: {text}" if label and text else f"<b>{label}</b>" if label else text
            story.append(Para(body, t["bullet"], bulletText="•"))

    story.append(Spacer(1, 8))
    safety = [s for s in (t.text(x) for x in sheet.safety) if s] or list(DEFAULT_SAFETY)
    seek = [s for s in (t.text(x) for x in sheet.seek_care) if s] or list(DEFAULT_SEEK_CARE)
    half = (width - 10) / 2
    boxes = Columns(
        [
            _list_box(t, "Safety first", safety, SAFETY_FILL, SAFETY_EDGE),
            _list_box(t, "When to seek care", seek, ALERT_FILL, ALERT_EDGE, SEEK_CARE_INTRO),
        ],
        [half, half],
        page_h,
        gap=10,
    )
    story.append(boxes)

    story.append(Spacer(1, 6))
    closing = (
        f"<font color='#1f2933'><b>Your next visit: {fmt_date(sheet.follow_up_on)}.</b></font> "
        if sheet.follow_up_on is not None
        else ""
    )
    closing += f"Issued {fmt_datetime(sheet.issued_at)}"
    if t.text(sheet.practitioner):
        closing += f" by {t.markup(sheet.practitioner)}"
    closing += "."
    if t.text(sheet.clinic_contact):
        closing += f" Questions? {t.markup(sheet.clinic_contact)}"
    story.append(Para(closing, t["small"]))

    return render(
        story,
        theme=t,
        paper_size=sheet.paper_size,
        title=f"{t.text(sheet.title, multiline=False)}: {patient} ({visit})",
        author=sheet.clinic_name,
        subject=f"Home-care programme from the visit on {visit}",
        footer_left=f"{patient} · {t.text(sheet.title, multiline=False)} · {visit}",
    )


# --- the figure and its key ------------------------------------------------------------------------------------------


def _figure_section(t: Theme, sheet: HomeCareSheet, width: float, page_h: float) -> list[Flowable]:
    markers = markers_for((p.number, p.muscle_slug, p.side) for p in sheet.points)
    shaded = shaded_regions(sheet.painful_zones)
    if not markers and not shaded:
        return []
    figure_w = width * FIGURE_SHARE
    side_w = width - figure_w - 8
    figure = BodyFigure(figure_w, t, markers, shaded)

    key: list[Flowable] = [Para("How to read the figure", t["h3"])]
    if markers:
        key.append(_key_row(t, _Swatch("dot", t), "<b>Numbered dots:</b> where to work."))
    if shaded:
        key.append(_key_row(t, _Swatch("shade", t), "<b>Shaded:</b> where it hurts."))
    if markers:
        key.append(Spacer(1, 3))
        key.append(Para("The point is not where it hurts: work on the dot, not on the sore spot.", t["body"]))

    labels = dict(sheet.zone_labels)
    hurts = _hurt_list(t, sheet.painful_zones, labels)
    if hurts:
        key.append(Spacer(1, 6))
        key.append(Para("<b>Where it hurts:</b> " + t.markup(truncate("; ".join(hurts), 240)), t["small"]))

    if sheet.points:
        key.append(Spacer(1, 6))
        key.append(Para("At a glance", t["h3"]))
        for point in sheet.points[:GLANCE_LIMIT]:
            key.append(_glance(t, point))
        if len(sheet.points) > GLANCE_LIMIT:
            more = len(sheet.points) - GLANCE_LIMIT
            key.append(Para(f"… and {more} more, below.", t["small"]))

    return [Spacer(1, 4), Columns([figure, _Stack(key)], [figure_w, side_w], page_h, gap=8), Spacer(1, 2)]


def _hurt_list(t: Theme, painful: Sequence[tuple[str, str]], labels: dict[str, str]) -> list[str]:
    out: list[str] = []
    for zone, side in painful:
        name = t.text(labels.get(zone) or str(zone).replace("_", " "), multiline=False)
        where = side_words(t.text(side, multiline=False))
        item = f"{name} ({where})" if where else name
        if name and item not in out:
            out.append(item)
    return out


def _glance(t: Theme, point: HomeCarePoint) -> Flowable:
    name = t.text(point.plain_name or point.muscle_name, multiline=False)
    bits = [_cap(name)]
    where = side_words(t.text(point.side, multiline=False))
    head = truncate(", ".join(b for b in (*bits, where) if b), 70)
    details = [t.text(x, multiline=False) for x in (*point.tools[:1], point.duration, point.frequency)]
    tail = truncate(" · ".join(d for d in details if d), 90)
    number = t.text(point.number, multiline=False)
    lines: list[Flowable] = [PlainText(head, t["cell_bold"])] + ([PlainText(tail, t["glance"])] if tail else [])
    lines.append(Spacer(1, 3))
    return Field(None, _Stack(lines), 22.0, 0.0, symbol=_Swatch("dot", t, number))


class _Swatch(Flowable):
    """A key symbol: a numbered dot or a shaded square."""

    SIZE = 16.0

    def __init__(self, kind: str, theme: Theme, number: str = "1") -> None:
        super().__init__()
        self.kind = kind
        self.theme = theme
        self.number = truncate(number, 4)
        self.width = self.height = self.SIZE

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.SIZE, self.SIZE

    def draw(self) -> None:
        c = self.SIZE / 2
        if self.kind == "dot":
            draw_badge(self.canv, c, c - 1, 6.6, self.number, ACCENT, self.theme.bold)
        else:
            self.canv.setFillColor(PAIN)
            self.canv.setStrokeColor(PAIN_EDGE)
            self.canv.setLineWidth(0.6)
            self.canv.roundRect(1.5, 1, self.SIZE - 3, self.SIZE - 4, 2, stroke=1, fill=1)


def _key_row(t: Theme, symbol: Flowable, text: str, style: str = "body") -> Flowable:
    return Field(None, Para(text, t[style]), 22.0, 0.0, symbol=symbol)


class _Stack(Flowable):
    """A short, fixed list of flowables drawn one under another (the figure's key; never split)."""

    def __init__(self, content: Sequence[Flowable]) -> None:
        super().__init__()
        self.content = list(content)
        self._placed: list[tuple[Flowable, float]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        y = 0.0
        self._placed = []
        for i, f in enumerate(self.content):
            if i:
                y += max(f.getSpaceBefore(), self.content[i - 1].getSpaceAfter())
            y += f.wrap(availWidth, availHeight)[1]
            self._placed.append((f, y))
        self.width, self.height = availWidth, y
        return self.width, self.height

    def draw(self) -> None:
        for f, bottom in self._placed:
            f.drawOn(self.canv, 0, self.height - bottom)


# --- one block per point ---------------------------------------------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _point_block(t: Theme, point: HomeCarePoint) -> list[Flowable]:
    plain = t.text(point.plain_name or point.muscle_name, multiline=False)
    side = side_words(t.text(point.side, multiline=False))
    heading = _cap(plain) or "Muscle"
    if side:
        heading += f", {side}"
    number = t.text(point.number, multiline=False) or "•"
    block: list[Flowable] = [Badged(truncate(number, 4), PlainText(heading, t["point"]), GUTTER, ACCENT, t.bold)]
    anatomical = t.text(point.muscle_name, multiline=False)
    if anatomical and anatomical.lower() not in plain.lower():  # the anatomical name, under the plain one
        block.append(Field(None, PlainText(anatomical, t["small"]), 0.0, GUTTER))
    block.append(Spacer(1, 3))

    tools = [t.text(x, multiline=False) for x in point.tools]
    tools = [x for x in tools if x]
    tool_text = ""
    if tools:
        tool_text = f"<b>{t.markup(_cap(tools[0]))}</b>"
        if len(tools) > 1:
            tool_text += " (or: " + ", ".join(t.markup(x) for x in tools[1:]) + ")"
    value = t["value"]
    rows: list[tuple[str, Para | PlainText | None]] = [
        ("Where", _plain(t.text(point.where), value)),
        ("Tool", Para(tool_text, value) if tool_text else None),  # the only value with markup (the chosen tool)
        ("Technique", _plain(t.text(point.method), value)),
        ("How long", _plain(t.text(point.duration), value)),
        ("How often", _plain(t.text(point.frequency), value)),
        ("How hard", _plain(t.text(point.intensity) or DEFAULT_INTENSITY, value)),
        ("Stop if", _plain(t.text(point.stop_rule), value)),
        ("Caution", _plain(t.text(point.caution), value)),
    ]
    block += [Field(label, v, LABEL_WIDTH, GUTTER, font=t.bold) for label, v in rows if v is not None]
    name, source = t.markup(point.protocol_name), t.markup(point.protocol_source)
    if name or source:
        protocol = f"Protocol: {name}" + (f" ({source})" if source else "") if name else f"Source: {source}"
        block.append(Spacer(1, 2))
        block.append(Field(None, Para(protocol, t["tiny"]), 0.0, GUTTER))
    return block


def _plain(text: str, style: ParagraphStyle) -> PlainText | None:
    return PlainText(text, style) if text else None


def _list_box(t: Theme, title: str, items: Sequence[str], fill: Color, edge: Color, intro: str = "") -> Flowable:
    content: list[Flowable] = [Para(title, t["box_title"])]
    if intro:
        content.append(Para(intro, t["small"]))
    content += [Para(t.markup(item), t["bullet"], bulletText="•") for item in items]
    return box(content, fill=fill, edge=edge)
