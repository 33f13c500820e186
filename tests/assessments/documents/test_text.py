"""Text hygiene: cleaning, fitting and formatting (no PDF needed)."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments.documents.text import (
    clean,
    fit,
    fmt_date,
    fmt_day,
    fmt_number,
    fmt_short_date,
    side_words,
    to_latin1,
    truncate,
)
from assessments.documents.theme import THEME


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  plain  text  ", "plain text"),
        ("nul\x00byte", "nulbyte"),
        ("bell\x07 esc\x1b del\x7f c1\x85", "bell esc del c1"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("pair \ud83d\ude00 joins", "pair \U0001f600 joins"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("para\n\n\n\nnext", "para\n\nnext"),
        ("tab\there", "tab here"),
        ("e\u0301", "é"),  # NFC
        (42, "42"),
    ],
)
def test_clean(raw, expected):
    assert clean(raw) == expected


@pytest.mark.parametrize("pad", [0, 500])  # short text is remembered per process, long text cleaned each time
def test_clean_gives_the_same_for_short_and_long_text_and_each_option(pad):
    tail = " x" * pad
    assert clean(" a\x00b \n\n\n c" + tail) == "ab\n\nc" + tail
    assert clean(" a\x00b \n\n\n c" + tail, multiline=False) == "ab c" + tail
    assert clean("Ωμέγα" + tail, unicode_font=False) == "?????" + tail
    assert clean("Ωμέγα" + tail) == "Ωμέγα" + tail  # the same text again, with the other option


def test_clean_single_line_and_latin1():
    assert clean("two\nlines", multiline=False) == "two lines"
    assert clean("Ωμέγα Łukasz José Дарья", unicode_font=False) == "????? ?ukasz José ?????"
    assert to_latin1("Dvořák – “quoted” €") == "Dvorák – “quoted” €"  # cp1252 keeps dashes, quotes and the euro


def test_fit_and_truncate():
    text = "A rather long chart label that will not fit"
    short = fit(text, THEME.regular, 8, 60)
    assert short.endswith("…") and len(short) < len(text)
    assert fit("fits", THEME.regular, 8, 100) == "fits"
    assert fit("anything", THEME.regular, 8, 0) == ""
    assert truncate("short", 10) == "short"
    assert truncate("one two three four five", 12) == "one two…"
    assert len(truncate("x" * 300, 50)) == 50


def test_formats():
    assert fmt_date(dt.date(2026, 3, 2)) == "2 Mar 2026"
    assert fmt_date(None) == ""
    assert fmt_short_date(dt.date(2026, 12, 25)) == "25 Dec 26"
    assert fmt_day(dt.date(2026, 3, 2)) == "2 Mar"
    assert [fmt_number(v) for v in (1.0, 2.25, 1 / 3, -0.5, float("nan"))] == ["1", "2.25", "0.33", "-0.5", "–"]
    assert [side_words(s) for s in ("right", "Left", "bilateral", "midline", "", "proximal")] == [
        "right side",
        "left side",
        "both sides",
        "",
        "",
        "proximal",
    ]
