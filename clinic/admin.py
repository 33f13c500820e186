from typing import Any

from django import forms
from django.contrib import admin

from clinic.models import Clinic, Membership
from clinic.validators import time_zone_names


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


class ClinicAdminForm(forms.ModelForm):
    """The clinic's details; the time zone is picked from the IANA names the system knows (and validated by the
    model against the same list)."""

    class Meta:
        model = Clinic
        fields = ("name", "address", "phone", "email", "paper_size", "time_zone")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget = forms.Select(choices=[(name, name) for name in sorted(time_zone_names())])


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    form = ClinicAdminForm
    list_display = ("name", "phone", "email", "paper_size", "time_zone")
    search_fields = ("name",)
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "clinic", "role", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "clinic__name")
