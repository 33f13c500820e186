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
