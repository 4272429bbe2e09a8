"""Secure by default: check --deploy is clean with production settings, every response carries the
security headers and a strict CSP, cookies are Secure and HttpOnly, staff sessions expire, logins
are throttled and passwords checked."""

import subprocess

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from tests.conftest import DEMO_PASSWORD
from tests.ops.conftest import ROOT, manage

pytestmark = pytest.mark.django_db


def test_check_deploy_is_clean_with_production_settings(production_env):
    result = subprocess.run(
        manage("check", "--deploy", "--fail-level", "WARNING"),
        env=production_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(production_env):
    del production_env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        manage("check"), env=production_env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def _policy(response) -> dict[str, list[str]]:
    directives = [d.strip().split() for d in response["Content-Security-Policy"].split(";")]
    return {d[0]: d[1:] for d in directives if d}


def test_pages_carry_the_security_headers_and_a_strict_csp(client):
    response = client.get(reverse("admin:login"))
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert "'self'" in policy[directive]
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_every_response_switches_off_browser_features_the_pages_never_use(client):
    """Issue 14: no Permissions-Policy header. Public (cached), staff, API and static alike."""
    for url in [reverse("home"), reverse("admin:login"), "/api/v1/places", "/healthz"]:
        policy = client.get(url)["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy, url


def test_a_nonce_used_by_a_page_is_in_its_policy_and_changes_every_time(rf):
    from django.middleware.csp import ContentSecurityPolicyMiddleware
    from django.template import engines

    template = engines["django"].from_string('<script src="/a.js" nonce="{{ csp_nonce }}">')

    def view(request):
        from django.http import HttpResponse

        return HttpResponse(template.render({}, request))

    middleware = ContentSecurityPolicyMiddleware(view)
    nonces = []
    for _ in range(2):
        response = middleware(rf.get("/"))
        nonce = response.content.decode().split('nonce="')[1].split('"')[0]
        assert f"'nonce-{nonce}'" in _policy(response)["script-src"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


@override_settings(SECURE_HSTS_SECONDS=31_536_000)
def test_https_responses_carry_hsts(client):
    response = client.get(reverse("admin:login"), secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def test_session_and_csrf_cookies_are_secure_and_httponly(client, admin_user):
    login = reverse("admin:login")
    page = client.get(login)
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(
        login,
        {
            "username": "admin",
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": page.context["csrf_token"],
        },
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    # a staff session ends with the browser, and after two idle hours on the server
    assert session["max-age"] == "" and session["expires"] == ""
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert client.session.get_expiry_age() == 2 * 60 * 60


def test_logins_are_throttled_after_five_failures(client):
    login = reverse("admin:login")
    for _ in range(4):
        response = client.post(login, {"username": "admin", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    locked = client.post(login, {"username": "admin", "password": "wrong"})  # the fifth
    assert locked.status_code == 429
    assert "locked" in locked.content.decode().lower()
    # the right password does not get through while locked out
    right = client.post(login, {"username": "admin", "password": DEMO_PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # another account from the same address is not locked
    other = client.post(login, {"username": "approver", "password": "wrong"})
    assert other.status_code == 200


def test_weak_passwords_are_refused(admin_user):
    for weak in ("password", "12345678", "admin", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak, user=admin_user)
    validate_password("correct horse battery staple 2030", user=admin_user)


def test_the_admin_path_is_configurable(production_env):
    production_env["DJANGO_ADMIN_PATH"] = "staff-7f3a9c/"
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    result = subprocess.run(
        manage("shell", "-c", code),
        env=production_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "/staff-7f3a9c/"
