"""Reads that fill the PDF builders' plain dataclasses (assessments.documents) from the chart and the catalog, and the
finished files, kept in Django's cache.

Fetched once, in a fixed number of queries; the builders themselves run no queries.

A finished PDF is kept under a key naming everything it prints from (``_pdf_key``): the patient's clinical data stamp
(`Patient.data_version`, raised by every write to their chart: patients.stamp), the catalog release and engine version
the content was reasoned with, the clinic's printed details and time zone (the visit note prints its times in it) and
the day it is issued on in that zone (the documents print the date, not the time of issue). So the same content
downloaded again that day is the same bytes, served from the cache, and any write, release or new day gives a new
file. The stamp comes from the caller's own lookup of the visit or patient, read before
the content is: a file built while a write commits is kept under the older stamp, which no later download asks for.
Each download is still recorded by the caller (services.document_issued), from the cache or not.
"""

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from assessments import selectors
from assessments.documents import build_home_care_pdf, build_progress_pdf, build_referral_pdf, build_visit_note_pdf
from assessments.documents.record_types import (
    AddendumRecord,
    AssessmentItem,
    ClinicDetails,
    FindingRecord,
    InjuryRecord,
    MuscleTestRecord,
    OutcomeRecord,
    PainRecord,
    PlanStepRecord,
    Referral,
    ReferralFinding,
    ScreenRecord,
    Signature,
    StressorRecord,
    VisitNote,
)
from assessments.documents.text import fmt_date, fmt_number
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
from assessments.engine import AK_LABEL, ENGINE_VERSION
from assessments.models import ReferralLetter, Screening, ScreenResult, TreatmentPlan, Visit
from catalog.store import current_document, current_release
from catalog.vocabulary import Side, history_words
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
    patient's data stamp; the clinic's name, contact details and paper size print on every page, and its time zone is
    the one the times print in (as a digest)."""
    printed = "\n".join((clinic.name, clinic.address, clinic.phone, clinic.email, clinic.paper_size, clinic.time_zone))
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

    One dose per spot, chosen by the tool in the patient's hand (`self_care_dose`); a spot a red flag or a pending
    screen holds in the chart as it is now gets no self-care, even from a plan built before (TO-00, CS-02/03/04);
    the practitioner's notes from the plan; a spot that keeps coming back says so (TO-08); "when to get help" lists
    the patient signs of the screens the visit calls for, in three tiers, most urgent first; a positive screen
    withholds self-care there and says what to do (TO-00), including taking the referral letter along.
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
    analysis = selectors.visit_analysis(visit=visit)
    recurring = {(p.muscle, p.side) for p in analysis.recurring}
    held = {(c.muscle, c.side) for c in analysis.charted if c.blocked_by or c.pending_screens or c.home_care_hold}

    points: list[HomeCarePoint] = []
    for step in plan.steps:
        home_care = step.get("home_care")
        if not home_care or len(points) >= plan.max_home_care:
            continue
        spot = (home_care["muscle"], home_care["side"])
        if spot in held or any(flag.blocks(*spot) for flag in analysis.red_flags):
            continue  # TO-00 holds now, whatever the plan said when it was built (a screen charted since)
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


# --- the practitioner's record documents: the visit note and the referral letter -------------------------------------

STEP_KINDS = {
    "refer": "Refer",
    "address_stressor": "Address stressor",
    "treat_remote_driver": "Treat remote driver",
    "treat_trigger_point": "Treat trigger point",
    "retest": "Retest",
    "rehab": "Rehabilitation",
    "follow_up": "Follow up",
}
URGENCY_WORDS = {"emergency": "emergency, today", "urgent": "urgent", "same_day": "the same day", "routine": "routine"}
URGENCY_ASK = {
    "emergency": "as an emergency, today",
    "urgent": "urgently",
    "same_day": "the same day",
    "routine": "at a routine appointment",
}
URGENCY_ORDER = ("emergency", "same_day", "urgent", "routine")
DEFAULT_RECIPIENT = "The patient's general practitioner"
_AK_MENTION = re.compile(r"\bAK\b|applied kinesiology", re.IGNORECASE)
_SOURCE_IDS = re.compile(r"\s*Sources: ([\w\-]+(?:, [\w\-]+)*)\.?\s*$")


def _full_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _clinic_details(clinic: Clinic) -> ClinicDetails:
    return ClinicDetails(name=clinic.name, address=clinic.address, phone=clinic.phone, email=clinic.email)


def _paper(clinic: Clinic) -> Literal["A4", "LETTER"]:
    return "LETTER" if clinic.paper_size == "LETTER" else "A4"


def _source_text(doc: dict[str, Any], source_id: str) -> str:
    source = doc["sources"].get(source_id, {})
    return str(source.get("cite") or source.get("title") or source.get("url") or source_id)


def _references(doc: dict[str, Any], source_ids: Iterable[str]) -> tuple[str, ...]:
    """The rules' sources as readable citations (the catalog's cite or title), each once, in order."""
    return tuple(dict.fromkeys(_source_text(doc, s) for s in source_ids if s))


def _ak_labelled(text: str) -> str:
    """An applied-kinesiology statement always carries its label (catalog evidence_notes.ak_validity)."""
    return f"{text} ({AK_LABEL})" if _AK_MENTION.search(text) and AK_LABEL not in text else text


def _side_of(side: str) -> str:
    return Side(side).label.lower() if side in Side.values else side


def _safety_rules(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for rules in doc["safety_rules"].values() for r in rules}


def visit_note_pdf(*, clinic: Clinic, visit: Visit) -> bytes:
    """The visit note as PDF bytes, issued today; `visit` is the caller's lookup, with its patient (its data stamp,
    raised by every write to the chart, a signature or an addendum, keys the kept file)."""
    today = timezone.localdate()
    key = _pdf_key("visit-note", clinic=clinic, subject=visit.pk, stamp=visit.patient.data_version, day=today)
    return _kept(key, lambda: build_visit_note_pdf(visit_note(clinic=clinic, visit_id=visit.pk, issued_on=today)[1]))


def visit_note(*, clinic: Clinic, visit_id: uuid.UUID | str, issued_on: dt.date) -> tuple[Visit, VisitNote]:
    """The SOAP note of a visit, read with the visit page's selector (a fixed number of queries, the analysis kept
    under the patient's data stamp): what was charted, the engine's analysis with each rule's sources, the plan, the
    signature and the addenda, every time in the time zone the request runs in: the clinic's (clinic.tenancy)."""
    page = selectors.visit_page(clinic=clinic, visit_id=visit_id)
    visit, plan, analysis = page.visit, page.plan, page.analysis
    doc = current_document()
    muscles = {m["slug"]: m["name"] for m in doc["muscles"]}
    zones = {z["slug"]: z.get("label", z["slug"]) for z in doc["zones"]}
    kinds = {s["id"]: s for c in doc["stressors"]["categories"] for s in c["subtypes"]}
    categories = {c["id"]: str(c.get("label", c["id"])).split(" (")[0] for c in doc["stressors"]["categories"]}
    safety = _safety_rules(doc)

    def muscle(slug: str | None, side: str | None) -> str:
        name = muscles.get(slug or "", slug or "")
        return f"{name}, {_side_of(side)}" if side else name

    tests: dict[tuple[str, str], dict[str, Any]] = {}
    for test in visit.muscle_tests.all():
        entry = tests.setdefault((test.muscle, test.side), {"pre": "", "post": "", "notes": []})
        entry[test.phase] = test.get_result_display()
        if test.notes:
            entry["notes"].append(test.notes)
    stressor_labels = {str(s.pk): kinds.get(s.kind, {}).get("label", s.kind) for s in page.stressors}
    signed = visit.signed_at if visit.is_signed else None
    practitioner = visit.signed_by or visit.created_by
    confirmed = plan is not None and plan.confirmed
    note = VisitNote(
        clinic=_clinic_details(clinic),
        paper_size=_paper(clinic),
        patient_name=visit.patient.full_name,
        date_of_birth=visit.patient.date_of_birth,
        practitioner=_full_name(practitioner),
        visit_date=visit.date,
        visit_kind=visit.get_kind_display(),
        chief_complaint=visit.chief_complaint,
        notes=visit.notes,
        stressors=tuple(
            StressorRecord(
                label=kinds.get(s.kind, {}).get("label", s.kind),
                category=categories.get(s.category, s.category.replace("_", " ")),
                severity=s.severity,
                onset=s.onset,
                resolved_on=s.resolved_on,
                detail=s.detail,
            )
            for s in page.stressors
        ),
        injuries=tuple(
            InjuryRecord(
                zone=zones.get(i.zone, i.zone),
                side=_side_of(i.side),
                occurred_on=i.occurred_on,
                description=i.description,
                painful_now=i.painful_now,
            )
            for i in page.injuries
        ),
        pain_sites=tuple(
            PainRecord(zone=zones.get(p.zone, p.zone), side=_side_of(p.side), nprs=p.nprs, primary=p.primary)
            for p in visit.pain_sites.all()
        ),
        screens=tuple(
            ScreenRecord(
                condition=str(safety.get(s.rule, {}).get("condition", s.rule)),
                rule=s.rule,
                side=_side_of(s.side) if s.side else "",
                result=s.get_result_display(),
                positive=s.result == ScreenResult.POSITIVE,
                detail=s.detail,
            )
            for s in visit.screenings.all()
        ),
        findings=tuple(
            FindingRecord(
                muscle=muscles.get(f.muscle, f.muscle),
                side=_side_of(f.side),
                location=f.location,
                tenderness=f.tenderness,
                signs=tuple(
                    word
                    for present, word in (
                        (f.taut_band, "taut band"),
                        (f.nodule, "nodule"),
                        (f.twitch_response, "local twitch response"),
                        (f.recognized, "recognised pain"),
                    )
                    if present
                ),
                status=f.get_status_display(),
                referral=", ".join(str(zones.get(z, z)).lower() for z in f.referral_zones),
                treatment=_treatment(f),
                notes=f.notes,
            )
            for f in visit.findings.all()
        ),
        muscle_tests=tuple(
            MuscleTestRecord(
                muscle=muscles.get(m, m),
                side=_side_of(side),
                before=entry["pre"],
                after=entry["post"],
                notes="; ".join(entry["notes"]),
            )
            for (m, side), entry in tests.items()
        ),
        outcomes=tuple(
            OutcomeRecord(measure=o.get_measure_display(), value=fmt_number(o.value), detail=o.detail)
            for o in visit.outcomes.all()
        ),
        assessment=_assessment_items(analysis, doc, muscle, zones),
        reasoning=f"Engine {analysis.engine_version}, catalog {analysis.catalog_version}",
        plan_exists=plan is not None,
        plan_confirmed=confirmed,
        plan_confirmed_by=_full_name(plan.confirmed_by) if plan is not None and confirmed else "",
        plan_confirmed_at=timezone.localtime(plan.confirmed_at) if plan is not None and plan.confirmed_at else None,
        plan=tuple(
            PlanStepRecord(
                order=int(step.get("order") or n),
                kind="Practitioner's step"
                if step.get("custom")
                else STEP_KINDS.get(step.get("kind", ""), str(step.get("kind", "")).replace("_", " ")),
                target=(
                    muscle(step.get("muscle"), step.get("side"))
                    if step.get("muscle")
                    else stressor_labels.get(step.get("stressor") or "", "")
                ),
                rationale=_without_source_ids(str(step.get("rationale", "")), step.get("sources", [])),
                references=_references(doc, step.get("sources", [])),
            )
            for n, step in enumerate(plan.steps if plan is not None else [], start=1)
        ),
        signature=(
            Signature(signed_by=_full_name(visit.signed_by), signed_at=timezone.localtime(signed))
            if signed is not None
            else None
        ),
        addenda=tuple(
            AddendumRecord(author=_full_name(a.created_by), written_at=timezone.localtime(a.created_at), text=a.text)
            for a in visit.addenda.all()
        ),
        time_zone=timezone.get_current_timezone_name(),
        issued_on=issued_on,
        history=history_rows(page.history, stressor_labels, visit.date),
        treatments=tuple(treatment_line(row, visit.date) for row in page.treatments if _begun(row, visit.date)),
        observations=tuple(observation_line(row) for row in visit.observations.all()),
    )
    return visit, note


