"""What a newcomer following the README meets (issue 14, finding 9): settings from .env, ./dev
manage with development defaults, one clear sentence when there is no database to use, a way to
stop the embedded PostgreSQL, and a database URL for subprocesses that works with it too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import dj_database_url
import pytest

from tests.ops.conftest import ROOT

CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}


def settings_value(name: str, env: dict, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env={**env, "DJANGO_SETTINGS_MODULE": "strategy_tracker.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def project_copy(tmp_path: Path) -> Path:
    """The project's code in a folder of its own, so a .env there touches nothing else."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", ".pgdata", "node_modules", "static", "tests"
        ),
    )
    return copy


def test_settings_are_read_from_dotenv_and_the_environment_wins(tmp_path):
    copy = project_copy(tmp_path)
    (copy / ".env").write_text(
        "# a comment\nDJANGO_DEBUG=true\nSITE_NAME='Dotenv Partnership'\n"
        "export TRUSTED_PROXIES=10.0.0.0/8\n"
    )
    env = {k: v for k, v in CLEAN_ENV.items() if k not in ("SITE_NAME", "TRUSTED_PROXIES")}
    result = settings_value("SITE_NAME", env, cwd=copy)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Dotenv Partnership"
    result = settings_value("SITE_NAME", {**env, "SITE_NAME": "From the shell"}, cwd=copy)
    assert result.stdout.strip() == "From the shell"


def test_manage_runs_with_development_defaults_unless_production_is_asked_for():
    """`./dev manage` sets DJANGO_DEBUG_DEFAULT=true; DJANGO_DEBUG=false still means production
    (and then a secret key is required, as the sentence says)."""
    dev = {**CLEAN_ENV, "DJANGO_DEBUG_DEFAULT": "true"}
    assert settings_value("DEBUG", dev).stdout.strip() == "True"
    production = settings_value("DEBUG", {**dev, "DJANGO_DEBUG": "false"})
    assert production.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in production.stderr
    assert settings_value("DEBUG", CLEAN_ENV).returncode != 0  # bare manage.py: never debug


def test_dev_manage_works_as_the_readme_shows():
    result = subprocess.run(
        [str(ROOT / "dev"), "manage", "check"],
        cwd=ROOT,
        env=CLEAN_ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("command", ["test", "demo", "manage"])
def test_with_no_database_to_use_dev_says_so_in_one_sentence_first(tmp_path, command):
    """Python 3.13 (no pgserver) and no DATABASE_URL: one sentence with advice that works,
    before anything else runs. The venv's Python is made to fail `import pgserver`."""
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy(ROOT / "dev", copy / "dev")
    shutil.copy(ROOT / "requirements-dev.txt", copy / "requirements-dev.txt")
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "pgserver.py").write_text("raise ImportError('no wheels for this Python')\n")
    venv_bin = copy / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python").write_text(
        textwrap.dedent(f"""\
            #!/bin/sh
            PYTHONPATH={blocker} exec {sys.executable} "$@"
            """)
    )
    (venv_bin / "python").chmod(0o755)
    (copy / ".venv" / ".installed").touch()  # installed already: nothing to install
    env = {k: v for k, v in CLEAN_ENV.items() if k != "DATABASE_URL"}
    env["PYTHON"] = sys.executable
    result = subprocess.run(
        [str(copy / "dev"), command], cwd=copy, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("DATABASE_URL is not set, and the embedded PostgreSQL needs")
    assert "PYTHON=python3.12 ./dev" in lines[0] and "makes .venv again" in lines[0]


def test_a_database_url_for_a_subprocess_reaches_the_embedded_servers_socket(settings):
    """The two ops tests built postgres://user@/tmp/socket-dir:5432/... which is no URL."""
    from tests.ops.conftest import database_url

    settings.DATABASES = {
        "default": {**settings.DATABASES["default"], "HOST": "/tmp/pg sock", "PORT": ""}
    }
    parsed = dj_database_url.parse(database_url("other", application_name="probe"))
    assert (parsed["HOST"], parsed["NAME"]) == ("/tmp/pg sock", "other")
    assert parsed["OPTIONS"] == {"application_name": "probe"}


def test_dev_stop_stops_the_embedded_postgresql(tmp_path):
    pgserver = pytest.importorskip("pgserver")
    from strategy_tracker.database import embedded_postgres_running, stop_embedded_postgres

    pgdata = tmp_path / "pgdata"
    started = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import pgserver; pgserver.get_server({str(pgdata)!r}, cleanup_mode=None)",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if started.returncode != 0:
        pytest.skip(f"pgserver cannot start here: {started.stderr[-300:]}")
    assert pgserver and embedded_postgres_running(pgdata)  # it outlived the process
    assert stop_embedded_postgres(pgdata) is True
    assert not embedded_postgres_running(pgdata)
    assert stop_embedded_postgres(pgdata) is False
