"""Read replicas (core.replicas): anonymous public reads go to a replica, everything else to the
primary; a replica that is down, fails mid-request or lags is skipped with no error.

The replica here is the test database itself, reached through a second connection (a Django
test mirror) outside the test's transaction: it sees the demo data, committed when the test
database was made."""

from __future__ import annotations

import contextlib
import socket

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.urls import reverse

from core import publication, replicas

pytestmark = pytest.mark.django_db(databases="__all__")

PAGE = "/measures/employment-rate/"


@pytest.fixture(autouse=True)
def replica(settings):
    settings.DATABASE_REPLICAS = ["replica_test"]
    settings.REPLICA_CHECK_SECONDS = 60  # one check per test, unless a test says otherwise
    settings.PUBLIC_STAMP_SECONDS = 3600  # the version is read once, however slow the test
    replicas.forget_health()
    cache.clear()
    original = dict(connections["replica_test"].settings_dict)
    yield
    connections["replica_test"].close()
    connections["replica_test"].settings_dict.update(original)
    replicas.forget_health()
    cache.clear()


@contextlib.contextmanager
def counting(alias: str):
    """The SQL each database is sent (without connecting, as CaptureQueriesContext would)."""
    sent: list[str] = []

    def record(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connections[alias].execute_wrapper(record):
        yield sent


def reads(client, url, **extra):
    """The response, and how many queries each database answered for it."""
    cache.clear()  # no stored page: the view must read
    publication.current()
    with counting("default") as primary, counting("replica_test") as replica:
        response = client.get(url, **extra)
    return response, len(primary), len(replica)


def nothing_listening_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_anonymous_public_page_is_read_from_the_replica():
    response, on_primary, on_replica = reads(Client(), PAGE)
    assert response.status_code == 200
    assert on_replica >= 3 and on_primary == 0


def test_the_open_data_api_is_read_from_the_replica():
    response, on_primary, on_replica = reads(Client(), "/api/v1/places")
    assert response.status_code == 200 and on_replica >= 1 and on_primary == 0


def test_signed_in_users_and_the_review_queue_read_the_primary(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.get(username="approver"))
    for url in (PAGE, reverse("manage:review")):
        response, on_primary, on_replica = reads(client, url)
        assert response.status_code == 200, url
        assert on_replica == 0 and on_primary > 0, url


def test_writes_go_to_the_primary():
    with counting("default") as primary, counting("replica_test") as replica:
        response = Client().post(reverse("engagement:forget", kwargs={"token": "x"}))
    # counted by the rate limit (in PostgreSQL, or Redis), then the token looked up: nothing
    assert response.status_code == 404
    assert replica == [] and any("engagement_response" in sql for sql in primary)


def test_a_replica_that_is_down_is_skipped_with_no_error():
    connections["replica_test"].close()
    connections["replica_test"].settings_dict["PORT"] = str(nothing_listening_port())
    response, on_primary, on_replica = reads(Client(), PAGE)
    assert response.status_code == 200 and on_primary >= 3
    health = replicas.check("replica_test")
    assert not health.ok


def test_a_replica_that_fails_mid_request_is_read_again_from_the_primary():
    assert replicas.check("replica_test").ok  # healthy when checked...
    connections["replica_test"].close()  # ...then it goes away before the request reads it
    connections["replica_test"].settings_dict["PORT"] = str(nothing_listening_port())
    response, on_primary, _ = reads(Client(), PAGE)
    assert response.status_code == 200 and on_primary >= 3
    assert not replicas.check("replica_test").ok  # and is left alone for REPLICA_RETRY_SECONDS


def test_a_replica_lagging_beyond_the_bound_is_skipped(settings):
    settings.REPLICA_MAX_LAG_SECONDS = -1  # any replica lags more than this
    response, on_primary, on_replica = reads(Client(), PAGE)
    assert response.status_code == 200 and on_replica <= 1 and on_primary >= 3
    health = replicas.check("replica_test")
    assert health.lag_seconds is not None and not health.ok


def test_a_replica_that_has_not_replayed_the_latest_publication_is_skipped():
    """A page must not be rendered from figures older than the version it is stored under."""
    cache.clear()
    ahead = publication.Version(None, 0, lsn="FFFF/0")  # published beyond the replica's position
    cache.set(publication.KEY, ahead, 60)
    with counting("default") as primary, counting("replica_test") as replica:
        response = Client().get(PAGE)
    assert response.status_code == 200
    page_reads = [sql for sql in replica if "pg_is_in_recovery" not in sql]
    assert page_reads == [] and len(primary) >= 3


def test_the_lag_bound_decides():
    assert replicas.lag_acceptable(0.0, 10)
    assert replicas.lag_acceptable(10.0, 10)
    assert not replicas.lag_acceptable(10.5, 10)
    assert not replicas.lag_acceptable(None, 10)  # never answered
    assert replicas.lsn_value("1/0") > replicas.lsn_value("0/FFFFFFFF")
