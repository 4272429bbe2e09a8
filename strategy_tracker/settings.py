"""Settings, all from the environment. See README.md ("Configuration") and .env.example."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

from strategy_tracker.database import database_config

BASE_DIR = Path(__file__).resolve().parent.parent

# A .env file (copy .env.example) fills in what the environment leaves unset; the environment
# always wins. python-dotenv rather than our own parser: quoting, comments and `export` lines.
load_dotenv(BASE_DIR / ".env", override=False)


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


# Debug is off unless asked for. `./dev` (demo, manage) asks for development defaults with
# DJANGO_DEBUG_DEFAULT=true, which DJANGO_DEBUG (environment or .env) still overrides: production
# is always one setting away, and never the accident of a missing one.
DEBUG = env_bool("DJANGO_DEBUG", env_bool("DJANGO_DEBUG_DEFAULT", False))
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see .env.example); for "
            "development, run commands through ./dev (e.g. ./dev manage check)."
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
    "core.middleware.PermissionsPolicyMiddleware",  # on every response, /healthz too
    "strategy_tracker.health.HealthCheckMiddleware",  # /healthz, before host and HTTPS checks
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.middleware.AnonymousGZipMiddleware",  # anonymous pages without a CSRF token only
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
                "outcomes.partnership.site",
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
# The partnership (admin: outcomes > partnerships) names the site when there is one; each process
# keeps its names this long after reading them.
PARTNERSHIP_CACHE_SECONDS = env_int("PARTNERSHIP_CACHE_SECONDS", 60)
ADMIN_PATH = env_str("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

# Uploads: officers' spreadsheets are small; refuse anything larger than this many bytes.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 2 * 1024 * 1024)
# The most values one CSV or XLSX download of the API may hold (issue 14: bounded exports).
EXPORT_MAX_ROWS = env_int("EXPORT_MAX_ROWS", 250_000)
# A value that moves more than this share (per cent) from the previous period's published value
# asks the officer to confirm it before it is saved.
VALUE_CHANGE_CONFIRM_PERCENT = env_int("VALUE_CHANGE_CONFIRM_PERCENT", 20)


# --- Production and security (issue 7; see docs/deploying.md) ------------------------------------
# One settings module: production-safe when DJANGO_DEBUG is off, each flag overridable.
from datetime import timedelta  # noqa: E402

from django.utils.csp import CSP  # noqa: E402

# HTTPS. Behind a load balancer that ends TLS, gunicorn takes the scheme from the balancer's
# X-Forwarded-Proto, but only on connections from TRUSTED_PROXIES (gunicorn.conf.py), so Django
# needs no SECURE_PROXY_SSL_HEADER (which would believe the header from anyone).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Permissions-Policy: the pages use no camera, microphone, location, sensors, payment or USB, so
# no page (nor anything injected into one) may ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)
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
            else "core.storage.StaticStorage"
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
# The proxies (load balancers) in front of the app: their addresses or networks, comma-separated,
# e.g. "10.0.0.0/8" or "192.0.2.10,192.0.2.11". The one setting for the proxy: on a connection
# from one of them, gunicorn believes X-Forwarded-Proto and the app takes the client's address from
# X-Forwarded-For (the rightmost address that is not a trusted proxy); on any other connection,
# neither header is believed. Empty (the default): no forwarded header is believed at all.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES must be IP addresses or networks like 10.0.0.0/8, not {_proxy!r}"
        ) from exc
for _replaced in ("DJANGO_BEHIND_PROXY", "TRUSTED_PROXY_COUNT"):
    if os.environ.get(_replaced, "").strip().lower() not in ("", "0", "false", "no", "off"):
        raise ImproperlyConfigured(
            f"{_replaced} is replaced by TRUSTED_PROXIES: set it to your load balancer's "
            "addresses or network (see docs/deploying.md)."
        )

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

# --- Scale out (issue 15; see docs/deploying.md "Several app servers") --------------------------
# REDIS_URL: the default cache (public pages, API responses, the publication version, the board
# report's PDF) and the rate limits live in Redis, shared by every server, and sessions are
# cached there in front of the database. Without it: the per-process memory cache, and the rate
# limits in PostgreSQL (engagement.ratelimit), as on a single server.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "st"),
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# What the publication version (core.publication) is read from.
PUBLICATION_STAMP = "dashboards.selectors.cells.publication_stamp"
# What a replica must have replayed to serve a public read (core.replicas).
REPLICA_REQUIRED_LSN = "core.publication.current_lsn"
# The query parameters the public pages and the API read: the only ones in a page cache key
# (core.pagecache); and how many query-string variants of one path are stored per
# publication.
PAGE_CACHE_PARAMS = [
    "place", "outcome", "measure", "partner", "status", "quarter", "limit", "offset",
    "period_from", "period_to",
]  # fmt: skip
PAGE_CACHE_VARIANTS = env_int("PAGE_CACHE_VARIANTS", 200)

# DATABASE_REPLICA_URLS: read replicas (comma-separated URLs) for anonymous public reads
# (core.replicas). A replica that is down, or lags more than REPLICA_MAX_LAG_SECONDS,
# is skipped.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _alias = f"replica_{_number}"
    DATABASES[_alias] = dj_database_url.parse(_url, conn_max_age=60, conn_health_checks=True)
    DATABASES[_alias]["OPTIONS"] = {"connect_timeout": env_int("REPLICA_CONNECT_TIMEOUT", 2)}
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["core.replicas.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 10)
REPLICA_CHECK_SECONDS = env_int("REPLICA_CHECK_SECONDS", 1)
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 5)
# Last: its process_view runs the view, again on the primary if a replica fails under it.
MIDDLEWARE.append("core.replicas.ReplicaRoutingMiddleware")

# DATABASE_PGBOUNCER=true: the database URLs point at PgBouncer in transaction pooling mode. No
# server-side cursors (a named cursor lives across transactions); Django keeps no other session
# state if the database's own timezone is UTC (see docs/deploying.md).
if env_bool("DATABASE_PGBOUNCER", False):
    for _config in DATABASES.values():
        _config["DISABLE_SERVER_SIDE_CURSORS"] = True

# Public engagement responses (and deletion requests) accepted per client per hour.
ENGAGEMENT_RESPONSES_PER_HOUR = env_int("ENGAGEMENT_RESPONSES_PER_HOUR", 20)

# The board report's PDF is printed by headless Chromium on the server; empty means look for
# chromium (or chromium-browser, google-chrome) on the PATH. Without one, the PDF link explains.
CHROMIUM_BINARY = env_str("CHROMIUM_BINARY", "")
