"""import_national against PostgreSQL COPY of the same rows, side by side in one run.

    DATABASE_URL=postgres://.../a_scratch_db DJANGO_DEBUG=true \\
        .venv/bin/python scripts/benchmark_national.py [../shared/data/national/indicators]

The database must be a scratch one: the script migrates it and empties the national tables.
It prints (1) import_national of every dataset into empty tables, (2) the same command again
(nothing changes), (3) PostgreSQL COPY of the same rows, already in COPY's CSV format, into an
unlogged table of the same columns (the floor: no checks, no merge, no ranks), and the ratios.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from national.models import Observation, Spread  # noqa: E402
from national.reading import dataset_files, read_rows  # noqa: E402


def _copy_rows(folder: Path) -> tuple[io.StringIO, int]:
    """Every row as COPY would take it (the same columns as the import's staging table)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    count = 0
    for dataset in dataset_files(folder):
        for line, row in read_rows(dataset.csv_path):
            writer.writerow(
                (
                    line,
                    row["areacd"],
                    row["indicator"],
                    row["geography"],
                    row["period"],
                    row["observation"],
                    row.get("lci_95", ""),
                    row.get("uci_95", ""),
                    row.get("status", ""),
                    row.get("notes", ""),
                )
            )
            count += 1
    buffer.seek(0)
    return buffer, count


def main() -> None:
    folder = Path(
        sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared/data/national/indicators"
    )
    call_command("migrate", verbosity=0)
    Spread.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE national_observation")

    started = time.perf_counter()
    call_command("import_national", str(folder), stdout=io.StringIO())
    first = time.perf_counter() - started
    rows = Observation.objects.count()

    started = time.perf_counter()
    call_command("import_national", str(folder), stdout=io.StringIO())
    second = time.perf_counter() - started

    buffer, read = _copy_rows(folder)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_national_copy")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_national_copy (line int, areacd text, indicator text, "
            "geography text, period text, observation text, lci text, uci text, status text, "
            "notes text)"
        )
        started = time.perf_counter()
        cursor.copy_expert("COPY bench_national_copy FROM STDIN WITH (FORMAT csv)", buffer)
        copy = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_national_copy")

    print(f"rows in the files:                      {read:,}")
    print(f"observations stored:                    {rows:,}")
    print(f"import_national, empty tables:          {first:8.1f} s  ({read / first:,.0f} rows/s)")
    print(f"import_national again (no change):      {second:8.1f} s")
    print(f"COPY of the same rows (unlogged table): {copy:8.1f} s  ({read / copy:,.0f} rows/s)")
    print(f"import / COPY:                          {first / copy:8.1f}x")
    print(f"load average at the end:                {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
