"""Benchmark the engagement results page at 100,000 responses.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/st_bench_engage \\
        python scripts/benchmark_engagement.py [--responses 100000] [--requests 30] [--rebuild]

Uses its own database (st_bench_engage by default; created if missing, never the one you work
in): migrates it, loads the demo reference data, and inserts the responses with PostgreSQL COPY
(seeded, so every run builds the same data). It checks the page's figures against counts the
generator kept itself, then prints the results page's time (median and 95th percentile over
--requests requests through Django's test client, after warm-up) and its query count.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/st_bench_engage"
SLUG = "benchmark-results-page"


def ensure_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
        password=parsed.password, dbname="postgres",
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}")
    admin.close()


def build(n: int, seed: int):
    """The benchmark exercise with n generated responses, inserted with COPY. Returns the
    generator's own counts, to check the page against."""
    from django.db import connection, transaction

    from engagement.models import Exercise, Issue, IssuePick, Priority, Ranking, Response
    from engagement.services import DEMO_ISSUES
    from outcomes.models import Outcome
    from places.models import Place

    rng = random.Random(seed)
    with transaction.atomic():
        exercise = Exercise.objects.filter(slug=SLUG).first()
        if exercise:  # a rebuild: remove the old responses in SQL (the ORM would load them)
            with connection.cursor() as cursor:
                for table in (Ranking, IssuePick):
                    cursor.execute(
                        f"DELETE FROM {table._meta.db_table} WHERE response_id IN "
                        f"(SELECT id FROM {Response._meta.db_table} WHERE exercise_id = %s)",
                        [exercise.pk],
                    )
                cursor.execute(
                    f"DELETE FROM {Response._meta.db_table} WHERE exercise_id = %s", [exercise.pk]
                )
            exercise.delete()
        exercise = Exercise.objects.create(
            title="Benchmark: 100,000 responses",
            slug=SLUG,
            introduction="Generated for the benchmark.",
            opens_on="2026-01-01",
            closes_on="2026-12-31",
            is_published=True,
            is_demo=True,
        )
        priorities = []
        for order, outcome in enumerate(Outcome.objects.order_by("order"), start=1):
            priority = Priority.objects.create(
                exercise=exercise, title=outcome.title, order=order, outcome=outcome
            )
            for i, title in enumerate(DEMO_ISSUES.get(outcome.slug, []), start=1):
                Issue.objects.create(priority=priority, title=title, order=i)
            priorities.append(priority)
        issues = {p.pk: list(p.issues.values_list("pk", flat=True)) for p in priorities}
        places = list(Place.objects.places().values_list("pk", flat=True))
        weights = [1.6, 2.4, 0.9, 1.9][: len(priorities)] + [1.0] * max(0, len(priorities) - 4)

        def next_id(model) -> int:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
                return cursor.fetchone()[0]

        response_id, ranking_id, pick_id = next_id(Response), next_id(Ranking), next_id(IssuePick)
        expected = {
            "rank_sum": Counter(),
            "first": Counter(),
            "picks": Counter(),
            "place": Counter(),
        }
        responses, rankings, picks = io.StringIO(), io.StringIO(), io.StringIO()
        for i in range(n):
            rid = response_id + i
            roll = rng.random()
            place = rng.choice(places) if roll < 0.85 else None
            elsewhere = place is None and roll < 0.93
            quote = i % 100 == 0
            text = f"Generated comment {i}" if quote else ""
            responses.write(
                f"{rid}\t{exercise.pk}\t2026-06-01 12:00:00+00\t{place or '\\N'}\t"
                f"{'t' if elsewhere else 'f'}\t{text}\t{'published' if quote else 'none'}\t"
                f"{text}\t{'2026-06-02 12:00:00+00' if quote else '\\N'}\t\\N\t\t\t\\N\t\tt\n"
            )
            expected["place"][place] += 1
            remaining = list(zip(priorities, weights, strict=True))
            for rank in range(1, len(priorities) + 1):
                chosen = rng.choices(range(len(remaining)), [w for _, w in remaining])[0]
                priority, _ = remaining.pop(chosen)
                rankings.write(f"{ranking_id}\t{rid}\t{priority.pk}\t{rank}\n")
                ranking_id += 1
                expected["rank_sum"][priority.pk] += rank
                if rank == 1:
                    expected["first"][priority.pk] += 1
            for priority in priorities:
                for issue in rng.sample(issues[priority.pk], k=rng.choice([0, 1, 1, 2])):
                    picks.write(f"{pick_id}\t{rid}\t{issue}\n")
                    pick_id += 1
                    expected["picks"][issue] += 1
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for buffer, model, columns in [
                (
                    responses,
                    Response,
                    "id, exercise_id, submitted_at, place_id, lives_elsewhere, free_text, "
                    "moderation, quote, moderated_at, moderated_by_id, contact_name, "
                    "contact_email, contact_consented_at, deletion_token_hash, is_demo",
                ),
                (rankings, Ranking, "id, response_id, priority_id, rank"),
                (picks, IssuePick, "id, response_id, issue_id"),
            ]:
                buffer.seek(0)
                table = model._meta.db_table
                raw.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
    # As autovacuum would soon after a bulk load: statistics, and the visibility map that lets
    # the (priority, rank) index answer the ranking counts without reading the table.
    with connection.cursor() as cursor:
        for model in (Exercise, Priority, Issue, Response, Ranking, IssuePick):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return exercise, expected


