"""Time the open data API and the board report against the database in DATABASE_URL (seeded
with ./dev manage seed_demo and seed_commitments_demo). Prints figures; asserts nothing.

    DATABASE_URL=... DJANGO_DEBUG=true .venv/bin/python scripts/bench_api_report.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from reports.board import Quarter  # noqa: E402

QUARTER = Quarter.containing(timezone.localdate()).slug
URLS = [
    "/api/v1/values?limit=1000",
    "/api/v1/values.csv",
    "/api/v1/values.xlsx",
    "/api/v1/statuses?limit=1000",
    "/api/v1/commitments",
    "/api/v1/openapi.json",
    "/commitments/",
    f"/report/{QUARTER}/",
]


def main(repeats: int = 5) -> None:
    client = Client(HTTP_HOST="localhost")
    with override_settings(DEBUG=True, ALLOWED_HOSTS=["localhost"]):
        for url in URLS:
            timings = []
            for _ in range(repeats):
                reset_queries()
                start = time.perf_counter()
                response = client.get(url)
                body = response.getvalue()  # a streamed download is written as it is read
                timings.append(time.perf_counter() - start)
            queries = len(connection.queries)
            median = statistics.median(timings) * 1000
            print(
                f"{url:40} {response.status_code}  median {median:7.1f} ms"
                f"  {queries:3d} queries  {len(body):9,d} bytes"
            )
        start = time.perf_counter()
        response = client.get(f"/report/{QUARTER}/pdf/")
        print(
            f"{'/report/' + QUARTER + '/pdf/ (first, Chromium)':40} {response.status_code}  "
            f"{(time.perf_counter() - start) * 1000:7.1f} ms  {len(response.content):,d} bytes"
        )


if __name__ == "__main__":
    main()
