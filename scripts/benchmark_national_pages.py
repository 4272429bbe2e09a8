"""Benchmark the national pages (issue 12): prints figures, asserts nothing.

    DATABASE_URL=... DJANGO_DEBUG=true .venv/bin/python scripts/benchmark_national_pages.py

With the demo's national context loaded (seed_demo): the measure page with England's map against
the same page without it (the measure unlinked, in the same run), the compare page, search, and
the national API at the first page and deep (keyset). Medians of N rebuilds, the page cache off."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")
os.environ["PUBLIC_PAGE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from national.models import Observation  # noqa: E402
from outcomes.models import Measure  # noqa: E402

N = int(os.environ.get("ROUNDS", "15"))
client = Client(HTTP_HOST="127.0.0.1")


def timed(url: str) -> tuple[float, int, int]:
    client.get(url)  # warm
    times = []
    for _ in range(N):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
    assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, len(queries), len(response.content)


def show(label: str, url: str) -> float:
    ms, queries, size = timed(url)
    print(f"{label:<44} {ms:8.1f} ms  {queries:3d} queries  {size / 1024:7.1f} KB")
    return ms


slug = "children-in-relative-poverty-before-housing-costs"
measure = Measure.objects.get(slug=slug)
print(f"{Observation.objects.count():,} national observations loaded; median of {N} rounds")
with_map = show("measure page, national context and map", f"/measures/{slug}/")
with transaction.atomic():
    indicator = measure.national_indicator_id
    Measure.objects.filter(pk=measure.pk).update(national_indicator=None)
    without = show("same measure page, not linked (no map)", f"/measures/{slug}/")
    transaction.set_rollback(True)
print(f"ratio with/without national context and map: {with_map / without:.2f}x")

from django.template.loader import render_to_string  # noqa: E402

from dashboards.selectors.national_map import measure_map  # noqa: E402
from dashboards.selectors.series import areas_for_dashboard  # noqa: E402

areas, parts = areas_for_dashboard(), []
for _ in range(N):
    start = time.perf_counter()
    drawn = measure_map(measure, areas=areas)
    html = render_to_string("dashboards/includes/national_map.html", {"national_map": drawn})
    parts.append(time.perf_counter() - start)
share = statistics.median(parts) * 1000
print(
    f"{'the map alone (1 query + render)':<44} {share:8.1f} ms  {len(html) / 1024:7.1f} KB"
    f"  = {share / with_map:.0%} of the page"
)
show(
    "compare: 4 areas over time",
    f"/compare/?area=E08000038&area=E08000035&area=E47000002&area=E92000001&indicator={indicator}",
)
show("compare: searching 'york'", "/compare/?q=york")
show("search 'life'", "/search/?q=life")
last = Observation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
first = show("API national/values, first page (100)", "/api/v1/national/values")
deep = show(
    "API national/values, last page (keyset)", f"/api/v1/national/values?after={last - 100}"
)
print(f"ratio deep/first API page: {deep / first:.2f}x")
