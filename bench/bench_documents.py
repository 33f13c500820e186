"""Benchmark the PDF builders against a bare reportlab document built in the same run.

Run from the repository root::

    python3 bench/bench_documents.py [--runs 60] [--warmup 5]

Times (median and 95th percentile, in milliseconds):

* bare    a bare reportlab two-page document: SimpleDocTemplate, the standard Helvetica, a title and three
          paragraphs of about 60 words on page one, a page break, three shorter paragraphs on page two;
* sheet   ``build_home_care_pdf`` on a 4-point home-care sheet (assessments.documents.samples);
* report  ``build_progress_pdf`` on a 10-visit progress report (three measures, four points, tests, stressors).

The three are timed in turn within each run, so that machine noise hits them alike, and the ratios to the bare
document are printed against the targets: sheet <= 3x, report <= 6x. For context (not a target) it also times the
bare document set in the embedded DejaVu Sans, which shows what embedding a TrueType subset costs by itself.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import io
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import reportlab
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from assessments.documents import build_home_care_pdf, build_progress_pdf
from assessments.documents.samples import sample_home_care_sheet, sample_progress_report
from assessments.documents.theme import THEME

TARGETS = {"sheet": 3.0, "report": 6.0}
LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore "
    "magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo "
    "consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. "
)


def bare_document(font: str | None = None) -> bytes:
    styles = getSampleStyleSheet()
    body = styles["Normal"] if font is None else ParagraphStyle("body", parent=styles["Normal"], fontName=font)
    title = styles["Title"] if font is None else ParagraphStyle("title", parent=styles["Title"], fontName=font)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, title="Bare document", author="bench")
    story = [Paragraph("A bare document", title)]
    story += [Paragraph(LOREM * 2, body) for _ in range(3)]
    story.append(PageBreak())
    story += [Paragraph(LOREM, body) for _ in range(3)]
    doc.build(story)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the PDF builders against a bare reportlab document.")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args(argv)

    sheet = sample_home_care_sheet(4)
    report = sample_progress_report(10)
    cases: dict[str, Callable[[], bytes]] = {
        "bare": bare_document,
        "sheet": lambda: build_home_care_pdf(sheet),
        "report": lambda: build_progress_pdf(report),
        "bare in DejaVu": lambda: bare_document(THEME.regular),
    }
    built = {name: build() for name, build in cases.items()}
    sizes = {name: len(pdf) for name, pdf in built.items()}
    embedded = [name for name, pdf in built.items() if b"/FontFile2" in pdf]  # a TrueType program in the file
    for _ in range(args.warmup):
        for build in cases.values():
            build()
    timings: dict[str, list[float]] = {name: [] for name in cases}
    names = list(cases)
    for run in range(args.runs):
        shift = run % len(names)  # rotate the order: no case always runs first (or right after another)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            cases[name]()
            timings[name].append((time.perf_counter() - start) * 1000)

    def p95(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]

    medians = {name: statistics.median(values) for name, values in timings.items()}
    print(f"command: python3 bench/bench_documents.py --runs {args.runs} --warmup {args.warmup}")
    print(
        f"python {platform.python_version()} on {platform.machine()} ({platform.system()}),",
        f"reportlab {reportlab.Version}",
    )
    print(f"fonts: {THEME.regular} / {THEME.bold} registered; embedded TrueType in: {', '.join(embedded) or 'none'}")
    print(
        f"input: sheet with {len(sheet.points)} points;",
        f"report with {report.visits} visits, {len(report.measures)} measures",
    )
    for name in names:
        print(
            f"{name:>15}: median {medians[name]:7.2f} ms, p95 {p95(timings[name]):7.2f} ms,",
            f"{sizes[name] / 1024:6.1f} KiB",
        )
    ok = True
    for name, target in TARGETS.items():
        ratio = medians[name] / medians["bare"]
        verdict = "meets" if ratio <= target else "MISSES"
        ok = ok and ratio <= target
        print(f"{name} / bare = {ratio:.2f}x (target <= {target:g}x): {verdict}")
    print(f"context: bare in DejaVu / bare = {medians['bare in DejaVu'] / medians['bare']:.2f}x")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
