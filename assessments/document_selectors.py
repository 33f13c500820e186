"""Reads that fill the PDF builders' plain dataclasses (assessments.documents) from the chart and the catalog, and the
finished files, kept in Django's cache.

Fetched once, in a fixed number of queries; the builders themselves run no queries.

A finished PDF is kept under a key naming everything it prints from (``_pdf_key``): the patient's clinical data stamp
(`Patient.data_version`, raised by every write to their chart: patients.stamp), the catalog release and engine version
the content was reasoned with, the clinic's printed details and the day it is issued on (the documents print the date,
not the time). So the same content downloaded again that day is the same bytes, served from the cache, and any write,
release or new day gives a new file. The stamp comes from the caller's own lookup of the visit or patient, read before
the content is: a file built while a write commits is kept under the older stamp, which no later download asks for.
Each download is still recorded by the caller (services.document_issued), from the cache or not.
"""

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from assessments import selectors
from assessments.documents import build_home_care_pdf, build_progress_pdf
from assessments.documents.types import (
    Goal,
    HomeCarePoint,
    HomeCareSheet,
    MuscleResult,
    Phase,
    PointSeries,
    ProgressReport,
    RecurringPoint,
    Series,
    StressorAction,
    StressorChange,
    TestTransition,
)
from assessments.engine import ENGINE_VERSION
from assessments.models import ScreenResult, TreatmentPlan, Visit
from catalog.store import current_document, current_release
from clinic.models import Clinic
from patients.models import Patient
from patients.selectors import stressor_list

# What the key cannot see is the practitioner's name on the sheet (a renamed user): it shows within the hour.
PDF_TIMEOUT = 60 * 60
TOOL_WORDS = {"thera_cane": "Thera Cane (hooked cane)", "stick": "massage stick", "hands": "your hands"}


def _contact(clinic: Clinic) -> str:
    return " · ".join(part for part in (clinic.address, clinic.phone, clinic.email) if part)


def _source_text(doc: dict[str, Any], source_id: str) -> str:
    source = doc["sources"].get(source_id, {})
    return str(source.get("cite") or source.get("title") or source_id)


WHERE_SHOWN = "Your practitioner will show you the spot."


def _where(care: dict[str, Any]) -> str:
    """CS-08: the catalog location that matches where the point was charted (chosen by the planner), else the
    practitioner shows it; a plan built before CS-08 carries no match, so it too leaves it to the practitioner."""
    where = str(care.get("where") or "")
    if not where:
        return WHERE_SHOWN
    return where.split(": ", 1)[1] if ": " in where and where.split(": ", 1)[0].replace("_", "").isalpha() else where


def _tool(name: str) -> str:
    return TOOL_WORDS.get(name, name.replace("_", " "))


def home_care_pdf(*, clinic: Clinic, visit: Visit) -> bytes:
    """The visit's home-care sheet as PDF bytes, issued today; `visit` is the caller's lookup, with its patient."""
    today = timezone.localdate()
    key = _pdf_key("home-care", clinic=clinic, subject=visit.pk, stamp=visit.patient.data_version, day=today)
    return _kept(
        key, lambda: build_home_care_pdf(home_care_sheet(clinic=clinic, visit_id=visit.pk, issued_on=today)[1])
    )


def progress_pdf(*, clinic: Clinic, patient: Patient) -> bytes:
    """The patient's progress report as PDF bytes, generated today; `patient` is the caller's lookup."""
    today = timezone.localdate()
    key = _pdf_key("progress", clinic=clinic, subject=patient.pk, stamp=patient.data_version, day=today)
    return _kept(
        key, lambda: build_progress_pdf(progress_report(clinic=clinic, patient_id=patient.pk, generated_on=today)[1])
    )


def _pdf_key(kind: str, *, clinic: Clinic, subject: uuid.UUID, stamp: int, day: dt.date) -> str:
    """The cache key of a finished document: `subject` is the visit (a sheet) or the patient (a report), `stamp` the
    patient's data stamp; the clinic's name, contact details and paper size print on every page (as a digest)."""
    printed = "\n".join((clinic.name, clinic.address, clinic.phone, clinic.email, clinic.paper_size))
    details = hashlib.blake2b(printed.encode(), digest_size=8).hexdigest()
    return (
        f"pdf:{kind}:{subject}:stamp-{stamp}:catalog-{current_release()}:engine-{ENGINE_VERSION}:clinic-{details}:"
        f"{day.isoformat()}"
    )


def _kept(key: str, build: Callable[[], bytes]) -> bytes:
    content: bytes | None = cache.get(key)
    if content is None:
        content = build()
        cache.set(key, content, PDF_TIMEOUT)
    return content


