"""Reads of visits and what is charted in them, fetched once, with the engine's analysis, comparison and progress;
and the favourite sets a practitioner charts from."""

import dataclasses
import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from assessments import mappers
from assessments.engine import Analysis, analyse, compare, progress
from assessments.engine import types as engine_types
from assessments.mappers import current_catalog
from assessments.models import (
    COMPLAINT_SIDE,
    Addendum,
    FavouriteItemKind,
    FavouriteSet,
    Finding,
    MuscleTest,
    Observation,
    Outcome,
    PainSite,
    Screening,
    ScreenResult,
    TestPhase,
    TreatmentPlan,
    Visit,
    VisitHistory,
    VisitKind,
    VisitStatus,
)
from catalog.selectors import muscle_list, protocol_list, zone_list
from catalog.store import current_document
from catalog.vocabulary import Side
from clinic.models import Clinic
from clinic.selectors import get_or_404
from patients.models import Patient
from patients.selectors import injury_list, stressor_list, treatment_list

SIDE_ORDER = {side: order for order, side in enumerate(("", *Side.values))}  # a screen not of one side first


# --- visits -----------------------------------------------------------------------------------------------------------


LIVE = Q(archived_at__isnull=True)


def live_children_prefetch(prefix: str = "") -> list[Any]:
    """Prefetch a visit's live children: one query per kind however many visits."""
    return [
        Prefetch(f"{prefix}pain_sites", queryset=PainSite.objects.filter(LIVE)),
        Prefetch(f"{prefix}findings", queryset=Finding.objects.filter(LIVE)),
        Prefetch(f"{prefix}muscle_tests", queryset=MuscleTest.objects.filter(LIVE)),
        Prefetch(f"{prefix}outcomes", queryset=Outcome.objects.filter(LIVE)),
        Prefetch(f"{prefix}screenings", queryset=Screening.objects.filter(LIVE)),
        Prefetch(f"{prefix}observations", queryset=Observation.objects.filter(LIVE)),
    ]


def visit_queryset(*, clinic: Clinic) -> QuerySet[Visit]:
    """The clinic's visits of live patients."""
    return Visit.objects.for_clinic(clinic).filter(patient__archived_at__isnull=True)


def visit_list(*, clinic: Clinic, patient: Patient | None = None) -> QuerySet[Visit]:
    visits = visit_queryset(clinic=clinic).select_related("signed_by")
    if patient is not None:
        visits = visits.filter(patient=patient)
    return visits.order_by("-date", "-created_at")


def visit_schedule(*, clinic: Clinic, patient: Patient) -> list[dict[str, Any]]:
    """The scheduling data an assistant may see: each visit's date, kind and status, newest first, nothing clinical."""
    visits = visit_queryset(clinic=clinic).filter(patient=patient).order_by("-date", "-created_at")
    return [
        {
            "date": v["date"],
            "kind": VisitKind(v["kind"]).label,
            "status": v["status"],
            "status_label": VisitStatus(v["status"]).label,
        }
        for v in visits.values("date", "kind", "status")
    ]


def visit_get(*, clinic: Clinic, visit_id: uuid.UUID | str) -> Visit:
    """The clinic's visit of a live patient, with its patient (visit_queryset's rules), or 404."""
    return get_or_404(visit_queryset(clinic=clinic).select_related("patient"), visit_id)


def visit_detail(*, clinic: Clinic, visit_id: uuid.UUID | str) -> Visit:
    """A visit with everything charted in it, in a fixed number of queries."""
    visits = (
        visit_queryset(clinic=clinic)
        .select_related("patient", "signed_by", "created_by", "history")
        .prefetch_related(
            *live_children_prefetch(),
            Prefetch("addenda", queryset=Addendum.objects.select_related("created_by")),
        )
    )
    return get_or_404(visits, visit_id)


def child_queryset(model: type[Any], *, clinic: Clinic) -> QuerySet[Any]:
    """Live children of one kind in the clinic (of live patients), for lookups by id."""
    live = model.objects.for_clinic(clinic).filter(LIVE, visit__patient__archived_at__isnull=True)
    return live.select_related("visit")


UNDO_WINDOW = datetime.timedelta(minutes=15)


def archived_child_queryset(model: type[Any], *, clinic: Clinic) -> QuerySet[Any]:
    """Removed (archived) children of one kind in the clinic (of live patients), for undoing a removal by id."""
    archived = model.objects.for_clinic(clinic).filter(
        archived_at__isnull=False, visit__patient__archived_at__isnull=True
    )
    return archived.select_related("visit")


