"""Charts drawn as SVG on the server (core/svg_chart.py): what plotly would draw, without
JavaScript, in a narrow and a wide drawing, with the legend as HTML."""

from __future__ import annotations

from core import svg_chart

LINE = {
    "data": [
        {
            "type": "scatter",
            "mode": "lines",
            "x": [2019.5, 2020.5, 2021.5],
            "y": [58.0, 59.0, 60.0],
            "legendgroup": "barnsley",
            "line": {"width": 0, "color": "#005eb8"},
            "showlegend": False,
            "meta": "band",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": [2019.5, 2020.5, 2021.5],
            "y": [56.0, 57.0, 58.0],
            "fill": "tonexty",
            "fillcolor": "rgba(0, 94, 184, 0.12)",
            "legendgroup": "barnsley",
            "line": {"width": 0, "color": "#005eb8"},
            "showlegend": False,
            "meta": "band",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "Barnsley",
            "legendgroup": "barnsley",
            "x": [2019.5, 2020.5, 2021.5],
            "y": [57.0, None, 59.0],
            "line": {"color": "#005eb8", "dash": "solid"},
            "marker": {"symbol": "circle", "color": "#005eb8"},
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "England <b>& Wales</b>",
            "legendgroup": "england",
            "x": [2019.5, 2020.5, 2021.5],
            "y": [61.0, 61.5, 62.0],
            "line": {"color": "#212b32", "dash": "dash"},
            "marker": {"symbol": "line-ew", "color": "#212b32"},
        },
    ],
    "layout": {
        "title": {"text": "Healthy life expectancy, over time"},
        "xaxis": {
            "tickvals": [2019.5, 2020.5, 2021.5],
            "ticktext": ["2018-20", "2019-21", "2020-22"],
        },
        "yaxis": {"title": {"text": "years"}},
    },
}


def test_a_line_chart_is_drawn_narrow_and_wide_with_period_labels_and_its_band():
    chart = svg_chart.render(LINE)
    for svg in (chart.narrow, chart.wide):
        assert svg.startswith("<svg") and 'aria-hidden="true"' in svg
        assert "2020-22" in svg and "years" in svg
        assert svg.count('data-band="barnsley"') == 1  # one band: upper and lower edges
        assert svg.count("<polyline") == 1  # Barnsley's gap leaves no two-point segment
    assert 'viewBox="0 0 360 ' in chart.narrow and 'viewBox="0 0 760 ' in chart.wide


def test_the_legend_is_html_and_escapes_names():
    chart = svg_chart.render(LINE)
    assert [item.name for item in chart.legend] == ["Barnsley", "England <b>& Wales</b>"]
    assert "England &lt;b&gt;&amp; Wales&lt;/b&gt;" in chart.html
    assert "<b>" not in chart.html


def test_rows_put_each_label_above_its_bar():
    bars = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [120, 30],
                "y": ["People live longer,<br>healthier lives", "Best start"],
                "text": ["120", "30"],
                "marker": {"color": "#005eb8"},
            }
        ],
        "layout": {"xaxis": {"title": {"text": "Borda points"}}},
    }
    chart = svg_chart.render(bars)
    assert "People live longer, healthier lives" in chart.narrow
    assert chart.narrow.count("<rect") == 2
    assert chart.legend == []


def test_nothing_to_chart_says_so():
    chart = svg_chart.render({"data": [], "layout": {}})
    assert "No values to chart" in chart.wide
