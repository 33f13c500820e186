"""Text hygiene for the PDF builders: every string from a dataclass passes through here before reportlab sees it.

* ``clean``   makes any value printable: NUL and other control characters go, lone surrogates become U+FFFD, line
              ends are normalised; with a Latin-1-only font, characters it cannot show become "?".
* ``fit``     shortens a single line drawn straight on the canvas (chart labels, running headers) to a width.

Caller text is never handed to reportlab's Paragraph mini-language: the builders draw it as plain text (``lines.py``),
so ``<font ...>``, ``<img ...>``, ``&`` and quotes print literally and nothing is ever fetched or interpreted.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from .glyphs import string_width

# C0 controls except tab and line feed, DEL, C1 controls, and the two non-characters at the end of the BMP.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean(value: object, *, unicode_font: bool = True, multiline: bool = True) -> str:
    """`value` as safe, printable plain text (never raises on odd input)."""
    text = "" if value is None else str(value)
    if not text:
        return ""
    # Lone surrogates (from a bad decode upstream) cannot be encoded; a valid pair written as two code points joins.
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    if not unicode_font:
        text = to_latin1(text)
    text = _SPACES.sub(" ", text)
    if multiline:
        text = _BLANK_LINES.sub("\n\n", "\n".join(line.strip() for line in text.split("\n")))
    else:
        text = " ".join(text.split())
    return text.strip()


def one_line(text: str) -> str:
    """Cleaned text on one line: what ``clean(value, multiline=False)`` gives, from ``clean(value)``."""
    return " ".join(text.split())


def to_latin1(text: str) -> str:
    """For the Helvetica fallback: accents dropped where that helps (Ł stays unknown), the rest becomes "?"."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    else:
        return text  # the usual case, in one call instead of one per character
    out = []
    for ch in text:
        if _encodable(ch):
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and all(_encodable(c) for c in base) else "?")
    return "".join(out)


def _encodable(ch: str) -> bool:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def fit(text: str, font: str, size: float, width: float) -> str:
    """A single line of `text` (already cleaned) shortened with an ellipsis to at most `width` points."""
    if width <= 0:
        return ""
    if string_width(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if string_width(text[:mid].rstrip() + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return (text[:lo].rstrip() + "…") if lo else ""


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary where there is one, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def fmt_date(value: dt.date | None) -> str:
    """An unambiguous date for patients in any country: 2 Mar 2026."""
    if value is None:
        return ""
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{value.day} {months[value.month - 1]} {value.year}"


def fmt_day(value: dt.date) -> str:
    """A day within a report that spans one year: 2 Mar."""
    return fmt_date(value).rsplit(" ", 1)[0]


def fmt_short_date(value: dt.date) -> str:
    """A compact date for chart axes and table headings: 2 Mar 26."""
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{value.day} {months[value.month - 1]} {value.year % 100:02d}"


def fmt_number(value: float) -> str:
    """1.0 -> "1", 2.25 -> "2.25", 1.333333 -> "1.33"."""
    if not math.isfinite(value):
        return "–"
    rounded = round(value, 2)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0").rstrip(".")


def side_words(side: str) -> str:
    """How a side reads in a heading: "right side", "both sides"; nothing for the midline."""
    s = side.strip().lower()
    if s in ("right", "left"):
        return f"{s} side"
    if s in ("bilateral", "both"):
        return "both sides"
    if s in ("midline", "central", "center", "centre", "none", ""):
        return ""
    return side.strip()
