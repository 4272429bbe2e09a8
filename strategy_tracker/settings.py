"""Settings, all from the environment. See README.md ("Configuration") and .env.example."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from strategy_tracker.database import database_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see .env.example)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "axes",  # login throttling (see "Production and security" below)
    "strategy_tracker",  # the project's own commands: backup, restore, seed_demo
    "places",
    "national",  # national context: every area in England, ranks, spreads, similar areas
    "outcomes",
    "engagement",
    "commitments",
    "dashboards",  # the public read side (no models): its template tags
    "entry",  # the officers' and approvers' pages (no models): their template tags
    "reports",  # the board report (no models)
    "api",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",  # first: every log line carries the id
    "strategy_tracker.health.HealthCheckMiddleware",  # /healthz, before host and HTTPS checks
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # The public page cache sits here: outside it, the request id, security headers and CSP are
    # made afresh for every response; a hit skips everything below (anonymous visitors only).
    "core.middleware.PublicCacheUpdateMiddleware",
    "core.middleware.PublicCacheFetchMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "api.middleware.ApiHttpMiddleware",  # /api/ only: CORS for GET, ETag and Last-Modified
]

ROOT_URLCONF = "strategy_tracker.urls"

# ONS's simplified boundaries (TopoJSON) for the server-side maps.
BOUNDARIES_FILE = BASE_DIR / "fixtures" / "national" / "geography" / "boundaries.topojson"

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
                "core.context_processors.site",
                "django.template.context_processors.csp",
            ],
        },
    },
]

WSGI_APPLICATION = "strategy_tracker.wsgi.application"

DATABASES = {"default": database_config(BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"

# The partnership this instance serves: names on every page, nothing else is hard-coded.
SITE_NAME = env_str("SITE_NAME", "South Yorkshire Integrated Care Partnership")
SITE_SHORT_NAME = env_str("SITE_SHORT_NAME", "Strategy Tracker")
ADMIN_PATH = env_str("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

# Uploads: officers' spreadsheets are small; refuse anything larger than this many bytes.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 2 * 1024 * 1024)
# A value that moves more than this share (per cent) from the previous period's published value
# asks the officer to confirm it before it is saved.
VALUE_CHANGE_CONFIRM_PERCENT = env_int("VALUE_CHANGE_CONFIRM_PERCENT", 20)


# --- Production and security (issue 7; see docs/deploying.md) ------------------------------------
# One settings module: production-safe when DJANGO_DEBUG is off, each flag overridable.
from datetime import timedelta  # noqa: E402

from django.utils.csp import CSP  # noqa: E402

# HTTPS. Behind a load balancer that ends TLS, set DJANGO_BEHIND_PROXY=true so that Django
# trusts its X-Forwarded-Proto header (and only then: a client could send it too).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env_bool("DJANGO_USE_X_FORWARDED_HOST", False)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Cookies: Secure (HTTPS only) unless debugging; HttpOnly. The CSRF cookie is HttpOnly too:
# pages send the token from the form ({% csrf_token %}, or hx-headers), never read the cookie.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Only officers, approvers and admins have sessions (the public never logs in). A session ends
# when the browser closes, or after this many seconds without a request (saved on each request,
# so the age is an idle timeout).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 2 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True

# Content Security Policy (Django 6's own). No inline script or style anywhere: every script and
# stylesheet is a file from this site. The nonce is there for django-htmx's script tag; a cached
# page's stale nonce is harmless because 'self' already allows our files. plotly.js would add a
# <style> element; static/vendor's plotly CSS (id "plotly.js-style-global", class
# "no-inline-styles") stops it, so style-src needs no 'unsafe-inline'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Static files: whitenoise serves them from the app servers (or a CDN in front of them) with
# compressed copies and content-hashed names, cached for a year. Tests and DEBUG keep the plain
# storage so that no collectstatic is needed (tests/ops/test_static.py runs collectstatic with the
# production storage to prove it works).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(STATIC_ROOT)))

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from
# one address, that pair is locked out for AXES_COOLOFF_TIME. Attempts are kept in the database,
# so every app server sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "strategy_tracker.errors.locked_out"
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"
# How many proxies (load balancers) stand in front of the app and append to X-Forwarded-For.
# 0: trust no header and use the connecting address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# The database: give up connecting after a few seconds (so a request fails fast with a 503 during
# an outage) and check a reused connection before each request (CONN_HEALTH_CHECKS, set in
# database.py), so that the app recovers by itself when PostgreSQL comes back.
DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )

# Public pages are cached whole for anonymous visitors (never for anyone with a session), in the
# default cache: per process here; Redis or the database when several servers share one.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 0 if DEBUG else 60)
CACHE_MIDDLEWARE_KEY_PREFIX = "public"
CACHE_MIDDLEWARE_SECONDS = PUBLIC_CACHE_SECONDS

# Logs: one JSON object a line on stderr, each with the request id (text when debugging).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own request logger repeats what our access line says.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},  # its start-up banner, in every command
    },
}

# Public pages: the benchmark every value is compared with (England) and the region shown beside
# it, by ONS code; how long a rendered page may be served from the cache (it is also keyed on the
# latest publication, so a publication shows at once; edits to measure text show within this).
BENCHMARK_AREA_CODE = env_str("BENCHMARK_AREA_CODE", "E92000001")
REGION_AREA_CODE = env_str("REGION_AREA_CODE", "E12000003")
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 600)
# How long the latest-publication stamp itself is reused for the public (it costs an aggregate
# over every published value): a publication reaches the public within this many seconds.
PUBLIC_STAMP_SECONDS = env_int("PUBLIC_STAMP_SECONDS", 5)

# Caches. Rate limits on the public forms must be shared by every worker process, so they live
# in a database cache (its table is made by `manage.py createcachetable`, which the engagement
# app also runs after every `migrate`). "default" stays the per-process memory cache.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "rate_limits": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "rate_limit_cache",
    },
}
RATE_LIMIT_CACHE = env_str("RATE_LIMIT_CACHE", "rate_limits")
# Public engagement responses (and deletion requests) accepted per client per hour.
ENGAGEMENT_RESPONSES_PER_HOUR = env_int("ENGAGEMENT_RESPONSES_PER_HOUR", 20)

# The board report's PDF is printed by headless Chromium on the server; empty means look for
# chromium (or chromium-browser, google-chrome) on the PATH. Without one, the PDF link explains.
CHROMIUM_BINARY = env_str("CHROMIUM_BINARY", "")
