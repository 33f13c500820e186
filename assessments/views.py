"""Practitioner pages for charting a visit. Every section re-renders as an htmx partial; nothing reloads the page.

Views only adapt: a form parses, one service does the write, the page selector reads everything in fixed queries.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from assessments import document_selectors, selectors, services
from assessments.cache import cached_value, page_owner
from assessments.forms import (
    FAMILIAR_PAIN_CHOICES,
    AddendumForm,
    FavouriteSaveForm,
    FindingForm,
    HistoryForm,
    MuscleTestForm,
    ObservationForm,
    OutcomeForm,
    PainSiteForm,
    PlanOptionsForm,
    PlanStepForm,
    PlanWordsForm,
    ReferralLetterForm,
    ScreeningForm,
    StepNoteForm,
    StepRationaleForm,
    VisitForm,
)
from assessments.models import (
    Finding,
    MuscleTest,
    Observation,
    Outcome,
    PainSite,
    Screening,
    TestResult,
    VisitChild,
    VisitKind,
)
from catalog.selectors import muscle_list
from catalog.templatetags.catalog_labels import muscle_name, zone_name
from catalog.vocabulary import history_words, stressor_kind_label
from clinic.errors import ConflictError, LockedError
from clinic.pages import add_service_errors, apply_service, form_data
from clinic.roles import Capability, request_can, role_required
from clinic.selectors import get_or_404
from clinic.tenancy import actor_of, clinic_of
from clinic.views import clinic_member_required
from patients.selectors import patient_chart_of, patient_get, treatment_list
from patients.views import INJURIES, STRESSORS, TREATMENTS, panel_context


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    model: type[VisitChild]
    form_class: type[forms.ModelForm]
    template: str


SECTIONS = {
    s.name: s
    for s in (
        Section("pain-sites", "Pain sites", PainSite, PainSiteForm, "assessments/partials/_pain_sites.html"),
        Section("findings", "Palpation findings", Finding, FindingForm, "assessments/partials/_findings.html"),
        Section("muscle-tests", "Muscle tests", MuscleTest, MuscleTestForm, "assessments/partials/_muscle_tests.html"),
        Section("outcomes", "Outcome measures", Outcome, OutcomeForm, "assessments/partials/_outcomes.html"),
        Section("screening", "Red-flag screening", Screening, ScreeningForm, "assessments/partials/_screening.html"),
        Section(
            "observations", "Posture and gait", Observation, ObservationForm, "assessments/partials/_observations.html"
        ),
    )
}
CHARTED = {"HX-Trigger": "charted"}
TARGET_FIELDS = {"muscle": "target", "side": "target"}


def _patient_scope(request: HttpRequest, patient_id: str, **_: Any) -> None:
    patient_get(clinic=clinic_of(request), patient_id=patient_id)


def _visit_scope(
    request: HttpRequest, visit_id: str, section_name: str | None = None, child_id: str | None = None, **_: Any
) -> None:
    """The visit, the section's record and the `?with=` visit named by the request, in the acting clinic; else 404."""
    clinic = clinic_of(request)
    selectors.visit_get(clinic=clinic, visit_id=visit_id)
    if section_name is not None:
        section = _section(section_name)
        if child_id is not None:
            child = get_or_404(selectors.child_queryset(section.model, clinic=clinic), child_id)
            if str(child.visit_id) != str(visit_id):
                raise Http404("Not found.")
    other = request.GET.get("with")
    if other:
        try:
            uuid.UUID(other)
        except ValueError:
            return
        selectors.visit_get(clinic=clinic, visit_id=other)


def _removed_scope(request: HttpRequest, visit_id: str, section_name: str, child_id: str, **_: Any) -> None:
    """The visit and the section's removed (archived) row, in the acting clinic; else 404."""
    _removed_child(request, _section(section_name), visit_id, child_id)


def _section(name: str) -> Section:
    if name not in SECTIONS:
        raise Http404("Not found.")
    return SECTIONS[name]


def _lazy(compute: Callable[[], Any]) -> Any:
    """A context value computed when a template first reads it: inside a `{% cache %}` fragment that is found in the
    cache, never."""
    return SimpleLazyObject(compute)


def _page_context(request: HttpRequest, visit_id: Any, **overrides: Any) -> dict[str, Any]:
    """The visit page's context. `head` (the visit with its patient, one query) names the page and carries the
    patient's data stamp, read before anything else; the rest is read only when the page's fragment is rendered."""
    clinic = clinic_of(request)
    head = selectors.visit_get(clinic=clinic, visit_id=visit_id)
    page = _lazy(lambda: selectors.visit_page(clinic=clinic, visit_id=visit_id))
    context: dict[str, Any] = {
        "head": head,
        "page": page,
        "visit": _lazy(lambda: page.visit),
        "patient": _lazy(lambda: page.visit.patient),
        "plan": _lazy(lambda: page.plan),
        "analysis": _lazy(lambda: page.analysis),
        "muscle_options": _lazy(muscle_list),
        "details_form": _lazy(lambda: VisitForm(instance=page.visit, initial={"version": page.visit.version})),
        "history_form": _lazy(lambda: _history_form(page)),
        "history": _lazy(lambda: page.history),
        "treatment_panel": _lazy(lambda: panel_context(TREATMENTS, page.visit.patient, page.treatments)),
        "forms": {_key(name): _lazy(partial(s.form_class, prefix=name)) for name, s in SECTIONS.items()},
        "stressor_labels": _lazy(lambda: {str(st.pk): st.kind_label for st in page.stressors}),
        "addendum_form": _lazy(AddendumForm),
        "plan_form": _lazy(
            lambda: PlanOptionsForm(protocols=selectors.protocol_choices(), initial=_plan_initial(page.plan))
        ),
        "words_form": _lazy(lambda: PlanWordsForm(initial=_words_initial(page.plan))),
        "plan_review": _lazy(lambda: page.plan_review),
        "step_form": _lazy(
            lambda: PlanStepForm(
                prefix="add-step",
                targets=_step_targets(page),
                initial={"version": page.plan.version if page.plan else None},
            )
        ),
        "marked_zones": _lazy(lambda: [(p.zone, p.side) for p in page.visit.pain_sites.all()]),
        "complaint_side": _lazy(lambda: _complaint_side(page.visit)),
        "referral": _lazy(lambda: document_selectors.referral_state_or_none(visit=page.visit)),
        "referral_form": _lazy(lambda: _referral_form(context["referral"])),
        "stressor_panel": _lazy(lambda: panel_context(STRESSORS, page.visit.patient, page.stressors)),
        "injury_panel": _lazy(lambda: panel_context(INJURIES, page.visit.patient, page.injuries)),
        "removed": {_key(name): _lazy(partial(_last_removed, page, s.model)) for name, s in SECTIONS.items()},
        "editing": None,
        "focus_row": None,
        "status_choices": FAMILIAR_PAIN_CHOICES,
        "result_choices": TestResult.choices,
        "carry": _lazy(lambda: _carry_form(page.carry_forward) if page.carry_forward else None),
    }
    context.update(overrides)
    return context


