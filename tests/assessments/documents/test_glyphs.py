"""Characters DejaVu Sans has no glyph for (Chinese, Japanese, Korean) are set in a CID fallback font, so that they
print and survive into the extracted text instead of becoming empty boxes."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from assessments.documents import build_progress_pdf
from assessments.documents.glyphs import HAN, HANGUL, segments, string_width
from assessments.documents.samples import sample_progress_report
from assessments.documents.theme import LATIN, THEME
from tests.assessments.documents.helpers import pdf_text


def test_text_the_font_covers_is_one_run():
    assert segments("Zoë Łukasiewicz-Øster", THEME.regular) == [("Zoë Łukasiewicz-Øster", THEME.regular)]


def test_han_and_hangul_go_to_their_fallback_fonts_and_back():
    assert segments("Li 李 / 김 x", THEME.regular) == [
        ("Li ", THEME.regular),
        ("李", HAN),
        (" / ", THEME.regular),
        ("김", HANGUL),
        (" x", THEME.regular),
    ]


def test_a_standard_font_is_never_cut():
    assert segments("AT&T 李", LATIN.regular) == [("AT&T 李", LATIN.regular)]


def test_widths_add_up_run_by_run():
    expected = stringWidth("Li ", THEME.regular, 10) + stringWidth("李", HAN, 10)
    assert string_width("Li 李", THEME.regular, 10) == expected


def test_a_cjk_name_survives_in_the_progress_report_too():
    text = pdf_text(build_progress_pdf(sample_progress_report(3, patient_name="李小龍 Łukasz")))
    assert "李小龍 Łukasz" in text
