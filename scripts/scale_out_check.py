"""Scale-out check: two app servers on one Redis, a PostgreSQL primary with a streaming replica,
and PgBouncer (if installed), all of our own on loopback; five checks, each with its figures and
PASS or FAIL. Bounded in time (about two minutes here); removes everything it made when it passes.

    .venv/bin/python scripts/scale_out_check.py

What it starts: a PostgreSQL primary (the system's binaries under /usr/lib/postgresql/*/bin) and
a replica made from it with pg_basebackup, streaming; a Redis server of its own on a free port;
PgBouncer in transaction pooling mode in front of the primary when `pgbouncer` is on the PATH;
two gunicorn servers (A and B) with production settings, REDIS_URL, DATABASE_REPLICA_URLS and
TRUSTED_PROXIES=127.0.0.1 (the script plays the load balancer: each simulated client has an
X-Forwarded-For address).

The checks:
1. An approver publishes on A while the replica's replay is paused (a lagging replica); the new
   figure is on B's public page and API within PUBLIC_STAMP_SECONDS.
2. Mixed load (anonymous pages and API, signed-in officers, anonymous saves): the public reads go
   to the replica (counted with pg_stat_statements on each server).
3. The replica is stopped under load: public pages and API keep answering, 0 errors.
4. 100 simultaneous posts from one client, spread over A and B: exactly the limit accepted.
5. A is killed (SIGKILL, master and workers) under load: B keeps answering, and every save that
   was acknowledged (302) is in the database.
Then the figures for docs/deploying.md: throughput of one vs two app servers, the Redis hit ratio.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (  # noqa: E402
    Gunicorn,
    Postgres,
    app_env,
    free_port,
    log,
    manage,
)

TIMEOUT = 60  # seconds for one request (this machine's 2 cores are shared)
LIMIT = 20  # ENGAGEMENT_RESPONSES_PER_HOUR on both servers
STAMP_SECONDS = 5  # PUBLIC_STAMP_SECONDS on both servers
EXERCISE = "scale-check"
PASSWORD = "demo-pass-2030"
PG_OPTIONS = "-c shared_preload_libraries=pg_stat_statements -c timezone=UTC -c max_connections=60"

SETUP = """
import datetime, json
from decimal import Decimal
from django.contrib.auth.models import User
from django.utils import timezone
from engagement.models import Exercise, Priority
from outcomes.models import Value
from outcomes.services.review import proposal_save, proposal_submit
today = timezone.localdate()
exercise, _ = Exercise.objects.get_or_create(slug="%(slug)s", defaults=dict(
    title="Scale-out check (demo)", introduction="Demo exercise for the scale-out check.",
    opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=9),
    is_published=True))
for order, title in enumerate(["One", "Two", "Three"], start=1):
    Priority.objects.get_or_create(exercise=exercise, title=title, order=order)
value = Value.objects.get(measure__slug="employment-rate", place__slug="doncaster",
                          period__start="2023-01-01")
new = (value.value + Decimal("1.3")).quantize(Decimal("0.1"))
officer = User.objects.get(username="officer.doncaster")
figures = dict(value=new, lower_ci=None, upper_ci=None, numerator=None, denominator=None,
               note="", source="scale-out check (demo figure)")
proposal_save(user=officer, measure=value.measure, place=value.place, period=value.period,
              expected_version=value.version, figures=figures, reason="scale-out check")
value.refresh_from_db()
proposal_submit(user=officer, value=value, expected_version=value.version)
value.refresh_from_db()
print(json.dumps({"value": value.pk, "version": value.version, "new": str(new),
                  "priorities": list(exercise.priorities.values_list("pk", flat=True))}))
