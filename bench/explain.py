"""Query counts, in-process timings and EXPLAIN ANALYZE plans of the hot endpoints on a seeded database.

One command (from the repository root, after bench/seed.py)::

    .venv/bin/python bench/explain.py --database-url postgres://postgres@127.0.0.1:5432/clinic_perf_full \
        [--patients 20] [--plans] [--only analysis]

Each hot endpoint is requested through its real URL with Django's test client (production settings, HTTPS, the
seeded practitioner of clinic 01, session or token), for a mix of patients (half from the longest-history decile).
For each endpoint it prints the number of SQL queries per request (they must not grow with the history), the Python
CPU time per request (CPU, not wall time, so other load on the machine does not blur it; after the first request for
a target the computed reads and PDFs are answered from their caches, and `--cold` empties them before every request to
measure a miss), the PostgreSQL backend's CPU per request (from /proc, when the database runs on this host; its
clock ticks are coarse, so use --repeat 20 or more) and the EXPLAIN (ANALYZE, BUFFERS) plan of every distinct query
it ran on the longest history. It exits 1 when a query reads a large table (over 50,000 rows) with a sequential scan.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

LARGE_TABLE_ROWS = 50_000


def setup(database_url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="clinic.settings.production",
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="testserver,127.0.0.1",
        DEBUG="0",
    )
    import django

    django.setup()


def large_tables() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' AND reltuples > %s",
                       [LARGE_TABLE_ROWS])  # fmt: skip
        return {name: int(rows) for name, rows in cursor.fetchall()}


def backend_cpu() -> float | None:
    """CPU seconds the PostgreSQL backend of this connection has used (Linux, database on this host), else None."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [row[0] for row in cursor.fetchall()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Query counts and plans of the hot endpoints.")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--patients", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="timed requests per target")
    parser.add_argument("--plans", action="store_true", help="print every plan, not only the offending ones")
    parser.add_argument("--only", default="")
    parser.add_argument(
        "--cold", action="store_true", help="empty the computed-read and PDF caches before every request (a miss)"
    )
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must point at a PostgreSQL database seeded by bench/seed.py")
    setup(args.database_url)

    import random

    from django.contrib.auth.models import User
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from load import USERNAME, endpoints, pick_targets
    from rest_framework.authtoken.models import Token

    from assessments.cache import CACHE_ALIAS

    targets = pick_targets(args.database_url, USERNAME, args.patients, random.Random(11))
    longest = max(targets.patients, key=lambda p: targets.history[p])
    user = User.objects.get(username=USERNAME)
    token, _ = Token.objects.get_or_create(user=user)
    browser = Client()
    browser.force_login(user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    large = large_tables()
    print(f"large tables (> {LARGE_TABLE_ROWS:,} rows): " + ", ".join(f"{t} {n:,}" for t, n in sorted(large.items())))
    offenders: list[str] = []
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    for endpoint in endpoints(targets):
        if wanted and not any(endpoint.name.startswith(w) for w in wanted):
            continue
        client = browser if endpoint.auth == "session" else api
        counts, timings = [], []
        heavy_path = None
        database_before = backend_cpu()
        for index, path in enumerate(endpoint.paths):
            if endpoint.name not in ("ping (floor)", "patient search") and targets.patients[index] == longest:
                heavy_path = path
            for attempt in range(args.repeat):
                if args.cold:
                    caches[CACHE_ALIAS].clear()
                    caches["default"].clear()  # finished PDFs (assessments.document_selectors)
                with CaptureQueriesContext(connection) as queries:
                    started = time.process_time()
                    response = client.get(path, secure=True)
                    elapsed = (time.process_time() - started) * 1000
                if response.status_code != 200:
                    print(f"  {endpoint.name}: GET {path} answered {response.status_code}")
                    return 2
                if attempt:
                    timings.append(elapsed)
                counts.append(len(queries.captured_queries))
        database_after = backend_cpu()
        database = (
            f", PostgreSQL backend CPU {(database_after - database_before) * 1000 / len(counts):.2f} ms"
            if database_before is not None and database_after is not None
            else ""
        )
        heavy_path = heavy_path or endpoint.paths[0]
        with CaptureQueriesContext(connection) as queries:
            client.get(heavy_path, secure=True)
        print(
            f"\n== {endpoint.name}: {min(counts)}-{max(counts)} queries per request, median "
            f"{statistics.median(timings):.1f} ms, p95 {sorted(timings)[int(0.95 * (len(timings) - 1))]:.1f} ms "
            f"Python CPU per request{database} (mean, all requests); heaviest target {heavy_path}"
        )
        seen: set[str] = set()
        for query in queries.captured_queries:
            sql = query["sql"]
            shape = re.sub(r"'[^']*'|\b\d+\b", "?", sql)
            if shape in seen or not sql.lstrip().upper().startswith("SELECT"):
                continue
            seen.add(shape)
            plan = explain(sql)
            scans = [line for line in plan if "Seq Scan on" in line and any(f" {t} " in line + " " for t in large)]
            took = next((ln for ln in plan if ln.startswith("Execution Time")), "")
            print(f"  [{took.removeprefix('Execution Time: ')}] {sql[:220]}{'...' if len(sql) > 220 else ''}")
            if scans or args.plans:
                for line in plan:
                    print("      " + line)
            for line in scans:
                offenders.append(f"{endpoint.name}: {line.strip()}")
    print()
    if offenders:
        print("Sequential scans on large tables:")
        for line in offenders:
            print("  " + line)
        return 1
    print("No sequential scan on a large table.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
