"""Visit, charting and plan shapes exactly as in shared/api-contract.md (plus `id` and `version` where editable);
favourite sets (documented in the OpenAPI schema)."""

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.mappers import visit_history
from assessments.models import (
    COMPLAINT_SIDE,
    FAVOURITE_MAX_ITEMS,
    Addendum,
    FavouriteItemKind,
    FavouriteSet,
    Finding,
    FindingStatus,
    MuscleTest,
    Observation,
    Outcome,
    PainSite,
    Response,
    Screening,
    Technique,
    TestPhase,
    TestResult,
    TreatmentPlan,
    Visit,
    VisitHistory,
)
from catalog.vocabulary import HistoryWord, Side, validate_muscle, validate_zone
from clinic.api.fields import StrictBooleanField, StrictCharField, StrictIntegerField, StrictModelSerializer
from clinic.models import Role
from patients.api.serializers import VersionField


class UsernameField(serializers.CharField):
    def to_representation(self, value: Any) -> str:
        return str(value.get_username()) if value is not None else ""


class AddendumSerializer(StrictModelSerializer[Addendum]):
    created_by = UsernameField(read_only=True)

    class Meta:
        model = Addendum
        fields: ClassVar = ["id", "text", "created_at", "created_by"]


class PainSiteSerializer(StrictModelSerializer[PainSite]):
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = PainSite
        fields: ClassVar = ["id", "visit", "zone", "side", "nprs", "primary", "version"]
        read_only_fields: ClassVar = ["visit"]


class FindingSerializer(StrictModelSerializer[Finding]):
    referral_zones = serializers.ListField(
        child=StrictCharField(max_length=64, validators=[validate_zone]), max_length=30, required=False
    )
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Finding
        fields: ClassVar = [
            "id", "visit", "muscle", "side", "location", "tenderness", "taut_band", "nodule", "twitch_response",
            "referral_zones", "recognized", "status", "treated", "technique", "response", "notes", "version",
        ]  # fmt: skip
        read_only_fields: ClassVar = ["visit"]
        extra_kwargs: ClassVar = {
            "tenderness": {"help_text": "Tenderness on palpation, 0-10; required to create a finding (no default)."},
            "recognized": {
                "help_text": "Pressing the point reproduces the patient's familiar pain: true exactly when status is "
                '"active" (Delphi2018). Sent without status, status follows it (true: active; false: an active point '
                "becomes latent)."
            },
            "status": {
                "help_text": '"active" (reproduces the familiar pain), "latent" (does not) or "unknown" (not sure). '
                'Sent without recognized, recognized follows it (true only for "active"); sent with it, the two must '
                "agree (else 400)."
            },
        }


class MuscleTestSerializer(StrictModelSerializer[MuscleTest]):
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = MuscleTest
        fields: ClassVar = ["id", "visit", "muscle", "side", "phase", "result", "notes", "version"]
        read_only_fields: ClassVar = ["visit"]


class OutcomeSerializer(StrictModelSerializer[Outcome]):
    class Meta:
        model = Outcome
        fields: ClassVar = ["id", "visit", "measure", "value", "detail"]
        read_only_fields: ClassVar = ["visit"]


class ScreenSideField(serializers.ChoiceField):
    """The side a red-flag screen concerns; "" (null is read as "") when it is not one side (both, the whole body)."""

    default_error_messages: ClassVar = {
        "invalid_choice": '"{input}" is not a side: use left, right, bilateral or midline, or "" when the screen is '
        "not of one side."
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=Side.choices,
            allow_blank=True,
            allow_null=True,
            required=False,
            default="",
            help_text='The side the screen concerns; "" (or null) when it is not of one side (both, the whole body).',
            **kwargs,
        )

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None:
            return True, ""
        return super().validate_empty_values(data)


class ScreeningSerializer(StrictModelSerializer[Screening]):
    side = ScreenSideField()

    class Meta:
        model = Screening
        fields: ClassVar = ["id", "visit", "rule", "side", "result", "detail"]
        read_only_fields: ClassVar = ["visit"]


class FindingInputSerializer(FindingSerializer):
    muscle = StrictCharField(max_length=64, validators=[validate_muscle])
    version = VersionField()


class MuscleTestInputSerializer(MuscleTestSerializer):
    muscle = StrictCharField(max_length=64, validators=[validate_muscle])
    version = VersionField()


class PainSiteInputSerializer(PainSiteSerializer):
    zone = StrictCharField(max_length=64, validators=[validate_zone])
    version = VersionField()


