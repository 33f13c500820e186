"""python manage.py purge_idempotency_keys: delete stored Idempotency-Key answers older than their lifetime (24 h)."""

from typing import Any

from django.core.management.base import BaseCommand

from clinic.idempotency import key_ttl, purge_expired


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than IDEMPOTENCY_KEY_TTL (24 hours). Run it daily (cron or timer)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired()
        self.stdout.write(f"Deleted {deleted} idempotency record(s) older than {key_ttl()}.")
