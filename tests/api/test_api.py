"""The open data API: published values only, the same numbers as the pages and their downloads,
pagination, filters, caching headers, CORS and the licence in every response."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from openpyxl import load_workbook

from commitments.models import CommitmentUpdate, UpdateState
from core.context_processors import OGL_ATTRIBUTION
from dashboards.selectors import measure as measure_selectors
from dashboards.selectors import series
from outcomes.models import Measure, Period, Value
from places.models import Place

API = "/api/v1"


def get_json(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def all_results(client, url):
    """Follow pagination.next to the end."""
    results = []
    while url:
        body = get_json(client, url)
        results.extend(body["results"])
        url = body["pagination"]["next"]
    return results


@pytest.fixture
def unpublished_values(db):
    """A draft, a submitted and a returned value, each with a figure no published value has."""
    measure = Measure.objects.get(slug="economic-inactivity")
    barnsley = Place.objects.get(slug="barnsley")
    made = []
    for year, state, figure in [
        (2031, Value.State.DRAFT, "11.111"),
        (2032, Value.State.SUBMITTED, "22.222"),
        (2033, Value.State.RETURNED, "33.333"),
    ]:
        period = Period.objects.create(
            start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31), type="calendar_year"
        )
        made.append(
            Value.objects.create(
                measure=measure, place=barnsley, period=period, value=Decimal(figure), state=state
            )
        )
    return made


def test_every_response_carries_the_licence(client, db):
    for url in [
        "/",
        "/places",
        "/outcomes",
        "/measures",
        "/values?limit=1",
        "/statuses?limit=1",
        "/commitments",
        "/values?measure=no-such-measure",
        "/values?limit=0",
    ]:
        body = client.get(API + url).json()
        assert body["meta"]["attribution"] == OGL_ATTRIBUTION, url
        assert body["meta"]["licence"] == "Open Government Licence v3.0"


def test_the_values_are_exactly_the_published_ones(client, db):
    results = all_results(client, f"{API}/values?limit=1000")
    published = Value.objects.published()
    assert len(results) == published.count() == 1383 + 186  # + absence by pupil group
    by_key = {
        (v.measure.slug, v.place.slug, v.period.start, v.period.end, str(v.breakdown or "")): v
        for v in published.with_related()
    }
    for row in results:
        value = by_key[
            (
                row["measure"],
                row["place"],
                datetime.date.fromisoformat(row["period"]["start"]),
                datetime.date.fromisoformat(row["period"]["end"]),
                "" if row["breakdown"] == "All people" else row["breakdown"],
            )
        ]
        expected = None if value.value is None else float(value.value)
        assert row["value"] == expected
        assert row["lower_ci"] == (None if value.lower_ci is None else float(value.lower_ci))
        assert row["value_formatted"] == value.formatted
    keys = [(r["measure"], r["place"], r["period"]["start"], r["breakdown"]) for r in results]
    assert len(set(keys)) == len(keys)  # pages neither overlap nor skip


def test_no_draft_is_reachable(client, unpublished_values):
    figures = {11.111, 22.222, 33.333}
    results = all_results(client, f"{API}/values?measure=economic-inactivity&place=barnsley")
    assert not figures & {r["value"] for r in results}
    assert (
        len(results)
        == Value.objects.published()
        .filter(measure__slug="economic-inactivity", place__slug="barnsley")
        .count()
    )
    for fmt in ["csv", "xlsx"]:
        content = client.get(f"{API}/values.{fmt}?measure=economic-inactivity").getvalue()
        if fmt == "csv":
            assert not any(f in content.decode() for f in ["11.111", "22.222", "33.333"])
        else:
            sheet = load_workbook(io.BytesIO(content))["Values"]
            assert not figures & {
                float(c)
                for (c,) in sheet.iter_rows(min_col=8, max_col=8, min_row=2, values_only=True)
                if c is not None
            }
    statuses = get_json(client, f"{API}/statuses?measure=economic-inactivity&place=barnsley")
    assert statuses["results"][0]["latest_value"] not in figures
    assert statuses["results"][0]["latest_period"]["start"] < "2031"


def test_no_unpublished_commitment_update_is_reachable(client, db):
    from commitments.services import commitments_demo_seed

    commitments_demo_seed()
    hidden = CommitmentUpdate.objects.exclude(state=UpdateState.PUBLISHED)
    assert hidden.count() == 2
    body = client.get(f"{API}/commitments").content.decode()
    for update in hidden:
        assert update.progress.split("\n")[0] not in body
    results = get_json(client, f"{API}/commitments")["results"]
    published = CommitmentUpdate.objects.published().count()
    assert sum(len(c["updates"]) for c in results) == published


def test_filters_by_measure_place_and_period_range(client, db):
    url = (
        f"{API}/values?measure=adult-obesity&place=E08000016"  # Barnsley's former code
        "&period_from=2018-01-01&period_to=2022-12-31"
    )
    results = all_results(client, url)
    expected = Value.objects.published().filter(
        measure__slug="adult-obesity",
        place__slug="barnsley",
        period__start__gte=datetime.date(2018, 1, 1),
        period__end__lte=datetime.date(2022, 12, 31),
    )
    assert len(results) == expected.count() > 0
    assert {r["place"] for r in results} == {"barnsley"}


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("measure=nothing-like-this", 404, "no measure"),
        ("place=atlantis", 404, "no place"),
        ("period_from=2024-13-01", 422, "period_from"),
        ("period_from=0", 422, "YYYY-MM-DD"),
        ("limit=1001", 422, "limit"),
        ("offset=-1", 422, "offset"),
    ],
)
def test_bad_filters_say_what_is_wrong(client, db, query, status, says):
    response = client.get(f"{API}/values?{query}")
    assert response.status_code == status
    assert says in response.content.decode()


def test_pagination_is_stable_and_linked(client, db):
    first = get_json(client, f"{API}/values?limit=50")
    second = get_json(client, first["pagination"]["next"])
    again = get_json(client, f"{API}/values?limit=50&offset=50")
    assert second["results"] == again["results"]
    assert first["pagination"]["count"] == 1383 + 186
    assert first["pagination"]["previous"] is None
    assert second["pagination"]["previous"].endswith("limit=50&offset=0")


def test_csv_and_xlsx_hold_the_same_numbers_as_the_json(client, db):
    query = "measure=female-healthy-life-expectancy"
    json_rows = all_results(client, f"{API}/values?{query}")
    response = client.get(f"{API}/values.csv?{query}")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert len(rows) == len(json_rows)
    for row, item in zip(rows, json_rows, strict=True):
        assert (row["place"], row["period_start"]) == (item["place"], item["period"]["start"])
        assert (float(row["value"]) if row["value"] else None) == item["value"]
        assert row["licence"] == "Open Government Licence v3.0"

    book = load_workbook(io.BytesIO(client.get(f"{API}/values.xlsx?{query}").getvalue()))
    sheet = book["Values"]
    header = [c.value for c in sheet[1]]
    values = [
        dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert [
        (v["place"], float(v["value"]) if v["value"] is not None else None) for v in values
    ] == [(i["place"], i["value"]) for i in json_rows]
    about = [tuple(r) for r in book["About"].iter_rows(values_only=True)]
    assert ("Attribution", OGL_ATTRIBUTION) in about


def test_the_api_and_the_measure_pages_download_agree_number_for_number(client, db):
    cache.clear()
    for measure in Measure.objects.all():
        page = client.get(reverse("outcomes:measure-download", args=[measure.slug, "csv"]))
        assert page.status_code == 200
        page_rows = list(csv.DictReader(io.StringIO(page.content.decode("utf-8-sig"))))
        page_numbers = sorted(
            (r["area_code"], r["period_start"], r["period_end"], r["value"] or None)
            for r in page_rows
        )
        api = client.get(f"{API}/values.csv?measure={measure.slug}")
        api_rows = list(csv.DictReader(io.StringIO(api.getvalue().decode("utf-8-sig"))))
        api_numbers = sorted(
            (r["place_code"], r["period_start"], r["period_end"], r["value"] or None)
            for r in api_rows
        )
        assert api_numbers == page_numbers, measure.slug


def test_statuses_are_the_pages_statuses(client, db):
    areas = series.areas_for_dashboard()
    results = all_results(client, f"{API}/statuses")
    assert len(results) == Measure.objects.count() * (len(areas.shown) + 1)
    by_key = {(r["measure"], r["place"]): r for r in results}
    for measure in Measure.objects.for_dashboard():
        page = measure_selectors.measure_page(measure, areas=areas)
        for cell in page.cells:
            row = by_key[(measure.slug, cell.place.slug)]
            assert row["comparison"]["status"] == cell.comparison
            assert row["comparison"]["label"] == cell.comparison_tag.label
            assert row["trend"]["status"] == cell.trend.status
            assert row["target"]["status"] == cell.target_assessment.status
            assert row["latest_value_formatted"] == cell.latest_formatted
            assert row["comparison"]["sentence"] == cell.comparison_sentence


def test_statuses_agree_with_the_rendered_measure_page(client, db):
    cache.clear()
    results = get_json(client, f"{API}/statuses?measure=economic-inactivity")["results"]
    html = client.get(reverse("outcomes:measure", args=["economic-inactivity"])).content.decode()
    for row in results:
        assert row["latest_value_formatted"] in html
        assert row["comparison"]["label"] in html


def test_the_statuses_cost_a_fixed_number_of_queries(client, db, django_assert_num_queries):
    # areas, measures, periods, values, targets; the publication stamp (two)
    with django_assert_num_queries(7):
        client.get(f"{API}/statuses?limit=1000")
    with django_assert_num_queries(7):
        client.get(f"{API}/statuses?limit=1000&offset=20")


def test_etag_and_last_modified_give_304(client, db):
    first = client.get(f"{API}/values?measure=adult-obesity")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    latest = Value.objects.published().latest("published_at").published_at
    assert last_modified == http_date(latest.timestamp())
    assert (
        client.get(
            f"{API}/values?measure=adult-obesity", headers={"If-None-Match": etag}
        ).status_code
        == 304
    )
    assert (
        client.get(
            f"{API}/values?measure=adult-obesity", headers={"If-Modified-Since": last_modified}
        ).status_code
        == 304
    )
    # A new publication changes both.
    value = Value.objects.published().filter(measure__slug="adult-obesity").first()
    value.value = (value.value or 0) + 1
    value.published_at = timezone.now() + datetime.timedelta(seconds=5)
    value.save()
    after = client.get(f"{API}/values?measure=adult-obesity", headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after["ETag"] != etag and after["Last-Modified"] != last_modified


def test_cors_allows_any_origin_to_read_but_nothing_else(client, db):
    response = client.get(f"{API}/places", headers={"Origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        f"{API}/values",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert client.post(f"{API}/values").status_code == 405
    assert "Access-Control-Allow-Origin" not in client.get("/commitments/")


def test_the_docs_page_lists_every_operation(client, db):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    for path in ["/places", "/values", "/values.csv", "/values.xlsx", "/statuses", "/commitments"]:
        assert f"GET /api/v1{path}</code>" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script (CSP)
    assert 'style="' not in html
    assert OGL_ATTRIBUTION in html


def test_an_export_larger_than_the_bound_is_refused_with_how_to_narrow_it(client, db, settings):
    """Issue 14, finding 3: one anonymous GET cannot ask for every value at once."""
    settings.EXPORT_MAX_ROWS = 100
    for fmt in ["csv", "xlsx"]:
        response = client.get(f"{API}/values.{fmt}")
        assert response.status_code == 422
        detail = response.json()["detail"]
        assert "This selection has 1,569 published values" in detail
        assert "at most 100" in detail and "limit and offset" in detail
        small = client.get(f"{API}/values.{fmt}?measure=adult-obesity&place=barnsley")
        assert small.status_code == 200 and small.streaming  # written as it is sent
