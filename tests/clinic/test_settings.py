"""Settings from the environment: production refuses to start unsafely and passes check --deploy."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    private = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SESSION_IDLE_TIMEOUT", "SESSION_ABSOLUTE_TIMEOUT", "TOKEN_TTL"}
    clean = {k: v for k, v in os.environ.items() if k not in private}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="clinic.settings.production", ALLOWED_HOSTS="x.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_passes_check_deploy_with_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="clinic.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="clinic.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_selects_the_database():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = run_manage(
        "shell", "-c", code, DJANGO_SETTINGS_MODULE="clinic.settings.local", DATABASE_URL="postgres://u@127.0.0.1/x"
    )
    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.postgresql", result.stderr


PRODUCTION_ENV = {"DJANGO_SETTINGS_MODULE": "clinic.settings.production", "ALLOWED_HOSTS": "clinic.example.com"}


def test_production_cookies_hsts_and_content_security_policy():
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) for k in ["
        "'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY', 'CSRF_COOKIE_SAMESITE', "
        "'SESSION_IDLE_TIMEOUT', 'SESSION_ABSOLUTE_TIMEOUT', 'TOKEN_TTL', 'AXES_FAILURE_LIMIT', 'MIDDLEWARE', "
        "'CONTENT_SECURITY_POLICY', 'PASSWORD_HASHERS']}, default=str))"
    )
    result = run_manage("shell", "-c", code, SECRET_KEY=secrets.token_urlsafe(64), **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000 and values["SECURE_SSL_REDIRECT"] is True
    for cookie in ("SESSION", "CSRF"):
        assert values[f"{cookie}_COOKIE_SECURE"] is True
        assert values[f"{cookie}_COOKIE_HTTPONLY"] is True
        assert values[f"{cookie}_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert (values["SESSION_IDLE_TIMEOUT"], values["SESSION_ABSOLUTE_TIMEOUT"]) == (1800, 43200)
    assert values["TOKEN_TTL"] == 43200 and values["AXES_FAILURE_LIMIT"] <= 5
    assert values["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")
    middleware = values["MIDDLEWARE"]
    assert "csp.middleware.CSPMiddleware" in middleware and "clinic.auth.NoStoreMiddleware" in middleware
    assert middleware[-1] == "axes.middleware.AxesMiddleware"
    directives = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"] and directives["object-src"] == ["'none'"]


def test_production_timeouts_come_from_the_environment():
    code = (
        "from django.conf import settings as s; print(s.SESSION_IDLE_TIMEOUT, s.SESSION_ABSOLUTE_TIMEOUT, s.TOKEN_TTL)"
    )
    result = run_manage(
        "shell",
        "-c",
        code,
        SECRET_KEY=secrets.token_urlsafe(64),
        SESSION_IDLE_TIMEOUT="900",
        SESSION_ABSOLUTE_TIMEOUT="28800",
        TOKEN_TTL="3600",
        **PRODUCTION_ENV,
    )
    assert result.stdout.strip().splitlines()[-1] == "900 28800 3600", result.stderr


def test_postgresql_prepares_statements_unless_told_not_to():
    code = "import json; from django.conf import settings; print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    url = {"DJANGO_SETTINGS_MODULE": "clinic.settings.local", "DATABASE_URL": "postgres://u@127.0.0.1/x"}
    on = run_manage("shell", "-c", code, **url)
    assert json.loads(on.stdout.strip().splitlines()[-1]) == {"server_side_binding": True, "prepare_threshold": 5}
    off = run_manage("shell", "-c", code, DATABASE_PREPARED_STATEMENTS="0", **url)
    assert json.loads(off.stdout.strip().splitlines()[-1]) == {}


def caches_under(**env: str) -> dict[str, dict[str, str]]:
    """settings.CACHES as the local settings build them from `env` (REDIS_URL and CACHE_URL unset unless given)."""
    code = "import json; from django.conf import settings as s; print(json.dumps(s.CACHES))"
    env = {"REDIS_URL": "", "CACHE_URL": "", **env}
    result = run_manage("shell", "-c", code, DJANGO_SETTINGS_MODULE="clinic.settings.local", **env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_redis_each_process_caches_in_local_memory():
    caches = caches_under()
    assert {alias: c["BACKEND"].rsplit(".", 1)[-1] for alias, c in caches.items()} == {
        "default": "LocMemCache",
        "clinical": "LocMemCache",
    }


def test_redis_url_points_every_cache_at_redis_and_keys_carry_the_code_version():
    caches = caches_under(REDIS_URL="redis://127.0.0.1:6379/5", CODE_VERSION="2026.12.1")
    assert {c["BACKEND"] for c in caches.values()} == {"django.core.cache.backends.redis.RedisCache"}
    assert {c["LOCATION"] for c in caches.values()} == {"redis://127.0.0.1:6379/5"}
    assert {c["KEY_PREFIX"] for c in caches.values()} == {"default:2026.12.1", "clinical:2026.12.1"}


def test_cache_url_is_the_other_name_for_the_shared_cache():
    assert caches_under(CACHE_URL="redis://cache:6379/0")["default"]["LOCATION"] == "redis://cache:6379/0"


def test_a_change_of_source_changes_the_cache_keys(tmp_path):
    from clinic.settings.version import source_digest

    (tmp_path / "app").mkdir()
    module = tmp_path / "app" / "models.py"
    module.write_text("A = 1\n")
    before = source_digest(tmp_path)
    assert source_digest(tmp_path) == before
    module.write_text("A = 2\n")
    assert source_digest(tmp_path) != before


def test_sessions_are_read_through_the_cache_only_when_every_process_shares_it():
    code = "from django.conf import settings as s; print(s.SESSION_ENGINE)"
    local = run_manage("shell", "-c", code, DJANGO_SETTINGS_MODULE="clinic.settings.local", REDIS_URL="", CACHE_URL="")
    shared = run_manage(
        "shell", "-c", code, DJANGO_SETTINGS_MODULE="clinic.settings.local", REDIS_URL="redis://127.0.0.1:6379/5"
    )
    assert local.stdout.split()[-1] == "django.contrib.sessions.backends.db"
    assert shared.stdout.split()[-1] == "django.contrib.sessions.backends.cached_db"
