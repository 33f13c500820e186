"""assessments.documents.home_care drafts: a sheet drawn but for its closing line, kept (pickled, as the cache keeps
it) and finished later, is the file of the whole sheet drawn at the time it is finished."""

from __future__ import annotations

import datetime as dt
import pickle
import zlib
from dataclasses import replace

import pytest
from reportlab import rl_config

from assessments.documents import build_home_care_pdf, home_care
from assessments.documents.home_care import draft_home_care, finish_home_care_pdf
from assessments.documents.samples import sample_home_care_sheet, sample_points
from assessments.documents.theme import THEME, theme_for
from assessments.documents.types import HomeCareSheet
from assessments.documents.writer import pdf_bytes
from tests.assessments.documents.helpers import pages_rendered, pdf_text, reader

DRAFTED = dt.datetime(2026, 5, 1, 9, 5)  # "1 May 2026, 09:05"
ISSUED = dt.datetime(2026, 9, 30, 23, 59)  # "30 Sep 2026, 23:59": a longer line


@pytest.fixture(autouse=True)
def invariant(monkeypatch):
    """Files without the clock in them (creation date, identifier), so that two of them compare byte for byte."""
    monkeypatch.setattr(rl_config, "invariant", 1)


def drawn_whole(sheet: HomeCareSheet) -> bytes:
    """The sheet drawn in one go on one canvas: no draft, no copy, no kept pages."""
    content = home_care._content(sheet, THEME)
    t = theme_for(content.strings())
    canv, pages = home_care._drawn(sheet, content, t)
    home_care._Layout(pages, t).close(content.closing)
    pages.finish()
    written = pdf_bytes(canv)
    assert written is not None
    return written


def kept(sheet: HomeCareSheet) -> home_care.HomeCareDraft:
    """A draft as the clinical cache hands it back: pickled and loaded again."""
    return pickle.loads(pickle.dumps(draft_home_care(replace(sheet, issued_at=DRAFTED))))


def with_closing_on_a_page_of_its_own() -> HomeCareSheet:
    """A sheet whose closing line does not fit under the boxes and starts the last page."""
    for count in range(12):
        for extra in range(12):
            sheet = sample_home_care_sheet(count, seek_care=tuple(f"Warning sign {i}." for i in range(extra + 2)))
            last = reader(build_home_care_pdf(replace(sheet, issued_at=ISSUED))).pages[-1].extract_text()
            if last.lstrip().startswith(("Your next visit", "Issued")):
                return sheet
    raise AssertionError("no sample sheet ends with its closing line alone on a page")


SHEETS = {
    "no points": sample_home_care_sheet(0),
    "one point": sample_home_care_sheet(1),
    "four points, next visit": sample_home_care_sheet(4, follow_up_on=dt.date(2026, 3, 16)),
    "twelve points, letter": sample_home_care_sheet(12, paper_size="LETTER"),
    "red flag notice": sample_home_care_sheet(2, red_flag_notice="Refer: no self-care for the calf."),
    "no practitioner or contact": sample_home_care_sheet(3, practitioner="", clinic_contact=""),
}


@pytest.mark.parametrize("sheet", list(SHEETS.values()), ids=list(SHEETS))
def test_a_kept_draft_finished_later_is_the_whole_sheet_drawn_then(sheet):
    finished = finish_home_care_pdf(kept(sheet), ISSUED)
    assert finished == drawn_whole(replace(sheet, issued_at=ISSUED))
    assert finished == build_home_care_pdf(replace(sheet, issued_at=ISSUED))
    assert "Issued 30 Sep 2026, 23:59" in pdf_text(finished)
    assert "1 May 2026" not in pdf_text(finished)


def test_a_closing_line_that_starts_a_new_page_does_so_after_a_kept_draft():
    sheet = with_closing_on_a_page_of_its_own()
    finished = finish_home_care_pdf(kept(sheet), ISSUED)
    assert finished == drawn_whole(replace(sheet, issued_at=ISSUED))
    pages = reader(finished).pages
    assert len(pages) == kept(sheet).cursor[0] + 1  # the draft's pages, then one for the closing line
    assert f"Page {len(pages)}" in pages[-1].extract_text()


def test_a_draft_is_finished_as_often_as_it_is_asked_each_time_with_its_own_issue_time():
    draft = kept(sample_home_care_sheet(4))
    first = finish_home_care_pdf(draft, ISSUED)
    later = finish_home_care_pdf(draft, ISSUED + dt.timedelta(minutes=1))
    assert finish_home_care_pdf(draft, ISSUED) == first  # the draft is not used up
    assert "Issued 30 Sep 2026, 23:59" in pdf_text(first)
    assert "Issued 1 Oct 2026, 00:00" in pdf_text(later)
    assert pages_rendered(first)[:-1] == pages_rendered(later)[:-1]  # only the last page changes


def test_a_draft_keeps_the_finished_pages_compressed_and_the_canvas_without_them():
    draft = draft_home_care(sample_home_care_sheet(12))
    assert draft.canvas is not None
    canv = pickle.loads(draft.canvas)
    finished = canv._doc.Pages.pages
    assert len(finished) == len(draft.pages) >= 2
    assert all(page.stream == "" for page in finished)  # each page's stream is kept once, compressed
    assert all(zlib.decompress(page).startswith(b"1 0 0 1 0 0 cm") for page in draft.pages)


def test_a_sheet_in_the_embedded_font_is_drawn_whole_when_finished():
    point = replace(sample_points(1)[0], plain_name="τραπέζιος (ώμος)")
    sheet = sample_home_care_sheet(1, points=(point,), patient_name="Дарья Иванова")
    draft = kept(sheet)
    assert draft.canvas is None and draft.pages == ()
    text = pdf_text(finish_home_care_pdf(draft, ISSUED))
    assert "Дарья Иванова" in text and "τραπέζιος (ώμος)" in text.lower()
    assert "Issued 30 Sep 2026, 23:59" in text
