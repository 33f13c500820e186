"""The home-care sheet: what a patient takes home. Read back with pypdf; no database."""

from __future__ import annotations

import datetime as dt
import re
import urllib.request
from dataclasses import replace

import pytest
import reportlab.lib.utils

from assessments.documents import HelpTier, HomeCarePoint, StressorAction, build_home_care_pdf
from assessments.documents import theme as theme_module
from assessments.documents.figure import markers_for, shaded_regions
from assessments.documents.samples import SAMPLE_HELP, SAMPLE_SAFETY, sample_home_care_sheet, sample_points
from tests.assessments.documents.helpers import font_names, page_sizes, pdf_text, reader

INJECTIONS = (
    '<font color="[[[x]]]">',
    '<img src="http://example.com/x.png">',
    "AT&T <b>",
    'O\'Brien & "Sons" </para><para>',
    "&amp; &lt;not a tag&gt; &#x41;",
)


@pytest.fixture(autouse=True)
def nothing_is_fetched(monkeypatch):
    """No URL is opened, and no file but a font is read, while a PDF is built."""
    open_for_read = reportlab.lib.utils.open_for_read

    def refuse_url(*args, **kwargs):
        raise AssertionError(f"the builder tried to open {args[:1]!r}")

    def fonts_only(name, *args, **kwargs):
        if not (isinstance(name, str) and name.endswith(".ttf") and "://" not in name):
            raise AssertionError(f"the builder tried to read {name!r}")
        return open_for_read(name, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", refuse_url)
    monkeypatch.setattr(reportlab.lib.utils, "open_for_read", fonts_only)


def test_each_spot_has_its_muscle_side_one_tool_and_one_dose_and_shared_lines_print_once():
    sheet = sample_home_care_sheet(4)
    text = pdf_text(build_home_care_pdf(sheet))
    for expected in (
        "Top-of-shoulder muscle (upper trapezius), right side",
        "Neck-to-shoulder-blade muscle (levator scapulae), right side",
        "Shoulder blade muscle (infraspinatus), left side",
        "Deep calf muscle (soleus), both sides",
        "On top of your shoulder, halfway between your neck",  # where to find it
        "A tennis ball",
        "Your fingers or thumb",
        "A massage stick",
        "30 to 60 seconds on each spot.",
        "About 60 seconds each way.",
        "Skip this spot if your calf is swollen, red or hot",  # the muscle's caution
    ):
        assert expected in text, expected
    assert text.count("How long") == 4 and text.count("Use") >= 4
    point = sheet.points[0]
    for shared in (point.how_often, point.how_hard, point.stop):  # the same for every spot: printed once
        assert text.count(" ".join(shared.split()[:6])) == 1
    assert "For every spot" in text
    for clinical in ("Protocol", "seed_", " s per", "7/10", "(or:"):
        assert clinical not in text


def test_a_line_that_differs_between_spots_prints_with_each_spot():
    points = sample_points(2)
    points = (points[0], replace(points[1], how_often="3 to 10 times a day."))
    text = pdf_text(build_home_care_pdf(sample_home_care_sheet(0, points=points)))
    assert "3 to 10 times a day." in text and points[0].how_often.split(".")[0] in text
    assert text.count("How often") == 2


def test_the_practitioner_s_words_and_a_recurring_spot_print_with_the_spot():
    point = replace(sample_points(1)[0], note="Use the door frame, not a ball.", recurring="Tell us if it comes back.")
    sheet = sample_home_care_sheet(0, points=(point,), note="Walk ten minutes after lunch.")
    text = pdf_text(build_home_care_pdf(sheet))
    assert "Use the door frame, not a ball." in text and "Tell us if it comes back." in text
    assert "A note from Sam Okafor" in text and "Walk ten minutes after lunch." in text
    assert text.index("Walk ten minutes") < text.index("Your self-care spots")


def test_header_figure_key_stressors_safety_help_tiers_and_follow_up():
    text = pdf_text(build_home_care_pdf(sample_home_care_sheet(4)))
    for expected in (
        "Harbour Street Manual Therapy",
        "12 Harbour Street, Bristol BS1 4QA · Phone 0117 496 0123",
        "Your home-care plan",
        "Dana Whitfield",
        "2 Mar 2026",
        "Sam Okafor",
        "Front",
        "Back",
        "your right",
        "Numbered dots: where to work.",
        "Shaded: where it hurts.",
        "The spot to work on is often away from where it hurts.",
        "Where it hurts: Temple (right side); Back of the neck (right side); Heel (sole) (both sides)",
        "At a glance",
        "Things to change",
        "Your desk: Raise the screen to eye level",
        "New running shoes: Go back to the old pair",
        "Safety first",
        "When to get help",
        "Your next visit: 16 Mar 2026",
        "Questions? Call Harbour Street Manual Therapy on 0117 496 0123.",
        "Given to you on 2 Mar 2026 by Sam Okafor.",
    ):
        assert expected in text, expected
    for line in SAMPLE_SAFETY:
        assert line in text
    headings = [tier.heading for tier in SAMPLE_HELP]
    assert [text.index(h) for h in headings] == sorted(text.index(h) for h in headings)  # most urgent first
    assert "A calf that is swollen, warm, red or sore to touch." in text


def test_a_tier_with_no_signs_is_left_out():
    tiers = (SAMPLE_HELP[0], HelpTier("See a doctor today or tomorrow if you have:", ()), SAMPLE_HELP[2])
    text = pdf_text(build_home_care_pdf(sample_home_care_sheet(1, help=tiers)))
    assert "See a doctor today or tomorrow" not in text and SAMPLE_HELP[2].heading in text


def test_red_flag_notice_is_up_front_and_the_sheet_may_have_no_points():
    notice = "Self-care for the calf is on hold: the swelling needs a doctor's check first. Please call your GP today."
    sheet = sample_home_care_sheet(0, red_flag_notice=notice, follow_up_on=None)
    pdf = build_home_care_pdf(sheet)
    text = pdf_text(pdf)
    assert "Important: please read this first" in text
    assert notice in text
    assert text.index(notice) < text.index("Your self-care spots")
    assert sheet.no_points in text
    assert "Your next visit" not in text


def test_no_points_no_pain_is_one_clear_sentence_and_no_figure():
    sheet = sample_home_care_sheet(0, painful_zones=(), stressor_actions=())
    text = pdf_text(build_home_care_pdf(sheet))
    assert sheet.no_points in text
    assert "Front" not in text and "How to read the figure" not in text
    assert "Things to change" not in text
    assert "When to get help" in text


@pytest.mark.parametrize("injection", INJECTIONS)
def test_markup_in_any_text_prints_literally_and_fetches_nothing(injection):
    point = replace(
        sample_points(1)[0], name=f"calf {injection}", where=injection, tool=injection, how=injection,
        care=injection, note=injection, recurring=injection,
    )  # fmt: skip
    sheet = sample_home_care_sheet(
        0,
        clinic_name=f"Clinic {injection}",
        clinic_address=injection,
        patient_name=f"Pat {injection}",
        practitioner=injection,
        points=(point,),
        stressor_actions=(StressorAction(injection, injection),),
        safety=(injection,),
        help=(HelpTier(injection, (injection,)),),
        note=injection,
        red_flag_notice=injection,
        zone_labels=(("temple", injection),),
        title=f"Plan {injection}",
    )
    pdf = build_home_care_pdf(sheet)
    text = pdf_text(pdf)
    assert text.count(injection) >= 10
    assert f"Pat {injection}" in text
    assert not re.search(rb"/Subtype\s*/Image", pdf) and b"/URI" not in pdf
    meta = reader(pdf).metadata
    assert meta.author == f"Clinic {injection}"
    assert injection in (meta.title or "")


def test_nul_bytes_control_characters_and_lone_surrogates_do_not_crash():
    point = replace(sample_points(1)[0], name="calf\x00 muscle\ud800", how="hold\x07 still\udfff")
    sheet = sample_home_care_sheet(
        0, points=(point,), patient_name="Ana\x00Bel \ud83d", clinic_name="Clinic\x1b\x00", practitioner="\udc80"
    )
    text = pdf_text(build_home_care_pdf(sheet))
    assert "AnaBel" in text
    assert "Calf muscle" in text and "hold still" in text
    assert "\x00" not in text


def test_non_latin_names_print_in_the_embedded_font():
    names = "Ωμέγα Παπαδοπούλου, Łukasz Żółć, Дарья Иванова"
    point = replace(sample_points(1)[0], name="τραπέζιος (ώμος)", where="Трапециевидная мышца")
    sheet = sample_home_care_sheet(0, points=(point,), patient_name=names, practitioner="Jiří Dvořák")
    pdf = build_home_care_pdf(sheet)
    text = pdf_text(pdf)
    for expected in (names, "Τραπέζιος (ώμος)", "Трапециевидная мышца", "Jiří Dvořák"):
        assert expected in text
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= font_names(pdf)
    assert not any(name.startswith("Helvetica") for name in font_names(pdf))


def test_without_the_font_files_it_falls_back_to_helvetica_and_replaces_what_it_cannot_show(monkeypatch, tmp_path):
    assert theme_module.register_fonts(tmp_path) is False  # no TTF files there
    monkeypatch.setattr(theme_module, "THEME", theme_module.make_theme(False))
    sheet = sample_home_care_sheet(2, patient_name="Ωμέγα Łukasz Дарья José")
    pdf = build_home_care_pdf(sheet)
    text = pdf_text(pdf)
    assert "José" in text  # Latin-1 survives
    assert "?????" in text  # Ωμέγα
    assert "Top-of-shoulder muscle (upper trapezius), right side" in text
    assert font_names(pdf) <= {"Helvetica", "Helvetica-Bold"}


def test_metadata():
    meta = reader(build_home_care_pdf(sample_home_care_sheet(2))).metadata
    assert meta.title == "Your home-care plan: Dana Whitfield (2 Mar 2026)"
    assert meta.author == "Harbour Street Manual Therapy"
    assert meta.subject == "Home-care plan from the visit on 2 Mar 2026"


@pytest.mark.parametrize(("paper", "size"), [("A4", (595.3, 841.9)), ("LETTER", (612.0, 792.0))])
def test_paper_size(paper, size):
    pdf = build_home_care_pdf(sample_home_care_sheet(4, paper_size=paper))
    assert set(page_sizes(pdf)) == {size}


def test_a_four_point_sheet_fits_on_two_pages_and_large_type_takes_more():
    assert len(reader(build_home_care_pdf(sample_home_care_sheet(4))).pages) == 2
    large = build_home_care_pdf(sample_home_care_sheet(4, large_type=True))
    assert len(reader(large).pages) > 2
    assert "Top-of-shoulder muscle (upper trapezius), right side" in pdf_text(large)


def test_two_hundred_points_long_text_and_an_unbroken_word_flow_over_many_pages():
    long_text = ("Press slowly and breathe out. " * 170)[:5000]
    word = "x" * 300
    points = tuple(
        replace(p, number=i + 1, how=long_text if i == 0 else p.how, where=f"{word} {p.where}")
        for i, p in enumerate(sample_points(200))
    )
    sheet = sample_home_care_sheet(
        0,
        points=points,
        red_flag_notice=long_text,
        stressor_actions=tuple(StressorAction(f"Stressor {i}", long_text if i == 0 else "Less") for i in range(30)),
        safety=(long_text,),
        help=(HelpTier(long_text, (long_text, word)),),
        patient_name=word,
        clinic_name=long_text[:400],
    )
    pdf = build_home_care_pdf(sheet)
    pages = reader(pdf).pages
    assert len(pages) > 30
    text = pdf_text(pdf)
    assert "Stressor 29" in text
    assert "and 194 more, below." in text


def test_huge_text_in_every_field_of_one_point_does_not_crash():
    huge = "Long advice with many words in it. " * 150 + "y" * 300
    point = HomeCarePoint(7, "soleus", huge, huge, huge, huge, huge, huge, huge, huge, huge, huge, huge, huge)
    sheet = sample_home_care_sheet(0, points=(point,), zone_labels=(("temple", huge),))
    assert len(reader(build_home_care_pdf(sheet)).pages) > 3


def test_unknown_muscles_zones_and_sides_are_tolerated():
    point = replace(sample_points(1)[0], muscle_slug="not_a_muscle", side="proximal")
    sheet = sample_home_care_sheet(0, points=(point,), painful_zones=(("nowhere", "left"), ("temple", "upside")))
    text = pdf_text(build_home_care_pdf(sheet))
    assert "Top-of-shoulder muscle (upper trapezius), proximal" in text


def test_markers_and_shading_follow_the_body_map():
    markers = markers_for([(1, "soleus", "bilateral"), (2, "trapezius_upper", "left"), (3, "unknown", "right")])
    assert [(m.number, m.view) for m in markers] == [("1", "back"), ("1", "back"), ("2", "back")]
    assert markers[0].x != markers[1].x  # one dot on each calf
    shaded = shaded_regions([("temple", "right"), ("plantar_heel", "bilateral"), ("occiput", "right")])
    assert {(r.zone, r.side) for r in shaded} == {
        ("temple", "right"),
        ("plantar_heel", "left"),
        ("plantar_heel", "right"),
        ("occiput", "midline"),  # a midline zone is shaded whole whatever side was charted
    }


def test_visit_dates_are_unambiguous():
    sheet = sample_home_care_sheet(1, visit_date=dt.date(2026, 11, 3), follow_up_on=dt.date(2027, 1, 12))
    text = pdf_text(build_home_care_pdf(sheet))
    assert "3 Nov 2026" in text and "12 Jan 2027" in text


def test_huge_header_texts_do_not_crash():
    huge = "word " * 1000 + "q" * 300
    sheet = sample_home_care_sheet(
        2, patient_name=huge, practitioner=huge, clinic_name=huge, clinic_address=huge, title=huge
    )
    pdf = build_home_care_pdf(sheet)
    assert len(reader(pdf).pages) >= 3
    assert reader(pdf).metadata.author.startswith("word word")


@pytest.mark.parametrize("patient_name", ["Dana Whitfield", "Дарья Иванова"])  # the standard and the embedded fonts
def test_the_same_sheet_on_the_same_day_is_the_same_file_and_another_day_another(patient_name):
    sheet = sample_home_care_sheet(4, patient_name=patient_name)
    first = build_home_care_pdf(sheet)
    assert build_home_care_pdf(sheet) == first  # no clock in the file: a kept copy is what a new build would give
    later = build_home_care_pdf(replace(sheet, issued_on=dt.date(2026, 3, 3)))
    assert later != first and "Given to you on 3 Mar 2026" in pdf_text(later)
