"""The home page's frame (the dashboard itself is tested in tests/outcomes/test_public_*.py)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_has_the_open_government_licence_attribution(client):
    response = client.get(reverse("home"))
    assert (
        "Contains public sector information licensed under the Open Government Licence v3.0."
        in response.text
    )
    assert "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/" in (
        response.text
    )


def test_navigation_marks_the_current_page(client):
    response = client.get(reverse("home"))
    assert '<a class="nhsuk-header__navigation-link" href="/" aria-current="page">' in (
        response.text
    )
    assert "nhsuk-header__navigation-item--current" in response.text
