"""Reads for the public pages, across the outcomes and places apps.

Each page gets one "grid": the series of published values it shows, one :class:`Cell` per measure
and area, each able to say its statuses (against England, trend, target) and why. A grid costs a
fixed number of queries whatever the number of measures, places and periods: the areas, the
measures (and outcomes), every published value the page needs in one query, and the targets in
one more. Statuses are computed in Python by :mod:`outcomes.stats`, the single home of their rules.

Only published values are ever read here (``Value.objects.published()``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.utils import timezone

from outcomes import stats
from outcomes.models import Measure, Outcome, Target, Value
from outcomes.periods import period_label
from outcomes.stats import Status, Tone
from places.models import Place

# -------------------------------------------------------------------------------------------------
# The areas a page shows
# -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Areas:
    """The system, its places, and the two benchmarks: England and the region."""

    system: Place | None
    places: list[Place]
    benchmark: Place | None
    region: Place | None

    @property
    def shown(self) -> list[Place]:
        """The areas the partnership reports on: the system first, then each place."""
        return ([self.system] if self.system else []) + self.places

    @property
    def comparators(self) -> list[Place]:
        return [area for area in (self.benchmark, self.region) if area]

    @property
    def all(self) -> list[Place]:
        return self.shown + self.comparators

    @property
    def benchmark_name(self) -> str:
        return self.benchmark.name if self.benchmark else "England"

    def by_slug(self, slug: str) -> Place | None:
        return next((area for area in self.all if area.slug == slug), None)


def areas_for_dashboard() -> Areas:
    """The areas every public page works with, in one query."""
    benchmark_code, region_code = settings.BENCHMARK_AREA_CODE, settings.REGION_AREA_CODE
    found = list(Place.objects.for_dashboard(benchmark_code, region_code))
    systems = [p for p in found if p.kind == Place.Kind.SYSTEM]
    return Areas(
        system=systems[0] if systems else None,
        places=[p for p in found if p.kind == Place.Kind.PLACE],
        benchmark=next((p for p in found if p.code == benchmark_code), None),
        region=next((p for p in found if p.code == region_code), None),
    )


# -------------------------------------------------------------------------------------------------
# Points and series
# -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodInfo:
    """The parts of a Period the pages use, without a model instance per value."""

    pk: int
    start: date
    end: date
    type: str

    @cached_property
    def label(self) -> str:
        return period_label(self.start, self.end, self.type)

    @cached_property
    def middle(self) -> date:
        return self.start + (self.end - self.start) / 2

    @cached_property
    def x(self) -> float:
        """Where the period sits in time, in years: its middle. Trends, targets and charts all
        place a period here, so the trajectory drawn is the one assessed."""
        return stats.decimal_year(self.middle)


@dataclass(frozen=True)
class Point:
    """One published value (for all people) of one measure, in one area and period."""

    period: PeriodInfo
    value: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    note: str
    source: str
    published_at: datetime | None
    interval: stats.Interval | None

    @property
    def has_value(self) -> bool:
        return self.value is not None

    @property
    def has_published_interval(self) -> bool:
        return self.lower is not None and self.upper is not None


VALUE_FIELDS = (
    "measure_id",
    "place_id",
    "period_id",
    "period__start",
    "period__end",
    "period__type",
    "value",
    "lower_ci",
    "upper_ci",
    "numerator",
    "denominator",
    "note",
    "source",
    "published_at",
)


def load_series(
    measures: Sequence[Measure], places: Sequence[Place], *, all_measures: bool = False
) -> dict[tuple[int, int], list[Point]]:
    """Every published all-people value of these measures in these places, in one query:
    (measure id, place id) -> points in period order. ``all_measures`` skips the measure filter
    when the page shows every measure."""
    by_id = {m.pk: m for m in measures}
    queryset = Value.objects.published().all_people().for_places([p.pk for p in places])
    if not all_measures:
        queryset = queryset.for_measures(list(by_id))
    rows = queryset.order_by("measure_id", "place_id", "period__start", "period__end").values_list(
        *VALUE_FIELDS
    )
    periods: dict[int, PeriodInfo] = {}
    series: dict[tuple[int, int], list[Point]] = defaultdict(list)
    for (
        measure_id,
        place_id,
        period_id,
        start,
        end,
        period_type,
        value,
        lower,
        upper,
        numerator,
        denominator,
        note,
        source,
        published_at,
    ) in rows:
        measure = by_id.get(measure_id)
        if measure is None:
            continue
        period = periods.get(period_id)
        if period is None:
            period = periods[period_id] = PeriodInfo(period_id, start, end, period_type)
        interval = (
            stats.interval_for(measure.value_kind, value, lower, upper, numerator, denominator)
            if value is not None
            else None
        )
        series[(measure_id, place_id)].append(
            Point(
                period,
                value,
                lower,
                upper,
                numerator,
                denominator,
                note,
                source,
                published_at,
                interval,
            )
        )
    return series


def load_targets(measures: Sequence[Measure], *, all_measures: bool = False) -> list[Target]:
    queryset = Target.objects.all()
    if not all_measures:
        queryset = queryset.filter(measure__in=[m.pk for m in measures])
    return list(queryset.order_by("measure_id", "target_date"))


def target_for(targets: Iterable[Target], place: Place, *, today: date) -> Target | None:
    """The target that applies to a place: its own before one for every place; of several dates,
    the next still to come, else the last."""
    own = [t for t in targets if t.place_id == place.pk]
    candidates = own or [t for t in targets if t.place_id is None]
    if not candidates:
        return None
    ahead = [t for t in candidates if t.target_date >= today]
    return min(ahead, key=lambda t: t.target_date) if ahead else candidates[-1]


# -------------------------------------------------------------------------------------------------
# Status tags (text, tone and icon: colour never carries a status alone)
# -------------------------------------------------------------------------------------------------

ICONS = {
    Status.BETTER: "tick",
    Status.WORSE: "cross",
    Status.SIMILAR: "equal",
    Status.HIGHER: "up",
    Status.LOWER: "down",
    Status.NOT_COMPARED: "dash",
    Status.NO_SIGNIFICANT_CHANGE: "flat",
    Status.NOT_ENOUGH_DATA: "dash",
    Status.ACHIEVED: "star",
    Status.ON_TRACK: "tick",
    Status.OFF_TRACK: "cross",
    Status.NO_TARGET: "dash",
    Status.NOT_ASSESSED: "dash",
}

TONE_COLOURS = {
    Tone.GOOD: "green",
    Tone.BAD: "red",
    Tone.NEUTRAL: "white",
    Tone.NONE: "grey",
}
"""NHS.UK tag colours (``nhsuk-tag--<colour>``), each with text that meets WCAG AA contrast."""


@dataclass(frozen=True)
class Tag:
    """A status as the page shows it: its words, its tone (colour) and its icon."""

    status: Status
    label: str
    tone: Tone
    icon: str

    @property
    def colour(self) -> str:
        return TONE_COLOURS[self.tone]

    @property
    def css_class(self) -> str:
        return f"nhsuk-tag--{self.colour}"


def make_tag(status: Status, *, benchmark_name: str = "England", icon: str | None = None) -> Tag:
    return Tag(
        status=Status(status),
        label=stats.status_label(status, benchmark_name),
        tone=stats.status_tone(status),
        icon=icon or ICONS.get(Status(status), "dash"),
    )


# -------------------------------------------------------------------------------------------------
# One measure in one area
# -------------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Cell:
    """One measure's published series in one area, and its statuses with their reasons."""

    measure: Measure
    place: Place
    points: list[Point]
    benchmark: Cell | None = None
    target: Target | None = None
    today: date = field(default_factory=timezone.localdate)

    # --- the series ---------------------------------------------------------------------------

    @cached_property
    def by_period(self) -> dict[int, Point]:
        return {point.period.pk: point for point in self.points}

    @property
    def latest(self) -> Point | None:
        """The latest period published, even when it says "no value published"."""
        return self.points[-1] if self.points else None

    @property
    def latest_formatted(self) -> str:
        return self.measure.format_value(self.latest.value if self.latest else None)

    @property
    def is_benchmark(self) -> bool:
        return self.benchmark is None or self.benchmark.place.pk == self.place.pk

    @property
    def benchmark_name(self) -> str:
        return self.benchmark.place.name if self.benchmark else "England"

    @cached_property
    def benchmark_point(self) -> Point | None:
        """The benchmark's value in the same period as this area's latest."""
        if self.benchmark is None or self.latest is None:
            return None
        return self.benchmark.by_period.get(self.latest.period.pk)

    @property
    def missing_note(self) -> str:
        """Why there is a dash instead of a number."""
        if self.latest is None:
            return f"No values have been published for {self.place.name}."
        if self.latest.value is None:
            note = f"No value was published for {self.place.name} for {self.latest.period.label}."
            return f"{note} {self.latest.note}".strip() if self.latest.note else note
        return ""

    # --- against the benchmark ----------------------------------------------------------------

    @cached_property
    def comparison(self) -> Status:
        latest, bench = self.latest, self.benchmark_point
        return compare(
            self.measure,
            latest.value if latest else None,
            latest.interval if latest else None,
            bench.value if bench else None,
        )

    @property
    def comparison_tag(self) -> Tag:
        return make_tag(self.comparison, benchmark_name=self.benchmark_name)

    @property
    def comparison_sentence(self) -> str:
        latest = self.latest
        if latest is None or latest.value is None:
            return self.missing_note
        bench = self.benchmark_point
        return stats.describe_comparison(
            self.comparison,
            self.measure.polarity,
            place=self.place.name,
            value=self.measure.format_value(latest.value),
            period=latest.period.label,
            benchmark_name=self.benchmark_name,
            benchmark_value=(
                self.measure.format_value(bench.value)
                if bench and bench.value is not None
                else None
            ),
        )

    # --- trend ----------------------------------------------------------------------------------

    @cached_property
    def trend(self) -> stats.TrendResult:
        points = [
            stats.TrendPoint(
                x=p.period.x,
                value=float(p.value),
                lower=p.interval.lower if p.interval else None,
                upper=p.interval.upper if p.interval else None,
            )
            for p in self.points
            if p.value is not None
        ]
        return stats.trend(points, self.measure.polarity)

    @property
    def trend_tag(self) -> Tag:
        status = self.trend.status
        icon = None
        if status in (Status.IMPROVING, Status.GETTING_WORSE, Status.INCREASING, Status.DECREASING):
            icon = "up" if self.trend.direction == Status.INCREASING else "down"
        return make_tag(status, icon=icon)

    @property
    def trend_sentence(self) -> str:
        return stats.describe_trend(self.trend)

    # --- target ---------------------------------------------------------------------------------

    @cached_property
    def baseline(self) -> tuple[float | None, Decimal | None]:
        """(x, value) of the target's baseline: the target's own baseline value, else this area's
        value in the measure's baseline period; placed at the baseline period's middle."""
        period = self.measure.baseline_period
        x = stats.decimal_year(period.start + (period.end - period.start) / 2) if period else None
        value = self.target.baseline_value if self.target else None
        if value is None and period is not None:
            point = self.by_period.get(period.pk)
            value = point.value if point else None
        return x, value

    @cached_property
    def target_assessment(self) -> stats.TargetAssessment:
        if self.target is None:
            return stats.TargetAssessment(status=Status.NO_TARGET)
        latest = self.latest
        baseline_x, baseline_value = self.baseline
        return stats.target_status(
            latest.period.x if latest else None,
            latest.value if latest else None,
            baseline_x,
            baseline_value,
            stats.decimal_year(self.target.target_date),
            self.target.value,
            self.measure.polarity,
        )

    @property
    def has_target(self) -> bool:
        return self.target is not None

    @property
    def target_tag(self) -> Tag:
        return make_tag(self.target_assessment.status)

    @property
    def target_formatted(self) -> str:
        return self.measure.format_value(self.target.value) if self.target else ""

    @property
    def target_sentence(self) -> str:
        assessment = self.target_assessment
        if self.target is None:
            return stats.describe_target(
                assessment, latest_value="", target_value="", target_period=""
            )
        trajectory = assessment.trajectory_value
        return stats.describe_target(
            assessment,
            latest_value=self.latest_formatted,
            target_value=self.target_formatted,
            target_period=f"{self.target.target_date:%-d %B %Y}",
            trajectory_value=(
                self.measure.format_value(trajectory) if trajectory is not None else None
            ),
        )

    @property
    def summary(self) -> str:
        """The plain-English reason for the statuses, e.g. "Barnsley, 55.2 years in 2022-24, is
        significantly lower than England (60.9 years). Over the last 5 periods there is no
        significant change." (plus the target, where there is one)."""
        parts = [self.comparison_sentence, self.trend_sentence]
        if self.target is not None:
            parts.append(self.target_sentence)
        return " ".join(part for part in parts if part)

    @cached_property
    def sparkline(self):
        from outcomes.charts import sparkline

        return sparkline(self)

    # --- for the data tables and downloads ------------------------------------------------------

    def compare_point(self, point: Point) -> Status:
        """A past point against the benchmark's value in its own period."""
        bench = self.benchmark.by_period.get(point.period.pk) if self.benchmark else None
        return compare(self.measure, point.value, point.interval, bench.value if bench else None)


