"""Practitioner pages for patients, with htmx partials for the stressor and injury panels.

Views only adapt: a form parses, one service or selector does the work, a template (or a partial for htmx) renders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from clinic.db import planned_for_their_values
from clinic.pages import apply_service, form_data
from clinic.roles import Capability, role_required
from clinic.selectors import get_or_404
from clinic.tenancy import actor_of, clinic_of
from clinic.views import clinic_member_required
from patients import selectors, services
from patients.forms import InjuryForm, PatientForm, StressorForm, TreatmentForm
from patients.models import Patient


def _patient_scope(
    request: HttpRequest, patient_id: str, panel_name: str | None = None, object_id: str | None = None, **_: Any
) -> None:
    """The patient (and the panel's record) named in the path, in the acting clinic; else 404."""
    clinic = clinic_of(request)
    patient = selectors.patient_get(clinic=clinic, patient_id=patient_id)
    if panel_name is not None:
        panel = _panel(panel_name)
        if object_id is not None and panel.get(clinic, object_id).patient_id != patient.pk:
            raise Http404("Not found.")


def _panel_capability(panel_name: str, **_: Any) -> Capability:
    """Stressors are front-desk patient details; old injuries are clinical history."""
    return Capability.EDIT_PATIENTS if panel_name == "stressors" else Capability.CHART


@clinic_member_required
@role_required(Capability.VIEW_PATIENTS)
@planned_for_their_values()  # the name search (clinic.db)
def patient_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:100]
    page = Paginator(selectors.patient_list(clinic=clinic_of(request), search=search), 50).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "q": search}
    if request.htmx and request.htmx.target == "patient-results":  # type: ignore[attr-defined]
        return render(request, "patients/partials/_patient_results.html", context)
    return render(request, "patients/list.html", context)


@clinic_member_required
@role_required(Capability.EDIT_PATIENTS)
@require_http_methods(["GET", "POST"])
def patient_create(request: HttpRequest) -> HttpResponse:
    form = PatientForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            patient, status = apply_service(
                form,
                lambda: services.patient_create(
                    clinic=clinic_of(request), actor=actor_of(request), data=form_data(form)
                ),
            )
            if patient is not None:
                return redirect("assessments:chart", patient_id=patient.pk)
    return render(request, "patients/form.html", {"form": form, "patient": None}, status=status)


