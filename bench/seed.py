"""Fill a PostgreSQL database with a synthetic clinic group for load benchmarks.

One command (from the repository root)::

    .venv/bin/python bench/seed.py --preset full|small [--database-url postgres://...] [--reset] [--seed N]

- `full`: 20 clinics, 20,000 patients, 200,000 visits (about 2,000,000 findings, 800,000 muscle tests, 400,000 pain
  sites and 400,000 outcomes, screening on about a third of the visits, plans on 70 %).
- `small`: 1/100 of every row count with the same 20 clinics and the same per-patient history shape (10 patients per
  clinic instead of 1,000), so p95 at the two sizes compares data volume, not history length.

Visits per patient average 10 but are skewed: most patients have a handful, about 2 % have 100 to 160 (long histories
are the point). Findings, tests, pain sites and plans follow the catalog's symptom rules, so the engine sees realistic
charts (the same muscles recur visit after visit; tenderness and pain fall over an episode).

The target database is migrated first (`manage.py migrate`). Clinics, users and memberships are created through the
ORM (one Argon2 hash shared by every benchmark user); clinical rows are streamed with COPY in dependency order, in
batches of patients, then VACUUM (ANALYZE). Deterministic for a given `--seed` and `--anchor` date. What the database
holds is recorded in the `bench_seed` table (read by bench/load.py).

Foreign keys are not checked row by row while loading (`session_replication_role = replica`, which needs a superuser
such as the local `postgres`): the generator writes parents before children. Use a database of its own: with `--reset`
every clinic, user and clinical row in it is removed first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/clinic_perf_small"
PASSWORD = "bench-password-not-secret"  # every benchmark user; printed at the end
UTC = dt.UTC


@dataclass(frozen=True)
class Preset:
    clinics: int
    patients: int
    visits: int
    long_history_share: float = 0.02


PRESETS = {
    "full": Preset(clinics=20, patients=20_000, visits=200_000),
    "small": Preset(clinics=20, patients=200, visits=2_000),
}

# Columns written by COPY, per table (clinical tables only; the ORM creates clinics and users).
COLUMNS: dict[str, tuple[str, ...]] = {
    "patients_patient": (
        "id", "clinic_id", "created_at", "updated_at", "created_by_id", "version", "first_name", "last_name",
        "date_of_birth", "sex", "email", "phone", "occupation", "activities", "notes", "archived_at",
    ),
    "patients_stressor": (
        "id", "clinic_id", "created_at", "updated_at", "created_by_id", "version", "patient_id", "kind", "category",
        "detail", "severity", "onset", "resolved_on", "archived_at",
    ),
    "patients_injury": (
        "id", "clinic_id", "created_at", "updated_at", "created_by_id", "version", "patient_id", "zone", "side",
        "occurred_on", "description", "painful_now", "archived_at",
    ),
    "assessments_visit": (
        "id", "clinic_id", "created_at", "updated_at", "created_by_id", "version", "patient_id", "date", "kind",
        "chief_complaint", "notes", "status", "signed_at", "signed_by_id",
    ),
    "assessments_painsite": (
        "id", "clinic_id", "created_at", "updated_at", "created_by_id", "version", "archived_at", "visit_id", "zone",
        "side", "nprs", "primary",
    ),
    "assessments_finding": (
        "id", "clinic_id", "created_at", "updated_at", "created_by_id", "version", "archived_at", "visit_id", "muscle",
        "side", "location", "tenderness", "taut_band", "nodule", "twitch_response", "referral_zones", "recognized",
        "status", "treated", "technique", "response", "notes",
    ),
    "assessments_muscletest": (
        "id", "clinic_id", "created_at", "updated_at", "created_by_id", "version", "archived_at", "visit_id", "muscle",
        "side", "phase", "result", "notes",
    ),
    "assessments_outcome": (
        "id", "clinic_id", "created_at", "updated_at", "created_by_id", "version", "archived_at", "visit_id", "measure",
        "value", "detail",
    ),
    "assessments_screening": (
        "id", "clinic_id", "created_at", "updated_at", "created_by_id", "version", "archived_at", "visit_id", "rule",
        "side", "result", "detail",
    ),
    "assessments_addendum": ("id", "clinic_id", "visit_id", "text", "created_at", "created_by_id"),
    "assessments_treatmentplan": (
        "id", "clinic_id", "created_at", "updated_at", "created_by_id", "version", "visit_id", "engine_version",
        "catalog_version", "confirmed", "confirmed_at", "confirmed_by_id", "max_home_care", "protocol", "steps",
        "notes", "follow_up_on",
    ),
}  # fmt: skip
TABLES = tuple(COLUMNS)  # dependency order

FIRST_NAMES = (
    "Maria", "James", "Anna", "John", "Sofia", "David", "Emma", "Michael", "Olivia", "Daniel", "Mia", "Thomas",
    "Laura", "Peter", "Sarah", "Paul", "Julia", "Mark", "Elena", "Lucas", "Hannah", "Noah", "Clara", "Adam", "Nora",
    "Samuel", "Alice", "Leo", "Grace", "Oscar", "Ruth", "Felix", "Ines", "Hugo", "Lea", "Ivan", "Maya", "Omar",
    "Zoe", "Karl", "Amira", "Jonas", "Chloe", "Mateo", "Ava", "Rafael", "Isla", "Victor", "Lena", "Arjun", "Priya",
    "Kenji", "Yuki", "Fatima", "Ahmed", "Chen", "Wei", "Aisha", "Liam", "Nina",
)  # fmt: skip
LAST_NAMES = (
    "Lopez", "Smith", "Muller", "Rossi", "Garcia", "Novak", "Kowalski", "Dubois", "Jensen", "Silva", "Costa",
    "Nielsen", "Schmidt", "Brown", "Wilson", "Taylor", "Martin", "Bernard", "Moreau", "Fischer", "Weber", "Wagner",
    "Becker", "Hoffmann", "Romano", "Ricci", "Greco", "Santos", "Pereira", "Almeida", "Ferreira", "Jansen", "Visser",
    "Peters", "Bakker", "Andersen", "Larsen", "Hansen", "Johansson", "Lindberg", "Nagy", "Horvat", "Popescu",
    "Ivanova", "Petrov", "Sato", "Suzuki", "Tanaka", "Kim", "Park", "Lee", "Nguyen", "Tran", "Khan", "Patel",
    "Singh", "Ali", "Hassan", "Cohen", "Levy", "Murphy", "Kelly", "Walsh", "Byrne", "Ryan", "OBrien", "Evans",
    "Hughes", "Roberts", "Lewis", "Walker", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson",
    "Hill", "Campbell", "Mitchell",
)  # fmt: skip
OCCUPATIONS = (
    "nurse", "software developer", "teacher", "runner (amateur)", "carpenter", "office worker", "retired",
    "warehouse worker", "musician", "student", "chef", "physiotherapy student", "driver", "accountant", "farmer",
)  # fmt: skip
ACTIVITIES = ("running", "cycling", "yoga", "gardening", "football", "swimming", "climbing", "hiking", "tennis", "")
MEASURE_RANGES = {"psfs": (0, 10), "lefs": (0, 80), "ndi": (0, 50), "odi": (0, 100), "ppt": (1, 12), "rom": (10, 170)}
SIDES: tuple[Literal["left"], Literal["right"]] = ("left", "right")
NOTES = (
    "Worse in the morning; eases with movement.",
    "Aggravated by long periods of sitting at work.",
    "Started after increasing weekly running distance.",
    "",
    "",
)


@dataclass
class Catalog:
    muscles: list[dict[str, Any]]
    muscle_slugs: list[str]
    zones: list[str]
    rules: list[dict[str, Any]]
    stressor_kinds: list[tuple[str, str]]  # (kind, category)
    safety_rules: list[str]


def read_catalog() -> Catalog:
    from catalog.store import read_files

    doc = read_files()
    return Catalog(
        muscles=doc["muscles"],
        muscle_slugs=[m["slug"] for m in doc["muscles"]],
        zones=[z["slug"] for z in doc["zones"]],
        rules=[r for r in doc["symptom_rules"]["rules"] if r.get("complaint_zones") and r.get("candidates")],
        stressor_kinds=[(s["id"], c["id"]) for c in doc["stressors"]["categories"] for s in c["subtypes"]],
        safety_rules=[r["id"] for rules in doc["safety_rules"].values() for r in rules],
    )


@dataclass
class Staff:
    clinic_id: str
    practitioners: list[int]
    owner: int
    assistant: int


@dataclass
class Batch:
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: {t: [] for t in TABLES})


class Generator:
    """Deterministic synthetic charts: one patient at a time, rows appended to a batch."""

    def __init__(self, *, seed: int, anchor: dt.date, catalog: Catalog, plans: dict[str, list[dict[str, Any]]]):
        self.rng = random.Random(seed)
        self.anchor = anchor
        self.catalog = catalog
        self.plans = plans
        self.muscle_referrals = {m["slug"]: list(m.get("referral_zones") or []) for m in catalog.muscles}

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def visit_counts(self, patients: int, visits: int, long_share: float) -> list[int]:
        """Visits per patient: about 2 % long histories (100-160), the rest geometric-ish, summing to `visits`."""
        rng = self.rng
        counts = [rng.randint(100, 160) if rng.random() < long_share else 0 for _ in range(patients)]
        short = [i for i, c in enumerate(counts) if c == 0]
        remaining = visits - sum(counts)
        mean = max(1.0, remaining / max(1, len(short)))
        for i in short:
            counts[i] = max(1, min(60, int(rng.expovariate(1 / mean)) + 1))
        diff = visits - sum(counts)
        while diff != 0:
            i = rng.choice(short)
            if diff > 0 and counts[i] < 60:
                counts[i] += 1
                diff -= 1
            elif diff < 0 and counts[i] > 1:
                counts[i] -= 1
                diff += 1
        return counts

    def patient(self, batch: Batch, staff: Staff, n_visits: int) -> None:
        rng, rows, clinic = self.rng, batch.rows, staff.clinic_id
        author = rng.choice(staff.practitioners)
        span_days = min(4 * 365, max(14, n_visits * rng.randint(7, 21)))
        start = self.anchor - dt.timedelta(days=rng.randint(span_days, span_days + 365))
        created = dt.datetime.combine(start, dt.time(8, 0), UTC) - dt.timedelta(days=rng.randint(0, 30))
        pid = self.uid()
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        birth = dt.date(rng.randint(1940, 2008), rng.randint(1, 12), rng.randint(1, 28))
        rows["patients_patient"].append((
            pid, clinic, created, created, author, 1, first, last, birth,
            rng.choice(("female", "male", "female", "male", "other", "undisclosed")),
            f"{first}.{last}{rng.randint(1, 999)}@example.org".lower(), f"+1 555 {rng.randint(1000000, 9999999)}",
            rng.choice(OCCUPATIONS), rng.choice(ACTIVITIES), rng.choice(NOTES), None,
        ))  # fmt: skip

        stressor_ids = []
        for kind, category in rng.sample(self.catalog.stressor_kinds, rng.choice((1, 2, 3, 3, 3, 4, 5))):
            sid = self.uid()
            stressor_ids.append(sid)
            onset = start - dt.timedelta(days=rng.randint(10, 700)) if rng.random() < 0.7 else None
            resolved = start + dt.timedelta(days=rng.randint(30, 300)) if rng.random() < 0.2 else None
            if resolved and resolved > self.anchor:
                resolved = None
            rows["patients_stressor"].append((
                sid, clinic, created, created, author, 1, pid, kind, category, "", rng.randint(1, 3), onset, resolved,
                None,
            ))  # fmt: skip
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            occurred = start - dt.timedelta(days=rng.randint(100, 5000))
            rows["patients_injury"].append((
                self.uid(), clinic, created, created, author, 1, pid, rng.choice(self.catalog.zones),
                rng.choice(SIDES), max(occurred, birth), "Sprain", rng.random() < 0.3, None,
            ))  # fmt: skip

        # An episode follows one symptom rule; a long history changes complaint now and then.
        rule = rng.choice(self.catalog.rules)
        core = self._core_points(rule)
        day = start
        gap = max(3, span_days // max(1, n_visits))
        for index in range(n_visits):
            if index and rng.random() < 0.05:
                rule = rng.choice(self.catalog.rules)
                core = self._core_points(rule)
            self._visit(batch, staff, pid, index, day, rule, core, stressor_ids)
            day = min(self.anchor - dt.timedelta(days=n_visits - index - 1), day + dt.timedelta(days=gap))

    def _core_points(self, rule: dict[str, Any]) -> list[tuple[str, str]]:
        rng = self.rng
        side = rng.choice(SIDES)
        muscles = [c["muscle"] for c in rule["candidates"] if c.get("muscle") in self.muscle_referrals]
        extra = rng.sample(self.catalog.muscle_slugs, 4)
        points = [(m, side) for m in muscles[:6]] + [(m, rng.choice(SIDES)) for m in extra]
        return list(dict.fromkeys(points))

    def _visit(
        self,
        batch: Batch,
        staff: Staff,
        pid: str,
        index: int,
        day: dt.date,
        rule: dict[str, Any],
        core: list[tuple[str, str]],
        stressor_ids: list[str],
    ) -> None:
        rng, rows, clinic = self.rng, batch.rows, staff.clinic_id
        author = rng.choice(staff.practitioners)
        at = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))), UTC)
        vid = self.uid()
        old = (self.anchor - day).days > 30
        signed = old and rng.random() < 0.8
        signed_at = at + dt.timedelta(hours=1) if signed else None
        progress = max(0.0, 1.0 - 0.08 * (index % 12))  # pain falls over an episode
        rows["assessments_visit"].append((
            vid, clinic, at, signed_at or at, author, 2 if signed else 1, pid, day,
            "initial" if index == 0 else "follow_up", f"{rule.get('name', rule['id'])}"[:500], rng.choice(NOTES),
            "signed" if signed else "draft", signed_at, author if signed else None,
        ))  # fmt: skip
        child_at = [at + dt.timedelta(seconds=s) for s in range(30)]

        zones = list(dict.fromkeys(rule["complaint_zones"]))[: rng.choice((1, 1, 2, 2, 2, 3))]
        side = core[0][1] if core else "left"
        for n, zone in enumerate(zones):
            nprs = max(0, min(10, round(7 * progress + rng.uniform(-1.5, 1.5))))
            rows["assessments_painsite"].append((
                self.uid(), clinic, child_at[n], child_at[n], author, 1, None, vid, zone, side, nprs, n == 0,
            ))  # fmt: skip

        n_findings = rng.randint(6, 14)
        points = rng.sample(core, min(len(core), rng.randint(4, 7)))
        taken = set(points)
        while len(points) < n_findings:
            point = (rng.choice(self.catalog.muscle_slugs), rng.choice(SIDES))
            if point not in taken:
                taken.add(point)
                points.append(point)
        for n, (muscle, point_side) in enumerate(points):
            tender = max(0, min(10, round(6 * progress + rng.uniform(-2, 3))))
            referrals = self.muscle_referrals.get(muscle, [])
            treated = rng.random() < 0.6
            ts = child_at[min(29, n + 3)]
            rows["assessments_finding"].append((
                self.uid(), clinic, ts, ts, author, 1, None, vid, muscle, point_side, "", tender,
                rng.random() < 0.6, rng.random() < 0.3, rng.random() < 0.05,
                json.dumps(rng.sample(referrals, min(len(referrals), rng.randint(0, 2)))), rng.random() < 0.35,
                rng.choice(("active", "latent", "unknown")), treated,
                rng.choice(("hold", "circular", "back_and_forth", "stroking", "tool")) if treated else None,
                rng.choice(("released", "improved", "unchanged", "worse")) if treated else None, "",
            ))  # fmt: skip

        for muscle, test_side in points[: rng.choice((1, 2, 2, 2, 3))]:
            pre = "inhibited" if rng.random() < 0.7 else "normal"
            post = "normal" if rng.random() < 0.7 else pre
            for phase, result in (("pre", pre), ("post", post)):
                ts = child_at[20]
                rows["assessments_muscletest"].append((
                    self.uid(), clinic, ts, ts, author, 1, None, vid, muscle, test_side, phase, result, "",
                ))  # fmt: skip

        outcome_at = child_at[22]
        rows["assessments_outcome"].append((
            self.uid(), clinic, outcome_at, outcome_at, author, 1, None, vid, "nprs",
            float(max(0, min(10, round(7 * progress + rng.uniform(-1, 1))))), "",
        ))  # fmt: skip
        if rng.random() < 0.9:
            measure = rng.choice(tuple(MEASURE_RANGES))
            low, high = MEASURE_RANGES[measure]
            value = round(low + (high - low) * min(1.0, max(0.0, 1 - progress + rng.uniform(-0.1, 0.1))), 1)
            rows["assessments_outcome"].append((
                self.uid(), clinic, outcome_at, outcome_at, author, 1, None, vid, measure, value, "",
            ))  # fmt: skip

        if index == 0 or rng.random() < 0.25:
            flags = list(dict.fromkeys(rule.get("red_flags") or [])) or [rng.choice(self.catalog.safety_rules)]
            for flag in flags[:2]:
                result = "positive" if rng.random() < 0.02 else "negative"
                ts = child_at[1]
                rows["assessments_screening"].append((
                    self.uid(), clinic, ts, ts, author, 1, None, vid, flag, "", result, "",
                ))  # fmt: skip

        if signed and rng.random() < 0.02:
            rows["assessments_addendum"].append((
                self.uid(), clinic, vid, "Patient phoned: pain eased two days after the visit.",
                at + dt.timedelta(days=1), author,
            ))  # fmt: skip

        if rng.random() < 0.7:
            pool = self.plans.get(rule["id"]) or next(iter(self.plans.values()))
            plan = rng.choice(pool)
            steps = remap_steps(plan["steps"], stressor_ids)
            confirmed = signed or rng.random() < 0.3
            ts = child_at[25]
            rows["assessments_treatmentplan"].append((
                self.uid(), clinic, ts, ts, author, 1, vid, plan["engine_version"], plan["catalog_version"],
                confirmed, ts if confirmed else None, author if confirmed else None, 4, "", json.dumps(steps),
                json.dumps(plan["notes"]), day + dt.timedelta(days=14),
            ))  # fmt: skip


def remap_steps(steps: list[dict[str, Any]], stressor_ids: list[str]) -> list[dict[str, Any]]:
    """A pooled plan's steps for this patient: stressor steps point at the patient's stressors (or are dropped)."""
    out: list[dict[str, Any]] = []
    for step in steps:
        stressor = step.get("stressor")
        if stressor:
            position = int(stressor[1:])
            if position >= len(stressor_ids):
                continue
            step = {**step, "stressor": stressor_ids[position]}
        out.append({**step, "order": len(out) + 1})
    return out


def plan_pool(catalog: Catalog, *, seed: int, anchor: dt.date, per_rule: int = 4) -> dict[str, list[dict[str, Any]]]:
    """Real engine plans for each symptom rule (a few variants), reused across visits with that complaint."""
    from assessments import mappers
    from assessments.engine import (
        Finding,
        MuscleTest,
        PainSite,
        Stressor,
        VisitInput,
        analyse,
        build_plan,
        default_catalog_dir,
        load_catalog,
    )
    from catalog.store import current_release_version

    engine_catalog = load_catalog(default_catalog_dir())
    release = current_release_version()
    rng = random.Random(seed ^ 0x5EED)
    pool: dict[str, list[dict[str, Any]]] = {}
    for rule in catalog.rules:
        muscles = [c["muscle"] for c in rule["candidates"] if c.get("muscle") in engine_catalog.muscles]
        for variant in range(per_rule):
            side = rng.choice(SIDES)
            chosen = muscles[:6] + rng.sample(catalog.muscle_slugs, 4)
            findings = tuple(
                Finding(
                    id=f"f{n}", muscle=m, side=side, tenderness=rng.randint(3, 9), taut_band=True,
                    recognized=rng.random() < 0.5, status=rng.choice(("active", "latent")),
                )
                for n, m in enumerate(dict.fromkeys(chosen))
            )  # fmt: skip
            kinds = rng.sample(catalog.stressor_kinds, 5)
            visit = VisitInput(
                id=f"{rule['id']}-{variant}",
                date=anchor,
                pain_sites=tuple(PainSite(z, side, rng.randint(3, 8), primary=i == 0)
                                 for i, z in enumerate(dict.fromkeys(rule["complaint_zones"][:2]))),
                findings=findings,
                muscle_tests=(MuscleTest("t0", findings[0].muscle, side, "pre", "inhibited"),) if findings else (),
                stressors=tuple(Stressor(f"s{i}", k, c, rng.randint(1, 3)) for i, (k, c) in enumerate(kinds)),
            )  # fmt: skip
            plan = build_plan(visit, analyse(visit, engine_catalog), engine_catalog)
            pool.setdefault(rule["id"], []).append(
                {
                    "steps": mappers.plan_steps_to_json(plan),
                    "notes": mappers.notes_to_json(plan.notes),
                    "engine_version": plan.engine_version,
                    "catalog_version": release or plan.catalog_version,
                }
            )
    return pool


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings.local")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-seed-" + "x" * 50)
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    print("migrating the database (manage.py migrate) ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)


def reset_or_refuse(cursor: Any, reset: bool) -> None:
    cursor.execute("SELECT count(*) FROM clinic_clinic")
    (clinics,) = cursor.fetchone()
    if clinics and not reset:
        raise SystemExit(f"The database already holds {clinics} clinics: pass --reset to replace them.")
    if clinics or reset:
        print("--reset: removing every clinic, user and clinical row ...", flush=True)
        cursor.execute("TRUNCATE clinic_clinic, auth_user CASCADE")
        cursor.execute("DROP TABLE IF EXISTS bench_seed")


def create_staff(n_clinics: int) -> list[Staff]:
    """Clinics with an owner, three practitioners and an assistant each (one shared precomputed Argon2 hash)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from clinic.models import Clinic, Membership, Role

    hashed = make_password(PASSWORD)
    staff = []
    for n in range(1, n_clinics + 1):
        clinic = Clinic.objects.create(
            name=f"Bench Clinic {n:02d}", address=f"{n} Harbour Road", phone=f"+1 555 01{n:02d}",
            email=f"clinic{n:02d}@example.org",
        )  # fmt: skip
        people = {
            "owner": Role.OWNER, "prac1": Role.PRACTITIONER, "prac2": Role.PRACTITIONER,
            "prac3": Role.PRACTITIONER, "assistant": Role.ASSISTANT,
        }  # fmt: skip
        users = {}
        for suffix, role in people.items():
            user = User.objects.create(
                username=f"bench{n:02d}-{suffix}",
                password=hashed,
                first_name=suffix.title(),
                last_name=f"Clinic{n:02d}",
            )
            Membership.objects.create(user=user, clinic=clinic, role=role)
            users[suffix] = user.pk
        staff.append(
            Staff(
                clinic_id=str(clinic.pk),
                practitioners=[users["prac1"], users["prac2"], users["prac3"], users["owner"]],
                owner=users["owner"],
                assistant=users["assistant"],
            )
        )
    return staff