def compare(
    measure: Measure,
    value: Decimal | None,
    interval: stats.Interval | None,
    benchmark_value: Decimal | None,
) -> Status:
    """A value against the benchmark's, by the value's 95% interval (published or computed)."""
    if value is None or interval is None or benchmark_value is None:
        return Status.NOT_COMPARED
    return stats.compare_with_benchmark(
        value, interval.lower, interval.upper, benchmark_value, measure.polarity
    )


def build_cells(
    measures: Sequence[Measure],
    areas: Areas,
    places: Sequence[Place],
    *,
    all_measures: bool = False,
) -> dict[tuple[int, int], Cell]:
    """A cell for every measure in every one of ``places`` and both benchmarks, from two queries
    (the values and the targets)."""
    wanted = list({p.pk: p for p in [*places, *areas.comparators]}.values())
    series = load_series(measures, wanted, all_measures=all_measures)
    targets_by_measure: dict[int, list[Target]] = defaultdict(list)
    for target in load_targets(measures, all_measures=all_measures):
        targets_by_measure[target.measure_id].append(target)
    today = timezone.localdate()
    cells: dict[tuple[int, int], Cell] = {}
    for measure in measures:
        bench_cell = None
        if areas.benchmark is not None:
            bench_cell = Cell(
                measure,
                areas.benchmark,
                series.get((measure.pk, areas.benchmark.pk), []),
                today=today,
            )
            bench_cell.benchmark = bench_cell
        for place in wanted:
            if bench_cell is not None and place.pk == bench_cell.place.pk:
                cells[(measure.pk, place.pk)] = bench_cell
                continue
            cells[(measure.pk, place.pk)] = Cell(
                measure,
                place,
                series.get((measure.pk, place.pk), []),
                benchmark=bench_cell,
                target=target_for(targets_by_measure[measure.pk], place, today=today),
                today=today,
            )
    return cells