def add_themes(exercise) -> None:
    """Three "you said, we did" themes, as the demo has, so the page shows them too."""
    from engagement.models import FeedbackTheme
    from engagement.services import DEMO_THEMES
    from outcomes.models import Measure, Outcome

    for spec in DEMO_THEMES:
        theme, _ = FeedbackTheme.objects.get_or_create(
            exercise=exercise,
            title=spec["title"],
            defaults={"you_said": spec["you_said"], "we_did": spec["we_did"], "is_demo": True},
        )
        theme.outcomes.set(Outcome.objects.filter(slug__in=spec["outcomes"]))
        theme.measures.set(Measure.objects.filter(slug__in=spec["measures"]))


def check(exercise, expected, n: int) -> None:
    from engagement.results import exercise_results

    results = exercise_results(exercise)
    assert results.total_responses == n, results.total_responses
    for row in results.priorities:
        pk = row.priority.pk
        assert row.rank_sum == expected["rank_sum"][pk], (row.priority, row.rank_sum)
        assert row.first_choices == expected["first"][pk]
        assert row.borda == n * (len(results.priorities) + 1) - expected["rank_sum"][pk]
    for row in results.issues:
        assert row.picks == expected["picks"][row.issue.pk], row.issue
    counts = {c.place.pk: c.responses for c in results.by_place if c.place}
    for place, count in expected["place"].items():
        if place is not None:
            assert counts[place] == count
    print(
        f"Checked: {n:,} responses; mean rank, Borda points, first choices, issue picks and "
        "place counts equal the generator's own counts."
    )


def time_page(path: str, requests: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test import Client

    client = Client()
    for _ in range(3):
        assert client.get(path).status_code == 200
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return timings, len(queries)


def summary(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, "
        f"min {ordered[0]:.1f} ms, max {ordered[-1]:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild", action="store_true", help="insert the responses again")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    if urlparse(url).path.lstrip("/") in {"strategy_tracker", "st_engage"}:
        sys.exit("Refusing to benchmark in a working database; use its own (st_bench_engage).")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ["DJANGO_DEBUG"] = "false"
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    from engagement.models import Exercise, Response

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    exercise = Exercise.objects.filter(slug=SLUG).first()
    have = Response.objects.filter(exercise=exercise).count() if exercise else 0
    if args.rebuild or have != args.responses:
        start = time.perf_counter()
        exercise, expected = build(args.responses, args.seed)
        took = time.perf_counter() - start
        print(f"Inserted {args.responses:,} responses with COPY in {took:.1f} s")
        check(exercise, expected, args.responses)
    else:
        print(f"Reusing {have:,} responses already in the benchmark database (--rebuild to redo)")

    add_themes(exercise)
    path = exercise.get_results_url()
    print(f"Results page, {args.requests} requests after warm-up (Django test client, DEBUG off):")
    for label, query in [("every place", ""), ("one place (Sheffield)", "?place=sheffield")]:
        timings, queries = time_page(path + query, args.requests)
        print(f"  {label}: {summary(timings)}; {queries} SQL queries per request")


if __name__ == "__main__":
    main()
