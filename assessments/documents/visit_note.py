"""The visit note: the SOAP record of one visit, for records requests, insurers and referrers.

``build_visit_note_pdf(note) -> bytes`` is pure: the note in, the PDF out (no Django, no queries). Order: header
(clinic, patient with date of birth, visit, practitioner); Subjective (chief complaint, visit notes, the patient's
stressors and old injuries with their dates, the complaint's history and the treatments tried); Objective (posture
and gait, (pain sites with side and NPRS, red-flag screens, palpation
findings per muscle and side, muscle tests before and after, outcome measures); Assessment, headed "not a diagnosis"
(the engine's analysis in clinical language, each item with its rules and their sources as readable citations; AK
items keep "AK tradition, not evidence-based"); Plan (the confirmed plan's steps with their rationale, or "Plan not
confirmed"); the signature with the date and time in the clinic's time zone; the addenda.

A note without a signature is a draft: a large diagonal "DRAFT" is drawn under the content of every page
(``layout.render``'s underlay, on reportlab's canvas) and the footer and a box under the header say so. Caller text is
drawn as plain text (``layout.PlainText``), never as Paragraph markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer

from .layout import Field, PlainText, box, content_height, content_width, grid, header_block, render
from .lines import Fragment
from .record_types import AddendumRecord, AssessmentItem, PlanStepRecord, VisitNote
from .text import fmt_date, one_line
from .theme import ACCENT_LIGHT, ALERT_EDGE, ALERT_FILL, GOOD, INK, MUTED, RULE, Theme, theme_for

WATERMARK = "DRAFT"
WATERMARK_SIZE = 150.0
WATERMARK_ALPHA = 0.12
NOT_A_DIAGNOSIS = "Not a diagnosis"
PLAN_NOT_CONFIRMED = "Plan not confirmed"
LABEL_WIDTH = 104.0
NONE = "None recorded."


def build_visit_note_pdf(note: VisitNote) -> bytes:
    """The visit note as PDF bytes (A4 or US Letter, as the note says); a draft has "DRAFT" across every page."""
    t = theme_for(_printed(note))
    width = content_width(note.paper_size)
    patient = t.text(note.patient_name, multiline=False)
    visit = fmt_date(note.visit_date)
    facts = [("Patient", note.patient_name), ("Date of birth", fmt_date(note.date_of_birth) or "not recorded")]
    facts += [("Visit", f"{visit}, {t.text(note.visit_kind, multiline=False).lower()}".rstrip(", "))]
    facts += [("Practitioner", note.practitioner)]
    story: list[Flowable] = header_block(
        t, width, clinic_name=note.clinic.name, clinic_contact=note.clinic.contact(), title=note.title, facts=facts,
        max_height=content_height(note.paper_size),
    )  # fmt: skip
    story += _status(t, note)
    story += _subjective(t, note)
    story += _objective(t, note, width)
    story += _assessment(t, note)
    story += _plan(t, note)
    story += _signature(t, note)
    story += _addenda(t, note)

    draft = " · DRAFT, not signed" if note.draft else ""
    return render(
        story,
        theme=t,
        paper_size=note.paper_size,
        title=f"{t.text(note.title, multiline=False)}: {patient} ({visit})",
        author=note.clinic.name,
        subject=f"Visit note of {visit}" + (" (draft)" if note.draft else ""),
        footer_left=f"{patient} · {t.text(note.title, multiline=False)} · {visit} · issued {fmt_date(note.issued_on)}"
        f" · confidential{draft}",
        underlay=(lambda canv, w, h: _watermark(canv, w, h, t)) if note.draft else None,
    )


def _printed(note: VisitNote) -> Iterator[str]:
    """Every caller string (as given: cleaning never adds a character), for ``theme_for``."""
    c = note.clinic
    yield from (c.name, c.address, c.phone, c.email, note.patient_name, note.practitioner, note.visit_kind)
    yield from (note.chief_complaint, note.notes, note.reasoning, note.plan_confirmed_by, note.time_zone, note.title)
    for s in note.stressors:
        yield from (s.label, s.category, s.detail)
    for i in note.injuries:
        yield from (i.zone, i.side, i.description)
    for label, value in note.history:
        yield from (label, value)
    yield from note.treatments
    yield from note.observations
    for p in note.pain_sites:
        yield from (p.zone, p.side)
    for sc in note.screens:
        yield from (sc.condition, sc.rule, sc.side, sc.result, sc.detail)
    for f in note.findings:
        yield from (f.muscle, f.side, f.location, f.status, f.referral, f.treatment, f.notes, *f.signs)
    for m in note.muscle_tests:
        yield from (m.muscle, m.side, m.before, m.after, m.notes)
    for o in note.outcomes:
        yield from (o.measure, o.value, o.detail)
    for a in note.assessment:
        yield from (a.group, a.heading, a.text, *a.rules, *a.references)
    for step in note.plan:
        yield from (step.kind, step.target, step.rationale, *step.references)
    if note.signature is not None:
        yield note.signature.signed_by
    for ad in note.addenda:
        yield from (ad.author, ad.text)


def fmt_time(value: dt.datetime, zone: str) -> str:
    """A signing or writing time as the clinic reads it: 2 Mar 2026, 14:05 (Europe/London)."""
    return f"{fmt_date(value.date())}, {value:%H:%M}" + (f" ({zone})" if zone else "")


def _watermark(canv: Canvas, width: float, height: float, t: Theme) -> None:
    """The large diagonal DRAFT under the page's content (the caller saves and restores the canvas state)."""
    canv.setFillColor(ALERT_EDGE)
    canv.setFillAlpha(WATERMARK_ALPHA)
    canv.translate(width / 2, height / 2)
    canv.rotate(45)
    canv.setFont(t.bold, WATERMARK_SIZE)
    canv.drawCentredString(0, -WATERMARK_SIZE * 0.35, WATERMARK)


