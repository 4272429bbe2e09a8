"""Statistical statuses for the public pages: intervals, benchmark comparison, trend and targets.

Pure Python (the ``math`` standard library only), no Django, no database: every function takes
plain numbers (``float``, ``int`` or ``Decimal``; all arithmetic is done in ``float``) and returns
plain values or small frozen dataclasses, so the pages can explain each status they show.

The methods follow those used by OHID's Fingertips and its R package PHEindicatormethods:

- 95% confidence intervals: Wilson score for proportions; Byar's method for crude rates with a
  count of 10 or more, the exact Poisson interval below 10.
- Comparison with a benchmark: significant when the benchmark lies strictly outside the area's
  95% interval.
- Trend: a regression over the most recent five points, tested at the 99.8% level.
- Targets: a straight line from the baseline to the target (and, as a second opinion, the
  Open SDG growth-rate ratio).

Where this module departs from Fingertips (a trend from three points rather than five; ordinary
least squares where intervals are missing), :data:`ABOUT_THE_STATISTICS` says so in plain
English for the page.

Polarity is one of ``"higher"`` (higher is better), ``"lower"`` (lower is better) or ``"none"``
(no judgement). Statuses are members of :class:`Status`, a ``StrEnum``, so they compare equal to
their string values (``Status.BETTER == "better"``); :data:`STATUS_DISPLAY` gives each one a badge
label and a tone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

type Number = float | int | Decimal

# -------------------------------------------------------------------------------------------------
# Constants
# -------------------------------------------------------------------------------------------------

CONFIDENCE = 0.95
"""The confidence level of intervals and of the benchmark comparison."""

TREND_CONFIDENCE = 0.998
"""The (two-sided) confidence level at which a trend is called significant, as Fingertips."""

TREND_POINTS = 5
"""A trend uses at most the most recent five points."""

MIN_TREND_POINTS = 3
"""Our issue's minimum for a trend (Fingertips needs five)."""

BYARS_MIN_COUNT = 10
"""Counts below this get the exact Poisson interval rather than Byar's approximation."""

SE_FROM_95_INTERVAL = 3.92
"""Width of a 95% interval in standard errors (2 x 1.96), as Fingertips uses to get SE back."""

SDG_ON_TRACK = 0.95
SDG_ACCELERATION_NEEDED = 0.60
"""Open SDG's thresholds for R = actual growth / needed growth."""

# How close to the straight-line trajectory counts as "at" it (relative), so that a value lying
# exactly on the line is not made "off track" by rounding in floating point.
_ON_LINE_TOLERANCE = 1e-9

VALUE_KIND_MULTIPLIERS = {"percentage": 100.0, "rate_100k": 100_000.0}
"""The value kinds whose interval can be computed from a count and a denominator."""

POLARITIES = ("higher", "lower", "none")


# -------------------------------------------------------------------------------------------------
# Statuses, labels and tones
# -------------------------------------------------------------------------------------------------


class Status(StrEnum):
    """Every status this module returns. Each function returns a documented subset."""

    # compare_with_benchmark
    BETTER = "better"
    WORSE = "worse"
    SIMILAR = "similar"
    HIGHER = "higher"
    LOWER = "lower"
    NOT_COMPARED = "not_compared"
    # trend
    IMPROVING = "improving"
    GETTING_WORSE = "getting_worse"
    INCREASING = "increasing"
    DECREASING = "decreasing"
    NO_SIGNIFICANT_CHANGE = "no_significant_change"
    NOT_ENOUGH_DATA = "not_enough_data"
    # target_status (and sdg_progress)
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NO_TARGET = "no_target"
    NOT_ASSESSED = "not_assessed"
    # sdg_progress only
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED_PROGRESS = "limited_progress"
    MOVING_AWAY = "moving_away"


class Tone(StrEnum):
    """How the interface colours a status and which icon it shows."""

    GOOD = "good"
    BAD = "bad"
    NEUTRAL = "neutral"
    NONE = "none"  # no judgement could be made (no data, no interval, no target)


@dataclass(frozen=True)
class StatusDisplay:
    """A status's badge text and tone. ``template`` may name ``{benchmark}``."""

    template: str
    tone: Tone

    def label(self, benchmark_name: str = "England") -> str:
        return self.template.format(benchmark=benchmark_name)


