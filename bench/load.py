"""Load benchmark: the application under gunicorn on a seeded database, driven by wrk at 8 concurrent clients.

One command (from the repository root, after bench/seed.py)::

    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/clinic_perf_full \
        [--duration 20s] [--connections 8] [--workers 2] [--worker-class gthread|sync] [--worker-threads 4] \
        [--cache-url redis://127.0.0.1:6379/3] \
        [--out bench/results/load-full.json] [--baseline bench/results/load-small.json] [--only search,ping]

What it does, through the real URLs and authentication only (so it keeps working when middleware, audit rows or roles
are added):

1. `collectstatic`, then gunicorn on 127.0.0.1:<free port> with the production settings (`clinic.settings.production`,
   a random 64-character SECRET_KEY, ALLOWED_HOSTS=127.0.0.1). Every request carries `X-Forwarded-Proto: https` as the
   TLS-terminating proxy in front of it would, so the HTTPS redirect and the secure cookies stay on unchanged.
2. Signs in as the seeded practitioner of clinic 01 (`bench01-prac1`): a token from `POST /api/v1/auth/token/` and a
   session cookie from the login page (with its CSRF token).
3. Picks target ids from the database: half random patients, half from the longest-history decile, and for each the
   latest visit that has a plan.
4. Runs wrk per endpoint (`wrk --latency -s <script> -c 8 -t 2 -d 20s`) after a warm-up (every target read 3 times per
   gunicorn worker, so that the per-process caches hold it: the figures are the steady state of repeated reads, and
   `bench/explain.py --cold` gives the cost of a miss; then 3 s of wrk); the Lua script rotates
   over the targets and prints its latency percentiles as JSON. The floor is `GET /api/v1/ping/`, a trivial
   authenticated DRF endpoint.
5. Prints endpoint, requests/s, p50, p95, p99, ratio to the floor's throughput and the verdict against the budgets;
   writes JSON. With `--baseline` (the small preset's JSON) it also checks p95 at this size <= 1.5 x p95 there.

wrk, gunicorn and PostgreSQL share the same cores: the figures are for the whole box.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
WORKER_CLASSES = ("gthread", "sync")
SERVER_PIDS: list[int] = []  # the gunicorn master of the running benchmark (for --profile)
USERNAME = "bench01-prac1"
PASSWORD = "bench-password-not-secret"  # bench/seed.py
FORWARDED = {"X-Forwarded-Proto": "https"}

READ_P95_MS = 25.0
PDF_P95_MS = 40.0
FLOOR_SHARE = 0.25
GROWTH = 1.5


@dataclass(frozen=True)
class Endpoint:
    name: str
    kind: str  # "floor", "read" or "pdf"
    auth: str  # "token" or "session"
    paths: list[str]


@dataclass
class Result:
    endpoint: str
    kind: str
    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]
    cpu_ms: float | None = None  # CPU time of the whole box per request (wrk, gunicorn, PostgreSQL), from /proc/stat
    steal_pct: float | None = None  # share of the CPUs' time the hypervisor gave to others during the run
    ratio_to_floor: float | None = None
    checks: dict[str, bool] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return all(self.checks.values())


# --- database targets -------------------------------------------------------------------------------------------------


def seeded_preset(database_url: str) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(database_url) as conn, conn.cursor() as cursor:
        try:
            cursor.execute("SELECT preset, seed, anchor, seconds, rows FROM bench_seed")
        except psycopg.errors.UndefinedTable:
            raise SystemExit("This database was not seeded: run bench/seed.py first.") from None
        row = cursor.fetchone()
    if row is None:
        raise SystemExit("This database was not seeded: run bench/seed.py first.")
    preset, seed, anchor, seconds, rows = row
    return {"preset": preset, "seed": seed, "anchor": str(anchor), "seed_seconds": round(seconds, 1), "rows": rows}


@dataclass
class Targets:
    patients: list[str]
    visits: list[str]  # the latest visit with a plan, one per patient (aligned with `patients`)
    search_terms: list[str]
    history: dict[str, int]  # visits per chosen patient (for the report)


def pick_targets(database_url: str, username: str, count: int, rng: random.Random) -> Targets:
    """Half random patients of the user's clinic, half from its longest-history decile; each with its latest planned
    visit that has an earlier visit (so compare has something to compare)."""
    import psycopg

    with psycopg.connect(database_url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT m.clinic_id FROM clinic_membership m JOIN auth_user u ON u.id = m.user_id WHERE u.username = %s",
            (username,),
        )
        found = cursor.fetchone()
        if found is None:
            raise SystemExit(f"No user {username} in this database: run bench/seed.py.")
        clinic_id = found[0]
        cursor.execute(
            """
            SELECT p.id, p.last_name, count(v.id) AS visits,
                   (SELECT v2.id FROM assessments_visit v2 JOIN assessments_treatmentplan t ON t.visit_id = v2.id
                     WHERE v2.patient_id = p.id AND v2.clinic_id = p.clinic_id AND v2.kind = 'follow_up'
                     ORDER BY v2.date DESC, v2.created_at DESC LIMIT 1) AS latest
              FROM patients_patient p JOIN assessments_visit v ON v.patient_id = p.id AND v.clinic_id = p.clinic_id
             WHERE p.clinic_id = %s AND p.archived_at IS NULL
             GROUP BY p.id
            """,
            (clinic_id,),
        )
        rows = [(str(pid), last, visits, str(latest)) for pid, last, visits, latest in cursor.fetchall() if latest]
    if not rows:
        raise SystemExit("No patient with a planned follow-up visit in the benchmark clinic.")
    rows.sort(key=lambda r: (-r[2], r[0]))
    decile = rows[: max(1, len(rows) // 10)]
    half = max(1, count // 2)
    chosen = [rng.choice(decile) for _ in range(half)] + [rng.choice(rows) for _ in range(count - half)]
    rng.shuffle(chosen)
    names = sorted({r[1] for r in rows})
    terms = [name[: rng.choice((2, 3, 4))].lower() for name in rng.choices(names, k=count)]
    return Targets(
        patients=[r[0] for r in chosen],
        visits=[r[3] for r in chosen],
        search_terms=terms,
        history={r[0]: r[2] for r in chosen},
    )


def endpoints(targets: Targets) -> list[Endpoint]:
    visits, patients = targets.visits, targets.patients
    quote = urllib.parse.quote
    return [
        Endpoint("ping (floor)", "floor", "token", ["/api/v1/ping/"]),
        Endpoint(
            "patient search", "read", "token", [f"/api/v1/patients/?search={quote(t)}" for t in targets.search_terms]
        ),
        Endpoint("patient chart page", "read", "session", [f"/patients/{p}/" for p in patients]),
        Endpoint("visit page", "read", "session", [f"/visits/{v}/" for v in visits]),
        Endpoint("visit detail API", "read", "token", [f"/api/v1/visits/{v}/" for v in visits]),
        Endpoint("analysis API", "read", "token", [f"/api/v1/visits/{v}/analysis/" for v in visits]),
        Endpoint("plan API", "read", "token", [f"/api/v1/visits/{v}/plan/" for v in visits]),
        Endpoint("compare API", "read", "token", [f"/api/v1/visits/{v}/compare/" for v in visits]),
        Endpoint("progress API", "read", "token", [f"/api/v1/patients/{p}/progress/" for p in patients]),
        Endpoint("home-care PDF", "pdf", "token", [f"/api/v1/visits/{v}/home-care.pdf" for v in visits]),
        # The floor again at the end: this machine's speed drifts during a run (shared host), and each endpoint's
        # ratio is taken against the faster of the two floor runs (the stricter comparison).
        Endpoint("ping (floor, again)", "floor", "token", ["/api/v1/ping/"]),
    ]


# --- the server -------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str, cache_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="clinic.settings.production",
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DEBUG="0",
    )
    if cache_url:
        env["REDIS_URL"] = cache_url  # one cache shared by every worker, as in production
    # Ten endpoints x 200 targets are about 2,000 cached answers per worker, the default bound of a local cache:
    # without room for them the last endpoints measured would run on entries culled by the first.
    env.setdefault("CLINICAL_CACHE_ENTRIES", "6000")
    env.setdefault("CACHE_ENTRIES", "6000")
    return env


@contextlib.contextmanager
def gunicorn(
    database_url: str, *, port: int, workers: int, worker_class: str, threads: int, keep_alive: int, cache_url: str
) -> Iterator[str]:
    env = server_env(database_url, cache_url)
    subprocess.run(
        [str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )  # the manifest storage needs it for {% static %}
    command = [
        str(GUNICORN), "clinic.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", worker_class, "--threads", str(threads), "--keep-alive", str(keep_alive),
        "--backlog", "256", "--log-level", "warning",
    ]  # fmt: skip
    if os.environ.get("BENCH_ACCESS_LOG"):
        command += ["--access-logfile", "-"]  # off otherwise: the front proxy logs access in a deployment
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    base = f"127.0.0.1:{port}"
    SERVER_PIDS.append(process.pid)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {process.returncode}")
            with contextlib.suppress(OSError):
                status, _, _ = request(base, "GET", "/api/v1/ping/")
                if status in (200, 401, 403):
                    break
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer within 30 s")
            time.sleep(0.2)
        yield base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def request(
    base: str, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, list[str]], bytes]:
    conn = http.client.HTTPConnection(base, timeout=30)
    try:
        conn.request(method, path, body=body, headers={**FORWARDED, **(headers or {})})
        response = conn.getresponse()
        collected: dict[str, list[str]] = {}
        for key, value in response.getheaders():
            collected.setdefault(key.lower(), []).append(value)
        return response.status, collected, response.read()
    finally:
        conn.close()


def cookies(headers: dict[str, list[str]]) -> dict[str, str]:
    jar = {}
    for line in headers.get("set-cookie", []):
        name, _, rest = line.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def sign_in(base: str) -> tuple[str, str]:
    """A token from the token endpoint and a session cookie from the login page (CSRF form token included)."""
    body = json.dumps({"username": USERNAME, "password": PASSWORD}).encode()
    status, _, content = request(
        base, "POST", "/api/v1/auth/token/", body=body, headers={"Content-Type": "application/json"}
    )
    if status != 200:
        raise SystemExit(f"token request answered {status}: {content[:300]!r}")
    token = json.loads(content)["token"]

    status, headers, content = request(base, "GET", "/accounts/login/")
    jar = cookies(headers)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    if status != 200 or match is None or "csrftoken" not in jar:
        raise SystemExit(f"login page answered {status} without a CSRF token")
    form = urllib.parse.urlencode(
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1).decode()}
    ).encode()
    status, headers, content = request(
        base,
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken']}",
            "Referer": f"https://{base}/accounts/login/",
        },
    )
    signed_in = {**jar, **cookies(headers)}  # whatever the session cookie is called
    if status != 302 or signed_in == jar:
        raise SystemExit(f"login answered {status} without a session: {content[:300]!r}")
    return token, "; ".join(f"{name}={value}" for name, value in signed_in.items())


def check_paths(base: str, endpoint: Endpoint, headers: dict[str, str]) -> None:
    """Every target answers 200 before it is measured (a 404 would be a fast, meaningless request)."""
    for path in sorted(set(endpoint.paths))[:50]:
        status, _, content = request(base, "GET", path, headers=headers)
        if status != 200:
            raise SystemExit(f"{endpoint.name}: GET {path} answered {status}: {content[:300]!r}")


# --- wrk ----------------------------------------------------------------------------------------------------------


LUA = """
local paths = {%(paths)s}
local headers = {%(headers)s}
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local path = paths[((counter + thread_id * 7919) %% #paths) + 1]
  return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
  local out = string.format(
    '{"requests": %%d, "duration_us": %%d, "p50": %%d, "p90": %%d, "p95": %%d, "p99": %%d, "max": %%d, ' ..
    '"errors": {"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}}',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout)
  io.write("BENCH-JSON " .. out .. "\\n")
end
"""


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def lua_script(paths: list[str], headers: dict[str, str]) -> str:
    return LUA % {
        "paths": ", ".join(lua_string(p) for p in paths),
        "headers": ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()),
    }


def run_wrk(base: str, script: Path, *, connections: int, threads: int, duration: str) -> dict[str, Any]:
    command = [
        "wrk", "--latency", "-s", str(script), "-c", str(connections), "-t", str(threads), "-d", duration,
        "--timeout", "10s", f"http://{base}/",
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next((ln for ln in output.splitlines() if ln.startswith("BENCH-JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{output}")
    data: dict[str, Any] = json.loads(line.removeprefix("BENCH-JSON "))
    return data


def warm(base: str, endpoint: Endpoint, headers: dict[str, str], *, passes: int, connections: int) -> None:
    """Reads every target `passes` times over `connections` parallel clients before timing.

    The computed reads and page bodies are cached per process (local memory): each gunicorn worker computes a
    target once per data stamp. Timing starts after every worker has most likely seen every target, so the figures
    are the steady state of repeated reads; what a miss costs is bench/explain.py --cold.
    """
    paths = sorted(set(endpoint.paths)) * passes
    with concurrent.futures.ThreadPoolExecutor(max_workers=connections) as pool:
        for status, _, _ in pool.map(lambda path: request(base, "GET", path, headers=headers), paths):
            if status != 200:
                raise SystemExit(f"{endpoint.name}: a warm-up read answered {status}")


@contextlib.contextmanager
def profiled(name: str, args: argparse.Namespace) -> Iterator[None]:
    """With --profile DIR: py-spy samples every gunicorn worker during the timed run (collapsed stacks, one file per
    endpoint, for flamegraph tools or a quick `sort | uniq`). The sampler takes CPU too: profiled figures are for
    finding costs, not for the table."""
    if not args.profile:
        yield
        return
    args.profile.mkdir(parents=True, exist_ok=True)
    out = args.profile / f"{re.sub(r'[^a-z]+', '-', name.lower()).strip('-')}.txt"
    spy = subprocess.Popen(
        [str(PYTHON.parent / "py-spy"), "record", "--pid", str(SERVER_PIDS[-1]), "--subprocesses", "--format", "raw",
         "--rate", "200", "--gil", "--nonblocking", "--output", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=30)


def measure(base: str, endpoint: Endpoint, headers: dict[str, str], args: argparse.Namespace, workdir: Path) -> Result:
    if args.warm_passes:
        warm(base, endpoint, headers, passes=args.warm_passes, connections=args.connections)
    script = workdir / f"{re.sub(r'[^a-z]+', '-', endpoint.name.lower())}.lua"
    script.write_text(lua_script(endpoint.paths, {**FORWARDED, **headers}), encoding="utf-8")
    run_wrk(base, script, connections=args.connections, threads=args.threads, duration=args.warmup)
    before = cpu_times()
    with profiled(endpoint.name, args):
        data = run_wrk(base, script, connections=args.connections, threads=args.threads, duration=args.duration)
    after = cpu_times()
    seconds = data["duration_us"] / 1e6
    cpu_ms = steal_pct = None
    if before and after and data["requests"]:
        busy, steal, total = (b - a for a, b in zip(before, after, strict=True))
        cpu_ms = round(busy * 1000 / os.sysconf("SC_CLK_TCK") / data["requests"], 3)
        steal_pct = round(100 * steal / total, 1) if total else None
    return Result(
        endpoint=endpoint.name,
        kind=endpoint.kind,
        requests=data["requests"],
        rps=round(data["requests"] / seconds, 1),
        p50_ms=data["p50"] / 1000,
        p90_ms=data["p90"] / 1000,
        p95_ms=data["p95"] / 1000,
        p99_ms=data["p99"] / 1000,
        max_ms=data["max"] / 1000,
        errors={k: v for k, v in data["errors"].items() if v},
        cpu_ms=cpu_ms,
        steal_pct=steal_pct,
    )


def cpu_times() -> tuple[int, int, int] | None:
    """Clock ticks of all CPUs from /proc/stat (Linux): busy (not idle or waiting for disk), stolen, all."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return user + nice + system + irq + softirq, steal, sum(fields[:8])


def judge(results: list[Result], baseline: dict[str, Any] | None) -> None:
    floor = max((r for r in results if r.kind == "floor"), key=lambda r: r.rps, default=None)
    before = {r["endpoint"]: r for r in (baseline or {}).get("results", [])}
    for result in results:
        result.checks["no errors"] = not result.errors
        if floor:  # the floors too: the slower run shows its share of the faster
            result.ratio_to_floor = round(result.rps / floor.rps, 3)
        if result.kind == "read":
            result.checks[f"p95 <= {READ_P95_MS:g} ms"] = result.p95_ms <= READ_P95_MS
            if result.ratio_to_floor is not None:
                result.checks[f">= {FLOOR_SHARE:.0%} of floor"] = result.ratio_to_floor >= FLOOR_SHARE
        elif result.kind == "pdf":
            result.checks[f"p95 <= {PDF_P95_MS:g} ms"] = result.p95_ms <= PDF_P95_MS
        small = before.get(result.endpoint)
        if small and result.kind != "floor":
            result.checks[f"p95 <= {GROWTH:g}x baseline"] = result.p95_ms <= GROWTH * float(small["p95_ms"])


def table(results: list[Result], baseline: dict[str, Any] | None) -> str:
    before = {r["endpoint"]: r for r in (baseline or {}).get("results", [])}
    head = f"{'endpoint':<20} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'x floor':>8} {'CPU ms':>7}"
    if before:
        head += f" {'p95/base':>8}"
    lines = [head + "  verdict", "-" * (len(head) + 9)]
    for r in results:
        ratio = f"{r.ratio_to_floor:.2f}" if r.ratio_to_floor is not None else "1.00"
        cpu = f"{r.cpu_ms:.2f}" if r.cpu_ms is not None else "-"
        line = f"{r.endpoint:<20} {r.rps:>8.1f} {r.p50_ms:>8.2f} {r.p95_ms:>8.2f} {r.p99_ms:>8.2f} {ratio:>8} {cpu:>7}"
        if before:
            small = before.get(r.endpoint)
            line += f" {r.p95_ms / float(small['p95_ms']):>8.2f}" if small else f" {'':>8}"
        failed = [name for name, ok in r.checks.items() if not ok]
        line += "  " + ("pass" if not failed else "MISS: " + ", ".join(failed))
        if r.errors:
            line += f" {r.errors}"
        lines.append(line)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load-test the application under gunicorn with wrk.")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""), required=False)
    parser.add_argument("--duration", default="20s")
    parser.add_argument("--warmup", default="3s")
    parser.add_argument(
        "--warm-passes", type=int, default=None,
        help="reads of every target before timing (default 3 per gunicorn worker; 0: only the timed warm-up)",
    )  # fmt: skip
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    # One process per core, each with threads for the 8 connections: measured best on 2 cores (docs/performance.md):
    # fewer processes contend less with wrk and PostgreSQL, and each keeps a bigger share of the computed-read cache.
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="gunicorn workers")
    parser.add_argument("--worker-class", choices=WORKER_CLASSES, default="gthread")
    parser.add_argument("--worker-threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument(
        "--cache-url", default=os.environ.get("REDIS_URL", ""), help="REDIS_URL for the server (default: local memory)"
    )
    parser.add_argument("--keep-alive", type=int, default=2, help="gunicorn keep-alive seconds (0: close after each)")
    parser.add_argument("--targets", type=int, default=200, help="patients (and visits) rotated over")
    parser.add_argument("--only", default="", help="comma-separated endpoint name prefixes (the floor always runs)")
    parser.add_argument(
        "--out", type=Path, default=None, help="JSON results (default bench/results/load-<preset>.json)"
    )
    parser.add_argument("--baseline", type=Path, default=None, help="a previous JSON (the small preset) to compare p95")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--profile", type=Path, default=None, help="record py-spy stacks of the workers per endpoint into this folder"
    )
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url (or DATABASE_URL) must point at a PostgreSQL database seeded by bench/seed.py")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install wrk)")
    if args.warm_passes is None:
        args.warm_passes = 3 * args.workers

    seeded = seeded_preset(args.database_url)
    targets = pick_targets(args.database_url, USERNAME, args.targets, random.Random(args.seed))
    chosen = endpoints(targets)
    if args.only:
        wanted = [w.strip().lower() for w in args.only.split(",") if w.strip()]
        chosen = [e for e in chosen if e.kind == "floor" or any(e.name.startswith(w) for w in wanted)]
    baseline = json.loads(args.baseline.read_text()) if args.baseline else None
    out = args.out or ROOT / "bench" / "results" / f"load-{seeded['preset']}.json"
    history = sorted(targets.history.values())
    print(
        f"preset {seeded['preset']} ({seeded['rows'].get('assessments_visit', 0):,} visits, "
        f"{seeded['rows'].get('assessments_finding', 0):,} findings); targets: {len(set(targets.patients))} patients, "
        f"visits per patient median {history[len(history) // 2]}, max {history[-1]}",
        flush=True,
    )
    load_before = os.getloadavg()
    port = free_port()
    results: list[Result] = []
    with (
        gunicorn(
            args.database_url,
            port=port,
            workers=args.workers,
            worker_class=args.worker_class,
            threads=args.worker_threads,
            keep_alive=args.keep_alive,
            cache_url=args.cache_url,
        ) as base,
        tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp,
    ):
        token, session = sign_in(base)
        auth = {"token": {"Authorization": f"Token {token}"}, "session": {"Cookie": session}}
        print(
            f"gunicorn on {base}: {args.workers} {args.worker_class} workers x {args.worker_threads} threads; "
            f"wrk -c {args.connections} -t {args.threads} -d {args.duration} (warm-up: {args.warm_passes} reads of "
            f"every target, then {args.warmup} of wrk)",
            flush=True,
        )
        for endpoint in chosen:
            check_paths(base, endpoint, auth[endpoint.auth])
            result = measure(base, endpoint, auth[endpoint.auth], args, Path(tmp))
            results.append(result)
            print(
                f"  {result.endpoint:<20} {result.rps:>8.1f} req/s  p50 {result.p50_ms:6.2f}  "
                f"p95 {result.p95_ms:6.2f}  p99 {result.p99_ms:6.2f} ms  CPU {result.cpu_ms} ms/request  "
                f"steal {result.steal_pct}%",
                flush=True,
            )
    judge(results, baseline)
    print(
        f"\nload average (1/5/15 min) before {load_before}, after {os.getloadavg()} "
        "(other work on the machine shares the CPUs)"
    )
    print(table(results, baseline))
    report = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "seeded": seeded,
        "server": {
            "settings": "clinic.settings.production",
            "workers": args.workers,
            "worker_class": args.worker_class,
            "worker_threads": args.worker_threads,
        },
        "load": {"tool": "wrk", "connections": args.connections, "threads": args.threads, "duration": args.duration},
        "targets": {"patients": len(set(targets.patients)), "visits_per_patient": history},
        "budgets": {
            "read_p95_ms": READ_P95_MS,
            "pdf_p95_ms": PDF_P95_MS,
            "floor_share": FLOOR_SHARE,
            "p95_growth_vs_baseline": GROWTH,
        },
        "baseline": str(args.baseline) if args.baseline else None,
        "results": [{**asdict(r), "passed": r.passed} for r in results],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
