"""gunicorn worker that leaves a new connection to a worker with room for it.

gunicorn's threaded worker (`gthread`) accepts every connection it is woken for, whatever it already holds, and keeps
a keep-alive connection for as long as the client uses it. All workers wait on the same listening socket, so which
one takes a connection is a race: with 2 workers x 4 threads, a client (a proxy's upstream pool, or the load
benchmark's 8 connections) can end up with 6, 7 or all 8 connections on one worker, whose Python runs on one core
(the GIL) while the other worker and core sit idle, for as long as the connections live (benoitc/gunicorn#3433).

`BalancedThreadWorker` accepts at once while it holds fewer connections than it has threads; when it holds as many
or more, it waits `GUNICORN_ACCEPT_DEFER_MS` (default 5 ms) before accepting, so that a worker with room takes the
connection first (all workers are woken for it; the one that loses the race gets EAGAIN, which gunicorn ignores).
When every worker is full, the connection is still accepted, a few milliseconds later. Only the accept is delayed:
the worker's threads keep serving the connections they hold. Use with
`--worker-class clinic.workers.BalancedThreadWorker --threads N` (README, Deployment).
"""

from __future__ import annotations

import gc
import os
import socket
import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker


def accept_defer_seconds() -> float:
    return float(os.environ.get("GUNICORN_ACCEPT_DEFER_MS", "5")) / 1000


class BalancedThreadWorker(ThreadWorker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accept_defer = accept_defer_seconds()

    def accept(self, server: Any, listener: socket.socket) -> None:
        if self.nr_conns >= self.cfg.threads and self.accept_defer > 0:
            time.sleep(self.accept_defer)  # another worker with a free thread takes it meanwhile (EAGAIN here)
        super().accept(server, listener)


def settle_heap() -> None:
    """Load the URLconf (and with it every view module), collect, and move everything alive into the garbage
    collector's permanent generation (`gc.freeze()`), once per worker (gunicorn.conf.py, post_worker_init).

    A worker starts with about 120,000 objects that live as long as it does (Django, DRF, the views and the libraries
    they import), and every full collection walked them all again, stalling all of the worker's threads meanwhile
    (50 ms for one at start on the benchmark machine). Under the load benchmark a worker ran 11 full collections
    averaging 110 ms (up to 200 ms); with the start-up heap frozen, 31 averaging 15 ms (up to 90 ms), a third of the
    time in all.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every view module now, not under the first request)
    gc.collect()
    gc.freeze()