def last_removed(model: type[Any], *, visit: Visit) -> Any:
    """The row of this kind whose removal the visit page still offers to undo, or None.

    A removal can be undone until the next action in its section: it is offered while the removed row is the last
    row of the section written (added, edited, removed or restored) and was removed less than UNDO_WINDOW ago, so it
    is still there after a reload. Signed visits offer none (they are read-only).
    """
    if visit.is_signed:
        return None
    latest = model.objects.for_clinic_id(visit.clinic_id).filter(visit=visit).order_by("-updated_at", "-id").first()
    if latest is None or latest.archived_at is None or latest.archived_at < timezone.now() - UNDO_WINDOW:
        return None
    return latest


def visit_children(model: type[Any], *, visit: Visit) -> QuerySet[Any]:
    return model.objects.for_clinic_id(visit.clinic_id).filter(LIVE, visit=visit)


def earlier_visits(*, visit: Visit) -> list[Visit]:
    """The patient's visits before this one (by date, then by creation), with their children prefetched."""
    earlier = _earlier(visit).prefetch_related(*live_children_prefetch()).order_by("date", "created_at")
    return list(earlier)


def _earlier(visit: Visit) -> QuerySet[Visit]:
    return (
        Visit.objects.for_clinic_id(visit.clinic_id)
        .filter(patient_id=visit.patient_id)
        .filter(Q(date__lt=visit.date) | Q(date=visit.date, created_at__lt=visit.created_at))
        .exclude(pk=visit.pk)
    )


def previous_visit(*, visit: Visit) -> Visit | None:
    """The visit just before this one (the compare link), with the pain sites, outcomes, findings and tests carry
    forward offers."""
    carried = (
        Prefetch("pain_sites", queryset=PainSite.objects.filter(LIVE)),
        Prefetch("outcomes", queryset=Outcome.objects.filter(LIVE)),
        Prefetch("findings", queryset=Finding.objects.filter(LIVE)),
        Prefetch("muscle_tests", queryset=MuscleTest.objects.filter(LIVE)),
        Prefetch("observations", queryset=Observation.objects.filter(LIVE)),
    )
    return _earlier(visit).prefetch_related(*carried).order_by("-date", "-created_at").first()


@dataclass(frozen=True)
class CarryRow:
    """One thing charted at the last visit, as carry forward offers it: `key` names its fields on the form
    ("f-<id>"), `last` is the last visit's row and `charted` today's row of the same point, when it is charted
    already (then it is shown as charted and not offered again)."""

    key: str
    last: Any
    charted: Any = None


@dataclass(frozen=True)
class CarryForward:
    """What a follow-up can take over from the last visit: the complaint, the pain sites (by zone and side), the
    outcome measures (by measure and detail), the findings (by muscle, side and location), the muscle tests (by
    muscle and side, re-tested before treatment) and the posture and gait observations (by kind and side). Notes are
    never offered."""

    previous: Visit
    complaint: str
    complaint_charted: bool
    pain_sites: tuple[CarryRow, ...]
    outcomes: tuple[CarryRow, ...]
    findings: tuple[CarryRow, ...]
    muscle_tests: tuple[CarryRow, ...]
    observations: tuple[CarryRow, ...] = ()

    @property
    def offered(self) -> bool:
        """Something is still to confirm."""
        rows = (*self.pain_sites, *self.outcomes, *self.findings, *self.muscle_tests, *self.observations)
        return bool(self.complaint and not self.complaint_charted) or any(row.charted is None for row in rows)


def _carry_rows(prefix: str, last: Iterable[Any], today: Iterable[Any], key: Any) -> tuple[CarryRow, ...]:
    charted = {key(row): row for row in today}
    rows: dict[Any, CarryRow] = {}
    for row in last:
        rows.setdefault(key(row), CarryRow(f"{prefix}-{row.pk}", row, charted.get(key(row))))
    return tuple(rows.values())


def _retest_key(test: MuscleTest) -> tuple[str, str, str]:
    return (test.muscle, test.side, TestPhase.PRE)


