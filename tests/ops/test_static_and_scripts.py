"""Production static files (collectstatic with whitenoise's compressed manifest storage, served
with far-future caching), gunicorn's configuration, and the database-restart script end to end."""

import json
import os
import subprocess
import sys

import pytest
from django.test import Client, override_settings

from tests.ops.conftest import ROOT, manage

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic with production settings, once for this module."""
    root = tmp_path_factory.mktemp("staticfiles")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="strategy_tracker.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="collectstatic-test-only",
        DJANGO_STATIC_ROOT=str(root),
    )
    result = subprocess.run(
        manage("collectstatic", "--noinput"),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return root


def test_collectstatic_hashes_and_compresses_every_file(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    assert "admin/css/base.css" in manifest
    hashed = manifest["admin/css/base.css"]
    assert hashed != "admin/css/base.css"
    assert (collected / hashed).exists()
    assert (collected / (hashed + ".gz")).exists()
    assert (collected / (hashed + ".br")).exists()


@pytest.mark.django_db
def test_whitenoise_serves_hashed_files_compressed_and_cached_for_ever(collected, settings):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    with override_settings(
        STATIC_ROOT=collected,
        STORAGES=MANIFEST_STORAGE,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        from django.templatetags.static import static

        assert static("admin/css/base.css") == "/static/" + manifest["admin/css/base.css"]
        response = Client().get(
            "/static/" + manifest["admin/css/base.css"], HTTP_ACCEPT_ENCODING="gzip, br"
        )
        assert response.status_code == 200
        assert response["Content-Encoding"] == "br"
        assert "immutable" in response["Cache-Control"]
        assert "max-age=315360000" in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_gunicorn_configuration_loads(tmp_path):
    env = {**os.environ, "WEB_CONCURRENCY": "3", "DJANGO_SECRET_KEY": "x"}
    result = subprocess.run(
        [str(os.path.join(os.path.dirname(sys.executable), "gunicorn")), "-c",
         str(ROOT / "gunicorn.conf.py"), "--check-config"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def _can_run_postgres_clusters() -> bool:
    import shutil

    return os.geteuid() != 0 or bool(shutil.which("runuser"))


@pytest.mark.skipif(not _can_run_postgres_clusters(), reason="needs runuser to run initdb as root")
def test_the_database_restart_script_recovers_without_restarting_the_app():
    """scripts/db_restart_check.py, with 2-second phases: it exits 0 only when the outage gave
    503 pages, nothing gave a 500 or a traceback, and every request succeeded afterwards with the
    same gunicorn processes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "db_restart_check.py"), "--seconds", "2",
         "--pg-port", "0", "--app-port", "0"],
        # A guard against a hang, not a speed test: on a loaded machine building its cluster and
        # the demo alone has taken four minutes; the script's own phases wait for their requests.
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout
    assert "PASS  gunicorn was not restarted" in result.stdout
