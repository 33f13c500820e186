"""Characters the document's font has no glyph for, set in a fallback font instead of an empty box.

DejaVu Sans (theme.py) covers Latin, Greek and Cyrillic but no Chinese, Japanese or Korean: a name such as 李 would
print as nothing and be lost from the text a reader or an indexer extracts. ``segments`` cuts a string where the
font must change, and ``lines.draw_line`` / ``lines.Measure`` draw and measure each run in its own font. The fallbacks
are reportlab's Adobe CID fonts (``UnicodeCIDFont``): named in the PDF, not embedded, shown by the reader's own CJK
fonts (Acrobat, Chrome and macOS/Windows viewers carry them); the text stays extractable either way.

A standard font (Helvetica) is never cut: ``theme.theme_for`` picks it only when every string is WinAnsi.
"""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

HAN = "STSong-Light"  # Adobe-GB1: CJK ideographs, kana, CJK punctuation and full-width forms
HANGUL = "HYSMyeongJo-Medium"  # Adobe-Korea1

_HANGUL_RANGES = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF), (0xD7B0, 0xD7FF))
_HAN_RANGES = (
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3000, 0x30FF),  # CJK punctuation, hiragana, katakana
    (0x3190, 0x9FFF),  # kanbun ... CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
    (0x20000, 0x2FA1F),  # CJK extensions B-F, compatibility supplement
)


@cache
def _cmap(font: str) -> frozenset[int] | None:
    """The code points a registered TrueType font has glyphs for; None for the standard fonts (never cut)."""
    face = pdfmetrics.getFont(font)
    if not isinstance(face, TTFont):
        return None
    return frozenset(face.face.charToGlyph)


def _fallback(ch: str) -> str | None:
    code = ord(ch)
    if any(lo <= code <= hi for lo, hi in _HANGUL_RANGES):
        return _registered(HANGUL)
    if any(lo <= code <= hi for lo, hi in _HAN_RANGES):
        return _registered(HAN)
    return None


@cache
def _registered(name: str) -> str:
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    return name


def segments(text: str, font: str) -> list[tuple[str, str]]:
    """`text` as (run, font) pairs: `font` wherever it has the glyphs, a CJK fallback where it has not (a character
    with neither stays in `font`, which draws its empty box)."""
    cmap = _cmap(font)
    if cmap is None or all(ord(ch) in cmap for ch in text):
        return [(text, font)]
    runs: list[tuple[str, str]] = []
    for ch in text:
        chosen = font if ord(ch) in cmap else (_fallback(ch) or font)
        if runs and runs[-1][1] == chosen:
            runs[-1] = (runs[-1][0] + ch, chosen)
        else:
            runs.append((ch, chosen))
    return runs


def string_width(text: str, font: str, size: float) -> float:
    """``stringWidth`` of `text` as ``segments`` sets it."""
    return sum(pdfmetrics.stringWidth(run, face, size) for run, face in segments(text, font))
