"""Confidence intervals: Wilson score for proportions; Byar's method, or the exact Poisson
interval below 10, for crude rates; Dobson's method for directly standardised rates; or the
publisher's own."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from methods.base import (
    BYARS_MIN_COUNT,
    CONFIDENCE,
    SE_FROM_95_INTERVAL,
    VALUE_KIND_MULTIPLIERS,
    Number,
    _num,
    confidence_label,
)
from methods.distributions import (
    gamma_quantile,
    z_for,
)

# -------------------------------------------------------------------------------------------------
# 1. Confidence intervals
# -------------------------------------------------------------------------------------------------


class IntervalMethod(StrEnum):
    PUBLISHED = "published"
    WILSON = "Wilson score"
    BYARS = "Byar's method"
    EXACT_POISSON = "exact Poisson"
    DOBSON = "Dobson's method"


@dataclass(frozen=True)
class Interval:
    """A value and its confidence interval, on the value's own scale (e.g. % or per 100,000)."""

    value: float | None
    lower: float
    upper: float
    method: IntervalMethod
    confidence: float = CONFIDENCE

    @property
    def confidence_label(self) -> str:
        return confidence_label(self.confidence)

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


ESP2013 = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000,
    7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip
"""The 2013 European Standard Population in 19 five-year bands, 0-4, 5-9, ... 85-89, 90+
(PHEindicatormethods' ``esp2013``); it sums to 100,000."""

ESP2013_BANDS = tuple(f"{a}-{a + 4}" for a in range(0, 90, 5)) + ("90+",)

DSR_MIN_COUNT = 10
"""OHID does not calculate a directly standardised rate from fewer than 10 events."""


def dobson_interval(
    counts: Sequence[Number],
    populations: Sequence[Number],
    standard: Sequence[Number] = ESP2013,
    *,
    multiplier: Number = 100_000,
    confidence: float = CONFIDENCE,
) -> Interval:
    """A directly standardised rate and its interval by Dobson's method, as PHEindicatormethods'
    ``phe_dsr``: DSR = sum(w x / n) / sum(w); var = sum(w^2 x / n^2) / sum(w)^2; with O the total
    count and O_L, O_U Byar's limits for it, the limits are DSR + sqrt(var / O) (O_L - O) and
    DSR + sqrt(var / O) (O_U - O). Raises ValueError where phe_dsr would refuse: bands that do
    not match the standard, a negative count, a population of 0 or less, or a total count below
    10 ("DSRs are not reliable and will not be calculated").
    """
    xs = [_num(c, "count") for c in counts]
    ns = [_num(p, "population") for p in populations]
    ws = [_num(w, "standard population") for w in standard]
    m = _num(multiplier, "multiplier")
    if not (len(xs) == len(ns) == len(ws)):
        raise ValueError(
            f"Give a count and a population for each of the {len(ws)} age bands of the standard "
            f"population (there are {len(xs)} counts and {len(ns)} populations)."
        )
    if any(x is None or x < 0 for x in xs):
        raise ValueError("Every age band needs a count of zero or more.")
    if any(n is None or n <= 0 for n in ns):
        raise ValueError("Every age band needs a population greater than zero.")
    total = math.fsum(xs)  # type: ignore[arg-type]
    if total < DSR_MIN_COUNT:
        raise ValueError(
            f"There are {total:g} events in all; a directly standardised rate is not calculated "
            f"from fewer than {DSR_MIN_COUNT}, as OHID does not publish one."
        )
    sum_w = math.fsum(ws)  # type: ignore[arg-type]
    dsr = math.fsum(w * x / n for w, x, n in zip(ws, xs, ns, strict=True)) / sum_w  # type: ignore[operator]
    var = math.fsum(w * w * x / (n * n) for w, x, n in zip(ws, xs, ns, strict=True)) / sum_w**2  # type: ignore[operator]
    scale = math.sqrt(var / total)
    return Interval(
        value=dsr * m,  # type: ignore[operator]
        lower=(dsr + scale * (byars_lower(total, confidence) - total)) * m,  # type: ignore[operator]
        upper=(dsr + scale * (byars_upper(total, confidence) - total)) * m,  # type: ignore[operator]
        method=IntervalMethod.DOBSON,
        confidence=confidence,
    )


def interval_for(
    value_kind: str,
    value: Number | None,
    lower: Number | None,
    upper: Number | None,
    numerator: Number | None = None,
    denominator: Number | None = None,
    confidence: float = CONFIDENCE,
) -> Interval | None:
    """The interval to use for a value: the publisher's where given, else one we compute.

    - A published interval (both ``lower`` and ``upper``, lower <= upper) is a 95% interval and
      is used as it is when ``confidence`` is 95%.
    - Otherwise, with a numerator and a denominator: Wilson for ``"percentage"`` (on the 0-100
      scale), Byar's / exact Poisson for ``"rate_100k"`` (per 100,000), at ``confidence``.
    - A directly standardised rate (``"dsr_100k"``) never gets a crude-rate interval: its
      interval is the publisher's, or one computed by Dobson's method when it is entered.
    - Otherwise (other value kinds, missing or impossible inputs such as a denominator of 0):
      None, and the page says "not compared".
    """
    low, high, val = _num(lower, "lower"), _num(upper, "upper"), _num(value, "value")
    if low is not None and high is not None and low <= high and confidence == CONFIDENCE:
        return Interval(value=val, lower=low, upper=high, method=IntervalMethod.PUBLISHED)
    x, n = _num(numerator, "numerator"), _num(denominator, "denominator")
    multiplier = VALUE_KIND_MULTIPLIERS.get(value_kind)
    if x is None or n is None or multiplier is None or n <= 0 or x < 0:
        return None
    if value_kind == "percentage":
        if x > n:
            return None
        return wilson_interval(x, n, confidence=confidence, multiplier=multiplier)
    return byars_interval(x, n, multiplier=multiplier, confidence=confidence)


def value_from_counts(
    value_kind: str, numerator: Number | None, denominator: Number | None
) -> float | None:
    """The value a numerator and denominator give (x / n x 100 for a percentage, x 100,000 for
    a crude rate), or None for other kinds or missing or impossible counts. A directly
    standardised rate is not its crude rate, so it has none."""
    x, n = _num(numerator, "numerator"), _num(denominator, "denominator")
    multiplier = VALUE_KIND_MULTIPLIERS.get(value_kind)
    if x is None or n is None or multiplier is None or n <= 0 or x < 0:
        return None
    return x / n * multiplier


def consistent_with_counts(value: Number, expected: float, decimal_places: int) -> bool:
    """Whether a value agrees with the one its counts give, allowing for rounding to the
    measure's decimal places (half a unit of the last place, and a hair for binary floats)."""
    tolerance = 0.5 * 10.0 ** (-decimal_places)
    return abs(float(value) - expected) <= tolerance * (1 + 1e-9)