def home_care_sheet(*, clinic: Clinic, visit_id: uuid.UUID | str, issued_on: dt.date) -> tuple[Visit, HomeCareSheet]:
    """The patient's sheet from the visit's plan: its self-care points, stressor actions and safety net."""
    visit = selectors.visit_detail(clinic=clinic, visit_id=visit_id)
    plan = TreatmentPlan.objects.filter(visit=visit).first()
    if plan is None:
        raise Http404("This visit has no plan yet: build the plan first.")
    doc = current_document()
    muscles = {m["slug"]: m for m in doc["muscles"]}
    protocols = {p["id"]: p for p in doc["protocols"]["protocols"]}
    kinds = {s["id"]: s for c in doc["stressors"]["categories"] for s in c["subtypes"]}
    safety = {r["id"]: r for rules in doc["safety_rules"].values() for r in rules}
    stressors = {str(s.pk): s for s in stressor_list(patient=visit.patient)}

    points: list[HomeCarePoint] = []
    for step in plan.steps:
        care = step.get("home_care")
        if not care or len(points) >= plan.max_home_care:
            continue
        muscle = muscles.get(care["muscle"], {})
        protocol = protocols.get(care.get("protocol", ""), {})
        points.append(
            HomeCarePoint(
                number=len(points) + 1,
                muscle_slug=care["muscle"],
                muscle_name=muscle.get("name", care["muscle"]),
                plain_name=muscle.get("plain_name") or muscle.get("name", care["muscle"]),
                side=care["side"],
                where=_where(care),
                tools=tuple(_tool(t) for t in care.get("tools", [])),
                method=care.get("method", ""),
                duration=care.get("duration", ""),
                frequency=care.get("frequency", ""),
                intensity=care.get("intensity", ""),
                stop_rule=care.get("stop_rule", ""),
                caution=care.get("caution", ""),
                protocol_name=protocol.get("name", care.get("protocol", "")),
                protocol_source=_source_text(doc, protocol.get("source") or care.get("source", "")),
            )
        )
    actions = []
    for step in plan.steps:
        stressor = stressors.get(step.get("stressor") or "")
        if step.get("kind") == "address_stressor" and stressor is not None:
            kind = kinds.get(stressor.kind, {})
            actions.append(
                StressorAction(label=kind.get("label", stressor.kind), action=kind.get("patient_action", ""))
            )
    # One notice per rule: a rule screened positive on the left and on the right is one referral.
    positive = list(dict.fromkeys(s.rule for s in visit.screenings.all() if s.result == ScreenResult.POSITIVE))
    notice = None
    if positive:
        notice = " ".join(
            f"{safety.get(rule, {}).get('condition', rule)}: "
            f"{safety.get(rule, {}).get('action', 'see a doctor')} "
            "No self-care for the affected area until you have been checked."
            for rule in positive
        )
    seek_care: list[str] = []
    for screen in selectors.proposed_screens(visit):
        for sign in screen["signs"][:3]:
            if sign not in seek_care:
                seek_care.append(sign)
    zones = {z["slug"]: z.get("label", z["slug"]) for z in doc["zones"]}
    painful = tuple((p.zone, p.side) for p in visit.pain_sites.all())
    practitioner = visit.signed_by or visit.created_by
    return visit, HomeCareSheet(
        clinic_name=clinic.name,
        clinic_contact=_contact(clinic),
        paper_size="LETTER" if clinic.paper_size == "LETTER" else "A4",
        patient_name=visit.patient.full_name,
        visit_date=visit.date,
        practitioner=(practitioner.get_full_name() or practitioner.get_username()) if practitioner else "",
        points=tuple(points),
        painful_zones=painful,
        stressor_actions=tuple(actions),
        safety=(),
        seek_care=tuple(seek_care[:8]),
        red_flag_notice=notice,
        follow_up_on=plan.follow_up_on,
        issued_on=issued_on,
        zone_labels=tuple((zone, zones.get(zone, zone)) for zone, _ in painful),
    )


PHASES: dict[str, Phase] = {"pre": "before", "post": "after"}
_AUTHOR = re.compile(r"([A-Z][\w'-]+)(?: [A-Z]{1,4}\b|,)")  # a surname and initials: "Childs JD", "Abbott JH,"
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def source_reference(source: dict[str, Any]) -> str:
    """A catalog source as a short reference a reader can look up: "Childs 2005"; never the source's id."""
    cite = str(source.get("cite") or "")
    year = _YEAR.search(cite)
    author = _AUTHOR.match(cite)
    if author and year:
        return f"{author.group(1)} {year.group(0)}"
    if cite:
        return cite.split(". ")[0] + (f" {year.group(0)}" if year else "")
    return re.sub(r"\s*\(.*?\)", "", str(source.get("title") or "")).strip()