STATUS_DISPLAY: dict[Status, StatusDisplay] = {
    Status.BETTER: StatusDisplay("Better than {benchmark}", Tone.GOOD),
    Status.WORSE: StatusDisplay("Worse than {benchmark}", Tone.BAD),
    Status.SIMILAR: StatusDisplay("Similar to {benchmark}", Tone.NEUTRAL),
    Status.HIGHER: StatusDisplay("Higher than {benchmark}", Tone.NEUTRAL),
    Status.LOWER: StatusDisplay("Lower than {benchmark}", Tone.NEUTRAL),
    Status.NOT_COMPARED: StatusDisplay("Not compared", Tone.NONE),
    Status.IMPROVING: StatusDisplay("Improving", Tone.GOOD),
    Status.GETTING_WORSE: StatusDisplay("Getting worse", Tone.BAD),
    Status.INCREASING: StatusDisplay("Increasing", Tone.NEUTRAL),
    Status.DECREASING: StatusDisplay("Decreasing", Tone.NEUTRAL),
    Status.NO_SIGNIFICANT_CHANGE: StatusDisplay("No significant change", Tone.NEUTRAL),
    Status.NOT_ENOUGH_DATA: StatusDisplay("Not enough data", Tone.NONE),
    Status.ACHIEVED: StatusDisplay("Achieved", Tone.GOOD),
    Status.ON_TRACK: StatusDisplay("On track", Tone.GOOD),
    Status.OFF_TRACK: StatusDisplay("Off track", Tone.BAD),
    Status.NO_TARGET: StatusDisplay("No target", Tone.NONE),
    Status.NOT_ASSESSED: StatusDisplay("Not assessed", Tone.NONE),
    Status.ACCELERATION_NEEDED: StatusDisplay("Progress, acceleration needed", Tone.NEUTRAL),
    Status.LIMITED_PROGRESS: StatusDisplay("Limited progress", Tone.BAD),
    Status.MOVING_AWAY: StatusDisplay("Moving away from target", Tone.BAD),
}
"""The single mapping of every status to its badge text and tone."""

LABELS: dict[Status, str] = {status: d.label() for status, d in STATUS_DISPLAY.items()}
"""Badge text with England as the benchmark, for templates."""

TONES: dict[Status, Tone] = {status: d.tone for status, d in STATUS_DISPLAY.items()}


def status_label(status: str, benchmark_name: str = "England") -> str:
    """The badge text for a status, e.g. ``"Worse than England"``."""
    return STATUS_DISPLAY[Status(status)].label(benchmark_name)


def status_tone(status: str) -> Tone:
    """The tone (good, bad, neutral, none) the interface uses for a status's colour and icon."""
    return STATUS_DISPLAY[Status(status)].tone


# -------------------------------------------------------------------------------------------------
# Input helpers
# -------------------------------------------------------------------------------------------------


def _num(value: Number | None, name: str = "value") -> float | None:
    """A number as a finite float, or None for None."""
    if value is None:
        return None
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{name} must be a finite number, not {value!r}.")
    return result


def _polarity(polarity: str) -> str:
    if polarity not in POLARITIES:
        raise ValueError(f"Polarity must be one of {', '.join(POLARITIES)}; not {polarity!r}.")
    return str(polarity)


