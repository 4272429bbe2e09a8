"""A page with charts for tests/browser/test_charts.py: the site's URLs plus /chart-demo/, a page
built from includes/chart.html and includes/table.html, and /chart-demo/more/, an htmx fragment."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from strategy_tracker.urls import urlpatterns as site_urlpatterns

YEARS = ["2019", "2020", "2021", "2022", "2023"]
VALUES = [61.2, 60.4, 59.8, 60.9, 61.5]
LOWER = [59.9, 59.1, 58.4, 59.6, 60.2]
UPPER = [62.5, 61.7, 61.2, 62.2, 62.8]

# Everything the measure pages need from plotly.js's basic bundle: a line, a confidence band
# (fill "tonexty"), error bars and bars.
LINE_AND_BAND = {
    "data": [
        {
            "type": "scatter",
            "mode": "lines",
            "x": YEARS,
            "y": LOWER,
            "line": {"width": 0},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": YEARS,
            "y": UPPER,
            "fill": "tonexty",
            "fillcolor": "rgba(0, 94, 184, 0.15)",
            "line": {"width": 0},
            "name": "95% confidence interval",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": YEARS,
            "y": VALUES,
            "name": "Barnsley",
            "line": {"color": "#005eb8"},
        },
    ],
    "layout": {
        "margin": {"t": 10},
        "xaxis": {"type": "category"},  # "2019" is a label, not the number 2,019
        "yaxis": {"title": {"text": "Years"}},
    },
}
BARS = {
    "data": [
        {
            "type": "bar",
            "x": ["Barnsley", "Doncaster", "Rotherham", "Sheffield"],
            "y": [60.1, 59.2, 59.8, 61.3],
            "error_y": {"type": "data", "array": [1.1, 1.3, 1.2, 0.9], "visible": True},
            "marker": {"color": "#005eb8"},
        },
    ],
    "layout": {"margin": {"t": 10}},
}

PAGE = """{% extends "base.html" %}
{% block title %}Chart demo{% endblock %}
{% block content %}
<h1>Healthy life expectancy</h1>
{% include "includes/chart.html" with chart_id="trend" figure=line label=label described_by="t" %}
{% include "includes/table.html" with caption=caption head=head rows=rows numeric=1 table_id="t" %}
<div id="more">
  <a href="/chart-demo/more/" hx-get="/chart-demo/more/" hx-target="#more">Compare places</a>
</div>
{% endblock %}
"""

FRAGMENT = """
{% include "includes/chart.html" with chart_id="places" figure=bars label=label size="small" %}
{% include "includes/status_tag.html" with status="better" %}
{% include "includes/status_tag.html" with status="similar" %}
{% include "includes/status_tag.html" with status="worse" %}
{% include "includes/status_tag.html" with status="no_data" %}
"""


def chart_demo(request):
    template = engines["django"].from_string(PAGE)
    rows = [list(row) for row in zip(YEARS, VALUES, LOWER, UPPER, strict=True)]
    context = {
        "line": LINE_AND_BAND,
        "label": "Line chart of healthy life expectancy in Barnsley, 2019 to 2023, with its "
        "95% confidence interval",
        "caption": "Healthy life expectancy in Barnsley",
        "head": ["Year", "Value", "Lower 95% limit", "Upper 95% limit"],
        "rows": rows,
    }
    return HttpResponse(template.render(context, request))


def chart_demo_more(request):
    template = engines["django"].from_string(FRAGMENT)
    label = "Bar chart of healthy life expectancy by place, 2023"
    return HttpResponse(template.render({"bars": BARS, "label": label}, request))


urlpatterns = [
    path("chart-demo/", chart_demo),
    path("chart-demo/more/", chart_demo_more),
    *site_urlpatterns,
]
