"""One measure in one area: its published points and its statuses (against the benchmark, trend,
target), each with its reason; built for a whole page in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property

from django.utils import timezone

from dashboards.selectors.series import Areas, Point, load_series, load_targets, target_for
from dashboards.sparklines import sparkline
from methods import base, comparison, describe, intervals, spc, targets, trend
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
    Status.NOT_APPLICABLE: "dash",
    Status.NO_SIGNIFICANT_CHANGE: "flat",
    Status.CANNOT_BE_CALCULATED: "dash",
    Status.ACHIEVED: "star",
    Status.ON_TRACK: "tick",
    Status.OFF_TRACK: "cross",
    Status.ACCELERATION_NEEDED: "up",
    Status.LIMITED_PROGRESS: "flat",
    Status.MOVING_AWAY: "cross",
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

    def interval_of(self, point: Point | None) -> intervals.Interval | None:
        """A point's interval at the measure's comparison confidence (95% or 99.8%)."""
        return comparison_interval(self.measure, point)

    @cached_property
    def comparison(self) -> Status:
        latest, bench = self.latest, self.benchmark_point
        return compare(
            self.measure,
            latest.value if latest else None,
            self.interval_of(latest),
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
            confidence=self.measure.confidence,
            interval_method=interval_words(self.interval_of(latest)),
        )

    # --- trend ----------------------------------------------------------------------------------

    @cached_property
    def trend(self) -> trend.TrendResult:
        points = [
            trend.TrendPoint(
                start=p.period.start,
                end=p.period.end,
                value=float(p.value),
                lower=p.interval.lower if p.interval else None,
                upper=p.interval.upper if p.interval else None,
                label=p.period.label,
            )
            for p in self.points
            if p.value is not None
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
        value in the measure's baseline period; placed at the baseline period's middle (for the
        chart's straight line)."""
        period = self.measure.baseline_period
        x = base.decimal_year(period.start + (period.end - period.start) / 2) if period else None
        value = self.target.baseline_value if self.target else None
        if value is None and period is not None:
            point = self.by_period.get(period.pk)
            value = point.value if point else None
        return x, value

    @cached_property
    def target_assessment(self) -> targets.SdgProgress:
        """Open SDG's progress measure, in whole years as Open SDG counts them (the first year
        of the baseline and latest periods, the year of the target date)."""
        if self.target is None:
            return targets.SdgProgress(status=Status.NO_TARGET)
        latest = self.latest
        period = self.measure.baseline_period
        return targets.sdg_progress(
            latest.period.start.year if latest else None,
            latest.value if latest else None,
            period.start.year if period else None,
            self.baseline[1],
            self.target.target_date.year,
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
    def baseline_formatted(self) -> str:
        value = self.baseline[1]
        return self.measure.format_value(value) if value is not None else ""

    @property
    def trajectory_formatted(self) -> str:
        """Where the straight line from baseline to target stands in the latest period."""
        baseline_x, baseline_value = self.baseline
        if self.target is None or baseline_value is None or self.latest is None:
            return ""
        (value,) = targets.trajectory(
            baseline_x,
            baseline_value,
            base.decimal_year(self.target.target_date),
            self.target.value,
            [self.latest.period.x],
        )
        return self.measure.format_value(value) if value is not None else ""

    @property
    def target_sentence(self) -> str:
        if self.target is None:
            return "There is no target for this measure."
        baseline_value = self.baseline[1]
        period = self.measure.baseline_period
        baseline = ""
        if baseline_value is not None:
            baseline = self.measure.format_value(baseline_value)
            baseline += f" in {period.label}" if period else ""
        return describe.describe_progress(
            self.target_assessment,
            latest_value=self.latest_formatted,
            target_value=self.target_formatted,
            target_period=f"{self.target.target_date:%-d %B %Y}",
            baseline=baseline,
        )

    # --- Making Data Count ----------------------------------------------------------------------

    @cached_property
    def spc_points(self) -> list[Point]:
        """The most recent run of consecutive periods with a value (an XmR chart needs one)."""
        run: list[Point] = []
        for point in reversed(self.points):
            if point.value is None:
                break
            if run and point.period.end + timedelta(days=1) != run[-1].period.start:
                break
            run.append(point)
        run.reverse()
        return run

    @cached_property
    def spc(self) -> spc.XmR | None:
        """The XmR chart, for a measure with at least 15 consecutive periods; else None."""
        points = self.spc_points
        if len(points) < spc.MIN_SPC_POINTS:
            return None
        return spc.xmr(
            [p.value for p in points],
            self.measure.polarity,
            target=self.target.value if self.target else None,
        )

    @property
    def spc_sentence(self) -> str:
        return self.spc_description()

    def spc_description(self, *, with_variation: bool = True) -> str:
        chart = self.spc
        if chart is None:
            return ""
        fmt = self.measure.format_value
        return describe.describe_spc(
            chart,
            mean=fmt(chart.mean),
            lower=fmt(chart.lower_limit),
            upper=fmt(chart.upper_limit),
            target=self.target_formatted,
            with_variation=with_variation,
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
        return compare(
            self.measure, point.value, self.interval_of(point), bench.value if bench else None
        )


def comparison_interval(measure: Measure, point: Point | None) -> intervals.Interval | None:
    """A point's interval at its measure's comparison confidence: the 95% interval as the page
    shows it, or a 99.8% interval computed from the point's count and denominator."""
    if point is None or point.value is None:
        return None
    if measure.confidence == base.CONFIDENCE:
        return point.interval
    return intervals.interval_for(
        measure.value_kind,
        point.value,
        None,
        None,
        point.numerator,
        point.denominator,
        confidence=measure.confidence,
    )


def interval_words(interval: intervals.Interval | None) -> str:
    """How an interval was found, for a sentence: "published" or the method's name."""
    if interval is None:
        return ""
    if interval.method == intervals.IntervalMethod.PUBLISHED:
        return "as published"
    return f"calculated by {interval.method}"


def compare(
    measure: Measure,
    value: Decimal | None,
    interval: intervals.Interval | None,
    benchmark_value: Decimal | None,
) -> Status:
    """A value against the benchmark's, by the value's interval (published or computed)."""
    if measure.polarity == "not_applicable":
        return Status.NOT_APPLICABLE
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


OFF_TRACK = (Status.ACCELERATION_NEEDED, Status.LIMITED_PROGRESS, Status.MOVING_AWAY)
"""Open SDG's statuses short of on track, counted together as "not on track"."""


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
            off_track=sum(target.count(s) for s in OFF_TRACK),
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
    """What each status tag means, and by which method, for the key beside the tables."""
    b = benchmark_name
    outside = f"{b}'s value lies outside the 95% (or, where the measure says, 99.8%) interval"
    return [
        (make_tag(Status.BETTER, benchmark_name=b), f"Significantly better than {b}: {outside}."),
        (make_tag(Status.SIMILAR, benchmark_name=b), f"Not significantly different from {b}."),
        (make_tag(Status.WORSE, benchmark_name=b), f"Significantly worse than {b}: {outside}."),
        (
            make_tag(Status.NOT_COMPARED, benchmark_name=b),
            f"No confidence interval, or no {b} value for the same period, so no comparison.",
        ),
        (
            make_tag(Status.NOT_APPLICABLE, benchmark_name=b),
            f"A comparison with {b} does not apply to this measure.",
        ),
        (
            make_tag(Status.IMPROVING, icon="up"),
            "Fingertips' trend test over the last five consecutive periods: a significant change "
            "for the better at the 99.8% level. The arrow shows which way the value moved.",
        ),
        (make_tag(Status.NO_SIGNIFICANT_CHANGE), "No significant change over those periods."),
        (
            make_tag(Status.GETTING_WORSE, icon="down"),
            "Over the last five consecutive periods, a significant change for the worse.",
        ),
        (
            make_tag(Status.CANNOT_BE_CALCULATED),
            "Fewer than five consecutive single periods with confidence intervals (for example, "
            "overlapping pooled periods): no trend.",
        ),
        (make_tag(Status.ACHIEVED), "The latest value meets or beats the target."),
        (
            make_tag(Status.ON_TRACK),
            "Open SDG's progress measure: changing at 95% or more of the yearly rate needed to "
            "reach the target.",
        ),
        (make_tag(Status.ACCELERATION_NEEDED), "60% to 95% of the rate needed."),
        (make_tag(Status.LIMITED_PROGRESS), "0% to 60% of the rate needed."),
        (make_tag(Status.MOVING_AWAY), "Changing in the wrong direction."),
    ]
