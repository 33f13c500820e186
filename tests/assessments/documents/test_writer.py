"""assessments.documents.writer: the home-care sheet's file written directly is the file reportlab's `save()` writes,
as poppler renders it (pixel by pixel, every page), as text and as metadata; anything it does not write goes to
reportlab instead."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A6
from reportlab.pdfgen.canvas import Canvas

from assessments.documents import build_home_care_pdf, home_care
from assessments.documents.samples import sample_home_care_sheet, sample_points
from assessments.documents.theme import THEME
from assessments.documents.writer import pdf_bytes
from tests.assessments.documents.helpers import pages_rendered


def described(pdf: bytes) -> dict[str, object]:
    """What a reader sees apart from the pixels (the dates and the file's digest are the moment's)."""
    document = PdfReader(io.BytesIO(pdf), strict=True)
    meta = document.metadata
    assert meta is not None
    root: Any = document.trailer["/Root"]
    return {
        "pages": [(tuple(float(v) for v in page.mediabox), page.extract_text()) for page in document.pages],
        "fonts": [sorted(str(f.get_object()["/BaseFont"]) for f in fonts(page)) for page in document.pages],
        "meta": (meta.title, meta.author, meta.subject, meta.creator, meta.producer, meta.get("/Keywords")),
        "dated": meta.creation_date is not None and meta.modification_date is not None,
        "lang": root.get("/Lang"),
        "preferences": dict(root["/ViewerPreferences"]),
        "page mode": root.get("/PageMode"),
    }


def fonts(page: Any) -> list[Any]:
    return list(page["/Resources"]["/Font"].values())


def written_and_saved(sheet, monkeypatch) -> tuple[bytes, bytes]:
    written = build_home_care_pdf(sheet)
    with monkeypatch.context() as patched:
        patched.setattr(home_care, "pdf_bytes", lambda canv, compressed=(): None)
        saved = build_home_care_pdf(sheet)
    return written, saved


def assert_well_formed(pdf: bytes) -> None:
    """Every cross-reference entry points at its object, and startxref at the table."""
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf).group(1))
    assert pdf[start:].startswith(b"xref\n0 ")
    entries = re.findall(rb"(\d{10}) 00000 n ", pdf[start:])
    assert entries
    for number, offset in enumerate(entries, start=1):
        assert pdf[int(offset) :].startswith(b"%d 0 obj\n" % number)
    for length, rest in re.findall(rb"/Length (\d+)\n>>\nstream\n(.*?)endstream", pdf, flags=re.S):
        assert int(length) == len(rest)


@pytest.mark.parametrize(
    "sheet",
    [
        sample_home_care_sheet(0),
        sample_home_care_sheet(1),
        sample_home_care_sheet(4),
        sample_home_care_sheet(12, paper_size="LETTER"),
        sample_home_care_sheet(2, patient_name='O\'Brien (the "younger") \\ café', clinic_name="Smith & Sons (Bath)"),
    ],
    ids=["no points", "one point", "four points", "twelve points, letter", "escapes"],
)
def test_the_written_file_is_the_file_reportlab_saves(sheet, monkeypatch):
    written, saved = written_and_saved(sheet, monkeypatch)
    assert written != saved  # not reportlab's bytes (its comments and digest differ)
    assert_well_formed(written)
    assert described(written) == described(saved)
    assert pages_rendered(written) == pages_rendered(saved)


def test_a_sheet_in_the_embedded_font_is_saved_by_reportlab(monkeypatch):
    point = replace(sample_points(1)[0], plain_name="τραπέζιος (ώμος)")
    sheet = sample_home_care_sheet(0, points=(point,), patient_name="Дарья Иванова")
    answers: list[bytes | None] = []

    def spy(canv: Canvas, compressed: Sequence[bytes] = ()) -> bytes | None:
        answers.append(pdf_bytes(canv, compressed))
        return answers[-1]

    monkeypatch.setattr(home_care, "pdf_bytes", spy)
    pdf = build_home_care_pdf(sheet)
    assert answers == [None]
    assert "Дарья Иванова" in " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def plain(canv: Canvas) -> None:
    canv.setFont("Helvetica", 10)
    canv.drawString(20, 100, "Stop if it tingles (café)")
    canv.line(20, 90, 200, 90)


def add_link(canv: Canvas) -> None:
    canv.linkURL("https://example.com", (20, 20, 80, 40))


def add_outline(canv: Canvas) -> None:
    canv.bookmarkPage("top")
    canv.addOutlineEntry("Top", "top")


def add_transparency(canv: Canvas) -> None:
    canv.setFillAlpha(0.5)
    canv.rect(10, 10, 20, 20, fill=1)


def add_form(canv: Canvas) -> None:
    canv.beginForm("mark")
    canv.circle(5, 5, 4)
    canv.endForm()
    canv.doForm("mark")


def add_embedded_font(canv: Canvas) -> None:
    canv.setFont(THEME.regular, 10)
    canv.drawString(20, 60, "Łódź")


def add_symbol_font(canv: Canvas) -> None:
    canv.setFont("Symbol", 10)
    canv.drawString(20, 60, "abc")


def add_crop_box(canv: Canvas) -> None:
    canv.setCropBox((0, 0, 100, 100))


def add_page_transition(canv: Canvas) -> None:
    canv.setPageTransition("Dissolve", 2)


@pytest.mark.parametrize(
    "extra",
    [add_link, add_outline, add_transparency, add_form, add_symbol_font, add_crop_box, add_page_transition]
    + ([add_embedded_font] if THEME.regular != "Helvetica" else []),
)
def test_anything_else_is_left_to_reportlab(extra):
    canv = Canvas(io.BytesIO(), pagesize=A6, lang="en")
    canv.setViewerPreference("DisplayDocTitle", "true")
    plain(canv)
    extra(canv)
    assert pdf_bytes(canv) is None


def test_a_plain_canvas_is_written_and_renders_as_saved():
    def canvas() -> tuple[Canvas, io.BytesIO]:
        buf = io.BytesIO()
        canv = Canvas(buf, pagesize=A6, lang="en")
        canv.setViewerPreference("DisplayDocTitle", "true")
        canv.setTitle("A (title)")
        plain(canv)
        canv.showPage()
        plain(canv)  # a second page, left open: closed as save() would
        return canv, buf

    canv, _ = canvas()
    written = pdf_bytes(canv)
    assert written is not None
    canv, buf = canvas()
    canv.save()
    assert_well_formed(written)
    assert described(written) == described(buf.getvalue())
    assert pages_rendered(written) == pages_rendered(buf.getvalue())
    assert len(pages_rendered(written)) == 2
