"""The trend over the most recent periods: OHID Fingertips' trend marker, as Fingertips does it.

Fingertips (``TrendMarkerCalculator`` in ``ukhsa-collaboration/fingertips-open``) calculates its
marker only from five points: the most recent five consecutive periods, each a single period (no
overlapping pooled periods), each with a value and a 95% confidence interval. A point without an
interval is left out and the run reaches back past it; a gap in the periods ends the run.

x is the index 1..5 of the point, not its date. Each point is weighted by 1 / SE², with
SE = (upper - lower) / 3.92. With S1 = Σw, S2 = Σwxy, S3 = Σwx, S4 = Σwy, S5 = Σwx²:

    slope = (S1·S2 - S3·S4) / (S1·S5 - S3²),   chi² = slope² · (S1·S5 - S3²) / S1

The trend is significant when chi² > 9.5495 (the 99.8% point of chi-square with 1 df, which
Fingertips quotes as 9.55) and the slope keeps its sign when each of the five points in turn is
left out. Fingertips counts a slope of exactly zero as positive in that check (``slope < 0 ? -1 :
1``), so a zero slope on leaving one point out confirms a rise and overturns a fall; we do the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from methods.base import (
    SE_FROM_95_INTERVAL,
    TREND_POINTS,
    Number,
    Status,
    _num,
    _polarity,
)
from methods.distributions import CHI_SQUARE_998

TREND_METHOD = "Fingertips' trend test (weighted regression on the last 5 periods, 99.8% level)"
"""The method's name, as the pages give it."""


@dataclass(frozen=True)
class TrendPoint:
    """One period of a series: its span (both ends inclusive), value and 95% interval."""

    start: date
    end: date
    value: float | None
    lower: float | None = None
    upper: float | None = None
    label: str = ""

    @property
    def has_interval(self) -> bool:
        """A usable 95% interval: both limits, of positive width (else no weight)."""
        return self.lower is not None and self.upper is not None and self.upper > self.lower


@dataclass(frozen=True)
class TrendResult:
    """A trend and how it was found, so the page can explain itself."""

    status: Status
    points_used: int
    reason: str = ""  # why it cannot be calculated, in plain words
    significant: bool = False
    slope: float | None = None  # per period (x is the index 1..5)
    direction: Status | None = None  # INCREASING / DECREASING by the fitted slope's sign
    statistic: float | None = None  # chi-square
    critical_value: float | None = None
    robust: bool | None = None  # the leave-one-out rule held
    first_label: str = ""
    last_label: str = ""

    method = TREND_METHOD


def _as_point(point: TrendPoint) -> TrendPoint:
    value = _num(point.value, "value")
    lower, upper = _num(point.lower, "lower"), _num(point.upper, "upper")
    if lower is not None and upper is not None and lower > upper:
        raise ValueError(f"In {point.label or point.start} the lower limit is above the upper.")
    if point.end < point.start:
        raise ValueError(f"The period {point.label or point.start} ends before it starts.")
    return TrendPoint(point.start, point.end, value, lower, upper, point.label)


def _follows(earlier: TrendPoint, later: TrendPoint) -> bool:
    """The later period starts the day after the earlier one ends: no gap, no overlap."""
    return later.start == earlier.end + timedelta(days=1)


def _sums(points: Sequence[tuple[int, TrendPoint]]) -> tuple[float, float, float, float, float]:
    s1 = s2 = s3 = s4 = s5 = 0.0
    for x, p in points:
        w = (SE_FROM_95_INTERVAL / (p.upper - p.lower)) ** 2  # type: ignore[operator]
        s1 += w
        s2 += w * x * p.value  # type: ignore[operator]
        s3 += w * x
        s4 += w * p.value  # type: ignore[operator]
        s5 += w * x * x
    return s1, s2, s3, s4, s5


