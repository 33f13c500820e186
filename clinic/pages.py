"""Helpers for server-rendered pages: run a service for a valid form and show its errors on the form."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.forms import BaseForm

from clinic.errors import ConflictError

T = TypeVar("T")


def add_service_errors(form: BaseForm, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form: known fields inline, everything else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            messages = [m for e in errors for m in e.messages]
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


def apply_service(form: BaseForm, call: Callable[[], T]) -> tuple[T | None, int]:
    """(result, HTTP status): 200 on success, 400 with field errors, 409 with the conflict message."""
    try:
        return call(), 200
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None, 400
    except ConflictError as exc:
        form.add_error(None, exc.message)
        return None, 409


def form_data(form: BaseForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}
