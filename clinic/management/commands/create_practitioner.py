"""python manage.py create_practitioner --clinic NAME --username U --password P [--role owner|practitioner|assistant]"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from clinic.models import Role
from clinic.services import clinic_get_or_create, member_add


class Command(BaseCommand):
    help = "Create the clinic if needed and the user as a member of it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clinic", required=True, help="Clinic name (created if it does not exist).")
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", choices=Role.values, default=Role.PRACTITIONER)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():  # a refused member must not leave a new, empty clinic behind
                clinic, created = clinic_get_or_create(name=options["clinic"])
                membership = member_add(
                    clinic=clinic,
                    username=options["username"],
                    password=options["password"],
                    role=options["role"],
                )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Created' if created else 'Using'} clinic “{clinic.name}”; "
                f"{membership.user.get_username()} is a member ({membership.role})."
            )
        )
