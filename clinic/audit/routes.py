"""Which routes serve patient data, and how a request on each is described in the audit trail.

A route is patient data when its path is under one of PATIENT_DATA_PATHS (pages under /patients/ and /visits/, the API
under /api/v1/patients|stressors|injuries|treatments|visits|findings|muscle-tests|observations/) or when it is
declared below for another reason (the audit page itself shows patient names). Every such route is declared in ROUTES
by its URL name: tests/security/test_audit_routes.py walks the URL resolver and fails on a patient-data route that is
not declared here (or not probed there). A route on those paths that someone forgets to declare is still recorded, as
UNDECLARED.

Each declaration says what the URL names (object type and the URL keyword holding its id), how to find the patient
(the model and keyword to look up, scoped to the acting clinic) and the action of each method.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from clinic.models import AuditAction

PATIENT_DATA_PATHS = re.compile(
    r"^/(?:patients|visits)/"
    r"|^/api/v1/(?:patients|stressors|injuries|treatments|visits|findings|muscle-tests|observations)/"
)

READ, CREATE, UPDATE, ARCHIVE, SIGN, DOCUMENT = (
    AuditAction.READ,
    AuditAction.CREATE,
    AuditAction.UPDATE,
    AuditAction.ARCHIVE,
    AuditAction.SIGN,
    AuditAction.DOCUMENT,
)
REST = MappingProxyType(
    {"GET": READ, "HEAD": READ, "OPTIONS": READ, "POST": CREATE, "PATCH": UPDATE, "PUT": UPDATE, "DELETE": ARCHIVE}
)

# Slugs in page URLs (panel and chart section names) -> the object type they name.
SLUG_TYPES = MappingProxyType(
    {
        "stressors": "stressor",
        "injuries": "injury",
        "pain-sites": "pain_site",
        "findings": "finding",
        "muscle-tests": "muscle_test",
        "observations": "observation",
        "treatments": "treatment",
        "outcomes": "outcome",
        "screening": "screening",
    }
)


@dataclass(frozen=True)
class PatientRoute:
    """How one route is audited.

    object_type  what the URL names: "patient", "visit", ... (or, with type_kwarg, the type its slug names)
    object_kwarg the URL keyword holding that object's id (None: a list, or a create whose id comes from the response)
    anchor       the model whose row gives the patient id: "patient", "visit", "stressor", "injury", "finding",
                 "muscle_test" (clinic.audit.recording.ANCHORS), looked up in the acting clinic
    anchor_kwarg the URL keyword holding the anchor's id; anchor_query: or this query parameter (?patient=)
    actions      the action of each method (default REST: GET/HEAD/OPTIONS read, POST create, PATCH/PUT update,
                 DELETE archive)
    """

    object_type: str
    object_kwarg: str | None = None
    anchor: str | None = None
    anchor_kwarg: str | None = None
    anchor_query: str | None = None
    type_kwarg: str | None = None
    actions: Mapping[str, AuditAction] = field(default_factory=lambda: REST)

    def action_for(self, method: str) -> AuditAction:
        return self.actions.get(method, REST.get(method, READ))


def _with(**overrides: AuditAction) -> Mapping[str, AuditAction]:
    return MappingProxyType({**REST, **overrides})


def _patient(kwarg: str = "patient_id", actions: Mapping[str, AuditAction] = REST) -> PatientRoute:
    return PatientRoute("patient", kwarg, "patient", kwarg, actions=actions)


def _visit(kwarg: str = "visit_id", actions: Mapping[str, AuditAction] = REST) -> PatientRoute:
    return PatientRoute("visit", kwarg, "visit", kwarg, actions=actions)


POST_UPDATES = _with(POST=UPDATE)

ROUTES: Mapping[str, PatientRoute] = MappingProxyType(
    {
        # --- pages ---------------------------------------------------------------------------------------------------
        "patients:list": PatientRoute("patient"),
        "patients:create": PatientRoute("patient"),
        "assessments:chart": _patient(),
        "patients:edit": _patient(actions=POST_UPDATES),
        "patients:panel-add": _patient(),
        "patients:panel-edit": PatientRoute(
            "", "object_id", "patient", "patient_id", type_kwarg="panel_name", actions=POST_UPDATES
        ),
        "patients:panel-archive": PatientRoute(
            "", "object_id", "patient", "patient_id", type_kwarg="panel_name", actions=_with(POST=ARCHIVE)
        ),
        "assessments:visit-create": _patient(),
        "assessments:visit": _visit(),
        "assessments:visit-details": _visit(actions=POST_UPDATES),
        "assessments:visit-history": _visit(actions=POST_UPDATES),
        "assessments:section-add": _visit(),
        "assessments:section-remove": PatientRoute(
            "", "child_id", "visit", "visit_id", type_kwarg="section_name", actions=_with(POST=ARCHIVE)
        ),
        "assessments:section-row": PatientRoute("", "child_id", "visit", "visit_id", type_kwarg="section_name"),
        "assessments:section-edit": PatientRoute(
            "", "child_id", "visit", "visit_id", type_kwarg="section_name", actions=POST_UPDATES
        ),
        "assessments:section-restore": PatientRoute(
            "", "child_id", "visit", "visit_id", type_kwarg="section_name", actions=POST_UPDATES
        ),
        "assessments:analysis": _visit(),
        "assessments:compare": _visit(),
        "assessments:plan-build": _visit(actions=POST_UPDATES),
        "assessments:plan-status": _visit(),
        "assessments:plan-step-add": _visit(actions=POST_UPDATES),
        "assessments:plan-move": _visit(actions=POST_UPDATES),
        "assessments:plan-drop": _visit(actions=POST_UPDATES),
        "assessments:plan-rationale": _visit(actions=POST_UPDATES),
        "assessments:plan-step-note": _visit(actions=POST_UPDATES),
        "assessments:plan-words": _visit(actions=POST_UPDATES),
        "assessments:plan-confirm": _visit(actions=POST_UPDATES),
        "assessments:sign": _visit(actions=_with(POST=SIGN)),
        "assessments:addendum": _visit(),
        "assessments:carry-forward": _visit(),
        "assessments:screen-reconfirm": _visit(),
        "assessments:visit-note": _visit(),
        "assessments:referral": _visit(actions=POST_UPDATES),
        "assessments:referral-panel": _visit(),
        # Favourite sets are not patient data (/api/v1/favourites/ is not declared); the pages that show them sit on a
        # visit, and charting from a set or saving a visit as one reads or writes that visit's chart.
        "assessments:favourites": _visit(),
        "assessments:favourite-chart": _visit(),
        "assessments:favourite-save": _visit(),
        # --- API -----------------------------------------------------------------------------------------------------
        "patient-list": PatientRoute("patient"),
        "patient-detail": _patient("pk"),
        "patient-stressors": _patient(),
        "patient-injuries": _patient(),
        "patient-treatments": _patient(),
        "patient-progress": _patient(),
        "patient-progress-pdf": _patient(actions=_with(GET=DOCUMENT, HEAD=DOCUMENT)),
        "stressor-detail": PatientRoute("stressor", "pk", "stressor", "pk"),
        "injury-detail": PatientRoute("injury", "pk", "injury", "pk"),
        "treatment-detail": PatientRoute("treatment", "pk", "treatment", "pk"),
        "visit-list": PatientRoute("visit", anchor="patient", anchor_query="patient"),
        "visit-detail": _visit("pk"),
        "visit-addenda": _visit("pk"),
        "visit-analysis": _visit("pk"),
        "visit-findings": _visit("pk"),
        "visit-muscle-tests": _visit("pk"),
        "visit-outcomes": _visit("pk"),
        "visit-pain-sites": _visit("pk"),
        "visit-screening": _visit("pk"),
        "visit-observations": _visit("pk"),
        "visit-history": _visit("pk"),
        "visit-plan": _visit("pk", actions=POST_UPDATES),
        "visit-plan-confirm": _visit("pk", actions=POST_UPDATES),
        "visit-plan-steps": _visit("pk", actions=POST_UPDATES),
        "visit-sign": _visit("pk", actions=_with(POST=SIGN)),
        "visit-compare": _visit("pk"),
        "visit-home-care-pdf": _visit("pk", actions=_with(GET=DOCUMENT, HEAD=DOCUMENT)),
        "visit-note-pdf": _visit("pk", actions=_with(GET=DOCUMENT, HEAD=DOCUMENT)),
        "visit-referral-pdf": _visit("pk", actions=_with(GET=DOCUMENT, HEAD=DOCUMENT)),
        "visit-referral": _visit("pk"),
        "visit-favourite-chart": _visit("pk"),
        "finding-detail": PatientRoute("finding", "pk", "finding", "pk"),
        "muscle-test-detail": PatientRoute("muscle_test", "pk", "muscle_test", "pk"),
        "observation-detail": PatientRoute("observation", "pk", "observation", "pk"),
        # --- the audit trail shows patient names: reading it is recorded too ----------------------------------------
        "audit": PatientRoute("audit_trail", anchor="patient", anchor_query="patient"),
    }
)

# A route on PATIENT_DATA_PATHS that is missing from ROUTES: recorded without object or patient.
UNDECLARED = PatientRoute("")
