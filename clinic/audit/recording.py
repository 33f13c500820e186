"""Writing audit events: one per patient-data request (AuditMiddleware) and clinic.audit.record for other callers."""

from __future__ import annotations

import ipaddress
import uuid
from typing import Any, cast
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Subquery, UUIDField
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from rest_framework.permissions import SAFE_METHODS

from clinic.audit.routes import PATIENT_DATA_PATHS, ROUTES, SLUG_TYPES, UNDECLARED, PatientRoute
from clinic.models import AuditAction, AuditEvent, AuditOutcome, Clinic
from clinic.roles import Capability, request_can

# anchor -> (model label, the column holding the patient id). Each is one indexed primary-key lookup in one clinic.
ANCHORS = {
    "patient": ("patients.Patient", "pk"),
    "stressor": ("patients.Stressor", "patient_id"),
    "injury": ("patients.Injury", "patient_id"),
    "visit": ("assessments.Visit", "patient_id"),
    "finding": ("assessments.Finding", "visit__patient_id"),
    "muscle_test": ("assessments.MuscleTest", "visit__patient_id"),
    "observation": ("assessments.Observation", "visit__patient_id"),
    "treatment": ("patients.PriorTreatment", "patient_id"),
}


def record(
    *,
    user: Any,
    clinic: Clinic | None,
    action: str,
    outcome: str,
    patient_id: uuid.UUID | str | None = None,
    object_type: str = "",
    object_id: uuid.UUID | str | None = None,
    route: str = "",
    method: str = "",
    client: str = "",
    status: int | None = None,
) -> AuditEvent:
    """Append one audit event. For callers outside a request (the JSON export command, sign-in signals, ...).

    `action` and `outcome` are AuditAction / AuditOutcome values; `route` names what did it (a URL name, or e.g.
    "command:export_patient"); `client` is an IP address or "". Never pass names or free text: ids only.
    """
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}.")
    if outcome not in AuditOutcome.values:
        raise ValueError(f"Unknown audit outcome {outcome!r}.")
    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        clinic=clinic,
        patient_id=_uuid(patient_id),
        object_type=object_type[:40],
        object_id=_uuid(object_id),
        action=action,
        outcome=outcome,
        status=status,
        method=method[:10],
        route=route[:100],
        client=_ip(client),
    )


def can_read_audit(request: HttpRequest) -> bool:
    """Only a clinic's owners read its audit trail (the read_audit capability, clinic.roles)."""
    return request_can(request, Capability.READ_AUDIT)


def outcome_of(status: int, *, signed_in: bool) -> AuditOutcome:
    if status >= 500:
        return AuditOutcome.ERROR
    if status in (401, 403, 429):
        return AuditOutcome.DENIED
    if status == 404:
        return AuditOutcome.NOT_FOUND
    if status >= 400:
        return AuditOutcome.INVALID
    if not signed_in:  # an anonymous request sent to the sign-in page
        return AuditOutcome.DENIED
    return AuditOutcome.SUCCESS


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: REMOTE_ADDR, or behind proxies the X-Forwarded-For entry the nearest trusted one added.

    settings.AUDIT_TRUSTED_PROXY_COUNT (default 0) is the number of reverse proxies in front of the application that
    append to X-Forwarded-For. With 0 the header is ignored (anyone can send one). With N, the Nth entry from the
    right is the address that reached the outermost trusted proxy; earlier entries are the client's own claims.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = int(getattr(settings, "AUDIT_TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    return _ip(address)


