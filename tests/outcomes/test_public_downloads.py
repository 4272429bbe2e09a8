"""Downloads: CSV and XLSX of what each page shows, equal to the published values, with period
labels, intervals, statuses, metadata and the Open Government Licence attribution."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.context_processors import OGL_ATTRIBUTION
from dashboards.downloads import COLUMNS
from outcomes.models import Measure, Period, Value
from places.models import Place
from tests.outcomes.public_helpers import clear_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def read_csv(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def test_csv_is_one_header_row_then_data(client):
    response = client.get(reverse("outcomes:measure-download", args=["adult-obesity", "csv"]))
    header = response.content.decode().splitlines()[0]
    assert header.split(",") == COLUMNS


def test_each_measure_csv_equals_its_published_values(client):
    for measure in Measure.objects.all():
        rows = read_csv(
            client.get(reverse("outcomes:measure-download", args=[measure.slug, "csv"]))
        )
        published = {
            (v.place.code, v.period.start.isoformat(), v.period.end.isoformat()): v
            for v in Value.objects.published()
            .for_measure(measure)
            .all_people()  # values by group: test_inequalities.py
            .select_related("place", "period")
        }
        rows = [row for row in rows if row["breakdown"] == "All people"]
        assert len(rows) == len(published), measure.slug
        for row in rows:
            value = published[(row["area_code"], row["period_start"], row["period_end"])]
            assert _decimal(row["value"]) == value.value
            assert _decimal(row["lower_ci_95"]) == value.lower_ci
            assert _decimal(row["upper_ci_95"]) == value.upper_ci
            assert row["period"] == value.period.label
            assert row["measure"] == measure.title
            assert row["place"] == value.place.name
            assert row["unit"] == measure.unit_label
            assert row["licence"] == "Open Government Licence v3.0"
            assert row["attribution"] == OGL_ATTRIBUTION
            assert row["breakdown"] == "All people"
            if value.value is None:
                assert row["note"].startswith("No value published")


def test_measure_csv_leaves_out_unpublished_values_and_includes_breakdowns(client):
    from outcomes.models import Breakdown

    measure = Measure.objects.get(slug="adult-obesity")
    period = Period.objects.filter(values__measure=measure).latest("start")
    barnsley = Place.objects.get(slug="barnsley")
    female = Breakdown.objects.create(dimension="Sex", category="Female")
    Value.objects.create(
        measure=measure,
        place=barnsley,
        period=period,
        breakdown=female,
        value=Decimal("31.5"),
        lower_ci=Decimal("28"),
        upper_ci=Decimal("35"),
        state=Value.State.PUBLISHED,
    )
    Value.objects.create(
        measure=measure,
        place=barnsley,
        period=period,
        breakdown=Breakdown.objects.create(dimension="Sex", category="Male"),
        value=Decimal("88.8"),
        state=Value.State.DRAFT,
    )
    rows = read_csv(client.get(reverse("outcomes:measure-download", args=[measure.slug, "csv"])))
    assert "88.8" not in {r["value"] for r in rows}
    female_rows = [r for r in rows if r["breakdown"] == "Sex: Female"]
    assert [(r["place"], r["value"]) for r in female_rows] == [("Barnsley", "31.5")]


def test_measure_csv_statuses(client):
    rows = read_csv(
        client.get(
            reverse("outcomes:measure-download", args=["male-healthy-life-expectancy", "csv"])
        )
    )
    barnsley = [r for r in rows if r["place"] == "Barnsley"]
    latest = barnsley[-1]
    assert latest["period"] == "2022-24"
    assert latest["value"] == "55.2"
    assert (latest["lower_ci_95"], latest["upper_ci_95"]) == ("51.6", "58.8")
    assert latest["compared_with_england"] == "Worse than England"
    assert latest["trend"] == "Trend cannot be calculated"
    assert latest["target"] == "Moving away from target"
    assert latest["target_value"] == "60.2"
    assert latest["target_date"] == "2030-12-31"
    assert all(r["trend"] == "" for r in barnsley[:-1])  # a series' trend is on its latest row
    england = [r for r in rows if r["place"] == "England"]
    assert england and all(r["compared_with_england"] == "" for r in england)


def test_outcome_csv_follows_the_place_filter(client):
    url = reverse("outcomes:outcome-download", args=["longer-healthier-lives", "csv"])
    every = read_csv(client.get(url))
    assert {r["place"] for r in every} == {
        "South Yorkshire",
        "Barnsley",
        "Doncaster",
        "Rotherham",
        "Sheffield",
        "England",
        "Yorkshire and The Humber",
    }
    barnsley = read_csv(client.get(url + "?place=barnsley"))
    assert {r["place"] for r in barnsley} == {"Barnsley", "England", "Yorkshire and The Humber"}
    assert {r["measure"] for r in barnsley} == set(
        Measure.objects.filter(outcome__slug="longer-healthier-lives").values_list(
            "title", flat=True
        )
    )
    assert "barnsley" in client.get(url + "?place=barnsley")["Content-Disposition"]


def test_place_xlsx_has_the_data_and_an_about_sheet(client):
    response = client.get(reverse("places:download", args=["barnsley", "xlsx"]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Data", "About"]
    data = list(book["Data"].iter_rows(values_only=True))
    assert list(data[0]) == COLUMNS
    rows = [dict(zip(COLUMNS, r, strict=True)) for r in data[1:]]
    assert {r["place"] for r in rows} == {
        "Barnsley",
        "South Yorkshire",
        "England",
        "Yorkshire and The Humber",
    }
    hle = [
        r
        for r in rows
        if r["place"] == "Barnsley"
        and r["period"] == "2022-24"
        and r["measure"] == "Healthy life expectancy at birth: men"
    ]
    assert hle[0]["value"] == 55.2  # a number, not text
    assert hle[0]["compared_with_england"] == "Worse than England"
    assert hle[0]["period_start"].date() == date(2022, 1, 1)
    about = [c for r in book["About"].iter_rows(values_only=True) for c in r if c]
    assert OGL_ATTRIBUTION in about
    assert "Healthy life expectancy at birth: men" in about
    assert any(str(c).startswith("Confidence intervals.") for c in about)
    missing = [r for r in rows if r["value"] is None]
    assert missing and all(r["note"].startswith("No value published") for r in missing)