def _begun(row: Any, on: dt.date) -> bool:
    return row.since is None or row.since <= on


def _history_words(vocabulary: str, slugs: Iterable[str]) -> str:
    words = history_words(vocabulary)
    return ", ".join(words.get(slug, slug).lower() for slug in slugs)


def history_rows(history: Any, stressor_labels: dict[str, str], on: dt.date) -> tuple[tuple[str, str], ...]:
    """The complaint's history as (label, value) rows for the visit note (issue 23); only what was charted."""
    if history is None:
        return ()
    rows: list[tuple[str, str]] = []
    if history.onset is not None:
        days = (on - history.onset).days
        rows.append(("Began", f"{fmt_date(history.onset)} ({days} days before this visit)"))
    if history.mechanism:
        how = history_words("mechanisms").get(history.mechanism, history.mechanism)
        if history.change_stressor_id:
            how += f": {stressor_labels.get(str(history.change_stressor_id), 'a stressor')}"
        rows.append(("How it began", how))
    if history.course:
        rows.append(("Since it began", history_words("courses").get(history.course, history.course)))
    if history.patterns:
        rows.append(("Over 24 hours", _history_words("patterns", history.patterns).capitalize()))
    for label, slugs, detail in (
        ("Worse with", history.aggravating, history.aggravating_detail),
        ("Eased by", history.easing, history.easing_detail),
    ):
        text = ", ".join(part for part in (_history_words("activities", slugs), detail) if part)
        if text:
            rows.append((label, text[0].upper() + text[1:]))
    if history.systemic_signs:
        rows.append(("Feels unwell", _history_words("systemic_signs", history.systemic_signs).capitalize()))
    if history.previous_episodes is not None:
        rows.append(("Earlier episodes", str(history.previous_episodes)))
    if history.detail:
        rows.append(("History notes", history.detail))
    return tuple(rows)