def decimal_year(day: date) -> float:
    """A date as a year with a fraction (1 July 2024 -> 2024.497...), for trend and target x."""
    start = date(day.year, 1, 1)
    days_in_year = (date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / days_in_year


# -------------------------------------------------------------------------------------------------
# Distributions (implemented here: the project does not depend on scipy)
# -------------------------------------------------------------------------------------------------


def normal_cdf(x: float) -> float:
    """The standard normal distribution function."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


@lru_cache(maxsize=64)
def normal_quantile(p: float) -> float:
    """The standard normal quantile (R's ``qnorm``), by bisection to full float precision."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be strictly between 0 and 1, not {p}.")
    if p < 0.5:
        return -normal_quantile(1.0 - p)
    # Compare upper tails, which keeps precision for p close to 1.
    tail = 1.0 - p
    low, high = 0.0, 40.0
    for _ in range(200):
        mid = (low + high) / 2.0
        if 0.5 * math.erfc(mid / math.sqrt(2.0)) > tail:
            low = mid
        else:
            high = mid
        if high - low <= 1e-15 * max(1.0, mid):
            break
    return (low + high) / 2.0


def z_for(confidence: float) -> float:
    """The two-sided z value for a confidence level: 1.959964 for 0.95 (``qnorm(0.975)``)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1, not {confidence}.")
    return normal_quantile(confidence + (1.0 - confidence) / 2.0)


def regularized_gamma_p(a: float, x: float) -> float:
    """The regularized lower incomplete gamma function P(a, x) (series / continued fraction)."""
    if a <= 0:
        raise ValueError("a must be positive.")
    if x <= 0:
        return 0.0
    log_prefix = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:
        # Series: P = e^-x x^a / Gamma(a+1) * sum x^n / ((a+1)...(a+n)).
        term = total = 1.0 / a
        denominator = a
        for _ in range(10_000):
            denominator += 1.0
            term *= x / denominator
            total += term
            if abs(term) < abs(total) * 1e-17:
                break
        return min(1.0, total * math.exp(log_prefix))
    # Continued fraction for Q = 1 - P (modified Lentz).
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return max(0.0, 1.0 - math.exp(log_prefix) * h)


def gamma_quantile(p: float, shape: float) -> float:
    """The quantile of a Gamma(shape, scale 1) distribution, i.e. ``qchisq(p, 2 * shape) / 2``."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be strictly between 0 and 1, not {p}.")
    low, high = 0.0, max(1.0, shape)
    while regularized_gamma_p(shape, high) < p:
        high *= 2.0
    for _ in range(200):
        mid = (low + high) / 2.0
        if regularized_gamma_p(shape, mid) < p:
            low = mid
        else:
            high = mid
        if high - low <= 1e-14 * max(1.0, mid):
            break
    return (low + high) / 2.0


def regularized_beta(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function I_x(a, b) (continued fraction, Lentz)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x > (a + 1.0) / (a + b + 2.0):
        # The continued fraction converges fast only on this side; use the symmetry.
        return 1.0 - regularized_beta(1.0 - x, b, a)
    tiny = 1e-300
    c = 1.0
    d = 1.0 - (a + b) * x / (a + 1.0)
    d = tiny if abs(d) < tiny else d
    d = 1.0 / d
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        # Even step.
        an = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2))
        d = 1.0 + an * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        h *= d * c
        # Odd step.
        an = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0))
        d = 1.0 + an * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return math.exp(log_front) * h / a


def t_cdf(t: float, df: float) -> float:
    """Student's t distribution function with ``df`` degrees of freedom."""
    if df <= 0:
        raise ValueError("df must be positive.")
    tail = 0.5 * regularized_beta(df / (df + t * t), df / 2.0, 0.5)
    return 1.0 - tail if t > 0 else tail


@lru_cache(maxsize=64)
def t_quantile(p: float, df: float) -> float:
    """Student's t quantile (R's ``qt``), by bisection on :func:`t_cdf`."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be strictly between 0 and 1, not {p}.")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    tail = 1.0 - p
    low, high = 0.0, 1.0
    while 1.0 - t_cdf(high, df) > tail:
        high *= 2.0
    for _ in range(200):
        mid = (low + high) / 2.0
        if 0.5 * regularized_beta(df / (df + mid * mid), df / 2.0, 0.5) > tail:
            low = mid
        else:
            high = mid
        if high - low <= 1e-14 * max(1.0, mid):
            break
    return (low + high) / 2.0


T_CRITICAL_998: dict[int, float] = {
    1: 318.30883898554,  # tan(0.499 pi)
    2: 22.327124770120,  # 0.998 / sqrt(2 x 0.999 x 0.001)
    3: 10.214531852407,
}
"""Two-sided 99.8% critical values of Student's t (``qt(0.999, df)``) for the trend's least-squares
test, which with three to five points has 1 to 3 degrees of freedom. The tests check each against
:func:`t_quantile` and the closed forms of the t distribution for these df."""

CHI_SQUARE_998 = normal_quantile(0.999) ** 2
"""The 99.8% critical value of chi-square with 1 df: 3.090232^2 = 9.5495, Fingertips' "9.55"."""


def t_critical_998(df: int) -> float:
    """The two-sided 99.8% critical t value: hard-coded for df 1 to 3, computed otherwise."""
    if df in T_CRITICAL_998:
        return T_CRITICAL_998[df]
    return t_quantile(TREND_CONFIDENCE + (1.0 - TREND_CONFIDENCE) / 2.0, df)


