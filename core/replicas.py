"""Read replicas: anonymous public reads go to a healthy, caught-up replica; everything else to
the primary ("default").

Settings (see docs/deploying.md): ``DATABASE_REPLICA_URLS`` (comma-separated) makes the aliases
``replica_1``, ``replica_2``, ...; ``REPLICA_MAX_LAG_SECONDS`` is the bound beyond which a lagging
replica is skipped; ``REPLICA_CHECK_SECONDS`` how often each process checks a replica;
``REPLICA_RETRY_SECONDS`` how long a replica that failed is left alone.

- Which requests: ``ReplicaRoutingMiddleware`` marks a request as a public read when it is a GET
  or HEAD with no session cookie, outside the admin, the login pages and ``/manage/`` (the review
  queue). Signed-in users (who have a session) always read the primary, so they read their own
  writes. Writes always go to the primary (``db_for_write``).
- Which replica: the first one (in a per-process rotation) that answered its last check, is not
  lagging more than the bound, and has replayed at least as far as the publication version's WAL
  position (``core.publication``): a public page is never rendered from figures older
  than the version it is cached under. Otherwise the primary.
- A replica that fails during a request: the view is run again on the primary (a GET is safe to
  repeat) and the replica is skipped for ``REPLICA_RETRY_SECONDS``. No 5xx.
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connections
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

PRIMARY = "default"
EXCLUDED_PREFIXES = ("accounts/", "manage/", "healthz")

# None: this request reads the primary. Otherwise a RouteState for a public read.
_route: contextvars.ContextVar[RouteState | None] = contextvars.ContextVar(
    "replica_route", default=None
)


@dataclass
class RouteState:
    alias: str | None = None  # the replica chosen for this request, once chosen
    chosen: bool = False


@dataclass
class Health:
    checked_at: float = 0.0
    ok: bool = False
    lag_seconds: float | None = None
    replay_lsn: str | None = None
    retry_after: float = 0.0


_health: dict[str, Health] = {}
_rotation = itertools.count()


def aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


@contextlib.contextmanager
def primary():
    """Everything read inside goes to the primary."""
    token = _route.set(None)
    try:
        yield
    finally:
        _route.reset(token)


@contextlib.contextmanager
def public_read():
    """Reads inside may go to a replica (what the middleware does for a public request)."""
    token = _route.set(RouteState() if aliases() else None)
    try:
        yield
    finally:
        _route.reset(token)


def used_replica() -> str | None:
    state = _route.get()
    return state.alias if state else None


# -- health ---------------------------------------------------------------------------------

LAG_SQL = """
SELECT pg_is_in_recovery(),
       COALESCE(pg_last_wal_replay_lsn(), pg_current_wal_lsn())::text,
       CASE WHEN NOT pg_is_in_recovery() THEN 0
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
       END::float
"""


def lag_acceptable(lag_seconds: float | None, max_lag: float) -> bool:
    return lag_seconds is not None and lag_seconds <= max_lag


def lsn_value(lsn: str | None) -> int:
    """A WAL position ("16/B374D848") as a number, to compare two."""
    if not lsn:
        return 0
    high, low = lsn.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def check(alias: str, *, now: float | None = None) -> Health:
    """This process's view of a replica, refreshed at most every REPLICA_CHECK_SECONDS."""
    now = time.monotonic() if now is None else now
    health = _health.setdefault(alias, Health())
    if now < health.retry_after:
        return health
    if health.ok and now - health.checked_at < settings.REPLICA_CHECK_SECONDS:
        return health
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            _, replay_lsn, lag = cursor.fetchone()
    except DatabaseError as exc:
        mark_down(alias, reason=str(exc).strip().splitlines()[0] if str(exc) else "error")
        return _health[alias]
    health.checked_at = now
    health.replay_lsn = replay_lsn
    health.lag_seconds = float(lag)
    health.ok = lag_acceptable(health.lag_seconds, settings.REPLICA_MAX_LAG_SECONDS)
    if not health.ok:
        log.warning("replica %s lags %.1f s: reading the primary", alias, health.lag_seconds)
        health.retry_after = now + settings.REPLICA_CHECK_SECONDS
    return health


def mark_down(alias: str, *, reason: str = "") -> None:
    health = _health.setdefault(alias, Health())
    health.ok = False
    health.checked_at = time.monotonic()
    health.retry_after = health.checked_at + settings.REPLICA_RETRY_SECONDS
    log.warning("replica %s unavailable (%s): reading the primary", alias, reason)
    with contextlib.suppress(Exception):
        connections[alias].close()


def forget_health() -> None:
    _health.clear()


def _caught_up(alias: str, health: Health) -> bool:
    # The WAL position a replica must have replayed (the publication version's), by name from
    # settings: core.publication reads through this module's primary(), so it is not imported.
    needed = import_string(settings.REPLICA_REQUIRED_LSN)()
    if lsn_value(health.replay_lsn) >= lsn_value(needed):
        return True
    # Checked a moment ago: ask the replica again before giving up on it for this request.
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            _, health.replay_lsn, _ = cursor.fetchone()
    except DatabaseError as exc:
        mark_down(alias, reason=str(exc).strip().splitlines()[0] if str(exc) else "error")
        return False
    return lsn_value(health.replay_lsn) >= lsn_value(needed)


def choose() -> str | None:
    """A healthy, caught-up replica for a public read, or None for the primary."""
    names = aliases()
    if not names:
        return None
    start = next(_rotation) % len(names)
    for alias in names[start:] + names[:start]:
        health = check(alias)
        if health.ok and _caught_up(alias, health):
            return alias
    return None


# -- router and middleware ----------------------------------------------------------------


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _route.get()
        if state is None:
            return PRIMARY
        if not state.chosen:
            state.chosen = True
            with primary():  # the version and the checks read the primary themselves
                state.alias = choose()
        return state.alias or PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same database

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def is_public_read(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    path = request.path_info.lstrip("/")
    return not path.startswith((settings.ADMIN_PATH, *EXCLUDED_PREFIXES))


class ReplicaRoutingMiddleware:
    """Marks public reads for the router, and runs a view again on the primary when the replica
    it was reading fails. Last in MIDDLEWARE, so that its process_view calls the view itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not aliases() or not is_public_read(request):
            return self.get_response(request)
        token = _route.set(RouteState())
        try:
            return self.get_response(request)
        finally:
            _route.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _route.get()
        if state is None:
            return None
        try:
            response = view_func(request, *view_args, **view_kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            return response
        except DatabaseError as exc:
            if not state.alias:
                raise
            mark_down(state.alias, reason=type(exc).__name__)
            state.alias = None  # this request now reads the primary
            return view_func(request, *view_args, **view_kwargs)
