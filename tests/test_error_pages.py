"""The 404 and 500 pages: NHS.UK styled, and the 500 page needs nothing but static files."""

import pytest
from django.template.loader import get_template
from django.test import Client


@pytest.mark.django_db
def test_page_not_found(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text
    assert "nhsuk-header" in response.text


def test_server_error_page_renders_without_a_request_or_database():
    html = get_template("500.html").render({})

    assert "Sorry, there is a problem with the service" in html
    assert "nhsuk-frontend.min.css" in html


@pytest.mark.django_db
def test_server_error_uses_the_template(settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    urlconf = type("urls", (), {"urlpatterns": [path("broken/", broken)]})
    settings.ROOT_URLCONF = urlconf
    response = Client(raise_request_exception=False).get("/broken/")

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
