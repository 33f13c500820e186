"""Measured, wrapped lines of text drawn straight on a reportlab canvas: no markup, no platypus.

``wrap`` breaks text (plain, or runs of regular and bold) into lines of a given width, measuring word by word (a word
wider than the line is broken between characters); ``Pen`` draws the lines through as few PDF text objects as it can.
Caller text is never parsed: a run is printed as it is. The home-care sheet is drawn with these (``pages.py``), and
``layout.PlainText`` sets all of the progress report's text with them (no Paragraph is left).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import escapePDF, fp_str, unicode2T1
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

Run = tuple[str, bool]  # (text, bold)
Fragment = tuple[str, str, Color]  # (text, font, colour): drawn in one go
Line = tuple[Fragment, ...]

_TOKENS = re.compile(r"\n| +|[^ \n]+")


@dataclass(frozen=True)
class Style:
    """One size of text: its regular and bold fonts, line height and colours."""

    font: str
    bold: str
    size: float
    leading: float
    colour: Color
    strong: Color | None = None  # the colour of bold runs, when it differs


def _char_widths(font: str) -> dict[str, float]:
    """A standard font's width at 1 pt of each character it has (WinAnsi): summing them is what reportlab does."""
    measure = getFont(font).stringWidth
    return {ch: measure(ch, 1.0) for ch in bytes(range(32, 256)).decode("cp1252", errors="ignore")}


_STANDARD_WIDTHS = {name: _char_widths(name) for name in ("Helvetica", "Helvetica-Bold")}  # read only


class Measure:
    """String widths at 1 pt, remembered for one document (the same words come back on every point)."""

    def __init__(self) -> None:
        self._widths: dict[tuple[str, str], float] = {}

    def __call__(self, text: str, font: str) -> float:
        key = (text, font)
        width = self._widths.get(key)
        if width is None:
            table = _STANDARD_WIDTHS.get(font)
            try:
                width = sum(map(table.__getitem__, text)) if table is not None else None
            except KeyError:  # a character Helvetica does not have (only in the fallback, shown as a blank)
                width = None
            if width is None:
                width = getFont(font).stringWidth(text, 1.0)
            self._widths[key] = width
        return width


WRAP_CACHE_SIZE = 4096  # wrapped texts remembered per process (then forgotten all at once)
_WRAPPED: dict[tuple[tuple[Run, ...], Style, float], tuple[Line, ...]] = {}


def wrap(runs: Sequence[Run], style: Style, width: float, measure: Measure) -> list[Line]:
    """`runs` broken into lines at most `width` points wide; a line break in the text starts a new line.

    Words are separated by spaces only (a bold run and the colon after it stay one word). Each line is a few
    fragments, one per change of font or colour, spaces included, so that the line is drawn (and read back by a text
    extractor) as the continuous text it is.

    The answer depends on nothing else, and most of a sheet's text comes from the catalog (where, how long, how
    often, the safety rules) and is the same for every patient: it is remembered per process.
    """
    key = (tuple(runs), style, width)
    lines = _WRAPPED.get(key)
    if lines is None:
        lines = tuple(_wrap(key[0], style, width, measure))
        if len(_WRAPPED) >= WRAP_CACHE_SIZE:
            _WRAPPED.clear()
        _WRAPPED[key] = lines
    return list(lines)


def _wrap(runs: Sequence[Run], style: Style, width: float, measure: Measure) -> list[Line]:
    limit = width / style.size
    if len(runs) == 1:  # the common case: plain text in one font
        text, bold = runs[0]
        font = style.bold if bold else style.font
        if "\n" not in text and measure(text, font) <= limit:
            return [((text, font, _colour(style, bold)),)] if text else []
        plain = _wrap_plain(text, font, _colour(style, bold), limit, measure)
        if plain is not None:
            return plain
    spans = [(text, style.bold if bold else style.font, _colour(style, bold)) for text, bold in runs]
    return wrap_spans(spans, style.size, width, measure)


