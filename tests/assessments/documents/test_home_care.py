"""The home-care sheet: what a patient takes home. Read back with pypdf; no database."""

from __future__ import annotations

import datetime as dt
import re
import urllib.request
from dataclasses import replace

import pytest
import reportlab.lib.utils

from assessments.documents import HomeCarePoint, StressorAction, build_home_care_pdf
from assessments.documents import theme as theme_module
from assessments.documents.figure import markers_for, shaded_regions
from assessments.documents.home_care import DEFAULT_INTENSITY, DEFAULT_SAFETY, NO_POINTS
from assessments.documents.samples import sample_home_care_sheet, sample_points
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


def test_each_point_has_its_muscle_side_tool_dose_frequency_and_protocol():
    text = pdf_text(build_home_care_pdf(sample_home_care_sheet(4)))
    for expected in (
        "Upper trapezius (top of the shoulder), right side",
        "Levator scapulae (side of the neck to the shoulder blade), right side",
        "Infraspinatus (back of the shoulder blade), left side",
        "Soleus (deep calf), both sides",
        "Trapezius, upper (descending) fibers",  # the anatomical name under the plain one
        "Middle of the ridge between the neck and the shoulder",  # where to find it
        "Tennis ball (or: hands, thera cane)",  # the chosen tool first, then the alternatives
        "Lacrosse ball (or: tennis ball)",
        "30-60 s per spot",
        "at least 10-15 s",
        "30 s per spot",
        "once or twice a day",
        "3-10 times per day",
        "about 7/10: uncomfortable, not excruciating",
        "sore the next day: stop and rest",
        "Skip this point if the calf is swollen, red or hot",  # caution
        "Protocol: Ball hold: piriformis or above the shoulder blade (seed_004, self-care video notes)",
        "Protocol: Deep stroking, no static pressure (seed_003, self-treatment guide)",
    ):
        assert expected in text, expected
    for label in ("Where", "Tool", "Technique", "How long", "How often", "How hard", "Stop if", "Caution"):
        assert label in text


def test_header_figure_key_stressors_safety_seek_care_and_follow_up():
    text = pdf_text(build_home_care_pdf(sample_home_care_sheet(4)))
    for expected in (
        "Harbour Street Manual Therapy",
        "0117 496 0123",
        "Your home-care programme",
        "Dana Whitfield",
        "2 Mar 2026",
        "Sam Okafor",
        "Front",
        "Back",
        "your right",
        "Numbered dots: where to work.",
        "Shaded: where it hurts.",
        "The point is not where it hurts",
        "Where it hurts: Temple (right side); Back of the neck (right side); Heel (sole) (both sides)",
        "At a glance",
        "Change these too",
        "Desk set-up: Raise the screen to eye level",
        "New running shoes: Go back to the old pair",
        "Safety first",
        "When to seek care",
        "Calf that becomes swollen, red, hot or very tender.",
        "Your next visit: 16 Mar 2026",
        "Issued 2 Mar 2026 by Sam Okafor.",
    ):
        assert expected in text, expected
    for rule in DEFAULT_SAFETY:  # the sheet gave none of its own
        assert rule in text
    assert "stop and rest" in text and "Do not work on the painful spot itself" in text
    assert "do not inflame an inflamed area" in text


def test_the_sheet_s_own_safety_rules_replace_the_defaults_and_missing_intensity_gets_the_default():
    point = replace(sample_points(1)[0], intensity="")
    sheet = sample_home_care_sheet(0, points=(point,), safety=("Stop if it throbs afterwards.",))
    text = pdf_text(build_home_care_pdf(sheet))
    assert "Stop if it throbs afterwards." in text
    assert DEFAULT_SAFETY[0] not in text
    assert DEFAULT_INTENSITY in text


def test_red_flag_notice_is_up_front_and_the_sheet_may_have_no_points():
    notice = "Self-care for the calf is on hold: the swelling needs a doctor's check first. Please call your GP today."
    sheet = sample_home_care_sheet(0, red_flag_notice=notice, follow_up_on=None)
    pdf = build_home_care_pdf(sheet)
    text = pdf_text(pdf)
    assert "Important: please read this first" in text
    assert notice in text
    assert text.index(notice) < text.index("Your self-care points")
    assert NO_POINTS in text
    assert "Your next visit" not in text


