"""Measuring and wrapping text for the canvas: lines never wider than asked, words kept whole where they fit."""

from __future__ import annotations

import itertools

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from assessments.documents.lines import Measure, Style, wrap
from assessments.documents.theme import INK, MUTED, THEME

HELVETICA = Style("Helvetica", "Helvetica-Bold", 10.0, 13.0, INK)
DEJAVU = Style(THEME.regular, THEME.bold, 10.0, 13.0, INK)
TEXT = (
    "Lean into a ball against a wall or lie on it; hold still on the tender spot, breathe out and let the muscle "
    "soften, then move to another spot close by."
)


def width_of(line, size=10.0):
    return sum(stringWidth(text, font, size) for text, font, _ in line)


def text_of(line):
    return "".join(text for text, _, _ in line)


@pytest.mark.parametrize("style", [HELVETICA, DEJAVU])
@pytest.mark.parametrize("width", [60.0, 150.0, 400.0])
def test_plain_text_wraps_at_spaces_within_the_width(style, width):
    lines = wrap(((TEXT, False),), style, width, Measure())
    assert len(lines) > 1
    assert all(width_of(line) <= width + 1e-6 for line in lines)
    assert " ".join(text_of(line) for line in lines) == TEXT  # every word, in order, none cut
    for first, second in itertools.pairwise(lines):  # greedy: the next word would not have fitted
        next_word = text_of(second).split(" ")[0]
        assert width_of(((text_of(first) + " " + next_word, style.font, INK),)) > width


def test_short_text_is_one_line_and_empty_text_none():
    assert wrap((("Where", False),), HELVETICA, 200, Measure()) == [(("Where", "Helvetica", INK),)]
    assert wrap((("", False),), HELVETICA, 200, Measure()) == []


def test_a_bold_label_and_its_text_share_lines_and_the_colon_stays_with_the_label():
    runs = (("Desk set-up", True), (": Raise the screen to eye level and keep the mouse close to the keyboard.", False))
    lines = wrap(runs, HELVETICA, 180, Measure())
    assert lines[0][0] == ("Desk set-up", "Helvetica-Bold", INK)
    assert lines[0][1][0].startswith(": Raise") and lines[0][1][1] == "Helvetica"
    assert " ".join(text_of(line) for line in lines) == "".join(text for text, _ in runs)
    assert all(width_of(line) <= 180 for line in lines)


def test_the_space_between_runs_is_kept_in_the_text_so_extraction_reads_it():
    lines = wrap((("Tennis ball", True), (" (or: hands, thera cane)", False)), HELVETICA, 400, Measure())
    assert lines == [(("Tennis ball", "Helvetica-Bold", INK), (" (or: hands, thera cane)", "Helvetica", INK))]


def test_bold_runs_take_the_strong_colour_when_the_style_has_one():
    style = Style("Helvetica", "Helvetica-Bold", 8.8, 11.6, MUTED, strong=INK)
    (line,) = wrap((("Your next visit: 16 Mar 2026.", True), (" Issued 2 Mar 2026.", False)), style, 500, Measure())
    assert [colour for _, _, colour in line] == [INK, MUTED]


@pytest.mark.parametrize("style", [HELVETICA, DEJAVU])
@pytest.mark.parametrize("bold_prefix", [False, True])
def test_an_unbroken_word_is_cut_between_characters_to_fit(style, bold_prefix):
    word = "Sternocleidomastoideus" * 14  # 308 characters
    runs = ((("Where:", True),) if bold_prefix else ()) + ((f"{word} and then the rest", False),)
    lines = wrap(runs, style, 200, Measure())
    assert len(lines) >= 5
    assert all(width_of(line) <= 200 + 1e-6 for line in lines)
    joined = "".join(text_of(line) for line in lines).replace(" ", "")
    assert joined == ("Where:" if bold_prefix else "") + word + "andthentherest"  # nothing lost, nothing added


def test_a_line_break_starts_a_new_line_and_a_blank_line_stays():
    lines = wrap((("first line\nsecond line\n\nnew paragraph", False),), HELVETICA, 400, Measure())
    assert [text_of(line) for line in lines] == ["first line", "second line", "", "new paragraph"]
    rich = wrap((("Label", True), (": one\ntwo", False)), HELVETICA, 400, Measure())
    assert [text_of(line) for line in rich] == ["Label: one", "two"]