def carry_forward_offer(*, visit: Visit, previous: Visit | None) -> CarryForward | None:
    """What the visit can take over from `previous` (its prefetched children, and the visit's own from
    visit_detail); None when there is no earlier visit. A test re-charted before treatment shows the last result of
    its muscle and side (after treatment when it was tested then too)."""
    if previous is None:
        return None
    last_tests = sorted(previous.muscle_tests.all(), key=lambda t: t.phase != TestPhase.POST)
    return CarryForward(
        previous=previous,
        complaint=previous.chief_complaint,
        complaint_charted=bool(visit.chief_complaint.strip()),
        pain_sites=_carry_rows("p", previous.pain_sites.all(), visit.pain_sites.all(), lambda p: (p.zone, p.side)),
        outcomes=_carry_rows("o", previous.outcomes.all(), visit.outcomes.all(), lambda o: (o.measure, o.detail)),
        findings=_carry_rows(
            "f", previous.findings.all(), visit.findings.all(), lambda f: (f.muscle, f.side, f.location)
        ),
        muscle_tests=_carry_rows("t", last_tests, visit.muscle_tests.all(), _retest_key),
        observations=_carry_rows(
            "g", previous.observations.all(), visit.observations.all(), lambda o: (o.kind, o.side)
        ),  # posture and gait (issue 23), seen again today
    )


# A negative red-flag screen is offered for a one-click re-confirmation ("still negative") for this many days after
# the visit that recorded it, unless the catalog's safety rule names its own window (`valid_days`). The catalog has no
# such field today, so every screen takes this conservative default: one week, the usual interval of follow-ups; a
# screen older than that, positive or not done is asked again in full.
SCREEN_VALID_DAYS = 7


def screen_valid_days(rule: dict[str, Any]) -> int:
    """How long a negative result of this safety rule may be re-confirmed with one click (catalog `valid_days`)."""
    days = rule.get("valid_days")
    return days if isinstance(days, int) and days >= 0 else SCREEN_VALID_DAYS


def recent_negative_screens(*, visit: Visit) -> dict[tuple[str, str], Any]:
    """(rule, side) -> the date of the patient's latest screen of that rule and side before this visit, when it was
    negative and within the rule's window of validity (screen_valid_days) of this visit's date. A later positive or
    not-done result of the same rule and side hides an earlier negative one."""
    safety = {r["id"]: r for rules in current_document()["safety_rules"].values() for r in rules}
    longest = max([SCREEN_VALID_DAYS, *(screen_valid_days(r) for r in safety.values())])
    earliest = visit.date - datetime.timedelta(days=longest)
    rows = (
        Screening.objects.for_clinic_id(visit.clinic_id)
        .filter(LIVE, visit__in=_earlier(visit).filter(date__gte=earliest))
        .order_by("visit__date", "visit__created_at", "created_at")
        .values_list("rule", "side", "result", "visit__date")
    )
    latest: dict[tuple[str, str], tuple[str, Any]] = {}
    for rule, side, result, date in rows:
        latest[(rule, side)] = (result, date)
    return {
        key: date
        for key, (result, date) in latest.items()
        if result == ScreenResult.NEGATIVE and (visit.date - date).days <= screen_valid_days(safety.get(key[0], {}))
    }


# How many earlier visits the engine reads first. It uses the previous visit (TO-07) and the run of consecutive visits
# in which a point was tender (TO-08, SAFE-S6); only when a point is tender at every visit of the window are the older
# visits read too, so the analysis is exactly what the whole history gives, at a cost that does not grow with it.
HISTORY_WINDOW = 12


def engine_history(*, visit: Visit, findings: Iterable[engine_types.Finding]) -> list[engine_types.PriorVisit]:
    """The earlier visits the engine needs, as plain values (no model instances), oldest first."""
    from assessments.engine.analysis import is_positive

    dates = list(_earlier(visit).order_by("-date", "-created_at").values_list("id", "date"))
    if len(dates) > HISTORY_WINDOW:
        boundary = dates[HISTORY_WINDOW - 1][1]
        window = [pair for pair in dates if pair[1] >= boundary]  # whole days, as the engine orders by date then id
    else:
        window = dates
    priors = _engine_visits_for(clinic_id=visit.clinic_id, visits=window[::-1])
    if len(window) < len(dates):
        alive = {(f.muscle, f.side) for f in findings}
        for prior in priors:
            alive &= {(f.muscle, f.side) for f in prior.findings if is_positive(f)}
        if alive:  # the streak reaches past the window: read the older visits too (the window is read already)
            older = _engine_visits_for(clinic_id=visit.clinic_id, visits=dates[len(window) :][::-1])
            priors = older + priors
    return priors


def engine_input_for_visit(*, visit: Visit) -> engine_types.VisitInput:
    """Everything the engine needs, fetched once: the visit, the patient's stressors, injuries and earlier visits."""
    full = (
        Visit.objects.prefetch_related(*live_children_prefetch()).select_related("patient", "history").get(pk=visit.pk)
    )
    patient = full.patient
    return _with_history(
        mappers.visit_input(
            full,
            stressors=list(stressor_list(patient=patient)),
            injuries=list(injury_list(patient=patient)),
            treatments=list(treatment_list(patient=patient)),
            earlier=(),
        ),
        full,
    )


