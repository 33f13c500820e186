"""Sample visit notes and referral letters, for the render script (tests/assessments/documents/render_samples.py)
and the builders' tests: realistic content without a database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from .record_types import (
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

UTC = dt.UTC
CLINIC = ClinicDetails(
    "Harbour Street Clinic", "12 Harbour Street, Bristol BS1 4QA", "0117 496 0000", "desk@harbour.example"
)
WELLS = "Wells PS et al. Lancet 1997;350:1795-1798"
DELPHI = (
    "Fernandez-de-las-Penas C, Dommerholt J. International consensus on diagnostic criteria and clinical "
    "considerations of myofascial trigger points: a Delphi study. Pain Med 2018;19(1):142-150."
)
DVT_SIGNS = (
    "unilateral calf or whole-leg swelling",
    "calf circumference >3 cm larger than the other side (10 cm below tibial tuberosity)",
    "pitting oedema in the symptomatic leg",
    "tenderness along the deep veins",
    "collateral (non-varicose) superficial veins",
    "warmth/redness",
)


def sample_visit_note(*, signed: bool = True, **overrides: Any) -> VisitNote:
    note = VisitNote(
        clinic=CLINIC,
        paper_size="A4",
        patient_name="Maria Lopez",
        date_of_birth=dt.date(1980, 5, 17),
        practitioner="Ana Silva",
        visit_date=dt.date(2026, 11, 2),
        visit_kind="Follow-up",
        chief_complaint="Heel pain in the morning, first steps worst",
        notes="Runs 30 km a week; changed to minimal shoes in September. Pain 6/10 on the first steps, eases after "
        "ten minutes.",
        stressors=(
            StressorRecord(
                "Rapid footwear transition",
                "Physical / structural",
                3,
                dt.date(2026, 9, 1),
                None,
                "Minimal shoes from September, no transition period.",
            ),
            StressorRecord("Poor sleep", "Emotional / mental", 2, dt.date(2026, 8, 15), dt.date(2026, 10, 20), ""),
        ),
        injuries=(
            InjuryRecord("Lateral ankle", "left", dt.date(2015, 3, 1), "Inversion sprain, physio 6 weeks.", False),
        ),
        pain_sites=(PainRecord("Plantar heel", "left", 6, True), PainRecord("Calf", "left", 3, False)),
        screens=(
            ScreenRecord("Possible deep-vein thrombosis", "SAFE-M-DVT", "left", "Negative", False, ""),
            ScreenRecord(
                "Possible stress fracture (runner with rapid load increase)",
                "SAFE-M-FRACTURE-STRESS",
                "",
                "Not done",
                False,
                "Not indicated: no bony tenderness.",
            ),
        ),
        findings=(
            FindingRecord(
                "Soleus",
                "left",
                "mid-belly, medial",
                7,
                ("taut band", "recognised pain"),
                "Active (reproduces the familiar pain)",
                "plantar heel",
                "Treated (hold): released",
                "Reproduced the heel pain on sustained pressure.",
            ),
            FindingRecord("Tibialis posterior", "left", "", 5, ("taut band",), "Latent", "", "", ""),
            FindingRecord("Quadratus plantae", "left", "near the heel", 4, (), "Unknown", "plantar heel", "", ""),
        ),
        muscle_tests=(
            MuscleTestRecord("Soleus", "left", "Inhibited", "Normal", ""),
            MuscleTestRecord("Tibialis posterior", "left", "Inhibited", "", "Not retested: time."),
        ),
        outcomes=(OutcomeRecord("NPRS (pain 0-10)", "6", "first steps"), OutcomeRecord("LEFS (0-80)", "52", "")),
        assessment=(
            AssessmentItem(
                "Suspected sources (muscles to examine)",
                "Soleus, left",
                "Active trigger point that reproduces the familiar pain and refers to the plantar heel (U-3, TO-05).",
                ("SR-HEEL-01", "U-3"),
                (DELPHI, "Travell & Simons, vol. 2, ch. 22"),
            ),
            AssessmentItem(
                "Suspected sources (muscles to examine)",
                "Tibialis posterior, left",
                "Latent point in a muscle that refers to the heel; examine after soleus.",
                ("SR-HEEL-01",),
                ("Travell & Simons, vol. 2, ch. 23",),
            ),
            AssessmentItem(
                "Stressors to address first",
                "Rapid footwear transition",
                "Severity 3/3; evidence for the link: mainstream. Change shoes gradually over 8-12 weeks.",
                ("CS-07", "TO-01"),
                ("Warne 2014 (minimalist shoe transition)",),
            ),
            AssessmentItem(
                "Patterns",
                "Kidney association of the calf muscles",
                "Gastrocnemius and soleus are AK 'adrenal' muscles (AK tradition, not evidence-based).",
                ("KC-X8",),
                ("Walther DS. Applied Kinesiology Synopsis, 2nd ed. 2000.",),
            ),
        ),
        reasoning="Engine 4.2.0, catalog release 2026.12.1",
        plan_exists=True,
        plan_confirmed=True,
        plan_confirmed_by="Ana Silva",
        plan_confirmed_at=dt.datetime(2026, 11, 2, 10, 41, tzinfo=UTC),
        plan=(
            PlanStepRecord(
                1,
                "Address stressor",
                "Rapid footwear transition",
                "Address the stressor before (and alongside) trigger-point work (TO-01).",
                ("Warne 2014",),
            ),
            PlanStepRecord(
                2,
                "Treat trigger point",
                "Soleus, left",
                "Active point reproducing the familiar pain (TO-04).",
                (DELPHI,),
            ),
            PlanStepRecord(3, "Follow up", "", "Review in 1-2 weeks (TO-08).", ()),
        ),
        signature=Signature("Ana Silva", dt.datetime(2026, 11, 2, 11, 5, tzinfo=UTC)) if signed else None,
        addenda=(
            AddendumRecord(
                "Ana Silva",
                dt.datetime(2026, 11, 4, 9, 12, tzinfo=UTC),
                "Phoned: heel pain 3/10 on first steps, walking 20 minutes without pain.",
            ),
        )
        if signed
        else (),
        time_zone="UTC",
        issued_on=dt.date(2026, 11, 5),
        history=(
            ("Began", "14 Sept 2026 (49 days before this visit)"),
            ("How it began", "After a change (shoes, training, work, ...): Changing footwear too quickly"),
            ("Since it began", "About the same"),
            ("Over 24 hours", "Worse in the morning or on the first steps"),
            ("Worse with", "The first steps after rest, walking barefoot at home"),
        ),
        treatments=(
            "Foam rolling, ball or stick at home: underside of the heel, daily, hard (painful while doing it): "
            "no change (since 1 Oct 2026, ongoing)",
        ),
        observations=("Foot pronation (arch flattening) (left): more at the end of a run",),
    )
    return replace(note, **overrides)


def long_draft_note(**overrides: Any) -> VisitNote:
    """A draft with enough findings and notes to run over several pages."""
    base = sample_visit_note(signed=False)
    findings = tuple(
        replace(base.findings[i % len(base.findings)], location=f"point {i + 1}", notes="Tender band, " * 12)
        for i in range(28)
    )
    return replace(
        base, findings=findings, notes=base.notes + "\n" + "Long history of running injuries. " * 40, **overrides
    )


def sample_referral(**overrides: Any) -> Referral:
    letter = Referral(
        clinic=CLINIC,
        paper_size="A4",
        practitioner="Ana Silva",
        recipient="Dr Ravi Patel, Clifton Medical Practice",
        patient_name="Maria Lopez",
        date_of_birth=dt.date(1980, 5, 17),
        visit_date=dt.date(2026, 11, 2),
        body=(
            "Dear Dr Patel,\n\nI saw Maria Lopez today for heel pain in the morning. During the red-flag screen she "
            "had signs of a possible deep-vein thrombosis in the left leg. I have not treated the leg and would be "
            "grateful if you could assess her the same day.\n\nThe finding, the screen's criteria and what I did "
            "and did not do are set out below."
        ),
        findings=(
            ReferralFinding(
                condition="Possible deep-vein thrombosis",
                rule="SAFE-M-DVT",
                side="left",
                detail="Left calf 3.5 cm larger than the right, warm, pitting oedema to mid-shin.",
                criteria=DVT_SIGNS,
                action="No massage or trigger-point work of that limb; same-day medical assessment (ultrasound / "
                "D-dimer pathway).",
                urgency="same day",
                references=(WELLS, "BMJ Best Practice: DVT criteria (modified Wells)"),
            ),
        ),
        done=(
            "Red-flag screen for possible deep-vein thrombosis (left): positive.",
            "Trigger-point treatment elsewhere: upper trapezius (right).",
        ),
        not_done=(
            "No trigger-point treatment or self-care was given to the affected area (the left lower limb: thigh, "
            "leg, foot).",
            "Withheld until medically cleared: soleus (left), tibialis posterior (left).",
        ),
        issued_on=dt.date(2026, 11, 2),
    )
    return replace(letter, **overrides)
