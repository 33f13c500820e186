"""The API's JSON parser: DRF's strict parser (NaN and Infinity are parse errors) plus hostile-input limits.

- Text that cannot be stored or printed is refused before any serializer sees it: a NUL character (PostgreSQL text and
  jsonb cannot hold it) or an unpaired surrogate such as the JSON escape "\\ud800" (not encodable as UTF-8). The answer
  is a 400 naming the top-level field (`{"notes": ["..."]}`), or `non_field_errors` for an object key.
- An object with more than DATA_UPLOAD_MAX_NUMBER_FIELDS keys is refused (400), as Django refuses such a form.
- JSON nested so deeply that Python's decoder gives up (RecursionError, a 500 in DRF) is a parse error (400).
"""

from typing import Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

INVALID_TEXT = "Text contains invalid characters (a NUL character or an unpaired surrogate)."


def _is_bad_text(value: str) -> bool:
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _contains_bad_text(value: Any) -> bool:
    if isinstance(value, str):
        return _is_bad_text(value)
    if isinstance(value, list):
        return any(_contains_bad_text(item) for item in value)
    if isinstance(value, dict):
        return any(_is_bad_text(key) or _contains_bad_text(item) for key, item in value.items())
    return False


def _too_many_keys(value: Any, limit: int) -> bool:
    if isinstance(value, dict):
        return len(value) > limit or any(_too_many_keys(item, limit) for item in value.values())
    if isinstance(value, list):
        return any(_too_many_keys(item, limit) for item in value)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            if limit is not None and _too_many_keys(data, limit):
                raise ParseError(f"Too many fields: a JSON object may have at most {limit} keys.")
            bad_text = _contains_bad_text(data)
        except RecursionError as exc:
            raise ParseError("JSON parse error - nested too deeply.") from exc
        if not bad_text:
            return data
        errors: dict[str, list[str]] = {}
        if isinstance(data, dict):
            for key, value in data.items():
                if _is_bad_text(key):
                    errors.setdefault("non_field_errors", []).append(f"A field name: {INVALID_TEXT}")
                elif _contains_bad_text(value):
                    errors[key] = [INVALID_TEXT]
        raise ValidationError(errors or {"non_field_errors": [INVALID_TEXT]})
