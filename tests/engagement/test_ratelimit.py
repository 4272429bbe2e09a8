"""The engagement rate limit, attacked: many posts from one client at the same moment, and the
window's end. It runs on PostgreSQL here, and on Redis in the suite's Redis run (REDIS_URL)."""

from __future__ import annotations

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from engagement import ratelimit
from engagement.models import RateLimitCounter, Response
from tests.engagement.conftest import make_exercise, rank_data

ORDER = ["Best start", "Healthier lives", "Safe communities"]
POSTS = 100
THREADS = 20  # posts in flight at once (each thread holds a database connection)


def _all_at_once(post) -> list[int]:
    """POSTS posts from one client address, from THREADS threads released together."""
    start = threading.Barrier(THREADS)

    def worker(_):
        try:
            start.wait()
            return [post(Client(REMOTE_ADDR="203.0.113.7")) for _ in range(POSTS // THREADS)]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(THREADS) as pool:
        return [status for batch in pool.map(worker, range(THREADS)) for status in batch]


@pytest.mark.django_db(transaction=True)
def test_100_simultaneous_responses_from_one_client_accept_exactly_the_limit(settings):
    settings.ENGAGEMENT_RESPONSES_PER_HOUR = 20
    exercise = make_exercise()
    url = reverse("engagement:exercise", kwargs={"slug": exercise.slug})
    data = rank_data(exercise, ORDER)

    statuses = _all_at_once(lambda client: client.post(url, data).status_code)

    assert sorted(set(statuses)) == [302, 429]
    assert statuses.count(302) == 20 and statuses.count(429) == POSTS - 20
    assert Response.objects.filter(exercise=exercise).count() == 20
    # another client is not held back
    assert Client(REMOTE_ADDR="203.0.113.8").post(url, data).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_100_simultaneous_deletion_guesses_accept_exactly_the_limit(settings):
    settings.ENGAGEMENT_RESPONSES_PER_HOUR = 20

    def guess(client):
        return client.post(reverse("engagement:forget", kwargs={"token": "guess"})).status_code

    statuses = _all_at_once(guess)

    assert statuses.count(404) == 20 and statuses.count(429) == POSTS - 20


def _key(n: int = 1) -> str:
    return f"test-window:{n}:{timezone.now().timestamp()}"


@pytest.mark.django_db
def test_the_window_ends_when_it_says_not_when_the_client_stops(settings):
    key = _key()
    first = ratelimit.attempt(key, limit=2, window=3600)
    later = [ratelimit.attempt(key, limit=2, window=3600) for _ in range(3)]
    # every attempt reports the end of the window the first one opened (later ones do not
    # move it on, as the old limiter's cache timeout did)
    assert first.window_ends - timezone.now() > datetime.timedelta(minutes=59)
    for attempt in later:
        assert abs(attempt.window_ends - first.window_ends) < datetime.timedelta(seconds=1)
    assert [a.allowed for a in [first, *later]] == [True, True, False, False]
    _end_window_now(key)
    fresh = ratelimit.attempt(key, limit=2, window=3600)
    assert fresh.count == 1 and fresh.allowed


def _end_window_now(key: str) -> None:
    """What the passing of the hour does to the stored window."""
    from django.conf import settings
    from django.core.cache import caches

    if settings.REDIS_URL:
        cache = caches["default"]
        full = cache.make_and_validate_key(f"rl:{key}")
        cache._cache.get_client(full, write=True).delete(full)
    else:
        RateLimitCounter.objects.filter(key=key).update(
            window_ends=timezone.now() - datetime.timedelta(seconds=1)
        )


@pytest.mark.django_db
def test_the_limiter_stores_no_ip_addresses(client, settings):
    client.post(reverse("engagement:forget", kwargs={"token": "x"}), REMOTE_ADDR="192.0.2.55")
    if settings.REDIS_URL:
        from django.core.cache import caches

        cache = caches["default"]
        redis = cache._cache.get_client(None, write=False)
        keys = [k.decode() for k in redis.scan_iter(match=cache.make_key("rl:*"))]
    else:
        keys = list(RateLimitCounter.objects.values_list("key", flat=True))
    assert keys, "the limiter counted the attempt"
    assert not any("192.0.2.55" in key for key in keys)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM engagement_ratelimitcounter WHERE key LIKE %s", ["%192.0.2.55%"]
        )
        assert cursor.fetchone()[0] == 0