def _slope(points: Sequence[tuple[int, TrendPoint]]) -> tuple[float, float]:
    """The weighted slope and its chi-square statistic."""
    if len({p.value for _, p in points}) == 1:
        return 0.0, 0.0  # all equal: exactly flat, not rounding noise
    s1, s2, s3, s4, s5 = _sums(points)
    determinant = s1 * s5 - s3 * s3
    slope = (s1 * s2 - s3 * s4) / determinant
    return slope, slope * slope * determinant / s1


def _cannot(reason: str, points_used: int = 0) -> TrendResult:
    return TrendResult(status=Status.CANNOT_BE_CALCULATED, points_used=points_used, reason=reason)


def trend_run(points: Iterable[TrendPoint]) -> tuple[list[TrendPoint], str]:
    """The points Fingertips' marker would use (the last five of the most recent consecutive run
    of single periods with an interval), or ([], the reason it cannot be calculated)."""
    valued = sorted((_as_point(p) for p in points if p.value is not None), key=lambda p: p.start)
    starts = [p.start for p in valued]
    if len(set(starts)) != len(starts):
        raise ValueError("Two points of a trend are for the same period.")
    recent = valued[-TREND_POINTS:]
    if any(b.start <= a.end for a, b in zip(recent, recent[1:], strict=False)):
        return [], (
            "the periods overlap (pooled periods share years), so the values are not "
            "independent; Fingertips' test needs single periods"
        )
    if not any(p.has_interval for p in valued):
        return [], "no value has a confidence interval, and the test weights each by its interval"
    # The most recent run of consecutive periods with a value; within it, a period without an
    # interval is left out and the run reaches back past it (Fingertips).
    run = [valued[-1]]
    for point in reversed(valued[:-1]):
        if not _follows(point, run[-1]):
            break
        run.append(point)
    run.reverse()
    run = [p for p in run if p.has_interval]
    if len(run) < TREND_POINTS:
        have = "there is 1" if len(run) == 1 else f"there are {len(run)}"
        return run, (
            f"it needs the last {TREND_POINTS} consecutive periods, each with a value and a "
            f"confidence interval, and {have}"
        )
    return run[-TREND_POINTS:], ""


def trend(points: Iterable[TrendPoint], polarity: str) -> TrendResult:
    """Fingertips' trend marker for a series (see the module's note for the method).

    Returns ``IMPROVING``/``GETTING_WORSE`` by polarity (``INCREASING``/``DECREASING`` for
    polarity "none" or "not_applicable"), ``NO_SIGNIFICANT_CHANGE``, or ``CANNOT_BE_CALCULATED``
    with the reason in plain words.
    """
    polarity = _polarity(polarity)
    run, reason = trend_run(points)
    if reason:
        return _cannot(reason, len(run))
    indexed = list(enumerate(run, start=1))
    slope, chi_square = _slope(indexed)
    signs = [-1 if slope < 0 else 1]
    for leave_out in range(1, TREND_POINTS + 1):
        rest = [(x, p) for x, p in indexed if x != leave_out]
        signs.append(-1 if _slope(rest)[0] < 0 else 1)
    robust = len(set(signs)) == 1
    significant = robust and chi_square > CHI_SQUARE_998 and slope != 0.0

    direction = None
    if slope > 0:
        direction = Status.INCREASING
    elif slope < 0:
        direction = Status.DECREASING
    status = Status.NO_SIGNIFICANT_CHANGE
    if significant:
        if polarity in ("none", "not_applicable"):
            status = direction  # type: ignore[assignment]
        elif (slope > 0) == (polarity == "higher"):
            status = Status.IMPROVING
        else:
            status = Status.GETTING_WORSE
    return TrendResult(
        status=status,
        points_used=len(run),
        significant=significant,
        slope=slope,
        direction=direction,
        statistic=chi_square,
        critical_value=CHI_SQUARE_998,
        robust=robust,
        first_label=run[0].label,
        last_label=run[-1].label,
    )


def annual(year: int, value: Number | None, lower=None, upper=None) -> TrendPoint:
    """A calendar-year point (for tests and examples)."""
    return TrendPoint(date(year, 1, 1), date(year, 12, 31), value, lower, upper, str(year))
