"""Every URL the project serves, and how to probe it: the table the security tests walk.

`resolver_routes()` lists every named URL pattern from Django's resolver. `ROUTES` says, for each route name, how to
call it: which kind of object fills each path keyword (`Ref("visit")`), which query-string parameters and request-body
fields name objects, the method, a sample body, and the role capability the call needs (clinic.roles).
A route in the resolver that is neither in `ROUTES` nor in `EXCLUDED` fails `test_every_route_is_in_the_table` with
its name, so a new endpoint cannot ship without being probed for tenancy and roles. A helper adding a route adds a row
here (and a test module may `import tests.security.routes` to reuse `World`, `build_world` and `call`).

Objects come from a `World` (one clinic with a patient, two visits, a plan, charted children and members); the
isolation tests fill the references from another clinic's world.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessments import services as assessment_services
from assessments.models import Outcome, Screening
from clinic.models import Clinic, Membership, Role
from clinic.roles import Capability
from tests.factories import (
    ClinicFactory,
    FindingFactory,
    InjuryFactory,
    MembershipFactory,
    MuscleTestFactory,
    ObservationFactory,
    PainSiteFactory,
    PatientFactory,
    StressorFactory,
    TreatmentFactory,
    VisitFactory,
)

# Routes the matrix does not probe, each with the reason. Matched by exact name, or by namespace with "ns:*".
EXCLUDED: dict[str, str] = {
    "admin:*": "Django admin: staff only, guarded by is_staff, not by clinic roles (no clinic data is reachable "
    "without staff status).",
    "login": "Sign-in page: no clinic, no objects (the auth helper tests it).",
    "logout": "Sign-out: no clinic, no objects (the auth helper tests it).",
    "session-state": "Signed in or not, and a CSRF token: no clinic, no objects (tests/clinic/test_session_ended.py).",
    "api-token": "Token endpoint: credentials in, token out; no clinic objects (the auth helper tests it).",
    "api-logout": "Token sign-out: deletes the caller's own token; no clinic objects (test_auth_tokens.py).",
    "api-ping": "Liveness check for benchmarks: no clinic objects (tests/api/test_ping_api.py).",
    "api-schema": "OpenAPI schema: describes the API, holds no clinic data.",
    "api-docs": "Swagger UI page over the schema: no clinic data.",
    # Static files are served by WhiteNoise middleware, not by URL patterns, so none appear in the resolver.
}


@dataclass(frozen=True)
class Ref:
    """An object of the given kind, filled from the world under test (the acting clinic's or a foreign one)."""

    kind: str


@dataclass(frozen=True)
class Probe:
    """One way to call a route.

    `body_fk` says what the route does with an object id inside the body: "used" (looked up in the acting clinic, so a
    foreign one answers 404), or "not_used" (refused as a protected field or ignored as read-only; a foreign id then
    answers exactly like a nonexistent one and never appears in the answer).
    """

    method: Literal["GET", "POST", "PATCH", "DELETE"]
    capability: Capability | None  # None: any signed-in member (or any signed-in user for the catalog)
    path: Mapping[str, Ref | str] = field(default_factory=dict)
    query: Mapping[str, Ref | str] = field(default_factory=dict)
    body: Mapping[str, Any] = field(default_factory=dict)
    body_fk: Literal["used", "not_used"] | None = None
    label: str = ""

    @property
    def path_refs(self) -> list[str]:
        return [k for k, v in self.path.items() if isinstance(v, Ref)]

    @property
    def query_refs(self) -> list[str]:
        return [k for k, v in self.query.items() if isinstance(v, Ref)]

    @property
    def body_refs(self) -> list[str]:
        return [k for k, v in self.body.items() if isinstance(v, Ref)]

    @property
    def name(self) -> str:
        return f"{self.method}{'[' + self.label + ']' if self.label else ''}"


TODAY = datetime.date(2026, 1, 5)  # a past date every visit/plan validator accepts
V = Capability
P, VI, PA = Ref("patient"), Ref("visit"), Ref("earlier_visit")
RV = Ref("referral_visit")  # a draft visit with a positive red-flag screen (and its referral letter)
FS = Ref("favourite")  # a favourite set shared with the clinic by its practitioner

# The world's favourite set: muscles not yet charted on its visit, so charting it succeeds.
_FAVOURITE_ITEMS = [
    {"kind": "finding", "muscle": "vastus_lateralis", "side": "complaint"},
    {"kind": "muscle_test", "muscle": "gluteus_medius", "side": "left"},
]
_FAVOURITE_ROWS = [{"side": "right", "tenderness": 5, "status": "active"}, {"result": "inhibited"}]
_FAVOURITE_FORM = {
    "row-1-include": "on", "row-1-side": "right", "row-1-tenderness": "5", "row-1-status": "active",
    "row-2-include": "on", "row-2-side": "left", "row-2-phase": "pre", "row-2-result": "inhibited",
}  # fmt: skip

_PATIENT_BODY = {"first_name": "Ana", "last_name": "Silva", "sex": "female"}
_SECTION_BODIES = {
    "pain-sites": {"pain-sites-zone": "lateral_knee", "pain-sites-side": "right", "pain-sites-nprs": "4"},
    "findings": {
        "findings-muscle": "soleus",
        "findings-side": "right",
        "findings-tenderness": "5",
        "findings-status": "active",
    },
    "muscle-tests": {
        "muscle-tests-muscle": "soleus",
        "muscle-tests-side": "right",
        "muscle-tests-phase": "pre",
        "muscle-tests-result": "normal",
    },
    "outcomes": {"outcomes-measure": "lefs", "outcomes-value": "40"},
    "screening": {"screening-rule": "SAFE-M-CES", "screening-result": "negative"},
}
_SECTION_CHILD = {"pain-sites": "pain_site", "findings": "finding", "muscle-tests": "muscle_test"}

ROUTES: dict[str, tuple[Probe, ...]] = {
    # --- pages: clinic ---------------------------------------------------------------------------------------------
    "home": (Probe("GET", None),),
    "choose-clinic": (
        Probe("GET", None),
        Probe("POST", None, body={"clinic": Ref("clinic")}, body_fk="not_used"),
    ),
    "clinic-settings": (
        Probe("GET", V.MANAGE_CLINIC),
        Probe(
            "POST",
            V.MANAGE_CLINIC,
            body={"name": "Renamed By Probe", "address": "1 Quay", "phone": "555 0100", "time_zone": "Europe/Lisbon"},
        ),
    ),
    "members": (Probe("GET", V.MANAGE_MEMBERS),),
    "member-add": (
        Probe(
            "POST",
            V.MANAGE_MEMBERS,
            body={"username": "new.member", "role": "assistant", "password": "a-long-passphrase-8812"},
        ),
    ),
    "member-role": (
        Probe("POST", V.MANAGE_MEMBERS, path={"membership_id": Ref("membership")}, body={"role": "owner"}),
    ),
    "member-deactivate": (Probe("POST", V.MANAGE_MEMBERS, path={"membership_id": Ref("membership")}),),
    "member-reactivate": (Probe("POST", V.MANAGE_MEMBERS, path={"membership_id": Ref("membership")}),),
    # The audit page's patient filter narrows the acting clinic's events: a foreign id matches none (200, empty).
    "audit": (Probe("GET", V.READ_AUDIT),),
    # --- pages: patients -------------------------------------------------------------------------------------------
    "patients:list": (Probe("GET", V.VIEW_PATIENTS), Probe("GET", V.VIEW_PATIENTS, query={"q": "a"}, label="q")),
    "patients:create": (Probe("GET", V.EDIT_PATIENTS), Probe("POST", V.EDIT_PATIENTS, body=_PATIENT_BODY)),
    "assessments:chart": (Probe("GET", V.VIEW_PATIENTS, path={"patient_id": P}),),
    "patients:edit": (
        Probe("GET", V.EDIT_PATIENTS, path={"patient_id": P}),
        Probe("POST", V.EDIT_PATIENTS, path={"patient_id": P}, body={**_PATIENT_BODY, "version": "1"}),
    ),
    "patients:panel-add": (
        Probe(
            "POST",
            V.EDIT_PATIENTS,
            path={"patient_id": P, "panel_name": "stressors"},
            label="stressors",
            body={"new-stressors-kind": "poor_sleep", "new-stressors-severity": "2"},
        ),
        Probe(
            "POST",
            V.CHART,
            path={"patient_id": P, "panel_name": "injuries"},
            label="injuries",
            body={
                "new-injuries-zone": "lateral_knee",
                "new-injuries-side": "left",
                "new-injuries-occurred_on": "2010-01-01",
            },
        ),
    ),
    "patients:panel-edit": (
        Probe(
            "GET",
            V.EDIT_PATIENTS,
            path={"patient_id": P, "panel_name": "stressors", "object_id": Ref("stressor")},
            label="stressors",
        ),
        Probe(
            "POST",
            V.EDIT_PATIENTS,
            path={"patient_id": P, "panel_name": "stressors", "object_id": Ref("stressor")},
            label="stressors",
        ),
        Probe(
            "GET",
            V.CHART,
            path={"patient_id": P, "panel_name": "injuries", "object_id": Ref("injury")},
            label="injuries",
        ),
        Probe(
            "POST",
            V.CHART,
            path={"patient_id": P, "panel_name": "injuries", "object_id": Ref("injury")},
            label="injuries",
        ),
    ),
    "patients:panel-archive": (
        Probe(
            "POST",
            V.EDIT_PATIENTS,
            path={"patient_id": P, "panel_name": "stressors", "object_id": Ref("stressor")},
            label="stressors",
        ),
        Probe(
            "POST",
            V.CHART,
            path={"patient_id": P, "panel_name": "injuries", "object_id": Ref("injury")},
            label="injuries",
        ),
    ),
    # --- pages: visits ---------------------------------------------------------------------------------------------
    "assessments:visit-create": (Probe("POST", V.CHART, path={"patient_id": P}),),
    "assessments:visit": (Probe("GET", V.VIEW_CLINICAL, path={"visit_id": VI}),),
    "assessments:visit-details": (
        Probe(
            "POST",
            V.CHART,
            path={"visit_id": VI},
            body={"date": TODAY.isoformat(), "kind": "follow_up", "chief_complaint": "Heel", "version": "1"},
        ),
    ),
    "assessments:visit-history": (
        Probe("POST", V.CHART, path={"visit_id": VI}, body={"history-course": "worse", "history-version": "1"}),
    ),
    "assessments:section-add": tuple(
        Probe("POST", V.CHART, path={"visit_id": VI, "section_name": name}, body=body, label=name)
        for name, body in _SECTION_BODIES.items()
    ),
    "assessments:section-remove": tuple(
        Probe("POST", V.CHART, path={"visit_id": VI, "section_name": name, "child_id": Ref(kind)}, label=name)
        for name, kind in _SECTION_CHILD.items()
    ),
    "assessments:section-row": (
        Probe("GET", V.VIEW_CLINICAL, path={"visit_id": VI, "section_name": "findings", "child_id": Ref("finding")}),
    ),
    "assessments:section-edit": (
        Probe("GET", V.CHART, path={"visit_id": VI, "section_name": "findings", "child_id": Ref("finding")}),
        Probe(
            "POST",
            V.CHART,
            path={"visit_id": VI, "section_name": "muscle-tests", "child_id": Ref("muscle_test")},
            body={
                "edit-muscle-tests-muscle": "soleus",
                "edit-muscle-tests-side": "left",
                "edit-muscle-tests-phase": "pre",
                "edit-muscle-tests-result": "normal",
                "version": "1",
            },
        ),
    ),
    "assessments:section-restore": (
        Probe("POST", V.CHART, path={"visit_id": VI, "section_name": "findings", "child_id": Ref("removed_finding")}),
    ),
    "assessments:analysis": (Probe("GET", V.VIEW_CLINICAL, path={"visit_id": VI}),),
    "assessments:compare": (
        Probe("GET", V.VIEW_CLINICAL, path={"visit_id": VI}),
        Probe("GET", V.VIEW_CLINICAL, path={"visit_id": VI}, query={"with": PA}, label="with"),
    ),
    "assessments:plan-build": (
        Probe("POST", V.CHART, path={"visit_id": VI}, body={"max_home_care": "4"}),
        Probe("POST", V.CHART, path={"visit_id": VI}, body={"max_home_care": "4", "rebuild": "on"}, label="rebuild"),
    ),
    "assessments:plan-status": (Probe("GET", V.VIEW_CLINICAL, path={"visit_id": VI}),),
    "assessments:plan-step-add": (
        Probe(
            "POST",
            V.CHART,
            path={"visit_id": VI},
            body={"add-step-target": "tibialis_posterior:left", "add-step-reason": "Tender, treat it too."},
        ),
    ),
    "assessments:plan-move": (Probe("POST", V.CHART, path={"visit_id": VI, "order": "1"}, body={"direction": "down"}),),
    "assessments:plan-drop": (Probe("POST", V.CHART, path={"visit_id": VI, "order": "2"}),),
    "assessments:plan-rationale": (
        Probe("POST", V.CHART, path={"visit_id": VI, "order": "1"}, body={"rationale": "Because."}),
    ),
    "assessments:plan-step-note": (
        Probe("POST", V.CHART, path={"visit_id": VI, "order": "1"}, body={"patient_note": "Gently."}),
    ),
    "assessments:plan-words": (
        Probe("POST", V.CHART, path={"visit_id": VI}, body={"patient_note": "Walk daily.", "large_type": "on"}),
    ),
    "assessments:plan-confirm": (Probe("POST", V.CHART, path={"visit_id": VI}),),
    "assessments:sign": (Probe("POST", V.SIGN, path={"visit_id": VI}),),
    "assessments:addendum": (Probe("POST", V.CHART, path={"visit_id": VI}, body={"text": "Called back."}),),
    "assessments:carry-forward": (Probe("POST", V.CHART, path={"visit_id": VI}),),
    "assessments:screen-reconfirm": (
        Probe("POST", V.CHART, path={"visit_id": VI}, body={"rule": "SAFE-M-CES", "side": ""}),
    ),
    "assessments:visit-note": (Probe("GET", V.DOCUMENTS, path={"visit_id": VI}),),
    "assessments:referral": (
        Probe("POST", V.CHART, path={"visit_id": RV}, body={"recipient": "Dr Ada Okoro", "body": "Please see her."}),
    ),
    "assessments:referral-panel": (Probe("GET", V.DOCUMENTS, path={"visit_id": RV}),),
    "assessments:favourites": (
        Probe("GET", V.VIEW_CLINICAL, path={"visit_id": VI}),
        Probe("GET", V.VIEW_CLINICAL, path={"visit_id": VI}, query={"set": FS}, label="set"),
    ),
    "assessments:favourite-chart": (Probe("POST", V.CHART, path={"visit_id": VI, "set_id": FS}, body=_FAVOURITE_FORM),),
    "assessments:favourite-save": (
        Probe("POST", V.CHART, path={"visit_id": VI}, body={"favourite-name": "From this visit"}),
    ),
    # --- API: patients ---------------------------------------------------------------------------------------------
    "patient-list": (
        Probe("GET", V.VIEW_PATIENTS),
        Probe("GET", V.VIEW_PATIENTS, query={"search": "a"}, label="search"),
        Probe("POST", V.EDIT_PATIENTS, body=_PATIENT_BODY),
    ),
    "patient-detail": (
        Probe("GET", V.VIEW_PATIENTS, path={"pk": P}),
        Probe("PATCH", V.EDIT_PATIENTS, path={"pk": P}, body={"occupation": "Nurse"}),
        Probe("DELETE", V.EDIT_PATIENTS, path={"pk": P}),
    ),
    "patient-stressors": (
        Probe("GET", V.VIEW_PATIENTS, path={"patient_id": P}),
        Probe("POST", V.EDIT_PATIENTS, path={"patient_id": P}, body={"kind": "poor_sleep", "severity": 2}),
        Probe(
            "POST",
            V.EDIT_PATIENTS,
            path={"patient_id": P},
            label="patient-in-body",
            body_fk="not_used",
            body={"kind": "poor_sleep", "severity": 2, "patient": P},
        ),
    ),
    "patient-injuries": (
        Probe("GET", V.VIEW_CLINICAL, path={"patient_id": P}),
        Probe(
            "POST",
            V.CHART,
            path={"patient_id": P},
            body={"zone": "lateral_knee", "side": "left", "occurred_on": "2010-01-01"},
        ),
    ),
    "stressor-detail": (
        Probe("GET", V.VIEW_PATIENTS, path={"pk": Ref("stressor")}),
        Probe("PATCH", V.EDIT_PATIENTS, path={"pk": Ref("stressor")}, body={"severity": 1}),
        Probe(
            "PATCH",
            V.EDIT_PATIENTS,
            path={"pk": Ref("stressor")},
            body={"patient": P},
            body_fk="not_used",
            label="patient-in-body",
        ),
        Probe("DELETE", V.EDIT_PATIENTS, path={"pk": Ref("stressor")}),
    ),
    "patient-treatments": (
        Probe("GET", V.VIEW_CLINICAL, path={"patient_id": P}),
        Probe(
            "POST",
            V.CHART,
            path={"patient_id": P},
            body={"kind": "taping_bracing", "zone": "anterior_knee_patella", "frequency": "daily"},
        ),
    ),
    "injury-detail": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": Ref("injury")}),
        Probe("PATCH", V.CHART, path={"pk": Ref("injury")}, body={"painful_now": True}),
        Probe("DELETE", V.CHART, path={"pk": Ref("injury")}),
    ),
    "patient-progress": (Probe("GET", V.VIEW_CLINICAL, path={"patient_id": P}),),
    "patient-progress-pdf": (Probe("GET", V.DOCUMENTS, path={"patient_id": P}),),
    # --- API: visits -----------------------------------------------------------------------------------------------
    "visit-list": (
        Probe("GET", V.VIEW_CLINICAL),
        Probe("GET", V.VIEW_CLINICAL, query={"patient": P}, label="patient"),
        Probe("POST", V.CHART, body={"patient": P, "date": TODAY.isoformat(), "kind": "follow_up"}, body_fk="used"),
    ),
    "visit-detail": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": VI}),
        Probe("PATCH", V.CHART, path={"pk": VI}, body={"notes": "Better."}),
        Probe("PATCH", V.CHART, path={"pk": VI}, body={"patient": P}, body_fk="not_used", label="patient-in-body"),
    ),
    "visit-pain-sites": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": VI}),
        Probe("POST", V.CHART, path={"pk": VI}, body={"zone": "lateral_knee", "side": "right", "nprs": 4}),
    ),
    "visit-findings": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": VI}),
        Probe(
            "POST",
            V.CHART,
            path={"pk": VI},
            body={"muscle": "soleus", "side": "right", "tenderness": 5, "status": "active"},
        ),
        Probe(
            "POST",
            V.CHART,
            path={"pk": VI},
            body_fk="not_used",
            label="visit-in-body",
            body={"muscle": "soleus", "side": "right", "tenderness": 5, "status": "active", "visit": VI},
        ),
    ),
    "visit-muscle-tests": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": VI}),
        Probe(
            "POST",
            V.CHART,
            path={"pk": VI},
            body={"muscle": "soleus", "side": "right", "phase": "pre", "result": "normal"},
        ),
    ),
    "visit-outcomes": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": VI}),
        Probe("POST", V.CHART, path={"pk": VI}, body={"measure": "ndi", "value": 12}),
    ),
    "visit-observations": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": VI}),
        Probe("POST", V.CHART, path={"pk": VI}, body={"kind": "limp", "side": "right"}),
    ),
    "visit-history": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": VI}),
        Probe("PATCH", V.CHART, path={"pk": VI}, body={"course": "better", "patterns": ["morning"]}),
    ),
    "visit-screening": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": VI}),
        Probe("POST", V.CHART, path={"pk": VI}, body={"rule": "SAFE-M-CES", "result": "negative"}),
    ),
    "visit-sign": (Probe("POST", V.SIGN, path={"pk": VI}),),
    "visit-addenda": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": VI}),
        Probe("POST", V.CHART, path={"pk": VI}, body={"text": "Called back."}),
    ),
    "visit-analysis": (Probe("GET", V.VIEW_CLINICAL, path={"pk": VI}),),
    "visit-plan": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": VI}),
        Probe("POST", V.CHART, path={"pk": VI}, body={"max_home_care": 3}),
        Probe("PATCH", V.CHART, path={"pk": VI}, body={"follow_up_on": "2026-12-01"}),
        Probe("PATCH", V.CHART, path={"pk": VI}, body={"visit": PA}, body_fk="not_used", label="visit-in-body"),
    ),
    "visit-plan-confirm": (Probe("POST", V.CHART, path={"pk": VI}),),
    "visit-plan-steps": (
        Probe("POST", V.CHART, path={"pk": VI}, body={"muscle": "soleus", "side": "right", "reason": "Tender."}),
    ),
    "visit-compare": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": VI}),
        Probe("GET", V.VIEW_CLINICAL, path={"pk": VI}, query={"with": PA}, label="with"),
    ),
    "visit-home-care-pdf": (Probe("GET", V.DOCUMENTS, path={"pk": VI}),),
    "visit-note-pdf": (Probe("GET", V.DOCUMENTS, path={"pk": VI}),),
    "visit-referral-pdf": (Probe("GET", V.DOCUMENTS, path={"pk": RV}),),
    "visit-referral": (
        Probe("GET", V.DOCUMENTS, path={"pk": RV}),
        Probe("PATCH", V.CHART, path={"pk": RV}, body={"body": "Please see her today."}),
        Probe("PATCH", V.CHART, path={"pk": RV}, body={"visit": PA}, body_fk="not_used", label="visit-in-body"),
    ),
    "visit-favourite-chart": (
        Probe("POST", V.CHART, path={"pk": VI, "set_id": FS}, body={"rows": _FAVOURITE_ROWS}),
        Probe(
            "POST",
            V.CHART,
            path={"pk": VI, "set_id": FS},
            body={"rows": _FAVOURITE_ROWS, "visit": PA},
            body_fk="not_used",
            label="visit-in-body",
        ),
    ),
    "finding-detail": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": Ref("finding")}),
        Probe("PATCH", V.CHART, path={"pk": Ref("finding")}, body={"tenderness": 3}),
        Probe(
            "PATCH", V.CHART, path={"pk": Ref("finding")}, body={"visit": PA}, body_fk="not_used", label="visit-in-body"
        ),
        Probe("DELETE", V.CHART, path={"pk": Ref("finding")}),
    ),
    "muscle-test-detail": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": Ref("muscle_test")}),
        Probe("PATCH", V.CHART, path={"pk": Ref("muscle_test")}, body={"result": "normal"}),
        Probe("DELETE", V.CHART, path={"pk": Ref("muscle_test")}),
    ),
    "observation-detail": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": Ref("observation")}),
        Probe("PATCH", V.CHART, path={"pk": Ref("observation")}, body={"detail": "Marked"}),
        Probe("DELETE", V.CHART, path={"pk": Ref("observation")}),
    ),
    "treatment-detail": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": Ref("treatment")}),
        Probe("PATCH", V.CHART, path={"pk": Ref("treatment")}, body={"response": "better"}),
        Probe("DELETE", V.CHART, path={"pk": Ref("treatment")}),
    ),
    # --- API: favourite sets (not patient data; the author, or a clinic owner for a shared set, may change one) ----
    "favourite-list": (
        Probe("GET", V.VIEW_CLINICAL),
        Probe(
            "POST", V.CHART, body={"name": "Calf", "items": [{"kind": "finding", "muscle": "soleus", "side": "left"}]}
        ),
    ),
    "favourite-detail": (
        Probe("GET", V.VIEW_CLINICAL, path={"pk": FS}),
        Probe("PATCH", V.CHART, path={"pk": FS}, body={"name": "Knee (runners)"}),
        Probe("DELETE", V.CHART, path={"pk": FS}),
    ),
    # --- API: catalog (reference data, not clinic data: any signed-in user) ----------------------------------------
    "catalog-muscles": (Probe("GET", None),),
    "catalog-muscle": (Probe("GET", None, path={"slug": "soleus"}),),
    "catalog-zones": (Probe("GET", None),),
    "catalog-stressors": (Probe("GET", None),),
    "catalog-patterns": (Probe("GET", None),),
    "catalog-safety-rules": (Probe("GET", None),),
    "catalog-outcome-measures": (Probe("GET", None),),
}


