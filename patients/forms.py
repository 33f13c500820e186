"""Forms for the practitioner pages; the services still validate everything again."""

from typing import Any, ClassVar

from django import forms

from catalog.vocabulary import grouped_stressor_kind_choices, grouped_zone_choices
from patients.models import Injury, Patient, Stressor


class DateInput(forms.DateInput):
    input_type = "date"


class VersionedForm(forms.ModelForm):
    """Carries the version the form was rendered from, so a stale save is refused (409), not overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class PatientForm(VersionedForm):
    class Meta:
        model = Patient
        fields: ClassVar = [
            "first_name", "last_name", "date_of_birth", "sex", "email", "phone", "occupation", "activities", "notes",
        ]  # fmt: skip
        widgets: ClassVar = {
            "date_of_birth": DateInput,
            "activities": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }


class StressorForm(VersionedForm):
    kind = forms.ChoiceField(choices=())

    class Meta:
        model = Stressor
        fields: ClassVar = ["kind", "severity", "onset", "resolved_on", "detail"]
        widgets: ClassVar = {
            "onset": DateInput,
            "resolved_on": DateInput,
            "detail": forms.TextInput(attrs={"placeholder": "e.g. switched to minimalist shoes in March"}),
            "severity": forms.NumberInput(attrs={"min": 1, "max": 3}),
        }
        help_texts: ClassVar = {"severity": "1 mild, 2 moderate, 3 severe"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose…"), *grouped_stressor_kind_choices()]  # type: ignore[attr-defined]


class InjuryForm(VersionedForm):
    zone = forms.ChoiceField(choices=())

    class Meta:
        model = Injury
        fields: ClassVar = ["zone", "side", "occurred_on", "painful_now", "description"]
        widgets: ClassVar = {
            "occurred_on": DateInput,
            "description": forms.TextInput(attrs={"placeholder": "e.g. dislocated shoulder, skiing"}),
        }
        labels: ClassVar = {"occurred_on": "When (approximate is fine)", "painful_now": "Still painful"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = [("", "Choose…"), *grouped_zone_choices()]  # type: ignore[attr-defined]
