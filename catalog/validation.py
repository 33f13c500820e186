"""What the catalog's readers need of it: an edit or a load that breaks it for any reader is refused.

The catalog is reference data for the apps above it; it does not know them. A reader that needs more of a catalog
document than its shape (the reasoning engine needs every cross-reference to hold: a rule cannot name a muscle, zone
or source that does not exist) registers a check when its app is ready (assessments.apps). The admin holds every
edit, and `manage.py load_catalog` the shipped files, against every registered check before anything is saved.
"""

from collections.abc import Callable
from typing import Any

Check = Callable[[dict[str, Any]], list[str]]
"""A catalog document (file stem -> JSON, as catalog.store.join gives it) in, readable problems out (none: it reads)."""

_checks: list[Check] = []


def register(check: Check) -> None:
    """Hold every later edit and load against `check` (registering it again changes nothing)."""
    if check not in _checks:
        _checks.append(check)


def problems(document: dict[str, Any]) -> list[str]:
    """Every problem a registered reader finds in the document; a malformed one may raise KeyError, TypeError,
    ValueError or AttributeError from the reader that could not read it."""
    return [problem for check in _checks for problem in check(document)]
