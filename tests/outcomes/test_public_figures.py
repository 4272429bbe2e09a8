"""Every number the public pages show matches the real published data file, and every status
follows the rules, worked out here from the file rather than from the app's own reading of it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboards.selectors import measure as measure_selectors
from dashboards.selectors import overview as overview_selectors
from dashboards.selectors import series
from methods import base, intervals, trend
from outcomes.models import Measure, Value
from places.models import Place
from tests.outcomes.html_tables import table
from tests.outcomes.public_helpers import clear_cache, csv_series  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

SHOWN = ["South Yorkshire", "Barnsley", "Doncaster", "Rotherham", "Sheffield"]


def file_measures():
    """The measures of values.csv (not persistent absence, from values_groups.csv and tested in
    tests/outcomes/test_inequalities.py, nor those awaiting their first data)."""
    in_file = Value.objects.filter(breakdown__isnull=True).values("measure_id")
    return Measure.objects.filter(pk__in=in_file).exclude(slug="persistent-absence")


def _indicator(measure: Measure, series) -> str:
    names = {measure.title.lower(), *(a.lower() for a in measure.aliases)}
    found = {indicator for indicator, _ in series if indicator in names}
    assert len(found) == 1, measure
    return found.pop()


def expected_comparison(latest: dict, england: dict | None, polarity: str) -> str:
    """The benchmark rule, from the file: England outside the 95% CI is significant."""
    if latest["value"] is None or latest["lci"] is None or england is None:
        return "Not compared"
    if england["value"] is None:
        return "Not compared"
    if latest["lci"] <= england["value"] <= latest["uci"]:
        return "Similar to England"
    area_higher = england["value"] < latest["lci"]
    return "Better than England" if area_higher == (polarity == "higher") else "Worse than England"


@pytest.fixture
def overview_html(client):
    return client.get(reverse("home")).content.decode()


def test_every_overview_cell_matches_the_file(overview_html):
    series = csv_series()
    checked = 0
    for measure in file_measures().select_related("outcome"):
        indicator = _indicator(measure, series)
        rug = table(overview_html, measure.outcome.title + ":")
        header = rug["rows"][0]
        row = next(r for r in rug["rows"] if r[0] == measure.title)
        for area in SHOWN + ["England"]:
            text = row[header.index(area)]
            rows = series.get((indicator, area))
            if not rows:
                assert text.startswith(f"No values have been published for {area}."), text
                continue
            latest = rows[-1]
            if latest["value"] is None:
                assert text.startswith(
                    f"No value was published for {area} for {latest['label']}."
                ), text
            else:
                shown = measure.format_value(latest["value"])
                assert text.startswith(f"{shown} {latest['label']}"), (measure, area, text)
            if area != "England":
                england = {r["label"]: r for r in series.get((indicator, "England"), [])}
                status = expected_comparison(latest, england.get(latest["label"]), measure.polarity)
                assert status in text, (measure.slug, area, status, text)
            checked += 1
    assert checked == 17 * 6 - 1 - 4  # no South Yorkshire smoking; no England child poverty


def test_every_trend_is_fingertips_test_on_the_published_values():
    series = csv_series()
    page = overview_selectors.overview()
    shown = 0
    in_file = set(file_measures())
    for row in page.rows:
        if row.measure not in in_file:
            continue
        indicator = _indicator(row.measure, series)
        for cell in row.cells:
            rows = [r for r in series.get((indicator, cell.place.name), []) if r["value"]]
            points = [
                trend.TrendPoint(
                    r["start"],
                    r["end"],
                    float(r["value"]),
                    float(r["lci"]) if r["lci"] is not None else None,
                    float(r["uci"]) if r["uci"] is not None else None,
                )
                for r in rows
            ]
            expected = trend.trend(points, row.measure.polarity)
            assert cell.trend.status == expected.status, (row.measure.slug, cell.place)
            if row.measure.period_type == "pooled_years":
                # Overlapping 3-year pools share data: Fingertips shows no trend for them.
                assert cell.trend.status == "cannot_be_calculated", (row.measure.slug, cell.place)
            if cell.trend.status != "cannot_be_calculated":
                assert cell.trend.points_used == 5
                shown += 1
    assert shown > 0


def test_the_issue_example_sentence_for_barnsley():
    areas = series.areas_for_dashboard()
    page = measure_selectors.measure_page(
        Measure.objects.for_dashboard().get(slug="male-healthy-life-expectancy"), areas=areas
    )
    barnsley = next(c for c in page.cells if c.place.slug == "barnsley")
    assert barnsley.summary.startswith(
        "Barnsley, 55.2 years in 2022-24, is significantly lower than England (60.9 years): "
        "England's value lies outside its 95% confidence interval (as published). The trend "
        "cannot be calculated: the periods overlap"
    )


def test_target_status_worked_by_hand_doncaster_economic_inactivity():
    """Open SDG's progress measure, in whole years: Doncaster's baseline (2021) is 26.2%, the
    demo target 19.9% by 2030, the latest (2023) 23.1%; lower is better.
    needed = (19.9 / 26.2)^(1/9) - 1 = -0.0300977; actual = (23.1 / 26.2)^(1/2) - 1 = -0.0610222;
    R = -1 x actual / |needed| = 2.027467 >= 0.95: on track (target not yet achieved)."""
    areas = series.areas_for_dashboard()
    page = measure_selectors.measure_page(
        Measure.objects.for_dashboard().get(slug="economic-inactivity"), areas=areas
    )
    doncaster = next(c for c in page.cells if c.place.slug == "doncaster")
    assessment = doncaster.target_assessment
    assert assessment.status == base.Status.ON_TRACK
    assert assessment.needed_growth == pytest.approx(-0.0300977, abs=1e-7)
    assert assessment.ratio == pytest.approx(2.027467, rel=1e-6)
    assert "R = 2.03 times the yearly rate needed" in doncaster.target_sentence
    assert "Open SDG's progress measure" in doncaster.target_sentence
    # Rotherham rose from 24.1% to 28.7%: actual = (28.7 / 24.1)^(1/2) - 1 = +0.0912705,
    # needed = (19.9 / 24.1)^(1/9) - 1 = -0.0210521; R = -4.335 < 0: moving away.
    rotherham = next(c for c in page.cells if c.place.slug == "rotherham")
    assert rotherham.target_assessment.ratio == pytest.approx(-4.335450, rel=1e-6)
    assert rotherham.target_assessment.status == base.Status.MOVING_AWAY


def test_a_place_without_its_own_target_has_none_but_the_system_shares_every_place_target():
    areas = series.areas_for_dashboard()
    page = measure_selectors.measure_page(
        Measure.objects.for_dashboard().get(slug="economic-inactivity"), areas=areas
    )
    system = next(c for c in page.cells if c.place.kind == Place.Kind.SYSTEM)
    assert system.target is None  # the demo targets name each place, not the system
    assert system.target_tag.label == "No target"


def test_a_computed_interval_is_used_when_only_a_count_is_given():
    """A value with a numerator and denominator but no published interval gets a Wilson
    interval, and so a comparison with England, rather than "not compared"."""
    from outcomes.models import Value

    value = Value.objects.published().get(
        measure__slug="early-years-literacy",
        place__slug="barnsley",
        period__start=date(2024, 9, 1),
    )
    assert value.lower_ci is None
    value.numerator = Decimal(1700)
    value.denominator = Decimal(2500)
    value.value = Decimal(68)
    value.save()
    page = overview_selectors.overview()
    cell = next(
        c
        for r in page.rows
        if r.measure.slug == "early-years-literacy"
        for c in r.cells
        if c.place.slug == "barnsley"
    )
    assert cell.latest.interval.method == intervals.IntervalMethod.WILSON
    interval = intervals.wilson_interval(1700, 2500, multiplier=100)
    assert cell.latest.interval.lower == pytest.approx(interval.lower)
    assert cell.comparison != base.Status.NOT_COMPARED


def test_measure_page_table_holds_every_published_value_of_the_areas_shown(client):
    series = csv_series()
    for measure in file_measures():
        html = client.get(reverse("outcomes:measure", args=[measure.slug])).content.decode()
        over_time = table(html, f"{measure.title} by period")
        header = over_time["rows"][0]
        by_period = {r[0]: r for r in over_time["rows"][1:]}
        indicator = _indicator(measure, series)
        for area in SHOWN + ["Yorkshire and The Humber", "England"]:
            for row in series.get((indicator, area), []):
                text = by_period[row["label"]][header.index(area)]
                if row["value"] is None:
                    assert text.startswith("No value published"), text
                    continue
                expected = measure.format_value(row["value"])
                if row["lci"] is not None:
                    expected += (
                        f" ({measure.format_value(row['lci'])} to "
                        f"{measure.format_value(row['uci'])})"
                    )
                assert text == expected, (measure.slug, area, row["label"], text)
