"""Fonts, colours and paragraph styles shared by the PDF builders.

The fonts are registered once, at import: DejaVu Sans (regular and bold, vendored in ``fonts/``) covers Latin,
Latin Extended, Greek and Cyrillic. Each document picks its fonts with ``theme_for``: the standard Helvetica (nothing
embedded) when everything it prints is in WinAnsi (cp1252), DejaVu Sans otherwise. If the files are missing, the
builders always use Helvetica and ``Theme.text`` replaces what it cannot show (see ``text.to_latin1``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from .text import clean

FONT_DIR = Path(__file__).resolve().parent / "fonts"
UNICODE_REGULAR = "DejaVuSans"
UNICODE_BOLD = "DejaVuSans-Bold"

# Colours: calm, print-friendly, distinguishable in greyscale and by the common colour-vision deficiencies.
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#cbd2d9")
ACCENT = colors.HexColor("#1d4e89")  # headings, numbered dots
ACCENT_LIGHT = colors.HexColor("#e8eef6")
PAIN = colors.HexColor("#f3a183")  # shaded painful areas
PAIN_EDGE = colors.HexColor("#d0593a")
BODY_FILL = colors.HexColor("#f1efec")
BODY_LINE = colors.HexColor("#3d4a57")
BODY_DETAIL = colors.HexColor("#8e99a6")
SAFETY_FILL = colors.HexColor("#fff8e1")
SAFETY_EDGE = colors.HexColor("#e0b300")
ALERT_FILL = colors.HexColor("#fdecea")
ALERT_EDGE = colors.HexColor("#b3261e")
GOOD = colors.HexColor("#2e7d4f")
ONGOING = colors.HexColor("#8a5a00")
MCID_FILL = colors.HexColor("#e3f1e7")
SERIES_COLOURS = tuple(
    colors.HexColor(c) for c in ("#1d4e89", "#d1495b", "#2e7d4f", "#8a5a00", "#6b4c9a", "#00798c", "#555555")
)


def register_fonts(font_dir: Path = FONT_DIR) -> bool:
    """Registers DejaVu Sans from `font_dir` (once per process); False when the files are missing or unreadable."""
    if UNICODE_REGULAR in pdfmetrics.getRegisteredFontNames() and font_dir == FONT_DIR:
        return True
    try:
        regular = TTFont(UNICODE_REGULAR, str(font_dir / "DejaVuSans.ttf"))
        bold = TTFont(UNICODE_BOLD, str(font_dir / "DejaVuSans-Bold.ttf"))
    except (OSError, TTFError):
        return False
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(bold)
    pdfmetrics.registerFontFamily(
        UNICODE_REGULAR, normal=UNICODE_REGULAR, bold=UNICODE_BOLD, italic=UNICODE_REGULAR, boldItalic=UNICODE_BOLD
    )
    return True


@dataclass(frozen=True)
class Theme:
    """The fonts in use and the paragraph styles built on them."""

    unicode_font: bool
    regular: str
    bold: str
    styles: dict[str, ParagraphStyle]

    def text(self, value: object, *, multiline: bool = True) -> str:
        """`value` as printable plain text in these fonts (``text.clean``)."""
        return clean(value, unicode_font=self.unicode_font, multiline=multiline)

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.styles[name]

    def scaled(self, factor: float) -> Theme:
        """The same fonts with every style's size and leading times `factor` (large type)."""
        if factor == 1:
            return self
        styles = {
            name: ParagraphStyle(name, parent=ps, fontSize=ps.fontSize * factor, leading=ps.leading * factor)
            for name, ps in self.styles.items()
        }
        return replace(self, styles=styles)


def make_theme(unicode_font: bool) -> Theme:
    regular = UNICODE_REGULAR if unicode_font else "Helvetica"
    bold = UNICODE_BOLD if unicode_font else "Helvetica-Bold"
    base = ParagraphStyle(
        "body",
        fontName=regular,
        bulletFontName=regular,
        fontSize=10.2,
        leading=13.4,
        textColor=INK,
        alignment=TA_LEFT,
        splitLongWords=1,
        allowWidows=0,
        allowOrphans=0,
    )

    def style(name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    styles = {
        "body": base,
        "small": style("small", fontSize=8.8, leading=11.6, textColor=MUTED),
        "tiny": style("tiny", fontSize=7.6, leading=9.6, textColor=MUTED),
        "title": style("title", fontName=bold, fontSize=17, leading=21, textColor=ACCENT),
        "clinic": style("clinic", fontName=bold, fontSize=12, leading=15),
        "h2": style(
            "h2", fontName=bold, fontSize=13, leading=17, textColor=ACCENT, spaceBefore=10, spaceAfter=4, keepWithNext=1
        ),
        "h3": style("h3", fontName=bold, fontSize=11, leading=14.5, spaceBefore=6, spaceAfter=2, keepWithNext=1),
        "part": style(
            "part",
            fontName=bold,
            fontSize=9.6,
            leading=12,
            textColor=MUTED,
            spaceBefore=16,
            spaceAfter=0,
            keepWithNext=1,
        ),
        "plain": style("plain", fontSize=11.5, leading=16, spaceAfter=3),
        "point": style("point", fontName=bold, fontSize=12, leading=15.5),
        "label": style("label", fontName=bold, fontSize=9.2, leading=13.4, textColor=MUTED),
        "value": style("value"),
        "bullet": style("bullet", leftIndent=12, bulletIndent=2, spaceAfter=1.5),
        "bullet_note": style("bullet_note", fontSize=8.4, leading=13.4, textColor=MUTED, leftIndent=12, spaceAfter=1.5),
        "box_title": style("box_title", fontName=bold, fontSize=11.5, leading=15, spaceAfter=2),
        "alert_title": style("alert_title", fontName=bold, fontSize=12.5, leading=16, textColor=ALERT_EDGE),
        "cell": style("cell", fontSize=9, leading=11.6),
        "cell_bold": style("cell_bold", fontName=bold, fontSize=9, leading=11.6),
        "glance": style("glance", fontSize=8.4, leading=10.8, textColor=MUTED),
        "cell_head": style("cell_head", fontName=bold, fontSize=8.4, leading=10.6, textColor=MUTED),
    }
    return Theme(unicode_font, regular, bold, styles)


THEME = make_theme(register_fonts())  # DejaVu Sans; Helvetica when the font files are missing
LATIN = make_theme(False)  # the standard Helvetica and Helvetica-Bold: in every PDF reader, nothing to embed


def theme_for(strings: Iterable[object]) -> Theme:
    """Helvetica when every string is in WinAnsi (cp1252, the standard fonts' encoding), else the embedded DejaVu Sans.

    `strings` are what the document prints, already cleaned. The standard fonts are in every PDF reader, so a document
    that does not need the TrueType subsets embeds none; a name such as Ωμέγα, Łukasz or Дарья anywhere in it makes
    the whole document DejaVu (one look throughout).
    """
    if not THEME.unicode_font:
        return THEME  # the fallback already: Theme.text made every string fit
    try:
        "\n".join(map(str, strings)).encode("cp1252")
    except UnicodeEncodeError:
        return THEME
    return LATIN