def treatment_line(row: Any, on: dt.date) -> str:
    """One treatment tried, as the note prints it: what, where, how often and hard, how it went, since when."""
    when = []
    if row.since is not None:
        when.append(f"since {fmt_date(row.since)}")
    if row.ended_on is not None and row.ended_on <= on:
        when.append(f"stopped {fmt_date(row.ended_on)}")
    else:
        when.append("ongoing")
    how = f": {row.how}" if row.how else ""
    detail = f". {row.detail}" if row.detail else ""
    return f"{row.kind_label}{how} ({', '.join(when)}){detail}"


def observation_line(row: Any) -> str:
    side = f" ({_side_of(row.side)})" if row.side else ""
    detail = f": {row.detail}" if row.detail else ""
    return f"{history_words('observations').get(row.kind, row.kind)}{side}{detail}"


def _without_source_ids(rationale: str, source_ids: Iterable[str]) -> str:
    """The engine ends a refer step's rationale with "Sources: <catalog ids>."; the note prints those sources as
    readable citations under the step instead, so the ids are left out (a practitioner's own words are kept)."""
    match = _SOURCE_IDS.search(rationale)
    if match is None or not {i.strip() for i in match.group(1).split(",")} <= set(source_ids):
        return rationale
    return rationale[: match.start()].rstrip()