def _with_history(engine_input: engine_types.VisitInput, visit: Visit) -> engine_types.VisitInput:
    history = engine_history(visit=visit, findings=engine_input.findings)
    return dataclasses.replace(engine_input, prior_visits=tuple(history))


def visit_analysis(*, visit: Visit) -> Analysis:
    return analyse(engine_input_for_visit(visit=visit), current_catalog())


def plan_get(*, visit: Visit) -> TreatmentPlan:
    plan = TreatmentPlan.objects.for_clinic_id(visit.clinic_id).filter(visit=visit).select_related("visit").first()
    if plan is None:
        raise Http404("No plan yet: POST to build one.")
    return plan


@dataclass(frozen=True)
class PlanReview:
    """Whether the plan still matches the chart: `stale` when the engine's analysis of the chart as it is now differs
    from the one the plan was built on (engine.review), with what changed (`changes`, one line each) and the steps a
    rebuild would add, remove, move or change (each a step reference with its label). A signed visit's plan is the
    record of what was planned: never stale."""

    stale: bool = False
    changes: tuple[str, ...] = ()
    steps_added: tuple[dict[str, Any], ...] = ()
    steps_removed: tuple[dict[str, Any], ...] = ()
    steps_moved: tuple[dict[str, Any], ...] = ()
    steps_changed: tuple[dict[str, Any], ...] = ()

    def what_changed(self) -> dict[str, Any] | None:
        """The API's `what_changed`: null while the plan is up to date."""
        if not self.stale:
            return None
        return {
            "summary": list(self.changes),
            "steps_added": list(self.steps_added),
            "steps_removed": list(self.steps_removed),
            "steps_moved": list(self.steps_moved),
            "steps_changed": list(self.steps_changed),
        }


def plan_review(
    *, plan: TreatmentPlan, visit: Visit, visit_input: engine_types.VisitInput, analysis: Analysis
) -> PlanReview:
    """Compare what the plan was built on with the engine's analysis and proposal for the chart as it is now (with
    the plan's own home-care options)."""
    from assessments.engine import build_plan
    from assessments.engine.review import Basis, analysis_digest, basis_from_plain, basis_of, review

    if visit.is_signed:
        return PlanReview()
    catalog = current_catalog()
    labels = mappers.stressor_labels(visit_input, catalog)
    try:
        proposal = build_plan(
            visit_input, analysis, catalog, max_home_care=plan.max_home_care, protocol=plan.protocol or None
        )
    except ValueError:
        return PlanReview(stale=True, changes=(f"The plan's self-care protocol {plan.protocol} left the catalog.",))
    now = basis_of(analysis, proposal)
    before = basis_from_plain(plan.analysis_basis) or Basis(plan.engine_version, now.catalog_version)
    result = review(
        before,
        now,
        catalog,
        digest_before=plan.analysis_digest,
        digest_now=analysis_digest(analysis, proposal),
        stressor_label=labels,
    )
    if not result.stale:
        return PlanReview()
    steps = result.steps
    return PlanReview(
        stale=True,
        changes=result.changes,
        steps_added=tuple(mappers.step_ref_json(ref, catalog, labels) for ref in steps.added),
        steps_removed=tuple(mappers.step_ref_json(ref, catalog, labels) for ref in steps.removed),
        steps_moved=tuple(
            {**mappers.step_ref_json(move.step, catalog, labels), "before": move.before, "after": move.after}
            for move in steps.moved
        ),
        steps_changed=tuple(mappers.step_ref_json(ref, catalog, labels) for ref in steps.changed),
    )


def plan_state(*, visit: Visit) -> tuple[TreatmentPlan, PlanReview]:
    """The visit's plan (404 when none) and whether it still matches the chart."""
    plan = plan_get(visit=visit)
    visit_input = engine_input_for_visit(visit=visit)
    return plan, plan_review(
        plan=plan, visit=visit, visit_input=visit_input, analysis=analyse(visit_input, current_catalog())
    )


