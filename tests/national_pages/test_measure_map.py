"""The map on a measure page: England's areas shaded by fifth (quintile), the partnership's
places outlined and linked, and the same numbers in tables, from the stored ranks."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.selectors import national_map
from dashboards.selectors.series import areas_for_dashboard
from national.models import Dataset, Indicator, Observation
from outcomes.models import Measure
from tests.national_pages.conftest import needs_national

pytestmark = [pytest.mark.django_db, needs_national]

URL = "/measures/{}/"


def _page(client, measure) -> str:
    cache.clear()  # the public page cache keys on publications, not on a measure's settings
    response = client.get(URL.format(measure.slug))
    assert response.status_code == 200
    return response.content.decode()


def _latest_barnsley(measure) -> Observation:
    return (
        Observation.objects.filter(
            indicator=measure.national_indicator, area__code="E08000038", rank_of__isnull=False
        )
        .order_by("-period_start")
        .first()
    )


def test_a_linked_measure_shows_englands_map_with_the_places_outlined_and_linked(
    client, child_poverty
):
    html = _page(client, child_poverty)
    barnsley = _latest_barnsley(child_poverty)
    assert 'id="england-map"' in html
    # Every district of England is drawn; the partnership's four are links to their pages.
    svg = html.split('class="st-map__svg"')[1].split("</svg>")[0]
    assert svg.count('<path d="M') == 296
    assert re.search(r'<a href="/places/barnsley/" class="st-map__link"><path', html)
    assert html.count('class="st-map__link"') == 4
    # Lower is better for child poverty: the best fifth is the lowest values, rank 1 the lowest.
    labels = ["Best fifth", "Second best fifth", "Middle fifth", "Second worst fifth"]
    labels.append("Worst fifth")
    assert (
        f"{barnsley.rank_low} of {barnsley.rank_of}".replace(
            str(barnsley.rank_low), _ordinal(barnsley.rank_low)
        )
        in html
    )
    assert labels[barnsley.quintile - 1] in html
    assert "Rank (1st is best)" in html
    assert "Contains OS data © Crown copyright and database right 2025." in html
    assert "licensed under the Open Government Licence v3.0" in html
    assert f"All {barnsley.rank_of} districts in England" in html


def _ordinal(n: int) -> str:
    from dashboards.selectors.national_map import ordinal

    return ordinal(n)


def test_the_fifths_follow_the_measures_polarity(client, child_poverty):
    barnsley = _latest_barnsley(child_poverty)
    child_poverty.polarity = Measure.Polarity.HIGHER
    child_poverty.save(update_fields=["polarity"])
    html = _page(client, child_poverty)
    row = re.search(r'<a href="/places/barnsley/">Barnsley</a></th>(.*?)</tr>', html, re.S)[1]
    assert f"{_ordinal(barnsley.rank_high)} of {barnsley.rank_of}" in row

    child_poverty.polarity = Measure.Polarity.NONE
    child_poverty.save(update_fields=["polarity"])
    html = _page(client, child_poverty)
    assert "Best fifth" not in html and "Highest fifth" in html and "Lowest fifth" in html
    assert "Rank (1st is highest)" in html
    assert "makes no judgement" in html


def test_the_tables_hold_every_ranked_area_and_the_places_first(client, child_poverty):
    html = _page(client, child_poverty)
    barnsley = _latest_barnsley(child_poverty)
    ours = html.split('id="table-england-places"')[1].split("</table>")[0]
    assert ours.count('scope="row"') == 4
    everyone = html.split('id="table-england-all"')[1].split("</table>")[0]
    assert everyone.count('scope="row"') == barnsley.rank_of


def test_a_measure_without_a_national_indicator_has_no_map(client, unlinked):
    assert 'id="england-map"' not in _page(client, unlinked)


def _count(client, measure) -> int:
    with CaptureQueriesContext(connection) as queries:
        _page(client, measure)
    return len(queries)


def test_the_map_takes_one_query_and_none_without_a_national_indicator(
    child_poverty, unlinked, django_assert_num_queries
):
    areas = areas_for_dashboard()
    with django_assert_num_queries(1):
        assert national_map.measure_map(child_poverty, areas=areas) is not None
    with django_assert_num_queries(0):
        assert national_map.measure_map(unlinked, areas=areas) is None


def test_the_page_takes_the_same_queries_with_or_without_national_data(
    client, child_poverty, django_assert_num_queries
):
    with_data = _count(client, child_poverty)
    # Linked to an indicator with no values yet: the same queries find nothing.
    empty = Indicator.objects.create(
        dataset=Dataset.objects.create(slug="empty", title="Empty"), name="Nothing yet"
    )
    child_poverty.national_indicator = empty
    child_poverty.save(update_fields=["national_indicator"])
    with django_assert_num_queries(with_data):
        html = _page(client, child_poverty)
    assert 'id="england-map"' not in html
