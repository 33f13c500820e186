"""python manage.py clinic_import FILE.json [--into-new-db]"""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from operations.backup import BackupError, import_document, read_document


class Command(BaseCommand):
    help = (
        "Restore one clinic from a clinic_export file, in one transaction: ids, versions, times and signatures as "
        "they were. Refuses a clinic that already exists, and a file whose counts or checksum do not match."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--into-new-db", action="store_true", help="Refuse unless this database holds no clinic at all."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            result = import_document(read_document(Path(options["file"])), into_new_db=options["into_new_db"])
        except BackupError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        for name, count in result.digest.counts.items():
            self.stdout.write(f"  {name:<16} {count:>8}")
        if result.users_created:
            self.stdout.write(f"Users created: {', '.join(result.users_created)}")
        if result.users_reused:
            self.stdout.write(f"Existing users reused (same username): {', '.join(result.users_reused)}")
        if result.catalog_release != result.catalog_release_here:
            self.stdout.write(
                self.style.WARNING(
                    f"The clinic was charted against catalog release {result.catalog_release!r}; this server has "
                    f"{result.catalog_release_here!r}. Plans keep the release they were built with."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported clinic “{result.clinic.name}” ({time.perf_counter() - started:.2f} s); counts and "
                f"checksum verified: sha256:{result.digest.checksum}"
            )
        )
