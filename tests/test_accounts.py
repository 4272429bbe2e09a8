"""Signing in and out with Django's auth views and the NHS.UK-styled templates."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-2030"


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(username="test.officer", password=PASSWORD)


def test_sign_in_page(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert "<title>Sign in – Strategy Tracker</title>" in response.text
    assert 'autocomplete="username"' in response.text
    assert 'autocomplete="current-password"' in response.text
    assert 'class="nhsuk-input"' in response.text
    assert "nhsuk-error-summary" not in response.text


def test_a_wrong_password_shows_the_error_summary(client, officer):
    response = client.post(reverse("login"), {"username": "test.officer", "password": "wrong"})

    assert response.status_code == 200
    assert response.text.count("<title>Error: Sign in – Strategy Tracker</title>") == 1
    assert "There is a problem" in response.text
    assert '<a href="#id_username">Please enter a correct username and password.' in (response.text)


def test_a_missing_field_is_marked_beside_the_field(client):
    response = client.post(reverse("login"), {"username": "test.officer", "password": ""})

    assert '<a href="#id_password">Enter your password</a>' in response.text
    assert 'id="id_password_error"' in response.text
    assert 'aria-describedby="id_password_error"' in response.text
    assert "nhsuk-form-group--error" in response.text
    assert "nhsuk-input nhsuk-input--error" in response.text


def test_sign_in_then_out(client, officer):
    response = client.post(
        reverse("login"), {"username": "test.officer", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.context["user"] == officer
    assert 'action="/accounts/logout/"' in response.text

    response = client.post(reverse("logout"))
    assert response.status_code == 200
    assert "You have signed out" in response.text
    assert not response.context["user"].is_authenticated


def test_sign_out_is_post_only(client, officer):
    client.force_login(officer)
    assert client.get(reverse("logout")).status_code == 405


def test_staff_see_manage_in_the_navigation(client, admin_user, officer):
    client.force_login(officer)
    assert ">Manage<" not in client.get(reverse("home")).text
    client.force_login(admin_user)
    assert ">Manage<" in client.get(reverse("home")).text


def test_the_admin_is_at_its_setting(client, admin_user, settings):
    client.force_login(admin_user)
    assert reverse("admin:index") == f"/{settings.ADMIN_PATH}"
    assert client.get(reverse("admin:index")).status_code == 200
