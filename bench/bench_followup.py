"""Benchmark: server time of GET /api/v1/patients/{id}/progress/ for a patient with 100 visits of 30 findings.

Run from the repository root (creates and drops its own test database; DATABASE_URL picks PostgreSQL):
    .venv/bin/python bench/bench_followup.py [--visits 100 --findings 30 --runs 30]
Target: median <= 50 ms. Also times GET /api/v1/visits/{latest}/compare/.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

MUSCLES = ["soleus", "gastrocnemius", "tibialis_posterior", "gluteus_medius", "gluteus_minimus", "quadratus_lumborum",
           "trapezius_upper", "infraspinatus", "piriformis", "vastus_lateralis"]  # fmt: skip


def seed(visits: int, findings: int) -> tuple[str, str, str]:
    from assessments.models import Finding, MuscleTest, Outcome, PainSite, Visit
    from clinic.services import clinic_get_or_create, member_add
    from patients.models import Patient

    clinic, _ = clinic_get_or_create(name="Bench clinic")
    user = member_add(clinic=clinic, username="bench", password="bench-password-42").user
    patient = Patient.objects.create(clinic=clinic, first_name="Bench", last_name="Patient")
    start = datetime.date(2020, 1, 1)
    made = Visit.objects.bulk_create(
        [Visit(clinic=clinic, patient=patient, date=start + datetime.timedelta(days=7 * i)) for i in range(visits)]
    )
    rows_f, rows_p, rows_t, rows_o = [], [], [], []
    for i, visit in enumerate(made):
        rows_p.append(
            PainSite(clinic=clinic, visit=visit, zone="plantar_heel", side="left", nprs=(8 - i) % 11, primary=True)
        )
        rows_o.append(Outcome(clinic=clinic, visit=visit, measure="lefs", value=float(30 + i % 50)))
        rows_t.append(MuscleTest(clinic=clinic, visit=visit, muscle="soleus", side="left", phase="pre",
                                 result="inhibited" if i % 2 else "normal"))  # fmt: skip
        for j in range(findings):
            rows_f.append(Finding(clinic=clinic, visit=visit, muscle=MUSCLES[j % len(MUSCLES)], side="left",
                                  location=f"spot {j}", tenderness=(i + j) % 11, status="active"))  # fmt: skip
    Finding.objects.bulk_create(rows_f, batch_size=2000)
    PainSite.objects.bulk_create(rows_p)
    MuscleTest.objects.bulk_create(rows_t)
    Outcome.objects.bulk_create(rows_o)
    return str(patient.pk), str(made[-1].pk), Token.objects.create(user=user).key


def timed(client: APIClient, url: str, runs: int) -> list[float]:
    client.get(url)  # warm-up (catalog cache, connections)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.content[:300]
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=100)
    parser.add_argument("--findings", type=int, default=30)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        patient_id, latest_visit, token = seed(args.visits, args.findings)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        print(f"database: {connection.vendor}; {args.visits} visits x {args.findings} findings")
        for name, url in (("progress", f"/api/v1/patients/{patient_id}/progress/"),
                          ("compare", f"/api/v1/visits/{latest_visit}/compare/")):  # fmt: skip
            samples = sorted(timed(client, url, args.runs))
            p95 = samples[min(len(samples) - 1, int(0.95 * len(samples)))]
            print(f"{name:9s} median {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms   ({args.runs} runs)")
        print("target: progress median <= 50 ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
