"""Charts as data: pure functions from a page's cells to plotly figure dicts (and to the small
SVG trend lines of the outcome page). The template hands a figure over with ``json_script``;
``static/js/charts.js`` draws it. Nothing here renders HTML or runs a query.

Colours are told apart by more than hue: each area also has its own line dash and marker, and
every chart has the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboards.selectors.cells import Cell, make_tag
from dashboards.selectors.measure import MeasurePage
from dashboards.selectors.series import PeriodInfo, Point
from methods.base import Tone, decimal_year

# Series colours: each at least 3:1 against white (WCAG 1.4.11, non-text contrast).
PALETTE = ["#005eb8", "#ae2573", "#007f3b", "#8a1538", "#330072", "#7c2855", "#00a499"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "star"]
BENCHMARK_COLOUR = "#212b32"
REGION_COLOUR = "#4c6272"
TONE_FILL = {
    Tone.GOOD: "#007f3b",
    Tone.BAD: "#d5281b",
    Tone.NEUTRAL: "#768692",
    Tone.NONE: "#aeb7bd",
}
TONE_SYMBOL = {
    Tone.GOOD: "triangle-up",
    Tone.BAD: "triangle-down",
    Tone.NEUTRAL: "circle",
    Tone.NONE: "circle-open",
}
FONT = "Frutiger W01, Arial, sans-serif"


def _number(value) -> float | None:
    return float(value) if value is not None else None


def _rgba(hex_colour: str, alpha: float) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def _axis_title(page: MeasurePage) -> str:
    measure = page.measure
    return "£" if measure.value_kind == "money" else measure.unit_label


def _hover(cell: Cell, point: Point) -> str:
    text = f"{cell.place.name}, {point.period.label}: {cell.measure.format_value(point.value)}"
    if point.interval is not None:
        low = cell.measure.format_value(point.interval.lower)
        high = cell.measure.format_value(point.interval.upper)
        text += f" (95% CI {low} to {high})"
    return text


def _layout(title: str, y_title: str, **extra) -> dict:
    layout = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        "font": {"family": FONT, "size": 14, "color": "#212b32"},
        "margin": {"l": 60, "r": 20, "t": 50, "b": 40},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hovermode": "closest",
        "legend": {"orientation": "h", "y": -0.15},
        "yaxis": {"title": {"text": y_title}, "gridcolor": "#d8dde0", "zeroline": False},
    }
    layout.update(extra)
    return layout


def _line_trace(cell: Cell, *, colour: str, dash: str, symbol: str, width: float = 2.5) -> dict:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": cell.place.name,
        "legendgroup": cell.place.slug,
        "x": [p.period.x for p in cell.points],
        "y": [_number(p.value) for p in cell.points],
        "text": [_hover(cell, p) for p in cell.points],
        "hovertemplate": "%{text}<extra></extra>",
        "connectgaps": False,
        "line": {"color": colour, "dash": dash, "width": width},
        "marker": {"symbol": symbol, "size": 7, "color": colour},
    }


def _band_traces(cell: Cell, *, colour: str) -> list[dict]:
    """The 95% interval as a shaded band: an invisible upper edge, then the lower edge filled up
    to it."""
    with_interval = [p for p in cell.points if p.interval is not None and p.value is not None]
    if not with_interval:
        return []
    x = [p.period.x for p in with_interval]
    common = {
        "type": "scatter",
        "mode": "lines",
        "x": x,
        "legendgroup": cell.place.slug,
        "showlegend": False,
        "hoverinfo": "skip",
        "line": {"width": 0, "color": colour},
        "meta": "band",  # show_only() tells bands from lines by this
    }
    return [
        {
            **common,
            "name": f"{cell.place.name} 95% CI upper",
            "y": [p.interval.upper for p in with_interval],
        },
        {
            **common,
            "name": f"{cell.place.name} 95% CI lower",
            "y": [p.interval.lower for p in with_interval],
            "fill": "tonexty",
            "fillcolor": _rgba(colour, 0.12),
        },
    ]


def _trajectory_trace(cell: Cell, *, colour: str) -> dict | None:
    period = cell.measure.baseline_period
    baseline_x, baseline_value = cell.baseline
    if cell.target is None or period is None or baseline_value is None:
        return None
    target = cell.target
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": f"{cell.place.name} target trajectory",
        "legendgroup": cell.place.slug,
        "x": [baseline_x, decimal_year(target.target_date)],
        "y": [float(baseline_value), float(target.value)],
        "text": [
            f"{cell.place.name} baseline: {cell.measure.format_value(baseline_value)}",
            f"{cell.place.name} target by {target.target_date:%-d %B %Y}: "
            f"{cell.measure.format_value(target.value)}",
        ],
        "hovertemplate": "%{text}<extra></extra>",
        "line": {"color": colour, "dash": "dot", "width": 1.5},
        "marker": {"symbol": "star", "size": 9, "color": colour},
    }


def _period_axis(page: MeasurePage) -> dict:
    """Time runs left to right at its true pace (a period sits at its middle, as trends and
    targets place it), but each tick is the period's own UK label ("2021-22", "2019 to 2021"),
    not a calendar date; a target's date gets a tick of its own."""
    ticks = {period.x: period.label for period in page.periods}
    for cell in page.targets:
        ticks.setdefault(
            decimal_year(cell.target.target_date), f"Target {cell.target.target_date:%b %Y}"
        )
    values = sorted(ticks)
    return {
        "type": "linear",
        "tickmode": "array",
        "tickvals": values,
        "ticktext": [ticks[v] for v in values],
        "gridcolor": "#d8dde0",
        "zeroline": False,
    }


