"""Authentication hardening: session timeouts, ending sessions and tokens, token expiry, lockout answers, no-store.

The views (sign-out, API token, API sign-out) are in clinic/auth_views.py.

Sessions
    `SessionTimeoutMiddleware` ends a signed-in session SESSION_IDLE_TIMEOUT seconds after its last request (sliding)
    and SESSION_ABSOLUTE_TIMEOUT seconds after sign-in. Sign-in time and last activity live in the session itself; the
    activity stamp is rewritten only when it is more than SESSION_ACTIVITY_RESOLUTION seconds old, so a burst of
    requests costs no session write. Django gives the session a new key at sign-in (no fixation).

Ending sessions and tokens
    Every sign-in records (user, session key) in `LoginSession`. Deactivating or deleting a user deletes exactly those
    sessions from the session store and the user's API tokens (`end_sessions_and_tokens`): one indexed lookup, however
    many sessions the store holds. Signing out of the pages ends that session and deletes the user's API token;
    POST /api/v1/auth/logout/ deletes the caller's token (and ends the session when called from one).
    A queryset `.update(is_active=False)` sends no signal: call `end_sessions_and_tokens` for those users yourself.
    Even then an inactive user's session or token is refused: Django and DRF check `is_active` on every request.

Tokens
    `ExpiringTokenAuthentication` refuses a token TOKEN_TTL seconds after it was issued (401 "Token expired."), and
    `TokenObtainView` issues a new one in place of an expired one; the answer stays {"token": "..."}.

Lockout
    django-axes counts failed sign-ins per username. `TokenObtainView` hands the plain HttpRequest to authenticate(),
    so the API endpoint is counted and locked exactly like the login page; `lockout_response` answers a locked-out
    request: the lockout page, or JSON 429 with Retry-After for the API.

No-store
    `NoStoreMiddleware` marks every response to a signed-in user, and every API response, "Cache-Control: no-store,
    private" (with "Pragma: no-cache" for old proxies): none of them may be kept by a browser or a shared cache.
"""

from __future__ import annotations

import datetime
import math
import time
from collections.abc import Callable
from importlib import import_module
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models import Max
from django.db.models.signals import post_save, pre_delete
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render, resolve_url
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from rest_framework import exceptions, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from clinic.models import LoginSession

LOGIN_AT = "_auth_login_at"  # session key: sign-in time (epoch seconds)
SEEN_AT = "_auth_seen_at"  # session key: last activity (epoch seconds, at most SESSION_ACTIVITY_RESOLUTION old)

API_PREFIX = "/api/"


def now() -> float:
    """The clock the timeouts use (tests move it)."""
    return time.time()


# --- sessions --------------------------------------------------------------------------------------------------------