# --- the resolver ------------------------------------------------------------------------------------------------


def _walk(patterns: list[Any], namespace: str | None = None) -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {pattern.pattern}>"  # an unnamed route fails the table test
            yield f"{namespace}:{name}" if namespace else name


def is_excluded(name: str) -> bool:
    return name in EXCLUDED or any(key.endswith(":*") and name.startswith(key[:-1]) for key in EXCLUDED)


def resolver_routes() -> list[str]:
    """Every route name the project's URLconf serves (unnamed patterns appear as `<unnamed ...>` and fail)."""
    return sorted(set(_walk(get_resolver().url_patterns)))


def probed_routes() -> list[str]:
    return sorted(name for name in resolver_routes() if not is_excluded(name))


PAGE_ROUTES_WITHOUT_NAMESPACE = frozenset(
    {
        "home", "choose-clinic", "audit", "clinic-settings",
        "members", "member-add", "member-role", "member-deactivate", "member-reactivate",
    }
)  # fmt: skip
API_ROUTES = frozenset(name for name in ROUTES if ":" not in name and name not in PAGE_ROUTES_WITHOUT_NAMESPACE)


def all_probes() -> list[tuple[str, Probe]]:
    return [(name, probe) for name in sorted(ROUTES) for probe in ROUTES[name]]


