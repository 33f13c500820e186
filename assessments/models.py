"""What the practitioner charts: visits and what is recorded in them, plans, and the documents handed out.

Charting fields take their vocabularies (sides, zones, muscles) from the clinical catalog (catalog.vocabulary).
"""

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from catalog.vocabulary import HistoryWord, Side, validate_muscle, validate_zone
from clinic.models import ClinicScopedModel
from clinic.validators import TEXT_VALIDATORS, not_in_future


class VisitKind(models.TextChoices):
    INITIAL = "initial", "Initial"
    FOLLOW_UP = "follow_up", "Follow-up"


class VisitStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class FindingStatus(models.TextChoices):
    """Delphi2018: an ACTIVE trigger point is one that reproduces the patient's familiar pain (`Finding.recognized`),
    a LATENT one does not; UNKNOWN when the practitioner is not sure. So `recognized` is true exactly when the status is
    active (familiar_pain_signs)."""

    ACTIVE = "active", "Active (reproduces the familiar pain)"
    LATENT = "latent", "Latent"
    UNKNOWN = "unknown", "Unknown"


class Technique(models.TextChoices):
    HOLD = "hold", "Hold"
    CIRCULAR = "circular", "Circular rub"
    BACK_AND_FORTH = "back_and_forth", "Back and forth"
    STROKING = "stroking", "Stroking"
    TOOL = "tool", "Tool"


class Response(models.TextChoices):
    RELEASED = "released", "Released"
    IMPROVED = "improved", "Improved"
    UNCHANGED = "unchanged", "Unchanged"
    WORSE = "worse", "Worse"


class TestPhase(models.TextChoices):
    PRE = "pre", "Before treatment"
    POST = "post", "After treatment"


class TestResult(models.TextChoices):
    NORMAL = "normal", "Normal"
    INHIBITED = "inhibited", "Inhibited"
    FACILITATED = "facilitated", "Facilitated"
    NOT_TESTED = "not_tested", "Not tested"