# --- small pieces ----------------------------------------------------------------------------------------------------


def _h2(t: Theme, text: str) -> PlainText:
    return PlainText(text, t["h2"])


def _h3(t: Theme, text: str) -> PlainText:
    return PlainText(text, t["h3"])


def _plain(t: Theme, value: str, style: str = "body") -> PlainText:
    return PlainText(t.text(value), t[style])


def _field(t: Theme, label: str, value: str) -> Field:
    """A muted label ("Chief complaint") and the caller's value beside it; a dash for nothing."""
    return Field(label, PlainText(t.text(value) or "–", t["value"]), LABEL_WIDTH, font=t.bold)


def _bullet(spans: Sequence[Fragment], t: Theme) -> PlainText:
    return PlainText(list(spans), t["bullet"], bullet="•")


def _cell(t: Theme, value: str, *, bold: bool = False, colour: Color | None = None) -> PlainText | str:
    text = t.text(value)
    if not text:
        return "–"
    if colour is not None:
        return PlainText([(text, t.bold if bold else t.regular, colour)], t["cell"])
    return PlainText(text, t["cell_bold" if bold else "cell"])


def _joined(parts: Sequence[str]) -> str:
    return ", ".join(p for p in parts if p)


def _side(t: Theme, side: str) -> str:
    return t.text(side, multiline=False)


# --- status, subjective, objective -----------------------------------------------------------------------------------


def _status(t: Theme, note: VisitNote) -> list[Flowable]:
    if note.signature is None:
        return [
            Spacer(1, 4),
            box(
                [PlainText("DRAFT: this visit is not signed", t["alert_title"]),
                 PlainText("The note may still change. It is a record of the visit only once the practitioner signs "
                           "it.", t["body"])],
                fill=ALERT_FILL, edge=ALERT_EDGE, edge_width=1.4,
            ),
        ]  # fmt: skip
    signed = note.signature
    spans: list[Fragment] = [
        ("Signed", t.bold, GOOD),
        (f" by {t.text(signed.signed_by, multiline=False) or 'the practitioner'} on "
         f"{fmt_time(signed.signed_at, t.text(note.time_zone, multiline=False))}.", t.regular, INK),
    ]  # fmt: skip
    return [Spacer(1, 2), PlainText(spans, t["body"])]