def _complaint_side(visit: Any) -> str:
    """The side of the visit's complaint, from its prefetched pain sites (as selectors.complaint_side): the main
    pain site's, else the one side they all share; "" when none. New findings and tests start on it (body_chart.js),
    visibly, and the practitioner changes it when the point is elsewhere."""
    sites = sorted(visit.pain_sites.all(), key=lambda p: not p.primary)
    if not sites:
        return ""
    if sites[0].primary:
        return str(sites[0].side)
    sides = {p.side for p in sites}
    return str(sides.pop()) if len(sides) == 1 else ""


def _key(section_name: str) -> str:
    return section_name.replace("-", "_")


def _last_removed(page: selectors.VisitPage, model: type[VisitChild]) -> dict[str, Any] | None:
    """The section's removal still offered for undo (selectors.last_removed), with the label its message names."""
    removed = selectors.last_removed(model, visit=page.visit)
    return {"item": removed, "label": _row_label(removed)} if removed is not None else None


def _row_label(child: VisitChild) -> str:
    """A charted row as the practitioner reads it in the section's messages ("Removed Soleus (right). Undo")."""
    if isinstance(child, Finding):
        where = f", {child.location}" if child.location else ""
        return f"{muscle_name(child.muscle)} ({child.get_side_display().lower()}{where})"
    if isinstance(child, MuscleTest):
        return f"{muscle_name(child.muscle)} ({child.get_side_display().lower()}, {child.get_phase_display().lower()})"
    if isinstance(child, PainSite):
        return f"{zone_name(child.zone)} ({child.get_side_display().lower()})"
    if isinstance(child, Outcome):
        return child.get_measure_display() + (f" ({child.detail})" if child.detail else "")
    if isinstance(child, Screening):
        return selectors.screen_label(child)
    if isinstance(child, Observation):
        side = f" ({child.get_side_display().lower()})" if child.side else ""
        return f"{history_words('observations').get(child.kind, child.kind)}{side}"
    return str(child)


def _step_targets(page: selectors.VisitPage) -> list[tuple[str, str]]:
    """The muscles and sides charted in this visit, for a step of the practitioner's own; each says when the engine
    proposes it already or a red flag blocks it (the service refuses that one, TO-00)."""
    targets = []
    for item in page.analysis.charted:
        label = f"{muscle_name(item.muscle)} ({item.side})"
        if item.blocked_by:
            label += f" — blocked by {', '.join(item.blocked_by)}"
        elif item.proposed:
            label += " — proposed by the engine"
        targets.append((f"{item.muscle}:{item.side}", label))
    return targets


def _words_initial(plan: Any) -> dict[str, Any]:
    return {"patient_note": plan.patient_note, "large_type": plan.large_type} if plan else {}


def _plan_initial(plan: Any) -> dict[str, Any]:
    return {"max_home_care": plan.max_home_care if plan else 4, "protocol": plan.protocol if plan else ""}


def _render_section(request: HttpRequest, section: Section, visit_id: Any, *, status: int = 200, **overrides: Any):
    context = _page_context(request, visit_id)
    if "form" in overrides:
        context["forms"] = {**context["forms"], _key(section.name): overrides.pop("form")}
    context.update(overrides)
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, section.template, context, status=status)
        if status == 200:
            for header, value in CHARTED.items():
                response[header] = value
        return response
    if status == 200 and request.method == "POST":
        return redirect("assessments:visit", visit_id=visit_id)
    return render(request, "assessments/visit.html", context, status=status)


@clinic_member_required
@role_required(Capability.VIEW_PATIENTS, scope=_patient_scope)
@require_GET
def chart_page(request: HttpRequest, patient_id: str) -> HttpResponse:
    """The patient's chart: details, stressors, old injuries, the visits and their trends; a role without clinical
    access sees only the visits' dates, kinds and status. The patient row (with its data stamp) is read first; the
    rest only when the page's fragment is not in the cache (templates/assessments/chart.html)."""
    clinic = clinic_of(request)
    patient = patient_get(clinic=clinic, patient_id=patient_id)
    chart = _lazy(lambda: patient_chart_of(patient))
    context: dict[str, Any] = {
        "patient": patient,
        "chart": chart,
        "stressor_panel": _lazy(lambda: panel_context(STRESSORS, patient, chart.stressors)),
    }
    if request_can(request, Capability.VIEW_CLINICAL):
        clinical = _lazy(
            lambda: cached_value(
                kind="chart",
                clinic_id=patient.clinic_id,
                patient_id=patient.pk,
                stamp=patient.data_version,
                params=(),
                compute=lambda: (
                    selectors.visit_timeline(patient=patient),
                    selectors.patient_progress(clinic=clinic, patient_id=patient.pk)[2],
                ),
            )
        )
        context.update(
            timeline=_lazy(lambda: clinical[0]),
            progress=_lazy(lambda: clinical[1]),
            injury_panel=_lazy(lambda: panel_context(INJURIES, patient, chart.injuries)),
            treatment_panel=_lazy(lambda: panel_context(TREATMENTS, patient, list(treatment_list(patient=patient)))),
        )
    elif request_can(request, Capability.VIEW_SCHEDULE):
        context["schedule"] = _lazy(lambda: selectors.visit_schedule(clinic=clinic, patient=patient))
    context["fragment_owner"] = page_owner(request)
    return render(request, "assessments/chart.html", context)


