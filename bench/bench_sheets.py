"""Time the home-care PDF build on the sheets the load benchmark requests (a seeded database).

Run from the repository root, after bench/seed.py::

    .venv/bin/python bench/bench_sheets.py --database-url postgres://postgres@127.0.0.1:5432/clinic_perf_full \
        [--targets 40] [--rounds 5]

Picks the load benchmark's targets (bench/load.py: half random patients, half from the longest-history decile, each
with its latest planned visit), reads each visit's sheet once, then builds every sheet `--rounds` times and prints the
mean Python CPU time per build, the spread over the sheets, their page counts and file sizes. (A download of a sheet
already built that day costs no build: the API serves the finished file from the cache, assessments.document_selectors.)
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time build_home_care_pdf on the load benchmark's sheets.")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--targets", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must point at a PostgreSQL database seeded by bench/seed.py")
    from explain import setup

    setup(args.database_url)
    from django.utils import timezone
    from load import USERNAME, pick_targets
    from pypdf import PdfReader

    from assessments import document_selectors
    from assessments.documents import build_home_care_pdf
    from clinic.models import Membership

    targets = pick_targets(args.database_url, USERNAME, args.targets, random.Random(11))
    membership = Membership.objects.select_related("clinic").filter(user__username=USERNAME).first()
    assert membership is not None
    clinic = membership.clinic
    today = timezone.localdate()
    sheets = [document_selectors.home_care_sheet(clinic=clinic, visit_id=v, issued_on=today)[1] for v in targets.visits]
    files = [build_home_care_pdf(sheet) for sheet in sheets]  # read back below for their pages and sizes
    times = [timed(partial(build_home_care_pdf, sheet), args.rounds) for sheet in sheets]
    pages = [len(PdfReader(io.BytesIO(pdf)).pages) for pdf in files]
    print(
        f"{len(sheets)} sheets, {args.rounds} builds each: mean {statistics.mean(times):.2f} ms per build "
        f"(median {statistics.median(times):.2f}, max {max(times):.2f}); pages {min(pages)}-{max(pages)} "
        f"(mean {statistics.mean(pages):.1f}); {min(map(len, files)) // 1024}-{max(map(len, files)) // 1024} KB"
    )
    return 0


def timed(build: Callable[[], object], rounds: int) -> float:
    """Mean Python CPU milliseconds of `build`."""
    started = time.process_time()
    for _ in range(rounds):
        build()
    return (time.process_time() - started) * 1000 / rounds


if __name__ == "__main__":
    sys.exit(main())
