"""Clinics, memberships and the base every clinic-owned record builds on.

Every clinical or patient table carries its clinic key directly (not only through a parent), so every query can be
scoped by one indexed column and the data can later be distributed by clinic.
"""

import uuid
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    PRACTITIONER = "practitioner", "Practitioner"
    ASSISTANT = "assistant", "Assistant"


class PaperSize(models.TextChoices):
    A4 = "A4", "A4"
    LETTER = "LETTER", "Letter"


class Clinic(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    paper_size = models.CharField(max_length=6, choices=PaperSize.choices, default=PaperSize.A4)
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
