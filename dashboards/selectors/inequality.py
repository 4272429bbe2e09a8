"""The inequality lens: a measure's values by group (free school meals, sex, deprivation quintile,
...) in each area, the gap between the groups furthest apart, and whether it is narrowing.

Which groups make the gap:
- five or more ordered groups (quintiles, deciles): the first (most deprived) and the last (least
  deprived), as OHID does, with the slope index of inequality where every group has a
  population (its denominator) and an interval;
- otherwise the worst and the best of the headline figure (e.g. all pupils) and the groups, by
  the measure's polarity (the highest and lowest where it has none);
- a group whose publisher says it is not comparable (``Breakdown.in_gap`` unticked) is shown with
  its note, never counted in the gap.

The gap is taken in the latest period where both groups have a value, and compared with the
earliest of the last five such periods (methods.inequality names the test).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from dashboards.selectors.series import PeriodInfo
from methods import base, inequality
from methods.inequality import GAP_CHANGE_LABELS, Gap, GapChange, GapTrend
from outcomes.models import Breakdown, Measure, Value
from places.models import Place

WINDOW = base.TREND_POINTS


@dataclass(frozen=True)
class Figure:
    value: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    note: str = ""
    denominator: Decimal | None = None
    source: str = ""

    @property
    def se(self) -> float | None:
        return inequality.se_from_interval(self.lower, self.upper)


@dataclass
class Group:
    """One group's series in one area: the headline figure (breakdown None) or a breakdown's."""

    label: str
    breakdown: Breakdown | None
    by_period: dict[int, Figure] = field(default_factory=dict)

    @property
    def in_gap(self) -> bool:
        return self.breakdown is None or self.breakdown.in_gap

    @property
    def key(self) -> str:
        return "all" if self.breakdown is None else str(self.breakdown.pk)


@dataclass
class Cell:
    """What the table shows for one group in the latest period."""

    group: Group
    text: str
    interval: str
    note: str


@dataclass
class AreaGap:
    place: Place
    period: PeriodInfo | None
    cells: list[Cell]
    worse: Group | None = None
    better: Group | None = None
    gap: Gap | None = None
    then: PeriodInfo | None = None
    then_gap: Gap | None = None
    trend: GapTrend | None = None
    sii: inequality.SII | None = None
    sentence: str = ""
    gap_text: str = ""

    @property
    def trend_label(self) -> str:
        return GAP_CHANGE_LABELS[self.trend.change] if self.trend else ""


@dataclass
class Lens:
    measure: Measure
    dimension: str
    groups: list[Group]  # the labels, in order (their series are per area)
    areas: list[AreaGap]
    method: str
    periods: dict[int, PeriodInfo] = field(default_factory=dict)
    figure: dict | None = None  # set by the view (dashboards.inequality_charts)
    label: str = ""

    @property
    def notes(self) -> list[Breakdown]:
        return [g.breakdown for g in self.groups if g.breakdown is not None and g.breakdown.note]

    @property
    def excluded(self) -> list[Group]:
        return [g for g in self.groups if not g.in_gap]


def _units(measure: Measure) -> str:
    if measure.unit_label == "%":
        return "percentage points"
    if measure.value_kind == Measure.ValueKind.MONEY:
        return ""
    return measure.unit_label


def _gap_text(measure: Measure, amount: float) -> str:
    number = f"{abs(amount):,.{measure.decimal_places}f}"
    if measure.value_kind == Measure.ValueKind.MONEY:
        return f"£{number}"
    return f"{number} {_units(measure)}".strip()


def _fmt(measure: Measure, figure: Figure | None) -> tuple[str, str]:
    if figure is None:
        return "", ""
    if figure.value is None:
        return "–", ""
    interval = ""
    if figure.lower is not None and figure.upper is not None:
        interval = f"{measure.format_value(figure.lower)} to {measure.format_value(figure.upper)}"
    return measure.format_value(figure.value), interval


def _pair(measure: Measure, groups: list[Group], period_pk: int) -> tuple[Group, Group] | None:
    """(worse, better) of the groups counted in the gap that have a value in this period."""
    present = [
        g
        for g in groups
        if g.in_gap and (f := g.by_period.get(period_pk)) is not None and f.value is not None
    ]
    if len(present) < 2:
        return None
    ordered = [g for g in present if g.breakdown is not None]
    if len(ordered) >= 5:
        return ordered[0], ordered[-1]  # most deprived, least deprived
    values = {g.key: float(g.by_period[period_pk].value) for g in present}
    highest = max(present, key=lambda g: values[g.key])
    lowest = min(present, key=lambda g: values[g.key])
    if highest is lowest:
        return None
    return (highest, lowest) if measure.polarity != Measure.Polarity.HIGHER else (lowest, highest)


def _gap(a: Figure, b: Figure) -> Gap:
    return inequality.gap(a.value, b.value, se_a=a.se, se_b=b.se)


def _area_gap(
    measure: Measure, place: Place, groups: list[Group], periods: dict[int, PeriodInfo]
) -> AreaGap:
    in_any = sorted(
        {pk for g in groups for pk, f in g.by_period.items() if f.value is not None},
        key=lambda pk: (periods[pk].start, periods[pk].end),
    )
    latest = periods[in_any[-1]] if in_any else None
    cells = []
    for group in groups:
        figure = group.by_period.get(latest.pk) if latest else None
        text, interval = _fmt(measure, figure)
        cells.append(Cell(group, text, interval, figure.note if figure else ""))
    result = AreaGap(place=place, period=latest, cells=cells)
    if latest is None:
        result.sentence = f"No values by {groups[-1].breakdown.dimension.lower()} for {place.name}."
        return result
    pair = _pair(measure, groups, latest.pk)
    if pair is None:
        result.sentence = f"Not enough groups with a value in {latest.label} to give a gap."
        return result
    worse, better = pair
    result.worse, result.better = worse, better
    result.gap = _gap(worse.by_period[latest.pk], better.by_period[latest.pk])
    result.gap_text = _gap_text(measure, result.gap.absolute)
    shared = [
        pk
        for pk in in_any
        if all(
            (f := g.by_period.get(pk)) is not None and f.value is not None for g in (worse, better)
        )
    ][-WINDOW:]
    if len(shared) >= 2:
        result.then = periods[shared[0]]
        result.then_gap = _gap(worse.by_period[shared[0]], better.by_period[shared[0]])
    result.trend = inequality.gap_change(result.then_gap, result.gap)
    ordered = [g for g in groups if g.breakdown is not None and g.in_gap]
    if len(ordered) >= 5:
        figures = [g.by_period.get(latest.pk) for g in ordered]
        if all(f and f.value is not None and f.denominator and f.se for f in figures):
            result.sii = inequality.slope_index_of_inequality(
                [f.value for f in figures],
                [f.denominator for f in figures],
                [f.se for f in figures],
            )
    result.sentence = _sentence(measure, place, latest, result)
    return result


def _sentence(measure: Measure, place: Place, period: PeriodInfo, area: AreaGap) -> str:
    worse, better, gap = area.worse, area.better, area.gap
    a = measure.format_value(worse.by_period[period.pk].value)
    b = measure.format_value(better.by_period[period.pk].value)
    text = (
        f"In {place.name} in {period.label}: {worse.label}, {a}; {better.label}, {b}. "
        f"The gap is {_gap_text(measure, gap.absolute)}"
    )
    if gap.relative is not None:
        text += f" ({gap.relative:.2f} times)"
    text += "."
    trend = area.trend
    if trend is None or area.then is None:
        return text + " There is no earlier period with both groups to compare."
    since = f" Since {area.then.label}"
    if trend.change == GapChange.NARROWING:
        text += f"{since} it has narrowed significantly, by {_gap_text(measure, trend.difference)}."
    elif trend.change == GapChange.WIDENING:
        text += f"{since} it has widened significantly, by {_gap_text(measure, trend.difference)}."
    elif trend.change == GapChange.NO_SIGNIFICANT_CHANGE:
        text += f"{since} it has not changed significantly (it moved by "
        text += f"{_gap_text(measure, trend.difference)})."
    elif trend.change == GapChange.NARROWED_UNTESTED:
        text += f"{since} it has narrowed by {_gap_text(measure, trend.difference)}; with no "
        text += "published intervals, the change is not tested."
    elif trend.change == GapChange.WIDENED_UNTESTED:
        text += f"{since} it has widened by {_gap_text(measure, trend.difference)}; with no "
        text += "published intervals, the change is not tested."
    elif trend.change == GapChange.UNCHANGED:
        text += f"{since} it is unchanged."
    return text


METHOD = (
    "The gap is between the groups furthest apart (for quintiles, the most and least deprived), "
    "absolute (the difference) and relative (the ratio), in the latest period both have a value. "
    "Whether it is narrowing compares it with the earliest of the last five such periods: the "
    "change is significant at 95% when it exceeds 1.96 standard errors, from the groups' 95% "
    "intervals (a z-test of the difference between two independent gaps). Where the publisher "
    "gives no intervals the change is given without a test. Where quintiles have populations "
    "and intervals, the slope index of inequality is computed as OHID's PHEindicatormethods does "
    "(a population-weighted regression on the midpoint of each quintile's cumulative share, "
    "its interval by simulation)."
)


def _group_values(measures: list[Measure], areas: list[Place]) -> dict[int, list[Value]]:
    """Every published value by group of these measures in these areas, by measure (one
    query)."""
    found: dict[int, list[Value]] = defaultdict(list)
    for value in (
        Value.objects.published()
        .filter(measure__in=[m.pk for m in measures], breakdown__isnull=False)
        .filter(place__in=[a.pk for a in areas])
        .select_related("breakdown", "period")
        .order_by()
    ):
        found[value.measure_id].append(value)
    return found


def measure_lenses(measure: Measure, areas: list[Place], headline: dict) -> list[Lens]:
    """The lens for each breakdown dimension of the measure, for these areas (one query).
    ``headline``: from :func:`headline_figures`, the page's own headline (all people) figures."""
    values = _group_values([measure], areas).get(measure.pk, [])
    return _lenses(measure, areas, headline, values)


