#!/usr/bin/env python
"""Load test: public pages and officers' saves together against gunicorn, for a fixed time.

Self-contained, loopback only and bounded in time. It starts a PostgreSQL of its own (a temporary
folder; the machine's shared server is not touched), loads the demo, and serves the app with
gunicorn and production settings (whitenoise, public page cache) on 127.0.0.1. Then:

  1. Mixed load (--seconds): --users virtual users, --savers of them signed in and saving values
     one after another (GET the form, POST it, expect the redirect that acknowledges the save),
     the rest reading public pages found by following links from the home page.
  2. Cached page against a static file (--rounds x --compare-seconds each, alternating): one
     public page, then a static file of exactly the same size served by the same gunicorn and
     whitenoise, with wrk when installed (apt-get install wrk), else the Python client.
  3. Every acknowledged save is looked up in the database.

It prints throughput, p50/p95 latency and errors for each part, and exits 0 only with no errors,
no lost saves and the cached page at half the static file's throughput or better.

    .venv/bin/python scripts/load_test.py [--seconds 30] [--users 16] [--savers 4]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import psycopg2
from _harness import Gunicorn, Postgres, app_env, finish, free_port, log, manage, port_is_free

PASSWORD = "demo-pass-2030"
HEADERS = {"Accept-Encoding": "identity"}  # the same bytes on the wire for pages and files
SKIP = re.compile(r"^/(static/|admin/|accounts/|manage/|officer/|healthz)|logout|\.(csv|xlsx)$")


# --- what gets measured -----------------------------------------------------------------------


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def record(self, kind: str, started: float, error: str | None = None) -> None:
        self.latencies[kind].append(time.perf_counter() - started)
        if error:
            self.errors[kind].append(error)

    def report(self, title: str, seconds: float) -> dict[str, float]:
        print(f"\n{title} ({seconds:.0f} s)")
        print(f"  {'request':<22}{'count':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
        rates = {}
        total = sum(len(v) for v in self.latencies.values())
        for kind, values in sorted(self.latencies.items()):
            ordered = sorted(values)
            p50 = ordered[int(0.50 * (len(ordered) - 1))] * 1000
            p95 = ordered[int(0.95 * (len(ordered) - 1))] * 1000
            rates[kind] = len(values) / seconds
            print(
                f"  {kind:<22}{len(values):>8}{rates[kind]:>9.1f}{p50:>9.1f}{p95:>9.1f}"
                f"{len(self.errors[kind]):>8}"
            )
        errors = sum(len(v) for v in self.errors.values())
        print(f"  {'all':<22}{total:>8}{total / seconds:>9.1f}{'':>18}{errors:>8}")
        for kind, messages in self.errors.items():
            for message in sorted(set(messages))[:5]:
                print(f"    error in {kind}: {message}")
        return rates

    @property
    def error_count(self) -> int:
        return sum(len(v) for v in self.errors.values())


# --- the officer's save: one place to switch to the officers' own form ------------------------


class FormFields(HTMLParser):
    """The fields a browser would submit from the form whose id is `form_id`."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "checkbox", "file"):
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
            self.fields[a["name"]] = a.get("value") or "on"
        elif tag == "select":
            self._select = a["name"]
            self.fields.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


class AdminValueSave:
    """An authenticated save with CSRF: the Django admin's change form for a Value, as an admin.
    A save is acknowledged by the redirect to the list of values. To load the officers' own form
    instead, write a class with the same three methods."""

    def __init__(self, admin_path: str = "admin/"):
        self.admin_path = admin_path

    async def sign_in(self, client: httpx.AsyncClient) -> None:
        login = f"/{self.admin_path}login/"
        page = await client.get(login)
        response = await client.post(
            login,
            data={
                "username": "admin",
                "password": PASSWORD,
                "csrfmiddlewaretoken": client.cookies["csrftoken"],
            },
            headers={"Referer": str(page.url)},
        )
        if response.status_code != 302:
            raise RuntimeError(f"sign-in failed with {response.status_code}")

    async def save(self, client: httpx.AsyncClient, stats: Stats, value_id: int, note: str) -> bool:
        url = f"/{self.admin_path}outcomes/value/{value_id}/change/"
        started = time.perf_counter()
        form = await client.get(url)
        if form.status_code != 200:
            stats.record("save: open form", started, f"status {form.status_code}")
            return False
        stats.record("save: open form", started)
        parser = FormFields("value_form")
        parser.feed(form.text)
        data = {**parser.fields, "note": note, "_save": "Save"}
        started = time.perf_counter()
        response = await client.post(url, data=data, headers={"Referer": str(form.url)})
        acknowledged = response.status_code == 302 and response.headers["location"].endswith(
            f"/{self.admin_path}outcomes/value/"
        )
        stats.record("save: submit", started, None if acknowledged else _why(response))
        return acknowledged