class ObservationSerializer(StrictModelSerializer[Observation]):
    """A posture or gait observation (issue 23): `kind` from the catalog's history vocabulary `observations`, `side`
    one of the four sides or "" when it is not one side."""

    kind = StrictCharField(max_length=32, validators=[HistoryWord("observations")])
    side = ScreenSideField()
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Observation
        fields: ClassVar = ["id", "visit", "kind", "side", "detail", "version"]
        read_only_fields: ClassVar = ["visit"]


class ObservationInputSerializer(ObservationSerializer):
    version = VersionField()


def _words(vocabulary: str, help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=StrictCharField(max_length=32),
        required=False,
        max_length=30,
        validators=[HistoryWord(vocabulary)],
        help_text=help_text,
    )


class VisitHistorySerializer(StrictModelSerializer[VisitHistory]):
    """The visit's complaint history (issue 23). Every slug comes from the catalog's history vocabularies
    (`GET /api/v1/catalog/` meta.history); an unknown one answers 400. `change_stressor` is the id of one of the
    patient's stressors, only with mechanism `after_change`. `version` is 0 before the first save."""

    mechanism = StrictCharField(max_length=32, required=False, allow_blank=True, validators=[HistoryWord("mechanisms")])
    course = StrictCharField(max_length=16, required=False, allow_blank=True, validators=[HistoryWord("courses")])
    change_stressor = serializers.UUIDField(required=False, allow_null=True, source="change_stressor_id")
    patterns = _words("patterns", "24-hour pattern: morning, after_rest, after_activity, night, constant.")
    aggravating = _words("activities", "Activities that make it worse (catalog `activities`).")
    easing = _words("activities", "Activities that ease it (catalog `activities`).")
    systemic_signs = _words("systemic_signs", "fever, weight_loss, night_sweats, cancer_history.")
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = VisitHistory
        fields: ClassVar = [
            "id", "visit", "onset", "mechanism", "change_stressor", "course", "patterns", "aggravating",
            "aggravating_detail", "easing", "easing_detail", "systemic_signs", "previous_episodes", "detail", "version",
        ]  # fmt: skip
        read_only_fields: ClassVar = ["id", "visit"]


class VisitHistoryInputSerializer(VisitHistorySerializer):
    version = StrictIntegerField(
        required=False, min_value=0, max_value=2_000_000_000, help_text="The version read; 0 before the first save."
    )


class VisitSerializer(StrictModelSerializer[Visit]):
    signed_by = UsernameField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Visit
        fields: ClassVar = [
            "id", "patient", "date", "kind", "chief_complaint", "notes", "status", "signed_at", "signed_by", "version",
        ]  # fmt: skip
        read_only_fields: ClassVar = ["patient", "status", "signed_at"]


class VisitCreateSerializer(VisitSerializer):
    patient = serializers.UUIDField()

    class Meta(VisitSerializer.Meta):
        read_only_fields: ClassVar = ["status", "signed_at"]
        extra_kwargs: ClassVar = {
            "date": {
                "required": False,
                "help_text": "The visit's date; default today in the clinic's time zone. Not after that today.",
            }
        }


class VisitInputSerializer(VisitSerializer):
    version = VersionField()


class VisitDetailSerializer(VisitSerializer):
    pain_sites = PainSiteSerializer(many=True, read_only=True)
    findings = FindingSerializer(many=True, read_only=True)
    muscle_tests = MuscleTestSerializer(many=True, read_only=True)
    outcomes = OutcomeSerializer(many=True, read_only=True)
    screening = ScreeningSerializer(many=True, read_only=True, source="screenings")
    addenda = AddendumSerializer(many=True, read_only=True)
    observations = ObservationSerializer(many=True, read_only=True)
    history = serializers.SerializerMethodField()

    class Meta(VisitSerializer.Meta):
        fields: ClassVar = [
            *VisitSerializer.Meta.fields, "pain_sites", "findings", "muscle_tests", "outcomes", "screening", "addenda",
            "history", "observations",
        ]  # fmt: skip

    @extend_schema_field(VisitHistorySerializer(allow_null=True))
    def get_history(self, visit: Visit) -> dict[str, Any] | None:
        row = visit_history(visit)
        return dict(VisitHistorySerializer(row).data) if row is not None else None


class AddendumInputSerializer(serializers.Serializer[dict[str, Any]]):
    text = StrictCharField(max_length=5000)


