from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        """The engine reads the catalog: an edit or a load it could not reason with is refused (catalog.validation)."""
        from assessments.mappers import catalog_problems
        from catalog import validation

        validation.register(catalog_problems)
