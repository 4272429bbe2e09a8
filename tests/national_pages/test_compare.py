"""Compare areas: any areas, one measure, side by side over time; a link that reproduces the
view, downloads with the attribution, clear messages for bad input and never a 500."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from national.models import Observation
from places.models import Place
from tests.national_pages.conftest import needs_national

pytestmark = [pytest.mark.django_db, needs_national]

BARNSLEY, LEEDS, SOUTH_YORKSHIRE = "E08000038", "E08000035", "E47000002"
ATTRIBUTION = "licensed under the Open Government Licence v3.0"


def _query(measure, *codes) -> str:
    areas = "&".join(f"area={c}" for c in codes)
    return f"{areas}&indicator={measure.national_indicator_id}"


def test_an_anonymous_visitor_sees_the_chosen_areas_side_by_side(client, child_poverty):
    response = client.get(f"/compare/?{_query(child_poverty, BARNSLEY, LEEDS, SOUTH_YORKSHIRE)}")
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('id="table-compare"')[1].split("</table>")[0]
    for name in ("Barnsley", "Leeds", "South Yorkshire"):
        assert f'scope="col">{name}</th>' in table
    barnsley = Observation.objects.filter(
        indicator=child_poverty.national_indicator, area__code=BARNSLEY
    ).order_by("-period_start")[0]
    assert f"{barnsley.value:.1f}%" in table
    assert f"highest of {barnsley.rank_of}" in table
    assert 'data-chart="compare-chart-data"' in html
    # The link reproduces the view; the downloads carry the same choice.
    assert f"/compare/?area={BARNSLEY}&amp;area={LEEDS}&amp;area={SOUTH_YORKSHIRE}" in html
    assert f"/compare/download.csv?area={BARNSLEY}" in html
    assert ATTRIBUTION in html


def test_the_search_lists_matching_areas_as_checkboxes_without_javascript(client, child_poverty):
    html = client.get(f"/compare/?q=sheff&area={BARNSLEY}").content.decode()
    assert 'id="area-match-E08000039"' in html  # Sheffield, to tick
    assert f'id="area-chosen-{BARNSLEY}"' in html and "checked" in html
    assert "No area's name" not in html
    html = client.get("/compare/?q=zzqx").content.decode()
    assert "No area's name has all of those words" in html


def test_htmx_swaps_only_the_matching_areas(client, child_poverty):
    response = client.get(
        f"/compare/?q=barns&area={LEEDS}",
        headers={"HX-Request": "true", "HX-Target": "area-matches"},
    )
    html = response.content.decode()
    assert html.strip().startswith('<div id="area-matches"')
    assert f'id="area-match-{BARNSLEY}"' in html
    assert "<h1>" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("area=NOTACODE&indicator={ind}", "is not an area code"),
        ("area=E99999999&indicator={ind}", "No area has the code E99999999"),
        (
            "area=" + "&area=".join(f"E080000{n}" for n in range(10, 23)) + "&indicator={ind}",
            "Choose at most 12 areas; you chose 13",
        ),
        ("area=E08000038&indicator=999999", "Select a valid choice"),
        ("area=E08000038&indicator=abc", "Select a valid choice"),
        ("area=E08000038&measure=life-satisfaction", "has no national data to compare"),
        ("q=" + "x" * 150, "at most 100 characters"),
    ],
)
def test_bad_input_gets_a_clear_message_not_a_500(client, child_poverty, unlinked, query, message):
    response = client.get("/compare/?" + query.format(ind=child_poverty.national_indicator_id))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "There is a problem" in html
    assert 'id="table-compare"' not in html


def test_a_measure_slug_chooses_its_national_indicator(client, child_poverty):
    html = client.get(f"/compare/?area={BARNSLEY}&measure={child_poverty.slug}").content.decode()
    assert 'id="table-compare"' in html


def test_the_downloads_hold_the_values_and_the_attribution(client, child_poverty):
    query = _query(child_poverty, BARNSLEY, LEEDS)
    response = client.get(f"/compare/download.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="compare-children')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    stored = Observation.objects.filter(
        indicator=child_poverty.national_indicator, area__code__in=[BARNSLEY, LEEDS]
    ).count()
    assert len(rows) == stored
    assert all(ATTRIBUTION in row["attribution"] for row in rows)
    assert {row["area_name"] for row in rows} == {"Barnsley", "Leeds"}

    response = client.get(f"/compare/download.xlsx?{query}")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["Data"].max_row == stored + 1
    about = [row for row in workbook["About"].iter_rows(values_only=True)]
    assert any(ATTRIBUTION in str(row[1]) for row in about if len(row) > 1)


def test_a_download_without_a_choice_says_what_is_missing(client, child_poverty):
    response = client.get("/compare/download.csv")
    assert response.status_code == 400
    assert "Choose at least one area and a measure" in response.content.decode()


def test_the_page_takes_a_fixed_number_of_queries(client, child_poverty, django_assert_num_queries):
    # The indicators, the chosen areas, the indicator and its dataset, the values.
    with django_assert_num_queries(4):
        client.get(f"/compare/?{_query(child_poverty, BARNSLEY)}")
    twelve = list(
        Place.objects.filter(observations__indicator=child_poverty.national_indicator)
        .distinct()
        .values_list("code", flat=True)[:12]
    )
    with django_assert_num_queries(4):
        response = client.get(f"/compare/?{_query(child_poverty, *twelve)}")
    assert response.content.decode().count('class="nhsuk-table__header" scope="col"') == 13
    # Searching adds one.
    with django_assert_num_queries(5):
        client.get(f"/compare/?q=york&{_query(child_poverty, BARNSLEY)}")
