"""Read helpers shared by every app's selectors."""

import uuid
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def get_or_404(queryset: QuerySet[M, Any], object_id: uuid.UUID | str) -> M:
    """One object from an already clinic-scoped queryset, or 404 exactly as if it did not exist."""
    try:
        return queryset.get(pk=uuid.UUID(str(object_id)))
    except (ValueError, ObjectDoesNotExist) as exc:
        raise Http404("Not found.") from exc