class ScreenResult(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    POSITIVE = "positive", "Positive"
    NOT_DONE = "not_done", "Not done"


class Measure(models.TextChoices):
    NPRS = "nprs", "NPRS (pain 0-10)"
    PSFS = "psfs", "PSFS (function 0-10)"
    LEFS = "lefs", "LEFS (0-80)"
    NDI = "ndi", "NDI (0-50)"
    ODI = "odi", "ODI (0-100 %)"
    PPT = "ppt", "PPT (kg/cm²)"
    ROM = "rom", "ROM (degrees)"


class Visit(ClinicScopedModel):
    """One visit of one patient. Signed visits are read-only; addenda keep the original intact."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(validators=[not_in_future])
    kind = models.CharField(max_length=12, choices=VisitKind.choices, default=VisitKind.INITIAL)
    chief_complaint = models.CharField(max_length=500, blank=True, validators=TEXT_VALIDATORS)
    notes = models.TextField(max_length=10000, blank=True, validators=TEXT_VALIDATORS)
    status = models.CharField(max_length=8, choices=VisitStatus.choices, default=VisitStatus.DRAFT, editable=False)
    signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering: ClassVar = ["-date", "-created_at"]
        indexes: ClassVar = [models.Index(fields=["clinic", "patient", "date"], name="visit_clinic_patient_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"

    @property
    def is_signed(self) -> bool:
        return self.status == VisitStatus.SIGNED


class VisitChild(ClinicScopedModel):
    """Something charted in a visit; read-only once the visit is signed."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="+")
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class PainSite(VisitChild):
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="pain_sites")
    zone = models.CharField(max_length=64, validators=[validate_zone])
    side = models.CharField(max_length=10, choices=Side.choices)
    nprs = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(10)])
    primary = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar = ["-primary", "created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["visit", "zone", "side"], condition=Q(archived_at__isnull=True), name="painsite_unique"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["clinic", "visit"], name="painsite_clinic_visit")]

    def __str__(self) -> str:
        return f"{self.zone} ({self.side})"


class Finding(VisitChild):
    """A palpation finding in one muscle and side (chart the signs separately: Delphi2018)."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="findings")
    muscle = models.CharField(max_length=64, validators=[validate_muscle])
    side = models.CharField(max_length=10, choices=Side.choices)
    location = models.CharField(max_length=200, blank=True, validators=TEXT_VALIDATORS)
    tenderness = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])  # always given: no default
    taut_band = models.BooleanField(default=False)
    nodule = models.BooleanField(default=False)
    twitch_response = models.BooleanField(default=False)
    referral_zones: Any = models.JSONField(default=list, blank=True)
    recognized = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=FindingStatus.choices, default=FindingStatus.UNKNOWN)
    treated = models.BooleanField(default=False)
    technique = models.CharField(max_length=16, choices=Technique.choices, null=True, blank=True)
    response = models.CharField(max_length=10, choices=Response.choices, null=True, blank=True)
    notes = models.TextField(max_length=2000, blank=True, validators=TEXT_VALIDATORS)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["visit", "muscle", "side", "location"],
                condition=Q(archived_at__isnull=True),
                name="finding_unique_point",
            )
        ]
        indexes: ClassVar = [models.Index(fields=["clinic", "visit"], name="finding_clinic_visit")]

    def __str__(self) -> str:
        return f"{self.muscle} ({self.side})"

    def clean(self) -> None:
        if not isinstance(self.referral_zones, list) or not all(isinstance(z, str) for z in self.referral_zones):
            raise ValidationError({"referral_zones": "A list of zone slugs."})
        if len(self.referral_zones) > 30 or len(set(self.referral_zones)) != len(self.referral_zones):
            raise ValidationError({"referral_zones": "At most 30 different zones."})
        for zone in self.referral_zones:
            validate_zone_field(zone, "referral_zones")
        if self.response and not self.treated:
            raise ValidationError({"response": "A response is recorded only for a treated point."})


def familiar_pain_signs(fields: dict[str, Any], *, recognized: bool, status: str) -> dict[str, Any]:
    """A finding's `recognized` and `status` after a write of `fields`, from the values they had (`recognized`,
    `status`: the model defaults for a new finding).

    Delphi2018: an ACTIVE trigger point is one that reproduces the patient's familiar pain, so the two say one thing:
    recognized exactly when active. A write naming both must agree (else a ValidationError on `status`); a write naming
    one of them sets the other to match: status active means recognized, latent or unknown not; recognized means
    active, not recognized turns an active point latent ("does not reproduce it") and leaves latent or unknown as is.
    """
    if "recognized" not in fields and "status" not in fields:
        return fields
    if "recognized" in fields and "status" in fields:
        if bool(fields["recognized"]) != (fields["status"] == FindingStatus.ACTIVE):
            raise ValidationError({"status": _SIGNS_DISAGREE})
        return fields
    if "status" in fields:
        return {**fields, "recognized": fields["status"] == FindingStatus.ACTIVE}
    if fields["recognized"]:
        return {**fields, "status": FindingStatus.ACTIVE}
    return {**fields, "status": FindingStatus.LATENT if status == FindingStatus.ACTIVE else status}


_SIGNS_DISAGREE = (
    "An active trigger point is one that reproduces the familiar pain (Delphi2018): recognized true goes with status "
    '"active", recognized false with "latent" or "unknown".'
)


def validate_zone_field(zone: str, field: str) -> None:
    try:
        validate_zone(zone)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


class MuscleTest(VisitChild):
    """A manual muscle test before or after treatment (practitioner observation, not a validated diagnostic test)."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="muscle_tests")
    muscle = models.CharField(max_length=64, validators=[validate_muscle])
    side = models.CharField(max_length=10, choices=Side.choices)
    phase = models.CharField(max_length=4, choices=TestPhase.choices, default=TestPhase.PRE)
    result = models.CharField(max_length=12, choices=TestResult.choices)
    notes = models.TextField(max_length=2000, blank=True, validators=TEXT_VALIDATORS)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["visit", "muscle", "side", "phase"], condition=Q(archived_at__isnull=True), name="mmt_unique"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["clinic", "visit"], name="muscletest_clinic_visit")]

    def __str__(self) -> str:
        return f"{self.muscle} ({self.side}) {self.phase}: {self.result}"


