"""clinic.workers.BalancedThreadWorker under a real gunicorn: keep-alive connections opened together are shared
between the workers instead of piling onto whichever worker wins the accept race."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic.workers import BalancedThreadWorker, accept_defer_seconds

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(sock: socket.socket) -> str:
    """One keep-alive request on an open connection; the body is the serving worker's process id."""
    sock.sendall(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < length(data):
        chunk = sock.recv(4096)
        if not chunk:
            raise AssertionError(f"connection closed: {data!r}")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 200"), head
    assert b"connection: close" not in head.lower(), head  # kept alive
    return body.decode()


def length(data: bytes) -> int:
    head = data.split(b"\r\n\r\n", 1)[0].decode()
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            return int(value)
    return 1 << 30


@contextlib.contextmanager
def server(worker_class: str, *, workers: int, threads: int) -> Iterator[int]:
    port = free_port()
    command = [
        # not the project's gunicorn.conf.py (its hooks are for the Django application)
        sys.executable, "-m", "gunicorn", "tests.clinic.pid_wsgi", "--config", os.devnull,
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
        "--worker-class", worker_class, "--keep-alive", "30", "--log-level", "warning",
    ]  # fmt: skip
    # A long deferral makes the test independent of how quickly the other worker wakes on a busy machine.
    env = {**os.environ, "GUNICORN_ACCEPT_DEFER_MS": "300"}
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        pids: set[str] = set()
        deadline = time.monotonic() + 30
        while len(pids) < workers:  # every worker up and serving
            assert process.poll() is None, "gunicorn exited"
            assert time.monotonic() < deadline, "gunicorn's workers did not all answer within 30 s"
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                pids.add(get(sock))
            time.sleep(0.05)
        time.sleep(0.5)  # the probes' connections closed on the workers' side
        yield port
    finally:
        process.terminate()  # the master stops its workers
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the master and its workers (a session of their own)
            process.wait()


def split(port: int, connections: int) -> list[int]:
    """Open `connections` connections back to back, then ask each which worker holds it."""
    socks = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(connections)]
    try:
        counts = Counter(get(sock) for sock in socks)
        # the connections stay on their workers: a second round on each gives the same processes
        assert Counter(get(sock) for sock in socks) == counts
        return sorted(counts.values())
    finally:
        for sock in socks:
            sock.close()


def test_connections_opened_together_are_shared_between_the_workers():
    with server("clinic.workers.BalancedThreadWorker", workers=2, threads=2) as port:
        for _ in range(3):
            assert split(port, 4) == [2, 2]
            time.sleep(0.5)  # the workers see the closes before the next round


def test_when_every_worker_is_full_a_connection_is_still_served():
    with server("clinic.workers.BalancedThreadWorker", workers=2, threads=1) as port:
        assert split(port, 5) in ([2, 3], [1, 4])


def test_the_deferral_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GUNICORN_ACCEPT_DEFER_MS", "12")
    assert accept_defer_seconds() == pytest.approx(0.012)
    monkeypatch.delenv("GUNICORN_ACCEPT_DEFER_MS")
    assert accept_defer_seconds() == pytest.approx(0.005)
    assert issubclass(BalancedThreadWorker, __import__("gunicorn.workers.gthread").workers.gthread.ThreadWorker)


def test_settling_the_heap_loads_the_views_and_freezes_what_is_alive():
    import gc

    from django.urls import clear_url_caches, get_resolver

    from clinic.workers import settle_heap

    clear_url_caches()
    gc.unfreeze()
    try:
        settle_heap()
        assert "url_patterns" in get_resolver().__dict__  # the URLconf (every view module) is loaded
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