# -------------------------------------------------------------------------------------------------
# Headline counts
# -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headlines:
    """How many measure-and-area results are improving, getting worse, on or off track."""

    results: int
    improving: int
    getting_worse: int
    with_target: int
    on_track: int
    off_track: int

    @classmethod
    def of(cls, cells: Iterable[Cell]) -> Headlines:
        cells = list(cells)
        trend = [c.trend.status for c in cells]
        target = [c.target_assessment.status for c in cells if c.has_target]
        return cls(
            results=len(cells),
            improving=trend.count(Status.IMPROVING),
            getting_worse=trend.count(Status.GETTING_WORSE),
            with_target=len(target),
            on_track=target.count(Status.ON_TRACK) + target.count(Status.ACHIEVED),
            off_track=target.count(Status.OFF_TRACK),
        )


def last_updated(cells: Iterable[Cell]) -> datetime | None:
    stamps = [p.published_at for c in cells for p in c.points if p.published_at]
    return max(stamps) if stamps else None


# -------------------------------------------------------------------------------------------------
# Pages
# -------------------------------------------------------------------------------------------------


@dataclass
class MeasureRow:
    """One measure on an overview or outcome page: a cell per area shown, and the benchmarks."""

    measure: Measure
    cells: list[Cell]
    benchmark: Cell | None
    region: Cell | None


