#!/usr/bin/env python
"""Restart PostgreSQL under a running app and show that it fails politely and recovers by itself.

Self-contained and bounded: starts a PostgreSQL cluster of its own in a temporary folder (never
the machine's shared server), loads the demo, serves the app with gunicorn and production
settings on loopback, then keeps requesting pages while it stops PostgreSQL for a few seconds and
starts it again. It checks that:

  * during the outage every page that needs the database answers 503 with the NHS.UK-styled
    "service unavailable" page (and /healthz a 503 JSON), never a 500 or a stack trace;
  * after PostgreSQL is back, every request succeeds again, without restarting gunicorn or its
    workers (same process ids): CONN_HEALTH_CHECKS drops the dead connections, none get stuck.

    .venv/bin/python scripts/db_restart_check.py [--seconds 5] [--pg-port 5499] [--app-port 8108]

Exit status 0 when every check passes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx
from _harness import (
    Gunicorn,
    Postgres,
    app_env,
    finish,
    free_port,
    log,
    manage,
    port_is_free,
)

UNAVAILABLE = "Sorry, the service is unavailable"
# Generous on purpose: on a loaded machine a request can take seconds, and a client timeout would
# read as a dropped connection. The database's own connect timeout (5 s) bounds the outage's.
REQUEST_TIMEOUT = 60
# Each phase lasts --seconds, and longer if needed until every probe has been requested at least
# this many times within it (at most PHASE_CAP seconds): on a slow machine a short phase could
# otherwise hold no request at all, and the check would depend on timing.
PER_PROBE = 2
PHASE_CAP = 120


@dataclass
class Result:
    at: float
    probe: str
    status: int | str  # an HTTP status, or the name of a connection error
    kind: str  # "ok", "503 page", "503 json", "traceback", or "other"


class Prober:
    """Requests each probe in turn, as fast as one client goes, until stopped."""

    def __init__(self, base: str, admin_cookies: httpx.Cookies, admin_path: str):
        self.probes = {
            "/healthz": (httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT), "/healthz"),
            "home page (public)": (httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT), "/"),
            "admin page (session in the database)": (
                httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT, cookies=admin_cookies),
                f"/{admin_path}outcomes/value/",
            ),
            "admin login page (no database)": (
                httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT),
                f"/{admin_path}login/",
            ),
        }
        self.results: list[Result] = []
        self.stopping = threading.Event()
        self.started = time.monotonic()

    def wait_phase(self, since: float, seconds: float) -> None:
        """Sleep ``seconds``, then until every probe has started PER_PROBE requests since
        ``since`` (seconds from the start), or PHASE_CAP has passed."""
        time.sleep(seconds)
        deadline = time.monotonic() + PHASE_CAP
        while time.monotonic() < deadline:
            started = Counter(r.probe for r in list(self.results) if r.at > since + 0.2)
            if all(started[name] >= PER_PROBE for name in self.probes):
                return
            time.sleep(0.1)

    def run(self) -> None:
        while not self.stopping.is_set():
            for name, (client, path) in self.probes.items():
                self.results.append(self._one(name, client, path))
            time.sleep(0.05)

    def _one(self, name: str, client: httpx.Client, path: str) -> Result:
        at = time.monotonic() - self.started
        try:
            response = client.get(path)
        except httpx.HTTPError as exc:
            return Result(at, name, type(exc).__name__, "other")
        body = response.text
        if "Traceback" in body or "OperationalError" in body:
            kind = "traceback"
        elif response.status_code == 503 and UNAVAILABLE in body:
            kind = "503 page"
        elif response.status_code == 503 and '"database": "unreachable"' in body:
            kind = "503 json"
        elif response.status_code == 200:
            kind = "ok"
        else:
            kind = "other"
        return Result(at, name, response.status_code, kind)


def admin_session(base: str, admin_path: str) -> httpx.Cookies:
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        page = client.get(f"/{admin_path}login/")
        token = client.cookies["csrftoken"]
        response = client.post(
            f"/{admin_path}login/",
            data={"username": "admin", "password": "demo-pass-2030", "csrfmiddlewaretoken": token},
            headers={"Referer": str(page.url)},
        )
        if response.status_code != 302:
            raise RuntimeError(f"admin login failed: {response.status_code}")
        return client.cookies


def summarise(results: list[Result], label: str) -> Counter:
    counts = Counter((r.probe, r.status, r.kind) for r in results)
    print(f"\n{label}: {len(results)} requests")
    for (probe, status, kind), n in sorted(counts.items(), key=str):
        print(f"  {probe:40} {status!s:>5} {kind:10} x{n}")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="length of each phase")
    parser.add_argument("--pg-port", type=int, default=5499)
    parser.add_argument("--app-port", type=int, default=8108)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    pg_port = args.pg_port if args.pg_port and port_is_free(args.pg_port) else free_port()
    app_port = args.app_port if args.app_port and port_is_free(args.app_port) else free_port()

    work = Path(tempfile.mkdtemp(prefix="st-prod-restart-"))
    pg = Postgres(pg_port)
    app = None
    passed = False
    prober = None
    try:
        log(f"PostgreSQL of our own in {pg.folder}, port {pg_port}")
        pg.init()
        pg.start()
        pg.createdb("tracker")
        env = app_env(pg.url("tracker"), work / "static", PUBLIC_CACHE_SECONDS="0")
        log("migrate, seed the demo, collectstatic")
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--noinput")
        app = Gunicorn(env, app_port, args.workers, work / "gunicorn.log")
        app.wait_ready()
        admin_path = "admin/"
        master, workers = app.process.pid, app.worker_pids()
        log(f"gunicorn on 127.0.0.1:{app_port}: master {master}, workers {sorted(workers)}")

        prober = Prober(app.base, admin_session(app.base, admin_path), admin_path)
        thread = threading.Thread(target=prober.run, daemon=True)
        thread.start()

        prober.wait_phase(0, args.seconds)
        log("stopping PostgreSQL (pg_ctl stop -m fast)")
        stopping = time.monotonic() - prober.started
        pg.stop()
        down_from = time.monotonic() - prober.started
        prober.wait_phase(down_from, args.seconds)
        down_to = time.monotonic() - prober.started
        log("starting PostgreSQL again")
        pg.start()
        up_again = time.monotonic() - prober.started
        prober.wait_phase(up_again, args.seconds)
        prober.stopping.set()
        thread.join(timeout=REQUEST_TIMEOUT * len(prober.probes))

        results = prober.results
        before = [r for r in results if r.at < stopping - 0.2]
        during = [r for r in results if down_from + 0.2 < r.at < down_to]
        after = [r for r in results if r.at > up_again]
        summarise(before, "Before the restart")
        summarise(during, "While PostgreSQL is down")
        summarise(after, "After PostgreSQL is back")
        needs_db = [
            r for r in during if r.probe in ("/healthz", "admin page (session in the database)")
        ]
        public = [r for r in during if r.probe == "home page (public)"]
        first_ok = min(
            (r.at for r in after if r.kind == "ok" and r.probe.startswith("admin page")),
            default=None,
        )

        checks = {
            "all requests succeeded before the restart": all(r.kind == "ok" for r in before),
            "no 500, stack trace or dropped connection at any time": all(
                r.kind != "traceback" and r.status != 500 and isinstance(r.status, int)
                for r in results
            ),
            "during the outage, pages needing the database gave the 503 page or 503 JSON": bool(
                needs_db
            )
            and all(r.kind in ("503 page", "503 json") for r in needs_db),
            "during the outage, the home page gave the 503 page (or a cached copy)": all(
                r.kind in ("503 page", "ok") for r in public
            ),
            "after PostgreSQL came back, every request succeeded": bool(after)
            and all(r.kind == "ok" for r in after),
            "gunicorn was not restarted (same master and worker pids)": (
                app.process.poll() is None and app.worker_pids() == workers
            ),
        }
        print()
        if first_ok is not None:
            print(f"First success after PostgreSQL started: {first_ok - up_again:.2f} s")
        for name, ok in checks.items():
            print(f"{'PASS' if ok else 'FAIL'}  {name}")
        passed = all(checks.values())
        return 0 if passed else 1
    finally:
        if prober:
            prober.stopping.set()
        if app:
            app.stop()
        pg.cleanup()
        finish(work, passed)


if __name__ == "__main__":
    sys.exit(main())