def test_no_points_no_pain_is_one_clear_sentence_and_no_figure():
    sheet = sample_home_care_sheet(0, painful_zones=(), stressor_actions=(), seek_care=())
    text = pdf_text(build_home_care_pdf(sheet))
    assert NO_POINTS in text
    assert "Front" not in text and "How to read the figure" not in text
    assert "Change these too" not in text
    assert "When to seek care" in text  # general red-flag advice even when the sheet lists none


@pytest.mark.parametrize("injection", INJECTIONS)
def test_markup_in_any_text_prints_literally_and_fetches_nothing(injection):
    point = replace(
        sample_points(1)[0],
        plain_name=f"calf {injection}",
        where=injection,
        tools=(injection, "hands"),
        method=injection,
        caution=injection,
        protocol_name=injection,
        protocol_source=injection,
    )
    sheet = sample_home_care_sheet(
        0,
        clinic_name=f"Clinic {injection}",
        clinic_contact=injection,
        patient_name=f"Pat {injection}",
        practitioner=injection,
        points=(point,),
        stressor_actions=(StressorAction(injection, injection),),
        safety=(injection,),
        seek_care=(injection,),
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
    point = replace(sample_points(1)[0], plain_name="calf\x00 muscle\ud800", method="hold\x07 still\udfff")
    sheet = sample_home_care_sheet(
        0, points=(point,), patient_name="Ana\x00Bel \ud83d", clinic_name="Clinic\x1b\x00", practitioner="\udc80"
    )
    text = pdf_text(build_home_care_pdf(sheet))
    assert "AnaBel" in text
    assert "Calf muscle" in text and "hold still" in text
    assert "\x00" not in text


def test_non_latin_names_print_in_the_embedded_font():
    names = "Ωμέγα Παπαδοπούλου, Łukasz Żółć, Дарья Иванова"
    point = replace(sample_points(1)[0], plain_name="τραπέζιος (ώμος)", where="Трапециевидная мышца")
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
    assert "Upper trapezius (top of the shoulder), right side" in text
    assert font_names(pdf) <= {"Helvetica", "Helvetica-Bold"}


def test_metadata():
    meta = reader(build_home_care_pdf(sample_home_care_sheet(2))).metadata
    assert meta.title == "Your home-care programme: Dana Whitfield (2 Mar 2026)"
    assert meta.author == "Harbour Street Manual Therapy"
    assert meta.subject == "Home-care programme from the visit on 2 Mar 2026"


@pytest.mark.parametrize(("paper", "size"), [("A4", (595.3, 841.9)), ("LETTER", (612.0, 792.0))])
def test_paper_size(paper, size):
    pdf = build_home_care_pdf(sample_home_care_sheet(4, paper_size=paper))
    assert set(page_sizes(pdf)) == {size}


def test_a_four_point_sheet_fits_on_two_pages():
    assert len(reader(build_home_care_pdf(sample_home_care_sheet(4))).pages) == 2


def test_two_hundred_points_long_text_and_an_unbroken_word_flow_over_many_pages():
    long_text = ("Press slowly and breathe out. " * 170)[:5000]
    word = "x" * 300
    points = tuple(
        replace(p, number=i + 1, method=long_text if i == 0 else p.method, where=f"{word} {p.where}")
        for i, p in enumerate(sample_points(200))
    )
    sheet = sample_home_care_sheet(
        0,
        points=points,
        red_flag_notice=long_text,
        stressor_actions=tuple(StressorAction(f"Stressor {i}", long_text if i == 0 else "Less") for i in range(30)),
        safety=(long_text,),
        seek_care=(long_text, word),
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
    point = HomeCarePoint(7, "soleus", huge, huge, huge, huge, (huge, huge), huge, huge, huge, huge, huge, huge, huge,
                          huge)  # fmt: skip
    sheet = sample_home_care_sheet(0, points=(point,), zone_labels=(("temple", huge),))
    assert len(reader(build_home_care_pdf(sheet)).pages) > 3


def test_unknown_muscles_zones_and_sides_are_tolerated():
    point = replace(sample_points(1)[0], muscle_slug="not_a_muscle", side="proximal")
    sheet = sample_home_care_sheet(0, points=(point,), painful_zones=(("nowhere", "left"), ("temple", "upside")))
    text = pdf_text(build_home_care_pdf(sheet))
    assert "Upper trapezius (top of the shoulder), proximal" in text


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
        2, patient_name=huge, practitioner=huge, clinic_name=huge, clinic_contact=huge, title=huge
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
    assert later != first and "Issued 3 Mar 2026" in pdf_text(later)
