"""A measure's page: each area's series and statuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from dashboards.selectors.cells import Cell, Tag, build_cells, last_updated, make_tag
from dashboards.selectors.series import Areas, PeriodInfo, Point
from outcomes.models import Measure


@dataclass(frozen=True)
class Entry:
    """One value as a data table shows it: formatted, with its interval, or why it is missing."""

    value: str
    interval: str
    computed: bool  # the interval was computed here from a count and denominator
    note: str
    missing: bool

    @classmethod
    def of(cls, measure: Measure, point: Point | None) -> Entry:
        if point is None:
            return cls("", "", False, "", True)
        if point.value is None:
            note = "No value published" + (f": {point.note}" if point.note else "")
            return cls("–", "", False, note, True)
        interval = ""
        if point.interval is not None:
            low = measure.format_value(point.interval.lower)
            high = measure.format_value(point.interval.upper)
            interval = f"{low} to {high}"
        return cls(
            value=measure.format_value(point.value),
            interval=interval,
            computed=point.interval is not None and not point.has_published_interval,
            note=point.note,
            missing=False,
        )


@dataclass
class MeasurePage:
    measure: Measure
    areas: Areas
    cells: list[Cell]
    benchmark: Cell | None
    region: Cell | None
    last_updated: datetime | None
    today: date

    @property
    def all_cells(self) -> list[Cell]:
        return self.cells + [c for c in (self.benchmark, self.region) if c]

    @property
    def periods(self) -> list[PeriodInfo]:
        """Every period any area has a value for, in order."""
        seen = {p.period.pk: p.period for c in self.all_cells for p in c.points}
        return sorted(seen.values(), key=lambda p: (p.start, p.end))

    @property
    def latest_period(self) -> PeriodInfo | None:
        """The latest period of the system and its places (for the chart comparing them)."""
        latest = [c.latest.period for c in self.cells if c.latest]
        return max(latest, key=lambda p: (p.start, p.end)) if latest else None

    @property
    def update_overdue(self) -> bool:
        due = self.measure.next_update_due
        return due is not None and due < self.today

    @property
    def targets(self) -> list[Cell]:
        return [c for c in self.cells if c.has_target]

    @property
    def table(self) -> list[tuple[PeriodInfo, list[Entry]]]:
        """The time series as a table: a row per period, an entry per area (all_cells)."""
        cells = self.all_cells
        return [
            (period, [Entry.of(self.measure, c.by_period.get(period.pk)) for c in cells])
            for period in reversed(self.periods)
        ]

    @property
    def latest_rows(self) -> list[tuple[Cell, Entry, Tag | None]]:
        """Each area in the latest period, with its comparison with the benchmark."""
        period = self.latest_period
        if period is None:
            return []
        rows = []
        for cell in self.all_cells:
            point = cell.by_period.get(period.pk)
            if point is None:
                continue
            tag = None
            if not cell.is_benchmark:
                tag = make_tag(cell.compare_point(point), benchmark_name=cell.benchmark_name)
            rows.append((cell, Entry.of(self.measure, point), tag))
        return rows


def measure_page(measure: Measure, *, areas: Areas) -> MeasurePage:
    """One measure: its series in every area, both benchmarks and the targets."""
    cells = build_cells([measure], areas, areas.shown)
    return MeasurePage(
        measure=measure,
        areas=areas,
        cells=[cells[(measure.pk, p.pk)] for p in areas.shown],
        benchmark=cells.get((measure.pk, areas.benchmark.pk)) if areas.benchmark else None,
        region=cells.get((measure.pk, areas.region.pk)) if areas.region else None,
        last_updated=last_updated(cells.values()),
        today=timezone.localdate(),
    )
