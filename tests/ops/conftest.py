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


def manage(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]
