"""Read the version a write was based on: the body's `version` or an `If-Match` ETag; emit ETags."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

_ETAG = re.compile(r'^(?:W/)?"(\d{1,9})"$')


def etag_for(version: int) -> str:
    return f'"{version}"'


def expected_version(request: Request, body: dict[str, Any]) -> tuple[int | None, bool]:
    """(version, came_from_if_match). A malformed If-Match is a 400; a stale one is judged later (412)."""
    if_match = request.headers.get("If-Match")
    if if_match:
        match = _ETAG.match(if_match.strip())
        if not match:
            raise ValidationError({"If-Match": 'Send the ETag as received, e.g. "3".'})
        return int(match.group(1)), True
    version = body.get("version")
    return (int(version) if version is not None else None), False


def with_etag(response: Response, version: int) -> Response:
    response["ETag"] = etag_for(version)
    return response
