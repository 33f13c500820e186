"""Benchmark: clinic_export and clinic_import of a seeded clinic (size, time, peak memory of the export).

Run from the repository root (creates and drops its own test database; DATABASE_URL picks PostgreSQL):
    .venv/bin/python bench/bench_backup.py [--patients 200 --visits 5 --findings 10]
Each visit gets a pain site, `--findings` findings, two muscle tests, an outcome, a screen and a plan; half are signed.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

MUSCLES = ["soleus", "gastrocnemius", "tibialis_posterior", "gluteus_medius", "gluteus_minimus", "quadratus_lumborum",
           "trapezius_upper", "infraspinatus", "piriformis", "vastus_lateralis"]  # fmt: skip


def seed(patients: int, visits: int, findings: int) -> Any:
    from assessments.models import Finding, MuscleTest, Outcome, PainSite, Screening, TreatmentPlan, Visit
    from clinic.services import clinic_get_or_create, member_add
    from patients.models import Injury, Patient, Stressor

    clinic, _ = clinic_get_or_create(name="Bench clinic")
    user = member_add(clinic=clinic, username="bench", password="bench-password-42").user
    made_patients = Patient.objects.bulk_create(
        [Patient(clinic=clinic, first_name=f"Pat{i}", last_name="Bench", created_by=user) for i in range(patients)]
    )
    Stressor.objects.bulk_create(
        [Stressor(clinic=clinic, patient=p, kind="footwear", category="physical_structural") for p in made_patients]
    )
    Injury.objects.bulk_create([Injury(clinic=clinic, patient=p, zone="calf", side="left") for p in made_patients])
    start = datetime.date(2020, 1, 1)
    made = Visit.objects.bulk_create(
        [
            Visit(clinic=clinic, patient=p, date=start + datetime.timedelta(days=7 * v), created_by=user,
                  status="signed" if v % 2 else "draft", signed_by=user if v % 2 else None,
                  signed_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC) if v % 2 else None)
            for p in made_patients
            for v in range(visits)
        ],
        batch_size=2000,
    )  # fmt: skip
    models = (Finding, PainSite, MuscleTest, Outcome, Screening, TreatmentPlan)
    rows: dict[Any, list[Any]] = {model: [] for model in models}
    for i, visit in enumerate(made):
        common = {"clinic": clinic, "visit": visit, "created_by": user}
        rows[PainSite].append(PainSite(**common, zone="plantar_heel", side="left", nprs=i % 11, primary=True))
        rows[Outcome].append(Outcome(**common, measure="lefs", value=float(30 + i % 50)))
        rows[Screening].append(Screening(**common, rule="SAFE-M-DVT", result="negative"))
        for side in ("left", "right"):
            rows[MuscleTest].append(MuscleTest(**common, muscle="soleus", side=side, phase="pre", result="inhibited"))
        for j in range(findings):
            rows[Finding].append(Finding(**common, muscle=MUSCLES[j % len(MUSCLES)], side="left", location=f"spot {j}",
                                         tenderness=(i + j) % 11, status="active", referral_zones=["plantar_heel"],
                                         notes="Tender on deep pressure; refers to the heel."))  # fmt: skip
        rows[TreatmentPlan].append(TreatmentPlan(**common, engine_version="bench", catalog_version="bench",
                                                 steps=[{"order": 1, "kind": "treat_trigger_point",
                                                         "muscle": "soleus", "rationale": "bench"}]))  # fmt: skip
    for model, objects in rows.items():
        model.objects.bulk_create(objects, batch_size=2000)
    return clinic


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--visits", type=int, default=5)
    parser.add_argument("--findings", type=int, default=10)
    args = parser.parse_args()
    from clinic.models import Clinic
    from operations import backup

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        clinic = seed(args.patients, args.visits, args.findings)
        before = backup.clinic_digest(clinic.pk)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "clinic.json"
            t0 = time.perf_counter()
            backup.export_to_file(clinic, path)
            export_s = time.perf_counter() - t0
            tracemalloc.start()  # a second export, to measure memory (tracemalloc slows it down)
            backup.export_to_file(clinic, path)
            export_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            size = path.stat().st_size
            clinic_id = clinic.pk
            for _, model in reversed(backup.MODEL_TABLES[1:]):
                model._base_manager.filter(clinic_id=clinic_id).delete()
            Clinic.objects.filter(pk=clinic_id).delete()
            t0 = time.perf_counter()
            backup.import_document(backup.read_document(path))
            import_s = time.perf_counter() - t0
        after = backup.clinic_digest(clinic_id)
        assert after.checksum == before.checksum
        rows = sum(before.counts.values())
        shape = f"{args.patients} patients x {args.visits} visits x {args.findings} findings"
        print(f"database: {connection.vendor}; {shape}")
        print(f"rows {rows}; file {size / 1e6:.1f} MB; export {export_s:.2f} s")
        print(f"peak Python memory of the export {export_peak / 1e6:.1f} MB")
        print(f"import incl. verification {import_s:.2f} s; checksums identical")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