def _subjective(t: Theme, note: VisitNote) -> list[Flowable]:
    out: list[Flowable] = [_h2(t, "Subjective")]
    out.append(_field(t, "Chief complaint", note.chief_complaint))
    out.append(Spacer(1, 3))
    out.append(_field(t, "Visit notes", note.notes))
    out.append(_h3(t, "Stressors"))
    if not note.stressors:
        out.append(_plain(t, NONE, "small"))
    for s in note.stressors:
        when = []
        if s.onset is not None:
            when.append(f"since {fmt_date(s.onset)}")
        if s.resolved_on is not None:
            when.append(f"resolved {fmt_date(s.resolved_on)}")
        else:
            when.append("ongoing")
        category = t.text(s.category, multiline=False)
        head = t.text(s.label, multiline=False) or "Stressor"
        tail = f" ({category})" if category else ""
        tail += f", severity {s.severity}/3, " + ", ".join(when)
        detail = t.text(s.detail)
        spans: list[Fragment] = [(head, t.bold, INK), (tail + (f": {detail}" if detail else "."), t.regular, INK)]
        out.append(_bullet(spans, t))
    out.append(_h3(t, "Old injuries"))
    if not note.injuries:
        out.append(_plain(t, NONE, "small"))
    for injury in note.injuries:
        zone = t.text(injury.zone, multiline=False) or "Injury"
        side = _side(t, injury.side)
        head = f"{zone} ({side})" if side else zone
        tail = f", {fmt_date(injury.occurred_on)}" if injury.occurred_on is not None else ", date not recorded"
        tail += ", painful now" if injury.painful_now else ", not painful now"
        description = t.text(injury.description)
        spans = [(head, t.bold, INK), (tail + (f": {description}" if description else "."), t.regular, INK)]
        out.append(_bullet(spans, t))
    out.append(_h3(t, "History"))
    if not note.history:
        out.append(_plain(t, NONE, "small"))
    for label, value in note.history:
        out.append(_field(t, label, value))
    out.append(_h3(t, "Treatments tried"))
    if not note.treatments:
        out.append(_plain(t, NONE, "small"))
    for line in note.treatments:
        out.append(_bullet([(t.text(line), t.regular, INK)], t))
    return out


