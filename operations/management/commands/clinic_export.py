"""python manage.py clinic_export --clinic <id or name> --output FILE.json [--include-password-hashes]"""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clinic.audit import record
from clinic.models import AuditAction, AuditOutcome, Clinic
from operations.backup import BackupError, export_to_file, find_clinic


def _audit_export(*, clinic: Clinic, outcome: str) -> None:
    """The export is an access to every patient of the clinic: one audit event (no user: it runs from the shell)."""
    record(
        user=None,
        clinic=clinic,
        action=AuditAction.EXPORT,
        outcome=outcome,
        object_type="clinic",
        object_id=clinic.id,
        route="command:clinic_export",
    )


class Command(BaseCommand):
    help = (
        "Export one clinic (patients, visits and everything charted, plans, addenda, documents issued, members) as a "
        "portable JSON document with per-table counts and a SHA-256 checksum. Restore it with clinic_import."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clinic", required=True, help="The clinic's id or exact name.")
        parser.add_argument("--output", required=True, type=Path, help="File to write (created with mode 0600).")
        parser.add_argument(
            "--include-password-hashes",
            action="store_true",
            help="Also export members' password hashes and active flags, so they can sign in after import. "
            "Without it imported users are inactive until an administrator sets a password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        with_secrets: bool = options["include_password_hashes"]
        started = time.perf_counter()
        try:
            clinic = find_clinic(options["clinic"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        try:
            digest = export_to_file(clinic, path, with_secrets=with_secrets)
        except (BackupError, OSError) as exc:
            _audit_export(clinic=clinic, outcome=AuditOutcome.ERROR)
            raise CommandError(str(exc)) from exc
        _audit_export(clinic=clinic, outcome=AuditOutcome.SUCCESS)
        for name, count in digest.counts.items():
            self.stdout.write(f"  {name:<16} {count:>8}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported clinic “{clinic.name}” to {path} ({path.stat().st_size} bytes, "
                f"{time.perf_counter() - started:.2f} s); checksum sha256:{digest.checksum}"
            )
        )
