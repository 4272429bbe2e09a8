"""The areas, periods and published series every public page reads, and the targets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

from django.conf import settings

from methods import base, intervals
from methods.periods import period_label
from outcomes.models import Measure, Period, Target, Value
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
        return base.decimal_year(self.middle)


_UNSET = object()


class Point:
    """One published value (for all people) of one measure, in one area and period. Its 95%
    interval (published, or computed from a count) is worked out only when asked for."""

    __slots__ = (
        "period",
        "value",
        "lower",
        "upper",
        "numerator",
        "denominator",
        "note",
        "source",
        "published_at",
        "value_kind",
        "_interval",
    )

    def __init__(
        self,
        period: PeriodInfo,
        value: Decimal | None,
        lower: Decimal | None = None,
        upper: Decimal | None = None,
        numerator: Decimal | None = None,
        denominator: Decimal | None = None,
        note: str = "",
        source: str = "",
        published_at: datetime | None = None,
        value_kind: str = "",
    ):
        self.period = period
        self.value = value
        self.lower = lower
        self.upper = upper
        self.numerator = numerator
        self.denominator = denominator
        self.note = note
        self.source = source
        self.published_at = published_at
        self.value_kind = value_kind
        self._interval = _UNSET

    def __repr__(self) -> str:
        return f"<Point {self.period.label}: {self.value}>"

    @property
    def interval(self) -> intervals.Interval | None:
        if self._interval is _UNSET:
            self._interval = (
                intervals.interval_for(
                    self.value_kind,
                    self.value,
                    self.lower,
                    self.upper,
                    self.numerator,
                    self.denominator,
                )
                if self.value is not None
                else None
            )
        return self._interval

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
    "value",
    "lower_ci",
    "upper_ci",
    "numerator",
    "denominator",
    "note",
)


def load_periods() -> dict[int, PeriodInfo]:
    """Every period, in one query (there are few: one per year or quarter of any measure)."""
    return {
        pk: PeriodInfo(pk, start, end, period_type)
        for pk, start, end, period_type in Period.objects.values_list("pk", "start", "end", "type")
    }


def load_series(
    measures: Sequence[Measure],
    places: Sequence[Place],
    *,
    all_measures: bool = False,
    with_source: bool = False,
    with_published_at: bool = True,
) -> dict[tuple[int, int], list[Point]]:
    """Every published all-people value of these measures in these places: (measure id, place
    id) -> points in period order, from two queries (the values, the periods).
    ``all_measures`` skips the measure filter when the page shows every measure; ``with_source``
    adds each value's source (for downloads); ``with_published_at=False`` leaves out when each
    was published (reading a time zone-aware timestamp per row is a fifth of the cost of a large
    page that does not show it)."""
    by_id = {m.pk: m for m in measures}
    queryset = Value.objects.published().all_people().for_places([p.pk for p in places])
    if not all_measures:
        queryset = queryset.for_measures(list(by_id))
    fields = list(VALUE_FIELDS)
    source_at = published_at_at = None
    if with_source:
        source_at = len(fields)
        fields.append("source")
    if with_published_at:
        published_at_at = len(fields)
        fields.append("published_at")
    # No ORDER BY: sorting each short series here is cheaper than a sort of every row in the
    # database, which spills to disk at national scale.
    rows = queryset.order_by().values_list(*fields)
    periods = load_periods()
    series: dict[tuple[int, int], list[Point]] = defaultdict(list)
    for row in rows:
        measure = by_id.get(row[0])
        if measure is None:
            continue
        series[(row[0], row[1])].append(
            Point(
                periods[row[2]],
                row[3],
                row[4],
                row[5],
                row[6],
                row[7],
                row[8],
                row[source_at] if source_at is not None else "",
                row[published_at_at] if published_at_at is not None else None,
                measure.value_kind,
            )
        )
    for points in series.values():
        points.sort(key=_period_order)
    return series


def _period_order(point: Point) -> tuple[date, date]:
    return point.period.start, point.period.end


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
