"""Where the database is: DATABASE_URL, or an embedded PostgreSQL for a machine with none.

On a newcomer's laptop there may be no database server at all. When DATABASE_URL is unset we start
PostgreSQL from the `pgserver` package in a project-local folder (`.pgdata/`), so the README's two
commands still work. The server outlives this process (cleanup_mode=None) so that runserver's
autoreloader and the test run share one instance; it starts in about a second.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

DEFAULT_NAME = "strategy_tracker"
NO_DATABASE = (
    "DATABASE_URL is not set, and the embedded PostgreSQL needs Python 3.12 (pgserver has no "
    "wheels for newer ones): set DATABASE_URL=postgres://USER@HOST:5432/strategy_tracker (in "
    "the environment or .env), or install Python 3.12 and run ./dev again with "
    "PYTHON=python3.12 (./dev then makes .venv again with it)."
)


def embedded_postgres_running(pgdata: Path) -> bool:
    return (pgdata / "postmaster.pid").exists()


def stop_embedded_postgres(pgdata: Path) -> bool:
    """Stop the embedded server (``./dev stop``); False when it was not running."""
    if not embedded_postgres_running(pgdata):
        return False
    from pgserver._commands import pg_ctl  # pgserver has no public stop that leaves data alone

    user = "pgserver" if os.geteuid() == 0 else None  # as pgserver runs it under root
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata.resolve(), user=user)
    return True


def database_config(base_dir: Path) -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        config = _embedded_postgres(base_dir / ".pgdata")
    config.setdefault("OPTIONS", {})
    config["CONN_HEALTH_CHECKS"] = True
    return config


def _embedded_postgres(pgdata: Path) -> dict:
    import warnings

    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    try:
        import pgserver
    except ImportError as exc:  # pragma: no cover - depends on the machine
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(NO_DATABASE) from exc
    import logging

    logging.getLogger("pgserver").setLevel(logging.WARNING)  # its exit messages are noise
    pgdata.mkdir(exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DEFAULT_NAME}';")
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DEFAULT_NAME};")
    socket_dir = server.get_uri().split("host=", 1)[1].split("&", 1)[0]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DEFAULT_NAME,
        "USER": "postgres",
        "HOST": socket_dir,
        "PORT": "",
        "CONN_MAX_AGE": 60,
    }
