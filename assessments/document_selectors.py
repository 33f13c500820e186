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
    HelpTier,
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


def _contact(clinic: Clinic) -> str:
    return " · ".join(part for part in (clinic.address, clinic.phone, clinic.email) if part)


WHERE_SHOWN = "The spot your practitioner showed you."


def _where(muscle: dict[str, Any], charted: str) -> str:
    """CS-08: where to find the spot is the catalog location the planner matched to where the practitioner charted
    it, in the patient's words (the muscle's `patient.spots`, one per location); with no match, the spot the
    practitioner showed (never a catalog location the patient was not shown)."""
    locations, spots = muscle.get("trp_locations", []), muscle.get("patient", {}).get("spots", [])
    if charted and charted in locations and locations.index(charted) < len(spots):
        return str(spots[locations.index(charted)]) or WHERE_SHOWN
    return WHERE_SHOWN


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
    """The patient's sheet from the visit's plan, in the catalog's patient words only (catalog/patient_words).

    One dose per spot, chosen by the tool in the patient's hand (`self_care_dose`); the practitioner's notes from the
    plan; a spot that keeps coming back says so (TO-08); "when to get help" lists the patient signs of the screens the
    visit calls for, in three tiers, most urgent first; a positive screen withholds self-care there and says what to do
    (TO-00), including taking the referral letter along.
    """
    visit = selectors.visit_detail(clinic=clinic, visit_id=visit_id)
    plan = TreatmentPlan.objects.filter(visit=visit).first()
    if plan is None:
        raise Http404("This visit has no plan yet: build the plan first.")
    doc = current_document()
    care = doc["meta"]["patient"]
    general = care["general"]
    muscles = {m["slug"]: m for m in doc["muscles"]}
    kinds = {s["id"]: s for c in doc["stressors"]["categories"] for s in c["subtypes"]}
    safety = {r["id"]: r for rules in doc["safety_rules"].values() for r in rules}
    stressors = {str(s.pk): s for s in stressor_list(patient=visit.patient)}
    recurring = {(p.muscle, p.side) for p in selectors.visit_analysis(visit=visit).recurring}

    points: list[HomeCarePoint] = []
    for step in plan.steps:
        home_care = step.get("home_care")
        if not home_care or len(points) >= plan.max_home_care:
            continue
        words = muscles.get(home_care["muscle"], {}).get("patient", {})
        tool, dose = self_care_dose(care, protocol=home_care.get("protocol", ""), tools=home_care.get("tools", []))
        points.append(
            HomeCarePoint(
                number=len(points) + 1,
                muscle_slug=home_care["muscle"],
                name=words.get("name") or home_care["muscle"].replace("_", " "),
                side=home_care["side"],
                where=_where(muscles.get(home_care["muscle"], {}), home_care.get("where", "")),
                tool=care["tools"].get(tool, {}).get("name", ""),
                how=dose.get("how", ""),
                how_long=dose.get("how_long", ""),
                how_often=dose.get("how_often") or general["how_often"],
                how_hard=general["how_hard"],
                stop=general["stop"],
                care=words.get("care", ""),
                note=step.get("patient_note", ""),
                recurring=general["recurring"] if (home_care["muscle"], home_care["side"]) in recurring else "",
            )
        )
    actions = []
    for step in plan.steps:
        stressor = stressors.get(step.get("stressor") or "")
        if step.get("kind") == "address_stressor" and stressor is not None:
            kind = kinds.get(stressor.kind, {})
            actions.append(StressorAction(label=kind.get("patient_label", ""), action=kind.get("patient_action", "")))
    # One notice per rule: a rule screened positive on the left and on the right is one referral.
    positive = list(dict.fromkeys(s.rule for s in visit.screenings.all() if s.result == ScreenResult.POSITIVE))
    notice = None
    if positive:
        said = [safety.get(rule, {}).get("patient", {}).get("refer") or general["withheld"] for rule in positive]
        notice = " ".join(dict.fromkeys([*said, general["withheld"], general["take_letter"]]))
    screens = [s["rule"] for s in selectors.proposed_screens(visit)]
    signs = [sign for rule in screens for sign in safety.get(rule, {}).get("patient", {}).get("signs", [])]
    signs += care["standing_signs"]
    help_tiers = tuple(
        HelpTier(
            heading=tier["heading"],
            signs=tuple(dict.fromkeys(sign["text"] for sign in signs if sign["tier"] == tier["id"])),
        )
        for tier in care["tiers"]
    )
    zones = {z["slug"]: z.get("patient_label") or z.get("label", z["slug"]) for z in doc["zones"]}
    painful = tuple((p.zone, p.side) for p in visit.pain_sites.all())
    practitioner = visit.signed_by or plan.created_by or visit.created_by
    return visit, HomeCareSheet(
        clinic_name=clinic.name,
        clinic_address=clinic.address,
        clinic_phone=clinic.phone,
        clinic_email=clinic.email,
        paper_size="LETTER" if clinic.paper_size == "LETTER" else "A4",
        patient_name=visit.patient.full_name,
        visit_date=visit.date,
        practitioner=(practitioner.get_full_name() or practitioner.get_username()) if practitioner else "",
        points=tuple(points),
        painful_zones=painful,
        stressor_actions=tuple(actions),
        safety=tuple(general["safety"]),
        help=help_tiers,
        red_flag_notice=notice,
        follow_up_on=plan.follow_up_on,
        issued_on=issued_on,
        note=plan.patient_note,
        not_the_sore_spot=general["not_the_sore_spot"],
        no_points=general["no_points"],
        large_type=plan.large_type,
        zone_labels=tuple((zone, zones.get(zone, zone)) for zone, _ in painful),
    )


def self_care_dose(care: dict[str, Any], *, protocol: str, tools: list[str]) -> tuple[str, dict[str, Any]]:
    """The tool the patient uses and its one dose (catalog patient words, `self_care.yaml`).

    The plan's protocol when it was written for any tool (stroking), or for a tool the catalog rates suitable for this
    muscle (`tools`, best first): then that tool. Otherwise the plan's first tool (as the practitioner ordered them)
    with the dose its own entry names.
    """
    chosen = care["doses"].get(protocol)
    if chosen is not None and chosen["tools"] == "any":
        return (tools[0] if tools else "hands"), chosen
    if chosen is not None:
        for tool in tools:
            if tool in chosen["tools"]:
                return tool, chosen
    tool = tools[0] if tools else "hands"
    entry = care["tools"].get(tool) or care["tools"]["hands"]
    return tool, care["doses"][entry["dose"]]


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