# -------------------------------------------------------------------------------------------------
# 1. Confidence intervals
# -------------------------------------------------------------------------------------------------


class IntervalMethod(StrEnum):
    PUBLISHED = "published"
    WILSON = "Wilson score"
    BYARS = "Byar's method"
    EXACT_POISSON = "exact Poisson"


@dataclass(frozen=True)
class Interval:
    """A value and its confidence interval, on the value's own scale (e.g. % or per 100,000)."""

    value: float | None
    lower: float
    upper: float
    method: IntervalMethod
    confidence: float = CONFIDENCE

    @property
    def standard_error(self) -> float:
        """The standard error implied by a 95% interval, (upper - lower) / 3.92."""
        return (self.upper - self.lower) / SE_FROM_95_INTERVAL


def wilson_interval(
    numerator: Number, denominator: Number, confidence: float = CONFIDENCE, multiplier: Number = 1
) -> Interval:
    """A proportion and its Wilson score interval, as PHEindicatormethods' ``phe_proportion``.

    lower, upper = (2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2)), times ``multiplier``
    (100 for a percentage). Raises ValueError for a denominator of 0 or less, a negative
    numerator, or a numerator above the denominator.
    """
    x = _num(numerator, "numerator")
    n = _num(denominator, "denominator")
    m = _num(multiplier, "multiplier")
    if x is None or n is None or m is None:
        raise ValueError("A Wilson interval needs a numerator and a denominator.")
    if n <= 0:
        raise ValueError("The denominator must be greater than zero.")
    if x < 0 or x > n:
        raise ValueError("The numerator must be between zero and the denominator.")
    z = z_for(confidence)
    centre = 2.0 * x + z * z
    spread = z * math.sqrt(z * z + 4.0 * x * (1.0 - x / n))
    scale = 2.0 * (n + z * z)
    return Interval(
        value=x / n * m,
        lower=max(0.0, (centre - spread) / scale) * m,
        upper=min(1.0, (centre + spread) / scale) * m,
        method=IntervalMethod.WILSON,
        confidence=confidence,
    )


def byars_lower(count: float, confidence: float = CONFIDENCE) -> float:
    """Byar's lower limit for a count: x (1 - 1/(9x) - z/(3 sqrt x))^3 (0 for a count of 0)."""
    if count <= 0:
        return 0.0
    z = z_for(confidence)
    return max(0.0, count * (1.0 - 1.0 / (9.0 * count) - z / (3.0 * math.sqrt(count))) ** 3)


def byars_upper(count: float, confidence: float = CONFIDENCE) -> float:
    """Byar's upper limit for a count: (x+1) (1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3."""
    z = z_for(confidence)
    y = count + 1.0
    return y * (1.0 - 1.0 / (9.0 * y) + z / (3.0 * math.sqrt(y))) ** 3


def exact_poisson_lower(count: float, confidence: float = CONFIDENCE) -> float:
    """The exact lower limit for a Poisson count: ``qchisq(alpha/2, 2x) / 2`` (0 for x = 0)."""
    if count <= 0:
        return 0.0
    return gamma_quantile((1.0 - confidence) / 2.0, count)


def exact_poisson_upper(count: float, confidence: float = CONFIDENCE) -> float:
    """The exact upper limit for a Poisson count: ``qchisq(1 - alpha/2, 2x + 2) / 2``."""
    return gamma_quantile(confidence + (1.0 - confidence) / 2.0, count + 1.0)


def byars_interval(
    count: Number,
    population: Number,
    multiplier: Number = 100_000,
    confidence: float = CONFIDENCE,
) -> Interval:
    """A crude rate and its interval, as PHEindicatormethods' ``phe_rate``.

    Byar's method when the count is 10 or more, the exact Poisson interval below 10. Raises
    ValueError for a population of 0 or less or a negative count.
    """
    x = _num(count, "count")
    n = _num(population, "population")
    m = _num(multiplier, "multiplier")
    if x is None or n is None or m is None:
        raise ValueError("A rate's interval needs a count and a population.")
    if n <= 0:
        raise ValueError("The population must be greater than zero.")
    if x < 0:
        raise ValueError("The count must not be negative.")
    if x < BYARS_MIN_COUNT:
        lower, upper = exact_poisson_lower(x, confidence), exact_poisson_upper(x, confidence)
        method = IntervalMethod.EXACT_POISSON
    else:
        lower, upper = byars_lower(x, confidence), byars_upper(x, confidence)
        method = IntervalMethod.BYARS
    return Interval(
        value=x / n * m,
        lower=lower / n * m,
        upper=upper / n * m,
        method=method,
        confidence=confidence,
    )