class VisitPage:
    """Everything the visit page shows, in a fixed number of queries however long the history.

    The visit, the patient's stressors and injuries and the plan are fetched at once; the previous visit, the analysis
    (with the engine's window of earlier visits) and the proposed screens only when a template uses them, so an htmx
    section render does not pay for the page.
    """

    def __init__(self, *, visit: Visit, stressors: list[Any], injuries: list[Any], plan: TreatmentPlan | None) -> None:
        self.visit = visit
        self.stressors = stressors
        self.injuries = injuries
        self.plan = plan

    @cached_property
    def treatments(self) -> list[Any]:
        """The patient's prior and current treatments (issue 23), fetched when the engine or a template reads them."""
        return list(treatment_list(patient=self.visit.patient))

    @cached_property
    def history(self) -> Any:
        """The visit's history row (issue 23), or None."""
        return mappers.visit_history(self.visit)

    @cached_property
    def last_history(self) -> VisitHistory | None:
        """The history charted at the previous visit, which a follow-up's history form starts from (issue 23)."""
        previous = self.previous
        return visit_history_get(visit=previous) if previous is not None else None

    @cached_property
    def previous(self) -> Visit | None:
        return previous_visit(visit=self.visit)

    @cached_property
    def engine_input(self) -> engine_types.VisitInput:
        """What the engine reads: the visit, the patient's stressors and injuries, the window of earlier visits."""
        engine_input = mappers.visit_input(
            self.visit, stressors=self.stressors, injuries=self.injuries, treatments=self.treatments, earlier=()
        )
        return _with_history(engine_input, self.visit)

    @cached_property
    def analysis(self) -> Analysis:
        """Cached under the patient's data stamp, read with the visit before anything else (assessments.cache)."""
        from assessments.cache import cached_value

        visit = self.visit
        stamp = visit.patient.data_version
        return cached_value(
            kind="visit-analysis", clinic_id=visit.clinic_id, patient_id=visit.patient_id, stamp=stamp,
            params=(visit.pk,), compute=lambda: analyse(self.engine_input, current_catalog()),
        )  # fmt: skip

    @cached_property
    def plan_review(self) -> PlanReview:
        """Whether the plan still matches the chart; cached under the patient's data stamp like the analysis (every
        write to the chart or the plan raises it)."""
        from assessments.cache import cached_value

        plan, visit = self.plan, self.visit
        if plan is None:
            return PlanReview()
        return cached_value(
            kind="plan-review", clinic_id=visit.clinic_id, patient_id=visit.patient_id,
            stamp=visit.patient.data_version, params=(visit.pk,),
            compute=lambda: plan_review(plan=plan, visit=visit, visit_input=self.engine_input, analysis=self.analysis),
        )  # fmt: skip

    @cached_property
    def proposed_screens(self) -> list[dict[str, Any]]:
        """The complaint's screens, then those the analysis holds treatment for (CS-02, CS-04), so that each can be
        recorded where the analysis asks for it."""
        recent = {} if self.visit.is_signed else recent_negative_screens(visit=self.visit)
        return proposed_screens(
            self.visit, also=[needed.rule for needed in self.analysis.screens_needed], recent_negative=recent
        )

    @cached_property
    def carry_forward(self) -> CarryForward | None:
        """What this visit can take over from the last one (None for a first visit)."""
        return carry_forward_offer(visit=self.visit, previous=self.previous)


def visit_page(*, clinic: Clinic, visit_id: uuid.UUID | str) -> VisitPage:
    visit = visit_detail(clinic=clinic, visit_id=visit_id)
    return VisitPage(
        visit=visit,
        stressors=list(stressor_list(patient=visit.patient)),
        injuries=list(injury_list(patient=visit.patient)),
        plan=TreatmentPlan.objects.filter(visit=visit).select_related("confirmed_by").first(),
    )


