"""Per-client rate limits for the public forms: exact and atomic, shared by every worker and
server.

A client's window starts at its first attempt in a scope and ends `window` seconds later, when
its count starts again from nothing. Every attempt is counted in one atomic step, so 100
simultaneous attempts from one client are given the numbers 1 to 100 and exactly `limit` are
allowed, however many processes and servers take them.

- With ``REDIS_URL``: one Redis transaction (``SET key 0 EX window NX``, ``INCR``, ``PTTL``): the
  key expires when the window ends.
- Otherwise: one PostgreSQL statement (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``) on the
  primary, on ``engagement.RateLimitCounter``; the row lock makes concurrent attempts take turns.

A client is its IP address, as the project's `client_ip` reads it (REMOTE_ADDR, or, on a
connection from one of settings.TRUSTED_PROXIES, the address our own proxy saw). The address is
never stored: the key is a keyed hash (HMAC with the secret key).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.middleware import client_ip

PRUNE_ONE_IN = 200  # now and then, delete the database rows of windows long over


@dataclass(frozen=True)
class Attempt:
    count: int  # this attempt's number in the window (1 for the first)
    limit: int
    window_ends: datetime.datetime

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit


def client_key(request) -> str:
    return salted_hmac("engagement.ratelimit", client_ip(request)).hexdigest()[:32]


def allow(request, *, scope: str, limit: int, window: int = 3600) -> bool:
    """Count one attempt by this client in this scope; False once it has made more than `limit`
    in its current window of `window` seconds."""
    if limit <= 0:
        return True
    return attempt(f"{scope}:{client_key(request)}", limit=limit, window=window).allowed


def attempt(key: str, *, limit: int, window: int) -> Attempt:
    if settings.REDIS_URL:
        return _attempt_redis(key, limit=limit, window=window)
    return _attempt_database(key, limit=limit, window=window)


def _attempt_redis(key: str, *, limit: int, window: int) -> Attempt:
    cache = caches["default"]
    full_key = cache.make_and_validate_key(f"rl:{key}")
    client = cache._cache.get_client(full_key, write=True)  # Django's RedisCache: a redis.Redis
    with client.pipeline(transaction=True) as pipe:
        pipe.set(full_key, 0, ex=window, nx=True)
        pipe.incr(full_key)
        pipe.pttl(full_key)
        _, count, ttl_ms = pipe.execute()
    ends = timezone.now() + datetime.timedelta(milliseconds=max(ttl_ms, 0))
    return Attempt(count=count, limit=limit, window_ends=ends)


UPSERT = """
INSERT INTO engagement_ratelimitcounter AS c (key, count, window_ends)
VALUES (%(key)s, 1, clock_timestamp() + %(window)s * interval '1 second')
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN c.window_ends <= clock_timestamp() THEN 1 ELSE c.count + 1 END,
    window_ends = CASE WHEN c.window_ends <= clock_timestamp()
                       THEN clock_timestamp() + %(window)s * interval '1 second'
                       ELSE c.window_ends END
RETURNING count, window_ends
"""


def _attempt_database(key: str, *, limit: int, window: int) -> Attempt:
    with connections["default"].cursor() as cursor:
        cursor.execute(UPSERT, {"key": key[:100], "window": window})
        count, ends = cursor.fetchone()
        if random.randrange(PRUNE_ONE_IN) == 0:
            cursor.execute(
                "DELETE FROM engagement_ratelimitcounter "
                "WHERE window_ends < clock_timestamp() - interval '1 day'"
            )
    return Attempt(count=count, limit=limit, window_ends=ends)