def _why(response: httpx.Response) -> str:
    errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
    return f"status {response.status_code} {' '.join(errors)[:200]}"


# --- the run ----------------------------------------------------------------------------------


async def discover(base: str, limit: int) -> dict[str, int]:
    """Public pages reachable from the home page (one per distinct URL), with their sizes."""
    found: dict[str, int] = {}
    queue = ["/"]
    async with httpx.AsyncClient(base_url=base, headers=HEADERS, timeout=30) as client:
        while queue and len(found) < limit:
            path = queue.pop(0)
            if path in found:
                continue
            response = await client.get(path)
            if response.status_code != 200 or "text/html" not in response.headers.get(
                "content-type", ""
            ):
                continue
            found[path] = len(response.content)
            for href in re.findall(r'href="([^"#]+)"', response.text):
                url = urlsplit(urljoin(base + path, href.replace("&amp;", "&")))
                if url.netloc != urlsplit(base).netloc or SKIP.search(url.path):
                    continue
                link = url.path + (f"?{url.query}" if url.query else "")
                if link not in found and link not in queue:
                    queue.append(link)
    return found


async def reader(base: str, pages: list[str], deadline: float, stats: Stats, kind: str) -> None:
    async with httpx.AsyncClient(base_url=base, headers=HEADERS, timeout=30) as client:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                response = await client.get(random.choice(pages))
                error = None if response.status_code == 200 else f"status {response.status_code}"
            except httpx.HTTPError as exc:
                error = type(exc).__name__
            stats.record(kind, started, error)


async def saver(
    base: str, step: AdminValueSave, rows: list[int], deadline: float, stats: Stats,
    acknowledged: dict[int, str], counts: dict[int, int], name: str,
) -> None:  # fmt: skip
    async with httpx.AsyncClient(base_url=base, headers=HEADERS, timeout=30) as client:
        await step.sign_in(client)
        n = 0
        while time.monotonic() < deadline:
            value_id = rows[n % len(rows)]
            note = f"load test {name} save {n}"
            try:
                if await step.save(client, stats, value_id, note):
                    acknowledged[value_id] = note  # this saver alone writes this row
                    counts[value_id] = counts.get(value_id, 0) + 1
            except httpx.HTTPError as exc:
                stats.record("save: submit", time.perf_counter(), type(exc).__name__)
            n += 1


async def warm(base: str, paths: list[str], workers: int) -> None:
    """Fill every worker's cache (each gunicorn worker has its own)."""
    async with httpx.AsyncClient(base_url=base, headers=HEADERS, timeout=30) as client:
        for _ in range(workers * 4):
            await asyncio.gather(*(client.get(p) for p in paths))


Rate = tuple[float, float, float, int]  # req/s, p50 ms, p99 ms, errors


def wrk(url: str, seconds: float, connections: int, paths: list[str] | None = None) -> Rate:
    """Requests for `seconds` with wrk (Debian's C load generator): req/s, p50 and p99 in ms, and
    errors (connection errors, timeouts past 10 s, non-2xx/3xx answers). With `paths`, each
    request takes one at random (a Lua script). Used for throughput when installed: the Python
    client costs more CPU per request than the server's cached path, on the same 2 cores."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
               "--timeout", "10s", "-H", "Accept-Encoding: identity"]  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if paths:
            quoted = ", ".join(f'"{p}"' for p in paths)
            script.write(
                f"local paths = {{{quoted}}}\n"
                "request = function()\n"
                "  return wrk.format(nil, paths[math.random(#paths)])\n"
                "end\n"
            )
            script.flush()
            command += ["-s", script.name]
        out = subprocess.run(
            [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout

    def ms(label: str) -> float:
        number, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    socket_errors = re.search(r"Socket errors:.*", out)
    if socket_errors:
        print(f"    wrk: {socket_errors.group(0)}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, ms("50%"), ms("99%"), errors + (int(bad.group(1)) if bad else 0)


def python_rate(base: str, path: str, seconds: float, users: int) -> Rate:
    """The same measure as `wrk`, with this script's own client."""
    stats = Stats()

    async def run():
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(reader(base, [path], deadline, stats, path) for _ in range(users)))

    started = time.monotonic()
    asyncio.run(run())
    elapsed = time.monotonic() - started
    ordered = sorted(stats.latencies[path])
    p50 = ordered[int(0.50 * (len(ordered) - 1))] * 1000
    p99 = ordered[int(0.99 * (len(ordered) - 1))] * 1000
    return len(ordered) / elapsed, p50, p99, stats.error_count