def _lenses(measure: Measure, areas: list[Place], headline: dict, values: list[Value]):
    if not values:
        return []
    periods: dict[int, PeriodInfo] = dict(headline.get("periods", {}))
    by_dimension: dict[str, dict[int, Breakdown]] = defaultdict(dict)
    series: dict[tuple[int, int], dict[int, Figure]] = defaultdict(dict)
    for v in values:
        by_dimension[v.breakdown.dimension][v.breakdown.pk] = v.breakdown
        p = v.period
        periods.setdefault(p.pk, PeriodInfo(p.pk, p.start, p.end, p.type))
        series[(v.place_id, v.breakdown_id)][p.pk] = Figure(
            v.value, v.lower_ci, v.upper_ci, v.note, v.denominator, v.source
        )
    label = measure.population_label or "All people"
    lenses = []
    for dimension, found in sorted(by_dimension.items()):
        breakdowns = sorted(found.values(), key=lambda b: (b.order, b.category))
        template = [Group(label, None)] + [Group(b.category, b) for b in breakdowns]
        rows = []
        for place in areas:
            groups = [Group(label, None, headline["by_place"].get(place.pk, {}))] + [
                Group(b.category, b, series.get((place.pk, b.pk), {})) for b in breakdowns
            ]
            if not any(series.get((place.pk, b.pk)) for b in breakdowns):
                continue
            rows.append(_area_gap(measure, place, groups, periods))
        lenses.append(Lens(measure, dimension, template, rows, METHOD, periods))
    return lenses


