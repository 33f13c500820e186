"""The font choice: Helvetica when everything a document prints is WinAnsi, the embedded DejaVu Sans otherwise."""

from __future__ import annotations

import pytest

from assessments.documents import theme as theme_module
from assessments.documents.theme import LATIN, THEME, theme_for


def test_winansi_text_gets_the_standard_helvetica():
    chosen = theme_for(["Dana Whitfield", "José Müller", "Œuvre ß", "• · … – — ’ “ ” € ©", "30-60 s per spot"])
    assert chosen is LATIN
    assert (chosen.regular, chosen.bold, chosen.unicode_font) == ("Helvetica", "Helvetica-Bold", False)


@pytest.mark.parametrize("name", ["Ωμέγα", "Łukasz", "Дарья", "Dvořák", "3 → 2", "−6", "e\u0301"])
def test_one_string_outside_winansi_makes_the_whole_document_dejavu(name):
    chosen = theme_for(["Dana Whitfield", name, "Sam Okafor"])
    assert chosen is THEME
    assert (chosen.regular, chosen.bold, chosen.unicode_font) == ("DejaVuSans", "DejaVuSans-Bold", True)


def test_anything_is_turned_into_text_before_the_check():
    assert theme_for(["", None, 42]) is LATIN
    assert theme_for([]) is LATIN


def test_without_the_font_files_the_fallback_is_always_used(monkeypatch):
    fallback = theme_module.make_theme(False)
    monkeypatch.setattr(theme_module, "THEME", fallback)
    assert theme_for(["Дарья"]) is fallback
    assert theme_for(["Dana"]) is fallback