@dataclass
class OutcomeGrid:
    outcome: Outcome
    rows: list[MeasureRow]

    @property
    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells]


def _rows(measures: Iterable[Measure], areas: Areas, columns: Sequence[Place], cells) -> list:
    return [
        MeasureRow(
            measure=measure,
            cells=[cells[(measure.pk, place.pk)] for place in columns],
            benchmark=cells.get((measure.pk, areas.benchmark.pk)) if areas.benchmark else None,
            region=cells.get((measure.pk, areas.region.pk)) if areas.region else None,
        )
        for measure in measures
    ]


@dataclass
class Overview:
    areas: Areas
    outcomes: list[OutcomeGrid]
    headlines: Headlines
    last_updated: datetime | None

    @property
    def rows(self) -> list[MeasureRow]:
        return [row for grid in self.outcomes for row in grid.rows]


def overview() -> Overview:
    """The home page: every outcome, each with its measures by area (the "tartan rug")."""
    areas = areas_for_dashboard()
    outcomes = list(Outcome.objects.all())
    measures = list(Measure.objects.for_dashboard())
    cells = build_cells(measures, areas, areas.shown, all_measures=True)
    by_outcome: dict[int, list[Measure]] = defaultdict(list)
    for measure in measures:
        by_outcome[measure.outcome_id].append(measure)
    grids = [
        OutcomeGrid(outcome, _rows(by_outcome[outcome.pk], areas, areas.shown, cells))
        for outcome in outcomes
    ]
    shown = [cell for grid in grids for cell in grid.cells]
    return Overview(
        areas=areas,
        outcomes=grids,
        headlines=Headlines.of(shown),
        last_updated=last_updated(cells.values()),
    )


@dataclass
class OutcomePage:
    outcome: Outcome
    areas: Areas
    columns: list[Place]
    rows: list[MeasureRow]
    headlines: Headlines
    last_updated: datetime | None