class AuditMiddleware:
    """Records one audit event per request on a patient-data route, after the view answered.

    Sits after clinic.tenancy.ActingClinicMiddleware. It reads the user and clinic from the request once the view has
    run, so token-authenticated API requests (authenticated inside DRF, which sets request._request.user, and whose
    clinic clinic.api.permissions attaches to the Django request) are attributed too. Costs one INSERT: the patient
    of the object the URL names is looked up (in the acting clinic, by primary key) by a subquery inside it. If the
    event cannot be written the request fails (500): patient data is not served unrecorded.

    Each event of a read is its own commit. On PostgreSQL settings.AUDIT_ASYNC_READ_COMMIT (default on) commits it
    with synchronous_commit off (SET LOCAL, for that transaction alone): the read does not wait for a WAL flush, but a
    crash of the database server can lose the read events of its last 0.6 s at most (three times wal_writer_delay;
    never the events of writes, documents or exports, and never a partial row). Off, every read waits for the flush.

    A write (any unsafe method) on a patient-data route runs in one transaction with its event, so a write is never
    committed unrecorded.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS or not PATIENT_DATA_PATHS.match(request.path_info):
            response: HttpResponse = self.get_response(request)
            record_answer(request, response)
            return response
        # A write and its audit event commit together: if the event cannot be written, the write is rolled back.
        with transaction.atomic():
            response = self.get_response(request)
            record_answer(request, response)
        return response


def record_answer(request: HttpRequest, response: HttpResponse) -> None:
    """Record the answer to a request if its route is patient data; also for answers given before URL resolution
    (an idempotent replay, clinic.idempotency), by resolving the path here."""
    match = request.resolver_match
    if match is None:
        if not PATIENT_DATA_PATHS.match(request.path_info):
            return
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return
        request.resolver_match = match
    route = ROUTES.get(match.view_name)
    if route is None and PATIENT_DATA_PATHS.match(request.path_info):
        route = UNDECLARED
    if route is not None:
        record_request(request, response, route)


def record_request(request: HttpRequest, response: HttpResponse, route: PatientRoute) -> None:
    match = request.resolver_match
    assert match is not None
    kwargs = match.kwargs
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    clinic: Clinic | None = getattr(request, "clinic", None)
    method = request.method or ""
    action = route.action_for(method)
    outcome = outcome_of(response.status_code, signed_in=signed_in)

    object_type = route.object_type
    if route.type_kwarg:
        object_type = SLUG_TYPES.get(str(kwargs.get(route.type_kwarg)), "")
    object_id = _uuid(kwargs.get(route.object_kwarg)) if route.object_kwarg else None
    if route.anchor_kwarg:
        anchor_id = _uuid(kwargs.get(route.anchor_kwarg))
    elif route.anchor_query:
        anchor_id = _uuid(request.GET.get(route.anchor_query))
    else:
        anchor_id = None

    patient_id: uuid.UUID | Subquery | None = None
    if clinic is not None and route.anchor and anchor_id is not None:
        if route.anchor == "patient" and route.anchor_kwarg and outcome == AuditOutcome.SUCCESS:
            patient_id = anchor_id  # the view answered with this patient, found in the acting clinic
        else:
            patient_id = patient_of(route.anchor, clinic_id=clinic.pk, object_id=anchor_id)
    if action == AuditAction.CREATE and object_id is None and outcome == AuditOutcome.SUCCESS:
        object_id, created_patient = _created(response, route)
        patient_id = created_patient if created_patient is not None else patient_id

    event = AuditEvent(
        user=user if signed_in else None,
        clinic=clinic,
        patient_id=cast(Any, patient_id),  # an id, or the subquery the INSERT resolves
        object_type=object_type[:40],
        object_id=object_id,
        action=action,
        outcome=outcome,
        status=response.status_code,
        method=method[:10],
        route=match.view_name[:100],
        client=client_address(request),
    )
    relaxed = (
        action == AuditAction.READ
        and settings.AUDIT_ASYNC_READ_COMMIT
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block  # the event is its own transaction, not part of a caller's
    )
    if relaxed:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            event.save()
    else:
        event.save()


def patient_of(anchor: str, *, clinic_id: uuid.UUID, object_id: uuid.UUID) -> Subquery:
    """The patient id of one object of the clinic (NULL when the clinic has no such object), as a subquery of the
    event's INSERT: the lookup costs no round trip of its own."""
    label, column = ANCHORS[anchor]
    model = apps.get_model(label)
    found = model._base_manager.filter(clinic_id=clinic_id, pk=object_id).order_by().values(column)[:1]
    return Subquery(found, output_field=UUIDField())


def _created(response: HttpResponse, route: PatientRoute) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The id of what a create made: from the API's response body, or the page it redirects to."""
    data = getattr(response, "data", None)
    if isinstance(data, dict):
        object_id = _uuid(data.get("id"))
        return object_id, object_id if route.object_type == "patient" else _uuid(data.get("patient"))
    location = response.get("Location") if 300 <= response.status_code < 400 else None
    if location:
        try:
            target = resolve(urlsplit(location).path)
        except Resolver404:
            return None, None
        declared = ROUTES.get(target.view_name)
        if declared and declared.object_type == route.object_type and declared.object_kwarg:
            object_id = _uuid(target.kwargs.get(declared.object_kwarg))
            return object_id, object_id if route.object_type == "patient" else None
    return None, None


def _uuid(value: Any) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