def wrap_spans(spans: Sequence[Fragment], size: float, width: float, measure: Measure) -> list[Line]:
    """``wrap`` for spans that name their own font and colour (a verdict with a green "reaches the MCID")."""
    limit = width / size
    lines: list[Line] = []
    line: list[list[str | Color]] = []  # fragments being built: [text, font, colour]
    used = 0.0
    for pieces, space, breaks in _words(spans):
        for _ in range(breaks):
            lines.append(_line(line))
            line, used = [], 0.0
        w = sum([measure(text, font) for text, font, _ in pieces])
        gap = measure(" ", pieces[0][1]) if space and line else 0.0
        if line and used + gap + w > limit:
            lines.append(_line(line))
            line, used, gap = [], 0.0, 0.0
        if w > limit:
            if line:
                lines.append(_line(line))
                line, used, gap = [], 0.0, 0.0
            full, pieces = _break_word(pieces, limit, measure)
            lines += full
            w = sum([measure(text, font) for text, font, _ in pieces])
        for i, (text, font, colour) in enumerate(pieces):
            if i == 0 and gap:
                text = " " + text
            if line and line[-1][1] == font and line[-1][2] is colour:
                line[-1][0] = str(line[-1][0]) + text
            else:
                line.append([text, font, colour])
        used += gap + w
    if line:
        lines.append(_line(line))
    return lines


def _wrap_plain(text: str, font: str, colour: Color, limit: float, measure: Measure) -> list[Line] | None:
    """`wrap` for text in one font: a line is its words joined again. None when a word is wider than a line."""
    space = measure(" ", font)
    lines: list[Line] = []
    for paragraph in text.split("\n"):
        words: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            w = measure(word, font)
            if w > limit:
                return None
            if words and used + space + w > limit:
                lines.append(((" ".join(words), font, colour),))
                words, used = [word], w
            else:
                used += space + w if words else w
                words.append(word)
        lines.append(((" ".join(words), font, colour),) if any(words) else ())
    return lines


def _colour(style: Style, bold: bool) -> Color:
    return style.strong if bold and style.strong is not None else style.colour


def _line(fragments: list[list[str | Color]]) -> Line:
    return tuple((str(text), str(font), colour) for text, font, colour in fragments)


def _words(spans: Sequence[Fragment]) -> list[tuple[list[Fragment], bool, int]]:
    """(pieces, space before, line breaks before) for each word of `spans`."""
    words: list[tuple[list[Fragment], bool, int]] = []
    current: list[Fragment] | None = None
    space, breaks = False, 0
    for text, font, colour in spans:
        for token in _TOKENS.findall(text):
            if token == "\n":
                current, space, breaks = None, False, breaks + 1
            elif token[0] == " ":
                current, space = None, True
            else:
                if current is None:
                    current = []
                    words.append((current, space, breaks if words else 0))
                    space, breaks = False, 0
                current.append((token, font, colour))
    return words


def _break_word(pieces: list[Fragment], limit: float, measure: Measure) -> tuple[list[Line], list[Fragment]]:
    """A word too wide for a line, cut between characters: the full lines, and the rest to go on with."""
    full: list[Line] = []
    chunk: list[Fragment] = []
    used = 0.0
    for text, font, colour in pieces:
        start = 0
        for i, ch in enumerate(text):
            w = measure(ch, font)
            if used + w > limit and (chunk or i > start):
                if i > start:
                    chunk.append((text[start:i], font, colour))
                full.append(tuple(chunk))
                chunk, used, start = [], 0.0, i
            used += w
        if start < len(text):
            chunk.append((text[start:], font, colour))
    return full, chunk


