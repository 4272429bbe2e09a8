"""Per-client rate limits for the public forms, kept in a Django cache shared by every worker
(settings.RATE_LIMIT_CACHE; a database cache by default, see settings.CACHES).

A client is its IP address, as the project's `client_ip` reads it (REMOTE_ADDR, or, on a
connection from one of settings.TRUSTED_PROXIES, the address our own proxy saw). The address is never stored: the cache key is a keyed hash (HMAC with the secret key).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from django.utils.crypto import salted_hmac

from core.middleware import client_ip


def client_key(request) -> str:
    return salted_hmac("engagement.ratelimit", client_ip(request)).hexdigest()[:32]


def allow(request, *, scope: str, limit: int, window: int = 3600) -> bool:
    """Count one attempt by this client in this scope; False once it has made more than `limit`
    in the current fixed window of `window` seconds."""
    if limit <= 0:
        return True
    cache = caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]
    slot = int(time.time() // window)
    key = f"rl:{scope}:{client_key(request)}:{slot}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