def place_lenses(rows) -> list[Lens]:
    """A place page's lenses: each measure with values by group, for the place and England
    beside it (one query). ``rows``: the page's rows (measure, cell, benchmark)."""
    if not rows:
        return []
    areas = [rows[0].cell.place] + ([rows[0].benchmark.place] if rows[0].benchmark else [])
    values = _group_values([row.measure for row in rows], areas)
    lenses = []
    for row in rows:
        found = values.get(row.measure.pk, [])
        if any(v.place_id == areas[0].pk for v in found):  # the place's own, not only England's
            cells = [row.cell] + ([row.benchmark] if row.benchmark else [])
            lenses += _lenses(row.measure, areas, headline_figures(cells), found)
    return lenses


def headline_figures(cells) -> dict:
    """The headline (all people) figures of a page's cells, for :func:`measure_lenses`."""
    by_place: dict[int, dict[int, Figure]] = {}
    periods: dict[int, PeriodInfo] = {}
    for cell in cells:
        figures = {}
        for point in cell.points:
            periods[point.period.pk] = point.period
            figures[point.period.pk] = Figure(
                point.value, point.lower, point.upper, point.note, point.denominator, point.source
            )
        by_place[cell.place.pk] = figures
    return {"by_place": by_place, "periods": periods}


def lenses_for_cells(measure: Measure, cells) -> list[Lens]:
    """The lenses for a page that has these cells (one measure's, one per area)."""
    return measure_lenses(measure, [c.place for c in cells], headline_figures(cells))


def measures_with_groups() -> list[dict]:
    """The measures with published values by group, and their dimensions (one query)."""
    from django.urls import reverse

    found: dict[str, dict] = {}
    rows = (
        Value.objects.published()
        .filter(breakdown__isnull=False)
        .values_list("measure__slug", "measure__title", "breakdown__dimension")
        .distinct()
        .order_by("measure__slug", "breakdown__dimension")
    )
    for slug, title, dimension in rows:
        item = found.setdefault(
            slug,
            {"title": title, "url": reverse("outcomes:measure", args=[slug]), "dimensions": []},
        )
        item["dimensions"].append(dimension)
    return sorted(found.values(), key=lambda item: item["title"])
