"""The owner's page for the clinic's own details: name, address and phone (printed on its documents) and time zone.

The write goes through clinic.services.clinic_update; bad input re-renders the page with the errors inline and
answers 400, and nothing is saved.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clinic import services
from clinic.models import Clinic
from clinic.pages import apply_service
from clinic.roles import Capability, role_required
from clinic.tenancy import actor_of, clinic_of
from clinic.validators import time_zone_names
from clinic.views import clinic_member_required


def time_zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone the system knows, sorted by name (a select's type-ahead jumps to "Europe/L…")."""
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]


class ClinicSettingsForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="Printed on the clinic's documents.")
    address = forms.CharField(max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    phone = forms.CharField(max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    time_zone = forms.ChoiceField(
        choices=(),
        help_text="The clinic's “today” for visit dates and the times on its pages. Type to jump, e.g. “Europe/L”.",
        error_messages={"invalid_choice": "“%(value)s” is not a time zone: choose one from the list."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = self.fields["time_zone"]
        assert isinstance(zone, forms.ChoiceField)
        zone.choices = time_zone_choices()

    @classmethod
    def of(cls, clinic: Clinic) -> "ClinicSettingsForm":
        return cls(initial={f: getattr(clinic, f) for f in services.CLINIC_SETTINGS_FIELDS})


@clinic_member_required
@role_required(Capability.MANAGE_CLINIC)
@require_http_methods(["GET", "POST"])
def clinic_settings(request: HttpRequest) -> HttpResponse:
    clinic = clinic_of(request)
    if request.method == "GET":
        return render(request, "clinic/settings.html", {"form": ClinicSettingsForm.of(clinic)})
    form = ClinicSettingsForm(request.POST)
    status = 400
    if form.is_valid():
        _, status = apply_service(
            form, lambda: services.clinic_update(clinic=clinic, actor=actor_of(request), **form.cleaned_data)
        )
    if status == 200:
        messages.success(request, "Clinic settings saved.")
        return redirect("clinic-settings")
    return render(request, "clinic/settings.html", {"form": form}, status=status)
