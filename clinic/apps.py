from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinics and access"

    def ready(self) -> None:
        from clinic.audit.db import register_sqlite_function
        from clinic.auth import connect_signals

        connect_signals()
        connection_created.connect(register_sqlite_function, dispatch_uid="clinic.audit.sqlite_function")