class StepRefSerializer(serializers.Serializer[Any]):
    """What a plan step is about, with its label in the practitioner's words."""

    kind = serializers.CharField(help_text="The step's kind (refer, address_stressor, treat_trigger_point, ...).")
    muscle = serializers.CharField(allow_null=True)
    side = serializers.CharField(allow_null=True)
    stressor = serializers.CharField(allow_null=True, help_text="The stressor's id, for address_stressor.")
    custom = serializers.BooleanField(help_text="The practitioner's own step.")
    label = serializers.CharField(help_text='e.g. "Treat trigger point: Soleus (left)".')  # type: ignore[assignment]


class StepMoveSerializer(StepRefSerializer):
    before = serializers.IntegerField(help_text="Its place (from 1) before.")
    after = serializers.IntegerField(help_text="Its place (from 1) after.")


class StepRemovedSerializer(StepRefSerializer):
    why = serializers.CharField(required=False, help_text="Why a practitioner's own step was not kept.")
    reason = serializers.CharField(required=False, help_text="That step's reason, as the practitioner gave it.")


class WhatChangedSerializer(serializers.Serializer[Any]):
    """How the engine's analysis of the chart differs now from the one the plan was built on."""

    summary = serializers.ListField(child=serializers.CharField(), help_text="What changed, one line each.")
    steps_added = StepRefSerializer(many=True, help_text="Steps a rebuild would add.")
    steps_removed = StepRefSerializer(many=True, help_text="Proposed steps a rebuild would no longer propose.")
    steps_moved = StepMoveSerializer(many=True, help_text="Proposed steps a rebuild would put in another order.")
    steps_changed = StepRefSerializer(many=True, help_text="Steps whose reasons, home care or screens would change.")


class LastRebuildSerializer(serializers.Serializer[Any]):
    """What the last rebuild changed in the plan (compared with the plan as it stood, the practitioner's edits in)."""

    at = serializers.DateTimeField()
    by = serializers.CharField(help_text="Who rebuilt it.")
    was_confirmed = serializers.BooleanField(help_text="The plan was confirmed; the rebuild returned it to proposed.")
    added = StepRefSerializer(many=True)
    removed = StepRemovedSerializer(many=True)
    moved = StepMoveSerializer(many=True)
    kept_patient_notes = serializers.IntegerField(help_text="Notes for the patient carried over to the same step.")
    kept_rationales = serializers.IntegerField(help_text="Reasons the practitioner edited, carried over.")


class PlanSerializer(StrictModelSerializer[TreatmentPlan]):
    """The plan, whether it still matches the chart (`stale`, with `what_changed`; context `review`: a
    selectors.PlanReview) and what its last rebuild changed (`last_rebuild`).

    Each step carries `custom` (true: the practitioner's own step, with `reason` and no rule ids), `edited` (the
    practitioner edited its rationale) and `patient_note` (their words to the patient, on the home-care sheet).
    """

    confirmed_by = UsernameField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)
    stale = serializers.SerializerMethodField(
        help_text="True when the chart changed after the plan was built so that the engine's analysis differs now "
        "(rebuild it to follow the chart; a confirmed plan with rebuild: true). Never true for a signed visit."
    )
    what_changed = serializers.SerializerMethodField(
        help_text="What changed since the plan was built; null if not stale."
    )
    last_rebuild = LastRebuildSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TreatmentPlan
        fields: ClassVar = [
            "id", "visit", "engine_version", "catalog_version", "confirmed", "confirmed_at", "confirmed_by",
            "max_home_care", "protocol", "follow_up_on", "steps", "notes", "patient_note", "large_type", "version",
            "stale", "what_changed", "last_rebuild",
        ]  # fmt: skip
        read_only_fields: ClassVar = fields

    def get_stale(self, plan: TreatmentPlan) -> bool:
        review = self.context.get("review")
        return bool(review is not None and review.stale)

    @extend_schema_field(WhatChangedSerializer(allow_null=True))
    def get_what_changed(self, plan: TreatmentPlan) -> dict[str, Any] | None:
        review = self.context.get("review")
        return review.what_changed() if review is not None else None


class PlanBuildSerializer(serializers.Serializer[dict[str, Any]]):
    """Build the plan, or rebuild it. A proposed plan is rebuilt by posting again; a confirmed one only with
    `rebuild: true`, which returns it to proposed (the practitioner confirms it again). A rebuild keeps the
    practitioner's notes for the patient and edited reasons where the step survives, and their own steps unless a red
    flag now blocks the muscle; `last_rebuild` says what it added, removed and moved."""

    max_home_care = StrictIntegerField(min_value=0, max_value=10, required=False)
    protocol = StrictCharField(max_length=40, required=False, allow_blank=True)
    rebuild = StrictBooleanField(
        required=False, default=False, help_text="Rebuild a confirmed plan (it returns to proposed)."
    )


