"""python manage.py load_catalog [--directory DIR]: make the database catalog equal the shipped files."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from catalog import validation
from catalog.models import CatalogEntry, CatalogRelease
from catalog.store import CATALOG_DIR, read_files, sync


class Command(BaseCommand):
    help = "Load the clinical catalog files into the database (idempotent; staff edits are replaced)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", type=Path, default=CATALOG_DIR)

    def handle(self, *args: Any, **options: Any) -> None:
        doc = read_files(options["directory"])
        problems = validation.problems(doc)
        if problems:
            raise CommandError("The catalog has broken cross-references:\n" + "\n".join(problems[:50]))
        with transaction.atomic():
            version = sync(CatalogEntry, CatalogRelease, doc)
        self.stdout.write(self.style.SUCCESS(f"Catalog {version}: {CatalogEntry.objects.count()} entries."))
