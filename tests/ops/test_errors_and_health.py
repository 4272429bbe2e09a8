"""A database outage gives a 503 page (never a traceback), /healthz says whether the database
answers, and every response carries a request id that every log line repeats."""

import json
import logging
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, connection
from django.test import Client, override_settings

from core.logging import JsonFormatter, RequestIdFilter

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ops.urls")]


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_a_database_outage_in_a_view_is_a_503_page(client):
    response = client.get("/ops-test/database-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Sorry, the service is unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body and "5432" not in body


def test_a_database_outage_while_saving_the_session_is_a_503_page(client, admin_user):
    client.force_login(admin_user)
    down = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(SessionStore, "save", side_effect=down):
        response = client.get("/ops-test/published-count/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()


def test_other_errors_are_a_500_page(client):
    response = client.get("/ops-test/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, the service is unavailable" not in body
    assert "a bug" not in body and "Traceback" not in body


def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response["Cache-Control"] == "no-store"


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["tracker.example.nhs.uk"])
def test_healthz_answers_a_load_balancer_over_http_with_any_host(client):
    response = client.get("/healthz", HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200
    # while any other page still insists on HTTPS and a known host
    assert client.get("/ops-test/published-count/", HTTP_HOST="10.0.3.7:8000").status_code == 400
    other = client.get("/ops-test/published-count/", HTTP_HOST="tracker.example.nhs.uk")
    assert other.status_code == 301 and other["Location"].startswith("https://")


def test_healthz_is_503_when_the_database_does_not_answer(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "unreachable"


def test_every_response_has_a_request_id_and_reuses_a_proxys(client):
    first = client.get("/ops-test/published-count/")
    second = client.get("/ops-test/published-count/")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]
    given = "lb-3f2a9c1e-77aa-4c1b"
    response = client.get("/ops-test/published-count/", HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] == given
    forged = client.get("/ops-test/published-count/", HTTP_X_REQUEST_ID="bad id\nFAKE LOG LINE")
    assert "\n" not in forged["X-Request-ID"] and len(forged["X-Request-ID"]) == 32


def test_log_lines_are_json_and_carry_the_request_id(client, caplog):
    caplog.set_level(logging.INFO, logger="strategy_tracker.access")
    response = client.get("/ops-test/published-count/")
    (record,) = [r for r in caplog.records if r.name == "strategy_tracker.access"]
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == response["X-Request-ID"]
    assert line["path"] == "/ops-test/published-count/"
    assert line["status"] == 200
    assert line["level"] == "INFO" and line["logger"] == "strategy_tracker.access"
    assert isinstance(line["duration_ms"], float)


def test_logs_made_inside_a_view_carry_its_request_id(client, caplog):
    caplog.set_level(logging.WARNING)
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("refused")):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="probe-0000-1111")
    warnings = [r for r in caplog.records if r.name == "strategy_tracker.health"]
    assert warnings
    for record in warnings:
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
        assert line["request_id"] == response["X-Request-ID"]
        assert "OperationalError" in line["exception"]
