"""The inequality lens's chart: each area's groups side by side in the latest period, a dot per
group with its 95% interval (the same numbers are in the table beside it)."""

from __future__ import annotations

from dashboards.charts import FONT, PALETTE, SYMBOLS
from dashboards.selectors.inequality import Lens


def lens_figure(lens: Lens) -> dict | None:
    measure = lens.measure
    rows = [area for area in lens.areas if area.period is not None]
    if not rows:
        return None
    traces = []
    for index, group in enumerate(lens.groups):
        names, values, plus, minus, texts = [], [], [], [], []
        for area in rows:
            point = _figure(area, group.key)
            if point is None or point.value is None:
                continue
            value = float(point.value)
            names.append(f"{area.place.name} ({area.period.label})")
            values.append(value)
            has_interval = point.lower is not None and point.upper is not None
            plus.append(float(point.upper) - value if has_interval else 0)
            minus.append(value - float(point.lower) if has_interval else 0)
            texts.append(f"{area.place.name}, {group.label}: {measure.format_value(point.value)}")
        if not values:
            continue
        trace = {
            "type": "scatter",
            "mode": "markers",
            "name": group.label,
            "y": names,
            "x": values,
            "hovertext": texts,
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {
                "color": PALETTE[index % len(PALETTE)],
                "symbol": SYMBOLS[index % len(SYMBOLS)],
                "size": 11,
            },
        }
        if any(plus) or any(minus):
            trace["error_x"] = {
                "type": "data",
                "symmetric": False,
                "array": plus,
                "arrayminus": minus,
                "color": PALETTE[index % len(PALETTE)],
                "thickness": 1.5,
                "width": 5,
            }
        traces.append(trace)
    unit = "£" if measure.value_kind == "money" else measure.unit_label
    return {
        "data": traces,
        "layout": {
            "title": {
                "text": f"{measure.title} by {lens.dimension.lower()}, latest period, by area",
                "x": 0,
                "xanchor": "left",
                "font": {"size": 16},
            },
            "font": {"family": FONT, "size": 14, "color": "#212b32"},
            "margin": {"l": 60, "r": 20, "t": 50, "b": 40},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "hovermode": "closest",
            "legend": {"orientation": "h", "y": -0.2},
            "xaxis": {"title": {"text": unit}, "gridcolor": "#d8dde0"},
            "yaxis": {"automargin": True, "autorange": "reversed"},
        },
    }


def _figure(area, key):
    for cell in area.cells:
        if cell.group.key == key:
            return cell.group.by_period.get(area.period.pk)
    return None


def lens_label(lens: Lens) -> str:
    groups = ", ".join(g.label for g in lens.groups)
    return (
        f"Dot chart of {lens.measure.title.lower()} for {groups}, in each area's latest period, "
        "with 95% intervals where published"
    )
