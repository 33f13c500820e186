"""Map domain errors to HTTP answers: validation 400 per field, conflicts 409, stale If-Match 412."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from clinic.errors import ConflictError, PreconditionFailedError


def validation_error_body(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        body: dict[str, list[str]] = {}
        for field, errors in exc.error_dict.items():
            key = "non_field_errors" if field == "__all__" else field
            body.setdefault(key, []).extend(str(message) for e in errors for message in e.messages)
        return body
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PreconditionFailedError):
        return Response({"detail": exc.message}, status=status.HTTP_412_PRECONDITION_FAILED)
    if isinstance(exc, ConflictError):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)
