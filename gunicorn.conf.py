"""gunicorn's settings for this application (gunicorn reads ./gunicorn.conf.py; command-line flags override it).

One worker process per core, each with threads: gunicorn's own threaded worker (gthread).
"""

import gc
import os

workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))


def post_worker_init(worker: object) -> None:
    """Load every view module now, then move what the worker holds for its whole life (Django, DRF, the views and
    their libraries) into the garbage collector's permanent generation, so that later full collections do not walk
    it again (`gc.freeze()`, Python's documented advice for forking servers; `post_worker_init` is gunicorn's hook)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every view module before the first request)
    gc.collect()
    gc.freeze()
