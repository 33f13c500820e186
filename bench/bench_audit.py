"""Benchmark: what the audit trail adds to a patient-data request.

Run from the repository root (creates and drops its own test database; DATABASE_URL picks PostgreSQL):
    .venv/bin/python bench/bench_audit.py [--runs 300]
Times GET /api/v1/findings/{id}/ (the deepest patient lookup: finding -> visit -> patient) and GET
/api/v1/patients/{id}/ with and without clinic.audit.AuditMiddleware, interleaved so machine noise hits both alike,
and the owner's audit page over 5,000 events. Prints median and p95 in milliseconds.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

AUDIT = "clinic.audit.AuditMiddleware"


def seed():
    from assessments.models import Finding, Visit
    from clinic.audit import record
    from clinic.models import Role
    from clinic.services import clinic_get_or_create, member_add
    from patients.models import Patient

    clinic, _ = clinic_get_or_create(name="Bench clinic")
    user = member_add(clinic=clinic, username="bench", password="bench-password-42").user
    owner = member_add(clinic=clinic, username="owner", password="bench-password-42", role=Role.OWNER).user
    patients = Patient.objects.bulk_create(
        [Patient(clinic=clinic, first_name=f"Bench{i}", last_name="Patient") for i in range(200)]
    )
    visit = Visit.objects.create(clinic=clinic, patient=patients[0], date="2026-01-01")
    finding = Finding.objects.create(clinic=clinic, visit=visit, muscle="soleus", side="left", tenderness=5)
    for i in range(5000):
        record(user=user, clinic=clinic, action="read", outcome="success", patient_id=patients[i % 200].pk,
               object_type="patient", object_id=patients[i % 200].pk, route="patient-detail", method="GET",
               client="127.0.0.1")  # fmt: skip
    return user, owner, patients[0].pk, finding.pk


def client_for(user, *, audited: bool):
    middleware = settings.MIDDLEWARE if audited else [m for m in settings.MIDDLEWARE if m != AUDIT]
    with override_settings(MIDDLEWARE=middleware):
        client = APIClient()
        client.force_authenticate(user)
        client.get("/api/v1/catalog/zones/")  # loads this client's middleware chain now
    return client


def summary(samples):
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(0.95 * len(samples)))]
    return f"median {statistics.median(samples):6.2f} ms   p95 {p95:6.2f} ms"


def timed(client, url):
    t0 = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - t0) * 1000
    assert response.status_code == 200, response.content[:300]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        user, owner, patient_id, finding_id = seed()
        audited, bare = client_for(user, audited=True), client_for(user, audited=False)
        print(f"database: {connection.vendor}; {args.runs} runs each")
        for name, url in (
            ("finding", f"/api/v1/findings/{finding_id}/"),
            ("patient", f"/api/v1/patients/{patient_id}/"),
        ):
            with_audit, without = [], []
            for _ in range(args.runs):
                with_audit.append(timed(audited, url))
                without.append(timed(bare, url))
            print(f"{name:8s} audited  {summary(with_audit)}")
            print(f"{name:8s} without  {summary(without)}")
        page = Client()
        page.force_login(owner)
        pages = [timed(page, "/clinic/audit/") for _ in range(max(20, args.runs // 10))]
        filtered = [
            timed(page, f"/clinic/audit/?patient={patient_id}&action=read") for _ in range(max(20, args.runs // 10))
        ]
        print(f"audit page (5,000+ events)      {summary(pages)}")
        print(f"audit page filtered by patient  {summary(filtered)}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