async def _collect(awaitable, into: list) -> None:
    into.append(await awaitable)


def value_rows(dsn: str, count: int) -> list[int]:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM outcomes_value WHERE state = 'published' ORDER BY id LIMIT %s", [count]
        )
        return [row[0] for row in cursor.fetchall()]


def check_saves(dsn: str, acknowledged: dict[int, str], counts: dict[int, int]) -> int:
    """How many acknowledged saves are missing: the row must hold the last acknowledged note, and
    the admin's change history must have one entry per acknowledged save."""
    lost = 0
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        for value_id, note in acknowledged.items():
            cursor.execute("SELECT note FROM outcomes_value WHERE id = %s", [value_id])
            if cursor.fetchone()[0] != note:
                lost += 1
            cursor.execute(
                "SELECT count(*) FROM django_admin_log l JOIN django_content_type c "
                "ON c.id = l.content_type_id WHERE c.app_label = 'outcomes' "
                "AND c.model = 'value' AND l.object_id = %s AND l.action_flag = 2",
                [str(value_id)],
            )
            lost += max(0, counts[value_id] - cursor.fetchone()[0])
    return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30, help="length of the mixed load")
    parser.add_argument("--compare-seconds", type=float, default=10)
    parser.add_argument("--users", type=int, default=16, help="concurrent virtual users")
    parser.add_argument("--savers", type=int, default=4, help="of which signed in and saving")
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)"
    )
    parser.add_argument(
        "--threads", type=int, help="threads per worker (default: gunicorn.conf.py's)"
    )
    parser.add_argument("--pages", type=int, default=40, help="public pages to find and read")
    parser.add_argument("--compare-path", default="/", help="the cached page to compare")
    parser.add_argument("--app-port", type=int, default=8109)
    parser.add_argument("--pg-port", type=int, default=5498)
    parser.add_argument("--rounds", type=int, default=3, help="comparison rounds (median)")
    parser.add_argument(
        "--no-wrk", action="store_true", help="compare with the Python client even if wrk is here"
    )
    args = parser.parse_args()
    app_port = args.app_port if args.app_port and port_is_free(args.app_port) else free_port()
    pg = Postgres(args.pg_port if args.pg_port and port_is_free(args.pg_port) else free_port())
    work = Path(tempfile.mkdtemp(prefix="st-prod-load-"))
    app = None
    passed = False
    try:
        log(f"PostgreSQL of our own on port {pg.port}; migrate, seed the demo, collectstatic")
        pg.init()
        pg.start()
        pg.createdb("tracker")
        dsn = pg.url("tracker")
        static_root = work / "static"
        env = app_env(dsn, static_root, PUBLIC_CACHE_SECONDS="300")
        if args.threads:
            env["GUNICORN_THREADS"] = str(args.threads)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--noinput")

        # Find the public pages, then give whitenoise a static file of the compared page's size
        # (it indexes STATIC_ROOT when it starts, so gunicorn starts again afterwards).
        app = Gunicorn(env, app_port, 1, work / "discover.log")
        app.wait_ready()
        pages = asyncio.run(discover(app.base, args.pages))
        app.stop()
        if args.compare_path not in pages:
            raise SystemExit(f"{args.compare_path} is not a public page: {sorted(pages)}")
        size = pages[args.compare_path]
        static_name = f"load-test-{size}.html"
        (static_root / static_name).write_bytes(b"<!DOCTYPE html>" + b"x" * (size - 15))
        log(f"{len(pages)} public pages; {args.compare_path} is {size:,} bytes")

        app = Gunicorn(env, app_port, args.workers, work / "gunicorn.log")
        app.wait_ready()
        log(f"gunicorn on {app.base}: {app.describe()}; warming the page caches")
        asyncio.run(warm(app.base, list(pages), len(app.worker_pids())))

        step = AdminValueSave()
        rows = value_rows(dsn, args.savers * 25)
        acknowledged: dict[int, str] = {}
        counts: dict[int, int] = {}
        mixed = Stats()

        use_wrk = bool(shutil.which("wrk")) and not args.no_wrk
        readers = args.users - args.savers
        public: list[Rate] = []

        async def mixed_load():
            deadline = time.monotonic() + args.seconds
            tasks = [
                saver(app.base, step, rows[i::args.savers], deadline, mixed, acknowledged,
                      counts, f"officer{i}")
                for i in range(args.savers)
            ]  # fmt: skip
            if use_wrk:  # the public readers, from wrk at the same time
                run = asyncio.to_thread(wrk, app.base, args.seconds, readers, list(pages))
                tasks.append(_collect(run, public))
            else:
                tasks += [
                    reader(app.base, list(pages), deadline, mixed, "public page")
                    for _ in range(readers)
                ]
            await asyncio.gather(*tasks)

        log(
            f"mixed load for {args.seconds:.0f} s: {readers} connections reading public pages "
            f"({'wrk' if use_wrk else 'Python client'}), {args.savers} officers saving"
        )
        started = time.monotonic()
        asyncio.run(mixed_load())
        elapsed = time.monotonic() - started
        mixed.report("Mixed load: officers' saves (Python client, signed in)", elapsed)
        if public:
            rate, p50, p99, errors = public[0]
            mixed.errors["public page (wrk)"].extend(["error"] * errors)
            print(f"  {'public pages (wrk)':<22}{int(rate * args.seconds):>8}{rate:>9.1f}"
                  f"{p50:>9.1f}{p99:>9.1f}{errors:>8}   (p99, not p95: wrk's figures)")  # fmt: skip

        static_path = f"/static/{static_name}"
        tool = "wrk" if use_wrk else "the Python client (which may be the bottleneck)"
        print(
            f"\nCached page {args.compare_path} against a static file of {size:,} bytes, "
            f"{args.users} connections, with {tool}; {args.rounds} alternating rounds of "
            f"{args.compare_seconds:.0f} s each, medians"
        )
        print(f"  {'request':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
        rounds: dict[str, list[Rate]] = defaultdict(list)
        measure = wrk if use_wrk else functools.partial(python_rate, app.base)
        for _ in range(args.rounds):  # alternate, so that a busy moment hits both alike
            for label, path in (("cached page", args.compare_path), ("static file", static_path)):
                url = app.base + path if use_wrk else path
                rounds[label].append(measure(url, args.compare_seconds, args.users))
        rates = {}
        for label, results in rounds.items():
            rate, p50, p99 = (statistics.median(r[i] for r in results) for i in range(3))
            errors = sum(r[3] for r in results)
            mixed.errors[label].extend(["error"] * errors)
            rates[label] = rate
            print(f"  {label:<28}{rate:>9.1f}{p50:>9.1f}{p99:>9.1f}{errors:>8}")
            print(f"    (each round: {', '.join(f'{r[0]:.0f}' for r in results)} req/s)")

        lost = check_saves(dsn, acknowledged, counts)
        saves = sum(counts.values())
        ratio = rates["cached page"] / rates["static file"]
        print(f"\nAcknowledged saves: {saves}; found in the database: {saves - lost}; lost: {lost}")
        print(
            f"Cached page / static file: {rates['cached page']:.0f} / "
            f"{rates['static file']:.0f} req/s = {ratio:.2f}"
        )
        checks = {
            "0 errors": mixed.error_count == 0,
            "0 lost saves": lost == 0 and saves > 0,
            "cached page at >= 0.5 x the static file's throughput": ratio >= 0.5,
        }
        for name, ok in checks.items():
            print(f"{'PASS' if ok else 'FAIL'}  {name}")
        passed = all(checks.values())
        return 0 if passed else 1
    finally:
        if app:
            app.stop()
        pg.cleanup()
        finish(work, passed)


if __name__ == "__main__":
    sys.exit(main())
