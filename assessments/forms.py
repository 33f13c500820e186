"""Forms for charting a visit on the practitioner pages; the services validate everything again."""

import datetime
from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.utils import timezone

from assessments.models import (
    Finding,
    FindingStatus,
    Measure,
    MuscleTest,
    Observation,
    Outcome,
    PainSite,
    Screening,
    Visit,
    VisitHistory,
)
from catalog.vocabulary import Side, grouped_zone_choices, history_choices, muscles
from patients.forms import DateInput, VersionedForm

NOT_ONE_SIDE = "Not one side"
# One control for "reproduces the familiar pain", which is what makes a trigger point active (Delphi2018): it sets the
# finding's status and `recognized` together (FindingForm.clean).
FAMILIAR_PAIN_CHOICES = [
    (FindingStatus.ACTIVE.value, "Reproduces the familiar pain (active)"),
    (FindingStatus.LATENT.value, "Does not (latent)"),
    (FindingStatus.UNKNOWN.value, "Not sure"),
]


class VisitForm(VersionedForm):
    class Meta:
        model = Visit
        fields: ClassVar = ["date", "kind", "chief_complaint", "notes"]
        widgets: ClassVar = {
            "date": DateInput,
            "chief_complaint": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class ZoneChoiceMixin:
    fields: dict[str, Any]

    def _zone_choices(self, name: str, *, blank: bool = True) -> None:
        choices = grouped_zone_choices()
        self.fields[name].choices = [("", "Choose a zone…"), *choices] if blank else choices


class PainSiteForm(ZoneChoiceMixin, forms.ModelForm):
    zone = forms.ChoiceField(choices=())

    class Meta:
        model = PainSite
        fields: ClassVar = ["zone", "side", "nprs", "primary"]
        labels: ClassVar = {"nprs": "Pain now (NPRS 0–10)", "primary": "Main complaint"}
        widgets: ClassVar = {"nprs": forms.NumberInput(attrs={"min": 0, "max": 10, "inputmode": "numeric"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._zone_choices("zone")


class FindingForm(ZoneChoiceMixin, forms.ModelForm):
    muscle = forms.CharField(
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "list": "muscle-options",
                "autocomplete": "off",
                "placeholder": "Type a muscle, e.g. soleus, SCM, QL",
            }
        ),
        help_text="Type a name or synonym and pick from the list.",
    )
    referral_zones = forms.MultipleChoiceField(
        choices=(),
        required=False,
        # A type-ahead with chips where scripts run (static/js/zone_picker.js); this list where they do not.
        widget=forms.SelectMultiple(attrs={"size": 5, "data-zone-picker": ""}),
        label="Refers to",
    )
    status = forms.ChoiceField(
        choices=FAMILIAR_PAIN_CHOICES,
        initial=FindingStatus.UNKNOWN.value,
        widget=forms.RadioSelect,
        label="Pressing the point",
        error_messages={"required": "Say whether pressing the point reproduces the familiar pain (or not sure)."},
    )

    class Meta:
        model = Finding
        fields: ClassVar = [
            "muscle", "side", "location", "tenderness", "status", "taut_band", "nodule",
            "twitch_response", "referral_zones", "treated", "technique", "response", "notes",
        ]  # fmt: skip
        labels: ClassVar = {
            "tenderness": "Tenderness (0–10)", "twitch_response": "Local twitch response",
            "location": "Location in the muscle",
        }  # fmt: skip
        widgets: ClassVar = {
            "tenderness": forms.NumberInput(attrs={"min": 0, "max": 10, "inputmode": "numeric"}),
            "notes": forms.TextInput(),
            "location": forms.TextInput(attrs={"placeholder": "e.g. belly, proximal"}),
        }
        error_messages: ClassVar = {"tenderness": {"required": "Give the tenderness, 0–10."}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._zone_choices("referral_zones", blank=False)

    def clean(self) -> dict[str, Any]:
        """The one "pressing the point" choice sets both the status and `recognized` (active: reproduces the familiar
        pain, Delphi2018)."""
        cleaned = super().clean() or {}
        if cleaned.get("status"):
            cleaned["recognized"] = cleaned["status"] == FindingStatus.ACTIVE
        return cleaned

    def clean_muscle(self) -> str:
        """Accept the slug, the catalog name or a unique synonym as typed."""
        typed = str(self.cleaned_data["muscle"]).strip()
        catalog = muscles()
        lowered = typed.lower()
        as_slug = lowered.replace(" ", "_")
        if as_slug in catalog:
            return as_slug
        matches = [
            slug
            for slug, m in catalog.items()
            if lowered
            in {m["name"].lower(), (m.get("plain_name") or "").lower(), *(s.lower() for s in m.get("synonyms") or [])}
        ]
        if len(matches) == 1:
            return matches[0]
        if matches:
            names = ", ".join(sorted(catalog[m]["name"] for m in matches))
            raise forms.ValidationError(f"“{typed}” could be: {names}. Pick one from the list.")
        raise forms.ValidationError("Pick a muscle from the list (name or synonym).")


class MuscleTestForm(forms.ModelForm):
    muscle = FindingForm.base_fields["muscle"]

    class Meta:
        model = MuscleTest
        fields: ClassVar = ["muscle", "side", "phase", "result", "notes"]
        widgets: ClassVar = {"notes": forms.TextInput()}

    clean_muscle = FindingForm.clean_muscle


class OutcomeForm(forms.ModelForm):
    measure = forms.ChoiceField(choices=[("", "Choose a measure…"), *Measure.choices])

    class Meta:
        model = Outcome
        fields: ClassVar = ["measure", "value", "detail"]
        widgets: ClassVar = {"detail": forms.TextInput(attrs={"placeholder": "e.g. ankle dorsiflexion, stairs"})}


class ScreeningForm(forms.ModelForm):
    class Meta:
        model = Screening
        fields: ClassVar = ["rule", "side", "result", "detail"]
        widgets: ClassVar = {"rule": forms.HiddenInput, "detail": forms.TextInput(attrs={"placeholder": "Finding"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["side"].choices = [("", NOT_ONE_SIDE), *Side.choices]  # type: ignore[attr-defined]


class AddendumForm(forms.Form):
    text = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), label="Addendum")


class PlanOptionsForm(forms.Form):
    max_home_care = forms.IntegerField(min_value=0, max_value=10, initial=4, label="Self-care points on the sheet")
    protocol = forms.ChoiceField(choices=(), required=False, label="Self-care protocol")
    rebuild = forms.BooleanField(required=False, widget=forms.HiddenInput)  # a confirmed plan: back to proposed

    def __init__(self, *args: Any, protocols: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["protocol"].choices = [("", "Default"), *protocols]  # type: ignore[attr-defined]


class PlanStepForm(forms.Form):
    """The practitioner's own step: a muscle and side charted in this visit (`target`, "muscle:side"), their reason
    (required) and a note for the patient; services.plan_step_add checks it against the red-flag screens."""

    target = forms.ChoiceField(label="Muscle and side (charted in this visit)", choices=())
    reason = forms.CharField(
        label="Reason (your clinical judgement)", max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    patient_note = forms.CharField(
        label="Note for the patient (optional, printed on the home-care sheet)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "Choose a charted muscle…"), *targets]  # type: ignore[attr-defined]

    def clean_target(self) -> tuple[str, str]:
        muscle, _, side = self.cleaned_data["target"].partition(":")
        return muscle, side


class StepRationaleForm(forms.Form):
    rationale = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class StepNoteForm(forms.Form):
    """The practitioner's words to the patient about one step, printed beside that spot on the home-care sheet."""

    patient_note = forms.CharField(max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PlanWordsForm(forms.Form):
    """What the home-care sheet says beyond the plan: the practitioner's note, and large type."""

    patient_note = forms.CharField(
        label="Note for the patient (printed on the home-care sheet)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    large_type = forms.BooleanField(label="Print the sheet in large type", required=False)


class ReferralLetterForm(forms.Form):
    """The referral letter's editable text; a field left empty (or the generated text sent back unchanged) prints the
    generated default, which keeps following the chart."""

    recipient = forms.CharField(
        max_length=300, required=False, label="To", help_text="Empty: the patient's general practitioner."
    )
    body = forms.CharField(
        max_length=10000,
        required=False,
        strip=False,
        label="Letter text",
        help_text="Empty: the generated text. The finding, the screen's criteria and what was done follow it.",
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)


class FavouriteSaveForm(forms.Form):
    """Save the visit's findings and muscle tests as a favourite set (services.favourite_create_from_visit)."""

    name = forms.CharField(
        max_length=100, label="Name of the set", widget=forms.TextInput(attrs={"placeholder": "e.g. Runner's knee"})
    )
    shared = forms.BooleanField(required=False, label="Share with the clinic")
    complaint_side = forms.BooleanField(
        required=False,
        initial=True,
        label="Save the complaint's side as “the side of the complaint”",
        help_text="So the set charts on the side of the next patient's complaint.",
    )


class ObservationForm(forms.ModelForm):
    """A posture or gait observation (issue 23); the kinds are the catalog's (history vocabulary `observations`)."""

    kind = forms.ChoiceField(choices=(), label="Observation")
    side = forms.ChoiceField(choices=(), required=False)

    class Meta:
        model = Observation
        fields: ClassVar = ["kind", "side", "detail"]
        widgets: ClassVar = {"detail": forms.TextInput(attrs={"placeholder": "e.g. clearer when walking fast"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose…"), *history_choices("observations")]  # type: ignore[attr-defined]
        self.fields["side"].choices = [("", NOT_ONE_SIDE), *Side.choices]  # type: ignore[attr-defined]


class HistoryForm(forms.ModelForm):
    """The complaint's history (issue 23): quick to chart — a date or "about N weeks ago", pick lists from the catalog's
    history vocabularies with free text beside. `version` is the one read (0 before the first save); the service
    validates everything again and resolves the change within the patient's stressors (assessments.services)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    weeks_ago = forms.IntegerField(
        required=False, min_value=0, max_value=1000, label="Or: began about … weeks ago",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    mechanism = forms.ChoiceField(choices=(), required=False, label="How it began")
    change_stressor = forms.ChoiceField(choices=(), required=False, label="The change it came after")
    course = forms.ChoiceField(choices=(), required=False, widget=forms.RadioSelect, label="Since it began")
    patterns = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple, label="Over 24 hours"
    )
    aggravating = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple, label="Worse with"
    )
    easing = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple, label="Eased by"
    )
    systemic_signs = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple, label="Feels unwell"
    )

    class Meta:
        model = VisitHistory
        fields: ClassVar = [
            "onset", "mechanism", "course", "patterns", "aggravating", "aggravating_detail",
            "easing", "easing_detail", "systemic_signs", "previous_episodes", "detail",
        ]  # fmt: skip
        widgets: ClassVar = {
            "onset": DateInput,
            "aggravating_detail": forms.TextInput(attrs={"placeholder": "Other, in your words"}),
            "easing_detail": forms.TextInput(attrs={"placeholder": "Other, in your words"}),
            "detail": forms.TextInput(),
            "previous_episodes": forms.NumberInput(attrs={"min": 0, "max": 99}),
        }
        labels: ClassVar = {
            "onset": "Began on",
            "aggravating_detail": "Worse with (other)",
            "easing_detail": "Eased by (other)",
            "previous_episodes": "Earlier episodes",
            "detail": "History notes",
        }

    def __init__(
        self,
        *args: Any,
        stressors: Sequence[tuple[str, str]] = (),
        visit_date: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.visit_date = visit_date
        self.carried_from: datetime.date | None = None  # the visit whose history the initial values come from
        fields: dict[str, Any] = self.fields
        fields["mechanism"].choices = [("", "—"), *history_choices("mechanisms")]
        fields["change_stressor"].choices = [("", "—"), *stressors]
        fields["course"].choices = history_choices("courses")
        fields["patterns"].choices = history_choices("patterns")
        fields["aggravating"].choices = history_choices("activities")
        fields["easing"].choices = history_choices("activities")
        fields["systemic_signs"].choices = history_choices("systemic_signs")
        if self.instance.pk and self.instance.change_stressor_id:
            self.initial["change_stressor"] = str(self.instance.change_stressor_id)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        weeks = cleaned.pop("weeks_ago", None)
        if weeks is not None and not cleaned.get("onset"):  # "about N weeks ago", counted from the visit's day
            cleaned["onset"] = (self.visit_date or timezone.localdate()) - datetime.timedelta(weeks=weeks)
        cleaned["change_stressor"] = cleaned.get("change_stressor") or None
        return cleaned