def outcome_page(outcome: Outcome, *, areas: Areas, place: Place | None = None) -> OutcomePage:
    """An outcome's measures, the latest value in each area (or one area) with its series."""
    measures = list(Measure.objects.for_dashboard().for_outcome(outcome))
    columns = [place] if place else areas.shown
    cells = build_cells(measures, areas, columns)
    rows = _rows(measures, areas, columns, cells)
    return OutcomePage(
        outcome=outcome,
        areas=areas,
        columns=columns,
        rows=rows,
        headlines=Headlines.of(cell for row in rows for cell in row.cells),
        last_updated=last_updated(cells.values()),
    )


@dataclass
class PlaceRow:
    measure: Measure
    cell: Cell
    system: Cell | None
    benchmark: Cell | None
    region: Cell | None


@dataclass
class PlaceOutcome:
    outcome: Outcome
    rows: list[PlaceRow]


@dataclass
class PlacePage:
    place: Place
    areas: Areas
    outcomes: list[PlaceOutcome]
    headlines: Headlines
    last_updated: datetime | None

    @property
    def rows(self) -> list[PlaceRow]:
        return [row for group in self.outcomes for row in group.rows]

    @property
    def improving(self) -> list[PlaceRow]:
        return [r for r in self.rows if r.cell.trend.status == Status.IMPROVING]

    @property
    def getting_worse(self) -> list[PlaceRow]:
        return [r for r in self.rows if r.cell.trend.status == Status.GETTING_WORSE]

    @property
    def system_shown(self) -> bool:
        return self.areas.system is not None and self.areas.system.pk != self.place.pk


def place_page(place: Place, *, areas: Areas) -> PlacePage:
    """Every measure for one area, beside the system and the benchmarks."""
    outcomes = list(Outcome.objects.all())
    measures = list(Measure.objects.for_dashboard())
    columns = [place] + ([areas.system] if areas.system and areas.system != place else [])
    cells = build_cells(measures, areas, columns, all_measures=True)
    by_outcome: dict[int, list[PlaceRow]] = defaultdict(list)
    for measure in measures:

        def cell(area, measure=measure):
            return cells.get((measure.pk, area.pk)) if area else None

        by_outcome[measure.outcome_id].append(
            PlaceRow(
                measure=measure,
                cell=cells[(measure.pk, place.pk)],
                system=cell(areas.system) if areas.system != place else None,
                benchmark=cell(areas.benchmark),
                region=cell(areas.region),
            )
        )
    groups = [PlaceOutcome(o, by_outcome[o.pk]) for o in outcomes if by_outcome[o.pk]]
    return PlacePage(
        place=place,
        areas=areas,
        outcomes=groups,
        headlines=Headlines.of(row.cell for group in groups for row in group.rows),
        last_updated=last_updated(cells.values()),
    )


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


def publication_stamp() -> tuple[datetime | None, int]:
    """What every public page depends on: the latest publication and the number published."""
    return Value.objects.published().publication_stamp()


def status_key(benchmark_name: str = "England") -> list[tuple[Tag, str]]:
    """What each status tag means, for the key beside the tables."""
    b = benchmark_name
    return [
        (
            make_tag(Status.BETTER, benchmark_name=b),
            f"Significantly better than {b}: {b}'s value lies outside the 95% confidence interval.",
        ),
        (make_tag(Status.SIMILAR, benchmark_name=b), f"Not significantly different from {b}."),
        (
            make_tag(Status.WORSE, benchmark_name=b),
            f"Significantly worse than {b}: {b}'s value lies outside the 95% confidence interval.",
        ),
        (
            make_tag(Status.NOT_COMPARED, benchmark_name=b),
            f"No confidence interval, or no {b} value for the same period, so no comparison.",
        ),
        (
            make_tag(Status.IMPROVING, icon="up"),
            "Over the last five periods (at least three), a significant change for the better. "
            "The arrow shows which way the value moved.",
        ),
        (make_tag(Status.NO_SIGNIFICANT_CHANGE), "No significant change over those periods."),
        (
            make_tag(Status.GETTING_WORSE, icon="down"),
            "Over the last five periods, a significant change for the worse.",
        ),
        (make_tag(Status.NOT_ENOUGH_DATA), "Fewer than three periods published: no trend."),
        (make_tag(Status.ACHIEVED), "The latest value meets or beats the target."),
        (
            make_tag(Status.ON_TRACK),
            "At or better than a straight line from the baseline to the target.",
        ),
        (make_tag(Status.OFF_TRACK), "Short of that straight line (or the target date passed)."),
    ]
