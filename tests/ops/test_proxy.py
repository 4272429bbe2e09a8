"""The proxy in front (issue 14, finding 6): one setting, TRUSTED_PROXIES, safe by default.

The attacks: behind a balancer, one client locking every officer out with five wrong passwords
(every client had the balancer's address); and, with gunicorn reachable directly, a forged
X-Forwarded-For choosing whose address a request counts as."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.middleware import client_ip
from tests.conftest import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.5"


def address(remote: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_by_default_no_forwarded_header_is_believed(settings):
    settings.TRUSTED_PROXIES = []
    assert address("127.0.0.1", "198.51.100.7") == "127.0.0.1"
    assert address(PROXY, "198.51.100.7") == PROXY


def test_behind_the_proxy_the_client_is_the_address_the_proxy_saw(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address(PROXY, "198.51.100.7") == "198.51.100.7"
    # What the client wrote to the left of it is not believed, nor a second trusted hop.
    assert address(PROXY, "192.0.2.66, 198.51.100.7") == "198.51.100.7"
    assert address(PROXY, "198.51.100.7, 10.1.1.1") == "198.51.100.7"
    # A client that reaches the app directly is its own address, whatever it sends.
    assert address("203.0.113.9", "198.51.100.7") == "203.0.113.9"


@pytest.mark.django_db
def test_one_client_cannot_lock_officers_out_for_everyone_behind_the_balancer(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    login = reverse("admin:login")
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(5):
        response = client.post(login, {"username": "admin", "password": "wrong"}, **attacker)
    assert response.status_code == 429  # the attacker is locked out
    # The admin, through the same balancer from another address, signs in.
    admin = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    signed_in = client.post(login, {"username": "admin", "password": DEMO_PASSWORD}, **admin)
    assert signed_in.status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_address_on_a_direct_connection_locks_out_only_the_forger(
    client, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    login = reverse("admin:login")
    forger = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    for _ in range(5):
        client.post(login, {"username": "admin", "password": "wrong"}, **forger)
    admin = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    signed_in = client.post(login, {"username": "admin", "password": DEMO_PASSWORD}, **admin)
    assert signed_in.status_code == 302


def test_gunicorn_believes_forwarded_headers_only_from_the_same_setting(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["forwarded_allow_ips"] == ""
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["forwarded_allow_ips"] == "10.0.0.0/8"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TRUSTED_PROXIES", "the balancer", "TRUSTED_PROXIES must be IP addresses or networks"),
        ("DJANGO_BEHIND_PROXY", "true", "DJANGO_BEHIND_PROXY is replaced by TRUSTED_PROXIES"),
        ("TRUSTED_PROXY_COUNT", "1", "TRUSTED_PROXY_COUNT is replaced by TRUSTED_PROXIES"),
    ],
)
def test_a_wrong_or_old_proxy_setting_stops_the_app_with_a_sentence(name, value, message):
    env = {**os.environ, "DJANGO_DEBUG": "true", name: value}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "strategy_tracker.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and message in result.stderr
