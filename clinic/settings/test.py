"""Test settings: the same as local, with a fast password hasher. DATABASE_URL still picks the database."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 40)

from clinic.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; production uses Argon2
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the finders, as in development (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# django-axes stays on, exactly as configured in base: tests/security/test_auth_lockout.py proves the lockout.
# client.force_login() does not go through authenticate(), so signed-in fixtures are unaffected; code that calls
# authenticate() itself must pass the request (axes refuses to work without one).
# CSP, the session timeouts and no-store are on as well, so every page test and browser test runs under them.
# Each test starts with a forgotten catalog cache (tests/conftest.py); a 5-second recheck landing inside a measured
# request on a slow machine would add one query to a query-count test, so tests trust the cache for the whole test.
CATALOG_RECHECK_SECONDS = 3600.0

# The live server of the browser tests shares one in-memory SQLite connection between its request threads: let it
# answer one request at a time there (tests/serial_requests.py). PostgreSQL runs keep overlapping requests.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    MIDDLEWARE = ["tests.serial_requests.OneRequestAtATimeMiddleware", *MIDDLEWARE]  # noqa: F405