def _minutes(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def session_end_reason(session: Any, at: float) -> str | None:
    """Why a signed-in session has ended at time `at`, or None while it is still valid."""
    login_at = session.get(LOGIN_AT)
    if not isinstance(login_at, int | float):
        return "Please sign in again."  # a session from before these timeouts: treat it as ended
    seen_at = session.get(SEEN_AT, login_at)
    if at - login_at > settings.SESSION_ABSOLUTE_TIMEOUT:
        limit = _minutes(settings.SESSION_ABSOLUTE_TIMEOUT)
        return f"You were signed out {limit} after signing in. Please sign in again."
    if at - seen_at > settings.SESSION_IDLE_TIMEOUT:
        return f"You were signed out after {_minutes(settings.SESSION_IDLE_TIMEOUT)} without activity."
    return None


def login_url_for(request: HttpRequest) -> str:
    """The login page, returning to the page the user sees (for htmx, the page, not the fragment's URL)."""
    current = request.headers.get("HX-Current-URL", "")
    path = urlsplit(current).path if current else request.get_full_path()
    login_url = resolve_url(settings.LOGIN_URL)
    return f"{login_url}?{urlencode({'next': path})}" if path else login_url


def _is_login_redirect(response: HttpResponseBase) -> bool:
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    location = response.get("Location", "")
    return urlsplit(location).path == resolve_url(settings.LOGIN_URL)


class SessionTimeoutMiddleware:
    """Idle and absolute timeouts for signed-in sessions; htmx requests that need a sign-in get HX-Redirect."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session = getattr(request, "session", None)
        if session is not None and auth.SESSION_KEY in session:
            at = now()
            reason = session_end_reason(session, at)
            if reason is not None:
                auth.logout(request)  # flushes the session: new key, no data; request.user is now anonymous
                if not request.path_info.startswith(API_PREFIX):  # the API answers 401/403 by itself
                    messages.info(request, reason, fail_silently=True)
            elif at - session.get(SEEN_AT, 0) >= settings.SESSION_ACTIVITY_RESOLUTION:
                session[SEEN_AT] = at  # the only session write, at most once a minute
        response = self.get_response(request)
        if request.headers.get("HX-Request") == "true" and _is_login_redirect(response):
            # htmx would follow the redirect and swap the login page into a panel: send the whole page there instead.
            redirect = HttpResponse(status=200)
            redirect["HX-Redirect"] = login_url_for(request)
            return redirect
        return response


def _record_login(sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    at = now()
    request.session[LOGIN_AT] = at
    request.session[SEEN_AT] = at
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    if key is None:
        return
    # Rows older than the absolute timeout belong to sessions that have ended: prune them here, per user.
    horizon = timezone.now() - datetime.timedelta(seconds=settings.SESSION_ABSOLUTE_TIMEOUT)
    LoginSession.objects.filter(user_id=user.pk, created_at__lt=horizon).delete()
    LoginSession.objects.update_or_create(session_key=key, defaults={"user_id": user.pk})


def _forget_login(sender: Any, request: HttpRequest | None, user: AbstractBaseUser | None, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        LoginSession.objects.filter(session_key=key).delete()


def end_sessions_and_tokens(user_id: Any) -> int:
    """End every session the user signed in with and delete their API tokens; returns the number of sessions ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(LoginSession.objects.filter(user_id=user_id).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    LoginSession.objects.filter(user_id=user_id).delete()
    Token.objects.filter(user_id=user_id).delete()
    return len(keys)


def _user_saved(sender: Any, instance: AbstractBaseUser, created: bool, **kwargs: Any) -> None:
    if not created and not getattr(instance, "is_active", True):
        end_sessions_and_tokens(instance.pk)


def _user_deleted(sender: Any, instance: AbstractBaseUser, **kwargs: Any) -> None:
    end_sessions_and_tokens(instance.pk)


def connect_signals() -> None:
    """Called from ClinicConfig.ready()."""
    user_model = auth.get_user_model()
    user_logged_in.connect(_record_login, dispatch_uid="clinic.auth.record_login")
    user_logged_out.connect(_forget_login, dispatch_uid="clinic.auth.forget_login")
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="clinic.auth.user_saved")
    pre_delete.connect(_user_deleted, sender=user_model, dispatch_uid="clinic.auth.user_deleted")


# --- no-store --------------------------------------------------------------------------------------------------------


class NoStoreMiddleware:
    """ "Cache-Control: no-store, private" on every response to a signed-in user and on every API response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF copies a token-authenticated user here too
        if (user is not None and user.is_authenticated) or request.path_info.startswith(API_PREFIX):
            # A view that already says no-store (the PDFs) keeps its header.
            if "no-store" not in response.get("Cache-Control", ""):
                patch_cache_control(response, no_store=True, private=True)
            response["Pragma"] = "no-cache"
            patch_vary_headers(response, ("Cookie", "Authorization"))
        return response


# --- tokens ----------------------------------------------------------------------------------------------------------


def token_expired(token: Token) -> bool:
    return (timezone.now() - token.created).total_seconds() > settings.TOKEN_TTL


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token TOKEN_TTL seconds after it was issued (401 "Token expired.")."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed("Token expired.")
        return user, token


# --- lockout ---------------------------------------------------------------------------------------------------------


def unlock_time(username: str) -> datetime.datetime:
    """When a locked-out username may sign in again: its last counted failure plus the cool-off."""
    from axes.models import AccessAttempt

    cool_off: datetime.timedelta = settings.AXES_COOLOFF_TIME
    last = AccessAttempt.objects.filter(username=username).aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + cool_off


def lockout_message(username: str, until: datetime.datetime | None = None) -> str:
    until = timezone.localtime(until or unlock_time(username))
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return (
        f"Too many failed sign-ins for this account. Try again after {until:%H:%M} {until.tzname()} "
        f"(in {minutes} minute{'s' if minutes != 1 else ''})."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponseBase | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the lockout page, or JSON 429 with Retry-After for the API."""
    from axes.helpers import get_client_username

    username = get_client_username(request, credentials) or ""
    until = unlock_time(username)
    retry_after = max(1, math.ceil((until - timezone.now()).total_seconds()))
    message = lockout_message(username, until)
    response: HttpResponse
    if request.path_info.startswith(API_PREFIX):
        response = JsonResponse({"detail": message}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    else:
        context = {"message": message, "until": until, "username": username, "minutes": math.ceil(retry_after / 60)}
        response = render(request, "registration/locked_out.html", context, status=status.HTTP_429_TOO_MANY_REQUESTS)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)  # the answer changes as the minutes pass
    return response