def _treatment(finding: Any) -> str:
    if not finding.treated:
        return ""
    technique = f" ({finding.get_technique_display().lower()})" if finding.technique else ""
    response = f": {finding.get_response_display().lower()}" if finding.response else ""
    return f"Treated{technique}{response}"


def _assessment_items(
    analysis: Any, doc: dict[str, Any], muscle: Callable[[str | None, str | None], str], zones: dict[str, str]
) -> tuple[AssessmentItem, ...]:
    """The engine's analysis as the visit page shows it, in clinical language, each item with its rule ids and their
    sources as readable citations; AK statements labelled (evidence_notes.ak_validity)."""
    items: list[AssessmentItem] = []

    def add(group: str, heading: str, text: str, rules: Iterable[str], sources: Iterable[str]) -> None:
        items.append(AssessmentItem(group, heading, _ak_labelled(text), tuple(rules), _references(doc, sources)))

    for flag in analysis.red_flags:
        side = f" ({flag.side})" if flag.side else ""
        detail = f" Screen notes: {flag.detail}." if flag.detail else ""
        add("Red flags: refer", f"{flag.condition}{side}", f"{flag.action}{detail}", (flag.rule, "TO-00"),
            flag.sources)  # fmt: skip
    for needed in analysis.screens_needed:
        side = f" ({needed.side})" if needed.side else ""
        held = ", ".join(muscle(m, None) for m in needed.muscles)
        text = "Record this screen before treating" + (f" {held}" if held else "") + f". {needed.reason}"
        add("Screen before treating", f"{needed.condition}{side}", text, needed.rule_ids, needed.sources)
    for s in analysis.stressors_to_address:
        text = " ".join(part for part in (s.reason, s.order_reason) if part)
        add("Stressors to address first", s.label or s.kind, text, s.rule_ids, s.sources)
    for c in analysis.remote_drivers:
        add("Remote drivers (treat before the local sources)", muscle(c.muscle, c.side), c.reason, c.rule_ids,
            c.sources)  # fmt: skip
    for c in analysis.suspected_sources:
        add("Suspected sources (muscles to examine)", muscle(c.muscle, c.side), c.reason, c.rule_ids, c.sources)
    for r in analysis.recurring:
        add("Recurring points", muscle(r.muscle, r.side), f"Tender at {r.visits} visits in a row: {r.advice}",
            r.rule_ids, r.sources)  # fmt: skip
    for d in analysis.do_not_treat:
        add("Where not to work", f"{zones.get(d.zone, d.zone)} ({d.side})", d.reason, d.rule_ids, d.sources)
    for n in analysis.notes:
        add("Notes", "", n.text, n.rule_ids, n.sources)
    for p in analysis.patterns:
        add("Patterns that fired", p.name, p.explanation, (p.id,), p.sources)
    return tuple(items)