def proposed_screens(
    visit: Visit, *, also: Iterable[str] = (), recent_negative: dict[tuple[str, str], Any] | None = None
) -> list[dict[str, Any]]:
    """The red-flag screens the complaint's symptom rules call for (U-1), then the rules in `also`, with the results
    already charted.

    A rule may be screened once per side: `charted` holds its results (the one not of one side first, then left,
    right, bilateral, midline), each with the label that names it. `lateral` is the catalog's word on whether the side
    matters for the rule (CS-03: a lateral rule holds only the side its screen records); for such a rule charted on one
    side, `other_sides` is the side still open (none once a screen covers both: no side, bilateral or midline).
    `still_negative` lists, for a rule not charted in this visit, the sides `recent_negative` (recent_negative_screens)
    found negative within the rule's window, each with its date, for a one-click re-confirmation.
    """
    doc = current_document()
    zones = {p.zone for p in visit.pain_sites.all()}
    wanted: list[str] = []
    for rule in doc["symptom_rules"]["rules"]:
        if zones & set(rule.get("complaint_zones", [])):
            wanted += [r for r in rule.get("red_flags", []) if r not in wanted]
    wanted += [r for r in also if r not in wanted]
    charted: dict[str, list[Screening]] = {}
    for screening in sorted(visit.screenings.all(), key=lambda s: SIDE_ORDER.get(s.side, len(SIDE_ORDER))):
        charted.setdefault(screening.rule, []).append(screening)
    wanted += [r for r in charted if r not in wanted]
    safety = {r["id"]: r for rules in doc["safety_rules"].values() for r in rules}
    screens = []
    for rule_id in wanted:
        rule = safety.get(rule_id, {})
        condition = rule.get("condition", rule_id)
        results = charted.get(rule_id, [])
        sides = {s.side for s in results}
        lateral = bool(rule.get("lateral", False))
        one_sided = lateral and results and not sides & {"", Side.BILATERAL, Side.MIDLINE}
        other_sides = [(o.value, o.label) for o in (Side.LEFT, Side.RIGHT) if o not in sides] if one_sided else []
        screens.append(
            {"rule": rule_id, "condition": condition, "signs": rule.get("signs", []), "action": rule.get("action", ""),
             "lateral": lateral,
             "charted": [{"screening": s, "label": _screen_label(condition, s)} for s in results],
             "positive": any(s.result == ScreenResult.POSITIVE for s in results),
             "other_sides": other_sides,
             "still_negative": [] if results else [
                 {"side": side, "side_label": Side(side).label if side else "", "date": date}
                 for (rule, side), date in sorted((recent_negative or {}).items(), key=lambda i: SIDE_ORDER[i[0][1]])
                 if rule == rule_id
             ]}
        )  # fmt: skip
    return screens


def screen_label(screening: Screening) -> str:
    """A charted screen as the practitioner reads it: the condition it screens for, and its side if it has one."""
    safety = {r["id"]: r for rules in current_document()["safety_rules"].values() for r in rules}
    return _screen_label(safety.get(screening.rule, {}).get("condition", screening.rule), screening)


def _screen_label(condition: str, screening: Screening) -> str:
    return f"{condition} ({screening.get_side_display().lower()})" if screening.side else condition


def protocol_choices() -> list[tuple[str, str]]:
    return [(p["id"], f"{p.get('name') or p['id']} ({p.get('source', '')})") for p in protocol_list()["protocols"]]


@dataclass(frozen=True)
class TimelineVisit:
    """The few fields of a visit the timeline shows (read as values: no model instances, no JSON)."""

    pk: uuid.UUID
    date: Any
    kind: str
    status: str

    def get_kind_display(self) -> str:
        return str(VisitKind(self.kind).label)

    def get_status_display(self) -> str:
        return str(VisitStatus(self.status).label)


@dataclass(frozen=True)
class VisitHeadline:
    """One line of the patient's visit timeline: pain, points and plan status."""

    visit: TimelineVisit
    pain: str
    nprs: int | None
    points: int
    top_muscles: list[str]
    plan_status: str


def visit_timeline(*, patient: Patient) -> list[VisitHeadline]:
    """The patient's visits, newest first: three queries of plain values however many visits."""
    clinic_id = patient.clinic_id
    visits = (
        Visit.objects.for_clinic_id(clinic_id)
        .filter(patient=patient)
        .order_by("-date", "-created_at")
        .values_list("id", "date", "kind", "status", "plan__id", "plan__confirmed")
    )
    children = {"clinic_id": clinic_id, "archived_at__isnull": True, "visit__patient_id": patient.pk}
    sites: dict[Any, list[tuple[Any, ...]]] = {}
    for vid, *site in (
        PainSite.objects.filter(**children)
        .order_by("-primary", "created_at")
        .values_list("visit_id", "zone", "side", "nprs", "primary")
    ):
        sites.setdefault(vid, []).append(tuple(site))
    points: dict[Any, list[tuple[str, str]]] = {}
    for vid, muscle, side in (
        Finding.objects.filter(**children)
        .order_by("-tenderness", "created_at")
        .values_list("visit_id", "muscle", "side")
    ):
        points.setdefault(vid, []).append((muscle, side))
    names = {m["slug"]: m["name"] for m in muscle_list()}
    zones = {z["slug"]: z.get("label", z["slug"]) for z in zone_list()}
    headlines = []
    for vid, date, kind, status, plan_id, confirmed in visits:
        visit_sites = sites.get(vid, [])
        main = next((site for site in visit_sites if site[3]), visit_sites[0] if visit_sites else None)
        visit_points = points.get(vid, [])
        headlines.append(
            VisitHeadline(
                visit=TimelineVisit(pk=vid, date=date, kind=kind, status=status),
                pain=f"{zones.get(main[0], main[0])} ({main[1]})" if main else "",
                nprs=main[2] if main else None,
                points=len(visit_points),
                top_muscles=[f"{names.get(m, m)} ({side})" for m, side in visit_points[:3]],
                plan_status="confirmed" if confirmed else ("proposed" if plan_id else "none"),
            )
        )
    return headlines


