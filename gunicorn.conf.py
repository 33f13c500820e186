"""gunicorn's settings for this application (gunicorn reads ./gunicorn.conf.py; command-line flags override it).

One worker process per core, each with threads, and the worker class that shares keep-alive connections between the
workers instead of letting one worker take most of them (clinic/workers.py; README "Production").
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
worker_class = "clinic.workers.BalancedThreadWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))


def post_worker_init(worker: object) -> None:
    from clinic.workers import settle_heap

    settle_heap()
