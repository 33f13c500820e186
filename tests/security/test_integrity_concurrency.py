"""Concurrent writers: one winner per version, no lost update, no lost row (threads against the real database).

The threaded tests need PostgreSQL: SQLite allows one writer at a time by design, so they are skipped there and run in
CI's PostgreSQL pass. Each thread uses its own database connection (Django's are per thread) and closes it at the end.
"""

import random
import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, connections
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessments.models import Finding, Visit
from tests.factories import FindingFactory, MembershipFactory, VisitFactory

WRITERS = 50
needs_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="SQLite serialises writers by design; parallel writers are tested in CI's PostgreSQL pass.",
)


def client_for(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def run_in_threads(count: int, work: Callable[[int], None], *, timeout: float = 60) -> list[BaseException]:
    """Start `count` threads that begin together; each closes its own connections. Returns the errors raised."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def body(index: int) -> None:
        try:
            barrier.wait(timeout)
            work(index)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return errors


@pytest.fixture
def visit(patient):
    return VisitFactory(patient=patient)


@pytest.fixture
def second_api(clinic):
    colleague = MembershipFactory(clinic=clinic, user__username="sam.colleague").user
    return client_for(Token.objects.create(user=colleague).key)


# --- two clients, one version ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_clients_editing_the_same_version_one_wins_the_other_gets_409(api, second_api, visit):
    finding = FindingFactory(visit=visit, tenderness=6)
    mine = api.patch(f"/api/v1/findings/{finding.pk}/", {"tenderness": 3, "version": 1}, format="json")
    theirs = second_api.patch(f"/api/v1/findings/{finding.pk}/", {"tenderness": 9, "version": 1}, format="json")
    assert mine.status_code == 200 and mine.json()["version"] == 2
    assert theirs.status_code == 409 and "stale version" in theirs.json()["detail"]
    finding.refresh_from_db()
    assert (finding.tenderness, finding.version) == (3, 2)


@pytest.mark.django_db
def test_two_clients_with_the_same_if_match_one_wins_the_other_gets_412(api, second_api, visit):
    finding = FindingFactory(visit=visit, tenderness=6)
    etag = api.get(f"/api/v1/findings/{finding.pk}/")["ETag"]
    mine = api.patch(f"/api/v1/findings/{finding.pk}/", {"notes": "mine"}, format="json", headers={"If-Match": etag})
    theirs = second_api.patch(
        f"/api/v1/findings/{finding.pk}/", {"notes": "theirs"}, format="json", headers={"If-Match": etag}
    )
    assert mine.status_code == 200 and mine["ETag"] == '"2"'
    assert theirs.status_code == 412
    finding.refresh_from_db()
    assert (finding.notes, finding.version) == ("mine", 2)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_patches_with_the_same_version_exactly_one_wins(user, visit):
    finding = FindingFactory(visit=visit, tenderness=6)
    token = Token.objects.create(user=user).key
    answers: dict[int, int] = {}

    def patch(index: int) -> None:
        response = client_for(token).patch(
            f"/api/v1/findings/{finding.pk}/", {"tenderness": index + 1, "version": 1}, format="json"
        )
        answers[index] = response.status_code

    assert run_in_threads(2, patch) == []
    assert sorted(answers.values()) == [200, 409]
    winner = next(index for index, code in answers.items() if code == 200)
    finding.refresh_from_db()
    assert (finding.tenderness, finding.version) == (winner + 1, 2)


# --- many writers ----------------------------------------------------------------------------------------------------


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_read_then_patch_writers_lose_no_update(user, visit):
    """Each writer reads the finding, PATCHes its own mark onto the notes with the version it read, retries on 409.

    The read goes straight to the database (the API's GET is correct but costs as much as the PATCH, and only the
    PATCH is under test); the retry waits a jittered, growing pause as a real client would.
    """
    finding = FindingFactory(visit=visit, notes="")
    token = Token.objects.create(user=user).key
    url = f"/api/v1/findings/{finding.pk}/"
    attempts: list[int] = []

    def append_mark(index: int) -> None:
        client = client_for(token)
        for attempt in range(1, 500):
            notes, version = Finding.objects.values_list("notes", "version").get(pk=finding.pk)
            response = client.patch(url, {"notes": notes + f"[{index:02d}]", "version": version}, format="json")
            if response.status_code == 200:
                attempts.append(attempt)
                return
            assert response.status_code == 409, response.content
            time.sleep(random.uniform(0, 0.05 * 2 ** min(attempt, 5)))
        raise AssertionError(f"writer {index} never got through")

    started = time.perf_counter()
    assert run_in_threads(WRITERS, append_mark, timeout=120) == []
    elapsed = time.perf_counter() - started
    finding.refresh_from_db()
    marks = [finding.notes[i : i + 4] for i in range(0, len(finding.notes), 4)]
    assert sorted(marks) == [f"[{i:02d}]" for i in range(WRITERS)]
    assert finding.version == 1 + WRITERS
    assert len(attempts) == WRITERS
    print(f"\n{WRITERS} writers: {elapsed:.1f} s, {sum(attempts)} attempts, {sum(attempts) - WRITERS} retried on 409")


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_child_creates_on_one_visit_all_land(user, visit):
    """The visit row is locked for each child write (lock_draft), so creates queue up; none is lost or duplicated."""
    token = Token.objects.create(user=user).key
    codes: list[int] = []

    def create(index: int) -> None:
        response = client_for(token).post(
            f"/api/v1/visits/{visit.pk}/findings/",
            {"muscle": "soleus", "side": "left", "location": f"point {index}", "tenderness": index % 11},
            format="json",
        )
        codes.append(response.status_code)

    assert run_in_threads(WRITERS, create, timeout=120) == []
    assert codes == [201] * WRITERS
    rows = Finding.objects.filter(visit=visit)
    assert rows.count() == WRITERS
    assert sorted(rows.values_list("location", flat=True)) == sorted(f"point {i}" for i in range(WRITERS))
    assert set(rows.values_list("version", flat=True)) == {1}
    assert Visit.objects.get(pk=visit.pk).version == visit.version  # children do not bump the visit's version


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_signing_and_charting_never_adds_to_a_signed_visit(user, visit):
    """A child write racing the signature either lands before it or is refused with 409; never after."""
    token = Token.objects.create(user=user).key
    codes: dict[int, int] = {}

    def act(index: int) -> None:
        client = client_for(token)
        if index == 0:
            codes[index] = client.post(f"/api/v1/visits/{visit.pk}/sign/").status_code
            return
        codes[index] = client.post(
            f"/api/v1/visits/{visit.pk}/findings/",
            {"muscle": "soleus", "side": "right", "tenderness": 5, "location": f"p{index}"},
            format="json",
        ).status_code

    assert run_in_threads(20, act) == []
    visit.refresh_from_db()
    assert codes[0] == 200 and visit.is_signed
    assert set(codes.values()) <= {200, 201, 409}
    landed = Finding.objects.filter(visit=visit)
    assert landed.count() == sum(1 for i, c in codes.items() if i and c == 201)
    assert all(row.created_at <= visit.signed_at for row in landed)
    assert connection.vendor == "postgresql"
