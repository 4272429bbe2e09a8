import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.urls import reverse

from outcomes.models import Outcome

pytestmark = pytest.mark.django_db


def test_home_lists_the_outcomes_in_order(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("home"))

    assert response.status_code == 200
    titles = [outcome.title for outcome in response.context["outcomes"]]
    assert titles == list(Outcome.objects.values_list("title", flat=True))
    assert titles  # the demo's outcomes
    for outcome in Outcome.objects.all():
        assert outcome.ambition in response.text
    assert "<title>Home – Strategy Tracker</title>" in response.text


def test_home_query_count_does_not_grow_with_outcomes(client, django_assert_num_queries):
    Outcome.objects.bulk_create(
        Outcome(title=f"Outcome {n}", slug=f"outcome-{n}", ambition="To do better.", order=50 + n)
        for n in range(10)
    )
    with django_assert_num_queries(1):
        client.get(reverse("home"))


def test_home_says_so_when_there_are_no_outcomes(rf):
    request = rf.get("/")
    request.user = AnonymousUser()

    html = render_to_string("home.html", {"outcomes": []}, request=request)

    assert "No outcomes have been published yet." in html


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
