"""Patient, stressor and injury shapes exactly as in shared/api-contract.md."""

from typing import Any, ClassVar

from rest_framework import serializers

from catalog.vocabulary import HistoryWord, validate_stressor_kind, validate_zone
from clinic.api.fields import StrictCharField, StrictIntegerField, StrictModelSerializer
from patients.models import Injury, Patient, PriorTreatment, Stressor


class VersionField(StrictIntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, min_value=1, max_value=2_000_000_000, **kwargs)


class PatientSerializer(StrictModelSerializer[Patient]):
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Patient
        fields: ClassVar = [
            "id", "first_name", "last_name", "date_of_birth", "sex", "email", "phone",
            "occupation", "activities", "notes", "version",
        ]  # fmt: skip


class PatientInputSerializer(PatientSerializer):
    version = VersionField()


class StressorSerializer(StrictModelSerializer[Stressor]):
    kind = StrictCharField(
        max_length=64, validators=[validate_stressor_kind], help_text="A stressor kind slug from the catalog."
    )
    category = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Stressor
        fields: ClassVar = [
            "id",
            "patient",
            "kind",
            "category",
            "detail",
            "severity",
            "onset",
            "resolved_on",
            "version",
        ]
        read_only_fields: ClassVar = ["patient"]


class StressorInputSerializer(StressorSerializer):
    version = VersionField()


class InjurySerializer(StrictModelSerializer[Injury]):
    zone = StrictCharField(max_length=64, validators=[validate_zone], help_text="A zone slug from the catalog.")
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Injury
        fields: ClassVar = [
            "id",
            "patient",
            "zone",
            "side",
            "occurred_on",
            "description",
            "painful_now",
            "version",
        ]
        read_only_fields: ClassVar = ["patient"]


class InjuryInputSerializer(InjurySerializer):
    version = VersionField()


class TreatmentSerializer(StrictModelSerializer[PriorTreatment]):
    """A prior or current treatment (issue 23): `kind`, `frequency`, `intensity` and `response` from the catalog's
    history vocabularies (400 when unknown); `zone` a zone slug or ""; current until `ended_on`."""

    kind = StrictCharField(max_length=32, validators=[HistoryWord("treatments")])
    zone = StrictCharField(max_length=64, required=False, allow_blank=True, validators=[validate_zone])
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = PriorTreatment
        fields: ClassVar = [
            "id", "patient", "kind", "zone", "side", "since", "ended_on", "frequency", "intensity", "response",
            "detail", "version",
        ]  # fmt: skip
        read_only_fields: ClassVar = ["patient"]


class TreatmentInputSerializer(TreatmentSerializer):
    version = VersionField()