"""


# -- processes of our own -----------------------------------------------------------------------


class Cluster(Postgres):
    """The harness's PostgreSQL with pg_stat_statements, UTC and room for two servers."""

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} {PG_OPTIONS}"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile),
                  "-o", options, "-w", "-t", "30", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def psql(self, sql: str, db: str = "tracker") -> str:
        result = subprocess.run(
            [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "-d", db, "-Atc", sql],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return result.stdout.strip()


class Replica(Cluster):
    """A streaming replica of `primary`, made with pg_basebackup into the primary's folder."""

    def __init__(self, primary: Cluster, port: int):
        self.port = port
        self.bin = primary.bin
        self.folder = primary.folder
        self.data = primary.folder / "replica"
        self.logfile = primary.folder / "replica.log"
        self.as_user = primary.as_user

    def init_from(self, primary: Cluster) -> None:
        # -c fast: checkpoint at once, rather than spread over minutes
        self._run(str(self.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port),
                  "-U", "postgres", "-D", str(self.data), "-R", "-X", "stream",
                  "-c", "fast")  # fmt: skip


class Redis:
    def __init__(self, port: int, folder: Path):
        self.port = port
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.url = f"redis://127.0.0.1:{port}/0"
        import redis

        self.client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                if self.client.ping():
                    return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stats(self) -> tuple[int, int]:
        info = self.client.info("stats")
        return info["keyspace_hits"], info["keyspace_misses"]

    def stop(self) -> None:
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)


class PgBouncer:
    def __init__(self, port: int, primary: Cluster):
        self.port = port
        folder = primary.folder
        ini = folder / "pgbouncer.ini"
        (folder / "userlist.txt").write_text('"postgres" ""\n')
        ini.write_text(
            "[databases]\n"
            f"tracker = host=127.0.0.1 port={primary.port} dbname=tracker\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {folder / 'userlist.txt'}\n"
            "pool_mode = transaction\nmax_client_conn = 200\ndefault_pool_size = 12\n"
            "ignore_startup_parameters = extra_float_digits,options\n"
            f"logfile = {folder / 'pgbouncer.log'}\n"
        )
        for path in (ini, folder / "userlist.txt"):
            if primary.as_user:
                shutil.chown(path, "postgres", "postgres")
        self.process = subprocess.Popen(
            [*primary.as_user, "pgbouncer", "-q", str(ini)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(subprocess.CalledProcessError):
                subprocess.run(
                    [str(primary.bin / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U",
                     "postgres", "-d", "tracker", "-Atc", "SELECT 1"],
                    check=True, capture_output=True,
                )  # fmt: skip
                return
            time.sleep(0.2)
        raise RuntimeError("pgbouncer did not start")

    def stop(self) -> None:
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)


# -- clients ------------------------------------------------------------------------------------


@dataclass
class Tally:
    ok: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, good: bool, what: str = "") -> None:
        with self.lock:
            if good:
                self.ok += 1
            else:
                self.errors.append(what)


def form_token(base: str, client: httpx.Client, path: str) -> str:
    page = client.get(base + path)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not found:
        raise RuntimeError(f"no CSRF token on {path} ({page.status_code})")
    return found.group(1)


def sign_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=TIMEOUT)
    token = form_token(base, client, "/accounts/login/")
    response = client.post(
        "/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/accounts/login/", "X-Forwarded-For": "192.0.2.10"},
    )
    if response.status_code != 302:
        raise RuntimeError(f"{username} could not sign in on {base}: {response.status_code}")
    return client


class Poster:
    """Anonymous engagement responses, each with its own marker in the free text."""

    def __init__(self, base: str, priorities: list[int]):
        self.client = httpx.Client(timeout=TIMEOUT)
        self.token = form_token(base, self.client, f"/have-your-say/{EXERCISE}/")
        self.priorities = priorities

    def post(self, base: str, marker: str, client_ip: str) -> int | str:
        data = {f"rank_{pk}": str(rank) for rank, pk in enumerate(self.priorities, start=1)}
        data.update(free_text=marker, csrfmiddlewaretoken=self.token)
        url = f"{base}/have-your-say/{EXERCISE}/"
        try:
            response = self.client.post(
                url, data=data, headers={"Referer": url, "X-Forwarded-For": client_ip}
            )
        except httpx.HTTPError as error:
            return type(error).__name__
        return response.status_code