def interval_for(
    value_kind: str,
    value: Number | None,
    lower: Number | None,
    upper: Number | None,
    numerator: Number | None = None,
    denominator: Number | None = None,
) -> Interval | None:
    """The 95% interval to use for a value: the publisher's where given, else one we compute.

    - A published interval (both ``lower`` and ``upper``, lower <= upper) is used as it is.
    - Otherwise, with a numerator and a denominator: Wilson for ``"percentage"`` (on the 0-100
      scale), Byar's / exact Poisson for ``"rate_100k"`` (per 100,000).
    - Otherwise (other value kinds, missing or impossible inputs such as a denominator of 0):
      None, and the page says "not compared".
    """
    low, high, val = _num(lower, "lower"), _num(upper, "upper"), _num(value, "value")
    if low is not None and high is not None and low <= high:
        return Interval(value=val, lower=low, upper=high, method=IntervalMethod.PUBLISHED)
    x, n = _num(numerator, "numerator"), _num(denominator, "denominator")
    multiplier = VALUE_KIND_MULTIPLIERS.get(value_kind)
    if x is None or n is None or multiplier is None or n <= 0 or x < 0:
        return None
    if value_kind == "percentage":
        if x > n:
            return None
        return wilson_interval(x, n, multiplier=multiplier)
    return byars_interval(x, n, multiplier=multiplier)


# -------------------------------------------------------------------------------------------------
# 2. Comparison with a benchmark
# -------------------------------------------------------------------------------------------------


def compare_with_benchmark(
    value: Number | None,
    lower: Number | None,
    upper: Number | None,
    benchmark_value: Number | None,
    polarity: str,
) -> Status:
    """Compare an area's value with a benchmark's (England's) by the area's 95% interval.

    Significant only when the benchmark lies strictly outside [lower, upper]; on the boundary or
    inside is ``SIMILAR``. Returns ``BETTER``/``WORSE`` by polarity, or ``HIGHER``/``LOWER`` for
    polarity ``"none"``; ``NOT_COMPARED`` when the value, interval or benchmark is missing.
    """
    polarity = _polarity(polarity)
    val, low, high = _num(value, "value"), _num(lower, "lower"), _num(upper, "upper")
    bench = _num(benchmark_value, "benchmark_value")
    if val is None or low is None or high is None or bench is None:
        return Status.NOT_COMPARED
    if low > high:
        raise ValueError(f"The interval's lower limit {low} is above its upper limit {high}.")
    if low <= bench <= high:
        return Status.SIMILAR
    area_is_higher = bench < low
    if polarity == "none":
        return Status.HIGHER if area_is_higher else Status.LOWER
    return Status.BETTER if area_is_higher == (polarity == "higher") else Status.WORSE


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


# -------------------------------------------------------------------------------------------------
# 4. Targets
# -------------------------------------------------------------------------------------------------


def _line(
    baseline_x: float, baseline_value: float, target_x: float, target_value: float, x: float
) -> float:
    return baseline_value + (target_value - baseline_value) * (x - baseline_x) / (
        target_x - baseline_x
    )


def trajectory(
    baseline_x: Number,
    baseline_value: Number,
    target_x: Number,
    target_value: Number,
    xs: Iterable[Number],
) -> list[float | None]:
    """The straight-line trajectory from baseline to target at each x, for charts.

    None before the baseline; the target value itself after the target date (the target holds).
    """
    bx, bv = _num(baseline_x, "baseline_x"), _num(baseline_value, "baseline_value")
    tx, tv = _num(target_x, "target_x"), _num(target_value, "target_value")
    if bx is None or bv is None or tx is None or tv is None:
        raise ValueError("A trajectory needs a baseline and a target, each with its x.")
    if tx <= bx:
        raise ValueError("The target's date must be after the baseline's.")
    result: list[float | None] = []
    for raw in xs:
        x = float(raw)
        if x < bx:
            result.append(None)
        else:
            result.append(_line(bx, bv, tx, tv, min(x, tx)))
    return result


