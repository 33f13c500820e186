"""Forms for the practitioner pages; the services still validate everything again."""

from typing import Any, ClassVar

from django import forms

from catalog.vocabulary import grouped_stressor_kind_choices, grouped_zone_choices, history_choices
from patients.models import Injury, Patient, PriorTreatment, Stressor


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


class TreatmentForm(VersionedForm):
    """A treatment the patient has tried or is doing (issue 23): what, where, since when, how often, how hard and how
    it went, from the catalog's history vocabularies."""

    kind = forms.ChoiceField(choices=(), label="Treatment")
    zone = forms.ChoiceField(choices=(), required=False, label="Where")
    frequency = forms.ChoiceField(choices=(), required=False, label="How often")
    intensity = forms.ChoiceField(choices=(), required=False, label="How hard")
    response = forms.ChoiceField(choices=(), required=False, label="How it went")

    class Meta:
        model = PriorTreatment
        fields: ClassVar = ["kind", "zone", "side", "since", "ended_on", "frequency", "intensity", "response", "detail"]
        widgets: ClassVar = {
            "since": DateInput,
            "ended_on": DateInput,
            "detail": forms.TextInput(attrs={"placeholder": "e.g. cortisone injection at the heel, physio 6 sessions"}),
        }
        labels: ClassVar = {"since": "Since", "ended_on": "Stopped on (blank: still doing it)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["kind"].choices = [("", "Choose…"), *history_choices("treatments")]
        fields["zone"].choices = [("", "—"), *grouped_zone_choices()]
        fields["frequency"].choices = [("", "—"), *history_choices("frequencies")]
        fields["intensity"].choices = [("", "—"), *history_choices("intensities")]
        fields["response"].choices = [("", "—"), *history_choices("responses")]
        fields["side"].required = False