def patient_visits_with_children(*, patient: Patient) -> list[Visit]:
    """All the patient's visits, oldest first, with their live children: a fixed number of queries."""
    return list(
        Visit.objects.for_clinic_id(patient.clinic_id)
        .filter(patient=patient)
        .prefetch_related(*live_children_prefetch())
        .order_by("date", "created_at")
    )


def engine_visits(
    *, clinic_id: uuid.UUID, visit_ids: list[Any], patient_id: uuid.UUID | None = None, lean: bool = False
) -> list[engine_types.PriorVisit]:
    """The given visits (in that order) as engine data, read as plain values: five queries, no model instances.

    With `patient_id`, children are selected by the patient (all their visits) rather than by a list of ids. `lean`
    reads only what progress series and recurrence use from findings (muscle, side, location, tenderness, status).
    """
    dates = dict(Visit.objects.filter(clinic_id=clinic_id, pk__in=visit_ids).values_list("id", "date"))
    return _engine_visits_for(
        clinic_id=clinic_id, visits=[(vid, dates[vid]) for vid in visit_ids], patient_id=patient_id, lean=lean
    )


def _engine_visits_for(
    *, clinic_id: uuid.UUID, visits: list[tuple[Any, Any]], patient_id: uuid.UUID | None = None, lean: bool = False
) -> list[engine_types.PriorVisit]:
    """`engine_visits` for (id, date) pairs already read: four queries, no model instances."""
    scope: dict[str, Any] = {"clinic_id": clinic_id, "archived_at__isnull": True}
    if patient_id:
        scope["visit__patient_id"] = patient_id
    else:
        scope["visit_id__in"] = [vid for vid, _ in visits]
    lean_values = ("visit_id", "muscle", "side", "location", "tenderness", "status")
    finding_values = lean_values if lean else mappers.FINDING_VALUES
    return mappers.prior_visits_from_values(
        visits,
        Finding.objects.filter(**scope).order_by("created_at", "id").values_list(*finding_values),
        MuscleTest.objects.filter(**scope).order_by("created_at", "id")
        .values_list("visit_id", "id", "muscle", "side", "phase", "result"),
        PainSite.objects.filter(**scope).order_by("created_at", "id")
        .values_list("visit_id", "zone", "side", "nprs", "primary"),
        Outcome.objects.filter(**scope).order_by("created_at", "id")
        .values_list("visit_id", "measure", "value", "detail"),
    )  # fmt: skip


def visit_comparison(*, clinic: Clinic, visit_id: uuid.UUID | str, other_id: uuid.UUID | str | None) -> Any:
    """Compare a visit with another visit of the same patient (default: the one before it), earlier one first."""
    from django.core.exceptions import ValidationError

    visit = visit_get(clinic=clinic, visit_id=visit_id)
    if other_id is None:
        other = (
            Visit.objects.for_clinic(clinic)
            .filter(patient_id=visit.patient_id)
            .filter(Q(date__lt=visit.date) | Q(date=visit.date, created_at__lt=visit.created_at))
            .order_by("-date", "-created_at")
            .first()
        )
        if other is None:
            raise ValidationError({"with": "This is the patient's first visit: there is nothing earlier to compare."})
    else:
        other = get_or_404(visit_queryset(clinic=clinic), other_id)
        if other.patient_id != visit.patient_id:
            raise ValidationError({"with": "Compare visits of the same patient."})
    first, second = sorted((visit, other), key=lambda v: (v.date, v.created_at))
    before, after = engine_visits(clinic_id=clinic.pk, visit_ids=[first.pk, second.pk])
    reported = {
        row.visit_id: mappers.history(row)
        for row in VisitHistory.objects.filter(clinic_id=clinic.pk, visit_id__in=[first.pk, second.pk])
    }  # the course and 24-hour pattern as reported at each (issue 23)
    before = dataclasses.replace(before, history=reported.get(first.pk))
    after = dataclasses.replace(after, history=reported.get(second.pk))
    stressors = [mappers.stressor(s) for s in stressor_list(patient=visit.patient)]
    up_to_second = list(
        Visit.objects.for_clinic(clinic)
        .filter(patient_id=visit.patient_id)
        .filter(Q(date__lt=second.date) | Q(date=second.date, created_at__lte=second.created_at))
        .order_by("date", "created_at")
        .values_list("id", "date")
    )  # recurrence (CS-05) is judged over the run of visits up to the later one
    history = _engine_visits_for(clinic_id=clinic.pk, visits=up_to_second, lean=True)
    return first, second, compare(before, after, stressors=stressors, catalog=current_catalog(), history=history)