class Pen:
    """Draws text lines through as few PDF text objects as possible: one is kept open until graphics are drawn.

    The text operators of the standard (Type 1) fonts are written here, as reportlab's text object writes them: a
    text origin, a font and colour when they change, then the string in the font's encoding (``Tj``); a character
    the font lacks goes through reportlab's substitution, and an embedded (TrueType) font through reportlab's own text
    object, which keeps its subsets. Per line that is a third of the time of the text object's methods.
    """

    def __init__(self, canv: Canvas) -> None:
        self.canv = canv
        self._code: list[str] | None = None  # the open text object's operators
        self._font: tuple[str, float] | None = None
        self._colour: Color | None = None
        self._names: dict[str, str] = {}  # font -> its resource name in this document
        self._embedded: PDFTextObject | None = None  # formats the strings of embedded fonts

    def line(self, x: float, baseline: float, line: Line, size: float) -> None:
        code = self._code
        if code is None:
            code = self._code = ["BT"]
            self._font = self._colour = None
        code.append(f"1 0 0 1 {fp_str(x, baseline)} Tm")
        for string, font, colour in line:
            if self._colour is not colour:
                code.append(_fill(colour))
                self._colour = colour
            if not is_standard(font):
                code.append(self._embedded_text(string, font, size))
                self._font = None  # the embedded text chose its own subset font
                continue
            if self._font != (font, size):
                code.append(f"{self._name(font)} {fp_str(size)} Tf")
                self._font = (font, size)
            shown = _SHOWN.get((string, font))
            code.append(shown if shown is not None else self._standard_text(string, font, size))

    def _name(self, font: str) -> str:
        name = self._names.get(font)
        if name is None:
            name = self._names[font] = self.canv._doc.getInternalFontName(font)
        return name

    def _standard_text(self, string: str, font: str, size: float) -> str:
        face = getFont(font)
        parts = unicode2T1(string, [face, *face.substitutionFonts])
        if len(parts) == 1 and parts[0][0] is face:
            shown = f"({escapePDF(parts[0][1])}) Tj"
            if len(_SHOWN) >= WRAP_CACHE_SIZE * 4:
                _SHOWN.clear()
            _SHOWN[(string, font)] = shown  # most lines come back on the next sheet (see `wrap`)
            return shown
        out: list[str] = []
        current = face
        for f, text in parts:  # a character Helvetica lacks, from a substitution font (reportlab's own rule)
            if f is not current:
                out.append(f"{self._name(f.fontName)} {fp_str(size)} Tf")
                current = f
            out.append(f"({escapePDF(text)}) Tj")
        if current is not face:
            out.append(f"{self._name(font)} {fp_str(size)} Tf")
        return " ".join(out)

    def _embedded_text(self, string: str, font: str, size: float) -> str:
        text = self._embedded
        if text is None:
            text = self._embedded = self.canv.beginText()  # only its formatting is used: its own code is dropped
        text.setFont(font, size)  # an embedded font: chooses no subset yet, writes nothing
        return text._formatText(string)

    def graphics(self) -> Canvas:
        """The canvas, for shapes (the text so far is drawn first, so that it stays in reading order)."""
        self.flush()
        return self.canv

    def flush(self) -> None:
        if self._code is not None:
            self._code.append("ET")
            self.canv.addLiteral(" ".join(self._code))
            self._code = None


_STANDARD_FONTS: set[str] = set()
_SHOWN: dict[tuple[str, str], str] = {}  # (string, standard font) -> its show operator


def _fill(colour: Color) -> str:
    """The fill colour operator (``rg``), remembered for each of the theme's colours."""
    op = _FILLS.get(colour)
    if op is None:
        op = _FILLS[colour] = f"{fp_str(colour.red, colour.green, colour.blue)} rg"
    return op


_FILLS: dict[Color, str] = {}


def is_standard(font: str) -> bool:
    """A standard Type 1 font (not embedded, one byte per character): its text operators are written by ``Pen``."""
    if font in _STANDARD_FONTS:
        return True
    face = getFont(font)
    if face._dynamicFont or face._multiByte:
        return False
    _STANDARD_FONTS.add(font)
    return True
