"""Search for measures and areas by name (PostgreSQL full-text search)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _html(client, q: str) -> str:
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_words_match_as_prefixes_and_link_to_the_pages(client):
    html = _html(client, "barns")
    assert '<a href="/places/barnsley/">Barnsley</a>' in html
    assert "/compare/?area=E08000038" in html
    html = _html(client, "healthy life")
    assert 'href="/measures/male-healthy-life-expectancy/"' in html
    assert 'href="/measures/female-healthy-life-expectancy/"' in html
    assert 'href="/places/barnsley/"' not in html


def test_every_word_must_match(client):
    html = _html(client, "life wom")
    assert "female-healthy-life-expectancy" in html
    assert "/measures/male-healthy-life-expectancy/" not in html


def test_a_linked_measure_links_to_the_compare_page(client):
    from outcomes.models import Measure

    linked = Measure.objects.filter(national_indicator__isnull=False).first()
    if linked is None:
        pytest.skip("the demo has no measure linked to national data here")
    html = _html(client, linked.title.split()[0])
    assert f"/compare/?measure={linked.slug}" in html


@pytest.mark.parametrize("q", ["'", ":*", "a & | ! (", "\\", "%", "x" * 99, "ünïcödé"])
def test_odd_input_is_answered_not_a_500(client, q):
    html = _html(client, q)
    assert "result" in html or "Nothing matches" in html


def test_too_long_a_search_says_so(client):
    html = _html(client, "x" * 150)
    assert "at most 100 characters" in html
    assert "There is a problem" in html


def test_nothing_found_says_so(client):
    assert "Nothing matches every word" in _html(client, "zzqxj")


def test_a_search_takes_two_queries(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get("/search/", {"q": "york"})
    with django_assert_num_queries(0):
        client.get("/search/")