@dataclass(frozen=True)
class TargetAssessment:
    """Progress towards a target by the straight line from baseline to target."""

    status: Status
    better_direction: int | None = None  # +1: higher is better; -1: lower is better
    trajectory_value: float | None = None  # where the straight line is at latest_x
    needed_change: float | None = None  # target - baseline
    actual_change: float | None = None  # latest - baseline
    expected_change: float | None = None  # trajectory_value - baseline
    share_of_change_achieved: float | None = None  # actual_change / needed_change
    share_of_time_elapsed: float | None = None  # (latest_x - baseline_x) / (target_x - baseline_x)
    target_date_passed: bool = False


def _better_direction(polarity: str, baseline: float | None, target: float) -> int | None:
    if polarity == "higher":
        return 1
    if polarity == "lower":
        return -1
    if baseline is None or baseline == target:
        return None
    return 1 if target > baseline else -1


def target_status(
    latest_x: Number | None,
    latest_value: Number | None,
    baseline_x: Number | None,
    baseline_value: Number | None,
    target_x: Number | None,
    target_value: Number | None,
    polarity: str,
) -> TargetAssessment:
    """Whether the latest value is on the straight line from the baseline to the target.

    - ``NO_TARGET``: no target value.
    - ``ACHIEVED``: the latest value meets or beats the target (by polarity; for polarity
      ``"none"`` the direction from the baseline to the target counts as better).
    - ``ON_TRACK``: the latest value is at or better than the straight line at ``latest_x``
      (after the target date, the line is the target itself, so not achieved = off track).
    - ``OFF_TRACK``: otherwise.
    - ``NOT_ASSESSED``: a latest value, the baseline or the target's date is missing, the latest
      value predates the baseline, or (polarity "none") the target equals the baseline.

    x values are in years. Raises ValueError when the target's date is not after the baseline's.
    """
    polarity = _polarity(polarity)
    lx, lv = _num(latest_x, "latest_x"), _num(latest_value, "latest_value")
    bx, bv = _num(baseline_x, "baseline_x"), _num(baseline_value, "baseline_value")
    tx, tv = _num(target_x, "target_x"), _num(target_value, "target_value")
    if tv is None:
        return TargetAssessment(status=Status.NO_TARGET)
    if bx is not None and tx is not None and tx <= bx:
        raise ValueError("The target's date must be after the baseline's.")
    direction = _better_direction(polarity, bv, tv)
    if lv is None or direction is None:
        return TargetAssessment(status=Status.NOT_ASSESSED, better_direction=direction)

    have_line = None not in (lx, bx, bv, tx) and lx >= bx  # type: ignore[operator]
    trajectory_value = needed = actual = expected = share_change = share_time = None
    passed = lx is not None and tx is not None and lx >= tx
    if have_line:
        assert lx is not None and bx is not None and bv is not None and tx is not None
        trajectory_value = _line(bx, bv, tx, tv, min(lx, tx))
        needed, actual = tv - bv, lv - bv
        expected = trajectory_value - bv
        share_change = actual / needed if needed else None
        share_time = (lx - bx) / (tx - bx)

    details = dict(
        better_direction=direction,
        trajectory_value=trajectory_value,
        needed_change=needed,
        actual_change=actual,
        expected_change=expected,
        share_of_change_achieved=share_change,
        share_of_time_elapsed=share_time,
        target_date_passed=passed,
    )
    if direction * (lv - tv) >= 0:
        return TargetAssessment(status=Status.ACHIEVED, **details)
    if trajectory_value is None:
        return TargetAssessment(status=Status.NOT_ASSESSED, **details)
    tolerance = _ON_LINE_TOLERANCE * max(1.0, abs(trajectory_value))
    on_track = direction * (lv - trajectory_value) >= -tolerance
    return TargetAssessment(status=Status.ON_TRACK if on_track else Status.OFF_TRACK, **details)


@dataclass(frozen=True)
class SdgProgress:
    """Progress by Open SDG's method: R = actual / needed compound annual growth rate."""

    status: Status
    ratio: float | None = None
    actual_growth: float | None = None  # CAGR from baseline to latest
    needed_growth: float | None = None  # CAGR from baseline to target


