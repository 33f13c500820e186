"""Domain errors raised by services; the API and pages turn them into 409/412 answers.

Validation problems are django.core.exceptions.ValidationError (400, per field).
"""


class ConflictError(Exception):
    """The write cannot be applied to the current state (answers 409)."""

    default_message = "This record cannot be changed in its current state."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)
        self.message = message or self.default_message


class StaleVersionError(ConflictError):
    default_message = (
        "This record was changed by someone else since you loaded it (stale version). "
        "Reload it and apply your change again."
    )


class PreconditionFailedError(ConflictError):
    """A stale If-Match ETag (answers 412)."""

    default_message = "The If-Match precondition failed: the record has changed since that version."


class LockedError(ConflictError):
    default_message = "This visit is signed and read-only; add an addendum instead."