def _objective(t: Theme, note: VisitNote, width: float) -> list[Flowable]:
    out: list[Flowable] = [_h2(t, "Objective")]

    out.append(_h3(t, "Posture and gait"))
    if not note.observations:
        out.append(_plain(t, NONE, "small"))
    for line in note.observations:
        out.append(_bullet([(t.text(line), t.regular, INK)], t))

    out.append(_h3(t, "Pain sites"))
    if note.pain_sites:
        rows: list[list[object]] = [["Site", "Side", "NPRS (0-10)", "Primary"]]
        for p in note.pain_sites:
            rows.append([_cell(t, p.zone, bold=True), _cell(t, p.side), "–" if p.nprs is None else str(p.nprs),
                         "yes" if p.primary else ""])  # fmt: skip
        out.append(grid(rows, [width - 80 - 80 - 60, 80, 80, 60], theme=t))
    else:
        out.append(_plain(t, NONE, "small"))

    out.append(_h3(t, "Red-flag screening"))
    if note.screens:
        rows = [["Screen", "Side", "Result", "Notes"]]
        for sc in note.screens:
            condition = t.text(sc.condition) or sc.rule
            name = PlainText([(condition, t.bold, INK), (f" ({t.text(sc.rule, multiline=False)})", t.regular, MUTED)],
                             t["cell"])  # fmt: skip
            result = _cell(t, sc.result, bold=sc.positive, colour=ALERT_EDGE if sc.positive else INK)
            rows.append([name, _cell(t, sc.side), result, _cell(t, sc.detail)])
        out.append(grid(rows, [width * 0.42, 60, 62, width * 0.58 - 122], theme=t))
    else:
        out.append(_plain(t, "No screen recorded.", "small"))

    out.append(_h3(t, "Palpation findings"))
    if note.findings:
        rows = [["Muscle, side", "Location", "Tender", "Signs", "Status", "Treatment"]]
        extra: list[tuple[object, ...]] = []
        for f in note.findings:
            muscle = t.text(f.muscle, multiline=False) or "Muscle"
            side = _side(t, f.side)
            signs = _joined([t.text(s, multiline=False) for s in f.signs]) or "none charted"
            referral = t.text(f.referral, multiline=False)
            if referral:
                signs += f"; refers to {referral}"
            rows.append([
                _cell(t, f"{muscle}, {side}" if side else muscle, bold=True), _cell(t, f.location),
                f"{max(0, f.tenderness)}/10", _cell(t, signs), _cell(t, f.status), _cell(t, f.treatment),
            ])  # fmt: skip
            notes = t.text(f.notes)
            if notes:
                rows.append([PlainText([("Notes: ", t.bold, MUTED), (notes, t.regular, INK)], t["cell"]), "", "", "",
                             "", ""])  # fmt: skip
                extra.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
        widths = [104.0, 76.0, 42.0, width - 104 - 76 - 42 - 70 - 86, 70.0, 86.0]
        out.append(grid(rows, widths, theme=t, extra=extra))
    else:
        out.append(_plain(t, NONE, "small"))

    out.append(_h3(t, "Muscle tests (before / after treatment)"))
    if note.muscle_tests:
        rows = [["Muscle", "Side", "Before", "After", "Notes"]]
        for m in note.muscle_tests:
            rows.append([_cell(t, m.muscle, bold=True), _cell(t, m.side), _cell(t, m.before), _cell(t, m.after),
                         _cell(t, m.notes)])  # fmt: skip
        out.append(grid(rows, [130, 60, 72, 72, width - 334], theme=t))
        out.append(_plain(t, "Manual muscle tests are practitioner observation, not a validated diagnostic test.",
                          "small"))  # fmt: skip
    else:
        out.append(_plain(t, NONE, "small"))

    out.append(_h3(t, "Outcome measures"))
    if note.outcomes:
        rows = [["Measure", "Value", "Detail"]]
        for o in note.outcomes:
            rows.append([_cell(t, o.measure, bold=True), _cell(t, o.value), _cell(t, o.detail)])
        out.append(grid(rows, [150, 70, width - 220], theme=t))
    else:
        out.append(_plain(t, NONE, "small"))
    return out


# --- assessment, plan, signature, addenda ----------------------------------------------------------------------------


def _assessment(t: Theme, note: VisitNote) -> list[Flowable]:
    out: list[Flowable] = [_h2(t, f"Assessment ({NOT_A_DIAGNOSIS.lower()})")]
    reasoning = t.text(note.reasoning, multiline=False)
    out.append(
        box(
            [PlainText([(f"{NOT_A_DIAGNOSIS}. ", t.bold, INK),
                        ("The engine's analysis of this visit: muscles to examine and the reasons, from the clinical "
                         "catalog's rules, each with its sources. The practitioner's clinical judgement decides."
                         + (f" {reasoning}." if reasoning else ""), t.regular, INK)], t["body"])],
            fill=ACCENT_LIGHT, edge=RULE,
        )
    )  # fmt: skip
    if not note.assessment:
        out.append(_plain(t, "Nothing to report: chart pain sites and findings for the analysis.", "small"))
        return out
    group = None
    for item in note.assessment:
        if item.group != group:
            group = item.group
            out.append(_h3(t, t.text(group, multiline=False)))
        out += _assessment_item(t, item)
    return out


def _assessment_item(t: Theme, item: AssessmentItem) -> list[Flowable]:
    heading = t.text(item.heading, multiline=False)
    text = t.text(item.text)
    spans: list[Fragment] = [(heading, t.bold, INK)] if heading else []
    if text:
        spans.append(((": " if heading else "") + text, t.regular, INK))
    out: list[Flowable] = [_bullet(spans or [("–", t.regular, INK)], t)]
    out += _references(t, item.rules, item.references)
    return out


