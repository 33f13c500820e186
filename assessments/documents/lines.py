"""Measured, wrapped lines of text drawn on a reportlab canvas: no markup, no platypus Paragraph.

``wrap`` breaks text (plain, or runs of regular and bold) into lines of a given width, measuring word by word (a word
wider than the line is broken between characters); ``draw_line`` draws one line through the canvas's text object.
Caller text is never parsed: a run is printed as it is. The home-care sheet is drawn with these (``pages.py``), and
``layout.PlainText`` sets all of the progress report's text with them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from .glyphs import segments, string_width

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


class Measure:
    """String widths at 1 pt (reportlab's ``stringWidth``, with the CJK fallback of ``glyphs.segments``), remembered
    for one document: the same words come back on every point."""

    def __init__(self) -> None:
        self.widths: dict[tuple[str, str], float] = {}

    def __call__(self, text: str, font: str) -> float:
        key = (text, font)
        width = self.widths.get(key)
        if width is None:
            width = self.widths[key] = string_width(text, font, 1.0)
        return width


def draw_line(canv: Canvas, x: float, baseline: float, line: Line, size: float) -> None:
    """One wrapped line, its fragments one after another from (x, baseline), each in its font and colour (characters
    the font has no glyph for in a fallback font: ``glyphs.segments``)."""
    text = canv.beginText(x, baseline)
    for string, font, colour in line:
        text.setFillColor(colour)
        for run, face in segments(string, font):
            text.setFont(face, size)
            text.textOut(run)
    canv.drawText(text)


def wrap(runs: Sequence[Run], style: Style, width: float, measure: Measure) -> list[Line]:
    """`runs` broken into lines at most `width` points wide; a line break in the text starts a new line.

    Words are separated by spaces only (a bold run and the colon after it stay one word). Each line is a few
    fragments, one per change of font or colour, spaces included, so that the line is drawn (and read back by a text
    extractor) as the continuous text it is.
    """
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
