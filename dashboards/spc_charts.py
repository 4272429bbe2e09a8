"""Making Data Count on the measure page: an XmR chart per area (for a series of at least 15
consecutive periods), its variation and assurance icons with their words, and its table.

The figures are plain dicts for ``static/js/charts.js`` (as ``dashboards.charts``); the icons are
small inline SVGs after NHS England's (a circle coloured by meaning, with a letter), always beside
the words that carry the meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString

from dashboards.charts import FONT, _layout
from dashboards.selectors.cells import Cell
from dashboards.selectors.measure import MeasurePage
from methods.spc import Assurance, Rule, Variation

# Making Data Count's colours: improvement blue, concern orange, common cause grey; each
# at least 3:1 against white (WCAG 1.4.11).
IMPROVING = "#005eb8"
CONCERNING = "#c55a11"
COMMON = "#6b7680"
LIMIT_COLOUR = "#4c6272"

VARIATION_STYLE = {
    Variation.COMMON_CAUSE: (COMMON, "~"),
    Variation.IMPROVING: (IMPROVING, ""),
    Variation.CONCERNING: (CONCERNING, ""),
    Variation.NEUTRAL_HIGH: ("#330072", "H"),
    Variation.NEUTRAL_LOW: ("#330072", "L"),
}
ASSURANCE_STYLE = {
    Assurance.CONSISTENT_PASS: (IMPROVING, "P"),
    Assurance.CONSISTENT_FAIL: (CONCERNING, "F"),
    Assurance.INCONSISTENT: (COMMON, "?"),
}


def _badge(colour: str, letter: str) -> SafeString:
    return format_html(
        '<svg class="st-spc-icon" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" '
        'focusable="false"><circle cx="16" cy="16" r="14" fill="#fff" stroke="{}" '
        'stroke-width="3"/><text x="16" y="21.5" text-anchor="middle" font-size="15" '
        'font-weight="700" fill="{}">{}</text></svg>',
        colour,
        colour,
        letter,
    )


@dataclass(frozen=True)
class SpcRow:
    period: str
    value: str
    meaning: str  # "Common cause" or the special-cause rule


@dataclass(frozen=True)
class SpcPanel:
    cell: Cell
    figure: dict
    label: str
    sentence: str
    variation_icon: SafeString
    variation_text: str
    assurance_icon: SafeString | None
    assurance_text: str
    rows: list[SpcRow]

    @property
    def chart_id(self) -> str:
        return f"xmr-{self.cell.place.slug}"


def _variation_icon(variation: Variation, high: bool) -> SafeString:
    colour, letter = VARIATION_STYLE[variation]
    return _badge(colour, letter or ("H" if high else "L"))


def xmr_figure(cell: Cell) -> dict:
    chart = cell.spc
    assert chart is not None
    points = cell.spc_points
    x = [p.period.middle.isoformat() for p in points]
    fmt = cell.measure.format_value
    colours = [
        {
            Variation.IMPROVING: IMPROVING,
            Variation.CONCERNING: CONCERNING,
            Variation.NEUTRAL_HIGH: "#330072",
            Variation.NEUTRAL_LOW: "#330072",
        }.get(p.variation, COMMON)
        for p in chart.points
    ]
    text = [
        f"{p.period.label}: {fmt(p.value)}. "
        + (f"Special cause: {s.rule}." if s.rule else "Common cause.")
        for p, s in zip(points, chart.points, strict=True)
    ]

    def line(name: str, y: float, dash: str, colour: str = LIMIT_COLOUR) -> dict:
        return {
            "type": "scatter",
            "mode": "lines",
            "name": f"{name} ({fmt(y)})",
            "x": [x[0], x[-1]],
            "y": [y, y],
            "hoverinfo": "skip",
            "line": {"color": colour, "dash": dash, "width": 1.5},
        }

    traces = [
        line("Upper process limit", chart.upper_limit, "dash"),
        line("Mean", chart.mean, "solid", "#212b32"),
        line("Lower process limit", chart.lower_limit, "dash"),
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": cell.place.name,
            "x": x,
            "y": [float(p.value) for p in points],
            "text": text,
            "hovertemplate": "%{text}<extra></extra>",
            "line": {"color": COMMON, "width": 1.5},
            "marker": {"size": 8, "color": colours, "line": {"color": "#ffffff", "width": 1}},
        },
    ]
    if chart.target is not None:
        traces.append(line("Target", chart.target, "dot", "#007f3b"))
    unit = "£" if cell.measure.value_kind == "money" else cell.measure.unit_label
    layout = _layout(
        f"{cell.place.name}: XmR chart",
        unit,
        xaxis={"type": "date", "gridcolor": "#d8dde0"},
        legend={"orientation": "h", "y": -0.15, "font": {"family": FONT, "size": 12}},
    )
    return {"data": traces, "layout": layout, "config": {"displaylogo": False, "responsive": True}}


def spc_panel(cell: Cell) -> SpcPanel | None:
    chart = cell.spc
    if chart is None:
        return None
    fmt = cell.measure.format_value
    latest = chart.points[-1]
    assurance_icon = None
    assurance_text = ""
    if chart.assurance is not None:
        colour, letter = ASSURANCE_STYLE[chart.assurance]
        assurance_icon = _badge(colour, letter)
        assurance_text = f"Assurance: {chart.assurance.label.lower()} ({fmt(chart.target)})"
    rows = [
        SpcRow(
            p.period.label,
            fmt(p.value),
            "Common cause"
            if s.rule is None
            else f"Special cause ({s.variation.label.split(': ')[1]}): {s.rule}",
        )
        for p, s in zip(cell.spc_points, chart.points, strict=True)
    ]
    first, last = cell.spc_points[0].period.label, cell.spc_points[-1].period.label
    label = (
        f"XmR chart of {cell.measure.title} in {cell.place.name}, {first} to {last}: the values, "
        f"their mean ({fmt(chart.mean)}) and process limits ({fmt(chart.lower_limit)} to "
        f"{fmt(chart.upper_limit)}), special-cause points coloured. The same numbers are in the "
        "table below."
    )
    return SpcPanel(
        cell=cell,
        figure=xmr_figure(cell),
        label=label,
        sentence=cell.spc_description(with_variation=False),
        variation_icon=_variation_icon(chart.variation, latest.high),
        variation_text=chart.variation.label,
        assurance_icon=assurance_icon,
        assurance_text=assurance_text,
        rows=list(reversed(rows)),
    )


def spc_panels(page: MeasurePage) -> list[SpcPanel]:
    """An XmR panel for each area with a long enough series (the system and places first, then
    the region and England)."""
    cells = page.cells + [c for c in (page.region, page.benchmark) if c]
    return [panel for panel in (spc_panel(cell) for cell in cells) if panel is not None]


RULES = tuple(Rule)
"""The rules, in the order a point is flagged by them, for the page's explanation."""
