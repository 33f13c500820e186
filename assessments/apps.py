from typing import Any

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments and clinical catalog"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from assessments.catalog_store import forget_cached_catalog
        from assessments.models import CatalogEntry, CatalogRelease

        def forget(**kwargs: Any) -> None:
            forget_cached_catalog()

        for model in (CatalogEntry, CatalogRelease):
            post_save.connect(forget, sender=model, weak=False, dispatch_uid=f"forget-catalog-{model.__name__}")
            post_delete.connect(forget, sender=model, weak=False, dispatch_uid=f"forget-catalog-del-{model.__name__}")