@clinic_member_required
@role_required(Capability.EDIT_PATIENTS, scope=_patient_scope)
@require_http_methods(["GET", "POST"])
def patient_edit(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = selectors.patient_get(clinic=clinic_of(request), patient_id=patient_id)
    form = PatientForm(request.POST or None, instance=patient, initial={"version": patient.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            saved, status = apply_service(
                form,
                lambda: services.patient_update(
                    patient=selectors.patient_get(clinic=clinic_of(request), patient_id=patient_id),
                    actor=actor_of(request),
                    changes=form_data(form),
                    expected_version=form.cleaned_data.get("version"),
                ),
            )
            if saved is not None:
                return redirect("assessments:chart", patient_id=patient.pk)
    return render(request, "patients/form.html", {"form": form, "patient": patient}, status=status)


@dataclass(frozen=True)
class Panel:
    """A list of a patient's child records edited inline with htmx (stressors, old injuries)."""

    name: str
    title: str
    form_class: type[ModelForm[Any]]
    items: Callable[[Patient], Any]
    get: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    archive: Callable[..., Any]
    object_arg: str


STRESSORS = Panel(
    name="stressors",
    title="Stressors",
    form_class=StressorForm,
    items=lambda p: list(selectors.stressor_list(patient=p)),
    get=lambda clinic, object_id: selectors.stressor_get(clinic=clinic, stressor_id=object_id),
    create=services.stressor_create,
    update=services.stressor_update,
    archive=services.stressor_archive,
    object_arg="stressor",
)
INJURIES = Panel(
    name="injuries",
    title="Old injuries",
    form_class=InjuryForm,
    items=lambda p: list(selectors.injury_list(patient=p)),
    get=lambda clinic, object_id: selectors.injury_get(clinic=clinic, injury_id=object_id),
    create=services.injury_create,
    update=services.injury_update,
    archive=services.injury_archive,
    object_arg="injury",
)
TREATMENTS = Panel(
    name="treatments",
    title="Treatments tried",
    form_class=TreatmentForm,
    items=lambda p: list(selectors.treatment_list(patient=p)),
    get=lambda clinic, object_id: get_or_404(selectors.treatment_queryset(clinic=clinic), object_id),
    create=services.treatment_create,
    update=services.treatment_update,
    archive=services.treatment_archive,
    object_arg="treatment",
)
PANELS = {panel.name: panel for panel in (STRESSORS, INJURIES, TREATMENTS)}


def panel_context(
    panel: Panel,
    patient: Patient,
    items: list[Any],
    *,
    form: ModelForm[Any] | None = None,
    editing: Any = None,
    edit_form: ModelForm[Any] | None = None,
    focus_item: Any = "",
    added: bool = False,
) -> dict[str, Any]:
    return {
        "added": added,
        "focus_item": str(focus_item),
        "panel": panel,
        "patient": patient,
        "items": items,
        "form": form or panel.form_class(prefix=f"new-{panel.name}"),
        "editing": editing,
        "edit_form": edit_form,
        "add_url": reverse("patients:panel-add", args=[patient.pk, panel.name]),
    }


def _render_panel(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "patients/partials/_panel.html", context, status=status)
        if status == 200:
            response["HX-Trigger"] = "charted"  # a visit page showing this panel refreshes its analysis
        return response
    if status == 200:
        return redirect("assessments:chart", patient_id=context["patient"].pk)
    return render(request, "patients/panel_page.html", context, status=status)


def _panel(name: str) -> Panel:
    if name not in PANELS:
        raise Http404("Not found.")
    return PANELS[name]


@clinic_member_required
@role_required(_panel_capability, scope=_patient_scope)
@require_http_methods(["GET", "POST"])
def panel_add(request: HttpRequest, patient_id: str, panel_name: str) -> HttpResponse:
    """POST adds an item (the panel again, errors inline); GET is the panel as it is, what an edit's Cancel (or
    Escape) swaps back in, the focus on the item's Edit control (`?item=`)."""
    panel = _panel(panel_name)
    patient = selectors.patient_get(clinic=clinic_of(request), patient_id=patient_id)
    if request.method == "GET":
        context = panel_context(panel, patient, panel.items(patient), focus_item=request.GET.get("item", ""))
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "patients/partials/_panel.html", context)
        return redirect("assessments:chart", patient_id=patient.pk)
    form: ModelForm[Any] | None = panel.form_class(request.POST, prefix=f"new-{panel.name}")
    status = 400
    if form is not None and form.is_valid():
        valid_form = form
        created, status = apply_service(
            valid_form, lambda: panel.create(patient=patient, actor=actor_of(request), data=form_data(valid_form))
        )
        if created is not None:
            form = None  # a fresh form after a successful add, kept open with the focus in it for the next one
    context = panel_context(panel, patient, panel.items(patient), form=form, added=status == 200)
    return _render_panel(request, context, status)


@clinic_member_required
@role_required(_panel_capability, scope=_patient_scope)
@require_http_methods(["GET", "POST"])
def panel_edit(request: HttpRequest, patient_id: str, panel_name: str, object_id: str) -> HttpResponse:
    panel = _panel(panel_name)
    clinic = clinic_of(request)
    patient = selectors.patient_get(clinic=clinic, patient_id=patient_id)
    obj = panel.get(clinic, object_id)
    if obj.patient_id != patient.pk:
        raise Http404("Not found.")
    prefix = f"edit-{obj.pk}"
    edit_form = panel.form_class(request.POST or None, instance=obj, prefix=prefix, initial={"version": obj.version})
    status = 200
    if request.method == "POST":
        status = 400
        if edit_form.is_valid():
            saved, status = apply_service(
                edit_form,
                lambda: panel.update(
                    **{panel.object_arg: panel.get(clinic, object_id)},
                    actor=actor_of(request),
                    changes=form_data(edit_form),
                    expected_version=edit_form.cleaned_data.get("version"),
                ),
            )
            if saved is not None:
                return _render_panel(request, panel_context(panel, patient, panel.items(patient), focus_item=obj.pk))
    context = panel_context(panel, patient, panel.items(patient), editing=obj, edit_form=edit_form)
    return _render_panel(request, context, status)


@clinic_member_required
@role_required(_panel_capability, scope=_patient_scope)
@require_POST
def panel_archive(request: HttpRequest, patient_id: str, panel_name: str, object_id: str) -> HttpResponse:
    panel = _panel(panel_name)
    clinic = clinic_of(request)
    patient = selectors.patient_get(clinic=clinic, patient_id=patient_id)
    obj = panel.get(clinic, object_id)
    if obj.patient_id == patient.pk:
        panel.archive(**{panel.object_arg: obj}, actor=actor_of(request))
    return _render_panel(request, panel_context(panel, patient, panel.items(patient)))