class Progress:
    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.totals = dict.fromkeys(TABLES, 0)

    def add(self, table: str, count: int) -> None:
        self.totals[table] += count

    @property
    def rows(self) -> int:
        return sum(self.totals.values())

    def line(self, done: int, total: int) -> str:
        elapsed = time.perf_counter() - self.started
        return (
            f"  patients {done:>6}/{total}  rows {self.rows:>9,}  {self.rows / max(elapsed, 1e-9):>9,.0f} rows/s  "
            f"{elapsed:6.1f} s"
        )


def copy_batch(cursor: Any, batch: Batch, progress: Progress) -> None:
    for table in TABLES:
        rows = batch.rows[table]
        if not rows:
            continue
        columns = ", ".join(f'"{c}"' for c in COLUMNS[table])
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        progress.add(table, len(rows))


def record(cursor: Any, preset: str, seed: int, anchor: dt.date, seconds: float, totals: dict[str, int]) -> None:
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_seed (preset text NOT NULL, seed integer NOT NULL, anchor date NOT NULL,"
        " seconds double precision NOT NULL, rows jsonb NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now())"
    )
    cursor.execute("DELETE FROM bench_seed")
    cursor.execute(
        "INSERT INTO bench_seed (preset, seed, anchor, seconds, rows) VALUES (%s, %s, %s, %s, %s)",
        (preset, seed, anchor, seconds, json.dumps(totals)),
    )


