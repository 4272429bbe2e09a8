"""The trend over the most recent periods (after Fingertips' trend marker)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from methods.base import (
    MIN_TREND_POINTS,
    SE_FROM_95_INTERVAL,
    TREND_POINTS,
    Number,
    Status,
    _num,
    _polarity,
)
from methods.distributions import (
    CHI_SQUARE_998,
    t_critical_998,
)

# -------------------------------------------------------------------------------------------------
# 3. Trend
# -------------------------------------------------------------------------------------------------


class TrendMethod(StrEnum):
    WEIGHTED = "weighted regression"
    LEAST_SQUARES = "least squares"


@dataclass(frozen=True)
class TrendPoint:
    """One point of a series: x in years (e.g. :func:`decimal_year` of the period start)."""

    x: float
    value: float
    lower: float | None = None
    upper: float | None = None

    @property
    def has_interval(self) -> bool:
        return self.lower is not None and self.upper is not None and self.upper > self.lower


@dataclass(frozen=True)
class TrendResult:
    """A trend and how it was found, so the page can explain itself."""

    status: Status
    points_used: int
    significant: bool = False
    slope_per_year: float | None = None
    direction: Status | None = None  # INCREASING / DECREASING by the fitted slope's sign
    method: TrendMethod | None = None
    statistic: float | None = None  # chi-square (weighted) or |t| (least squares)
    critical_value: float | None = None
    robust: bool | None = None  # the leave-one-out rule; None where it does not apply
    first_x: float | None = None
    last_x: float | None = None


def _as_point(point: TrendPoint | Sequence[Number | None]) -> TrendPoint | None:
    if isinstance(point, TrendPoint):
        x, value, lower, upper = point.x, point.value, point.lower, point.upper
    else:
        x, value, lower, upper = point
    value = _num(value, "value")
    if value is None:
        return None
    x = _num(x, "x")
    if x is None:
        raise ValueError("Every point needs an x (its time).")
    lower, upper = _num(lower, "lower"), _num(upper, "upper")
    if lower is not None and upper is not None and lower > upper:
        raise ValueError(f"At x = {x} the interval's lower limit is above its upper limit.")
    return TrendPoint(x, value, lower, upper)


def _all_equal(points: Sequence[TrendPoint]) -> bool:
    """All values the same: the slope is exactly 0 (not rounding noise from the means)."""
    return len({p.value for p in points}) == 1


def _weighted_slope(points: Sequence[TrendPoint]) -> tuple[float, float]:
    """Slope of value on x weighted by 1/SE^2, and the chi-square statistic slope^2 / Var."""
    if _all_equal(points):
        return 0.0, 0.0
    weights = [(SE_FROM_95_INTERVAL / (p.upper - p.lower)) ** 2 for p in points]  # type: ignore[operator]
    total = math.fsum(weights)
    x_bar = math.fsum(w * p.x for w, p in zip(weights, points, strict=True)) / total
    y_bar = math.fsum(w * p.value for w, p in zip(weights, points, strict=True)) / total
    sxx = math.fsum(w * (p.x - x_bar) ** 2 for w, p in zip(weights, points, strict=True))
    sxy = math.fsum(
        w * (p.x - x_bar) * (p.value - y_bar) for w, p in zip(weights, points, strict=True)
    )
    slope = sxy / sxx
    # Var(slope) = 1 / sxx, so slope^2 / Var(slope) = slope^2 * sxx.
    return slope, slope * slope * sxx


def _least_squares_slope(points: Sequence[TrendPoint]) -> tuple[float, float]:
    """Ordinary least-squares slope and |t| = |slope| / SE(slope), with n - 2 df."""
    if _all_equal(points):
        return 0.0, 0.0
    n = len(points)
    x_bar = math.fsum(p.x for p in points) / n
    y_bar = math.fsum(p.value for p in points) / n
    sxx = math.fsum((p.x - x_bar) ** 2 for p in points)
    sxy = math.fsum((p.x - x_bar) * (p.value - y_bar) for p in points)
    syy = math.fsum((p.value - y_bar) ** 2 for p in points)
    slope = sxy / sxx
    if slope == 0.0:
        return slope, 0.0
    sse = math.fsum((p.value - y_bar - slope * (p.x - x_bar)) ** 2 for p in points)
    if sse <= 1e-24 * syy:  # the points lie on a line: an exact, and so significant, slope
        return slope, math.inf
    standard_error = math.sqrt(sse / (n - 2) / sxx)
    return slope, abs(slope) / standard_error


def trend(points: Iterable[TrendPoint | Sequence[Number | None]], polarity: str) -> TrendResult:
    """The trend over the most recent five points (at least three), tested at the 99.8% level.

    ``points`` are (x, value, lower, upper) with x in years; lower/upper may be None. Points
    without a value are left out; the rest are taken in order of x (two at the same x is an
    error).

    - Every point used has an interval: weighted least squares with weights 1/SE^2,
      SE = (upper - lower) / 3.92; significant when slope^2 / Var(slope) exceeds the 99.8%
      point of chi-square with 1 df, 3.090232^2 = 9.5495 (Fingertips quotes it as 9.55).
    - Otherwise: ordinary least squares; significant when |t| for the slope exceeds the
      two-sided 99.8% t value with n - 2 degrees of freedom.
    - With five points, the slope must also keep its sign when each point in turn is left out.

    Returns ``IMPROVING``/``GETTING_WORSE`` by polarity (``INCREASING``/``DECREASING`` for
    polarity ``"none"``), ``NO_SIGNIFICANT_CHANGE``, or ``NOT_ENOUGH_DATA`` with fewer than three.
    """
    polarity = _polarity(polarity)
    usable = [p for p in (_as_point(point) for point in points) if p is not None]
    usable.sort(key=lambda p: p.x)
    xs = [p.x for p in usable]
    if len(set(xs)) != len(xs):
        raise ValueError("Two points of a trend have the same x (time).")
    recent = usable[-TREND_POINTS:]
    n = len(recent)
    if n < MIN_TREND_POINTS:
        return TrendResult(status=Status.NOT_ENOUGH_DATA, points_used=n)

    if all(p.has_interval for p in recent):
        method, fit = TrendMethod.WEIGHTED, _weighted_slope
        critical = CHI_SQUARE_998
    else:
        method, fit = TrendMethod.LEAST_SQUARES, _least_squares_slope
        critical = t_critical_998(n - 2)
    slope, statistic = fit(recent)
    significant = statistic > critical and slope != 0.0

    robust: bool | None = None
    if n == TREND_POINTS:
        sign = math.copysign(1.0, slope) if slope else 0.0
        robust = sign != 0.0 and all(
            fit(recent[:i] + recent[i + 1 :])[0] * sign > 0.0 for i in range(n)
        )
        significant = significant and robust

    direction = None
    if slope > 0:
        direction = Status.INCREASING
    elif slope < 0:
        direction = Status.DECREASING

    status = Status.NO_SIGNIFICANT_CHANGE
    if significant:
        if polarity == "none":
            status = direction  # type: ignore[assignment]
        elif (slope > 0) == (polarity == "higher"):
            status = Status.IMPROVING
        else:
            status = Status.GETTING_WORSE

    return TrendResult(
        status=status,
        points_used=n,
        significant=significant,
        slope_per_year=slope,
        direction=direction,
        method=method,
        statistic=statistic,
        critical_value=critical,
        robust=robust,
        first_x=recent[0].x,
        last_x=recent[-1].x,
    )
