"""The canvas layout: rows flow down the pages, blocks are kept together when short, boxes split or align."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from assessments.documents import pages as pages_module
from assessments.documents.lines import Style
from assessments.documents.pages import Box, Pages, Row, gap, text_rows
from assessments.documents.theme import ALERT_EDGE, ALERT_FILL, INK, LATIN, SAFETY_EDGE, SAFETY_FILL
from tests.assessments.documents.helpers import reader

STYLE = Style("Helvetica", "Helvetica-Bold", 10.0, 20.0, INK)


class Placed:
    """Records where rows are drawn (page, top) and what else happens, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, int, float, str]] = []
        self.boxes: list[dict] = []  # page, x, top, width, height, open_top, open_bottom

    def row(self, name: str, height: float = 20.0) -> Row:
        def draw(canv: Canvas, x: float, top: float) -> None:
            self.events.append(("row", canv.getPageNumber(), top, name))

        return Row(height, draw)

    def rows(self, prefix: str, count: int, height: float = 20.0) -> list[Row]:
        return [self.row(f"{prefix}{i}", height) for i in range(count)]

    def pages_of(self, prefix: str) -> set[int]:
        return {page for kind, page, _, name in self.events if kind == "row" and name.startswith(prefix)}

    def tops(self) -> list[float]:
        return [top for kind, _, top, _ in self.events if kind == "row"]


@pytest.fixture
def doc(monkeypatch):
    placed = Placed()
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=A4)
    pages = Pages(canv, A4, LATIN, "footer text")
    original = Box.draw

    def record_box(box, canv, x, top, width, height, *, open_top=False, open_bottom=False):
        placed.events.append(("box", canv.getPageNumber(), top, ""))
        placed.boxes.append(
            {"page": canv.getPageNumber(), "x": x, "top": top, "width": width, "height": height,
             "open_top": open_top, "open_bottom": open_bottom}
        )  # fmt: skip
        original(box, canv, x, top, width, height, open_top=open_top, open_bottom=open_bottom)

    monkeypatch.setattr(Box, "draw", record_box)
    yield pages, placed
    pages.finish()
    canv.save()
    for i, page in enumerate(reader(buf.getvalue()).pages, start=1):
        assert f"Page {i}" in page.extract_text() and "footer text" in page.extract_text()


def test_rows_flow_onto_new_pages_and_stay_between_the_margins(doc):
    pages, placed = doc
    pages.place(placed.rows("r", 100))
    assert placed.pages_of("r") == {1, 2, 3}
    assert all(pages.bottom <= top - 20 and top <= pages.top for top in placed.tops())
    assert placed.tops()[0] == pages.top


def test_a_short_block_that_does_not_fit_starts_on_the_next_page(doc):
    pages, placed = doc
    pages.place(placed.rows("filler", 30))  # 600 of about 740 points
    pages.place(placed.rows("block", 10), keep=pages.page_height * 0.45)  # 200 points: does not fit in what is left
    assert placed.pages_of("block") == {2}
    assert placed.tops()[30] == pages.top


def test_a_long_block_fills_the_page_and_goes_on(doc):
    pages, placed = doc
    pages.place(placed.rows("filler", 30))
    pages.place(placed.rows("block", 20), keep=pages.page_height * 0.45)  # 400 points: more than the share
    assert placed.pages_of("block") == {1, 2}


def test_a_block_taller_than_a_page_splits_line_by_line(doc):
    pages, placed = doc
    pages.place(placed.rows("huge", 120), keep=pages.page_height * 0.45)
    assert placed.pages_of("huge") == {1, 2, 3, 4}
    assert all(top - 20 >= pages.bottom for top in placed.tops())


def test_the_head_rows_stay_together(doc):
    pages, placed = doc
    pages.place(placed.rows("filler", 35))  # 700 points: room for one more row, not two
    pages.place([*placed.rows("head", 2), *placed.rows("rest", 30)], head=2)
    assert placed.pages_of("head") == {2}


def test_blank_space_is_dropped_at_the_top_of_a_page(doc):
    pages, placed = doc
    pages.place(placed.rows("filler", 36))
    pages.place([gap(15), placed.row("after"), gap(10), placed.row("next")])
    assert placed.pages_of("after") == {2}
    after, following = placed.tops()[-2:]
    assert after == pages.top and following == pages.top - 20 - 10


def test_a_box_that_does_not_fit_moves_whole_and_is_drawn_behind_its_rows(doc):
    pages, placed = doc
    pages.place(placed.rows("filler", 30))
    box = Box(SAFETY_FILL, SAFETY_EDGE)
    pages.place_box(box, placed.rows("boxed", 10), keep=pages.page_height / 2)
    kinds = [(kind, page) for kind, page, _, name in placed.events if kind == "box" or name.startswith("boxed")]
    assert kinds[0] == ("box", 2)  # the background first
    assert {page for _, page in kinds} == {2}
    box_top = next(top for kind, _, top, _ in placed.events if kind == "box")
    assert box_top == pages.top and placed.tops()[30] == pages.top - box.pad[1]


def test_a_long_box_is_split_where_it_is_rather_than_moved(doc):
    pages, placed = doc
    pages.place(placed.rows("filler", 30))
    pages.place_box(Box(ALERT_FILL, ALERT_EDGE), placed.rows("boxed", 20), keep=pages.page_height / 4)
    assert placed.pages_of("boxed") == {1, 2}
    assert [box["page"] for box in placed.boxes] == [1, 2]


def test_a_box_taller_than_a_page_splits_with_the_edge_open_at_the_cut(doc):
    pages, placed = doc
    pages.place(placed.rows("filler", 10))
    pages.place_box(Box(ALERT_FILL, ALERT_EDGE), placed.rows("boxed", 60), keep=pages.page_height / 2)
    first, second = placed.boxes
    assert (first["page"], first["open_top"], first["open_bottom"]) == (1, False, True)
    assert (second["page"], second["open_top"], second["open_bottom"]) == (2, True, False)
    assert placed.pages_of("boxed") == {1, 2}
    assert first["top"] - first["height"] >= pages.bottom


def test_text_rows_put_the_baseline_one_font_size_below_the_top(monkeypatch):
    seen = []
    monkeypatch.setattr(pages_module, "draw_line", lambda canv, x, baseline, line, sz: seen.append((x, baseline, sz)))
    (row,) = text_rows([(("Hello", "Helvetica", INK),)], STYLE, indent=26)
    assert row.height == STYLE.leading
    assert row.draw is not None
    row.draw(Canvas(io.BytesIO()), 10.0, 500.0)
    assert seen == [(36.0, 490.0, 10.0)]
