"""The API against its own OpenAPI schema: schemathesis generates requests for every operation
(valid and invalid parameters) and runs all its checks: no server errors, status codes, content
types, headers and bodies as documented, valid data accepted, invalid data rejected.

The schema is the one /api/v1/openapi.json serves (a test below checks they are the same); it is
built in-process because schemathesis' ``from_fixture`` does not work with pytest 9."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from api.endpoints import api

PREFIX = "/api/v1"

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix=PREFIX))
schema.app = get_wsgi_application()
schema.location = f"{PREFIX}/openapi.json"


@pytest.fixture
def wsgi_keeps_test_connection():
    """As Django's test client does: a request must not close the connection that holds the
    test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def demo_commitments_once(db):
    """The demo commitments, so that the commitments operations return data to check."""
    from commitments.services import commitments_demo_seed

    commitments_demo_seed()


@schema.parametrize()
@hypothesis_settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(
    case, db, settings, wsgi_keeps_test_connection, demo_commitments_once
):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # Anonymous JSON is gzipped for clients that accept it; schemathesis' WSGI transport sends
    # "Accept-Encoding: gzip" but does not decode (an HTTP client does), so ask for it plain.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})


def test_the_schema_tested_is_the_one_served(client):
    served = client.get(f"{PREFIX}/openapi.json")
    assert served.status_code == 200
    assert json.loads(served.content) == json.loads(
        json.dumps(api.get_openapi_schema(path_prefix=PREFIX))
    )
