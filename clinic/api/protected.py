"""Fields a PATCH can never change: identity, tenancy, authorship and the signature.

A write that tries to change one is refused with 400 naming the field, before anything is parsed or saved, rather
than silently ignored: a client that believes it moved a visit to another patient, or signed it by setting `status`,
learns at once that it did not. A field the API shows may be sent back unchanged (so a GET body can be PATCHed back);
a different value, or a field the API never shows (`clinic`, `created_by`), is refused whatever its value, so a
foreign id and a nonexistent id get the same answer.
"""

from collections.abc import Callable, Mapping
from typing import Any

from rest_framework.exceptions import ValidationError

ALWAYS_PROTECTED = frozenset({"id", "clinic", "created_by", "created_at", "updated_at", "signed_at", "signed_by"})

HINTS = {
    "status": "A visit's status changes only by signing it (POST /api/v1/visits/{id}/sign/).",
    "signed_at": "Set by signing the visit.",
    "signed_by": "Set by signing the visit.",
    "confirmed": "Confirm the plan with POST /api/v1/visits/{id}/plan/confirm/.",
    "patient": "A record stays with its patient; create a new one for another patient.",
    "visit": "A record stays with its visit; chart it again on the other visit.",
}


def _same(sent: Any, shown: Any) -> bool:
    if sent is None or shown is None:
        return sent is None and shown is None
    return str(sent) == str(shown)


def refuse_protected_fields(
    data: Any, *, current: Callable[[], Mapping[str, Any]], extra: frozenset[str] = frozenset()
) -> None:
    """400 naming each protected field in `data` whose value differs from `current()` (the object as the API shows
    it, serialized only when the body names a protected field)."""
    if not isinstance(data, Mapping):
        return  # not an object: the input serializer answers 400 for it
    named = sorted((ALWAYS_PROTECTED | extra) & set(data))
    if not named:
        return
    shown = current()
    errors: dict[str, list[str]] = {}
    for field in named:
        if field in shown and _same(data[field], shown[field]):
            continue
        message = f"This field cannot be changed ({field})."
        errors[field] = [f"{message} {HINTS[field]}" if field in HINTS else message]
    if errors:
        raise ValidationError(errors)
