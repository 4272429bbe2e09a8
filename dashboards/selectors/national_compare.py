"""Compare areas: any of the UK's areas, side by side over time, for one national indicator.

Reads the published values and the ranks stored at import. A page costs a fixed number of
queries whatever is chosen: the indicators (for the choice), the chosen areas, their values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from dashboards.selectors.national_map import NATIONAL_ATTRIBUTION, ordinal, period_text
from national.models import Indicator, Observation
from places.models import Place

MAX_AREAS = 12
MAX_MATCHES = 25
COLOURS = [
    "#005eb8",
    "#da291c",
    "#007f3b",
    "#330072",
    "#ed8b00",
    "#00a499",
    "#7c2855",
    "#425563",
    "#ae2573",
    "#006747",
    "#8a1538",
    "#231f20",
]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "cross"]


def find_areas(text: str, *, exclude: list[str] | tuple = ()) -> list[Place]:
    """Areas whose name holds the words (in any order), or with this code: at most
    MAX_MATCHES, current areas before former ones, then by name."""
    words = text.split()
    if not words:
        return []
    query = Q()
    for word in words[:6]:
        query &= Q(name__icontains=word)
    if len(words) == 1:
        query |= Q(code__iexact=words[0])
    return list(
        Place.objects.filter(query)
        .exclude(code__in=exclude)
        .order_by("-is_current", "name")
        .only("name", "code", "slug", "kind", "area_type", "is_current")[:MAX_MATCHES]
    )


def indicator_choices() -> list[tuple[int, str]]:
    """Every national indicator, by name, for the choice on the page."""
    rows = Indicator.objects.order_by("label", "name").values_list("pk", "label", "name")
    return [(pk, label or name) for pk, label, name in rows]


@dataclass(frozen=True)
class Value:
    value: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    rank: int | None  # 1 = the highest value (the publisher does not say which is better)
    rank_of: int | None
    geography: str
    text: str

    @property
    def rank_text(self) -> str:
        return f"{ordinal(self.rank)} highest of {self.rank_of}" if self.rank else ""


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    @property
    def middle(self) -> date:
        return self.start + timedelta(days=(self.end - self.start).days // 2)


@dataclass
class Comparison:
    indicator: Indicator
    areas: list[Place]
    periods: list[Period]  # oldest first
    values: dict[tuple[str, date, date], Value]  # (area code, start, end) -> value

    attribution = NATIONAL_ATTRIBUTION

    @property
    def unit(self) -> str:
        return self.indicator.unit or self.indicator.measure

    def value(self, area: Place, period: Period) -> Value | None:
        return self.values.get((area.code, period.start, period.end))

    @property
    def table(self) -> list[tuple[Period, list[Value | None]]]:
        """Newest period first, a value (or None) per area."""
        return [(p, [self.value(a, p) for a in self.areas]) for p in reversed(self.periods)]

    @property
    def empty(self) -> bool:
        return not self.values

    @property
    def areas_without_values(self) -> list[Place]:
        with_values = {code for code, _, _ in self.values}
        return [a for a in self.areas if a.code not in with_values]

    def figure(self) -> dict:
        """A plotly figure for the project's charts.js: a line per area."""
        traces = []
        for i, area in enumerate(self.areas):
            points = [(p, self.value(area, p)) for p in self.periods]
            points = [(p, v) for p, v in points if v is not None]
            if not points:
                continue
            colour = COLOURS[i % len(COLOURS)]
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": area.name,
                    "x": [p.middle.isoformat() for p, _ in points],
                    "y": [float(v.value) if v.value is not None else None for _, v in points],
                    "text": [f"{area.name}, {p.label}: {v.text}" for p, v in points],
                    "hovertemplate": "%{text}<extra></extra>",
                    "connectgaps": False,
                    "line": {"color": colour, "width": 2.5},
                    "marker": {"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 7, "color": colour},
                }
            )
        return {
            "data": traces,
            "layout": {
                "title": {"text": str(self.indicator), "x": 0, "xanchor": "left"},
                "font": {"size": 14, "color": "#212b32"},
                "margin": {"l": 60, "r": 20, "t": 50, "b": 40},
                "paper_bgcolor": "#ffffff",
                "plot_bgcolor": "#ffffff",
                "hovermode": "closest",
                "legend": {"orientation": "h", "y": -0.15},
                "yaxis": {"title": {"text": self.unit}, "gridcolor": "#d8dde0"},
            },
        }

    @property
    def label(self) -> str:
        names = ", ".join(a.name for a in self.areas)
        span = f", {self.periods[0].label} to {self.periods[-1].label}" if self.periods else ""
        return f"Line chart of {self.indicator} in {names}{span}"


def _format(indicator: Indicator, value: Decimal | None) -> str:
    if value is None:
        return "–"
    places = indicator.dataset.decimal_places
    number = f"{value:,.{places}f}" if places is not None else f"{value.normalize():,f}"
    prefix, suffix = indicator.dataset.prefix, indicator.dataset.suffix
    return f"{prefix}{number}{suffix}"


def compare(indicator: Indicator, areas: list[Place]) -> Comparison:
    """The chosen areas' values of the indicator in every period published (one query)."""
    rows = (
        Observation.objects.filter(indicator=indicator, area__in=areas)
        .order_by()
        .values_list(
            "area__code",
            "period_start",
            "period_end",
            "value",
            "lower_ci",
            "upper_ci",
            "rank_high",
            "rank_of",
            "geography",
        )
    )
    values, spans = {}, set()
    for code, start, end, value, lower, upper, rank, rank_of, geography in rows:
        values[(code, start, end)] = Value(
            value, lower, upper, rank, rank_of, geography, _format(indicator, value)
        )
        spans.add((start, end))
    periods = [Period(s, e, period_text(s, e)) for s, e in sorted(spans)]
    return Comparison(indicator=indicator, areas=areas, periods=periods, values=values)


def download_rows(comparison: Comparison) -> list[dict]:
    """One row per area and period, with the source and attribution on every row."""
    rows = []
    source = comparison.indicator.dataset.source_org
    for area in comparison.areas:
        for period in comparison.periods:
            value = comparison.value(area, period)
            if value is None:
                continue
            rows.append(
                {
                    "area_code": area.code,
                    "area_name": area.name,
                    "indicator": str(comparison.indicator),
                    "unit": comparison.unit,
                    "period": period.label,
                    "period_start": period.start,
                    "period_end": period.end,
                    "value": value.value,
                    "lower_ci_95": value.lower,
                    "upper_ci_95": value.upper,
                    "rank_highest_first": value.rank,
                    "ranked_among": value.rank_of,
                    "kind_of_area": value.geography,
                    "source": source,
                    "attribution": NATIONAL_ATTRIBUTION,
                }
            )
    return rows
