"""Figures for the review workflow, printed (not asserted): run against a database you can
empty, e.g.
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/st_bench DJANGO_DEBUG=true \\
        .venv/bin/python scripts/bench_workflow.py

It migrates, empties the values, then times: the demo import (1,208 values published, each with
its audit event), importing it again (nothing changes), an officer-style upload of every
place's latest values as draft proposals, and the staff pages' query counts.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402


def timed(label, function):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed * 1000:.0f} ms, {len(queries)} queries")
    return result


def main() -> None:
    import io

    from django.conf import settings

    from outcomes.importing import read_table
    from outcomes.models import Proposal, Value, ValueEvent
    from outcomes.services.values import values_import

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    Proposal.objects.all().delete()
    ValueEvent.objects.all().delete()
    Value.objects.all().delete()
    data = (settings.BASE_DIR / "fixtures" / "south_yorkshire" / "values.csv").read_bytes()
    rows, empty = read_table(data, "values.csv")
    result = timed(
        "demo import, 1,208 values published with their events",
        lambda: values_import(rows=rows, empty_lines=empty),
    )
    print(f"  {len(result.created)} created, {ValueEvent.objects.count()} events")
    timed(
        "the same import again (nothing changes)",
        lambda: values_import(rows=rows, empty_lines=empty),
    )

    from django.contrib.auth.models import User

    admin = User.objects.get(username="admin")
    client = Client()
    client.force_login(admin)
    template = client.get(reverse("manage:upload_template"), {"format": "csv"}).content
    text = template.decode("utf-8-sig").replace(",74.5,", ",74.6,")
    upload_rows, _ = read_table(text.encode(), "values.csv")
    print(f"officer upload of {len(upload_rows)} rows (every place's latest values):")
    timed(
        "  preview (dry run)",
        lambda: values_import(rows=upload_rows, state="draft", user=admin, dry_run=True),
    )
    outcome = timed("  save", lambda: values_import(rows=upload_rows, state="draft", user=admin))
    print(f"  {len(outcome.updated)} changed -> proposals")
    for name in ("manage:index", "manage:review"):
        timed(f"GET {name} as admin", lambda name=name: client.get(reverse(name)))


if __name__ == "__main__":
    main()