def _references(t: Theme, rules: Sequence[str], references: Sequence[str]) -> list[Flowable]:
    rule_ids = ", ".join(one_line(t.text(r)) for r in rules if t.text(r))
    cites = "; ".join(one_line(t.text(r)).rstrip(".") for r in references if t.text(r))
    if not rule_ids and not cites:
        return []
    parts = ([f"Rules: {rule_ids}."] if rule_ids else []) + ([f"Sources: {cites}."] if cites else [])
    return [PlainText(" ".join(parts), t["bullet_note"])]


def _plan(t: Theme, note: VisitNote) -> list[Flowable]:
    out: list[Flowable] = [_h2(t, "Plan")]
    if not note.plan_exists:
        out.append(PlainText([(f"{PLAN_NOT_CONFIRMED}: ", t.bold, ALERT_EDGE),
                              ("no treatment plan was built for this visit.", t.regular, INK)], t["body"]))  # fmt: skip
        return out
    if not note.plan_confirmed:
        steps = len(note.plan)
        proposal = f"the engine proposed {steps} step{'s' * (steps != 1)}; " if steps else ""
        out.append(PlainText([(f"{PLAN_NOT_CONFIRMED}: ", t.bold, ALERT_EDGE),
                              (f"{proposal}none is recorded as this visit's plan until the practitioner confirms it.",
                               t.regular, INK)], t["body"]))  # fmt: skip
        return out
    who = t.text(note.plan_confirmed_by, multiline=False)
    when = note.plan_confirmed_at
    zone = t.text(note.time_zone, multiline=False)
    confirmation = "Confirmed" + (f" by {who}" if who else "") + (f" on {fmt_time(when, zone)}" if when else "")
    out.append(PlainText(confirmation + ".", t["small"]))
    for step in note.plan:
        out += _plan_step(t, step)
    return out


def _plan_step(t: Theme, step: PlanStepRecord) -> list[Flowable]:
    kind = t.text(step.kind, multiline=False) or "Step"
    target = t.text(step.target, multiline=False)
    spans: list[Fragment] = [(f"{step.order}. {kind}", t.bold, INK)]
    if target:
        spans.append((f": {target}", t.bold, INK))
    out: list[Flowable] = [PlainText(spans, t["body"]), PlainText(t.text(step.rationale) or "–", t["bullet"])]
    out += _references(t, (), step.references)
    out.append(Spacer(1, 3))
    return out


def _signature(t: Theme, note: VisitNote) -> list[Flowable]:
    out: list[Flowable] = [_h2(t, "Signature")]
    if note.signature is None:
        out.append(PlainText([("Not signed. ", t.bold, ALERT_EDGE), ("This note is a draft.", t.regular, INK)],
                             t["body"]))  # fmt: skip
        return out
    zone = t.text(note.time_zone, multiline=False)
    out.append(_field(t, "Signed by", note.signature.signed_by))
    out.append(_field(t, "Signed on", fmt_time(note.signature.signed_at, zone)))
    return out


def _addenda(t: Theme, note: VisitNote) -> list[Flowable]:
    out: list[Flowable] = [_h2(t, "Addenda")]
    if not note.addenda:
        out.append(_plain(t, "None.", "small"))
        return out
    zone = t.text(note.time_zone, multiline=False)
    for addendum in note.addenda:
        out += _addendum(t, addendum, zone)
    return out


def _addendum(t: Theme, addendum: AddendumRecord, zone: str) -> list[Flowable]:
    author = t.text(addendum.author, multiline=False) or "–"
    head: list[Fragment] = [
        ("Addendum by ", t.regular, MUTED),
        (author, t.bold, INK),
        (f", {fmt_time(addendum.written_at, zone)}", t.regular, MUTED),
    ]
    return [PlainText(head, t["body"]), PlainText(t.text(addendum.text) or "–", t["bullet"]), Spacer(1, 4)]
