"""Time the home-care PDF build on the sheets the load benchmark requests (a seeded database).

Run from the repository root, after bench/seed.py::

    .venv/bin/python bench/bench_sheets.py --database-url postgres://postgres@127.0.0.1:5432/clinic_perf_full \
        [--targets 40] [--rounds 5]

Picks the load benchmark's targets (bench/load.py: half random patients, half from the longest-history decile, each
with its latest planned visit), reads each visit's sheet once, then builds every sheet `--rounds` times and prints the
mean Python CPU time per build, the spread over the sheets, their page counts and file sizes; then the same for
finishing each sheet's kept draft (what a download costs when the draft is in the cache: the draft loaded from its
pickle, as the cache hands it out, the closing line drawn and the file written) and the drafts' pickled sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import pickle
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
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
    from assessments.documents.home_care import draft_home_care
    from clinic.models import Membership

    targets = pick_targets(args.database_url, USERNAME, args.targets, random.Random(11))
    membership = Membership.objects.select_related("clinic").filter(user__username=USERNAME).first()
    assert membership is not None
    clinic = membership.clinic
    sheets = [document_selectors.home_care_sheet(clinic=clinic, visit_id=v)[1] for v in targets.visits]
    sheets = [replace(sheet, issued_at=timezone.now()) for sheet in sheets]
    files = [build_home_care_pdf(sheet) for sheet in sheets]  # also warms the per-process caches
    times = [timed(partial(build_home_care_pdf, sheet), args.rounds) for sheet in sheets]
    pages = [len(PdfReader(io.BytesIO(pdf)).pages) for pdf in files]
    print(
        f"{len(sheets)} sheets, {args.rounds} builds each: mean {statistics.mean(times):.2f} ms per build "
        f"(median {statistics.median(times):.2f}, max {max(times):.2f}); pages {min(pages)}-{max(pages)} "
        f"(mean {statistics.mean(pages):.1f}); {min(map(len, files)) // 1024}-{max(map(len, files)) // 1024} KB"
    )
    kept = [pickle.dumps(draft_home_care(sheet)) for sheet in sheets]
    times = [
        timed(partial(finish_kept, data, sheet.issued_at), args.rounds)
        for data, sheet in zip(kept, sheets, strict=True)
    ]
    print(
        f"the same sheets' kept drafts, {args.rounds} finishes each: mean {statistics.mean(times):.2f} ms per finish "
        f"(median {statistics.median(times):.2f}, max {max(times):.2f}); drafts {min(map(len, kept)) // 1024}-"
        f"{max(map(len, kept)) // 1024} KB pickled (mean {statistics.mean(map(len, kept)) / 1024:.1f})"
    )
    return 0


def finish_kept(data: bytes, issued_at: dt.datetime) -> bytes:
    from assessments.documents.home_care import finish_home_care_pdf

    return finish_home_care_pdf(pickle.loads(data), issued_at)


def timed(build: Callable[[], object], rounds: int) -> float:
    """Mean Python CPU milliseconds of `build`."""
    started = time.process_time()
    for _ in range(rounds):
        build()
    return (time.process_time() - started) * 1000 / rounds


if __name__ == "__main__":
    sys.exit(main())