class PlanStepInputSerializer(serializers.Serializer[dict[str, Any]]):
    """The practitioner's own step: a muscle and side charted in this visit (a finding or a muscle test), the reason
    (required) and a note for the patient (optional, printed on the home-care sheet). Refused (400) for a muscle a
    positive red-flag screen blocks (TO-00, CS-03) or one not charted in the visit; pending while a screen holds it
    (CS-02, CS-04); home care only where the engine's home-care rules allow it."""

    muscle = StrictCharField(max_length=64, validators=[validate_muscle])
    side = serializers.ChoiceField(choices=Side.choices)
    reason = StrictCharField(max_length=4000, help_text="Why: the practitioner's clinical judgement.")
    patient_note = StrictCharField(max_length=1000, required=False, allow_blank=True, default="")
    version = VersionField()


class PlanEditSerializer(serializers.Serializer[dict[str, Any]]):
    """Steps and follow-up until the plan is confirmed; the words for the patient (printed on the home-care sheet)
    until the visit is signed: `patient_note`, `large_type` and `step_notes` ({"<step order>": "note"})."""

    steps = serializers.ListField(child=serializers.DictField(), max_length=100, required=False)
    follow_up_on = serializers.DateField(required=False)
    patient_note = StrictCharField(max_length=2000, required=False, allow_blank=True)
    large_type = StrictBooleanField(required=False)
    step_notes = serializers.DictField(
        child=StrictCharField(max_length=1000, allow_blank=True), required=False, allow_empty=True
    )

    def validate_step_notes(self, value: dict[str, str]) -> dict[int, str]:
        if not all(key.isdigit() and 0 < int(key) <= 100 for key in value):
            raise serializers.ValidationError("Keys are step orders: 1, 2, 3, ...")
        return {int(key): note for key, note in value.items()}

    version = VersionField()


class ReferralScreenSerializer(serializers.Serializer[Any]):
    """A positive red-flag screen the letter is about."""

    rule = serializers.CharField(help_text="The catalog safety rule id, e.g. SAFE-M-DVT.")
    condition = serializers.CharField()
    side = serializers.CharField(help_text='"left", "right", "bilateral", "midline", or "" when not one side.')
    detail = serializers.CharField()


class ReferralSerializer(serializers.Serializer[Any]):
    """The referral letter of a visit (assessments.document_selectors.ReferralState).

    `recipient` and `body` are the practitioner's saved edit; blank means the generated `default_recipient` and
    `default_body`, which follow the chart. `id` is null and `version` 0 until the first edit is saved.
    """

    id = serializers.UUIDField(source="letter.pk", allow_null=True, default=None, read_only=True)
    visit = serializers.UUIDField(source="visit.pk", read_only=True)
    recipient = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    default_recipient = serializers.CharField(read_only=True)
    default_body = serializers.CharField(read_only=True)
    positive_screens = ReferralScreenSerializer(source="screens", many=True, read_only=True)
    updated_at = serializers.DateTimeField(source="letter.updated_at", allow_null=True, default=None, read_only=True)
    version = serializers.IntegerField(read_only=True)