@clinic_member_required
@role_required(Capability.CHART, scope=_patient_scope)
@require_POST
def visit_create(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = patient_get(clinic=clinic_of(request), patient_id=patient_id)
    kind = VisitKind.FOLLOW_UP if patient.visits.exists() else VisitKind.INITIAL
    visit = services.visit_create(
        patient=patient, actor=actor_of(request), data={"date": timezone.localdate(), "kind": kind}
    )
    return redirect("assessments:visit", visit_id=visit.pk)


@clinic_member_required
@role_required(Capability.VIEW_CLINICAL, scope=_visit_scope)
@require_GET
def visit_page(request: HttpRequest, visit_id: str) -> HttpResponse:
    return render(
        request, "assessments/visit.html", _page_context(request, visit_id, fragment_owner=page_owner(request))
    )


def _history_form(page: selectors.VisitPage, data: Any = None) -> HistoryForm:
    """The history form of the visit (issue 23), with the patient's stressors to name the change it came after."""
    row = page.history
    stressors = [(str(st.pk), st.kind_label) for st in page.stressors]
    initial: dict[str, Any] = {"version": row.version if row is not None else 0}
    last = page.last_history if row is None and not page.visit.is_signed else None
    if last is not None:  # a follow-up starts from the last visit's history: nothing is saved until it is confirmed
        initial.update({name: getattr(last, name) for name in HistoryForm.Meta.fields})
        initial["change_stressor"] = str(last.change_stressor_id or "")
    form = HistoryForm(
        data, instance=row, stressors=stressors, visit_date=page.visit.date, prefix="history", initial=initial
    )
    form.carried_from = page.previous.date if last is not None and page.previous is not None else None
    return form


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def visit_history(request: HttpRequest, visit_id: str) -> HttpResponse:
    """Chart or change the complaint's history (services.history_save); the section again, errors inline (400), a
    stale version refused (409) with the current values."""
    page = selectors.visit_page(clinic=clinic_of(request), visit_id=visit_id)
    form = _history_form(page, request.POST)
    status = 400
    if form.is_valid():
        _, status = apply_service(
            form,
            lambda: services.history_save(
                visit=page.visit,
                actor=actor_of(request),
                changes=form_data(form),
                expected_version=form.cleaned_data.get("version"),
            ),
        )
    context = _page_context(request, visit_id, history_saved=status == 200)
    if status != 200:
        context["history_form"] = form
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "assessments/partials/_history.html", context, status=status)
        if status == 200:
            response["HX-Trigger"] = "charted"  # the analysis reads the history (HX rules)
        return response
    if status == 200:
        return redirect("assessments:visit", visit_id=visit_id)
    return render(request, "assessments/visit.html", context, status=status)


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def visit_details(request: HttpRequest, visit_id: str) -> HttpResponse:
    visit = selectors.visit_get(clinic=clinic_of(request), visit_id=visit_id)
    form = VisitForm(request.POST, instance=visit)
    status = 400
    if form.is_valid():
        _, status = apply_service(
            form,
            lambda: services.visit_update(
                visit=selectors.visit_get(clinic=clinic_of(request), visit_id=visit_id),
                actor=actor_of(request),
                changes=form_data(form),
                expected_version=form.cleaned_data.get("version"),
            ),
        )
    context = _page_context(request, visit_id)
    context["saved"] = status == 200
    if status != 200:
        context["details_form"] = form
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "assessments/partials/_details.html", context, status=status)
    return (
        redirect("assessments:visit", visit_id=visit_id)
        if status == 200
        else render(request, "assessments/visit.html", context, status=status)
    )


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def section_add(request: HttpRequest, visit_id: str, section_name: str) -> HttpResponse:
    section = _section(section_name)
    visit = selectors.visit_get(clinic=clinic_of(request), visit_id=visit_id)
    form = section.form_class(request.POST, prefix=section.name)
    status = 400
    if form.is_valid():
        created, status = apply_service(
            form,
            lambda: services.child_create(
                model=section.model, visit=visit, actor=actor_of(request), data=form_data(form)
            ),
        )
        if created is not None:
            return _render_section(request, section, visit_id)
        return _render_section(
            request, section, visit_id, status=status, form=form, duplicate_of=_charted_twin(section.model, visit, form)
        )
    return _render_section(request, section, visit_id, status=status, form=form)


UNIQUE_KEYS: dict[type[VisitChild], tuple[str, ...]] = {
    PainSite: ("zone", "side"),
    Finding: ("muscle", "side", "location"),
    MuscleTest: ("muscle", "side", "phase"),
    Outcome: ("measure", "detail"),
    Screening: ("rule", "side"),
}


def _twin(model: type[VisitChild], visit: Any, values: dict[str, Any]) -> dict[str, Any] | None:
    """The live row of the visit that `values` would repeat (a visit charts a muscle, side and location once...), with
    its label, so that "edit that one instead" can open it; None when there is none."""
    key = {field: values.get(field) or "" for field in UNIQUE_KEYS[model]}
    if not all(key.get(f) for f in UNIQUE_KEYS[model][:1]):
        return None
    twin = selectors.visit_children(model, visit=visit).filter(**key).first()
    if twin is None:
        return None
    section = next(s for s in SECTIONS.values() if s.model is model)
    return {"item": twin, "label": _row_label(twin), "section_name": section.name}


def _charted_twin(model: type[VisitChild], visit: Any, form: forms.BaseForm) -> dict[str, Any] | None:
    return _twin(model, visit, form.cleaned_data) if form.errors and hasattr(form, "cleaned_data") else None


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def section_remove(request: HttpRequest, visit_id: str, section_name: str, child_id: str) -> HttpResponse:
    section = _section(section_name)
    clinic = clinic_of(request)
    child = get_or_404(selectors.child_queryset(section.model, clinic=clinic), child_id)
    if str(child.visit_id) != str(visit_id):
        raise Http404("Not found.")
    try:
        services.child_archive(child=child, actor=actor_of(request))
    except ConflictError as exc:
        return _render_section(request, section, visit_id, status=409, section_error=exc.message)
    return _render_section(request, section, visit_id, focus_undo=True)


NO_VERSION = "This form is missing the row's version: reload the page and edit the row again."
STALE_ROW = (
    "Someone else changed {label} since you opened it (or it was saved twice). These are its values now: "
    "apply your change again and save."
)


def _live_child(request: HttpRequest, section: Section, visit_id: Any, child_id: Any) -> VisitChild:
    child = get_or_404(selectors.child_queryset(section.model, clinic=clinic_of(request)), child_id)
    if str(child.visit_id) != str(visit_id):
        raise Http404("Not found.")
    return child


def _removed_child(request: HttpRequest, section: Section, visit_id: Any, child_id: Any) -> VisitChild:
    child = get_or_404(selectors.archived_child_queryset(section.model, clinic=clinic_of(request)), child_id)
    if str(child.visit_id) != str(visit_id):
        raise Http404("Not found.")
    return child


def _edit_form(section: Section, child: VisitChild) -> forms.ModelForm:
    """The row's own form, prefilled with what is charted (a muscle by its catalog name, as the add form takes it)."""
    initial = {"muscle": muscle_name(child.muscle)} if isinstance(child, Finding | MuscleTest) else {}
    return section.form_class(instance=child, initial=initial, prefix=_edit_prefix(section))


