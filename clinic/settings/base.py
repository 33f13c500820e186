"""Settings shared by every environment, read from environment variables.

DATABASE_URL    database (default: SQLite file var/clinic.sqlite3; PostgreSQL is the production database)
SECRET_KEY      required unless DEBUG is on
DEBUG           "1"/"true" turns on debug mode (never in production)
ALLOWED_HOSTS   comma-separated host names
SESSION_IDLE_TIMEOUT      seconds without a request before a signed-in session ends (default 1800 = 30 minutes)
SESSION_ABSOLUTE_TIMEOUT  seconds after sign-in when a session ends whatever the activity (default 43200 = 12 hours)
TOKEN_TTL                 seconds an API token is accepted after it was issued (default 43200 = 12 hours)
AUDIT_TRUSTED_PROXY_COUNT  reverse proxies in front of the app that append to X-Forwarded-For (default 0: the audit
                trail records REMOTE_ADDR and ignores the header; 1 behind one nginx/load balancer; see clinic.audit)
AUDIT_ASYNC_READ_COMMIT  on PostgreSQL, audit events of reads commit without waiting for the disk (default "1"; a crash
                of the database server can lose the read events of its last fraction of a second). "0": every read
                waits for its event's WAL flush. Writes, exports and documents always wait.
DATABASE_HEALTH_CHECKS  "1": check a persistent connection with a round trip before each request uses it (only worth
                it where the database restarts under a running app; without it the one request that meets a dropped
                connection fails and the connection is replaced). Default off.
REDIS_URL (or CACHE_URL)  a cache shared by every process and server, e.g. redis://127.0.0.1:6379/1 (default: none,
                          local memory per process; CACHE_ENTRIES and CLINICAL_CACHE_ENTRIES bound those, default 2000)
CODE_VERSION              the release's version, carried in cache keys (default: a digest of the source files)
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from clinic.settings.env import env_bool, env_int, env_list, env_str
from clinic.settings.version import code_version

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", default=False)

_DEV_SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"
SECRET_KEY = env_str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",  # auth: failed-login lockout (its own tables: axes_accessattempt, axes_accesslog, ...)
    "csp",  # auth: Content-Security-Policy header (django-csp 4)
    "clinic",
    "catalog",
    "patients",
    "assessments",
    "operations",
]

MIDDLEWARE = [
    # Hostile input: refuse oversized bodies (413) before anything reads them; keep it first (clinic/limits.py).
    "clinic.limits.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # auth: the CSP header on every response Django answers (static files are served above it by WhiteNoise).
    "csp.middleware.CSPMiddleware",
    # auth: "Cache-Control: no-store, private" on every response to a signed-in user and on every API response; outside
    # the session and authentication middleware so it also sees responses other middleware answered.
    "clinic.auth.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # auth: idle and absolute session timeouts; turns a login redirect answered to htmx into HX-Redirect. After the
    # authentication and message middleware, before anything that acts on request.user (the acting clinic).
    "clinic.auth.SessionTimeoutMiddleware",
    "clinic.tenancy.ActingClinicMiddleware",
    # The acting clinic's time zone for the rest of the request: its "today" and the times its pages show.
    "clinic.tenancy.ClinicTimeZoneMiddleware",
    # Retried API POSTs with the same Idempotency-Key replay the first answer; it records the answers it gives itself
    # (replays, refusals) in the audit trail, and runs the request with its audit event in its own transaction.
    "clinic.idempotency.IdempotencyKeyMiddleware",
    # After the acting clinic: records one audit event per patient-data request (clinic.audit.routes); a write commits
    # together with its event.
    "clinic.audit.AuditMiddleware",
    # auth: django-axes turns a locked-out login into the lockout answer; its documentation asks for it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.tenancy.acting_clinic_context",
                "clinic.roles.role_context",
                "assessments.cache.fragment_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'clinic.sqlite3'}"),
        conn_max_age=600,
        conn_health_checks=env_bool("DATABASE_HEALTH_CHECKS", default=False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    # Parameters bound by the server and each statement prepared (parsed and planned once per connection) after its
    # fifth run: planning the hot lookups cost PostgreSQL more than running them (docs/performance.md). Off with
    # DATABASE_PREPARED_STATEMENTS=0 behind a pooler that cannot keep prepared statements (PgBouncer in transaction
    # mode before 1.21). Queries whose best plan depends on the values (a name search) opt out: clinic.db.
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # An embedded database for the demo and tests: no persistent connections, and wait on locks.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches: Django's own backends. One environment variable, REDIS_URL (or CACHE_URL), points both caches at a Redis
# server shared by every process and server (Django's RedisCache, the `redis` package); unset, each process keeps them
# in local memory (the demo: nothing to run). `default` holds sessions (cached_db), template fragments and finished
# PDFs; `clinical` holds computed clinical reads keyed by the patient's data stamp (assessments/cache.py). Every key
# carries the code's version (clinic/settings/version.py), so a rolling deploy never reads another version's objects.
# Nothing requires the cache: a cold or missing entry is computed again.
CODE_VERSION = code_version(BASE_DIR)
_CACHE_URL = env_str("REDIS_URL", default="") or env_str("CACHE_URL", default="")


def _cache(name: str, max_entries: int) -> dict[str, Any]:
    prefix = f"{name}:{CODE_VERSION}"
    if _CACHE_URL:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL, "KEY_PREFIX": prefix}
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": name,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


CACHES: dict[str, dict[str, Any]] = {
    "default": _cache("default", env_int("CACHE_ENTRIES", default=2000)),
    "clinical": _cache("clinical", env_int("CLINICAL_CACHE_ENTRIES", default=2000)),
}

# --- authentication and sessions (see clinic/auth.py) ----------------------------------------------------------------

# Argon2 hashes new passwords; PBKDF2 stays second only so that older hashes still verify (and are upgraded on login).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks for a lockout first; ModelBackend then checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout (django-axes): the 5th wrong password for a username locks that username for 15 minutes, during which even
# the right password is refused, on the login page and on POST /api/v1/auth/token/. Per username, not per IP address:
# a clinic's computers share one address behind NAT, and one person's typos must not lock out the front desk.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the IP address among the lockout parameters; per-username lockout is the deliberate choice above
# (rotating user agents or cookies does not help against it: the username is what is counted).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True  # a successful sign-in forgets the earlier failures
# Attempts during the lockout do not restart the 15 minutes, so the lockout page can say when to try again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "clinic.auth.lockout_response"  # the lockout page, or JSON 429 for the API
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request (sliding: every request moves the deadline; the
# stored timestamp is rewritten at most once every SESSION_ACTIVITY_RESOLUTION seconds, so most requests write nothing)
# and SESSION_ABSOLUTE_TIMEOUT seconds after sign-in whatever the activity (clinic.auth.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_ACTIVITY_RESOLUTION = 60
# Database sessions, read through the cache when the cache is shared (REDIS_URL). Ending a session (sign-out,
# deactivation) deletes it from the database and from that cache, so only a cache every process shares may hold
# sessions: a per-process cache would keep serving an ended session to the other processes until it expired there.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if _CACHE_URL else "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT  # the stored session never outlives the absolute timeout either
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # shared clinic computers: closing the browser signs out
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# API tokens are refused TOKEN_TTL seconds after they were issued (clinic.auth.ExpiringTokenAuthentication); the
# next POST /api/v1/auth/token/ issues a new one.
TOKEN_TTL = env_int("TOKEN_TTL", default=12 * 60 * 60)

# Content-Security-Policy (django-csp 4) in every environment, so that the tests exercise the pages under it: no
# inline script or style anywhere, no eval (htmx's hx-on is not used), no framing. The API docs page relaxes
# style-src for Swagger UI only (clinic/api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The audit trail's client address (clinic.audit.client_address): how many trusted proxies append to X-Forwarded-For.
AUDIT_TRUSTED_PROXY_COUNT = int(env_str("AUDIT_TRUSTED_PROXY_COUNT", default="0"))
# PostgreSQL: commit the audit events of reads without waiting for the WAL flush (see clinic.audit.AuditMiddleware).
AUDIT_ASYNC_READ_COMMIT = env_bool("AUDIT_ASYNC_READ_COMMIT", default=True)

# Request limits (clinic/limits.py, clinic/api/parsers.py): larger bodies answer 413 on pages and the API alike;
# more fields than this (form fields, or keys of one JSON object) answer 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

REST_FRAMEWORK = {
    # Token first, so that a request without credentials gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "clinic.auth.ExpiringTokenAuthentication",  # DRF's token, refused TOKEN_TTL seconds after it was issued
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Member of the acting clinic, then the role's capability for the request (clinic.roles).
    "DEFAULT_PERMISSION_CLASSES": ["clinic.api.permissions.ActsForClinic", "clinic.roles.HasCapability"],
    "DEFAULT_PAGINATION_CLASS": "clinic.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Strict JSON that also refuses NUL characters, unpaired surrogates and over-wide objects (400).
    "DEFAULT_PARSER_CLASSES": ["clinic.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "clinic.api.errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Clinic charting API",
    "DESCRIPTION": (
        "Charting and clinical reasoning for manual therapists. Every object belongs to one clinic; another clinic's "
        "objects answer 404. A user in several clinics picks the acting clinic with the `X-Clinic` header (clinic id); "
        "otherwise the clinic chosen in the browser session, or the user's first membership, is used."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Error answers (400/401/403/404/409/412/413/415) documented on every operation where they apply; the
    # Idempotency-Key header on every POST.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "clinic.api.schema.add_error_responses",
        "clinic.idempotency.openapi_idempotency_key",
    ],
    "ENUM_NAME_OVERRIDES": {
        "VisitStatusEnum": "assessments.models.VisitStatus",
        "FindingStatusEnum": "assessments.models.FindingStatus",
        "TestResultEnum": "assessments.models.TestResult",
        "ScreenResultEnum": "assessments.models.ScreenResult",
        # Named here because favourite sets have a `kind` and a `side` of their own (with "complaint").
        "SideEnum": "catalog.vocabulary.Side",
        "KindEnum": "assessments.models.VisitKind",
        "FavouriteItemKindEnum": "assessments.models.FavouriteItemKind",
    },
}

# Application logs carry no patient data: request lines name the route and status, never the path or query string
# (clinic.settings.log_filters). Django's own defaults are replaced, including the mail_admins handler (error mails
# carry request bodies). Everything goes to the console; the production server's access log must leave out query
# strings too (gunicorn: --access-logformat '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(L)s').
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_patient_data": {"()": "clinic.settings.log_filters.NoPatientData"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["no_patient_data"]},
        "django.security.csrf": {"filters": ["no_patient_data"]},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True, "filters": ["no_patient_data"]},
    },
}