def source_references(doc: dict[str, Any], source_ids: list[str]) -> str:
    """The first two of a measure's sources as short references: "Childs 2005; Farrar 2001"."""
    references = (source_reference(doc["sources"].get(i, {})) for i in source_ids[:2])
    return "; ".join(dict.fromkeys(r for r in references if r))


def _words(slug: str) -> str:
    """An id the catalog does not know, as words: "rapid_footwear_transition" -> "Rapid footwear transition"."""
    text = slug.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def progress_report(
    *, clinic: Clinic, patient_id: uuid.UUID | str, generated_on: dt.date
) -> tuple[Patient, ProgressReport]:
    """The progress report from the patient's series (selectors.patient_progress) and the latest comparison, in the
    catalog's words: muscle names (the patient's plain name beside the anatomical one), zone labels, short
    references for the MCIDs; the goals are the Patient-Specific Functional Scale activities (``Outcome.detail``)."""
    patient, visits, progress = selectors.patient_progress(clinic=clinic, patient_id=patient_id)
    doc = current_document()
    muscles = {m["slug"]: m for m in doc["muscles"]}
    zones = {z["slug"]: z.get("label") or _words(z["slug"]) for z in doc["zones"]}
    kinds = {s["id"]: s.get("label", s["id"]) for c in doc["stressors"]["categories"] for s in c["subtypes"]}
    catalog_measures = {m["id"]: m for m in doc["outcome_measures"]}
    nprs_sources = source_references(doc, catalog_measures.get("nprs", {}).get("sources", []))

    def name(slug: str) -> str:
        return str(muscles.get(slug, {}).get("name") or _words(slug))

    def plain_name(slug: str) -> str:
        return str(muscles.get(slug, {}).get("plain_name") or "")

    measures = []
    for s in progress.pain_sites:
        zone, side = s.key.split(":", 1)
        measures.append(
            Series(
                label=f"Pain: {zones.get(zone, _words(zone))} ({side})",
                unit="NPRS 0-10",
                points=tuple((p.date, p.value) for p in s.points),
                mcid=s.mcid,
                higher_is_better=False,
                mcid_source=nprs_sources,
                scale=(0.0, 10.0),
                area=zones.get(zone, _words(zone)),
                side=side,
            )
        )
    goals = []
    for s in progress.measures:
        measure_id, _, detail = s.key.partition(":")
        entry = catalog_measures.get(measure_id, {})
        scale = (float(entry["min"]), float(entry["max"])) if "min" in entry and "max" in entry else None
        measures.append(
            Series(
                label=s.label,
                unit=s.unit,
                points=tuple((p.date, p.value) for p in s.points),
                mcid=s.mcid,
                higher_is_better=s.higher_is_better,
                mcid_source=source_references(doc, entry.get("sources", [])),
                scale=scale,
            )
        )
        if measure_id == "psfs" and detail:
            goals.append(Goal(activity=detail, scores=tuple((p.date, p.value) for p in s.points), mcid=s.mcid))
    summary, verdict = None, None
    if len(visits) >= 2:
        _, _, comparison = selectors.visit_comparison(clinic=clinic, visit_id=visits[-1]["id"], other_id=None)
        summary, verdict = comparison.summary_explanation, comparison.summary
    stressors = [
        StressorChange(label=kinds.get(s.kind) or _words(s.kind), started=s.onset, resolved=s.resolved_on)
        for s in stressor_list(patient=patient)
    ]
    return patient, ProgressReport(
        clinic_name=clinic.name,
        clinic_contact=_contact(clinic),
        paper_size="LETTER" if clinic.paper_size == "LETTER" else "A4",
        patient_name=patient.full_name,
        date_of_birth=patient.date_of_birth,
        generated_on=generated_on,
        visits=len(visits),
        first_visit=visits[0]["date"] if visits else None,
        last_visit=visits[-1]["date"] if visits else None,
        measures=tuple(measures),
        points=tuple(
            PointSeries(
                muscle_name=name(p.muscle),
                side=p.side,
                points=tuple((sp.date, int(sp.value)) for sp in p.points),
                plain_name=plain_name(p.muscle),
            )
            for p in progress.points
        ),
        tests=tuple(
            TestTransition(
                muscle_name=name(t.muscle),
                side=t.side,
                results=tuple(
                    MuscleResult(date=date, result=result, phase=PHASES.get(phase, ""))
                    for phase, date, result in t.results
                ),
                normalised=t.normalised,
                plain_name=plain_name(t.muscle),
            )
            for t in progress.muscle_tests
        ),
        stressors=tuple(stressors),
        recurring=tuple(
            RecurringPoint(
                muscle_name=name(p.muscle),
                side=p.side,
                visits=p.recurring_visits,
                advice=p.advice,
                plain_name=plain_name(p.muscle),
            )
            for p in progress.points
            if p.recurring
        ),
        latest_summary=summary,
        latest_verdict=verdict,
        goals=tuple(goals),
    )