# --- referral letter ---


@dataclass(frozen=True)
class ReferralState:
    """What the referral letter says now: the saved edit (if any) over the generated default, for the API, the visit
    page and the PDF. `version` is 0 until the practitioner first saves an edit (the letter row does not exist yet)."""

    visit: Visit
    letter: ReferralLetter | None
    positive: tuple[Screening, ...]
    default_recipient: str
    default_body: str

    @property
    def screens(self) -> list[dict[str, str]]:
        """The positive screens the letter is about: rule, condition (the catalog's words), side and notes."""
        safety = _safety_rules(current_document())
        return [
            {"rule": s.rule, "condition": str(safety.get(s.rule, {}).get("condition", s.rule)), "side": s.side,
             "detail": s.detail}
            for s in self.positive
        ]  # fmt: skip

    @property
    def version(self) -> int:
        return self.letter.version if self.letter is not None else 0

    @property
    def recipient(self) -> str:
        return self.letter.recipient if self.letter is not None else ""

    @property
    def body(self) -> str:
        return self.letter.body if self.letter is not None else ""

    @property
    def recipient_text(self) -> str:
        """What the letter is addressed to: the saved recipient, or the default when it is blank."""
        return self.recipient if self.recipient.strip() else self.default_recipient

    @property
    def body_text(self) -> str:
        """What the letter says: the saved text, or the generated default when it is blank."""
        return self.body if self.body.strip() else self.default_body


def positive_screens(visit: Visit) -> tuple[Screening, ...]:
    """The visit's positive red-flag screens (its live screenings, prefetched by the visit selectors)."""
    return tuple(s for s in visit.screenings.all() if s.result == ScreenResult.POSITIVE)


def referral_state_or_none(*, visit: Visit) -> ReferralState | None:
    """``referral_state``, or None when no screen of the visit is positive (the visit page shows no letter then)."""
    try:
        return referral_state(visit=visit)
    except Http404:
        return None