def public_get(client: httpx.Client, url: str, ip: str) -> tuple[bool, str]:
    try:
        response = client.get(url, headers={"X-Forwarded-For": ip})
    except httpx.HTTPError as error:
        return False, f"{url}: {type(error).__name__}"
    return response.status_code in (200, 304), f"{url}: {response.status_code}"


PUBLIC_PATHS = ["/", "/measures/employment-rate/", "/places/barnsley/", "/api/v1/places"]


def uncached_path(n: int) -> str:
    """An API page mostly not in the cache (more offsets than stored variants): a database read."""
    return f"/api/v1/values?limit=5&offset={1000 + n % 900}"


def run_load(bases, seconds, *, threads=6, officer=None, poster=None, stop_at=None):
    """Public GETs (cached and uncached) on every base, plus, if given, an officer's page and
    anonymous saves. Returns tallies per kind and the acknowledged markers."""
    tallies = {"public": Tally(), "officer": Tally(), "save": Tally()}
    acknowledged: list[str] = []
    deadline = time.monotonic() + seconds
    counter = iter(range(10**9))
    lock = threading.Lock()

    def worker(index: int) -> None:
        client = httpx.Client(timeout=TIMEOUT)
        while time.monotonic() < deadline and not (stop_at and stop_at.is_set()):
            with lock:
                n = next(counter)
            live = bases() if callable(bases) else bases
            base = live[n % len(live)]
            if poster is not None and n % 5 == 0:
                marker = f"scale-check-{n}"
                status = poster.post(
                    base, marker, f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
                )
                if status == 302:
                    with lock:
                        acknowledged.append(marker)
                tallies["save"].add(status == 302, f"save on {base}: {status}")
            elif officer is not None and n % 7 == 0:
                try:
                    status = officer.get("/manage/").status_code
                except httpx.HTTPError as error:
                    status = type(error).__name__
                tallies["officer"].add(status == 200, f"officer: {status}")
            else:
                path = uncached_path(n) if n % 2 else PUBLIC_PATHS[n % len(PUBLIC_PATHS)]
                good, what = public_get(client, base + path, f"198.51.100.{n % 250}")
                tallies["public"].add(good, what)
        client.close()

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(threads)))
    return tallies, acknowledged


def throughput(bases: list[str], seconds: float, threads: int = 8) -> float:
    """Requests a second for cached public pages, spread over `bases`."""
    done = [0] * threads
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        client = httpx.Client(timeout=TIMEOUT)
        n = index
        while time.monotonic() < deadline:
            base = bases[n % len(bases)]
            if client.get(base + PUBLIC_PATHS[n % len(PUBLIC_PATHS)]).status_code == 200:
                done[index] += 1
            n += 1
        client.close()

    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(threads)))
    return sum(done) / (time.monotonic() - started)


def select_calls(cluster: Cluster) -> int:
    """SELECTs of app tables run on this server since the last reset (not our own probes)."""
    sql = (
        "SELECT COALESCE(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d "
        "ON d.oid = s.dbid WHERE d.datname = 'tracker' AND query ILIKE 'SELECT%' "
        "AND query ILIKE '%FROM \"%' AND query NOT ILIKE '%pg_stat_statements%'"
    )
    return int(cluster.psql(sql))


