from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service: one clinic's export and import, and the demo clinic. It stands above every app, as it
    reads and writes the rows of all of them."""

    name = "operations"
    verbose_name = "Operations"
