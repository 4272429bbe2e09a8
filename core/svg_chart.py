"""A plotly figure dict drawn as plain SVG on the server, so a chart shows as soon as the HTML
arrives, prints, and costs the phone no JavaScript; plotly.js draws the same figure only when the
reader asks to explore it (static/js/charts.js).

It draws the subset of plotly our charts use: line and marker traces (``scatter``) on a numeric or
category x axis with gaps (``None``), ``fill: "tonexty"`` bands, horizontal error bars, vertical
line ``shapes``, and horizontal bars (``bar`` with ``orientation: "h"``). A figure whose y values
are labels (the comparison dot plot, the bar charts) is drawn as rows, each label on its own line
above its bar or dot, so that long labels fit a phone.

Each chart is drawn twice, narrow (for a phone) and wide, and CSS shows one (site.css); the legend
is HTML under the chart (it wraps rather than eating the plot). Traces keep their
``legendgroup`` as ``data-series`` (and bands ``data-band``), for tests and styles. Traces with
``visible: false`` are left out. No Django here: the caller marks the result safe.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from html import escape

FONT = "Frutiger W01, Arial, sans-serif"
TEXT = "#212b32"
GRID = "#d8dde0"
DASHES = {
    "solid": "",
    "dash": "7 4",
    "dot": "2 3",
    "dashdot": "7 3 2 3",
    "longdash": "12 4",
    "longdashdot": "12 4 2 4",
}
NARROW, WIDE = 360, 760


@dataclass(frozen=True)
class LegendItem:
    name: str
    colour: str
    dash: str
    symbol: str
    group: str


@dataclass(frozen=True)
class StaticChart:
    narrow: str  # SVG markup
    wide: str
    legend: list[LegendItem]

    @property
    def html(self) -> str:
        legend = ""
        if self.legend:
            items = "".join(
                f'<li class="app-legend__item"{_group_attr(item.group)}>'
                f"{_legend_sample(item)}{escape(item.name)}</li>"
                for item in self.legend
            )
            legend = f'<ul class="app-legend" aria-hidden="true">{items}</ul>'
        return (
            f'<div class="app-svg app-svg--narrow">{self.narrow}</div>'
            f'<div class="app-svg app-svg--wide">{self.wide}</div>{legend}'
        )


def render(figure: dict) -> StaticChart:
    traces = [t for t in figure.get("data", []) if t.get("visible", True) is not False]
    layout = figure.get("layout", {})
    draw = _rows_chart if _is_rows_chart(traces) else _xy_chart
    return StaticChart(
        narrow=draw(traces, layout, NARROW),
        wide=draw(traces, layout, WIDE),
        legend=_legend(traces, layout),
    )


# --- shared pieces ----------------------------------------------------------------------------


def _group_attr(group: str) -> str:
    return f' data-series="{escape(group)}"' if group else ""


def _num(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _is_rows_chart(traces: list[dict]) -> bool:
    for trace in traces:
        ys = [y for y in trace.get("y", []) if y is not None]
        if ys and isinstance(ys[0], str):
            return True
    return False


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high = low + 1
    raw = (high - low) / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 0.5:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _fmt(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(x, y, text, *, size=13, anchor="start", colour=TEXT, weight="normal", extra="") -> str:
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{colour}"{bold}{extra}>{escape(str(text))}</text>'
    )


def _svg(width: int, height: float, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
        f'width="{width}" height="{height:.0f}" font-family="{FONT}" aria-hidden="true" '
        f'focusable="false">{body}</svg>'
    )


def _marker(symbol: str, x: float, y: float, size: float, colour: str) -> str:
    r = size / 2
    fill, stroke = colour, ""
    if symbol.endswith("-open"):
        fill, stroke = "#ffffff", f' stroke="{colour}" stroke-width="1.5"'
        symbol = symbol[: -len("-open")]
    if symbol == "circle":
        return f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{r:.0f}" fill="{fill}"{stroke}/>'
    shapes = {
        "square": [(-r, -r), (r, -r), (r, r), (-r, r)],
        "diamond": [(0, -r * 1.3), (r * 1.3, 0), (0, r * 1.3), (-r * 1.3, 0)],
        "triangle-up": [(0, -r * 1.2), (r * 1.2, r), (-r * 1.2, r)],
        "triangle-down": [(0, r * 1.2), (r * 1.2, -r), (-r * 1.2, -r)],
        "star": [
            (
                r * 1.3 * math.sin(a * math.pi / 5) * (1 if a % 2 == 0 else 0.45),
                -r * 1.3 * math.cos(a * math.pi / 5) * (1 if a % 2 == 0 else 0.45),
            )
            for a in range(10)
        ],
    }
    if symbol in shapes:
        points = " ".join(f"{x + dx:.0f},{y + dy:.0f}" for dx, dy in shapes[symbol])
        return f'<polygon points="{points}" fill="{fill}"{stroke}/>'
    lines = {
        "x": [(-r, -r, r, r), (-r, r, r, -r)],
        "cross": [(-r, 0, r, 0), (0, -r, 0, r)],
        "line-ew": [(-r * 1.4, 0, r * 1.4, 0)],
        "line-ns": [(0, -r * 1.4, 0, r * 1.4)],
    }.get(symbol, [(-r, 0, r, 0)])
    return "".join(
        f'<line x1="{x + a:.0f}" y1="{y + b:.0f}" x2="{x + c:.0f}" y2="{y + d:.0f}" '
        f'stroke="{colour}" stroke-width="2.5"/>'
        for a, b, c, d in lines
    )


def _trace_colour(trace: dict) -> str:
    line = trace.get("line", {}).get("color")
    marker = trace.get("marker", {}).get("color")
    return line or (marker if isinstance(marker, str) else None) or TEXT


def _legend(traces: list[dict], layout: dict) -> list[LegendItem]:
    if layout.get("showlegend") is False:
        return []
    items = []
    ranked = sorted(enumerate(traces), key=lambda it: (it[1].get("legendrank", 1000), it[0]))
    for _, trace in ranked:
        if trace.get("showlegend") is False or not trace.get("name"):
            continue
        mode = trace.get("mode", "")
        items.append(
            LegendItem(
                name=trace["name"],
                colour=_trace_colour(trace),
                dash=trace.get("line", {}).get("dash", "solid") if "lines" in mode else "none",
                symbol=trace.get("marker", {}).get("symbol", "circle") if "markers" in mode else "",
                group=trace.get("legendgroup", ""),
            )
        )
    return items if len(items) > 1 else []


def _legend_sample(item: LegendItem) -> str:
    body = ""
    if item.dash != "none":
        dash = DASHES.get(item.dash, "")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body += (
            f'<line x1="1" y1="8" x2="31" y2="8" stroke="{item.colour}" stroke-width="2.5"'
            f"{dash_attr}/>"
        )
    if item.symbol:
        body += _marker(item.symbol, 16, 8, 8, item.colour)
    return (
        f'<svg class="app-legend__sample" xmlns="http://www.w3.org/2000/svg" width="32" '
        f'height="16" viewBox="0 0 32 16" aria-hidden="true" focusable="false">{body}</svg>'
    )


def _title(layout: dict) -> str:
    title = layout.get("title")
    return (title.get("text", "") if isinstance(title, dict) else title or "").strip()


def _title_block(title: str, width: int) -> tuple[str, float]:
    """The chart's title, wrapped to the drawing's width: (SVG, height it takes)."""
    if not title:
        return "", 8
    lines = textwrap.wrap(title, max(20, int(width / 8.2)))
    svg = "".join(
        _text(0, 18 + 19 * i, line, size=15, weight="bold") for i, line in enumerate(lines)
    )
    return svg, 14 + 19 * len(lines)


def _axis_title(axis: dict) -> str:
    title = axis.get("title")
    return (title.get("text", "") if isinstance(title, dict) else title or "").strip()


# --- line charts: numeric or category x, numeric y ---------------------------------------------


def _xy_chart(traces: list[dict], layout: dict, width: int) -> str:
    xaxis, yaxis = layout.get("xaxis", {}), layout.get("yaxis", {})
    categories: list[str] = []
    if xaxis.get("type") == "category" or any(
        isinstance(x, str) for t in traces for x in t.get("x", []) if x is not None
    ):
        for trace in traces:
            for x in trace.get("x", []):
                if x is not None and str(x) not in categories:
                    categories.append(str(x))

    def x_of(value) -> float | None:
        if categories:
            return float(categories.index(str(value))) if value is not None else None
        return _num(value)

    xs = [x_of(x) for t in traces for x in t.get("x", [])]
    ys = [_num(y) for t in traces for y in t.get("y", [])]
    xs = [x for x in xs if x is not None]
    ys = [y for y in ys if y is not None]
    if not xs or not ys:
        return _svg(width, 40, _text(8, 24, "No values to chart"))
    y_ticks = _nice_ticks(min(ys), max(ys))
    y_low, y_high = y_ticks[0], y_ticks[-1]
    x_low, x_high = min(xs), max(xs)
    if x_high == x_low:
        x_low, x_high = x_low - 0.5, x_high + 0.5

    narrow = width < 500
    title, top = _title_block(_title(layout), width)
    y_title = _axis_title(yaxis)
    if y_title:
        top += 20
    left = max(len(_fmt(t)) for t in y_ticks) * 7.5 + 14
    right, height = 16, (300 if narrow else 380) + top
    bottom = 44
    plot_w, plot_h = width - left - right, height - top - bottom
    pad = plot_w * 0.03

    def sx(x: float) -> float:
        return left + pad + (x - x_low) / (x_high - x_low) * (plot_w - 2 * pad)

    def sy(y: float) -> float:
        return top + (1 - (y - y_low) / (y_high - y_low)) * plot_h

    parts: list[str] = [title]
    if y_title:
        parts.append(_text(0, top - 10, y_title, size=12))
    for tick in y_ticks:
        y = sy(tick)
        parts.append(
            f'<line x1="{left:.0f}" y1="{y:.0f}" x2="{width - right:.0f}" y2="{y:.0f}" '
            f'stroke="{GRID}"/>'
        )
        parts.append(_text(left - 6, y + 4, _fmt(tick), size=12, anchor="end"))
    # x ticks: the layout's (tickvals and ticktext) or the categories, thinned to fit.
    if categories:
        ticks = [(float(i), c) for i, c in enumerate(categories)]
    elif xaxis.get("tickvals"):
        ticks = list(
            zip((float(v) for v in xaxis["tickvals"]), xaxis.get("ticktext", []), strict=False)
        )
    else:
        ticks = [(v, _fmt(v)) for v in _nice_ticks(x_low, x_high, 6)]
    ticks = [(v, t) for v, t in ticks if x_low <= v <= x_high]
    if ticks:
        widest = max(len(str(t)) for _, t in ticks) * 6.6 + 10
        room = plot_w / widest
        step = max(1, math.ceil(len(ticks) / max(1, room)))
        # keep the last tick (the latest period, or the target) and every step-th before it
        shown = ticks[::-1][::step][::-1]
        for value, label in shown:
            x = sx(value)
            parts.append(
                f'<line x1="{x:.0f}" y1="{top + plot_h:.0f}" x2="{x:.0f}" '
                f'y2="{top + plot_h + 5:.0f}" stroke="{TEXT}"/>'
            )
            half = len(str(label)) * 3.3
            anchor, tx = "middle", x
            if x + half > width - 2:
                anchor, tx = "end", width - 2
            elif x - half < 2:
                anchor, tx = "start", 2
            parts.append(_text(tx, top + plot_h + 20, label, size=12, anchor=anchor))
    parts.append(
        f'<line x1="{left:.0f}" y1="{top + plot_h:.0f}" x2="{width - right:.0f}" '
        f'y2="{top + plot_h:.0f}" stroke="{TEXT}"/>'
    )
    x_title = _axis_title(xaxis)
    if x_title:
        parts.append(_text(left + plot_w / 2, height - 6, x_title, size=12, anchor="middle"))

    previous: list[tuple[float, float]] = []
    for trace in traces:
        points = [
            (x_of(x), _num(y)) for x, y in zip(trace.get("x", []), trace.get("y", []), strict=False)
        ]
        points = [(x, y) for x, y in points if x is not None]
        group = trace.get("legendgroup", "")
        colour = _trace_colour(trace)
        drawn = [(sx(x), sy(y)) for x, y in points if y is not None]
        if trace.get("fill") == "tonexty" and previous and drawn:
            outline = drawn + previous[::-1]
            fill = trace.get("fillcolor", colour)
            path = " ".join(f"{x:.0f},{y:.0f}" for x, y in outline)
            parts.append(
                f'<g data-band="{escape(group)}"><polygon points="{path}" fill="{fill}"/></g>'
            )
            previous = drawn
            continue
        previous = drawn
        mode = trace.get("mode", "lines+markers")
        line = trace.get("line", {})
        if line.get("width", 2) == 0 and "markers" not in mode:
            continue  # a band's invisible edge
        body = []
        if "lines" in mode:
            segments: list[list[tuple[float, float]]] = [[]]
            for x, y in points:
                if y is None:
                    if segments[-1] and not trace.get("connectgaps"):
                        segments.append([])
                    continue
                segments[-1].append((sx(x), sy(y)))
            dash = DASHES.get(line.get("dash", "solid"), "")
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            for segment in segments:
                if len(segment) > 1:
                    path = " ".join(f"{x:.0f},{y:.0f}" for x, y in segment)
                    body.append(
                        f'<polyline points="{path}" fill="none" stroke="{colour}" '
                        f'stroke-width="{line.get("width", 2)}"{dash_attr}/>'
                    )
        if "markers" in mode:
            marker = trace.get("marker", {})
            size = min(marker.get("size", 7), 9) if narrow else marker.get("size", 7)
            for x, y in drawn:
                body.append(_marker(marker.get("symbol", "circle"), x, y, size, colour))
        parts.append(f"<g{_group_attr(group)}>{''.join(body)}</g>")
    return _svg(width, height, "".join(parts))


# --- rows: a label on its own line above each bar or dot ----------------------------------------


def _rows_chart(traces: list[dict], layout: dict, width: int) -> str:
    trace = traces[0]
    labels = [str(y).replace("<br>", " ") for y in trace.get("y", [])]
    values = [_num(x) for x in trace.get("x", [])]
    is_bar = trace.get("type") == "bar"
    error = trace.get("error_x") or {}
    plus = error.get("array") or [0] * len(values)
    minus = error.get("arrayminus") or plus
    lows = [v - (m or 0) for v, m in zip(values, minus, strict=False) if v is not None]
    highs = [v + (p or 0) for v, p in zip(values, plus, strict=False) if v is not None]
    shapes = [s for s in layout.get("shapes", []) if s.get("type") == "line"]
    extra = [_num(s.get("x0")) for s in shapes]
    extent = lows + highs + [e for e in extra if e is not None] + ([0] if is_bar else [])
    if not extent:
        return _svg(width, 40, _text(8, 24, "No values to chart"))
    ticks = _nice_ticks(min(extent), max(extent))
    low, high = ticks[0], ticks[-1]
    if not is_bar:  # a dot plot need not start at zero: differences of a year or a point show
        low, high = min(extent), max(extent)
        margin = (high - low) * 0.08 or 1
        low, high = low - margin, high + margin
        ticks = [t for t in _nice_ticks(low, high) if low <= t <= high]

    title, top = _title_block(_title(layout), width)
    left, right = 8, 16
    row_h = 46
    plot_w = width - left - right
    height = top + row_h * len(labels) + 44
    marker = trace.get("marker", {})
    colours = marker.get("color", TEXT)
    symbols = marker.get("symbol", "circle")
    texts = trace.get("text") or []

    def sx(x: float) -> float:
        return left + (x - low) / (high - low) * plot_w

    parts: list[str] = [title]
    bottom = top + row_h * len(labels)
    for tick in ticks:
        x = sx(tick)
        parts.append(
            f'<line x1="{x:.0f}" y1="{top:.0f}" x2="{x:.0f}" y2="{bottom:.0f}" stroke="{GRID}"/>'
        )
        parts.append(_text(x, bottom + 16, _fmt(tick), size=12, anchor="middle"))
    x_title = _axis_title(layout.get("xaxis", {}))
    if x_title:
        parts.append(_text(left + plot_w / 2, bottom + 36, x_title, size=12, anchor="middle"))
    for shape in shapes:
        x = _num(shape.get("x0"))
        if x is not None:
            dash = DASHES.get(shape.get("line", {}).get("dash", "solid"), "")
            parts.append(
                f'<line x1="{sx(x):.0f}" y1="{top:.0f}" x2="{sx(x):.0f}" y2="{bottom:.0f}" '
                f'stroke="{shape.get("line", {}).get("color", TEXT)}" stroke-width="1.5" '
                f'stroke-dasharray="{dash}"/>'
            )
    for index, (label, value) in enumerate(zip(labels, values, strict=False)):
        y = top + index * row_h
        parts.append(_text(left, y + 15, label, size=13))
        if value is None:
            continue
        colour = colours[index] if isinstance(colours, list) else colours
        mid = y + 31
        if is_bar:
            x0, x1 = sx(max(low, 0)), sx(value)
            parts.append(
                f'<rect x="{min(x0, x1):.0f}" y="{mid - 9:.0f}" width="{abs(x1 - x0):.0f}" '
                f'height="18" fill="{colour}"/>'
            )
            if index < len(texts):
                inside = abs(x1 - x0) > 60
                tx = x1 - 6 if inside else x1 + 6
                parts.append(
                    _text(
                        tx,
                        mid + 5,
                        texts[index],
                        size=12,
                        anchor="end" if inside else "start",
                        colour="#ffffff" if inside else TEXT,
                    )
                )
        else:
            p, m = plus[index] or 0, minus[index] or 0
            if p or m:
                parts.append(
                    f'<line x1="{sx(value - m):.0f}" y1="{mid:.0f}" x2="{sx(value + p):.0f}" '
                    f'y2="{mid:.0f}" stroke="{TEXT}" stroke-width="1.5"/>'
                )
                for end in (value - m, value + p):
                    parts.append(
                        f'<line x1="{sx(end):.0f}" y1="{mid - 5:.0f}" x2="{sx(end):.0f}" '
                        f'y2="{mid + 5:.0f}" stroke="{TEXT}" stroke-width="1.5"/>'
                    )
            symbol = symbols[index] if isinstance(symbols, list) else symbols
            parts.append(_marker(symbol, sx(value), mid, 12, colour))
    return _svg(width, height, "".join(parts))
