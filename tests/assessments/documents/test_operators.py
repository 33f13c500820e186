"""The PDF operators the builders write themselves (``lines.Pen``'s text, ``layout.draw_badge``) draw exactly what
reportlab's canvas methods draw: both versions are rendered by poppler (pdftoppm) and compared pixel by pixel, and
read back as the same text."""

from __future__ import annotations

import io
import shutil

import pytest
from pypdf import PdfReader
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A6
from reportlab.pdfgen.canvas import Canvas

from assessments.documents.layout import binary_streams, canvas_badge, draw_badge
from assessments.documents.lines import Pen, is_standard
from assessments.documents.theme import ACCENT, INK, MUTED, THEME
from tests.assessments.documents.helpers import pages_rendered

LINES = [
    (30, 380, (("Upper trapezius (top of the shoulder)", "Helvetica-Bold", INK),), 12.0),
    (
        30,
        360,
        (("How often:", "Helvetica-Bold", MUTED), (" twice a day \\ (1) – café ’n’ “so”", "Helvetica", INK)),
        9.2,
    ),
    (30, 340, (("Stop if it tingles.", "Helvetica", Color(0.7, 0.1, 0.1)),), 10.0),
    (30, 320, (("Embedded: Łódź ½ ≥ 3", THEME.regular, INK), (" and bold", THEME.bold, ACCENT)), 10.0),
]
BADGES = [(60, 200, 9.0, "1"), (100, 200, 6.6, "12"), (140, 200, 6.6, "123"), (180, 200, 9.0, "•")]


def rendered(draw) -> tuple[bytes, str]:
    """The page drawn by `draw`, as poppler's pixels (150 dpi) and pypdf's text."""
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=A6)
    draw(canv)
    canv.showPage()
    with binary_streams():
        canv.save()
    pdf = buf.getvalue()
    (pixels,) = pages_rendered(pdf, dpi=150)
    return pixels, PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_pen_text_looks_and_reads_as_the_canvas_text():
    def with_pen(canv: Canvas) -> None:
        pen = Pen(canv)
        for x, y, line, size in LINES:
            pen.line(x, y, line, size)
        pen.flush()

    def with_canvas(canv: Canvas) -> None:
        for x, y, line, size in LINES:
            text = canv.beginText(x, y)
            for string, font, colour in line:
                text.setFont(font, size)
                text.setFillColor(colour)
                text.textOut(string)
            canv.drawText(text)

    pen_pixels, pen_text = rendered(with_pen)
    canvas_pixels, canvas_text = rendered(with_canvas)
    assert pen_text == canvas_text
    assert "twice a day \\ (1) – café ’n’ “so”" in pen_text and "Łódź" in pen_text
    assert pen_pixels == canvas_pixels


def test_badges_look_and_read_as_the_canvas_badges():
    for font in ("Helvetica-Bold", THEME.bold):

        def fast(canv: Canvas, font: str = font) -> None:
            for x, y, radius, number in BADGES:
                draw_badge(canv, x, y, radius, number, ACCENT, font)

        def reference(canv: Canvas, font: str = font) -> None:
            for x, y, radius, number in BADGES:
                canvas_badge(canv, x, y, radius, number, ACCENT, font)

        fast_pixels, fast_text = rendered(fast)
        reference_pixels, reference_text = rendered(reference)
        assert fast_text == reference_text
        assert fast_text.split()[:3] == ["1", "12", "123"]  # (pypdf reads the WinAnsi bullet oddly, in both)
        assert differing_pixels(fast_pixels, reference_pixels) <= 40, font  # a few edge pixels of the circle at most


def differing_pixels(a: bytes, b: bytes) -> int:
    assert len(a) == len(b)
    return sum(1 for x, y in zip(a, b, strict=True) if abs(x - y) > 24) // 3


def test_only_standard_fonts_take_the_fast_path():
    assert is_standard("Helvetica") and is_standard("Helvetica-Bold")
    assert not is_standard(THEME.regular)  # embedded TrueType (DejaVu): reportlab keeps its subsets


def test_the_badge_text_stays_separate_from_the_text_after_it():
    def draw(canv: Canvas) -> None:
        draw_badge(canv, 40, 380, 9.0, "4", ACCENT, "Helvetica-Bold")
        canv.setFont("Helvetica", 10)
        canv.drawString(55, 376, "Soleus (deep calf)")

    _, text = rendered(draw)
    assert text.splitlines()[:2] == ["4", "Soleus (deep calf)"]


@pytest.fixture(autouse=True)
def _needs_pdftoppm():
    assert shutil.which("pdftoppm"), "pdftoppm is missing: apt-get install -y poppler-utils (.ci/run does this)"
