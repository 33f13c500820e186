from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the clinic's service: one clinic's export and import, the demo clinic, and the owner's audit trail page
    (events with their patients' names). It stands above every app, as it reads and writes the rows of all of them."""

    name = "operations"
    verbose_name = "Operations"
