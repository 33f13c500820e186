"""Field validators shared by every clinic-owned model."""

import datetime
import zoneinfo
from collections.abc import Callable
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone

no_nul = ProhibitNullCharactersValidator()


def not_in_future(value: datetime.date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError("This date is in the future.", code="future_date")


@cache
def time_zone_names() -> frozenset[str]:
    """The IANA time zone names this system knows (the tz database of the OS, or the tzdata package)."""
    return frozenset(zoneinfo.available_timezones())


def valid_time_zone(value: str) -> None:
    """An IANA time zone name, e.g. "Europe/London", "Pacific/Auckland", "America/Los_Angeles"."""
    if value not in time_zone_names():
        raise ValidationError(
            "“%(value)s” is not a time zone: use an IANA name such as Europe/London or America/New_York.",
            code="invalid_time_zone",
            params={"value": value},
        )


def plausible_birth_date(value: datetime.date | None) -> None:
    if value is not None and value < datetime.date(1900, 1, 1):
        raise ValidationError("A birth date before 1900 is not plausible.", code="implausible_date")


def no_lone_surrogates(value: str) -> None:
    """Text must be valid Unicode that can be stored and printed (lone surrogates cannot)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError("Text contains invalid characters.", code="invalid_text") from exc


TEXT_VALIDATORS: list[Callable[[Any], None]] = [no_nul, no_lone_surrogates]
