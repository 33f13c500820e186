"""python manage.py demo: a demo clinic with a practitioner login and patients to explore (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from operations.demo import DEMO_CLINIC, DEMO_PASSWORD, DEMO_USERNAME, load_demo


class Command(BaseCommand):
    help = "Create (or refresh) the demo clinic, its practitioner login and demo patients."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-login", action="store_true", help="Do not print the login.")
        parser.add_argument("--port", type=int, default=8000, help="Port in the printed address (make demo PORT=).")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo clinic “{DEMO_CLINIC}”: {summary}."))
        if not options["quiet_login"]:
            self.stdout.write("")
            self.stdout.write(f"  Open      http://127.0.0.1:{options['port']}/")
            self.stdout.write(f"  Username  {DEMO_USERNAME}")
            self.stdout.write(f"  Password  {DEMO_PASSWORD}")
            self.stdout.write("")
