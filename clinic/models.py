"""Clinics, memberships and the base every clinic-owned record builds on.

Every clinical or patient table carries its clinic key directly (not only through a parent), so every query can be
scoped by one indexed column and the data can later be distributed by clinic.
"""

import uuid
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils import timezone

from clinic.validators import valid_time_zone


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    PRACTITIONER = "practitioner", "Practitioner"
    ASSISTANT = "assistant", "Assistant"


class PaperSize(models.TextChoices):
    A4 = "A4", "A4"
    LETTER = "LETTER", "Letter"


def default_time_zone() -> str:
    """A new clinic's time zone: the server's (settings.TIME_ZONE), else UTC."""
    return getattr(settings, "TIME_ZONE", None) or "UTC"


class Clinic(models.Model):
    """A clinic. Its `time_zone` is the one its requests run in (clinic.tenancy.ClinicTimeZoneMiddleware): "today" for
    visit dates, the not-in-the-future checks and the documents' dates, and every time shown on its pages."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    paper_size = models.CharField(max_length=6, choices=PaperSize.choices, default=PaperSize.A4)
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[valid_time_zone],
        help_text="The clinic's IANA time zone, e.g. Europe/London: its today and the times on its pages.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place in one clinic. A user may belong to several clinics and acts for one at a time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["clinic__name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "clinic"], name="membership_unique_user_clinic"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.clinic} ({self.role})"


class ClinicScopedQuerySet(models.QuerySet[Any]):
    """The one place queries are narrowed to a clinic."""

    def for_clinic(self, clinic: Clinic) -> Self:
        return self.filter(clinic=clinic)

    def for_clinic_id(self, clinic_id: uuid.UUID) -> Self:
        return self.filter(clinic_id=clinic_id)


class ClinicScopedModel(models.Model):
    """Base for every record that belongs to a clinic: opaque UUID id, clinic key, authorship, version.

    `version` is the optimistic-concurrency counter: every write increments it and a write carrying an older
    value is refused (see clinic.concurrency).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class LoginSession(models.Model):
    """One row per signed-in browser session: which session keys belong to which user (clinic.auth).

    Recorded at sign-in, removed at sign-out, so that deactivating a user can end exactly their sessions (one indexed
    lookup) instead of decoding every session in the store. Rows older than the absolute session timeout are pruned at
    the user's next sign-in (their sessions have ended anyway).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"session of user {self.user_id} since {self.created_at:%Y-%m-%d %H:%M}"


class AuditAction(models.TextChoices):
    READ = "read", "Read"
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    ARCHIVE = "archive", "Archive"
    SIGN = "sign", "Sign"
    EXPORT = "export", "Export"
    DOCUMENT = "document", "Document issued"
    LOGIN = "login", "Sign-in"


class AuditOutcome(models.TextChoices):
    """What became of the attempt, from the HTTP status (clinic.audit.outcome_of)."""

    SUCCESS = "success", "Success"  # 2xx, 3xx of a signed-in user
    DENIED = "denied", "Denied"  # 401, 403, 429, or a sign-in redirect of an anonymous request
    NOT_FOUND = "not_found", "Not found"  # 404: absent, or another clinic's
    INVALID = "invalid", "Invalid"  # other 4xx: bad input, conflict, stale version, method not allowed
    ERROR = "error", "Error"  # 5xx


class AuditTrailIsAppendOnly(Exception):
    """Audit events are written once and never changed or removed."""

    def __init__(self, operation: str) -> None:
        super().__init__(f"The audit trail is append-only: {operation} refused.")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditTrailIsAppendOnly("update")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("delete")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AuditTrailIsAppendOnly("update")

    def _raw_delete(self, using: Any) -> int:
        raise AuditTrailIsAppendOnly("delete")


class AuditEvent(models.Model):
    """One access to patient data: who, for which clinic and patient, what, how it ended, when (UTC), from where.

    Append-only twice over: this model refuses to change or delete a saved row, and database triggers (migration
    clinic/0003_auditevent) refuse UPDATE and DELETE of the table. Never holds names or request bodies: only ids,
    the route name (not the URL, whose query string may hold a name) and the method.
    Written by clinic.audit (the middleware for requests, clinic.audit.record for everything else).
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=timezone.now, editable=False)
    # Users are deactivated, never deleted: PROTECT keeps every event attributable.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    patient_id = models.UUIDField(null=True, blank=True, editable=False)
    object_type = models.CharField(max_length=40, blank=True, editable=False)
    object_id = models.UUIDField(null=True, blank=True, editable=False)
    action = models.CharField(max_length=12, choices=AuditAction.choices, editable=False)
    outcome = models.CharField(max_length=12, choices=AuditOutcome.choices, editable=False)
    status = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    method = models.CharField(max_length=10, blank=True, editable=False)
    route = models.CharField(max_length=100, blank=True, editable=False)
    client = models.GenericIPAddressField(null=True, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["clinic", "-at"], name="audit_clinic_at"),
            models.Index(fields=["clinic", "patient_id", "-at"], name="audit_clinic_patient_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("update")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("delete")


class IdempotencyRecord(models.Model):
    """One POST to the API sent with an `Idempotency-Key`: claimed before the request runs, then its stored answer.

    The unique (user, clinic, key) row is the claim: a retry finds it and gets the stored answer back instead of running
    the request again (clinic.idempotency). `owner` names the request holding an unfinished claim; records are purged
    after a day (`manage.py purge_idempotency_keys`).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body.")
    owner = models.UUIDField(default=uuid.uuid4)
    created_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_headers: Any = models.JSONField(default=dict, blank=True)
    response_body = models.BinaryField(default=b"", blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "clinic", "key"], name="idempotency_unique_user_clinic_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status_code or 'in flight'})"