def patient_progress(*, clinic: Clinic, patient_id: uuid.UUID | str) -> tuple[Patient, list[dict[str, Any]], Any]:
    """Series across all the patient's visits, oldest first (a fixed number of queries, no model instances)."""
    patient = get_or_404(Patient.objects.for_clinic(clinic).filter(archived_at__isnull=True), patient_id)
    visits = list(
        Visit.objects.for_clinic(clinic)
        .filter(patient=patient)
        .order_by("date", "created_at")
        .values("id", "date", "status")
    )
    engine_data = _engine_visits_for(
        clinic_id=clinic.pk, visits=[(v["id"], v["date"]) for v in visits], lean=True
    )  # progress series read only the muscle, side and tenderness of findings
    return patient, visits, progress(engine_data, current_catalog())


# --- favourite sets ---------------------------------------------------------------------------------------------------


def favourite_queryset(*, clinic: Clinic, user_id: Any) -> QuerySet[FavouriteSet]:
    """The sets a practitioner may see in the acting clinic: their own, and those shared with the clinic. Any other
    set (another practitioner's private one, another clinic's) answers 404 like one that does not exist."""
    visible = Q(owner_id=user_id) | Q(shared=True)
    return FavouriteSet.objects.for_clinic(clinic).filter(visible).select_related("owner")


def favourite_list(*, clinic: Clinic, user_id: Any) -> QuerySet[FavouriteSet]:
    return favourite_queryset(clinic=clinic, user_id=user_id).order_by("name", "created_at", "id")


def favourite_get(*, clinic: Clinic, user_id: Any, favourite_id: uuid.UUID | str) -> FavouriteSet:
    return get_or_404(favourite_queryset(clinic=clinic, user_id=user_id), favourite_id)


@dataclass(frozen=True)
class ProposedRow:
    """One item of a favourite set as it will be charted on a visit: the set's muscle, kind and defaults, with the
    side of the complaint resolved ("" when the visit has no complaint side to take)."""

    number: int  # 1-based position in the set
    kind: str
    muscle: str
    side: str
    set_side: str
    location: str
    phase: str

    @property
    def is_finding(self) -> bool:
        return self.kind == FavouriteItemKind.FINDING

    def defaults(self) -> dict[str, Any]:
        """The row's values before the practitioner fills it in (the muscle, and the side unless unresolved)."""
        values: dict[str, Any] = {"muscle": self.muscle}
        if self.side:
            values["side"] = self.side
        if self.is_finding:
            values["location"] = self.location
        else:
            values["phase"] = self.phase
        return values


def complaint_side(*, visit: Visit) -> str:
    """The side of the visit's main complaint: its primary pain site's side, else the side every pain site shares;
    "" when the visit has none (or its pain sites are on different sides and none is primary)."""
    sites = list(
        PainSite.objects.for_clinic_id(visit.clinic_id)
        .filter(LIVE, visit_id=visit.pk)
        .order_by("-primary", "created_at")
        .values_list("side", "primary")
    )
    if not sites:
        return ""
    if sites[0][1]:
        return str(sites[0][0])
    sides = {side for side, _ in sites}
    return str(sides.pop()) if len(sides) == 1 else ""


def favourite_proposal(*, visit: Visit, favourite: FavouriteSet) -> list[ProposedRow]:
    """The set's items as rows to chart on the visit, in the set's order."""
    needs_complaint = any(item["side"] == COMPLAINT_SIDE for item in favourite.items)
    complaint = complaint_side(visit=visit) if needs_complaint else ""
    return [
        ProposedRow(
            number=number,
            kind=item["kind"],
            muscle=item["muscle"],
            side=complaint if item["side"] == COMPLAINT_SIDE else item["side"],
            set_side=item["side"],
            location=item.get("location", ""),
            phase=item.get("phase", ""),
        )
        for number, item in enumerate(favourite.items, start=1)
    ]


def visit_history_get(*, visit: Visit) -> VisitHistory | None:
    """The visit's complaint history (issue 23), or None before the first save."""
    return VisitHistory.objects.for_clinic_id(visit.clinic_id).filter(visit=visit).first()
