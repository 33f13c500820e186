"""Read helpers shared by every app's selectors."""

import uuid
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def uuid_or_404(object_id: uuid.UUID | str) -> uuid.UUID:
    """An object id from a URL; a malformed one is a 404 like any id the clinic does not have."""
    try:
        return uuid.UUID(str(object_id))
    except ValueError as exc:
        raise Http404("Not found.") from exc


def get_or_404(queryset: QuerySet[M, Any], object_id: uuid.UUID | str) -> M:
    """One object from an already clinic-scoped queryset, or 404 exactly as if it did not exist."""
    pk = uuid_or_404(object_id)
    try:
        return queryset.get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404("Not found.") from exc