def referral_state(*, visit: Visit) -> ReferralState:
    """The referral letter of a visit with its live screenings prefetched (selectors.visit_detail), or 404 when no
    screen is positive: a letter is written only after a positive red-flag screen (TO-00)."""
    positive = positive_screens(visit)
    if not positive:
        raise Http404("No red-flag screen of this visit is positive: there is no referral letter.")
    letter = ReferralLetter.objects.for_clinic_id(visit.clinic_id).filter(visit=visit).first()
    doc = current_document()
    return ReferralState(
        visit=visit,
        letter=letter,
        positive=positive,
        default_recipient=DEFAULT_RECIPIENT,
        default_body=_default_body(visit, positive, _safety_rules(doc)),
    )


def _default_body(visit: Visit, positive: Sequence[Screening], safety: dict[str, dict[str, Any]]) -> str:
    """The generated letter: who was seen when and why, which screen was positive, what is asked and how soon (the
    most urgent of the rules' urgencies)."""
    name = visit.patient.full_name
    complaint = visit.chief_complaint.strip().rstrip(".")
    seen = f"I saw {name} on {fmt_date(visit.date)}" + (f" for {complaint[:1].lower()}{complaint[1:]}" if complaint
                                                        else "") + "."  # fmt: skip
    conditions = []
    for screen in positive:
        condition = str(safety.get(screen.rule, {}).get("condition", screen.rule))
        condition = condition[:1].lower() + condition[1:]
        conditions.append(f"{condition} ({_side_of(screen.side)} side)" if screen.side in ("left", "right")
                          else condition)  # fmt: skip
    urgencies = [str(safety.get(s.rule, {}).get("urgency") or "") for s in positive]
    ranked = sorted((u for u in urgencies if u in URGENCY_ORDER), key=URGENCY_ORDER.index)
    ask = URGENCY_ASK[ranked[0]] if ranked else "at your earliest convenience"
    found = "; ".join(dict.fromkeys(conditions))
    return (
        f"Dear Doctor,\n\n{seen} At this visit a red-flag screen was positive for {found}. I have not treated the "
        f"affected area and would be grateful if you could assess {name} {ask}.\n\n"
        "The finding, the screen's criteria and what I did and did not do are set out below. Thank you for seeing "
        f"{name}; please contact me if you need anything further."
    )


def referral_pdf(*, clinic: Clinic, visit: Visit) -> bytes:
    """The referral letter as PDF bytes, dated today; 404 when no screen of the visit is positive (nothing is kept
    then). `visit` is the caller's lookup, with its patient: the data stamp (raised by every write to the chart and to
    the letter) keys the kept file."""
    today = timezone.localdate()
    key = _pdf_key("referral", clinic=clinic, subject=visit.pk, stamp=visit.patient.data_version, day=today)
    return _kept(key, lambda: build_referral_pdf(referral_letter(clinic=clinic, visit_id=visit.pk, issued_on=today)[1]))


def referral_letter(*, clinic: Clinic, visit_id: uuid.UUID | str, issued_on: dt.date) -> tuple[Visit, Referral]:
    """The letter to print, read with the visit page's selector (404 when no screen is positive): the practitioner's
    text (or the default), each positive screen with its rule's criteria (`signs`), action, urgency and sources, and
    what was done and not done, from the engine's red flags (the plan's refer steps, TO-00), the plan and the treated
    findings."""
    page = selectors.visit_page(clinic=clinic, visit_id=visit_id)
    state = referral_state(visit=page.visit)
    visit = page.visit
    doc = current_document()
    safety = _safety_rules(doc)
    muscles = {m["slug"]: m["name"] for m in doc["muscles"]}
    findings = []
    for screen in state.positive:
        rule = safety.get(screen.rule, {})
        urgency = str(rule.get("urgency") or "")
        findings.append(
            ReferralFinding(
                condition=str(rule.get("condition", screen.rule)),
                rule=screen.rule,
                side=screen.side,
                detail=screen.detail,
                criteria=tuple(str(s) for s in rule.get("signs", [])),
                action=str(rule.get("action", "")),
                urgency=URGENCY_WORDS.get(urgency, urgency.replace("_", " ")),
                references=_references(doc, rule.get("sources", [])),
            )
        )
    done, not_done = _done_and_not_done(visit, page.plan, page.analysis, muscles, safety)
    practitioner = visit.signed_by or visit.created_by or (state.letter.created_by if state.letter else None)
    return visit, Referral(
        clinic=_clinic_details(clinic),
        paper_size=_paper(clinic),
        practitioner=_full_name(practitioner),
        recipient=state.recipient_text,
        patient_name=visit.patient.full_name,
        date_of_birth=visit.patient.date_of_birth,
        visit_date=visit.date,
        body=state.body_text,
        findings=tuple(findings),
        done=done,
        not_done=not_done,
        issued_on=issued_on,
    )


