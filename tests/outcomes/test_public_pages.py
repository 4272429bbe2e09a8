"""The public pages: open to everyone, showing only published values, in a fixed number of
queries, cacheable, and working with and without htmx."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from dashboards.caching import forget_publication_stamp
from outcomes.models import Measure, Period, Value
from places.models import Place
from tests.outcomes.html_tables import table
from tests.outcomes.public_helpers import clear_cache, tenfold_data  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

HLE = "male-healthy-life-expectancy"
LONGER = "longer-healthier-lives"

PAGES = {
    "home": reverse("home"),
    "outcomes": reverse("outcomes:index"),
    "places": reverse("places:index"),
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

# The publication stamp, the areas, outcomes, measures, values, periods and targets: one query
# each. The measure page and its download need no list of outcomes.
QUERIES = {
    "home": 8,  # + the measures with values by group
    "outcomes": 3,  # the stamp, the outcomes, the measures
    "places": 3,  # the stamp, the areas, the neighbourhoods
    # the outcome itself instead of the list of outcomes; + its commitments and their timelines
    # (4) and what residents said that shaped it (3)
    "outcome": 14,
    "outcome filtered": 14,
    "place": 9,  # + its neighbourhoods, + its values by group
    "system": 8,  # + its values by group
    # with the revision log; + its values by group; + the national context (4: the areas' latest
    # observations, the spreads, the similar areas and their values) and its map (1).
    "measure": 13,
    "measure csv": 7,  # + every published value of the measure, breakdowns included
    "measure xlsx": 7,
    "outcome csv": 7,
    "place xlsx": 7,
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


def test_a_cached_page_costs_no_query_and_a_new_publication_reads_afresh(
    client, django_assert_num_queries
):
    first = client.get(PAGES["home"])
    with django_assert_num_queries(0):
        again = client.get(PAGES["home"])
    assert again.content == first.content

    # Once the stamp is read again (after PUBLIC_STAMP_SECONDS, or at once when told), a
    # publication changes the cache key and the page is built anew.
    Value.objects.published().filter(measure__slug=HLE).update(published_at=timezone.now())
    forget_publication_stamp()
    with django_assert_num_queries(QUERIES["home"]):
        client.get(PAGES["home"])


def test_signed_in_users_always_read_the_stamp_afresh(
    client, approver, settings, django_assert_num_queries
):
    client.force_login(approver)
    client.get(PAGES["measure"])
    # + reading their session and user, and saving the session in a savepoint (3 queries):
    # SESSION_SAVE_EVERY_REQUEST slides the staff idle expiry on. With REDIS_URL the session
    # is read from the cache (cached_db), one query fewer.
    session_read = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
    with django_assert_num_queries(QUERIES["measure"] + 4 + session_read):
        client.get(PAGES["measure"])


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
    forget_publication_stamp()  # as PUBLIC_STAMP_SECONDS passing would

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


def test_the_index_pages_list_outcomes_with_their_measures_and_the_places(client):
    html = client.get(PAGES["outcomes"]).content.decode()
    for measure in Measure.objects.all():
        assert f'<a href="{measure.get_absolute_url()}">' in html
    html = client.get(PAGES["places"]).content.decode()
    for place in Place.objects.exclude(kind=Place.Kind.COMPARATOR):
        assert f'href="{place.get_absolute_url()}">{place.name}</a>' in html
    assert "England</a>" not in html


def test_breadcrumbs_lead_back_up(client):
    html = client.get(PAGES["measure"]).content.decode()
    outcome = Measure.objects.get(slug=HLE).outcome
    assert f'href="{outcome.get_absolute_url()}">{outcome.title}</a>' in html
    assert 'aria-label="Breadcrumb"' in html


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


def test_overview_says_when_the_data_was_last_updated(client):
    latest = timezone.localtime(Value.objects.published().latest("published_at").published_at)
    html = client.get(PAGES["home"]).content.decode()
    stamp = latest.strftime("%Y-%m-%dT%H:%M:%S%z")  # valid HTML: no microseconds
    assert f'Data last updated <time datetime="{stamp}">{latest:%-d %B %Y}</time>' in (html)


def test_overview_cell_has_value_period_and_status_in_words(client):
    rug = table(client.get(PAGES["home"]).content, "People live longer, healthier lives:")
    row = next(r for r in rug["rows"] if r[0] == "Healthy life expectancy at birth: men")
    barnsley = row[2]
    assert barnsley.startswith("55.2 years 2022-24 Worse than England")
    assert "Trend cannot be calculated Target: moving away from target" in barnsley
    assert row[-1].startswith("60.9 years 2022-24")


def test_overview_headline_counts(client):
    response = client.get(PAGES["home"])
    page = response.context["page"]
    cells = [cell for row in page.rows for cell in row.cells]
    assert page.headlines.results == 23 * 5
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
    assert barnsley[3:] == [
        "Worse than England",
        "Trend cannot be calculated",
        "Moving away from target",
    ]
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
    # The page's live region (outside the swapped panel) is told what changed, out of band.
    announcement = '<span id="panel-announcement" data-hx-swap-oob="innerHTML">'
    assert announcement + "Showing 6 measures for Barnsley." in html


def test_the_full_page_has_an_empty_live_region_for_htmx_to_fill(client):
    html = client.get(PAGES["outcome filtered"]).content.decode()
    assert '<p class="nhsuk-u-visually-hidden" id="panel-announcement" aria-live="polite"></p>' in (
        html
    )
    assert "hx-swap-oob" not in html


def test_pages_work_with_no_published_values_and_no_benchmark(client):
    from outcomes.models import ValueEvent

    ValueEvent.objects.all().delete()  # the audit record protects the values it is about
    Value.objects.all().delete()
    Place.objects.filter(code="E92000001").delete()
    for name, url in PAGES.items():
        assert client.get(url).status_code == 200, name
    html = client.get(PAGES["home"]).content.decode()
    assert "No values have been published for Barnsley." in html
    rug = table(html, "People live longer, healthier lives:")
    assert all("Not compared" in cell for row in rug["rows"][1:] for cell in row[1:6])


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
        "Barnsley, 55.2 years in 2022-24, is significantly lower than England (60.9 years): "
        "England&#x27;s value lies outside its 95% confidence interval (as published). The "
        "trend cannot be calculated: the periods overlap" in html
    )


def test_measure_page_hands_charts_over_as_json_with_a_table_beside(client):
    response = client.get(PAGES["measure"])
    html = response.content.decode()
    assert 'data-chart="time-series-data"' in html
    assert '<script id="time-series-data" type="application/json">' in html
    assert 'data-chart="comparison-data"' in html
    assert 'aria-describedby="table-over-time"' in html
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
