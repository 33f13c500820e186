from typing import Any

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Clinical catalog"

    def ready(self) -> None:
        """An edit saved in this process (admin, load_catalog) is read at once: the cached catalog is forgotten."""
        from django.db.models.signals import post_delete, post_save

        from catalog.models import CatalogEntry, CatalogRelease
        from catalog.store import forget_cached_catalog

        def forget(**kwargs: Any) -> None:
            forget_cached_catalog()

        for model in (CatalogEntry, CatalogRelease):
            post_save.connect(forget, sender=model, weak=False, dispatch_uid=f"forget-catalog-{model.__name__}")
            post_delete.connect(forget, sender=model, weak=False, dispatch_uid=f"forget-catalog-del-{model.__name__}")
