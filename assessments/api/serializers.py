"""Visit, charting and plan shapes exactly as in shared/api-contract.md (plus `id` and `version` where editable)."""

from typing import Any, ClassVar

from rest_framework import serializers

from assessments.models import Addendum, Finding, MuscleTest, Outcome, PainSite, Screening, TreatmentPlan, Visit
from catalog.vocabulary import Side, validate_muscle, validate_zone
from clinic.api.fields import StrictBooleanField, StrictCharField, StrictIntegerField, StrictModelSerializer
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

    class Meta(VisitSerializer.Meta):
        fields: ClassVar = [
            *VisitSerializer.Meta.fields, "pain_sites", "findings", "muscle_tests", "outcomes", "screening", "addenda",
        ]  # fmt: skip


class AddendumInputSerializer(serializers.Serializer[dict[str, Any]]):
    text = StrictCharField(max_length=5000)


class PlanSerializer(StrictModelSerializer[TreatmentPlan]):
    confirmed_by = UsernameField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = TreatmentPlan
        fields: ClassVar = [
            "id", "visit", "engine_version", "catalog_version", "confirmed", "confirmed_at", "confirmed_by",
            "max_home_care", "protocol", "follow_up_on", "steps", "notes", "patient_note", "large_type", "version",
        ]  # fmt: skip
        read_only_fields: ClassVar = fields


class PlanBuildSerializer(serializers.Serializer[dict[str, Any]]):
    max_home_care = StrictIntegerField(min_value=0, max_value=10, required=False)
    protocol = StrictCharField(max_length=40, required=False, allow_blank=True)


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