class Outcome(VisitChild):
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="outcomes")
    measure = models.CharField(max_length=8, choices=Measure.choices)
    value = models.FloatField()
    detail = models.CharField(max_length=200, blank=True, validators=TEXT_VALIDATORS)

    class Meta:
        ordering: ClassVar = ["measure", "detail", "created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["visit", "measure", "detail"], condition=Q(archived_at__isnull=True), name="outcome_unique"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["clinic", "visit"], name="outcome_clinic_visit")]

    def __str__(self) -> str:
        return f"{self.measure} {self.value}"


class Screening(VisitChild):
    """A red-flag screen (catalog safety rule); a positive one blocks treatment of its region and says refer.

    `side` is the side the screen concerns (a left-ankle fracture screen is `left`); blank when it is not one side
    (both sides, the whole body). A rule may be screened once per side in a visit.
    """

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="screenings")
    rule = models.CharField(max_length=40)
    side = models.CharField(max_length=10, choices=Side.choices, blank=True, default="")
    result = models.CharField(max_length=10, choices=ScreenResult.choices)
    detail = models.CharField(max_length=1000, blank=True, validators=TEXT_VALIDATORS)

    class Meta:
        ordering: ClassVar = ["rule", "side"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["visit", "rule", "side"], condition=Q(archived_at__isnull=True), name="screen_unique"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["clinic", "visit"], name="screening_clinic_visit")]

    def __str__(self) -> str:
        side = f" ({self.side})" if self.side else ""
        return f"{self.rule}{side}: {self.result}"


class Addendum(models.Model):
    """Text appended to a visit after signing; the original stays intact."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey("clinic.Clinic", on_delete=models.PROTECT, related_name="+", editable=False)
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField(max_length=5000, validators=TEXT_VALIDATORS)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering: ClassVar = ["created_at"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum {self.created_at:%Y-%m-%d %H:%M}"


class TreatmentPlan(ClinicScopedModel):
    """The ordered plan the engine proposed and the practitioner edited and confirmed (with both versions)."""

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="plan")
    engine_version = models.CharField(max_length=20)
    catalog_version = models.CharField(max_length=64)
    confirmed = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    max_home_care = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    protocol = models.CharField(max_length=40, blank=True)
    steps: Any = models.JSONField(default=list)
    notes: Any = models.JSONField(default=list, blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    # The practitioner's own words to the patient, printed on the home-care sheet (each step may carry its own
    # `patient_note` in `steps`); large type prints the sheet bigger for a patient who needs it.
    patient_note = models.TextField(blank=True, max_length=2000)
    large_type = models.BooleanField(default=False)
    # What the plan was built on (assessments.engine.review): the digest of the engine's analysis and proposal, and
    # its conclusions and proposed steps, so that the plan can say when the chart has changed under it and how; and
    # what the last rebuild changed in the plan (steps added, removed, moved; the practitioner's words kept).
    analysis_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    analysis_basis: Any = models.JSONField(default=dict, blank=True, editable=False)
    last_rebuild: Any = models.JSONField(null=True, blank=True, default=None, editable=False)

    def __str__(self) -> str:
        return f"Plan for {self.visit}"


class DocumentKind(models.TextChoices):
    HOME_CARE = "home_care", "Home-care sheet"
    PROGRESS = "progress", "Progress report"
    VISIT_NOTE = "visit_note", "Visit note"
    REFERRAL = "referral", "Referral letter"


class DocumentIssue(models.Model):
    """A document handed out: which, for which patient (and visit), by whom, when. Append-only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey("clinic.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=12, choices=DocumentKind.choices)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    size_bytes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["-issued_at"]
        indexes: ClassVar = [models.Index(fields=["clinic", "patient", "issued_at"], name="docissue_clinic_patient")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.issued_at:%Y-%m-%d %H:%M}"


class ReferralLetter(ClinicScopedModel):
    """The practitioner's letter to the patient's doctor when a red-flag screen of the visit is positive (TO-00: refer,
    and treat nothing in the affected area until medically cleared).

    One per visit, written only when the practitioner edits the generated letter: a blank `recipient` or `body` prints
    the generated default (assessments.document_selectors.referral_letter), so an unedited letter keeps following the
    chart. Editable while the visit is a draft; signing the visit locks it like everything charted in it.
    """

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="referral_letter")
    recipient = models.CharField(max_length=300, blank=True, validators=TEXT_VALIDATORS)
    body = models.TextField(max_length=10000, blank=True, validators=TEXT_VALIDATORS)

    def __str__(self) -> str:
        return f"Referral letter for {self.visit}"


