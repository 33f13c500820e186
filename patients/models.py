"""Patients, the stressors in their lives and their old injuries (painful or not).

Records are archived, never deleted: clinical history is never lost (style.md principle 5).
"""

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from catalog.vocabulary import (
    HistoryWord,
    Side,
    history_words,
    stressor_kind_label,
    validate_stressor_kind,
    validate_zone,
    zone_label,
)
from clinic.models import ClinicScopedModel
from clinic.validators import TEXT_VALIDATORS, not_in_future, plausible_birth_date


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNDISCLOSED = "undisclosed", "Not stated"


class Patient(ClinicScopedModel):
    first_name = models.CharField(max_length=100, validators=TEXT_VALIDATORS)
    last_name = models.CharField(max_length=100, validators=TEXT_VALIDATORS)
    date_of_birth = models.DateField(null=True, blank=True, validators=[not_in_future, plausible_birth_date])
    sex = models.CharField(max_length=12, choices=Sex.choices, default=Sex.UNDISCLOSED)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True, validators=TEXT_VALIDATORS)
    occupation = models.CharField(max_length=200, blank=True, validators=TEXT_VALIDATORS)
    activities = models.TextField(max_length=2000, blank=True, validators=TEXT_VALIDATORS)
    notes = models.TextField(max_length=10000, blank=True, validators=TEXT_VALIDATORS)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The clinical data stamp: raised in the transaction of every write to the patient, their stressors and injuries,
    # any of their visits and what is charted in them (patients.stamp.patient_data_changed). Computed reads are cached
    # under it (assessments.cache), so a write makes every cached answer about the patient unreachable at once.
    data_version = models.PositiveBigIntegerField(default=0, db_default=0, editable=False)

    class Meta:
        ordering: ClassVar = ["last_name", "first_name", "id"]
        indexes: ClassVar = [
            # The list and the name search of a clinic's live patients, in list order; the count runs as an
            # index-only scan. A rare word of 3+ characters is found through the clinic's trigram indexes instead
            # (PostgreSQL only: migrations 0003-0004 make them, 0005 the statistics that let the planner choose them).
            models.Index(
                fields=["clinic", "last_name", "first_name", "id"],
                condition=models.Q(archived_at__isnull=True),
                name="patient_clinic_name_live",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Stressor(ClinicScopedModel):
    """Something in the patient's life that keeps trigger points coming back (catalog `stressors`, seed_000/001)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="stressors")
    kind = models.CharField(max_length=64, validators=[validate_stressor_kind])
    category = models.CharField(max_length=64, editable=False)
    detail = models.TextField(max_length=2000, blank=True, validators=TEXT_VALIDATORS)
    severity = models.PositiveSmallIntegerField(default=2, validators=[MinValueValidator(1), MaxValueValidator(3)])
    onset = models.DateField(null=True, blank=True, validators=[not_in_future])
    resolved_on = models.DateField(null=True, blank=True, validators=[not_in_future])
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering: ClassVar = ["resolved_on", "-severity", "kind", "id"]
        indexes: ClassVar = [models.Index(fields=["clinic", "patient"], name="stressor_clinic_patient")]

    def __str__(self) -> str:
        return self.kind

    @property
    def kind_label(self) -> str:
        return stressor_kind_label(self.kind)

    @property
    def category_label(self) -> str:
        return self.category.replace("_", " ")

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.onset and self.resolved_on and self.resolved_on < self.onset:
            raise ValidationError({"resolved_on": "A stressor cannot be resolved before its onset."})


class Injury(ClinicScopedModel):
    """An old injury anywhere in the body, painful now or not (kinetic-chain links KC-X1, KC-X2)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="injuries")
    zone = models.CharField(max_length=64, validators=[validate_zone])
    side = models.CharField(max_length=10, choices=Side.choices)
    occurred_on = models.DateField(null=True, blank=True, validators=[not_in_future, plausible_birth_date])
    description = models.TextField(max_length=2000, blank=True, validators=TEXT_VALIDATORS)
    painful_now = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering: ClassVar = ["-occurred_on", "zone", "id"]
        indexes: ClassVar = [models.Index(fields=["clinic", "patient"], name="injury_clinic_patient")]
        verbose_name_plural = "injuries"

    def __str__(self) -> str:
        return f"{self.zone} ({self.side})"

    @property
    def zone_label(self) -> str:
        return zone_label(self.zone)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        patient = self.patient if self.patient_id else None
        if patient and patient.date_of_birth and self.occurred_on and self.occurred_on < patient.date_of_birth:
            raise ValidationError({"occurred_on": "An injury cannot predate the patient's birth."})


class PriorTreatment(ClinicScopedModel):
    """A prior or current treatment for the complaint (issue 23): what (the catalog's history vocabulary
    ``treatments``), where, since when, how often and how hard, and how the patient responded. Current until
    ``ended_on``; daily hard self-rolling on the painful spot feeds HX-07 (over-aggressive treatment, seed_001)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="treatments")
    kind = models.CharField(max_length=32, validators=[HistoryWord("treatments")])
    zone = models.CharField(max_length=64, blank=True, validators=[validate_zone])
    side = models.CharField(max_length=10, choices=Side.choices, blank=True, default="")
    since = models.DateField(null=True, blank=True, validators=[not_in_future])
    ended_on = models.DateField(null=True, blank=True, validators=[not_in_future])
    frequency = models.CharField(max_length=16, blank=True, validators=[HistoryWord("frequencies")])
    intensity = models.CharField(max_length=16, blank=True, validators=[HistoryWord("intensities")])
    response = models.CharField(max_length=16, blank=True, validators=[HistoryWord("responses")])
    detail = models.TextField(max_length=2000, blank=True, validators=TEXT_VALIDATORS)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering: ClassVar = ["ended_on", "-since", "kind", "id"]
        indexes: ClassVar = [models.Index(fields=["clinic", "patient"], name="treatment_clinic_patient")]

    def __str__(self) -> str:
        return self.kind

    @property
    def kind_label(self) -> str:
        return history_words("treatments").get(self.kind, self.kind)

    @property
    def how(self) -> str:
        """Where, how often, how hard and how it went, as the practitioner reads it ("heel, daily, hard: no change")."""
        parts = [zone_label(self.zone).lower()] if self.zone else []
        parts += [
            history_words(vocabulary).get(value, value).lower()
            for vocabulary, value in (("frequencies", self.frequency), ("intensities", self.intensity))
            if value
        ]
        text = ", ".join(parts)
        if self.response:
            text += f"{': ' if text else ''}{history_words('responses').get(self.response, self.response).lower()}"
        return text

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.since and self.ended_on and self.ended_on < self.since:
            raise ValidationError({"ended_on": "A treatment cannot end before it began."})
        patient = self.patient if self.patient_id else None
        if patient and patient.date_of_birth and self.since and self.since < patient.date_of_birth:
            raise ValidationError({"since": "A treatment cannot predate the patient's birth."})
