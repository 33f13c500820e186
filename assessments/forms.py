"""Forms for charting a visit on the practitioner pages; the services validate everything again."""

from typing import Any, ClassVar

from django import forms

from assessments.models import Finding, FindingStatus, Measure, MuscleTest, Outcome, PainSite, Screening, Visit
from catalog.vocabulary import Side, grouped_zone_choices, muscles
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
