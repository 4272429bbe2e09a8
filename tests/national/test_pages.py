"""The measure page's national context: rank, quintile comparison, spread, similar areas and the
map, read from what the import stored, in a fixed number of queries."""

from __future__ import annotations

import html
import io
import shutil

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags

from dashboards.selectors.national import measure_context
from dashboards.selectors.national_map import measure_map
from dashboards.selectors.series import areas_for_dashboard
from outcomes.models import Measure
from tests.national.test_import import NATIONAL

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not NATIONAL.exists(), reason="the national data folder is not here"),
]


def _load(tmp_path, slug):
    folder = tmp_path / "indicators"
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in (".csv", ".json"):
        shutil.copy(NATIONAL / "indicators" / f"{slug}{suffix}", folder)
    if not (tmp_path / "geography").exists():
        (tmp_path / "geography").symlink_to(NATIONAL / "geography")
    call_command("import_national", str(folder), stdout=io.StringIO())


def _text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_the_measure_page_says_where_each_place_stands_in_england(client, tmp_path, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    _load(tmp_path, "employment-rate")
    measure = Measure.objects.get(slug="employment-rate")

    text = _text(client.get(measure.get_absolute_url()))

    assert "Where each area stands in England" in text
    assert "253rd of 294 districts in England; 1st is best (highest)" in text  # Barnsley, 2023
    assert "14th of 15 combined authorities in England" in text  # South Yorkshire
    assert "Worse: Worst fifth in England" in text
    assert "Fingertips' quintile method" in text
    assert "lowest 53.0%, lower quartile 73.1%, median 77.6%" in text
    assert "Barnsley: 18th of 21 with its similar areas; 1st is best" in text
    assert "Map: Districts in England by quintile, 2023" in text
    assert "Contains OS data © Crown copyright and database right 2025." in text
    assert "licensed under the Open Government Licence v3.0" in text


def test_the_national_context_costs_the_same_queries_with_or_without_data(
    tmp_path, django_assert_num_queries
):
    """Linked but not imported, and imported: four queries for the context, one for the map."""
    measure = Measure.objects.for_dashboard().get(slug="employment-rate")
    dashboard_areas = areas_for_dashboard()
    areas = dashboard_areas.all
    with django_assert_num_queries(5):
        empty = measure_context(measure, areas)
        no_map = measure_map(measure, areas=dashboard_areas)
    assert empty.standings == [] and no_map is None

    _load(tmp_path, "employment-rate")
    measure = Measure.objects.for_dashboard().get(slug="employment-rate")
    with django_assert_num_queries(5):
        context = measure_context(measure, areas)
        shown = measure_map(measure, areas=dashboard_areas)
    assert len(context.standings) == 7 and len(context.similar) == 5
    assert shown is not None