class FavouriteItemKind(models.TextChoices):
    FINDING = "finding", "Palpation finding"
    MUSCLE_TEST = "muscle_test", "Muscle test"


COMPLAINT_SIDE = "complaint"
FAVOURITE_SIDES = (*Side.values, COMPLAINT_SIDE)
FAVOURITE_MAX_ITEMS = 30
FAVOURITE_LOCATION_MAX = 200  # Finding.location


class FavouriteSet(ClinicScopedModel):
    """A practitioner's saved set of palpation findings and muscle tests, charted on a visit in one action
    (e.g. "runner's knee": vastus lateralis, TFL, gluteus minimus and soleus palpated, gluteus medius tested).

    Not chart data: a set names muscles, sides and kinds (and a finding's location or a test's phase), never a
    patient's values; it changes no patient's data stamp. Charting from it creates the findings and tests through
    the same service and validation as charting each one (assessments.services.favourite_chart).

    `items`: `[{"kind": "finding", "muscle": <catalog slug>, "side": <side or "complaint">, "location": ""},
    {"kind": "muscle_test", "muscle": ..., "side": ..., "phase": "pre" | "post"}]`; side "complaint" is the side of
    the visit's main complaint (its primary pain site), resolved when charting. The author is `owner`; a `shared` set
    is offered to the whole clinic, and only its author or a clinic owner may change or delete it.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField(max_length=100, validators=TEXT_VALIDATORS)
    shared = models.BooleanField(default=False)
    items: Any = models.JSONField(default=list)

    class Meta:
        ordering: ClassVar = ["name", "created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["clinic", "owner", "name"], name="favouriteset_unique_name"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["clinic", "owner"], name="favouriteset_clinic_owner"),
            models.Index(fields=["clinic", "shared"], name="favouriteset_clinic_shared"),
        ]

    def __str__(self) -> str:
        return self.name

    def may_be_changed_by(self, user_id: Any, *, clinic_owner: bool) -> bool:
        """Its author may change or delete a set; a clinic owner may too, once it is shared with the clinic."""
        return self.owner_id == user_id or (self.shared and clinic_owner)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not (self.name or "").strip():
            raise ValidationError({"name": "A set needs a name."})
        self.items = clean_favourite_items(self.items)


def clean_favourite_items(value: Any) -> list[dict[str, str]]:
    """The set's items checked against the catalog vocabulary and normalised (every key present, nothing else).

    Raises ValidationError on `items` naming each bad item by its position (1-based), so a client can fix it.
    """
    from django.core.exceptions import ValidationError

    if not isinstance(value, list) or not value:
        raise ValidationError({"items": "A list of at least one finding or muscle test."})
    if len(value) > FAVOURITE_MAX_ITEMS:
        raise ValidationError({"items": f"At most {FAVOURITE_MAX_ITEMS} items."})
    cleaned: list[dict[str, str]] = []
    problems: list[str] = []
    for number, item in enumerate(value, start=1):
        try:
            cleaned.append(_clean_item(item))
        except ValidationError as exc:
            problems.extend(f"Item {number}: {message}" for message in exc.messages)
    keys = [tuple(item.values()) for item in cleaned]
    for number, key in enumerate(keys, start=1):
        if key in keys[: number - 1]:
            problems.append(f"Item {number}: the same as item {keys.index(key) + 1}.")
    if problems:
        raise ValidationError({"items": problems})
    return cleaned


def _clean_item(item: Any) -> dict[str, str]:
    from django.core.exceptions import ValidationError

    if not isinstance(item, dict):
        raise ValidationError("An object with kind, muscle and side.")
    kind, muscle, side = item.get("kind"), item.get("muscle"), item.get("side")
    if kind not in FavouriteItemKind.values:
        raise ValidationError("kind must be finding or muscle_test.")
    if not isinstance(muscle, str):
        raise ValidationError("muscle must be a muscle slug from the catalog.")
    validate_muscle(muscle)
    if side not in FAVOURITE_SIDES:
        raise ValidationError("side must be left, right, bilateral, midline or complaint.")
    if kind == FavouriteItemKind.FINDING:
        if "phase" in item:
            raise ValidationError("phase is for muscle tests only.")
        location = item.get("location", "")
        if not isinstance(location, str) or len(location) > FAVOURITE_LOCATION_MAX:
            raise ValidationError(f"location must be text of at most {FAVOURITE_LOCATION_MAX} characters.")
        for validator in TEXT_VALIDATORS:
            validator(location)
        return {"kind": kind, "muscle": muscle, "side": side, "location": location.strip()}
    if "location" in item:
        raise ValidationError("location is for findings only.")
    phase = item.get("phase", TestPhase.PRE)
    if phase not in TestPhase.values:
        raise ValidationError("phase must be pre or post.")
    return {"kind": kind, "muscle": muscle, "side": side, "phase": phase}


class VisitHistory(ClinicScopedModel):
    """The complaint's history at this visit, the Subjective (issue 23; domain brief: onset, duration, mechanism,
    aggravating and easing factors, previous episodes). One per visit; the words come from the catalog's history
    vocabularies and the engine reads them through rules HX-01..HX-05."""

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="history")
    onset = models.DateField(null=True, blank=True, validators=[not_in_future])
    mechanism = models.CharField(max_length=32, blank=True, validators=[HistoryWord("mechanisms")])
    change_stressor = models.ForeignKey(
        "patients.Stressor", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    course = models.CharField(max_length=16, blank=True, validators=[HistoryWord("courses")])
    patterns = models.JSONField(default=list, blank=True, validators=[HistoryWord("patterns")])
    aggravating = models.JSONField(default=list, blank=True, validators=[HistoryWord("activities")])
    aggravating_detail = models.CharField(max_length=500, blank=True, validators=TEXT_VALIDATORS)
    easing = models.JSONField(default=list, blank=True, validators=[HistoryWord("activities")])
    easing_detail = models.CharField(max_length=500, blank=True, validators=TEXT_VALIDATORS)
    systemic_signs = models.JSONField(default=list, blank=True, validators=[HistoryWord("systemic_signs")])
    previous_episodes = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(99)])
    detail = models.TextField(max_length=2000, blank=True, validators=TEXT_VALIDATORS)

    class Meta:
        verbose_name_plural = "visit histories"

    def __str__(self) -> str:
        return f"history of {self.visit_id}"

    def clean(self) -> None:
        if self.change_stressor_id is not None and self.mechanism != "after_change":
            raise ValidationError({"change_stressor": "Name the change only when the mechanism is 'after a change'."})
        visit = self.visit if self.visit_id else None
        if visit is not None and self.onset and self.onset > visit.date:
            raise ValidationError({"onset": "The complaint cannot begin after the visit."})
        born = visit.patient.date_of_birth if visit is not None else None
        if born and self.onset and self.onset < born:
            raise ValidationError({"onset": "The complaint cannot begin before the patient's birth."})
        stressor = self.change_stressor if self.change_stressor_id is not None else None
        if visit is not None and stressor is not None and stressor.patient_id != visit.patient_id:
            raise ValidationError({"change_stressor": "Choose one of this patient's stressors."})


class Observation(VisitChild):
    """A posture or gait observation with the side it is seen on (issue 23; catalog history vocabulary
    ``observations``); a one-sided gait observation feeds the contralateral chain links (HX-06)."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="observations")
    kind = models.CharField(max_length=32, validators=[HistoryWord("observations")])
    side = models.CharField(max_length=10, choices=Side.choices, blank=True, default="")
    detail = models.CharField(max_length=500, blank=True, validators=TEXT_VALIDATORS)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["visit", "kind", "side"], condition=Q(archived_at__isnull=True), name="observation_unique"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["clinic", "visit"], name="observation_clinic_visit")]

    def __str__(self) -> str:
        side = f" ({self.side})" if self.side else ""
        return f"{self.kind}{side}"
