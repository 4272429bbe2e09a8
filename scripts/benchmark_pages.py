#!/usr/bin/env python
"""Benchmark the public pages at national scale (a script that prints figures, not a test).

Builds synthetic data in a database of its own (``st_bench`` by default; it refuses any database
whose name does not contain "bench"): 300 areas x 200 measures x 20 periods = 1.2 million
published values, loaded with PostgreSQL's COPY. The areas are England, the nine regions, the
partnership (a system and ``--places`` places) and, to make up 300, other local authorities held
as comparators, as a national instance would hold them. Then, for each public page type, it
prints the number of SQL queries and the median and 95th percentile server time uncached and
cached, beside the time to serve the same page saved as a static file, and the ratios.

Every request goes through the same in-process Django stack (``django.test.Client``: URL
routing, middleware, the view); the static file is served by Django's own static file view
through the same stack, so the ratio is the cost of the page over the cost of sending its bytes.

    DATABASE_URL is ignored; use --database-url to point elsewhere.
    python scripts/benchmark_pages.py                 # build (about a minute) and measure
    python scripts/benchmark_pages.py --reuse         # measure again without rebuilding
    python scripts/benchmark_pages.py --areas 30 --measures 20 --periods 10   # a quick run
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/st_bench")
    parser.add_argument("--areas", type=int, default=300)
    parser.add_argument("--measures", type=int, default=200)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--places", type=int, default=10, help="places of the partnership")
    parser.add_argument("--runs", type=int, default=15, help="uncached requests per page")
    parser.add_argument("--cached-runs", type=int, default=200, help="cached requests per page")
    parser.add_argument("--reuse", action="store_true", help="keep the data already built")
    return parser.parse_args()


def ensure_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing to use {name!r}: the benchmark's database name must contain 'bench'.")
    admin = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "strategy_tracker.settings"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-secret")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# -------------------------------------------------------------------------------------------------
# Synthetic data
# -------------------------------------------------------------------------------------------------

KINDS = [
    # value kind, unit, polarity, typical value, spread, CI half-width
    ("percentage", "%", "higher", 60.0, 15.0, 3.0),
    ("percentage", "%", "lower", 20.0, 8.0, 2.5),
    ("rate_100k", "per 100,000", "lower", 120.0, 40.0, 12.0),
    ("years", "years", "higher", 62.0, 4.0, 1.8),
]


def build(args: argparse.Namespace) -> int:
    from django.db import connection, transaction
    from django.utils import timezone

    from outcomes.models import Measure, Outcome, Period, Target
    from places.models import Place

    rng = random.Random(2030)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE outcomes_value, outcomes_target, outcomes_measure, outcomes_period, "
            "outcomes_outcome, outcomes_theme, outcomes_breakdown, places_membership, "
            "places_place RESTART IDENTITY CASCADE"
        )
    with transaction.atomic():
        areas = [
            Place(name="England", slug="england", code="E92000001", kind="comparator", order=900)
        ]
        for n in range(1, 10):
            areas.append(
                Place(
                    name=f"Region {n}",
                    slug=f"region-{n}",
                    code=f"E1200000{n}",
                    kind="comparator",
                    order=800 + n,
                )
            )
        system = Place(name="The system", slug="the-system", code="E54000061", kind="system")
        areas.append(system)
        Place.objects.bulk_create(areas)
        places = [
            Place(
                name=f"Place {n:02d}",
                slug=f"place-{n:02d}",
                code=f"E08{n:06d}",
                kind="place",
                parent=system,
                order=n,
            )
            for n in range(1, args.places + 1)
        ]
        others = [
            Place(
                name=f"Local authority {n:03d}",
                slug=f"local-authority-{n:03d}",
                code=f"E06{n:06d}",
                kind="comparator",
                order=1000 + n,
            )
            for n in range(1, args.areas - len(areas) - len(places) + 1)
        ]
        Place.objects.bulk_create(places + others)
        all_areas = list(Place.objects.all())

        outcomes = Outcome.objects.bulk_create(
            [
                Outcome(title=f"Outcome {n}", slug=f"outcome-{n}", order=n, ambition="An ambition.")
                for n in range(1, 5)
            ]
        )
        first_year = 2025 - args.periods
        periods = Period.objects.bulk_create(
            [
                Period(start=date(y, 1, 1), end=date(y, 12, 31), type="calendar_year")
                for y in range(first_year, 2025)
            ]
        )
        measures = []
        for n in range(args.measures):
            kind = KINDS[n % len(KINDS)]
            measures.append(
                Measure(
                    outcome=outcomes[n % 4],
                    title=f"Measure {n:03d}",
                    slug=f"measure-{n:03d}",
                    definition="A synthetic measure for the benchmark.",
                    value_kind=kind[0],
                    unit_label=kind[1],
                    polarity=kind[2],
                    period_type="calendar_year",
                    source="Synthetic",
                    next_update_due=date(2026, 6, 1),
                    baseline_period=periods[len(periods) // 2],
                    order=n,
                )
            )
        Measure.objects.bulk_create(measures)
        Target.objects.bulk_create(
            [
                Target(
                    measure=m,
                    place=None,
                    value=KINDS[i % len(KINDS)][3] * (1.05 if m.polarity == "higher" else 0.95),
                    target_date=date(2030, 12, 31),
                )
                for i, m in enumerate(measures)
                if i % 4 == 0
            ]
        )

    now = timezone.now()
    columns = (
        "measure_id, place_id, period_id, value, lower_ci, upper_ci, note, source, state, "
        "version, entered_at, updated_at, published_at"
    )
    raw = connection.connection  # psycopg2: COPY is ten times faster than INSERT here
    total = 0
    with raw.cursor() as cursor:
        buffer = io.StringIO()
        for m_index, measure in enumerate(measures):
            kind = KINDS[m_index % len(KINDS)]
            for area in all_areas:
                level = kind[3] + rng.uniform(-kind[4], kind[4])
                for period in periods:
                    level += rng.uniform(-kind[4] / 10, kind[4] / 10)
                    published = (now - timedelta(days=rng.randint(1, 900))).isoformat()
                    if rng.random() < 0.005:
                        value = low = high = ""
                    else:
                        half = kind[5] * rng.uniform(0.6, 1.4)
                        value = f"{level:.3f}"
                        low, high = f"{level - half:.3f}", f"{level + half:.3f}"
                    buffer.write(
                        f'{measure.pk},{area.pk},{period.pk},{value},{low},{high},"","",'
                        f"published,1,{published},{published},{published}\n"
                    )
                    total += 1
            if m_index % 10 == 9 or m_index == len(measures) - 1:
                buffer.seek(0)
                cursor.copy_expert(
                    f"COPY outcomes_value ({columns}) FROM STDIN WITH (FORMAT csv)", buffer
                )
                buffer = io.StringIO()
        cursor.execute("ANALYZE")
    raw.commit()
    print(
        f"Built {len(all_areas)} areas x {len(measures)} measures x {len(periods)} periods = "
        f"{total:,} published values in {time.perf_counter() - started:.0f} s.",
        flush=True,
    )
    return total


# -------------------------------------------------------------------------------------------------
# Measuring
# -------------------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class QueryCounter:
    """Counts the SQL statements run (a database execute wrapper)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(client, url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed * 1000, content


def measure_pages(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import re_path, reverse
    from django.views.static import serve

    from dashboards import caching
    from outcomes.models import Measure, Outcome, Value
    from places.models import Place

    place = Place.objects.places().first()
    outcome = Outcome.objects.first()
    measure = Measure.objects.filter(targets__isnull=False).first()
    pages = {
        "overview (home)": reverse("home"),
        "outcome": reverse("outcomes:outcome", args=[outcome.slug]),
        "outcome, one place": reverse("outcomes:outcome", args=[outcome.slug])
        + f"?place={place.slug}",
        "place": reverse("places:detail", args=[place.slug]),
        "measure": reverse("outcomes:measure", args=[measure.slug]),
        "measure CSV": reverse("outcomes:measure-download", args=[measure.slug, "csv"]),
        "place XLSX": reverse("places:download", args=[place.slug, "xlsx"]),
    }
    from dashboards.selectors.cells import publication_stamp  # after django.setup()

    count = Value.objects.count()
    stamp_times = []
    for _ in range(5):
        started = time.perf_counter()
        stamp = publication_stamp()
        stamp_times.append((time.perf_counter() - started) * 1000)
    print(
        f"\n{Place.objects.count()} areas ({Place.objects.places().count()} places of the "
        f"partnership), {Measure.objects.count()} measures, {count:,} values.\n"
        f"The publication stamp (latest published_at and count, one aggregate over every "
        f"published value) takes {statistics.median(stamp_times):.0f} ms (median of 5); a "
        f"process reads it at most once every {settings.PUBLIC_STAMP_SECONDS} s.\n"
        f"Times in ms, median / 95th percentile, through the whole Django stack in process:\n"
        f"  rebuilt: the page is not in the cache (as after a publication; the stamp is known),"
        f" {args.runs} requests;\n"
        f"  cached: served from the cache, {args.cached_runs} requests;\n"
        f"  304: a browser revalidating its copy (If-None-Match), {args.cached_runs} requests;\n"
        f"  static file: the same bytes from a file by Django's static file view, "
        f"{args.cached_runs} requests.\n",
        flush=True,
    )
    header = (
        f"{'page':<20} {'queries':>7} {'KB':>6}  {'rebuilt':>15}  {'cached':>13}  "
        f"{'304':>13}  {'static file':>13}  {'rebuilt/static':>14}  {'cached/static':>13}"
    )
    print(header)
    print("-" * len(header))
    client = Client()
    with tempfile.TemporaryDirectory() as folder:

        class StaticCopyUrls:
            """The same page's bytes, served by Django's static file view."""

            urlpatterns = [re_path(r"^static-copy/(?P<path>.*)$", serve, {"document_root": folder})]

        def forget_pages():
            cache.clear()
            cache.set(caching.STAMP_KEY, stamp, 3600)

        for name, url in pages.items():
            cache.clear()
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                _, content = timed(client, url)
            rebuilt = []
            for _ in range(args.runs):
                forget_pages()
                rebuilt.append(timed(client, url)[0])
            etag = client.get(url)["ETag"]
            cached = [timed(client, url)[0] for _ in range(args.cached_runs)]
            revalidated = []
            for _ in range(args.cached_runs):
                started = time.perf_counter()
                response = client.get(url, HTTP_IF_NONE_MATCH=etag)
                revalidated.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 304, response.status_code

            path = Path(folder) / f"page-{len(os.listdir(folder))}.html"
            path.write_bytes(content)
            with override_settings(ROOT_URLCONF=StaticCopyUrls):
                static_url = f"/static-copy/{path.name}"
                static = [timed(client, static_url)[0] for _ in range(args.cached_runs)]

            r = statistics.median(rebuilt)
            c = statistics.median(cached)
            v = statistics.median(revalidated)
            s = statistics.median(static)
            print(
                f"{name:<20} {counter.count:>7} {len(content) / 1024:>6.0f}  "
                f"{r:>7.1f} / {percentile(rebuilt, 0.95):>5.1f}  "
                f"{c:>5.2f} / {percentile(cached, 0.95):>5.2f}  "
                f"{v:>5.2f} / {percentile(revalidated, 0.95):>5.2f}  "
                f"{s:>5.2f} / {percentile(static, 0.95):>5.2f}  "
                f"{r / s:>13.0f}x  {c / s:>12.1f}x",
                flush=True,
            )


def main() -> None:
    args = parse_args()
    ensure_database(args.database_url)
    setup_django(args.database_url)
    from outcomes.models import Value

    expected = args.areas * args.measures * args.periods
    if not args.reuse or Value.objects.count() != expected:
        build(args)
    measure_pages(args)


if __name__ == "__main__":
    main()
