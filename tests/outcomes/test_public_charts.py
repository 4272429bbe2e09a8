"""Charts are figure dicts (pure data) that the page hands over with json_script."""

from __future__ import annotations

import json

import pytest

from dashboards import charts, sparklines
from dashboards.selectors import measure as measure_selectors
from dashboards.selectors import series
from outcomes.models import Measure

pytestmark = pytest.mark.django_db


def page_for(slug: str) -> measure_selectors.MeasurePage:
    return measure_selectors.measure_page(
        Measure.objects.for_dashboard().get(slug=slug), areas=series.areas_for_dashboard()
    )


def test_time_series_has_a_line_band_and_trajectory_per_place_and_both_benchmarks():
    figure = charts.time_series_figure(page_for("male-healthy-life-expectancy"))
    json.dumps(figure)  # plain data, ready for json_script
    lines = [t["name"] for t in figure["data"] if t.get("mode") == "lines+markers"]
    assert lines == [
        "South Yorkshire",
        "South Yorkshire target trajectory",
        "Barnsley",
        "Barnsley target trajectory",
        "Doncaster",
        "Doncaster target trajectory",
        "Rotherham",
        "Rotherham target trajectory",
        "Sheffield",
        "Sheffield target trajectory",
        "England",
        "Yorkshire and The Humber",
    ]
    barnsley = next(t for t in figure["data"] if t["name"] == "Barnsley")
    assert barnsley["y"][-1] == 55.2
    assert barnsley["x"][-1] == "2023-07-02"  # the middle of 2022-24
    lower = next(t for t in figure["data"] if t["name"] == "Barnsley 95% CI lower")
    assert lower["fill"] == "tonexty" and lower["y"][-1] == 51.6
    trajectory = next(t for t in figure["data"] if t["name"] == "Barnsley target trajectory")
    assert trajectory["x"] == ["2019-07-02", "2030-12-31"]
    assert trajectory["y"] == [57.2, 60.2]


def test_no_band_where_no_interval_was_published():
    figure = charts.time_series_figure(
        page_for("children-in-relative-poverty-before-housing-costs")
    )
    assert not [t for t in figure["data"] if "fill" in t]
    assert "England" not in [t["name"] for t in figure["data"]]  # none published


def test_comparison_chart_has_error_bars_and_england_as_a_line():
    figure = charts.comparison_figure(page_for("male-healthy-life-expectancy"))
    bars = figure["data"][0]
    assert bars["y"] == [
        "South Yorkshire: worse than England",
        "Barnsley: worse than England",
        "Doncaster: worse than England",
        "Rotherham: worse than England",
        "Sheffield: worse than England",
        "Yorkshire and The Humber: worse than England",
        "England (benchmark)",
    ]
    barnsley = 1
    assert bars["x"][barnsley] == 55.2
    assert bars["error_x"]["array"][barnsley] == pytest.approx(58.8 - 55.2)
    assert bars["error_x"]["arrayminus"][barnsley] == pytest.approx(55.2 - 51.6)
    assert "Worse than England" in bars["hovertext"][barnsley]
    assert bars["marker"]["symbol"][barnsley] == "triangle-down"  # a shape too, not only red
    assert figure["layout"]["shapes"][0]["x0"] == 60.9


def test_sparkline_breaks_where_no_value_was_published():
    page = page_for("cancers-diagnosed-early")
    sheffield = next(c for c in page.cells if c.place.slug == "sheffield")
    line = sparklines.sparkline(
        sheffield.points, area_name="Sheffield", format_value=sheffield.measure.format_value
    )
    missing = [i for i, p in enumerate(sheffield.points) if p.value is None]
    assert missing  # 2019 and 2022
    assert len(line.segments) == 2
    last = [p for p in sheffield.points if p.value is not None][-1]
    assert last.period.label == "2021"
    assert f"to {sheffield.measure.format_value(last.value)} in 2021," in line.label
    assert line.label.startswith("Trend line for Sheffield: from ")
