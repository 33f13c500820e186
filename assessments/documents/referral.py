"""The referral letter to the patient's doctor, written when a red-flag screen of the visit is positive (TO-00: refer,
and no trigger-point work or self-care in the affected area until medically cleared).

``build_referral_pdf(letter) -> bytes`` is pure: the letter in, the PDF out (no Django, no queries). Order: letterhead
(clinic, patient with date of birth, visit date, letter date); the recipient; the letter's text (the practitioner's
edit or the generated default); the sign-off with the practitioner's name and the clinic's contact details; then the
clinical details: the finding that prompted the letter (each positive screen's condition, side and notes, the catalog
rule's action and urgency), the screen's criteria (the rule's signs, clinician language, with the rule's sources),
what was done and what was not. The signature follows the text, so that it is never alone on a page of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Spacer

from .layout import Field, PlainText, Rule, content_height, content_width, header_block, render
from .lines import Fragment
from .record_types import Referral, ReferralFinding
from .text import fmt_date
from .theme import ALERT_EDGE, INK, MUTED, RULE, Theme, theme_for

LABEL_WIDTH = 74.0
DEFAULT_RECIPIENT = "The patient's general practitioner"


def build_referral_pdf(letter: Referral) -> bytes:
    """The referral letter as PDF bytes (A4 or US Letter, as the letter says)."""
    t = theme_for(_printed(letter))
    width = content_width(letter.paper_size)
    patient = t.text(letter.patient_name, multiline=False)
    facts = [
        ("Patient", letter.patient_name),
        ("Date of birth", fmt_date(letter.date_of_birth) or "not recorded"),
        ("Seen on", fmt_date(letter.visit_date)),
        ("Date", fmt_date(letter.issued_on)),
    ]
    story: list[Flowable] = header_block(
        t, width, clinic_name=letter.clinic.name, clinic_contact=letter.clinic.contact(), title=letter.title,
        facts=facts, max_height=content_height(letter.paper_size),
    )  # fmt: skip
    recipient = t.text(letter.recipient) or DEFAULT_RECIPIENT
    story += [Spacer(1, 4), Field("To", PlainText(recipient, t["value"]), LABEL_WIDTH, font=t.bold)]
    story += [Field("Re", PlainText(_regarding(t, letter), t["value"]), LABEL_WIDTH, font=t.bold), Spacer(1, 10)]
    story += [PlainText(t.text(letter.body) or "–", t["body"])]
    story += _sign_off(t, letter)
    story += [Spacer(1, 8), Rule(RULE, 0.7, 4), PlainText("Clinical details", t["h2"])]
    story += _findings(t, letter)
    story += _criteria(t, letter)
    story += _done(t, letter)
    issued = fmt_date(letter.issued_on)
    return render(
        story,
        theme=t,
        paper_size=letter.paper_size,
        title=f"{t.text(letter.title, multiline=False)}: {patient} ({issued})",
        author=letter.clinic.name,
        subject=f"Referral after the visit of {fmt_date(letter.visit_date)}",
        footer_left=f"{patient} · {t.text(letter.title, multiline=False)} · {issued} · confidential",
    )


def _printed(letter: Referral) -> Iterator[str]:
    c = letter.clinic
    yield from (c.name, c.address, c.phone, c.email, letter.practitioner, letter.recipient, letter.patient_name)
    yield from (letter.body, letter.title, *letter.done, *letter.not_done)
    for f in letter.findings:
        yield from (f.condition, f.rule, f.side, f.detail, f.action, f.urgency, *f.criteria, *f.references)


def _regarding(t: Theme, letter: Referral) -> str:
    name = t.text(letter.patient_name, multiline=False) or "the patient"
    born = f", born {fmt_date(letter.date_of_birth)}" if letter.date_of_birth is not None else ""
    return f"{name}{born}, seen on {fmt_date(letter.visit_date)}"


def _strong(t: Theme, text: str) -> PlainText:
    """A bold line that stays with what follows it (a sub-heading inside a section)."""
    line = PlainText([(text, t.bold, INK)], ParagraphStyle("strong", parent=t["body"], spaceBefore=4))
    line.keepWithNext = 1
    return line


def _bullet(t: Theme, spans: list[Fragment]) -> PlainText:
    return PlainText(spans, t["bullet"], bullet="•")


def _finding_name(t: Theme, finding: ReferralFinding) -> str:
    condition = t.text(finding.condition, multiline=False) or t.text(finding.rule, multiline=False)
    side = t.text(finding.side, multiline=False)
    return f"{condition} ({side} side)" if side and side not in ("bilateral", "midline") else condition


def _findings(t: Theme, letter: Referral) -> list[Flowable]:
    heading = "Finding that prompted this referral" if len(letter.findings) == 1 else "Findings that prompted it"
    out: list[Flowable] = [PlainText(heading, t["h3"])]
    for finding in letter.findings:
        rule = t.text(finding.rule, multiline=False)
        spans: list[Fragment] = [(_finding_name(t, finding), t.bold, ALERT_EDGE)]
        spans.append((f": red-flag screen positive (catalog rule {rule})." if rule else ": screen positive.",
                      t.regular, INK))  # fmt: skip
        block: list[Flowable] = [_bullet(t, spans)]
        detail = t.text(finding.detail)
        if detail:
            block.append(Field("Notes", PlainText(detail, t["value"]), LABEL_WIDTH, 12, font=t.bold))
        action = t.text(finding.action)
        if action:
            block.append(Field("Guidance", PlainText(action, t["value"]), LABEL_WIDTH, 12, font=t.bold))
        urgency = t.text(finding.urgency, multiline=False)
        if urgency:
            block.append(Field("Urgency", PlainText(urgency, t["value"]), LABEL_WIDTH, 12, font=t.bold))
        out.append(KeepTogether([*block, Spacer(1, 3)]))
    return out


def _criteria(t: Theme, letter: Referral) -> list[Flowable]:
    out: list[Flowable] = [PlainText("Screening criteria (the signs the screen looks for, from the catalog)", t["h3"])]
    for finding in letter.findings:
        out.append(_strong(t, _finding_name(t, finding)))
        criteria = [t.text(c) for c in finding.criteria if t.text(c)]
        if not criteria:
            out.append(PlainText("The catalog lists no criteria for this rule.", t["small"]))
        for criterion in criteria:
            out.append(_bullet(t, [(criterion, t.regular, INK)]))
        cites = "; ".join(t.text(r, multiline=False) for r in finding.references if t.text(r))
        if cites:
            out.append(PlainText(f"Sources: {cites}", t["bullet_note"]))
    return out


def _done(t: Theme, letter: Referral) -> list[Flowable]:
    out: list[Flowable] = [PlainText("What was done and what was not", t["h3"])]
    not_done = [t.text(x) for x in letter.not_done if t.text(x)]
    done = [t.text(x) for x in letter.done if t.text(x)]
    out.append(_strong(t, "Not done"))
    for item in not_done or ["–"]:
        out.append(_bullet(t, [(item, t.regular, INK)]))
    out.append(_strong(t, "Done"))
    for item in done or ["Nothing else was done at this visit."]:
        out.append(_bullet(t, [(item, t.regular, INK)]))
    return out


def _sign_off(t: Theme, letter: Referral) -> list[Flowable]:
    name = t.text(letter.practitioner, multiline=False) or "The practitioner"
    lines: list[Flowable] = [
        Spacer(1, 12),
        PlainText("Yours sincerely,", t["body"]),
        Spacer(1, 18),
        PlainText([(name, t.bold, INK)], t["body"]),
    ]
    clinic = letter.clinic
    for value in (clinic.name, clinic.address):
        text = t.text(value, multiline=False)
        if text:
            lines.append(PlainText(text, t["body"]))
    reach: list[Fragment] = []
    for label, value in (("Phone", clinic.phone), ("Email", clinic.email)):
        text = t.text(value, multiline=False)
        if text:
            reach += [((" · " if reach else "") + f"{label}: ", t.regular, MUTED), (text, t.regular, INK)]
    if reach:
        lines.append(PlainText(reach, t["body"]))
    return [KeepTogether(lines)]
