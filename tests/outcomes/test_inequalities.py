"""The inequality lens: the methods (the gap, whether it is narrowing, the slope index of
inequality) and the pages (persistent absence by pupil group in the demo, real DfE figures; the
home page's Inequalities section; the download)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from methods import inequality
from methods.inequality import GapChange
from outcomes.models import Breakdown, Measure, Period, Value
from places.models import Place
from tests.outcomes.html_tables import table
from tests.outcomes.public_helpers import clear_cache  # noqa: F401

ABSENCE = reverse("outcomes:measure", args=["persistent-absence"])
AREAS = ["Barnsley", "Doncaster", "Rotherham", "Sheffield", "England", "Yorkshire and The Humber"]


# --- methods -------------------------------------------------------------------------------------


def test_the_gap_is_absolute_and_relative_with_its_standard_error():
    gap = inequality.gap(30, 20, se_a=3, se_b=4)
    assert (gap.absolute, gap.relative, gap.se) == (10, 1.5, 5)
    assert inequality.gap(30, 0).relative is None
    assert inequality.se_from_interval(Decimal("16.08"), Decimal("23.92")) == pytest.approx(2)


def test_a_narrowing_is_significant_only_beyond_1_96_standard_errors():
    then = inequality.gap(30, 20, se_a=1, se_b=1)  # gap 10, se sqrt(2)
    # gap 6 now, se sqrt(2): z = -4 / 2 = -2
    narrower = inequality.gap(26, 20, se_a=1, se_b=1)
    trend = inequality.gap_change(then, narrower)
    assert trend.change == GapChange.NARROWING
    assert trend.z == pytest.approx(-2.0) and trend.difference == pytest.approx(-4)
    # gap 8: z = -1, not significant
    assert inequality.gap_change(then, inequality.gap(28, 20, se_a=1, se_b=1)).change == (
        GapChange.NO_SIGNIFICANT_CHANGE
    )
    assert inequality.gap_change(then, inequality.gap(35, 20, se_a=1, se_b=1)).change == (
        GapChange.WIDENING
    )


def test_without_intervals_the_change_is_given_untested():
    then, now = inequality.gap(30, 20), inequality.gap(28, 20)
    assert inequality.gap_change(then, now).change == GapChange.NARROWED_UNTESTED
    assert inequality.gap_change(now, then).change == GapChange.WIDENED_UNTESTED
    assert inequality.gap_change(None, now).change == GapChange.CANNOT_BE_CALCULATED


def test_the_sii_is_the_population_weighted_slope_across_the_cumulative_ranks():
    # Values exactly on a line over each quintile's rank (the midpoint of its cumulative share
    # of the population), whatever the populations: the SII is that line's slope.
    populations = [100, 300, 200, 250, 150]
    shares = [p / sum(populations) for p in populations]
    ranks = [sum(shares[:i]) + shares[i] / 2 for i in range(5)]
    values = [70 - 12 * r for r in ranks]
    sii = inequality.slope_index_of_inequality(values, populations)
    assert sii.value == pytest.approx(-12)
    # Not on a line: the weighted least-squares slope, worked by hand.
    values = [60, 64, 65, 70, 71]
    mean_r = sum(a * r for a, r in zip(shares, ranks, strict=True))
    mean_v = sum(a * v for a, v in zip(shares, values, strict=True))
    triples = list(zip(shares, ranks, values, strict=True))
    covariance = sum(a * (r - mean_r) * (v - mean_v) for a, r, v in triples)
    variance = sum(a * (r - mean_r) ** 2 for a, r, _ in triples)
    slope = covariance / variance
    with_ci = inequality.slope_index_of_inequality(values, populations, [0.5] * 5)
    assert with_ci.value == pytest.approx(slope)
    assert with_ci.lower < slope < with_ci.upper
    again = inequality.slope_index_of_inequality(values, populations, [0.5] * 5)
    assert (again.lower, again.upper) == (with_ci.lower, with_ci.upper)  # seeded
    with pytest.raises(ValueError):
        inequality.slope_index_of_inequality([1, 2, 3], [1, 1, 1])


# --- the persistent-absence page (real DfE figures) ----------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("clear_cache")
def test_the_absence_page_shows_every_group_for_each_place_with_the_gap_and_its_direction(client):
    html = client.get(ABSENCE).content.decode()
    lens = table(html, "Pupils persistently absent from school by pupil group")
    assert lens["rows"][0] == [
        "Area",
        "Period",
        "All pupils",
        "Eligible for free school meals",
        "Looked after by the local authority",
        "Gap",
        "Is the gap narrowing?",
    ]
    rows = {row[0]: row for row in lens["rows"][1:]}
    assert list(rows) == AREAS
    # DfE, 2024/25: Barnsley all pupils 18.55295%, FSM 31.78537%, looked after 22.8%
    assert rows["Barnsley"][1:5] == ["2024/25", "18.6%", "31.8%", "22.8%"]
    assert rows["Barnsley"][5].startswith("13.2 percentage points (1.71 times)")
    assert rows["Barnsley"][6] == "Wider (not tested) since 2020/21"
    assert rows["England"][2:5] == ["18.1%", "32.0%", "20.3%"]
    assert (
        "In Sheffield in 2024/25: Eligible for free school meals, 36.7%; All pupils, 21.3%. "
        "The gap is 15.4 percentage points (1.72 times). Since 2020/21 it has widened by 2.7 "
        "percentage points; with no published intervals, the change is not tested." in html
    )
    # DfE's caveat: looked-after pupils' figures are not compared with the others.
    assert "not counted in the gap" in html
    assert 'data-chart="inequality-chart-pupil-group-data"' in html


@pytest.mark.django_db
@pytest.mark.usefixtures("clear_cache")
def test_the_values_by_group_download(client):
    url = reverse("outcomes:measure-inequalities", args=["persistent-absence", "csv"])
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    barnsley = {
        (r["group"], r["period"]): r
        for r in rows
        if r["place"] == "Barnsley" and r["period"] in ("2024/25", "2019/20")
    }
    assert barnsley[("Eligible for free school meals", "2024/25")]["value"] == "31.78537"
    lac = barnsley[("Looked after by the local authority", "2024/25")]
    assert lac["value"] == "22.8" and lac["counted_in_gap"] == "no"
    assert "ONS period 2024-04-01/P1Y" in lac["note"]
    assert barnsley[("Looked after by the local authority", "2019/20")]["value"] == ""
    gap = barnsley[("Gap: Eligible for free school meals minus All pupils", "2024/25")]
    assert float(gap["value"]) == pytest.approx(31.78537 - 18.55295)
    assert all("Open Government Licence" in r["attribution"] for r in rows)
    xlsx = client.get(reverse("outcomes:measure-inequalities", args=["persistent-absence", "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


@pytest.mark.django_db
@pytest.mark.usefixtures("clear_cache")
def test_the_home_page_lists_the_measures_with_inequalities(client):
    html = client.get(reverse("home")).content.decode()
    section = html.split('id="inequalities"')[1].split("</section>")[0]
    assert 'href="/measures/persistent-absence/#inequalities"' in section
    assert "by pupil group" in section
    # A measure without values by group shows no lens.
    other = client.get(reverse("outcomes:measure", args=["employment-rate"])).content.decode()
    assert "Inequalities:" not in other


@pytest.mark.django_db
@pytest.mark.usefixtures("clear_cache")
def test_a_significant_narrowing_with_intervals_is_said(client):
    """Figures with intervals, made up in the test database for a measure that has none yet
    (never on a demo page)."""
    measure = Measure.objects.get(slug="core20plus5-diabetes")
    barnsley = Place.objects.get(slug="barnsley")
    groups = [
        Breakdown.objects.create(dimension="Test group", category=c, order=i)
        for i, c in enumerate(["Group A", "Group B"])
    ]
    for year, figures in {2021: (62.0, 55.0), 2024: (60.0, 59.0)}.items():
        period, _ = Period.objects.get_or_create(
            start=date(year, 4, 1), end=date(year + 1, 3, 31), defaults={"type": "financial_year"}
        )
        for group, value in zip(groups, figures, strict=True):
            Value.objects.create(
                measure=measure,
                place=barnsley,
                period=period,
                breakdown=group,
                value=Decimal(str(value)),
                lower_ci=Decimal(str(value - 1.96)),
                upper_ci=Decimal(str(value + 1.96)),
                state=Value.State.PUBLISHED,
            )
    html = client.get(reverse("outcomes:measure", args=[measure.slug])).content.decode()
    lens = table(html, f"{measure.title} by test group")
    row = next(r for r in lens["rows"] if r[0] == "Barnsley")
    # gap 7 points then, 1 now; each gap's se sqrt(2), the change's 2: z = -3
    assert row[-1] == "Narrowing since 2021/22"
    assert "it has narrowed significantly, by 6.0 percentage points" in html
    assert "Awaiting first data" in html  # no headline figure yet


@pytest.mark.django_db
@pytest.mark.usefixtures("clear_cache")
def test_the_measure_page_with_groups_takes_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    # the stamp, the areas, the measure, its values, periods and targets, the revision log, and
    # its values by group
    with django_assert_num_queries(8):
        assert client.get(ABSENCE).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("clear_cache")
def test_a_place_page_shows_its_own_groups_beside_england(client):
    html = client.get(reverse("places:detail", args=["barnsley"])).content.decode()
    lens = table(html, "Pupils persistently absent from school by pupil group")
    assert [row[0] for row in lens["rows"][1:]] == ["Barnsley", "England"]
    assert lens["rows"][1][1:5] == ["2024/25", "18.6%", "31.8%", "22.8%"]
    assert 'href="/measures/persistent-absence/#inequalities"' in html
