"""The home-care sheet on the page: its fonts, its pages and where its text lands. Every line of text the sheet's
layout draws is recorded (``lines.draw_line``, where the layout calls it) with its page and position; the PDF is read
back with pypdf."""

from __future__ import annotations

import ast
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from assessments.documents import HelpTier, StressorAction, build_home_care_pdf
from assessments.documents import home_care as home_care_module
from assessments.documents import lines as lines_module
from assessments.documents import pages as pages_module
from assessments.documents.home_care import GUTTER, LABEL_WIDTH
from assessments.documents.layout import FOOTER_GAP, MARGIN, page_size
from assessments.documents.pages import Box
from assessments.documents.samples import SAMPLE_SAFETY, sample_home_care_sheet, sample_points
from assessments.documents.theme import ALERT_FILL, SAFETY_FILL
from tests.assessments.documents.helpers import font_names, pdf_text, reader

PACKAGE = Path(__file__).resolve().parents[3] / "assessments" / "documents"
LONG = "Lean into the ball and breathe out slowly, then move a finger's width along the band. "


@dataclass(frozen=True)
class Drawn:
    page: int
    x: float
    baseline: float
    size: float
    text: str
    right: float  # where the line ends


@pytest.fixture
def drawn(monkeypatch):
    found: list[Drawn] = []

    def record(canv, x, baseline, line, size):
        right = x + sum(stringWidth(text, font, size) for text, font, _ in line)
        text = "".join(text for text, _, _ in line)
        found.append(Drawn(canv.getPageNumber(), x, baseline, size, text, right))
        lines_module.draw_line(canv, x, baseline, line, size)

    for module in (pages_module, home_care_module):  # the layout's rows; the sheet's own fields, bullets and columns
        monkeypatch.setattr(module, "draw_line", record)
    return found


@pytest.fixture
def boxes(monkeypatch):
    found: list[tuple[int, object, float, float, float, float]] = []
    original = Box.draw

    def record(box, canv, x, top, width, height, **kw):
        found.append((canv.getPageNumber(), box.fill, x, top, width, height))
        original(box, canv, x, top, width, height, **kw)

    monkeypatch.setattr(Box, "draw", record)
    return found


def assert_inside_the_margins(lines: list[Drawn], paper: str = "A4") -> None:
    width, height = page_size(paper)
    for line in lines:
        assert line.x >= MARGIN - 1e-6, line
        assert line.right <= width - MARGIN + 1e-6, line
        assert line.baseline + line.size <= height - MARGIN + 1e-6, line  # the top of the line's row
        assert line.baseline - 0.3 * line.size >= MARGIN + FOOTER_GAP - 1e-6, line  # clear of the footer


def point_blocks(lines: list[Drawn]) -> list[list[Drawn]]:
    """The lines of each point block: from its heading (12 pt, after the badge's gutter) to its last field."""
    blocks: list[list[Drawn]] = []
    for line in lines:
        if line.size == 12 and line.x == pytest.approx(MARGIN + GUTTER):
            blocks.append([])
        elif blocks and line.x < MARGIN + GUTTER - 1e-6:  # back at the margin: the next section
            break
        if blocks:
            blocks[-1].append(line)
    return blocks


# --- fonts ------------------------------------------------------------------------------------------------------------


def test_a_latin_sheet_uses_the_standard_helvetica_and_embeds_no_font():
    pdf = build_home_care_pdf(sample_home_care_sheet(4, patient_name="José Müller-Ñúñez", practitioner="Zoë O’Neill"))
    assert font_names(pdf) == {"Helvetica", "Helvetica-Bold"}
    assert b"/FontFile2" not in pdf  # no TrueType program anywhere in the file
    text = pdf_text(pdf)
    assert "José Müller-Ñúñez" in text and "Zoë O’Neill" in text
    assert "12 Harbour Street, Bristol BS1 4QA · Phone 0117 496 0123" in text  # the middle dot is WinAnsi


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"patient_name": "Дарья Иванова"}, "Дарья Иванова"),
        ({"clinic_name": "Κλινική Ωμέγα"}, "Κλινική Ωμέγα"),
        ({"zone_labels": (("temple", "Висок"),)}, "Висок (right side)"),
        ({"stressor_actions": (StressorAction("Łóżko", "Change the mattress."),)}, "Łóżko: Change the mattress."),
        ({"points": (replace(sample_points(1)[0], care="Не давите сильно"),)}, "Не давите сильно"),
    ],
)
def test_one_string_outside_winansi_anywhere_makes_the_sheet_dejavu(changes, expected):
    pdf = build_home_care_pdf(sample_home_care_sheet(2, **changes))
    assert font_names(pdf) == {"DejaVuSans", "DejaVuSans-Bold"}
    assert expected in pdf_text(pdf)


def test_the_sheet_s_own_words_are_all_winansi():
    """Only the caller's text is checked while building: the builder's words must never need DejaVu."""
    problems = []
    for name in ("home_care.py", "figure.py", "pages.py", "lines.py", "layout.py"):
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                try:
                    node.value.encode("cp1252")
                except UnicodeEncodeError:
                    problems.append(f"{name}:{node.lineno}: {node.value!r}")
    assert problems == []


