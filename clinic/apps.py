from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinics and access"

    def ready(self) -> None:
        from clinic.auth import connect_signals

        connect_signals()
