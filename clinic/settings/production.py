"""Production: DEBUG off, SECRET_KEY and ALLOWED_HOSTS required, HTTPS-only cookies, HSTS and a strict CSP.

Passes `manage.py check --deploy` with no warnings when SECRET_KEY and ALLOWED_HOSTS are set.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from clinic.settings.base import *  # noqa: F403
from clinic.settings.base import ALLOWED_HOSTS, CONTENT_SECURITY_POLICY, DEBUG, SECRET_KEY
from clinic.settings.env import env_bool

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# The same policy as every environment (clinic/settings/base.py), and browsers upgrade any http:// sub-resource.
_DIRECTIVES: dict[str, Any] = {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True}
CONTENT_SECURITY_POLICY = {**CONTENT_SECURITY_POLICY, "DIRECTIVES": _DIRECTIVES}
X_FRAME_OPTIONS = "DENY"
