"""An import killed mid-way (SIGKILL: no cleanup, no exception handler runs) leaves nothing
half-written: PostgreSQL rolls back the open transaction when the connection drops."""

import csv
import os
import signal
import subprocess
import sys
import time

import psycopg2
import pytest
from django.conf import settings

from outcomes.models import Breakdown, Period, Value
from tests.ops.conftest import ROOT, database_url

pytestmark = pytest.mark.django_db

APP_NAME = "st_prod_interrupted_import"
CATEGORIES = 60  # 1,383 demo values x 60 breakdown categories = 82,980 rows to import


def _big_file(path) -> int:
    """Every demo value again, once per invented breakdown category: all good rows."""
    values = Value.objects.published().all_people().select_related("measure", "place", "period")
    rows = 0
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["area_code", "indicator", "period", "value", "lci_95", "uci_95",
             "breakdown_dimension", "breakdown_category"]
        )  # fmt: skip
        for value in values:
            for n in range(CATEGORIES):
                writer.writerow(
                    [value.place.code, value.measure.slug, value.period.iso,
                     "" if value.value is None else value.value,
                     "" if value.lower_ci is None else value.lower_ci,
                     "" if value.upper_ci is None else value.upper_ci,
                     "Load test", f"Group {n:03d}"]
                )  # fmt: skip
                rows += 1
    return rows


def _backend(conn):
    """The importing process's database session, once it has written something."""
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_xid IS NOT NULL FROM pg_stat_activity WHERE application_name = %s",
            [APP_NAME],
        )
        return cursor.fetchone()


def _observer():
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db.get("PORT") or None
    )
    conn.autocommit = True
    return conn


def test_an_import_killed_mid_transaction_leaves_nothing_behind(tmp_path):
    path = tmp_path / "big.csv"
    assert _big_file(path) > 70_000
    before = (Value.objects.count(), Period.objects.count(), Breakdown.objects.count())

    env = {
        **os.environ,
        "DATABASE_URL": database_url(application_name=APP_NAME),
        "DJANGO_SETTINGS_MODULE": "strategy_tracker.settings_test",
    }
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "import_values", str(path)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    observer = _observer()
    try:
        deadline = time.monotonic() + 120
        writing = None
        while time.monotonic() < deadline and process.poll() is None:
            found = _backend(observer)
            if found and found[1]:  # its transaction has written rows, and not committed
                writing = found[0]
                break
            time.sleep(0.005)
        assert writing, "the import never began writing: " + process.stderr.read().decode()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL

        # PostgreSQL notices the dropped connection and rolls its transaction back
        deadline = time.monotonic() + 30
        while _backend(observer) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _backend(observer) is None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        observer.close()

    after = (Value.objects.count(), Period.objects.count(), Breakdown.objects.count())
    assert after == before
    assert not Breakdown.objects.filter(dimension="Load test").exists()


def test_the_file_is_good_so_only_the_kill_stopped_that_import(tmp_path):
    """The control: a dry run checks every row and would create them all."""
    import io

    from django.core.management import call_command

    path = tmp_path / "big.csv"
    rows = _big_file(path)
    out = io.StringIO()
    call_command("import_values", str(path), "--dry-run", stdout=out)
    assert f"Dry run, nothing saved: {rows} created, 0 updated" in out.getvalue()
