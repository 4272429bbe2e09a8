"""/api/v1/national/values: national values with their stored ranks and quintiles, the same
filters as /values, keyset pages (the same queries at any depth), the attribution."""

from __future__ import annotations

import pytest

from national.models import Observation
from tests.national_pages.conftest import needs_national

pytestmark = [pytest.mark.django_db, needs_national]

URL = "/api/v1/national/values"


def test_a_measure_and_a_place_give_that_areas_values_with_ranks(client, child_poverty):
    body = client.get(URL, {"measure": child_poverty.slug, "place": "barnsley"}).json()
    stored = Observation.objects.filter(
        indicator=child_poverty.national_indicator, area__code="E08000038"
    )
    assert len(body["results"]) == stored.count() > 0
    latest = stored.order_by("-period_start").first()
    row = next(r for r in body["results"] if r["period_start"] == latest.period_start.isoformat())
    assert (row["rank_low"], row["rank_high"], row["rank_of"]) == (
        latest.rank_low,
        latest.rank_high,
        latest.rank_of,
    )
    assert row["quintile"] == latest.quintile and row["area_name"] == "Barnsley"
    assert "Open Government Licence v3.0" in body["attribution"]
    # The same area by its current and its former code.
    for key in ("E08000038", "e08000016"):
        again = client.get(URL, {"measure": child_poverty.slug, "place": key}).json()
        assert [r["id"] for r in again["results"]] == [r["id"] for r in body["results"]]


def test_periods_filter_by_start_and_end(client, child_poverty):
    body = client.get(
        URL,
        {
            "indicator": child_poverty.national_indicator_id,
            "period_from": "2023-01-01",
            "period_to": "2025-12-31",
            "limit": 1000,
        },
    ).json()
    assert body["results"]
    assert all(r["period_start"] >= "2023-01-01" for r in body["results"])
    assert all(r["period_end"] <= "2025-12-31" for r in body["results"])


def test_keyset_pages_walk_every_row_once(client, child_poverty):
    expected = list(
        Observation.objects.filter(indicator=child_poverty.national_indicator)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    seen, url = [], f"{URL}?indicator={child_poverty.national_indicator_id}&limit=500"
    while url:
        body = client.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url = body["pagination"]["next"]
    assert seen == expected


def test_a_deep_page_takes_the_same_queries_as_the_first(
    client, child_poverty, django_assert_num_queries
):
    ids = list(Observation.objects.order_by("pk").values_list("pk", flat=True))
    with django_assert_num_queries(3):  # meta (the last publication) and the page
        client.get(URL, {"limit": 10})
    with django_assert_num_queries(3):
        body = client.get(URL, {"limit": 10, "after": ids[-20]}).json()
    assert [r["id"] for r in body["results"]] == ids[-19:-9]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"after": -1}, 422),
        ({"limit": 0}, 422),
        ({"limit": 5000}, 422),
        ({"indicator": "abc"}, 422),
        ({"period_from": "2024-13-01"}, 422),
        ({"place": "not a slug!"}, 422),
        ({"measure": "no-such-measure"}, 404),
        ({"measure": "life-satisfaction"}, 404),
    ],
)
def test_bad_filters_get_a_clear_error(client, child_poverty, unlinked, params, status):
    response = client.get(URL, params)
    assert response.status_code == status
    assert response.json()["detail"]
