"""Optimistic concurrency: a write names the version it was based on and is refused if that is stale.

The check and the increment happen in one conditional UPDATE, so two writers holding the same version can never
both succeed, on SQLite or PostgreSQL.
"""

from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from clinic.errors import PreconditionFailedError, StaleVersionError
from clinic.models import ClinicScopedModel

M = TypeVar("M", bound=ClinicScopedModel)


def check_version(instance: ClinicScopedModel, expected: int | None, *, from_if_match: bool = False) -> None:
    if expected is not None and expected != instance.version:
        raise PreconditionFailedError() if from_if_match else StaleVersionError()


@transaction.atomic
def versioned_update(
    instance: M, changes: dict[str, Any], *, expected_version: int | None, from_if_match: bool = False
) -> M:
    """Apply `changes` to `instance` if it is still at `expected_version` (None: no check); validate first.

    Raises ValidationError (nothing saved), StaleVersionError (409) or PreconditionFailedError (412).
    """
    check_version(instance, expected_version, from_if_match=from_if_match)
    for field, value in changes.items():
        setattr(instance, field, value)
    instance.full_clean()
    now = timezone.now()
    manager: models.Manager[Any] = type(instance)._default_manager
    updated = manager.filter(pk=instance.pk, version=instance.version).update(
        **{field: getattr(instance, field) for field in changes}, version=F("version") + 1, updated_at=now
    )
    if updated != 1:
        raise PreconditionFailedError() if from_if_match else StaleVersionError()
    instance.version += 1
    instance.updated_at = now
    return instance
