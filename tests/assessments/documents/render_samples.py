"""Render sample home-care sheets, progress reports, visit notes and referral letters to PDF and PNG, to look at them.

Run from the repository root::

    .venv/bin/python -m tests.assessments.documents.render_samples [--dpi 110]

Writes test-artifacts/documents/<name>.pdf and <name>-<page>.png, the pages rendered by pypdfium2 (PDFium, the
renderer of Chromium's PDF viewer). test_render_samples.py runs the same on every test run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium

from assessments.documents import (
    RecurringPoint,
    Series,
    build_home_care_pdf,
    build_progress_pdf,
    build_referral_pdf,
    build_visit_note_pdf,
)
from assessments.documents.record_samples import long_draft_note, sample_referral, sample_visit_note
from assessments.documents.samples import sample_home_care_sheet, sample_points, sample_progress_report

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "test-artifacts" / "documents"


def _long_sheet() -> bytes:
    word = "Sternocleidomastoideus" * 14  # 308 characters, no break
    point = replace(sample_points(1)[0], where=f"{word} " + "Find the tender band and follow it. " * 60)
    return build_home_care_pdf(
        sample_home_care_sheet(0, points=(point, *sample_points(6)[1:]), patient_name="Ωμέγα Łukasz Дарья")
    )


def _red_flag_sheet() -> bytes:
    return build_home_care_pdf(
        sample_home_care_sheet(
            0,
            red_flag_notice="We have not given you self-care for the calf this time: the swelling and warmth need "
            "a doctor's check first. Please see your GP today, or call 111 if it gets worse.",
            painful_zones=(("calf", "left"),),
            paper_size="LETTER",
        )
    )


def _one_visit_report() -> bytes:
    return build_progress_pdf(sample_progress_report(1))


def _sparse_report() -> bytes:
    no_mcid = Series("Pressure threshold (trapezius)", "kg/cm2", sample_progress_report(3).measures[0].points, None,
                     True, "")  # fmt: skip
    return build_progress_pdf(
        sample_progress_report(
            3,
            measures=(no_mcid,),
            recurring=(RecurringPoint("Soleus", "right", 3, "Change shoes gradually. " * 30),),
            first_visit=dt.date(2026, 2, 16),
        )
    )


SAMPLES: dict[str, Callable[[], bytes]] = {
    "home_care": lambda: build_home_care_pdf(sample_home_care_sheet(4)),
    "home_care_red_flag_letter": _red_flag_sheet,
    "home_care_long": _long_sheet,
    "progress": lambda: build_progress_pdf(sample_progress_report(10)),
    "progress_one_visit": _one_visit_report,
    "progress_sparse": _sparse_report,
    "visit_note": lambda: build_visit_note_pdf(sample_visit_note()),
    "visit_note_draft_long": lambda: build_visit_note_pdf(long_draft_note(patient_name="Zoë Łukasiewicz-Øster 李")),
    "referral": lambda: build_referral_pdf(sample_referral()),
}


def render(names: list[str] | None = None, dpi: int = 110, out: Path = OUT, max_pages: int = 3) -> list[Path]:
    """Writes the PDFs and PNGs of their first `max_pages` pages at `dpi`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in names or list(SAMPLES):
        pdf = SAMPLES[name]()
        pdf_path = out / f"{name}.pdf"
        pdf_path.write_bytes(pdf)
        written.append(pdf_path)
        for old in out.glob(f"{name}-*.png"):
            old.unlink()
        document = pdfium.PdfDocument(pdf)
        for number in range(min(len(document), max_pages)):
            png = out / f"{name}-{number + 1}.png"
            document[number].render(scale=dpi / 72).to_pil().save(png)
            written.append(png)
        document.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dpi", type=int, default=110)
    parser.add_argument("names", nargs="*", help=f"samples to render (default: all): {', '.join(SAMPLES)}")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(SAMPLES))
    if unknown:
        parser.error(f"unknown samples: {', '.join(unknown)}")
    for path in render(args.names or None, args.dpi):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