def _cagr(value: float, base: float, years: float) -> float:
    return (value / base) ** (1.0 / years) - 1.0


def sdg_progress(
    latest_x: Number | None,
    latest_value: Number | None,
    baseline_x: Number | None,
    baseline_value: Number | None,
    target_x: Number | None,
    target_value: Number | None,
    polarity: str,
) -> SdgProgress:
    """Open SDG's progress measure (after Statistics Canada), for a measure with a target.

    R = sign(baseline) x d x CAGR(actual) / |CAGR(needed)|, d = +1 where higher is better and -1
    where lower is better (for polarity "none", the direction from baseline to target). Then:
    ``ACHIEVED`` if the latest value meets the target; else R >= 95% ``ON_TRACK``, 60-95%
    ``ACCELERATION_NEEDED``, 0-60% ``LIMITED_PROGRESS``, below 0 ``MOVING_AWAY``.
    ``NOT_ASSESSED`` where growth rates are undefined: missing inputs, a baseline of 0, values of
    different signs, no time since the baseline, or a target equal to the baseline.
    """
    polarity = _polarity(polarity)
    lx, lv = _num(latest_x, "latest_x"), _num(latest_value, "latest_value")
    bx, bv = _num(baseline_x, "baseline_x"), _num(baseline_value, "baseline_value")
    tx, tv = _num(target_x, "target_x"), _num(target_value, "target_value")
    if tv is None:
        return SdgProgress(status=Status.NO_TARGET)
    direction = _better_direction(polarity, bv, tv)
    if lv is None or direction is None:
        return SdgProgress(status=Status.NOT_ASSESSED)
    if direction * (lv - tv) >= 0:
        return SdgProgress(status=Status.ACHIEVED)
    if lx is None or bx is None or bv is None or tx is None:
        return SdgProgress(status=Status.NOT_ASSESSED)
    if bv == 0 or lv / bv <= 0 or tv / bv <= 0 or lx <= bx or tx <= bx or tv == bv:
        return SdgProgress(status=Status.NOT_ASSESSED)
    actual = _cagr(lv, bv, lx - bx)
    needed = _cagr(tv, bv, tx - bx)
    ratio = math.copysign(1.0, bv) * direction * actual / abs(needed)
    if ratio >= SDG_ON_TRACK:
        status = Status.ON_TRACK
    elif ratio >= SDG_ACCELERATION_NEEDED:
        status = Status.ACCELERATION_NEEDED
    elif ratio >= 0:
        status = Status.LIMITED_PROGRESS
    else:
        status = Status.MOVING_AWAY
    return SdgProgress(status=status, ratio=ratio, actual_growth=actual, needed_growth=needed)


# -------------------------------------------------------------------------------------------------
# 5. Plain English
# -------------------------------------------------------------------------------------------------


def describe_comparison(
    status: str,
    polarity: str,
    *,
    place: str,
    value: str,
    period: str,
    benchmark_name: str = "England",
    benchmark_value: str | None = None,
) -> str:
    """A sentence for a benchmark comparison, from already-formatted strings.

    The sentence says which way the value differs ("significantly lower than England"); the
    badge (:func:`status_label`) says whether that is better or worse.
    """
    polarity = _polarity(polarity)
    status = Status(status)
    subject = f"{place}, {value} in {period},"
    benchmark = f"{benchmark_name} ({benchmark_value})" if benchmark_value else benchmark_name
    if status == Status.NOT_COMPARED:
        if benchmark_value is None:
            return (
                f"{subject} is not compared with {benchmark_name}: there is no "
                f"{benchmark_name} value for the same period."
            )
        return (
            f"{subject} is not compared with {benchmark}: there is no confidence interval "
            "to judge the difference by."
        )
    if status == Status.SIMILAR:
        return f"{subject} is not significantly different from {benchmark}."
    if status in (Status.HIGHER, Status.LOWER):
        higher = status == Status.HIGHER
    elif status in (Status.BETTER, Status.WORSE):
        if polarity == "none":
            raise ValueError("Better or worse needs a polarity of higher or lower.")
        higher = (status == Status.BETTER) == (polarity == "higher")
    else:
        raise ValueError(f"{status!r} is not a benchmark comparison status.")
    return f"{subject} is significantly {'higher' if higher else 'lower'} than {benchmark}."


