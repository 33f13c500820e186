"""Idempotent POSTs: a POST to the API carrying `Idempotency-Key` runs at most once per (user, clinic, key).

A client that did not get an answer (timeout, dropped connection) resends the same request with the same key and gets
the first answer back, marked `Idempotent-Replayed: true`, instead of creating a second row. The same key with another
method, path or body answers 422; a retry while the first request is still running answers 409.

How it holds under concurrency: the (user, clinic, key) row is inserted and committed first (a unique constraint makes
that the claim), then the request runs in one transaction together with storing its answer on the claim. A request
that fails with 5xx is rolled back and releases its claim, so a retry runs it again. A claim left unfinished by a
crashed worker has rolled back with it and may be taken over after IDEMPOTENCY_IN_FLIGHT_TIMEOUT; storing the answer
is conditional on still owning the claim, so a superseded request rolls back too.

Settings (optional): IDEMPOTENCY_KEY_TTL (timedelta, default 24 hours: older records are ignored, and purged by
`manage.py purge_idempotency_keys`), IDEMPOTENCY_IN_FLIGHT_TIMEOUT (timedelta, default 5 minutes).
"""

import datetime
import hashlib
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils import timezone
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.views import APIView

from clinic.audit import record_answer
from clinic.models import IdempotencyRecord
from clinic.tenancy import attach, resolve_membership

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
API_PREFIX = "/api/v1/"
MAX_KEY_LENGTH = 255
STORED_HEADERS = ("Content-Type", "ETag", "Location", "Cache-Control", "Content-Disposition", "Content-Language")
_KEY = re.compile(r"[\x21-\x7e][\x20-\x7e]*")  # printable ASCII, no leading space

KEY_HELP = (
    "Optional client-chosen key (printable ASCII, at most 255 characters) that makes this POST safe to retry: "
    "the request runs at most once per user, clinic and key, and a retry with the same key, path and body gets the "
    "first answer back with the header `Idempotent-Replayed: true`. The same key with a different path or body "
    "answers 422; a retry while the first request is still running answers 409. Keys are kept for 24 hours."
)


def key_ttl() -> datetime.timedelta:
    ttl: datetime.timedelta = getattr(settings, "IDEMPOTENCY_KEY_TTL", datetime.timedelta(hours=24))
    return ttl


def in_flight_timeout() -> datetime.timedelta:
    timeout: datetime.timedelta = getattr(settings, "IDEMPOTENCY_IN_FLIGHT_TIMEOUT", datetime.timedelta(minutes=5))
    return timeout


def purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the records older than the key lifetime; returns how many."""
    cutoff = (now or timezone.now()) - key_ttl()
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def fingerprint(method: str, path: str, body: bytes, role: str = "") -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), hashlib.sha256(body).digest(), role.encode()):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _problem(status: int, message: str, *, field: str = "detail") -> JsonResponse:
    body: dict[str, Any] = {field: [message]} if field != "detail" else {"detail": message}
    return JsonResponse(body, status=status)


def _identify(request: HttpRequest) -> tuple[int, Any, str] | None:
    """(user id, acting clinic id, role) as the API will see them, or None (the view then answers 401/403 itself).

    The acting membership is attached to the request, so answers given here are audited with their user and clinic."""
    drf_request = Request(request, authenticators=APIView().get_authenticators())
    try:
        user = drf_request.user
    except APIException:
        return None
    if not user or not user.is_authenticated:
        return None
    membership = resolve_membership(request, user)
    if membership is None:
        return None
    attach(request, membership)
    return user.pk, membership.clinic_id, membership.role


class _Claim:
    def __init__(self, record: IdempotencyRecord) -> None:
        self.pk = record.pk
        self.owner = record.owner

    def release(self) -> None:
        IdempotencyRecord.objects.filter(pk=self.pk, owner=self.owner, status_code__isnull=True).delete()

    def complete(self, response: HttpResponse) -> bool:
        headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
        updated = IdempotencyRecord.objects.filter(pk=self.pk, owner=self.owner, status_code__isnull=True).update(
            status_code=response.status_code,
            response_headers=headers,
            response_body=bytes(response.content),
            completed_at=timezone.now(),
        )
        return updated == 1


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.response_body), status=record.status_code or 200)
    for name, value in record.response_headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def _claim(*, user_id: int, clinic_id: Any, key: str, request_fingerprint: str) -> _Claim | HttpResponse:
    """Insert the claim row (committed on its own), or answer from the existing one."""
    for _ in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user_id=user_id,
                    clinic_id=clinic_id,
                    key=key,
                    fingerprint=request_fingerprint,
                    created_at=now,
                    claimed_at=now,
                )
            return _Claim(record)
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(user_id=user_id, clinic_id=clinic_id, key=key).first()
        if existing is None:  # purged in between: claim again
            continue
        if existing.created_at < now - key_ttl():
            IdempotencyRecord.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
            continue
        if existing.fingerprint != request_fingerprint:
            return _problem(
                422,
                f"This {HEADER} was already used for a different request (another method, path or body, or before "
                "your role in this clinic changed). "
                "Send a new key with a new request.",
            )
        if existing.status_code is not None:
            return _replay(existing)
        if existing.claimed_at >= now - in_flight_timeout():
            response = _problem(
                409,
                f"A request with this {HEADER} is still being processed. Retry once it has finished to get its answer.",
            )
            response["Retry-After"] = "1"
            return response
        taken = IdempotencyRecord.objects.filter(pk=existing.pk, owner=existing.owner, status_code__isnull=True).update(
            owner=uuid.uuid4(), claimed_at=now
        )
        if taken == 1:
            return _Claim(IdempotencyRecord.objects.get(pk=existing.pk))
    return _problem(409, f"This {HEADER} is contended; retry.")


class IdempotencyKeyMiddleware:
    """Makes POSTs under /api/v1/ that carry an Idempotency-Key run at most once (see the module docstring).

    Place it after the session and authentication middleware. Requests without the header are untouched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if len(key) > MAX_KEY_LENGTH or not _KEY.fullmatch(key):
            return _problem(400, f"Printable ASCII, 1 to {MAX_KEY_LENGTH} characters, no leading space.", field=HEADER)
        identity = _identify(request)
        if identity is None:
            return self.get_response(request)
        try:
            body = request.body
        except RequestDataTooBig:
            return self.get_response(request)
        user_id, clinic_id, role = identity
        # The role is part of the fingerprint: a retry after the member's role changed is not the same request (its
        # first answer may hold what the new role may not see), so it is refused like a different body.
        request_fingerprint = fingerprint(request.method or "POST", request.get_full_path_info(), body, role)
        claim = _claim(user_id=user_id, clinic_id=clinic_id, key=key, request_fingerprint=request_fingerprint)
        if isinstance(claim, HttpResponse):
            record_answer(request, claim)  # a replay or a refusal answered here, before the view: audited too
            return claim
        return self._run(request, claim)

    def _run(self, request: HttpRequest, claim: _Claim) -> HttpResponseBase:
        """Run the request and store its answer in one transaction; a 5xx rolls back and frees the key for a retry."""
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if response.status_code >= 500:
                    transaction.set_rollback(True)
                elif isinstance(response, HttpResponse) and not claim.complete(response):
                    transaction.set_rollback(True)
                    return _problem(409, f"This request was superseded by a retry with the same {HEADER}.")
        except BaseException:
            claim.release()
            raise
        if response.status_code >= 500 or not isinstance(response, HttpResponse):
            claim.release()  # not stored (a failure, or a streamed answer): the key may be used again
        return response


def openapi_idempotency_key(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document the `Idempotency-Key` header on every POST of the API."""
    parameter = {
        "in": "header",
        "name": HEADER,
        "required": False,
        "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
        "description": KEY_HELP,
    }
    for path, operations in result.get("paths", {}).items():
        post = operations.get("post")
        if post is None or path.endswith("/auth/token/"):
            continue
        post.setdefault("parameters", []).append(parameter)
        responses = post.setdefault("responses", {})
        responses.setdefault("422", {"description": f"The {HEADER} was already used for a different request."})
    return result
