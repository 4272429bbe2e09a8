"""The public pages: open to everyone, showing only published values, in a fixed number of
queries, cacheable, and working with and without htmx."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from outcomes.models import Measure, Period, Value
from places.models import Place
from tests.outcomes.html_tables import table
from tests.outcomes.public_helpers import clear_cache, tenfold_data  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

HLE = "male-healthy-life-expectancy"
LONGER = "longer-healthier-lives"

PAGES = {
    "home": reverse("home"),
    "outcome": reverse("outcomes:outcome", args=[LONGER]),
    "outcome filtered": reverse("outcomes:outcome", args=[LONGER]) + "?place=barnsley",
    "place": reverse("places:detail", args=["barnsley"]),
    "system": reverse("places:detail", args=["south-yorkshire"]),
    "measure": reverse("outcomes:measure", args=[HLE]),
    "measure csv": reverse("outcomes:measure-download", args=[HLE, "csv"]),
    "measure xlsx": reverse("outcomes:measure-download", args=[HLE, "xlsx"]),
    "outcome csv": reverse("outcomes:outcome-download", args=[LONGER, "csv"]),
    "place xlsx": reverse("places:download", args=["barnsley", "xlsx"]),
}

# The publication stamp, the areas, outcomes, measures, values and targets: one query each.
# The measure page and download need no list of outcomes.
QUERIES = {
    "home": 6,
    "outcome": 6,
    "outcome filtered": 6,
    "place": 6,
    "system": 6,
    "measure": 5,
    "measure csv": 6,  # + every published value of the measure, breakdowns included
    "measure xlsx": 6,
    "outcome csv": 6,
    "place xlsx": 6,
}


@pytest.mark.parametrize("name", PAGES)
def test_every_public_page_is_open_to_anonymous_visitors(client, name):
    response = client.get(PAGES[name])
    assert response.status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_query_count_is_fixed_and_stays_flat_at_ten_times_the_data(
    client, django_assert_num_queries, name
):
    with django_assert_num_queries(QUERIES[name]):
        assert client.get(PAGES[name]).status_code == 200

    assert tenfold_data() >= 10 * 1208
    from django.core.cache import cache

    cache.clear()
    with django_assert_num_queries(QUERIES[name]):
        assert client.get(PAGES[name]).status_code == 200


def test_a_cached_page_costs_one_query(client, django_assert_num_queries):
    first = client.get(PAGES["home"])
    with django_assert_num_queries(1):
        again = client.get(PAGES["home"])
    assert again.content == first.content


def test_pages_carry_validators_and_vary_on_htmx(client):
    response = client.get(PAGES["measure"])
    assert response["ETag"]
    latest = Value.objects.published().latest("published_at").published_at
    assert response["Last-Modified"] == latest.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert "HX-Request" in response["Vary"]
    assert "must-revalidate" in response["Cache-Control"]


def test_a_matching_etag_gets_not_modified_until_something_is_published(client):
    etag = client.get(PAGES["home"])["ETag"]
    assert client.get(PAGES["home"], HTTP_IF_NONE_MATCH=etag).status_code == 304

    value = Value.objects.published().get(
        measure__slug=HLE, place__slug="barnsley", period__start=date(2022, 1, 1)
    )
    value.value = Decimal("55.3")
    value.published_at = timezone.now()
    value.save()

    response = client.get(PAGES["home"], HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert b"55.3 years" in response.content


def test_htmx_and_plain_requests_get_different_etags(client):
    plain = client.get(PAGES["outcome"])
    htmx = client.get(PAGES["outcome"], HTTP_HX_REQUEST="true")
    assert plain["ETag"] != htmx["ETag"]


def test_signed_in_users_are_not_served_the_shared_copy(client, officer_barnsley):
    public = client.get(PAGES["home"])
    client.force_login(officer_barnsley)
    signed_in = client.get(PAGES["home"], HTTP_IF_NONE_MATCH=public["ETag"])
    assert signed_in.status_code == 200
    assert signed_in["ETag"] != public["ETag"]


def test_only_published_values_are_shown_anywhere(client):
    """A draft, a submitted and a returned value for a later period, with figures no published
    value has, appear on no page and in no download, and do not change the validators."""
    before = client.get(PAGES["home"])
    period = Period.objects.create(
        start=date(2023, 1, 1), end=date(2025, 12, 31), type="pooled_years"
    )
    measure = Measure.objects.get(slug=HLE)
    for place, state, figure in [
        ("barnsley", Value.State.DRAFT, "98.7"),
        ("doncaster", Value.State.SUBMITTED, "97.6"),
        ("rotherham", Value.State.RETURNED, "96.5"),
    ]:
        Value.objects.create(
            measure=measure,
            place=Place.objects.get(slug=place),
            period=period,
            value=Decimal(figure),
            state=state,
        )
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code == 200
        for figure in (b"98.7", b"97.6", b"96.5", b"2023-25"):
            assert figure not in response.content, (name, figure)
    again = client.get(PAGES["home"])
    assert again["ETag"] == before["ETag"]


def test_unknown_pages_are_not_found(client):
    assert client.get(reverse("outcomes:outcome", args=["nothing"])).status_code == 404
    assert client.get(reverse("outcomes:measure", args=["nothing"])).status_code == 404
    assert client.get(reverse("places:detail", args=["nowhere"])).status_code == 404
    # England is a benchmark, shown beside every place, not a place of the partnership.
    assert client.get(reverse("places:detail", args=["england"])).status_code == 404
    assert client.get("/measures/" + HLE + "/download.pdf").status_code == 404


# -------------------------------------------------------------------------------------------------
# The overview
# -------------------------------------------------------------------------------------------------


def test_overview_shows_every_outcome_with_a_rug_and_a_key(client):
    response = client.get(PAGES["home"])
    for title in [
        "Children and young people have the best start in life",
        "People live longer, healthier lives",
        "People live in safe, strong and vibrant communities",
        "People have the skills and resources to thrive",
    ]:
        rug = table(response.content, title + ":")
        assert rug["rows"][0] == [
            "Measure",
            "South Yorkshire",
            "Barnsley",
            "Doncaster",
            "Rotherham",
            "Sheffield",
            "England",
        ]
    assert b"Key to the colours and symbols" in response.content
    assert b"Data last updated" in response.content
    assert b"About the statistics" in response.content
    assert b"Contains public sector information licensed under the Open Government" in (
        response.content
    )


def test_overview_cell_has_value_period_and_status_in_words(client):
    rug = table(client.get(PAGES["home"]).content, "People live longer, healthier lives:")
    row = next(r for r in rug["rows"] if r[0] == "Healthy life expectancy at birth: men")
    barnsley = row[2]
    assert barnsley.startswith("55.2 years 2022-24 Worse than England")
    assert "Target: off track" in barnsley
    assert row[-1].startswith("60.9 years 2022-24")


def test_overview_headline_counts(client):
    response = client.get(PAGES["home"])
    page = response.context["page"]
    cells = [cell for row in page.rows for cell in row.cells]
    assert page.headlines.results == 16 * 5
    assert page.headlines.improving == sum(c.trend.status == "improving" for c in cells)
    assert page.headlines.getting_worse == sum(c.trend.status == "getting_worse" for c in cells)
    assert page.headlines.with_target == 14
    assert page.headlines.on_track + page.headlines.off_track <= 14
    assert f"{page.headlines.getting_worse}".encode() in response.content


def test_a_missing_value_is_a_dash_with_a_reason_never_zero(client):
    html = client.get(PAGES["home"]).content.decode()
    rug = table(html, "People live longer, healthier lives:")
    row = next(r for r in rug["rows"] if r[0] == "Cancers diagnosed at an early stage")
    sheffield = row[5]
    assert sheffield.startswith("No value was published for Sheffield for 2022.")
    assert "Not compared" in sheffield
    assert "0.0%" not in sheffield


# -------------------------------------------------------------------------------------------------
# The outcome page and its filter (with and without htmx)
# -------------------------------------------------------------------------------------------------


def test_outcome_page_shows_the_ambition_and_each_measure_by_place(client):
    response = client.get(PAGES["outcome"])
    assert response.context["page"].outcome.slug == LONGER
    assert b"People in South Yorkshire live longer and spend more" in response.content
    hle = table(response.content, "Healthy life expectancy at birth: men:")
    assert [r[0] for r in hle["rows"][1:]] == [
        "South Yorkshire",
        "Barnsley",
        "Doncaster",
        "Rotherham",
        "Sheffield",
        "England",
    ]
    barnsley = hle["rows"][2]
    assert barnsley[1] == "55.2 years 2022-24"
    assert 'role="img" aria-label="Trend line for Barnsley: from ' in response.content.decode()
    assert barnsley[3:] == ["Worse than England", "No significant change", "Off track"]
    assert b'<svg class="st-sparkline"' in response.content
    assert b'<form method="get"' in response.content


def test_outcome_filter_without_javascript_renders_the_whole_page(client):
    response = client.get(PAGES["outcome filtered"])
    assert b"<html" in response.content
    hle = table(response.content, "Healthy life expectancy at birth: men:")
    assert [r[0] for r in hle["rows"][1:]] == ["Barnsley", "England"]
    assert b'<option value="barnsley" selected>' in response.content
    assert (
        reverse("outcomes:outcome-download", args=[LONGER, "csv"]).encode() + (b"?place=barnsley")
        in response.content
    )


def test_outcome_filter_with_htmx_returns_just_the_panel(client):
    response = client.get(PAGES["outcome filtered"], HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="measure-panel"')
    assert "<html" not in html
    hle = table(html, "Healthy life expectancy at birth: men:")
    assert [r[0] for r in hle["rows"][1:]] == ["Barnsley", "England"]


def test_an_unknown_place_in_the_filter_is_an_error_beside_the_field(client):
    response = client.get(reverse("outcomes:outcome", args=[LONGER]) + "?place=atlantis")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_place"' in html
    assert "nhsuk-error-message" in html
    assert response.context["page"].columns[0].slug == "south-yorkshire"  # every place shown


# -------------------------------------------------------------------------------------------------
# The measure page
# -------------------------------------------------------------------------------------------------


def test_measure_page_shows_its_metadata(client):
    response = client.get(PAGES["measure"])
    html = response.content.decode()
    measure = Measure.objects.get(slug=HLE)
    for text in [
        escape(measure.definition),
        escape(measure.why_it_matters),
        "Office for National Statistics",
        "Open Government Licence v3.0",
        "Owning organisation",
        "Last updated",
        "Next update due",
        "Demonstration target.",
    ]:
        assert text in html, text


def test_measure_page_flags_an_overdue_update(client):
    Measure.objects.filter(slug=HLE).update(next_update_due=date(2020, 1, 1))
    html = client.get(PAGES["measure"]).content.decode()
    assert "Overdue" in html
    Measure.objects.filter(slug=HLE).update(next_update_due=date(2099, 1, 1))
    from django.core.cache import cache

    cache.clear()
    assert "Overdue" not in client.get(PAGES["measure"]).content.decode()


def test_measure_page_says_why_for_each_place(client):
    html = client.get(PAGES["measure"]).content.decode()
    assert (
        "Barnsley, 55.2 years in 2022-24, is significantly lower than England (60.9 years). "
        "Over the last 5 periods there is no significant change." in html
    )


def test_measure_page_hands_charts_over_as_json_with_a_table_beside(client):
    response = client.get(PAGES["measure"])
    html = response.content.decode()
    assert 'data-chart="time-series-figure"' in html
    assert '<script id="time-series-figure" type="application/json">' in html
    assert 'data-chart="comparison-figure"' in html
    assert html.count("<script>") == 0  # no inline script (json_script blocks have a type)
    assert 'style="' not in html
    over_time = table(html, "Healthy life expectancy at birth: men by period")
    assert over_time["rows"][0][:2] == ["Period", "South Yorkshire"]
    latest_period = over_time["rows"][1]
    assert latest_period[0] == "2022-24"
    assert latest_period[2] == "55.2 years (51.6 years to 58.8 years)"
    latest = table(html, "Healthy life expectancy at birth: men, 2022-24, by area")
    barnsley = next(r for r in latest["rows"] if r[0] == "Barnsley")
    assert barnsley == ["Barnsley", "55.2 years", "51.6 years to 58.8 years", "Worse than England"]


# -------------------------------------------------------------------------------------------------
# The place page
# -------------------------------------------------------------------------------------------------


def test_place_page_shows_every_measure_beside_the_system_and_england(client):
    response = client.get(PAGES["place"])
    rug = table(response.content, "People live longer, healthier lives: Barnsley's latest")
    assert rug["rows"][0] == [
        "Measure",
        "Barnsley",
        "South Yorkshire",
        "England",
        "Statuses for Barnsley",
    ]
    hle = next(r for r in rug["rows"] if r[0].startswith("Healthy life expectancy at birth: men"))
    assert hle[1:4] == ["55.2 years 2022-24", "56.2 years 2022-24", "60.9 years 2022-24"]
    assert hle[4] == "Worse than England No significant change Off track"
    assert "is significantly lower than England (60.9 years)" in hle[0]
    page = response.context["page"]
    assert sum(len(group.rows) for group in page.outcomes) == 16


def test_place_page_lists_what_is_improving_and_getting_worse(client):
    response = client.get(reverse("places:detail", args=["sheffield"]))
    page = response.context["page"]
    html = response.content.decode()
    assert "What is improving" in html and "What is getting worse" in html
    worse = [row.measure.slug for row in page.getting_worse]
    assert HLE in worse  # Sheffield's male healthy life expectancy fell significantly
    for row in page.getting_worse:
        assert row.cell.trend.status == "getting_worse"
        assert row.measure.get_absolute_url() in html


def test_the_systems_own_page_does_not_repeat_itself(client):
    rug = table(client.get(PAGES["system"]).content, "People live longer, healthier lives: South")
    assert rug["rows"][0] == [
        "Measure",
        "South Yorkshire",
        "England",
        "Statuses for South Yorkshire",
    ]
