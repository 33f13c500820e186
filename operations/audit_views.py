"""The owner's page on the audit trail: /clinic/audit/, newest first, 50 a page, filtered by user, patient, action,
outcome and dates (days in the clinic's time zone, which the times are shown in: clinic.tenancy). Only the acting
clinic's events; patient names joined in the same query."""

import datetime
from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from clinic.audit.recording import can_read_audit
from clinic.models import AuditAction, AuditEvent, AuditOutcome, Clinic
from clinic.tenancy import clinic_of
from clinic.views import clinic_member_required
from patients.models import Patient

PAGE_SIZE = 50
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def audit_events(*, clinic: Clinic) -> QuerySet[AuditEvent]:
    """The clinic's events, newest first, each with its user and its patient's name (one query per page)."""
    names = Patient.objects.filter(clinic_id=OuterRef("clinic_id"), pk=OuterRef("patient_id")).values(
        name=Concat("first_name", Value(" "), "last_name")
    )
    return (
        AuditEvent.objects.filter(clinic=clinic)
        .select_related("user")
        .annotate(patient_name=Subquery(names[:1]))
        .order_by("-at", "-id")
    )


def _clinic_users(request: HttpRequest | None) -> QuerySet[Any]:
    clinic = getattr(request, "clinic", None)
    return get_user_model().objects.filter(memberships__clinic=clinic).order_by("username").distinct()


def _day_start(value: datetime.date) -> datetime.datetime:
    """The first instant of the day in the time zone the request runs in (the acting clinic's)."""
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


class AuditEventFilter(django_filters.FilterSet):
    user = django_filters.ModelChoiceFilter(queryset=_clinic_users, empty_label="Anyone")
    patient = django_filters.UUIDFilter(field_name="patient_id", label="Patient id")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, empty_label="Any action")
    outcome = django_filters.ChoiceFilter(choices=AuditOutcome.choices, empty_label="Any outcome")
    since = django_filters.DateFilter(label="From", method="filter_since", widget=DATE)
    until = django_filters.DateFilter(label="To (inclusive)", method="filter_until", widget=DATE)

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def filter_since(self, queryset: QuerySet[AuditEvent], name: str, value: datetime.date) -> QuerySet[AuditEvent]:
        return queryset.filter(at__gte=_day_start(value))

    def filter_until(self, queryset: QuerySet[AuditEvent], name: str, value: datetime.date) -> QuerySet[AuditEvent]:
        return queryset.filter(at__lt=_day_start(value + datetime.timedelta(days=1)))


@clinic_member_required
@require_GET
def audit_trail(request: HttpRequest) -> HttpResponse:
    if not can_read_audit(request):
        return render(request, "clinic/audit_forbidden.html", status=403)
    events = AuditEventFilter(request.GET or None, queryset=audit_events(clinic=clinic_of(request)), request=request)
    if events.is_bound and not events.is_valid():
        return render(request, "clinic/audit.html", {"filter": events, "page": None}, status=400)
    page = Paginator(events.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "clinic/audit.html", {"filter": events, "page": page})