# --- the world ---------------------------------------------------------------------------------------------------


@dataclass
class World:
    """One clinic's objects, by kind, plus a signed-in member of each role."""

    clinic: Clinic
    objects: dict[str, Any]
    members: dict[str, Membership]

    def id_of(self, kind: str) -> str:
        return str(self.objects[kind].pk)

    def all_ids(self) -> set[str]:
        return {str(obj.pk) for obj in self.objects.values()} | {str(m.pk) for m in self.members.values()}


def build_world(name: str) -> World:
    """A clinic with members of each role (and a colleague to manage), a patient with a stressor and an old injury,
    an earlier visit and a draft visit charted (pain site, findings, muscle test, outcome, screening) with a plan, and
    a later draft visit with a positive red-flag screen and its referral letter, and a favourite set the practitioner
    shared with the clinic."""
    clinic: Any = ClinicFactory(name=name)
    slug = name.lower().replace(" ", "-")
    members: dict[str, Any] = {
        role: MembershipFactory(clinic=clinic, role=role, user__username=f"{slug}-{role}")
        for role in (Role.OWNER, Role.PRACTITIONER, Role.ASSISTANT)
    }
    extra = MembershipFactory(clinic=clinic, role=Role.PRACTITIONER, user__username=f"{slug}-colleague")
    patient = PatientFactory(clinic=clinic, first_name="Alma", last_name=f"Ng {slug}")
    stressor = StressorFactory(patient=patient, kind="rapid_footwear_transition", category="physical_structural")
    injury = InjuryFactory(patient=patient)
    earlier = VisitFactory(patient=patient, date=datetime.date(2025, 12, 1))
    FindingFactory(visit=earlier, muscle="soleus", referral_zones=["plantar_heel"])
    MuscleTestFactory(visit=earlier)
    visit: Any = VisitFactory(patient=patient, date=TODAY, kind="follow_up")
    pain_site = PainSiteFactory(visit=visit)
    finding = FindingFactory(visit=visit, muscle="soleus", referral_zones=["plantar_heel"])
    FindingFactory(visit=visit, muscle="tibialis_posterior", status="latent", recognized=False, tenderness=5)
    muscle_test = MuscleTestFactory(visit=visit)
    observation = ObservationFactory(visit=visit)
    treatment = TreatmentFactory(patient=patient)
    removed_finding = FindingFactory(
        visit=visit, muscle="gastrocnemius", archived_at=datetime.datetime.now(datetime.UTC)
    )
    actor = members[Role.PRACTITIONER].user
    outcome = assessment_services.child_create(
        model=Outcome, visit=visit, actor=actor, data={"measure": "nprs", "value": 6}
    )
    screening = assessment_services.child_create(
        model=Screening, visit=visit, actor=actor, data={"rule": "SAFE-M-DVT", "result": "negative"}
    )
    assessment_services.history_save(
        visit=visit, actor=actor, changes={"course": "better", "patterns": ["morning"]}, expected_version=None
    )
    plan = assessment_services.plan_build(visit=visit, actor=actor)
    referral_visit: Any = VisitFactory(patient=patient, date=TODAY + datetime.timedelta(days=1), kind="follow_up")
    assessment_services.child_create(
        model=Screening, visit=referral_visit, actor=actor,
        data={"rule": "SAFE-M-DVT", "side": "left", "result": "positive", "detail": "Left calf swollen"},
    )  # fmt: skip
    assessment_services.referral_letter_update(
        visit=referral_visit, actor=actor, changes={"recipient": "Dr Ada Okoro"}, expected_version=None
    )
    favourite = assessment_services.favourite_create(
        clinic_id=clinic.pk,
        actor=actor,
        data={"name": f"Runner's knee {slug}", "shared": True, "items": _FAVOURITE_ITEMS},
    )
    objects = {
        "clinic": clinic,
        "patient": patient,
        "stressor": stressor,
        "injury": injury,
        "earlier_visit": earlier,
        "visit": visit,
        "pain_site": pain_site,
        "finding": finding,
        "muscle_test": muscle_test,
        "observation": observation,
        "treatment": treatment,
        "removed_finding": removed_finding,
        "outcome": outcome,
        "screening": screening,
        "plan": plan,
        "referral_visit": referral_visit,
        "favourite": favourite,
        "membership": extra,
    }
    return World(clinic=clinic, objects=objects, members=members)