# --- pages ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["A4", "LETTER"])
def test_twelve_long_points_fill_several_pages_each_with_its_footer_and_nothing_outside_the_margins(drawn, paper):
    points = tuple(replace(p, how=LONG * 3, number=i + 1) for i, p in enumerate(sample_points(12)))
    pdf = build_home_care_pdf(sample_home_care_sheet(0, points=points, paper_size=paper))
    pages = reader(pdf).pages
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert f"Page {number}" in page.extract_text()
        assert "Dana Whitfield · Your home-care plan · 2 Mar 2026" in page.extract_text()
    assert {line.page for line in drawn} == set(range(1, len(pages) + 1))
    assert_inside_the_margins(drawn, paper)


def test_a_point_block_is_not_split_across_pages(drawn):
    points = tuple(replace(p, how=LONG * 2, number=i + 1) for i, p in enumerate(sample_points(12)))
    build_home_care_pdf(sample_home_care_sheet(0, points=points))
    blocks = point_blocks(drawn)
    assert len(blocks) == 12
    assert len({block[0].page for block in blocks}) >= 3  # the blocks do run over several pages
    for block in blocks:
        assert len({line.page for line in block}) == 1, block[0].text
    section = next(line for line in drawn if line.text == "Your self-care spots")
    assert section.page == blocks[0][0].page  # the section heading stays with the first point


def test_a_point_longer_than_the_share_of_a_page_splits_and_starts_where_there_is_room(drawn):
    long_point = replace(sample_points(1)[0], how=LONG * 40)  # about a page and a half
    sheet = sample_home_care_sheet(0, points=(*sample_points(3), long_point), painful_zones=())
    build_home_care_pdf(sheet)
    technique = [line for line in drawn if "breathe out slowly" in line.text]
    pages = sorted({line.page for line in technique})
    assert len(pages) >= 2 and pages == list(range(pages[0], pages[-1] + 1))
    assert_inside_the_margins(drawn)
    values = " ".join(line.text for line in drawn if line.x == pytest.approx(MARGIN + GUTTER + LABEL_WIDTH))
    # (LABEL_WIDTH is the label column at the default body size)
    assert (LONG * 40).strip() in values  # every line of it, in order


def test_a_300_character_word_wraps_within_the_text_width(drawn):
    word = "Sternocleidomastoideus" * 14
    point = replace(sample_points(1)[0], where=f"{word} then along the ridge.", tool=word)
    help_tiers = (HelpTier("Call emergency services now if you have:", (word,)),)
    pdf = build_home_care_pdf(sample_home_care_sheet(0, points=(point,), patient_name=word, help=help_tiers))
    assert_inside_the_margins(drawn)
    assert sum(1 for line in drawn if line.text.startswith("Sterno") or "cleido" in line.text) >= 6
    assert word in "".join(pdf_text(pdf).split())


def test_a_page_long_notice_and_safety_list_split_inside_their_boxes(drawn, boxes):
    sheet = sample_home_care_sheet(2, red_flag_notice=LONG * 60, safety=tuple(LONG * 3 for _ in range(40)))
    pdf = build_home_care_pdf(sheet)
    assert len(reader(pdf).pages) >= 4
    assert_inside_the_margins(drawn)
    alert_pages = [page for page, fill, *_ in boxes if fill is ALERT_FILL]
    assert alert_pages[:2] == [1, 2]  # the notice starts under the header and goes on over the page
    assert len(alert_pages) >= 3  # then the seek-care box
    for page, _, x, top, width, height in boxes:
        assert top <= page_size("A4")[1] - MARGIN + 1e-6 and top - height >= MARGIN + FOOTER_GAP - 1e-6


def test_the_safety_and_help_boxes_are_full_width_one_under_the_other_behind_their_text(drawn, boxes):
    build_home_care_pdf(sample_home_care_sheet(4))
    (safety, help_box) = [b for b in boxes if b[1] in (SAFETY_FILL, ALERT_FILL)]
    assert safety[1] is SAFETY_FILL and help_box[1] is ALERT_FILL
    assert safety[2] == help_box[2] and safety[4] == help_box[4]  # same left edge and width: the text width
    assert (help_box[0], -help_box[3]) > (safety[0], -safety[3])  # under it (or on a later page)
    for (page, _, x, top, width, height), items in ((safety, SAMPLE_SAFETY), (help_box, ("A calf that is swollen",))):
        inside = [line for line in drawn if any(line.text.startswith(item[:20]) for item in items)]
        assert inside
        for line in inside:
            assert line.page == page and x < line.x and line.right < x + width
            assert top - height < line.baseline < top


def test_sheets_built_on_several_threads_at_once_come_out_as_built_one_by_one():
    sheets = [sample_home_care_sheet(n, patient_name=name) for n in (1, 4, 6) for name in ("Dana Whitfield", "Дарья")]
    expected = [pdf_text(build_home_care_pdf(sheet)) for sheet in sheets]
    with ThreadPoolExecutor(max_workers=6) as pool:
        for _ in range(3):
            assert [pdf_text(pdf) for pdf in pool.map(build_home_care_pdf, sheets)] == expected
