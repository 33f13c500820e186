"""Patient, stressor and injury shapes exactly as in shared/api-contract.md."""

from typing import Any, ClassVar

from rest_framework import serializers

from catalog.vocabulary import validate_stressor_kind, validate_zone
from clinic.api.fields import StrictCharField, StrictIntegerField, StrictModelSerializer
from patients.models import Injury, Patient, Stressor


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
