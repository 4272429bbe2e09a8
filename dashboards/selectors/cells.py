"""One measure in one area: its published points and its statuses (against the benchmark, trend,
target), each with its reason; built for a whole page in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cached_property

from django.utils import timezone

from dashboards.selectors.series import Areas, Point, load_series, load_targets, target_for
from dashboards.sparklines import sparkline
from methods import base, comparison, describe, intervals, targets, trend
from methods.base import Status, Tone
from outcomes.models import Measure, Target, Value
from places.models import Place

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
        label=base.status_label(status, benchmark_name),
        tone=base.status_tone(status),
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
    is_benchmark: bool = False  # this cell is the benchmark's own series (England's)

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

    @cached_property
    def comparison_tag(self) -> Tag:
        return make_tag(self.comparison, benchmark_name=self.benchmark_name)

    @property
    def comparison_sentence(self) -> str:
        latest = self.latest
        if latest is None or latest.value is None:
            return self.missing_note
        bench = self.benchmark_point
        return describe.describe_comparison(
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
    def trend(self) -> trend.TrendResult:
        points = [
            trend.TrendPoint(
                x=p.period.x,
                value=float(p.value),
                lower=p.interval.lower if p.interval else None,
                upper=p.interval.upper if p.interval else None,
            )
            for p in [p for p in self.points if p.value is not None][-base.TREND_POINTS :]
        ]
        return trend.trend(points, self.measure.polarity)

    @cached_property
    def trend_tag(self) -> Tag:
        status = self.trend.status
        icon = None
        if status in (Status.IMPROVING, Status.GETTING_WORSE, Status.INCREASING, Status.DECREASING):
            icon = "up" if self.trend.direction == Status.INCREASING else "down"
        return make_tag(status, icon=icon)

    @property
    def trend_sentence(self) -> str:
        return describe.describe_trend(self.trend)

    # --- target ---------------------------------------------------------------------------------

    @cached_property
    def baseline(self) -> tuple[float | None, Decimal | None]:
        """(x, value) of the target's baseline: the target's own baseline value, else this area's
        value in the measure's baseline period; placed at the baseline period's middle."""
        period = self.measure.baseline_period
        x = base.decimal_year(period.start + (period.end - period.start) / 2) if period else None
        value = self.target.baseline_value if self.target else None
        if value is None and period is not None:
            point = self.by_period.get(period.pk)
            value = point.value if point else None
        return x, value

    @cached_property
    def target_assessment(self) -> targets.TargetAssessment:
        if self.target is None:
            return targets.TargetAssessment(status=Status.NO_TARGET)
        latest = self.latest
        baseline_x, baseline_value = self.baseline
        return targets.target_status(
            latest.period.x if latest else None,
            latest.value if latest else None,
            baseline_x,
            baseline_value,
            base.decimal_year(self.target.target_date),
            self.target.value,
            self.measure.polarity,
        )

    @property
    def has_target(self) -> bool:
        return self.target is not None

    @cached_property
    def target_tag(self) -> Tag:
        return make_tag(self.target_assessment.status)

    @property
    def target_formatted(self) -> str:
        return self.measure.format_value(self.target.value) if self.target else ""

    @property
    def target_sentence(self) -> str:
        assessment = self.target_assessment
        if self.target is None:
            return describe.describe_target(
                assessment, latest_value="", target_value="", target_period=""
            )
        trajectory = assessment.trajectory_value
        return describe.describe_target(
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
        return sparkline(
            self.points, area_name=self.place.name, format_value=self.measure.format_value
        )

    # --- for the data tables and downloads ------------------------------------------------------

    def compare_point(self, point: Point) -> Status:
        """A past point against the benchmark's value in its own period."""
        bench = self.benchmark.by_period.get(point.period.pk) if self.benchmark else None
        return compare(self.measure, point.value, point.interval, bench.value if bench else None)


def compare(
    measure: Measure,
    value: Decimal | None,
    interval: intervals.Interval | None,
    benchmark_value: Decimal | None,
) -> Status:
    """A value against the benchmark's, by the value's 95% interval (published or computed)."""
    if value is None or interval is None or benchmark_value is None:
        return Status.NOT_COMPARED
    return comparison.compare_with_benchmark(
        value, interval.lower, interval.upper, benchmark_value, measure.polarity
    )


def build_cells(
    measures: Sequence[Measure],
    areas: Areas,
    places: Sequence[Place],
    *,
    all_measures: bool = False,
    with_source: bool = False,
    with_published_at: bool = True,
) -> dict[tuple[int, int], Cell]:
    """A cell for every measure in every one of ``places`` and both benchmarks, from three
    queries (the values, the periods and the targets)."""
    wanted = list({p.pk: p for p in [*places, *areas.comparators]}.values())
    series = load_series(
        measures,
        wanted,
        all_measures=all_measures,
        with_source=with_source,
        with_published_at=with_published_at,
    )
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
                is_benchmark=True,
            )
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
