import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What production looks like: debug off, a real secret key, a host name.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "strategy_tracker.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7#tq!9vz2@kLm4Rr8pW^e6nB1sY0uJ3hG5fD-cA_oI+Q%ZwXyT&iV$kN*aPbCd",
    "DJANGO_ALLOWED_HOSTS": "tracker.example.nhs.uk",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://tracker.example.nhs.uk",
}


@pytest.fixture
def production_env():
    """The environment for a subprocess running with production settings against the database
    this test run uses."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(PRODUCTION_ENV)
    return env


def database_url(name: str | None = None, **params: str) -> str:
    """A DATABASE_URL for the database this test run uses (or another on the same server), for
    a subprocess. The embedded PostgreSQL listens on a socket directory, not a port: its path
    goes in the host part percent-encoded, as dj-database-url reads it."""
    from urllib.parse import quote, urlencode

    from django.conf import settings

    db = settings.DATABASES["default"]
    host = db["HOST"] or "localhost"
    host = quote(host, safe="") if host.startswith("/") else host
    port = f":{db['PORT']}" if db.get("PORT") else ""
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    url = f"postgres://{quote(db['USER'], safe='')}{password}@{host}{port}/{name or db['NAME']}"
    return url + (f"?{urlencode(params)}" if params else "")


def manage(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]
