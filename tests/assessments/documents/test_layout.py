"""The progress report's flowables: PlainText wraps, splits without orphans or widows, and keeps its bullet first."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from assessments.documents.layout import Fact, PlainText
from assessments.documents.theme import GOOD, INK, LATIN
from tests.assessments.documents.helpers import pdf_text

BODY = LATIN["body"]  # 10.2 pt on 13.4
SENTENCE = "Keep the screen at eye level and take a movement break every 30 minutes. "


def test_plain_text_is_as_tall_as_its_lines():
    short = PlainText("Summary", BODY)
    assert short.wrap(300, 1000) == (300, BODY.leading)
    long = PlainText(SENTENCE * 10, BODY)
    _, height = long.wrap(300, 1000)
    assert height > 5 * BODY.leading and height / BODY.leading == pytest.approx(round(height / BODY.leading))
    assert PlainText("", BODY).wrap(300, 1000) == (300, BODY.leading)  # an empty value keeps its line


def test_a_split_leaves_no_line_alone():
    text = PlainText(SENTENCE * 10, BODY)
    _, height = text.wrap(300, 1000)
    lines = round(height / BODY.leading)
    assert text.split(300, 1.5 * BODY.leading) == []  # one line would be an orphan
    first, rest = text.split(300, (lines - 1) * BODY.leading)  # one line left would be a widow
    assert first.wrap(300, 1000)[1] == (lines - 2) * BODY.leading
    assert rest.wrap(300, 1000)[1] == 2 * BODY.leading
    assert text.split(300, 1000) == []  # fits: nothing to split


def test_spans_keep_their_fonts_and_the_bullet_stays_with_the_first_part():
    spans = [("Pain (NPRS)", "Helvetica-Bold", INK), (": 7 to 2, 5 better; " * 20, "Helvetica", INK),
             ("reaches the MCID 2", "Helvetica-Bold", GOOD), (".", "Helvetica", INK)]  # fmt: skip
    bullet = PlainText(spans, LATIN["bullet"], bullet="•")
    bullet.wrap(300, 1000)
    first, rest = bullet.split(300, 3 * BODY.leading)
    assert (first.bullet, rest.bullet) == ("•", "")
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([first, rest])
    text = pdf_text(buf.getvalue())
    # reportlab writes Helvetica's bullet as WinAnsi 0x7F (a bullet, says the PDF spec; pypdf reads it as DEL).
    assert text[0] in "•\x7f" and text.count("•") + text.count("\x7f") == 1
    assert text[1:].startswith(" Pain (NPRS): 7 to 2, 5 better;") and text.endswith("reaches the MCID 2.")


def test_a_fact_splits_with_its_value_and_keeps_its_label_on_top():
    fact = Fact("Patient", PlainText("word " * 400, BODY), "Helvetica")
    _, height = fact.wrap(120, 10_000)
    first, *rest = fact.split(120, height / 3)
    assert isinstance(first, Fact) and first.label == "Patient"
    assert rest and not any(isinstance(part, Fact) for part in rest)