def describe_trend(result: TrendResult, periods_word: str = "periods") -> str:
    """A sentence for a trend, e.g. "Over the last 5 periods there is no significant change."."""
    n = result.points_used
    if result.status == Status.NOT_ENOUGH_DATA:
        have = "there is 1" if n == 1 else f"there are {n}"
        return (
            f"There is not enough data to judge a trend: at least {MIN_TREND_POINTS} "
            f"{periods_word} are needed, and {have}."
        )
    over = f"Over the last {n} {periods_word}"
    if result.status == Status.NO_SIGNIFICANT_CHANGE:
        return f"{over} there is no significant change."
    moved = "risen" if result.direction == Status.INCREASING else "fallen"
    sentence = f"{over} the value has {moved} significantly"
    if result.status == Status.IMPROVING:
        return f"{sentence}: it is improving."
    if result.status == Status.GETTING_WORSE:
        return f"{sentence}: it is getting worse."
    return f"{sentence}."


def describe_target(
    result: TargetAssessment,
    *,
    latest_value: str,
    target_value: str,
    target_period: str,
    trajectory_value: str | None = None,
) -> str:
    """A sentence for progress towards a target, from already-formatted strings.

    ``trajectory_value`` is the formatted :attr:`TargetAssessment.trajectory_value`.
    """
    target = f"the target of {target_value} by {target_period}"
    status = result.status
    if status == Status.NO_TARGET:
        return "There is no target for this measure."
    if status == Status.NOT_ASSESSED:
        return f"Progress towards {target} cannot be assessed yet."
    if status == Status.ACHIEVED:
        return f"{target[0].upper()}{target[1:]} has been met: the latest value is {latest_value}."
    if status == Status.OFF_TRACK and result.target_date_passed:
        return f"Off track: {target} was not met; the latest value is {latest_value}."
    expected = f"the {trajectory_value} expected by now" if trajectory_value else "the value due"
    line = f"on a straight line from the baseline to {target}"
    if status == Status.ON_TRACK:
        return (
            f"On track: the latest value, {latest_value}, is at or better than {expected} {line}."
        )
    if status == Status.OFF_TRACK:
        return f"Off track: the latest value, {latest_value}, falls short of {expected} {line}."
    raise ValueError(f"{status!r} is not a target status.")


def about_the_statistics(benchmark_name: str = "England") -> tuple[str, ...]:
    """The "about the statistics" note for the public page, one string per paragraph."""
    return (
        "Confidence intervals. Every value has some uncertainty: it could have come out a little "
        "differently by chance. Where a publisher gives a 95% confidence interval we use it. "
        "Where we have only a count and its denominator we calculate one as OHID's Fingertips "
        "does: the Wilson score method for percentages, and for rates per 100,000 Byar's method, "
        "or the exact Poisson method when the count is below 10.",
        f"Compared with {benchmark_name}. A value is significantly better or worse than "
        f"{benchmark_name} when {benchmark_name}'s value lies outside its 95% confidence "
        "interval; whether that is better or worse depends on whether a higher or a lower value "
        f"is better for the measure. When {benchmark_name}'s value lies inside the interval, or "
        f"on its edge, the value is similar to {benchmark_name}. Without an interval we make no "
        "comparison.",
        "Trend. We look at the most recent five periods. When every one has a confidence "
        "interval, we fit a straight line weighted by each value's precision (1 / SE², with the "
        "standard error SE = interval width / 3.92) and call the trend significant when the "
        "chi-square test statistic exceeds the 99.8% level Fingertips uses (9.55). When some "
        "values have no interval, we fit an ordinary least-squares line and test its slope with "
        "a t-test at the same 99.8% level. With five periods, the line must also keep its "
        "direction when any one period is left out. Unlike Fingertips, which needs five "
        "periods, we show a trend from three; with so few, only a very steady change passes "
        "the test.",
        "Targets. We draw a straight line from the baseline to the target. A measure is on "
        "track when its latest value is at or better than that line at the latest period, and "
        "has achieved its target when the latest value meets or beats it. This is simpler to "
        "explain than Open SDG's comparison of growth rates, which it replaces here.",
    )


ABOUT_THE_STATISTICS = "\n\n".join(about_the_statistics())
"""The "about the statistics" note, paragraphs separated by blank lines, England as benchmark."""