class ReferralVersionField(StrictIntegerField):
    """The letter's version the edit is based on: 0 for a letter not written yet."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, min_value=0, max_value=2_000_000_000, **kwargs)


class ReferralInputSerializer(serializers.Serializer[dict[str, Any]]):
    recipient = StrictCharField(max_length=300, allow_blank=True, required=False, trim_whitespace=False)
    body = StrictCharField(max_length=10000, allow_blank=True, required=False, trim_whitespace=False)
    version = ReferralVersionField()


# --- favourite sets -----------------------------------------------------------------------------------------------


class FavouriteItemSerializer(serializers.Serializer[dict[str, Any]]):
    """One item of a favourite set: a palpation finding or a muscle test of one muscle on one side."""

    kind = serializers.ChoiceField(choices=FavouriteItemKind.choices)
    muscle = StrictCharField(max_length=64, validators=[validate_muscle], help_text="A catalog muscle slug.")
    side = serializers.ChoiceField(
        choices=[*Side.choices, (COMPLAINT_SIDE, "The side of the complaint")],
        help_text='"complaint": the side of the main complaint of the visit charted from (its primary pain site).',
    )
    location = StrictCharField(
        max_length=200, allow_blank=True, required=False, help_text="Findings only: where in the muscle."
    )
    phase = serializers.ChoiceField(
        choices=TestPhase.choices, required=False, help_text="Muscle tests only: before or after treatment (pre)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs.get("kind")  # absent only in a PATCH (partial): FavouriteSet.clean refuses the item then
        if kind == FavouriteItemKind.FINDING and "phase" in attrs:
            raise serializers.ValidationError({"phase": ["A phase is for muscle tests only."]})
        if kind == FavouriteItemKind.MUSCLE_TEST and "location" in attrs:
            raise serializers.ValidationError({"location": ["A location is for findings only."]})
        return attrs


class FavouriteSetSerializer(StrictModelSerializer[FavouriteSet]):
    """A favourite set as the caller sees it: `mine` when they wrote it, `editable` when they may change or delete
    it (its author; a clinic owner too, once it is shared)."""

    owner = UsernameField(read_only=True, help_text="The author's username.")
    items = FavouriteItemSerializer(many=True, read_only=True)
    mine = serializers.SerializerMethodField()
    editable = serializers.SerializerMethodField()
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = FavouriteSet
        fields: ClassVar = [
            "id", "name", "shared", "items", "owner", "mine", "editable", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields: ClassVar = fields

    def _caller(self) -> tuple[Any, bool]:
        request = self.context.get("request")
        membership = getattr(request, "membership", None)
        user_id = getattr(getattr(request, "user", None), "pk", None)
        return user_id, membership is not None and membership.role == Role.OWNER

    def get_mine(self, favourite: FavouriteSet) -> bool:
        return favourite.owner_id == self._caller()[0]

    def get_editable(self, favourite: FavouriteSet) -> bool:
        user_id, clinic_owner = self._caller()
        return favourite.may_be_changed_by(user_id, clinic_owner=clinic_owner)


class FavouriteSetInputSerializer(serializers.Serializer[dict[str, Any]]):
    name = StrictCharField(max_length=100)
    shared = StrictBooleanField(required=False, help_text="Offer the set to the whole clinic (default: only you).")
    items: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=FavouriteItemSerializer(), min_length=1, max_length=FAVOURITE_MAX_ITEMS
    )
    version = VersionField()


class FavouriteChartRowSerializer(serializers.Serializer[dict[str, Any]]):
    """What was found for one item of the set. A finding item takes a finding's fields, a muscle-test item a test's
    (`side`, `phase`, `result`, `notes`; `result` required); a field of the other kind is refused. Side, location
    and phase default to the set's (side "complaint": the visit's main complaint side), the rest as for a new
    finding or test. The muscle is the item's."""

    skip = StrictBooleanField(required=False, default=False, help_text="Leave this item out.")
    side = serializers.ChoiceField(choices=Side.choices, required=False)
    location = StrictCharField(max_length=200, allow_blank=True, required=False)
    tenderness = StrictIntegerField(min_value=0, max_value=10, required=False)
    taut_band = StrictBooleanField(required=False)
    nodule = StrictBooleanField(required=False)
    twitch_response = StrictBooleanField(required=False)
    referral_zones = serializers.ListField(
        child=StrictCharField(max_length=64, validators=[validate_zone]), max_length=30, required=False
    )
    recognized = StrictBooleanField(required=False)
    status = serializers.ChoiceField(choices=FindingStatus.choices, required=False)
    treated = StrictBooleanField(required=False)
    technique = serializers.ChoiceField(choices=Technique.choices, allow_null=True, required=False)
    response = serializers.ChoiceField(choices=Response.choices, allow_null=True, required=False)
    notes = StrictCharField(max_length=2000, allow_blank=True, required=False)
    phase = serializers.ChoiceField(choices=TestPhase.choices, required=False)
    result = serializers.ChoiceField(choices=TestResult.choices, required=False)


class FavouriteChartSerializer(serializers.Serializer[dict[str, Any]]):
    rows: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=FavouriteChartRowSerializer(),
        max_length=FAVOURITE_MAX_ITEMS,
        help_text="One row per item of the set, in the set's order.",
    )
    set_version = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=2_000_000_000,
        help_text="The set's version the rows were filled in from; if the set changed since, 409 and nothing saved.",
    )


class FavouriteChartedSerializer(serializers.Serializer[Any]):
    """The rows charted from the set, in the set's order."""

    findings = FindingSerializer(many=True, read_only=True)
    muscle_tests = MuscleTestSerializer(many=True, read_only=True)