# --- calling a route ---------------------------------------------------------------------------------------------


def client_for(membership: Membership, *, api: bool) -> Client:
    """A page client signed in by session, or an API client authenticated by token, for the member's user."""
    if api:
        api_client = APIClient()
        token, _ = Token.objects.get_or_create(user=membership.user)
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api_client
    client = Client()
    client.force_login(membership.user)
    return client


NONEXISTENT_ID = str(uuid.UUID(int=0xDEADBEEF))


def call(
    client: Client,
    name: str,
    probe: Probe,
    *,
    own: World,
    path_from: Mapping[str, World] | None = None,
    query_from: Mapping[str, World] | None = None,
    body_from: Mapping[str, World] | None = None,
    nonexistent: frozenset[str] = frozenset(),
) -> Any:
    """Call the route as the probe says; each reference comes from `own` unless a `*_from` mapping names another world
    for that keyword, or `nonexistent` names the keyword (a random id that exists nowhere)."""

    def fill(where: Mapping[str, Any], source: Mapping[str, World] | None) -> dict[str, Any]:
        filled = {}
        for key, value in where.items():
            if key in nonexistent and isinstance(value, Ref):
                filled[key] = NONEXISTENT_ID
            elif isinstance(value, Ref):
                world = (source or {}).get(key, own)
                filled[key] = world.id_of(value.kind)
            else:
                filled[key] = value
        return filled

    url = reverse(name, kwargs=fill(probe.path, path_from) or None)
    query = fill(probe.query, query_from)
    body = fill(probe.body, body_from)
    method = probe.method.lower()
    if name in API_ROUTES:
        if probe.method == "GET":
            return client.get(url, query)
        if query:
            url = f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}"
        return getattr(client, method)(url, json.dumps(body), content_type="application/json")
    if probe.method == "GET":
        return client.get(url, query)
    return getattr(client, method)(url, body)
