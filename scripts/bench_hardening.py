#!/usr/bin/env python
"""Measure issue 14's hardening (a script that prints figures, not a test): the hostile
spreadsheets of finding 1 and the all-values API downloads of finding 3, after the fix.

Each case runs in a fresh Python process that reports its wall time and its peak resident memory
(ru_maxrss) beside its memory before the work began (Django and the app imported), so the
difference is what the case itself cost. The spreadsheets are built here, as the attacker built
them. The downloads run against a database of its own (name must contain "bench"), filled by
``benchmark_pages.build`` with synthetic areas and measures (53 x 200 x 20 = 212,000 published
values, about the 211,209 of the finding).

    .venv/bin/python scripts/bench_hardening.py [--database-url postgres://.../st_h14_bench]
    .venv/bin/python scripts/bench_hardening.py --reuse      # keep the data already built
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

HEADER = ["area_code", "indicator", "period", "value"]
SHEET = "xl/worksheets/sheet1.xml"
CSV_HEADER = b"area_code,indicator,period,value\n"
BEFORE = {  # what the finding measured before the fix (issue 14)
    "xlsx: declares A1:XFD1048576, one row at the last line": "2.7 GB, 31 s, then a 500",
    "xlsx: 1.7 MB zip, sheet inflates to 1.15 GB": "MemoryError after 98 s, a 500",
    "api: /api/v1/values.csv (212,000 values)": "1.6 GB, 47 s (211,209 values)",
    "api: /api/v1/values.xlsx (212,000 values)": "2.5 GB, 86 s (211,209 values)",
}


def workbook(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet(data: bytes, write_sheet, dimension: bytes = b"") -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != SHEET:
                target.writestr(item.filename, source.read(item.filename))
                continue
            head, tail = source.read(SHEET).split(b"</sheetData>")
            if dimension:
                head = head.replace(
                    b'<dimension ref="A1:D1"/>', b'<dimension ref="%s"/>' % dimension
                )
            with target.open(SHEET, "w", force_zip64=True) as sheet:
                sheet.write(head)  # the header row included
                write_sheet(sheet)
                sheet.write(b"</sheetData>" + tail)
    return out.getvalue()


def hostile_files() -> dict[str, tuple[str, bytes]]:
    base = workbook([HEADER])

    def dimension(sheet):
        sheet.write(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')

    def inflating(sheet):
        block = b" " * (1 << 20)
        for _ in range(1150):  # 1.15 GB of spaces between the rows
            sheet.write(block)

    def many_rows(sheet):
        for line in range(2, 1_048_577):
            sheet.write(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (line, line))

    def far_right(sheet):
        for line in range(2, 50_002):
            sheet.write(b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (line, line))

    dimension_bomb = with_sheet(base, dimension, dimension=b"A1:XFD1048576")
    return {
        "xlsx: declares A1:XFD1048576, one row at the last line": ("x.xlsx", dimension_bomb),
        "xlsx: 1.7 MB zip, sheet inflates to 1.15 GB": ("x.xlsx", with_sheet(base, inflating)),
        "xlsx: 1,048,576 rows of one cell": ("x.xlsx", with_sheet(base, many_rows)),
        "xlsx: 50,000 rows, a cell in column XFD": ("x.xlsx", with_sheet(base, far_right)),
        "csv: one 2 MB field": ("x.csv", b"area_code,indicator,period,value,note\n" + b"x" * 2**21),
        "csv: 2 MB of empty lines": (
            "x.csv",
            b"area_code,indicator,period,value\n" + b",\n" * 2**20,
        ),
    }


# --- the child process: one case, measured ----------------------------------------------------


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(case: str, path: str, url: str) -> None:
    import os

    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "strategy_tracker.settings"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-secret")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.test import Client

    from outcomes.importing import FileError, read_table

    Client()  # imports the middleware and the URLconf before the baseline
    import openpyxl  # noqa: F401

    import api.endpoints  # noqa: F401

    before = peak_mb()
    started = time.perf_counter()
    if case.startswith("api"):
        response = Client().get(path, secure=True)  # production settings redirect http
        size = sum(len(chunk) for chunk in response.streaming_content)
        outcome = f"{response.status_code}, {size / 2**20:,.1f} MB"
    else:
        data = Path(path).read_bytes()
        try:
            rows, _ = read_table(data, Path(path).name)
            outcome = f"read {len(rows)} rows"
        except FileError as exc:
            outcome = f"refused: {str(exc)[:70]}"
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "before": before, "peak": peak_mb(), "outcome": outcome}))


def run_case(case: str, path: str, url: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", case, path, "--database-url", url],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        return {"seconds": 0, "before": 0, "peak": 0, "outcome": result.stderr[-200:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/st_h14_bench")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "PATH"))
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.database_url)
        return

    import benchmark_pages

    benchmark_pages.ensure_database(args.database_url)
    benchmark_pages.setup_django(args.database_url)
    from outcomes.models import Value

    sizes = argparse.Namespace(areas=53, measures=200, periods=20, places=10)
    if not args.reuse or Value.objects.published().count() != 212_000:
        print("Building 212,000 published values ...", flush=True)
        benchmark_pages.build(sizes)
    count = Value.objects.published().count()

    work = Path(tempfile.mkdtemp(prefix="st-h14-bench-"))
    cases: list[tuple[str, str, int]] = []
    for name, (filename, data) in hostile_files().items():
        path = work / f"{len(cases)}-{filename}"
        path.write_bytes(data)
        cases.append((name, str(path), len(data)))
    cases.append((f"api: /api/v1/values.csv ({count:,} values)", "/api/v1/values.csv", 0))
    cases.append((f"api: /api/v1/values.xlsx ({count:,} values)", "/api/v1/values.xlsx", 0))

    print(f"\n{'case':56} {'file':>9} {'time':>8} {'memory':>9}  outcome")
    for name, path, size in cases:
        figures = run_case(name, path, args.database_url)
        extra = figures["peak"] - figures["before"]
        file_size = f"{size / 1024:,.0f} KB" if size else ""
        print(
            f"{name:56} {file_size:>9} {figures['seconds']:7.2f}s {extra:7.0f} MB  "
            f"{figures['outcome']}"
        )
        if name in BEFORE:
            print(f"{'':56} {'':>9} before the fix: {BEFORE[name]}")
    print(
        "\nmemory: the peak resident memory of the process above what it used before the case "
        "(Django and the app loaded)."
    )


if __name__ == "__main__":
    main()