# -- the checks ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=6, help="length of each load phase")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--keep", action="store_true", help="keep the folders, even on success")
    args = parser.parse_args()
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="st-scale-"))
    primary = Cluster(free_port())
    replica = Replica(primary, free_port())
    redis_server = bouncer = None
    servers: dict[str, Gunicorn] = {}
    results: dict[str, bool] = {}
    figures: dict[str, str] = {}

    def check(name: str, passed: bool, detail: str) -> None:
        results[name] = passed
        print(f"  {'PASS' if passed else 'FAIL'}  {name}: {detail}", flush=True)

    try:
        log(f"PostgreSQL primary on {primary.port}, replica on {replica.port} ({primary.folder})")
        primary.init()
        primary.start()
        primary.createdb("tracker")
        primary.psql("CREATE EXTENSION pg_stat_statements")
        redis_server = Redis(free_port(), work)
        log(f"Redis of our own on {redis_server.port}")
        database_url = primary.url("tracker")
        extra = {}
        if shutil.which("pgbouncer"):
            bouncer = PgBouncer(free_port(), primary)
            database_url = f"postgres://postgres@127.0.0.1:{bouncer.port}/tracker"
            extra["DATABASE_PGBOUNCER"] = "true"
            log(f"PgBouncer (transaction pooling) on {bouncer.port}")
        else:
            log("PgBouncer is not installed: the servers connect to the primary directly")
        env = app_env(
            database_url,
            work / "static",
            REDIS_URL=redis_server.url,
            DATABASE_REPLICA_URLS=f"postgres://postgres@127.0.0.1:{replica.port}/tracker",
            TRUSTED_PROXIES="127.0.0.1",
            ENGAGEMENT_RESPONSES_PER_HOUR=str(LIMIT),
            PUBLIC_STAMP_SECONDS=str(STAMP_SECONDS),
            REPLICA_MAX_LAG_SECONDS="5",
            WEB_CONCURRENCY=str(args.workers),
            GUNICORN_THREADS="4",
            **extra,
        )
        setup_env = {**env, "DATABASE_URL": primary.url("tracker"), "DATABASE_REPLICA_URLS": ""}
        log("migrate, seed the demo, collectstatic (on the primary)")
        manage(setup_env, "migrate", "--noinput")
        manage(setup_env, "seed_demo")
        manage(setup_env, "collectstatic", "--noinput")
        made = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SETUP % {"slug": EXERCISE}],
            env=setup_env, cwd=Path(__file__).resolve().parent.parent,
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        setup = json.loads(made.stdout.strip().splitlines()[-1])
        log("replica: pg_basebackup -R -X stream, then start")
        replica.init_from(primary)
        replica.start()
        lag_sql = "SELECT pg_is_in_recovery()"
        assert replica.psql(lag_sql) == "t", "the replica is not in recovery"

        for name in ("A", "B"):
            servers[name] = Gunicorn(env, free_port(), args.workers, work / f"gunicorn-{name}.log")
        for server in servers.values():
            server.wait_ready()
        a, b = servers["A"].base, servers["B"].base
        log(f"gunicorn A on {a}, B on {b}: {servers['A'].describe()} each")

        # 1. publish on A, with the replica lagging; B shows it within PUBLIC_STAMP_SECONDS
        print("\n1. A publication on A reaches B's public page and API", flush=True)
        new = setup["new"]
        page_path = "/measures/employment-rate/"
        api_path = "/api/v1/values?measure=employment-rate&place=doncaster&limit=50"
        with httpx.Client(base_url=b, timeout=TIMEOUT) as public_b:
            for path in (page_path, api_path):
                public_b.get(path)
                public_b.get(path)  # now stored on B's (shared) cache
            before = new in public_b.get(api_path).text
            primary_wal = primary.psql("SELECT pg_current_wal_lsn()")
            replica.psql("SELECT pg_wal_replay_pause()")
            approver = sign_in(a, "approver")
            token = form_token(a, approver, f"/manage/values/{setup['value']}/")
            approved = approver.post(
                f"/manage/values/{setup['value']}/approve/",
                data={"version": setup["version"], "csrfmiddlewaretoken": token},
                headers={"Referer": a + f"/manage/values/{setup['value']}/"},
            )
            published_at = time.monotonic()
            seen_page = seen_api = None
            while time.monotonic() - published_at < STAMP_SECONDS + 1:
                elapsed = time.monotonic() - published_at
                if seen_api is None and new in public_b.get(api_path).text:
                    seen_api = elapsed
                if seen_page is None and new in public_b.get(page_path).text:
                    seen_page = elapsed
                if seen_api is not None and seen_page is not None:
                    break
                time.sleep(0.1)
            replay = replica.psql("SELECT pg_last_wal_replay_lsn()")
            replica.psql("SELECT pg_wal_replay_resume()")
        approver.close()
        figures["publication_seconds"] = f"page {seen_page}, API {seen_api}"
        check(
            "publication on A is on B's page and API within PUBLIC_STAMP_SECONDS",
            approved.status_code == 302
            and not before
            and seen_page is not None
            and seen_api is not None
            and max(seen_page, seen_api) <= STAMP_SECONDS,
            f"approve {approved.status_code}; the new figure {new} on B's API after "
            f"{seen_api if seen_api is None else round(seen_api, 2)} s and page after "
            f"{seen_page if seen_page is None else round(seen_page, 2)} s (bound "
            f"{STAMP_SECONDS} s), while the replica's replay was paused at {replay} "
            f"(primary at {primary_wal} before publishing)",
        )

        # 2. mixed load: public reads go to the replica
        print("\n2. Public reads under mixed load go to the replica", flush=True)
        time.sleep(0.5)
        for cluster in (primary, replica):
            cluster.psql("SELECT pg_stat_statements_reset()")
        anonymous, _ = run_load([a, b], args.seconds / 2)
        public_primary, public_replica = select_calls(primary), select_calls(replica)
        public_share = public_replica / max(1, public_primary + public_replica)
        figures["public_replica_share"] = f"{public_share:.0%}"
        officer = sign_in(a, "officer.barnsley")
        poster = Poster(a, setup["priorities"])
        for cluster in (primary, replica):
            cluster.psql("SELECT pg_stat_statements_reset()")
        hits0 = redis_server.stats()
        tallies, _ = run_load([a, b], args.seconds, officer=officer, poster=poster)
        hits1 = redis_server.stats()
        on_primary, on_replica = select_calls(primary), select_calls(replica)
        share = on_replica / max(1, on_primary + on_replica)
        hits, misses = hits1[0] - hits0[0], hits1[1] - hits0[1]
        figures["replica_share"] = f"{share:.0%}"
        figures["cache_hit_ratio"] = f"{hits / max(1, hits + misses):.0%}"
        errors = sum(len(t.errors) for t in [*tallies.values(), anonymous["public"]])
        check(
            "public reads go to the replica",
            public_share >= 0.8 and on_replica > 0 and errors == 0,
            f"anonymous only: {anonymous['public'].ok} requests, SELECTs on the replica "
            f"{public_replica}, on the primary {public_primary} (replica share "
            f"{public_share:.0%}); mixed: "
            f"{tallies['public'].ok} public, {tallies['officer'].ok} officer, "
            f"{tallies['save'].ok} saves; SELECTs on the replica {on_replica}, on the primary "
            f"{on_primary} (replica share {share:.0%}); Redis hits {hits}, misses {misses}; "
            f"errors {errors} {tallies['public'].errors[:3] + tallies['save'].errors[:3]}",
        )

        # 3. stop the replica under load
        print("\n3. The replica stops under load", flush=True)
        stopper = threading.Timer(args.seconds / 3, lambda: replica.stop("immediate"))
        stopper.start()
        tallies, _ = run_load([a, b], args.seconds)
        stopper.join()
        public = tallies["public"]
        check(
            "public pages keep answering from the primary when the replica stops",
            public.ok > 0 and not public.errors,
            f"{public.ok} public requests answered, {len(public.errors)} errors "
            f"{public.errors[:3]} (replica stopped a third of the way in)",
        )

        # 4. rate limit across both servers
        print("\n4. The rate limit holds across both servers", flush=True)
        attacker = Poster(a, setup["priorities"])
        gate = threading.Barrier(50)

        def attack(n: int):
            with contextlib.suppress(threading.BrokenBarrierError):
                gate.wait(timeout=10)
            return attacker.post((a, b)[n % 2], f"attack-{n}", "203.0.113.99")

        with ThreadPoolExecutor(50) as pool:
            statuses = list(pool.map(attack, range(100)))
        accepted = statuses.count(302)
        check(
            "exactly the limit accepted from one client over A and B",
            accepted == LIMIT and statuses.count(429) == 100 - LIMIT,
            f"100 posts at once (50 in flight), half to each server: {accepted} accepted, "
            f"{statuses.count(429)} refused (limit {LIMIT}); others: "
            f"{[s for s in statuses if s not in (302, 429)][:3]}",
        )

        # 5. kill A under load
        print("\n5. Server A is killed under load", flush=True)
        alive = {"bases": [a, b]}
        killed = threading.Event()

        def kill_a() -> None:
            pids = servers["A"].worker_pids() | {servers["A"].process.pid}
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            killed.set()
            time.sleep(0.5)  # the balancer notices (its health check), then sends only to B
            alive["bases"] = [b]

        killer = threading.Timer(args.seconds / 3, kill_a)
        killer.start()
        poster_b = Poster(b, setup["priorities"])
        tallies, acknowledged = run_load(lambda: alive["bases"], args.seconds, poster=poster_b)
        killer.join()
        markers = set(
            primary.psql(
                "SELECT free_text FROM engagement_response WHERE free_text LIKE 'scale-check-%'"
            ).split()
        )
        lost = [m for m in acknowledged if m not in markers]
        b_errors = [e for t in tallies.values() for e in t.errors if b in e]
        after = httpx.get(b + "/healthz", timeout=5).status_code
        check(
            "B keeps answering and no acknowledged save is lost",
            killed.is_set() and not lost and not b_errors and after == 200,
            f"{tallies['public'].ok} public answered, {len(acknowledged)} saves acknowledged, "
            f"{len(lost)} of them missing; errors on B {len(b_errors)} {b_errors[:3]}; errors "
            f"on A while it died {sum(len(t.errors) for t in tallies.values()) - len(b_errors)}"
            f" (the balancer's to retry); B /healthz afterwards {after}",
        )
        officer.close()

        # Figures for docs/deploying.md: one vs two servers (A is restarted for this).
        print("\nFigures", flush=True)
        servers["A"].stop()
        servers["A"] = Gunicorn(env, free_port(), args.workers, work / "gunicorn-A2.log")
        servers["A"].wait_ready()
        a = servers["A"].base
        for base in (a, b):
            for path in PUBLIC_PATHS:
                httpx.get(base + path, timeout=TIMEOUT)
        one = throughput([b], args.seconds / 2)
        two = throughput([a, b], args.seconds / 2)
        figures["throughput"] = f"one server {one:.0f} req/s, two servers {two:.0f} req/s"
        print(f"  cached public pages: {figures['throughput']} (8 clients, these 2 cores)")
        print(f"  Redis hit ratio under mixed load: {figures['cache_hit_ratio']}")
        print(f"  replica share of SELECTs: {figures['public_replica_share']} for anonymous load,")
        mixed = figures["replica_share"]
        print(f"    {mixed} under mixed load (officers and saves on the primary)")
        print(f"  PgBouncer: {'yes, transaction pooling' if bouncer else 'not installed'}")
        print(f"  load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    except Exception:
        traceback.print_exc()
    finally:
        for server in servers.values():
            with contextlib.suppress(Exception):
                server.stop()
        for stop in (bouncer and bouncer.stop, redis_server and redis_server.stop):
            if stop:
                with contextlib.suppress(Exception):
                    stop()
        with contextlib.suppress(Exception):
            replica.stop("immediate")
    passed = len(results) == 5 and all(results.values())
    elapsed = time.monotonic() - started
    print(
        f"\n{'PASS' if passed else 'FAIL'}: {sum(results.values())} of 5 checks in {elapsed:.0f} s"
    )
    if passed and not args.keep:
        primary.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    else:
        with contextlib.suppress(Exception):
            primary.stop()
        print(f"kept for a look: {primary.folder} and {work}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