def seed(*, database_url: str, preset_name: str, seed_value: int, anchor: dt.date, reset: bool, batch_size: int) -> int:
    import psycopg

    preset = PRESETS[preset_name]
    started = time.perf_counter()
    setup_django(database_url)
    migrate()
    with psycopg.connect(database_url, autocommit=True) as conn, conn.cursor() as cursor:
        reset_or_refuse(cursor, reset)
    staff = create_staff(preset.clinics)
    catalog = read_catalog()
    print(f"building the plan pool with the engine ({len(catalog.rules)} symptom rules) ...", flush=True)
    plans = plan_pool(catalog, seed=seed_value, anchor=anchor)
    generator = Generator(seed=seed_value, anchor=anchor, catalog=catalog, plans=plans)
    counts = generator.visit_counts(preset.patients, preset.visits, preset.long_history_share)
    print(
        f"preset {preset_name}: {preset.clinics} clinics, {preset.patients:,} patients, {sum(counts):,} visits "
        f"(max {max(counts)} per patient, {sum(c >= 100 for c in counts)} patients with 100+)",
        flush=True,
    )
    progress = Progress()
    with psycopg.connect(database_url) as conn, conn.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        batch = Batch()
        for index, n_visits in enumerate(counts):
            generator.patient(batch, staff[index % len(staff)], n_visits)
            if (index + 1) % batch_size == 0 or index + 1 == len(counts):
                copy_batch(cursor, batch, progress)
                conn.commit()
                batch = Batch()
                print(progress.line(index + 1, len(counts)), flush=True)
        cursor.execute("SET session_replication_role = origin")
        conn.commit()
    loaded = time.perf_counter() - started
    print("VACUUM (ANALYZE) ...", flush=True)
    with psycopg.connect(database_url, autocommit=True) as conn, conn.cursor() as cursor:
        # VACUUM as well: a freshly loaded table has no visibility map, so index-only scans (the patient count of a
        # name search) would visit the heap until autovacuum gets round to it.
        cursor.execute("VACUUM (ANALYZE)")
        total = time.perf_counter() - started
        record(cursor, preset_name, seed_value, anchor, total, progress.totals)
    print("rows per table:")
    for table, count in progress.totals.items():
        print(f"  {table:<28} {count:>10,}")
    print(f"loaded in {loaded:.1f} s, {progress.rows / loaded:,.0f} rows/s; with VACUUM {total:.1f} s")
    print(f"benchmark logins (password {PASSWORD!r}): " + ", ".join(f"bench{n:02d}-prac1" for n in (1, 2, 3)) + ", ...")
    return 0


def parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Seed PostgreSQL with a synthetic clinic group (COPY).")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="small")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument("--anchor", type=parse_date, default=None, help="the 'today' of the data (default 2026-11-01)")
    parser.add_argument("--reset", action="store_true", help="replace the clinics, users and charts already there")
    parser.add_argument("--batch", type=int, default=250, help="patients per COPY batch")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must point at PostgreSQL")
    anchor = args.anchor or min(dt.date(2026, 11, 1), dt.date.today())
    return seed(
        database_url=args.database_url,
        preset_name=args.preset,
        seed_value=args.seed,
        anchor=anchor,
        reset=args.reset,
        batch_size=args.batch,
    )


if __name__ == "__main__":
    sys.exit(main())