def _done_and_not_done(
    visit: Visit,
    plan: TreatmentPlan | None,
    analysis: Any,
    muscles: dict[str, str],
    safety: dict[str, dict[str, Any]],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the letter reports as done and not done, never more than the chart says.

    Not done: per referring red flag, the area TO-00 withholds trigger-point work and self-care from (as the plan's
    refer step says) and the charted points in it. A point in that area charted as treated (before the screen, say)
    is reported as treated, and the area is then said to have had no *further* treatment. Done: the screens, the
    points treated, and the self-care of the plan (confirmed, or said to be only proposed).
    """

    def who(slug: str, side: str) -> str:
        return f"{muscles.get(slug, slug).lower()} ({side})"

    flags = [flag for flag in analysis.red_flags if flag.refers]
    findings = list(visit.findings.all())
    blocked = [f for f in findings if any(flag.blocks(f.muscle, f.side) for flag in flags)]
    treated_in_area = [who(f.muscle, f.side) for f in blocked if f.treated]
    further = " further" if treated_in_area else ""
    not_done: list[str] = []
    for flag in flags:
        condition = f"{flag.condition[:1].lower()}{flag.condition[1:]}"
        side = f" on the {flag.side} side" if flag.lateral and flag.side in ("left", "right") else ""
        if flag.blocks_all:
            not_done.append(
                f"No{further} trigger-point treatment or self-care was given: all trigger-point work and home care "
                f"are withheld until medically cleared, because of the positive screen for {condition}."
            )
            continue
        area = ", ".join(flag.blocked_regions) or "the listed zones"
        not_done.append(
            f"No{further} trigger-point treatment or self-care was given to the affected area{side} ({area}), "
            f"because of the positive screen for {condition}."
        )
    withheld = [who(f.muscle, f.side) for f in blocked if not f.treated]
    if withheld:
        not_done.append("Withheld until medically cleared: " + ", ".join(dict.fromkeys(withheld)) + ".")
    if not flags:
        not_done.append("The catalog's rules for this screen withhold no treatment (a local caution, not a referral).")

    done: list[str] = []
    for screen in visit.screenings.all():
        condition = str(safety.get(screen.rule, {}).get("condition", screen.rule))
        side = f" ({_side_of(screen.side)})" if screen.side else ""
        done.append(f"Red-flag screen for {condition[:1].lower()}{condition[1:]}{side}: "
                    f"{screen.get_result_display().lower()}.")  # fmt: skip
    if treated_in_area:
        done.append(
            "Charted as treated in the affected area at this visit: " + ", ".join(dict.fromkeys(treated_in_area)) + "."
        )
    elsewhere = [who(f.muscle, f.side) for f in findings if f.treated and f not in blocked]
    if elsewhere:
        done.append("Trigger-point treatment elsewhere: " + ", ".join(dict.fromkeys(elsewhere)) + ".")
    if plan is None:
        done.append("No treatment plan was made at this visit.")
    else:
        state = "confirmed" if plan.confirmed else "proposed, not yet confirmed"
        care = [who(s["home_care"]["muscle"], s["home_care"]["side"]) for s in plan.steps if s.get("home_care")]
        if care:
            done.append(f"Self-care for other areas in the plan ({state}): " + ", ".join(dict.fromkeys(care)) + ".")
        else:
            done.append("No self-care was given.")
    return tuple(done), tuple(not_done)