def time_series_figure(page: MeasurePage) -> dict:
    """A line per area with its 95% interval band, England and the region as benchmark lines,
    and each area's target trajectory (a straight line from its baseline to its target)."""
    traces: list[dict] = []
    for index, cell in enumerate(page.cells):
        if not cell.points:
            continue
        colour = PALETTE[index % len(PALETTE)]
        traces += _band_traces(cell, colour=colour)
        traces.append(
            _line_trace(
                cell,
                colour=colour,
                dash=DASHES[index % len(DASHES)],
                symbol=SYMBOLS[index % len(SYMBOLS)],
            )
        )
        traces[-1]["legendrank"] = 10 * (index + 1)
        trajectory = _trajectory_trace(cell, colour=colour)
        if trajectory:
            trajectory["legendrank"] = 10 * (index + 1) + 1
            traces.append(trajectory)
    for cell, colour, dash in (
        (page.benchmark, BENCHMARK_COLOUR, "dash"),
        (page.region, REGION_COLOUR, "dot"),
    ):
        if cell is not None and cell.points:
            trace = _line_trace(cell, colour=colour, dash=dash, symbol="line-ew", width=2)
            trace["legendrank"] = 10_000
            traces.append(trace)
    return {
        "data": traces,
        "layout": _layout(
            f"{page.measure.title}, over time",
            _axis_title(page),
            xaxis=_period_axis(page),
            legend={"orientation": "h", "y": -0.12, "traceorder": "normal"},
        ),
        "config": {"displaylogo": False, "responsive": True},
    }


def show_only(figure: dict, *, areas: set[str], band: str) -> dict:
    """The figure with only the chosen areas' traces, and only one area's interval band (so the
    bands never pile up); the axes then fit what is drawn."""
    figure["data"] = [
        trace
        for trace in figure["data"]
        if trace.get("legendgroup", "") in areas
        and (trace.get("meta") != "band" or trace.get("legendgroup") == band)
    ]
    return figure


def time_series_label(page: MeasurePage) -> str:
    """The time-series chart's accessible name: what it shows (the table beside has the numbers)."""
    benchmarks = " and ".join(area.name for area in page.areas.comparators) or "no benchmark"
    targets = ", and each target's trajectory" if page.targets else ""
    return (
        f"Line chart of {page.measure.title} over time for each place, with 95% confidence "
        f"interval bands where published, and {benchmarks} for comparison{targets}. The same "
        "numbers are in the table below."
    )


def comparison_label(page: MeasurePage) -> str:
    period = page.latest_period
    return (
        f"Bar chart of {page.measure.title} in {period.label if period else 'the latest period'} "
        "by area, with 95% confidence intervals as error bars, coloured by the comparison with "
        f"{page.areas.benchmark_name}, whose value is a dashed line. The same numbers are in the "
        "table below."
    )


def comparison_figure(page: MeasurePage) -> dict | None:
    """The areas in the latest period side by side: a dot for each value with its 95% interval
    as error bars (dots, not bars from zero, so that differences of a year or a point show),
    coloured and shaped by the comparison with England, whose value is a dashed line. Each
    area's label says its comparison in words."""
    period = page.latest_period
    if period is None:
        return None
    rows = _latest_rows(page.cells + [c for c in (page.region, page.benchmark) if c], period)
    if not rows:
        return None
    names, values, plus, minus, colours, symbols, texts = [], [], [], [], [], [], []
    for cell, point in rows:
        value = float(point.value)
        values.append(value)
        interval = point.interval
        plus.append(interval.upper - value if interval else 0)
        minus.append(value - interval.lower if interval else 0)
        if cell.is_benchmark:
            names.append(f"{cell.place.name} (benchmark)")
            colours.append(BENCHMARK_COLOUR)
            symbols.append("line-ns")
            label = "the benchmark"
        else:
            tag = make_tag(cell.compare_point(point), benchmark_name=cell.benchmark_name)
            names.append(f"{cell.place.name}: {tag.label[0].lower()}{tag.label[1:]}")
            colours.append(TONE_FILL[tag.tone])
            symbols.append(TONE_SYMBOL[tag.tone])
            label = tag.label
        texts.append(f"{_hover(cell, point)}: {label}")
    figure = {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "y": names,
                "x": values,
                "hovertext": texts,
                "hovertemplate": "%{hovertext}<extra></extra>",
                "marker": {
                    "color": colours,
                    "symbol": symbols,
                    "size": 12,
                    "line": {"color": "#212b32", "width": 1.5},
                },
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": plus,
                    "arrayminus": minus,
                    "color": "#212b32",
                    "thickness": 1.5,
                    "width": 6,
                },
                "showlegend": False,
            }
        ],
        "layout": _layout(
            f"{page.measure.title}, {period.label}, by area",
            "",
            xaxis={"title": {"text": _axis_title(page)}, "gridcolor": "#d8dde0"},
            yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
            margin={"l": 20, "r": 20, "t": 50, "b": 50},
        ),
        "config": {"displaylogo": False, "responsive": True},
    }
    bench = page.benchmark.by_period.get(period.pk) if page.benchmark else None
    if bench is not None and bench.value is not None:
        figure["layout"]["shapes"] = [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": float(bench.value),
                "x1": float(bench.value),
                "y0": 0,
                "y1": 1,
                "line": {"color": BENCHMARK_COLOUR, "dash": "dash", "width": 1.5},
            }
        ]
    return figure


def _latest_rows(cells: Sequence[Cell], period: PeriodInfo) -> list[tuple[Cell, Point]]:
    rows = []
    for cell in cells:
        point = cell.by_period.get(period.pk)
        if point is not None and point.value is not None:
            rows.append((cell, point))
    return rows