def _edit_prefix(section: Section) -> str:
    """A row's form is prefixed by its section's name: two sections may each have a row open at once."""
    return f"edit-{section.name}"


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, visit_id: str, section_name: str, child_id: str) -> HttpResponse:
    """Edit one charted row in place: GET swaps the section in with that row as its prefilled form (the row's version
    hidden in it); POST saves it through the same form and service as adding it (services.child_update: validated,
    version-checked, in one transaction with its audit event). Bad input answers 400 with the errors inline and
    nothing saved; a version changed since answers 409 with the row's values now; a signed visit answers 409."""
    section = _section(section_name)
    child = _live_child(request, section, visit_id, child_id)
    label = _row_label(child)
    if child.visit.is_signed:
        return _render_section(request, section, visit_id, status=409, section_error=LockedError.default_message)
    if request.method == "GET":
        return _render_section(
            request,
            section,
            visit_id,
            editing=child.pk,
            edit_form=_edit_form(section, child),
            edit_version=child.version,
        )
    form = section.form_class(request.POST, prefix=_edit_prefix(section))
    version = _int_or_none(request.POST.get("version"))
    status = 400
    if form.is_valid():
        if version is None:
            form.add_error(None, NO_VERSION)
        else:
            saved, status = apply_service(
                form,
                lambda: services.child_update(
                    child=child, actor=actor_of(request), changes=form_data(form), expected_version=version
                ),
            )
            if saved is not None:
                return _render_section(
                    request, section, visit_id, focus_row=child.pk, section_message=f"Saved {_row_label(saved)}."
                )
    if status == 409:
        current = _live_child(request, section, visit_id, child_id)
        if current.visit.is_signed:
            return _render_section(request, section, visit_id, status=409, section_error=LockedError.default_message)
        return _render_section(
            request,
            section,
            visit_id,
            status=409,
            editing=current.pk,
            edit_form=_edit_form(section, current),
            edit_version=current.version,
            edit_error=STALE_ROW.format(label=label),
        )
    return _render_section(
        request, section, visit_id, status=status, editing=child.pk, edit_form=form, edit_version=version or ""
    )


@clinic_member_required
@role_required(Capability.VIEW_CLINICAL, scope=_visit_scope)
@require_GET
def section_row(request: HttpRequest, visit_id: str, section_name: str, child_id: str) -> HttpResponse:
    """The section again with the row as it is charted, focus on its Edit control: what Cancel (or Escape) shows."""
    section = _section(section_name)
    child = _live_child(request, section, visit_id, child_id)
    return _render_section(request, section, visit_id, focus_row=child.pk)


@clinic_member_required
@role_required(Capability.CHART, scope=_removed_scope)
@require_POST
def section_restore(request: HttpRequest, visit_id: str, section_name: str, child_id: str) -> HttpResponse:
    """Undo a removal (services.child_restore): the row is back as it was; refused on a signed visit (409) and when
    the same row has been charted again since (400, the message says which to edit)."""
    section = _section(section_name)
    child = _removed_child(request, section, visit_id, child_id)
    try:
        restored = services.child_restore(child=child, actor=actor_of(request))
    except ValidationError as exc:
        return _render_section(request, section, visit_id, status=400, section_error=_errors_text(exc))
    except ConflictError as exc:
        return _render_section(request, section, visit_id, status=409, section_error=exc.message)
    return _render_section(
        request, section, visit_id, focus_row=restored.pk, section_message=f"Restored {_row_label(restored)}."
    )


@clinic_member_required
@role_required(Capability.VIEW_CLINICAL, scope=_visit_scope)
@require_GET
def analysis_panel(request: HttpRequest, visit_id: str) -> HttpResponse:
    return render(request, "assessments/partials/_analysis.html", _page_context(request, visit_id))


def _plan_response(
    request: HttpRequest, visit_id: str, *, status: int = 200, error: str = "", **overrides: Any
) -> HttpResponse:
    context = _page_context(request, visit_id, plan_error=error, **overrides)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "assessments/partials/_plan.html", context, status=status)
    if status == 200:
        return redirect("assessments:visit", visit_id=visit_id)
    return render(request, "assessments/visit.html", context, status=status)


def _panel(request: HttpRequest, visit_id: Any, partial: str, context: dict[str, Any], status: int) -> HttpResponse:
    """A panel's answer: the partial for htmx; otherwise back to the visit page, or the page with the errors."""
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, partial, context, status=status)
    if status == 200:
        return redirect("assessments:visit", visit_id=visit_id)
    return render(request, "assessments/visit.html", context, status=status)


def _errors_text(exc: ValidationError | ConflictError) -> str:
    if isinstance(exc, ConflictError):
        return exc.message
    return " ".join(exc.messages)


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def plan_build(request: HttpRequest, visit_id: str) -> HttpResponse:
    visit = selectors.visit_get(clinic=clinic_of(request), visit_id=visit_id)
    form = PlanOptionsForm(request.POST, protocols=selectors.protocol_choices())
    if not form.is_valid():
        return _plan_response(request, visit_id, status=400, error="Choose 0–10 points and a listed protocol.")
    try:
        services.plan_build(
            visit=visit,
            actor=actor_of(request),
            max_home_care=form.cleaned_data["max_home_care"],
            protocol=form.cleaned_data["protocol"],
            rebuild=form.cleaned_data["rebuild"],
        )
    except (ValidationError, ConflictError) as exc:
        return _plan_response(
            request, visit_id, status=409 if isinstance(exc, ConflictError) else 400, error=_errors_text(exc)
        )
    return _plan_response(request, visit_id)


def _edit_steps(request: HttpRequest, visit_id: str, change: Any) -> HttpResponse:
    visit = selectors.visit_get(clinic=clinic_of(request), visit_id=visit_id)
    plan = selectors.plan_get(visit=visit)
    steps = [dict(step) for step in plan.steps]
    try:
        new_steps = change(steps)
        services.plan_edit(
            plan=plan,
            actor=actor_of(request),
            steps=new_steps,
            expected_version=int(request.POST.get("version") or plan.version),
        )
    except (ValidationError, ConflictError) as exc:
        return _plan_response(
            request, visit_id, status=409 if isinstance(exc, ConflictError) else 400, error=_errors_text(exc)
        )
    except (ValueError, IndexError):
        return _plan_response(request, visit_id, status=400, error="That step does not exist.")
    return _plan_response(request, visit_id)


