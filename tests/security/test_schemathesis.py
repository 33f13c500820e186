"""Property-based API testing: schemathesis generates requests from our own OpenAPI schema (`/api/v1/schema/`).

Every operation is called in-process through the Django WSGI application, authenticated by token as a practitioner of a
seeded clinic. Each response must not be a server error and must conform to the schema (status code, content type,
body). Path parameters are sometimes swapped for the seeded objects' ids so that generated bodies reach the real
validation and services, not only the 404 branch.

Bounded for CI: SCHEMATHESIS_MAX_EXAMPLES examples per operation (default 15; at least 1,000 requests in total are
asserted). A longer local run (see docs/security-testing.md):

    SCHEMATHESIS_MAX_EXAMPLES=500 .venv/bin/python -m pytest tests/security/test_schemathesis.py
"""

import os
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.security import hostile_seed as seed

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "15"))
MIN_TOTAL_REQUESTS = 1000

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())

SENT: Counter[str] = Counter()
STARTED = time.monotonic()


@schema.hook
def flatmap_path_parameters(context: schemathesis.HookContext, path_parameters: dict[str, Any]) -> Any:
    """Half of the time, aim at the seeded object instead of a random id (which only ever answers 404)."""
    assert context.operation is not None
    segment = context.operation.path.strip("/").split("/")[0]
    seeded = seed.IDS_BY_SEGMENT.get(segment)
    names = [name for name in path_parameters or {} if name in {"id", "pk", "patient_id"}]
    others = {name: str(seed.IDS_BY_PARAMETER[name]) for name in path_parameters or {} if name in seed.IDS_BY_PARAMETER}
    if seeded is None or not names:
        return st.just(path_parameters)
    aimed = {**path_parameters, **{name: str(seeded) for name in names}, **others}
    return st.sampled_from([path_parameters, aimed])


@pytest.fixture
def seeded(db: None) -> Iterator[seed.Seeded]:
    """The seeded clinic; Django's per-request connection closing is off, as with its own test client.

    Requests go through the real WSGI handler, whose request_started/finished signals would close the test
    transaction's connection (fatal on PostgreSQL).
    """
    data = seed.seed_clinic()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield data
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_has_no_server_errors_and_conforms_to_its_schema(case: Any, seeded: seed.Seeded) -> None:
    """Each example runs in a savepoint that is rolled back, so every example sees the same seeded clinic."""
    SENT[case.operation.label] += 1
    with transaction.atomic():
        case.call_and_validate(headers={"Authorization": f"Token {seed.TOKEN}"}, checks=CHECKS)
        transaction.set_rollback(True)


def test_zz_schemathesis_sent_at_least_1000_requests_in_bounded_time() -> None:
    """Runs last in this module: the bound the issue sets (>= 1,000 generated requests) and the time they took."""
    operations = {op.ok().label for op in schema.get_all_operations()}
    if set(SENT) != operations:
        pytest.skip("Only part of the operations ran (e.g. -k); the total is measured on a full run of this module.")
    total = sum(SENT.values())
    elapsed = time.monotonic() - STARTED
    print(f"\nschemathesis: {total} requests over {len(SENT)} operations in {elapsed:.0f} s")
    assert total >= MIN_TOTAL_REQUESTS, SENT.most_common()
