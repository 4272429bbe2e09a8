"""The publication version: one small key in the shared cache that every cached public page and
API response is keyed on, so that a publication invalidates them on every server at once.

The version is the publication stamp (the latest ``published_at`` and the number of published
values, from ``settings.PUBLICATION_STAMP``) read on the primary database, and, when read
replicas are configured, the primary's WAL position at that moment: a replica may serve a public
read only once it has replayed that far (see ``core.replicas``), so a page rendered
from a replica can never be stored under a version whose figures it does not have.

- A publication (of values or of a commitment update) calls :func:`changed` inside its
  transaction; when it commits, a generation counter is bumped and the version is read again and
  written to the cache. With ``REDIS_URL`` the cache is shared: every server's
  next request uses the new version (the old pages are never read again and expire).
- Anyone may read the version (:func:`current`); it is kept for ``PUBLIC_STAMP_SECONDS`` and then
  read again from the database, so a change that did not go through a publication service (an
  admin edit) still reaches the public within those seconds. With the per-process cache (no
  ``REDIS_URL``) that is also how a publication reaches the other worker processes.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.utils.module_loading import import_string

KEY = "publication:version"
GENERATION_KEY = "publication:generation"


@dataclass(frozen=True)
class Version:
    latest: datetime | None
    count: int
    lsn: str | None = None  # the primary's WAL position when read (replicas only)
    generation: int = 0  # bumped by every publication (commitment updates too)

    @property
    def token(self) -> str:
        """A short text that changes whenever the published figures do (for cache keys)."""
        latest = self.latest.isoformat() if self.latest else "-"
        text = f"{latest}|{self.count}|{self.generation}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def read() -> Version:
    """Read the version from the primary database (never a replica: it is the reference)."""
    from core import replicas

    with replicas.primary():
        latest, count = import_string(settings.PUBLICATION_STAMP)()
        lsn = None
        if replicas.aliases():
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_current_wal_lsn()::text")
                lsn = cursor.fetchone()[0]
    return Version(latest, count, lsn, _generation())


def _generation() -> int:
    # Kept without expiry; starts from the clock so that a cache that lost it never goes back
    # to a number that an older copy of a page was stored under.
    cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    return cache.get(GENERATION_KEY) or 0


def current_lsn() -> str | None:
    """The WAL position a replica must have replayed to serve the current version."""
    return current().lsn


def current(request=None) -> Version:
    """The version, from the shared cache (read from the database when missing); once per
    request when a request is given."""
    if request is not None and hasattr(request, "_publication_version"):
        return request._publication_version
    version = cache.get(KEY)
    if not isinstance(version, Version):
        version = read()
        cache.set(KEY, version, settings.PUBLIC_STAMP_SECONDS)
    if request is not None:
        request._publication_version = version
    return version


def refresh() -> Version:
    """Read the version now and share it: every server's next public request uses it."""
    version = read()
    cache.set(KEY, version, settings.PUBLIC_STAMP_SECONDS)
    return version


def forget() -> None:
    """Make the next request read the version from the database (as its expiry would)."""
    cache.delete(KEY)


def changed(using: str = "default") -> None:
    """Call inside a transaction that publishes, corrects or withdraws values: when it commits,
    the new version is shared (once per transaction, however many values it published)."""
    connection = connections[using]
    if any(func is _refresh_on_commit for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_refresh_on_commit, using=using)


def _refresh_on_commit() -> None:
    _generation()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # evicted a moment ago: start again from the clock
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    refresh()