@clinic_member_required
@role_required(Capability.VIEW_CLINICAL, scope=_visit_scope)
@require_GET
def plan_status(request: HttpRequest, visit_id: str) -> HttpResponse:
    """Whether the plan still matches the chart: the plan panel's banner, refreshed after charting."""
    return render(request, "assessments/partials/_plan_stale.html", _page_context(request, visit_id))


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def plan_step_add(request: HttpRequest, visit_id: str) -> HttpResponse:
    """Add the practitioner's own step (htmx: the plan panel again, the form's errors inline)."""
    page = selectors.visit_page(clinic=clinic_of(request), visit_id=visit_id)
    form = PlanStepForm(request.POST, prefix="add-step", targets=_step_targets(page))
    status = 400
    if form.is_valid() and page.plan is not None:
        muscle, side = form.cleaned_data["target"]
        try:
            services.plan_step_add(
                plan=page.plan,
                actor=actor_of(request),
                muscle=muscle,
                side=side,
                reason=form.cleaned_data["reason"],
                patient_note=form.cleaned_data["patient_note"],
                expected_version=form.cleaned_data["version"] or page.plan.version,
            )
            return _plan_response(request, visit_id)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):  # the muscle and side are the form's one `target`
                exc = ValidationError({TARGET_FIELDS.get(f, f): errors for f, errors in exc.error_dict.items()})
            add_service_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            status = 409
    elif page.plan is None:
        form.add_error(None, "Build the plan first.")
    return _plan_response(request, visit_id, status=status, step_form=form)


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def plan_move(request: HttpRequest, visit_id: str, order: int) -> HttpResponse:
    """Move step `order` up or down by one place."""

    def move(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
        index = order - 1
        target = index - 1 if request.POST.get("direction") == "up" else index + 1
        if not (0 <= index < len(steps) and 0 <= target < len(steps)):
            raise IndexError
        steps[index], steps[target] = steps[target], steps[index]
        return steps

    return _edit_steps(request, visit_id, move)


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def plan_drop(request: HttpRequest, visit_id: str, order: int) -> HttpResponse:
    def drop(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not 0 < order <= len(steps):
            raise IndexError
        return steps[: order - 1] + steps[order:]

    return _edit_steps(request, visit_id, drop)


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def plan_rationale(request: HttpRequest, visit_id: str, order: int) -> HttpResponse:
    form = StepRationaleForm(request.POST)
    if not form.is_valid():
        return _plan_response(request, visit_id, status=400, error="The reason must be 1–4000 characters.")

    def edit(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not 0 < order <= len(steps):
            raise IndexError
        steps[order - 1]["rationale"] = form.cleaned_data["rationale"]
        return steps

    return _edit_steps(request, visit_id, edit)


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def plan_step_note(request: HttpRequest, visit_id: str, order: int) -> HttpResponse:
    """The practitioner's note to the patient for step `order` (editable until the visit is signed)."""
    form = StepNoteForm(request.POST)
    if not form.is_valid():
        return _plan_response(request, visit_id, status=400, error="The note for the patient: at most 1000 characters.")
    return _edit_words(request, visit_id, step_notes={order: form.cleaned_data["patient_note"]})


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def plan_words(request: HttpRequest, visit_id: str) -> HttpResponse:
    """The sheet's overall note to the patient and large type (editable until the visit is signed)."""
    form = PlanWordsForm(request.POST)
    if not form.is_valid():
        return _plan_response(request, visit_id, status=400, error="The note for the patient: at most 2000 characters.")
    return _edit_words(
        request, visit_id, patient_note=form.cleaned_data["patient_note"], large_type=form.cleaned_data["large_type"]
    )


def _edit_words(request: HttpRequest, visit_id: str, **words: Any) -> HttpResponse:
    visit = selectors.visit_get(clinic=clinic_of(request), visit_id=visit_id)
    plan = selectors.plan_get(visit=visit)
    try:
        services.plan_edit(
            plan=plan,
            actor=actor_of(request),
            steps=None,
            expected_version=int(request.POST.get("version") or plan.version),
            **words,
        )
    except (ValidationError, ConflictError) as exc:
        return _plan_response(
            request, visit_id, status=409 if isinstance(exc, ConflictError) else 400, error=_errors_text(exc)
        )
    except ValueError:
        return _plan_response(request, visit_id, status=400, error="That step does not exist.")
    return _plan_response(request, visit_id)


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def plan_confirm(request: HttpRequest, visit_id: str) -> HttpResponse:
    visit = selectors.visit_get(clinic=clinic_of(request), visit_id=visit_id)
    try:
        services.plan_confirm(plan=selectors.plan_get(visit=visit), actor=actor_of(request))
    except ConflictError as exc:
        return _plan_response(request, visit_id, status=409, error=exc.message)
    return _plan_response(request, visit_id)


@clinic_member_required
@role_required(Capability.SIGN, scope=_visit_scope)
@require_POST
def visit_sign(request: HttpRequest, visit_id: str) -> HttpResponse:
    """Sign (lock) the visit, then show it: the sign button asks for confirmation first (hx-confirm) and htmx is sent to
    the page with HX-Redirect; the plain form (no JavaScript) posts straight here and is redirected."""
    visit = selectors.visit_get(clinic=clinic_of(request), visit_id=visit_id)
    services.visit_sign(visit=visit, actor=actor_of(request))
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(reverse("assessments:visit", kwargs={"visit_id": visit_id}))
    return redirect("assessments:visit", visit_id=visit_id)


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def addendum_add(request: HttpRequest, visit_id: str) -> HttpResponse:
    visit = selectors.visit_get(clinic=clinic_of(request), visit_id=visit_id)
    form = AddendumForm(request.POST)
    status = 400
    if form.is_valid():
        _, status = apply_service(
            form, lambda: services.addendum_create(visit=visit, actor=actor_of(request), text=form.cleaned_data["text"])
        )
    context = _page_context(request, visit_id, addendum_form=AddendumForm() if status == 200 else form)
    return _panel(request, visit_id, "assessments/partials/_addenda.html", context, status)


@dataclass
class CarryFormRow:
    """One row of the carry-forward form: the last visit's item (`row`, a selectors.CarryRow; None for the
    complaint), whether it is ticked, today's values as typed and the errors beside it."""

    key: str
    row: Any
    include: bool = True
    values: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def value(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass
class CarryForm:
    """The carry-forward panel's form: every item of the offer (selectors.CarryForward) still to confirm, ticked by
    default; today's measured values (pain, scores, tenderness, a test's result) start empty and are typed; the
    signs found (pressing the point, taut band) start as last time, shown beside them. Nothing is saved until
    "Chart all ticked"."""

    offer: selectors.CarryForward
    complaint: CarryFormRow | None
    pain_sites: list[CarryFormRow]
    outcomes: list[CarryFormRow]
    findings: list[CarryFormRow]
    muscle_tests: list[CarryFormRow]
    observations: list[CarryFormRow] = field(default_factory=list)
    error: str = ""

    def groups(self) -> list[tuple[str, list[CarryFormRow]]]:
        return [
            ("pain_sites", self.pain_sites),
            ("outcomes", self.outcomes),
            ("findings", self.findings),
            ("muscle_tests", self.muscle_tests),
            ("observations", self.observations),
        ]

    def sections(self) -> list[dict[str, Any]]:
        """Each kind with its title, the rows to confirm and the items charted today already (not offered again)."""
        return [
            {"name": name, "title": CARRY_TITLES[name], "rows": rows, "slug": name.replace("_", "-"),
             "charted": [item for item in getattr(self.offer, name) if item.charted is not None]}
            for name, rows in self.groups()
        ]  # fmt: skip

    @property
    def offered(self) -> bool:
        return self.complaint is not None or any(rows for _, rows in self.groups())

    @property
    def any_charted(self) -> bool:
        return any(section["charted"] for section in self.sections())


CARRY_TITLES = {
    "pain_sites": "Pain sites",
    "outcomes": "Outcome measures",
    "findings": "Palpation findings",
    "muscle_tests": "Muscle tests (before treatment)",
    "observations": "Posture and gait",
}


CARRY_FIELDS = {
    "pain_sites": ("nprs",),
    "outcomes": ("value",),
    "findings": ("tenderness", "status", "taut_band"),
    "muscle_tests": ("result",),
    "observations": (),  # seen again today, as it was (its detail is a note: never copied)
}


def _carry_form(offer: selectors.CarryForward, data: Any = None) -> CarryForm:
    """The form for the offer: fresh (`data` None) or as posted."""

    def make(group: str, item: selectors.CarryRow) -> CarryFormRow:
        if data is None:
            last = item.last
            values = {"status": last.status, "taut_band": "on" if last.taut_band else ""} if group == "findings" else {}
            return CarryFormRow(item.key, item, values=values)
        values = {name: data.get(f"{item.key}-{name}", "") for name in CARRY_FIELDS[group]}
        return CarryFormRow(item.key, item, data.get(f"{item.key}-include") == "on", values)

    complaint = None
    if offer.complaint and not offer.complaint_charted:
        if data is None:
            complaint = CarryFormRow("c", None, values={"chief_complaint": offer.complaint})
        else:
            text = data.get("c-chief_complaint", "")
            complaint = CarryFormRow("c", None, data.get("c-include") == "on", {"chief_complaint": text})
    rows = {
        group: [make(group, item) for item in getattr(offer, group) if item.charted is None or data is not None]
        for group in CARRY_FIELDS
    }
    return CarryForm(
        offer,
        complaint,
        rows["pain_sites"],
        rows["outcomes"],
        rows["findings"],
        rows["muscle_tests"],
        rows["observations"],
    )


def _carry_data(group: str, row: CarryFormRow) -> dict[str, Any]:
    """A ticked row as its own charting form reads it: what is the same as last time (the point, the zone, the
    measure) from the last visit, today's values from the form."""
    last = row.row.last
    if group == "pain_sites":
        primary = "on" if last.primary else ""
        return {"zone": last.zone, "side": last.side, "primary": primary, "nprs": row.value("nprs")}
    if group == "outcomes":
        return {"measure": last.measure, "detail": last.detail, "value": row.value("value")}
    if group == "findings":
        return {
            "muscle": last.muscle, "side": last.side, "location": last.location,
            "tenderness": row.value("tenderness"), "status": row.value("status"),
            "taut_band": row.value("taut_band"), "referral_zones": list(last.referral_zones),
        }  # fmt: skip
    if group == "observations":
        return {"kind": last.kind, "side": last.side}
    return {"muscle": last.muscle, "side": last.side, "phase": "pre", "result": row.value("result")}


CARRY_FORMS: dict[str, type[forms.ModelForm]] = {
    "pain_sites": PainSiteForm,
    "outcomes": OutcomeForm,
    "findings": FindingForm,
    "muscle_tests": MuscleTestForm,
    "observations": ObservationForm,
}


def _messages(errors: dict[str, Any], labels: dict[str, Any] | None = None) -> list[str]:
    """Each message of a row after the name of its field, e.g. "Value: This field is required."."""
    names = {name: str(f.label or name).capitalize() for name, f in (labels or {}).items()}
    return [
        f"{names.get(name, name.replace('_', ' ').capitalize())}: {message}"
        if name not in {"non_field_errors", "__all__"}
        else str(message)
        for name, messages in errors.items()
        for message in messages
    ]


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def carry_forward(request: HttpRequest, visit_id: str) -> HttpResponse:
    """Chart the ticked items of the last visit with today's values (services.carry_forward: all or none). Errors
    come back beside their rows in the panel (400; 409 for a signed or changed visit), with what was typed kept."""
    page = selectors.visit_page(clinic=clinic_of(request), visit_id=visit_id)
    offer = page.carry_forward
    if offer is None:
        raise Http404("No earlier visit.")
    form = _carry_form(offer, request.POST)
    rows: dict[str, list[dict[str, Any]]] = {}
    ticked: dict[str, list[CarryFormRow]] = {}
    for group, group_rows in form.groups():
        ticked[group] = [row for row in group_rows if row.include]
        rows[group] = []
        for row in ticked[group]:
            data = _carry_data(group, row)
            row_form = CARRY_FORMS[group](data=data)
            if row_form.is_valid():
                rows[group].append(form_data(row_form))
            else:
                row.errors = _messages(row_form.errors, row_form.fields)
    complaint = form.complaint.value("chief_complaint") if form.complaint and form.complaint.include else None
    status = 400
    if any(row.errors for _, group_rows in form.groups() for row in group_rows):
        form.error = "Nothing was charted: correct the rows marked below."
    else:
        try:
            services.carry_forward(
                visit=page.visit, actor=actor_of(request), complaint=complaint,
                expected_version=_int_or_none(request.POST.get("version")), **rows,
            )  # fmt: skip
            status = 200
        except services.CarryInvalid as exc:
            form.error = "Nothing was charted: correct the rows marked below."
            for group, errors in exc.rows.items():
                targets: list[CarryFormRow | None] = [form.complaint] if group == "complaint" else [*ticked[group]]
                for target, row_errors in zip(targets, errors, strict=False):
                    if target is not None:
                        target.errors = _messages(
                            row_errors, CARRY_FORMS[group].base_fields if group in CARRY_FORMS else None
                        )
        except ValidationError as exc:
            form.error = _errors_text(exc)
        except ConflictError as exc:
            form.error, status = exc.message, 409
    if status == 200:
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(status=204, headers={"HX-Refresh": "true"})
        return redirect("assessments:visit", visit_id=visit_id)
    context = _page_context(request, visit_id, carry=form)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "assessments/partials/_carry_forward.html", context, status=status)
    return render(request, "assessments/visit.html", context, status=status)


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def screen_reconfirm(request: HttpRequest, visit_id: str) -> HttpResponse:
    """ "Still negative": record today's negative screen of a rule and side found negative within its window
    (services.screen_reconfirm); the screening section again, with the error inline when refused."""
    section = SECTIONS["screening"]
    visit = selectors.visit_get(clinic=clinic_of(request), visit_id=visit_id)
    try:
        services.screen_reconfirm(
            visit=visit,
            actor=actor_of(request),
            rule=request.POST.get("rule", "")[:40],
            side=request.POST.get("side", "")[:10],
        )
    except ValidationError as exc:
        return _render_section(request, section, visit_id, status=400, section_error=_errors_text(exc))
    except ConflictError as exc:
        return _render_section(request, section, visit_id, status=409, section_error=exc.message)
    return _render_section(request, section, visit_id)


def _change_label(section: str, key: str) -> str:
    """A practitioner-readable name for a compared item's key."""
    parts = key.split(":")
    if section in {"findings", "muscle_tests"}:
        label = f"{muscle_name(parts[0])} ({parts[1]})"
        return label + (f", {parts[2]}" if len(parts) > 2 and parts[2] else "")
    if section == "pain_sites":
        return f"{zone_name(parts[0])} ({parts[1]})"
    if section == "stressors":
        return stressor_kind_label(key)
    if section == "history":
        return "Course since it began" if key == "course" else "Over 24 hours"
    return key.replace(":", ", ").upper() if len(key) <= 4 else key.replace(":", ", ")


COMPARE_SECTIONS = (
    ("pain_sites", "Pain"),
    ("outcomes", "Outcome measures"),
    ("findings", "Trigger points"),
    ("muscle_tests", "Muscle tests"),
    ("stressors", "Stressors"),
    ("history", "History, as the patient reports it"),
)


@clinic_member_required
@role_required(Capability.VIEW_CLINICAL, scope=_visit_scope)
@require_GET
def visit_compare(request: HttpRequest, visit_id: str) -> HttpResponse:
    """Side by side: this visit against another of the same patient (default: the previous one)."""
    clinic = clinic_of(request)
    other = request.GET.get("with") or None
    visit = selectors.visit_get(clinic=clinic, visit_id=visit_id)
    visits = list(selectors.visit_list(clinic=clinic, patient=visit.patient))
    context: dict[str, Any] = {"visit": visit, "patient": visit.patient, "visits": visits, "other": other}
    try:
        if other is not None:
            uuid.UUID(other)
        first, second, result = selectors.visit_comparison(clinic=clinic, visit_id=visit_id, other_id=other)
    except (ValueError, ValidationError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else ["Choose a visit from the list."]
        context["error"] = " ".join(messages)
        return render(request, "assessments/compare.html", context, status=400)
    context.update(
        first=first,
        second=second,
        result=result,
        sections=[
            (title, [(_change_label(name, c.key), c) for c in getattr(result, name)])
            for name, title in COMPARE_SECTIONS
        ],
    )
    return render(request, "assessments/compare.html", context)


def _referral_form(state: document_selectors.ReferralState) -> ReferralLetterForm:
    """The letter's form as it prints now: the saved text, or the generated text to start from."""
    return ReferralLetterForm(initial={"recipient": state.recipient, "body": state.body_text, "version": state.version})


def _unless_default(value: str, default: str) -> str:
    """The generated text sent back unchanged is saved as blank, so that the letter keeps following the chart."""
    return "" if " ".join(value.split()) == " ".join(default.split()) else value


@clinic_member_required
@role_required(Capability.CHART, scope=_visit_scope)
@require_POST
def referral_edit(request: HttpRequest, visit_id: str) -> HttpResponse:
    """Save the referral letter's recipient and text (htmx: the panel again, with the errors inline)."""
    visit = selectors.visit_detail(clinic=clinic_of(request), visit_id=visit_id)
    state = document_selectors.referral_state(visit=visit)  # 404 when no screen is positive
    form = ReferralLetterForm(request.POST)
    status = 400
    if form.is_valid():
        changes = {
            "recipient": _unless_default(form.cleaned_data["recipient"], state.default_recipient),
            "body": _unless_default(form.cleaned_data["body"], state.default_body),
        }
        _, status = apply_service(
            form,
            lambda: services.referral_letter_update(
                visit=visit, actor=actor_of(request), changes=changes, expected_version=form.cleaned_data["version"]
            ),
        )
    context = _page_context(request, visit_id, referral_saved=status == 200)
    if status != 200:
        context.update(referral_form=form, referral_error=" ".join(map(str, form.non_field_errors())))
    return _panel(request, visit_id, "assessments/partials/_referral.html", context, status)


@clinic_member_required
@role_required(Capability.DOCUMENTS, scope=_visit_scope)
@require_GET
def referral_panel(request: HttpRequest, visit_id: str) -> HttpResponse:
    """The referral letter's place on the visit page, refreshed after charting: the panel, or nothing while no screen
    is positive."""
    return render(request, "assessments/partials/_referral_slot.html", _page_context(request, visit_id))


@clinic_member_required
@role_required(Capability.DOCUMENTS, scope=_visit_scope)
@require_GET
def visit_note_page(request: HttpRequest, visit_id: str) -> HttpResponse:
    """The visit note as a page to print (the same content as the PDF, GET /api/v1/visits/{id}/note.pdf)."""
    _, note = document_selectors.visit_note(
        clinic=clinic_of(request), visit_id=visit_id, issued_on=timezone.localdate()
    )
    return render(request, "assessments/visit_note.html", {"note": note, "visit_id": visit_id})


# --- favourite sets ----------------------------------------------------------------------------------------------
# The favourites panel is not chart data: it is loaded into the visit page (htmx, on load) rather than cached with
# it, so a set saved or shared since shows at once without touching the patient's data stamp.


def _favourite_scope(request: HttpRequest, visit_id: str, set_id: str | None = None, **_: Any) -> None:
    """The visit and the set named by the path or `?set=`, in the acting clinic (the set: the reader's own or shared);
    else 404."""
    clinic = clinic_of(request)
    selectors.visit_get(clinic=clinic, visit_id=visit_id)
    chosen = set_id or request.GET.get("set")
    if chosen:
        selectors.favourite_get(clinic=clinic, user_id=request.user.pk, favourite_id=chosen)


@dataclass
class ChartRow:
    """One item of the chosen set on the batch form: the finding's or the test's own form, prefixed by its number."""

    proposed: selectors.ProposedRow
    form: forms.ModelForm
    include: bool = True


def _chart_rows(proposal: list[selectors.ProposedRow], data: Any = None) -> list[ChartRow]:
    rows = []
    for proposed in proposal:
        prefix = f"row-{proposed.number}"
        form_class = FindingForm if proposed.is_finding else MuscleTestForm
        if data is None:
            rows.append(ChartRow(proposed, form_class(prefix=prefix, initial=proposed.defaults())))
            continue
        values = data.copy()
        values[f"{prefix}-muscle"] = proposed.muscle  # the muscle is the set's, never typed
        rows.append(ChartRow(proposed, form_class(values, prefix=prefix), data.get(f"{prefix}-include") == "on"))
    return rows


def _favourites_response(
    request: HttpRequest, visit_id: Any, *, status: int = 200, done: bool = False, **panel: Any
) -> HttpResponse:
    """The panel (htmx), or without htmx the visit page after a save, else the panel on a page of its own."""
    clinic = clinic_of(request)
    panel.setdefault(
        "favourites", _lazy(lambda: list(selectors.favourite_list(clinic=clinic, user_id=request.user.pk)))
    )
    panel.setdefault("save_form", FavouriteSaveForm(prefix="favourite"))
    context = _page_context(request, visit_id, **panel)
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "assessments/partials/_favourites.html", context, status=status)
        if panel.get("charted"):
            for header, value in CHARTED.items():
                response[header] = value
        return response
    if done:
        return redirect("assessments:visit", visit_id=visit_id)
    return render(request, "assessments/favourites.html", context, status=status)


@clinic_member_required
@role_required(Capability.VIEW_CLINICAL, scope=_favourite_scope)
@require_GET
def favourites_panel(request: HttpRequest, visit_id: str) -> HttpResponse:
    """The favourites control: a select of the reader's own and the clinic's shared sets, and "Save as favourite";
    with `?set=`, that set's batch form, one row per item with the set's muscle, side and defaults."""
    clinic = clinic_of(request)
    chosen_id = request.GET.get("set")
    if not chosen_id:
        return _favourites_response(request, visit_id)
    visit = selectors.visit_get(clinic=clinic, visit_id=visit_id)
    chosen = selectors.favourite_get(clinic=clinic, user_id=request.user.pk, favourite_id=chosen_id)
    rows = _chart_rows(selectors.favourite_proposal(visit=visit, favourite=chosen))
    return _favourites_response(request, visit_id, chosen=chosen, rows=rows)


@clinic_member_required
@role_required(Capability.CHART, scope=_favourite_scope)
@require_POST
def favourite_chart(request: HttpRequest, visit_id: str, set_id: str) -> HttpResponse:
    """Chart the ticked rows of the set's batch form: each row validated as the finding's or the test's own form,
    then all saved in one transaction or none (services.favourite_chart); errors beside their rows."""
    clinic = clinic_of(request)
    visit = selectors.visit_get(clinic=clinic, visit_id=visit_id)
    chosen = selectors.favourite_get(clinic=clinic, user_id=request.user.pk, favourite_id=set_id)
    rows = _chart_rows(selectors.favourite_proposal(visit=visit, favourite=chosen), request.POST)
    if visit.is_signed:
        return _favourites_response(request, visit_id, status=409, favourite_error=LockedError.default_message)
    values: list[dict[str, Any] | None] = []
    for row in rows:
        valid = row.include and row.form.is_valid()
        values.append(form_data(row.form) if valid else None)
    if any(row.include and row.form.errors for row in rows):
        return _favourites_response(request, visit_id, status=400, chosen=chosen, rows=rows)
    try:
        findings, tests = services.favourite_chart(
            visit=visit,
            favourite=chosen,
            actor=actor_of(request),
            rows=values,
            expected_set_version=_int_or_none(request.POST.get("set_version")),
        )
    except services.RowsInvalid as exc:
        for row, errors in zip(rows, exc.rows, strict=True):
            for field, messages in errors.items():
                row.form.add_error(field if field in row.form.fields else None, messages)
        return _favourites_response(request, visit_id, status=400, chosen=chosen, rows=rows)
    except ValidationError as exc:
        return _favourites_response(
            request, visit_id, status=400, chosen=chosen, rows=rows, favourite_error=_errors_text(exc)
        )
    except ConflictError as exc:
        return _favourites_response(request, visit_id, status=409, favourite_error=exc.message)
    message = f"Charted from “{chosen.name}”: {_count(findings, 'finding')} and {_count(tests, 'muscle test')}."
    return _favourites_response(request, visit_id, done=True, charted=True, favourite_message=message)


@clinic_member_required
@role_required(Capability.CHART, scope=_favourite_scope)
@require_POST
def favourite_save(request: HttpRequest, visit_id: str) -> HttpResponse:
    """Save the visit's findings and muscle tests as a new set (the muscles, sides and locations, no values)."""
    visit = selectors.visit_get(clinic=clinic_of(request), visit_id=visit_id)
    form = FavouriteSaveForm(request.POST, prefix="favourite")
    saved, status = None, 400
    if form.is_valid():
        saved, status = apply_service(
            form,
            lambda: services.favourite_create_from_visit(
                visit=visit,
                actor=actor_of(request),
                name=form.cleaned_data["name"],
                shared=form.cleaned_data["shared"],
                complaint_side=form.cleaned_data["complaint_side"],
            ),
        )
    if saved is None:
        return _favourites_response(request, visit_id, status=status, save_form=form)
    message = f"Saved “{saved.name}”: {_count(saved.items, 'item')}."
    return _favourites_response(request, visit_id, done=True, favourite_message=message)


def _count(things: Any, noun: str) -> str:
    return f"{len(things)} {noun}{'' if len(things) == 1 else 's'}"


def _int_or_none(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) <= 9 else None
