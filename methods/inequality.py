"""Inequality between groups of people: the gap and whether it is narrowing; the slope index of
inequality (SII) across quintiles.

- **The gap** between two groups (absolute: a - b, in the measure's units; relative: a / b), as
  OHID reports the gap between the most and least deprived quintiles.
- **Is it narrowing?** The change in the gap between two periods, tested with the groups'
  standard errors: z = (gap now - gap then) / sqrt(se_a,now^2 + se_b,now^2 + se_a,then^2 +
  se_b,then^2), the four estimates taken as independent; significant at 95% when |z| > 1.96.
  Where the publisher gives no interval (counts of every pupil, say, rather than a sample), the
  change is reported as it is, without a test, and says so.
- **SII**, as PHEindicatormethods' ``phe_sii`` computes it (Low & Low 2004): each quantile is
  weighted by its share of the population a; its rank b is the midpoint of its cumulative share,
  from the first (most deprived) quantile at 0 to the last at 1; the SII is the slope of the
  weighted least-squares line of value on rank (the fitted difference between rank 1 and rank
  0). Its 95% interval is found, as ``phe_sii`` does, by simulation: each quantile's value drawn
  from Normal(value, se) many times, the SII fitted each time, and the 2.5th and 97.5th
  percentiles taken (with a fixed seed, so a page shows the same interval every time).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from methods.base import SE_FROM_95_INTERVAL, Number

Z_95 = 1.959964


class GapChange(StrEnum):
    NARROWING = "narrowing"
    WIDENING = "widening"
    NO_SIGNIFICANT_CHANGE = "no_significant_change"
    NARROWED_UNTESTED = "narrowed_untested"
    WIDENED_UNTESTED = "widened_untested"
    UNCHANGED = "unchanged"
    CANNOT_BE_CALCULATED = "cannot_be_calculated"


GAP_CHANGE_LABELS = {
    GapChange.NARROWING: "Narrowing",
    GapChange.WIDENING: "Widening",
    GapChange.NO_SIGNIFICANT_CHANGE: "No significant change",
    GapChange.NARROWED_UNTESTED: "Narrower (not tested)",
    GapChange.WIDENED_UNTESTED: "Wider (not tested)",
    GapChange.UNCHANGED: "Unchanged",
    GapChange.CANNOT_BE_CALCULATED: "Cannot be calculated",
}


def se_from_interval(lower: Number | None, upper: Number | None) -> float | None:
    """The standard error behind a published 95% interval: (upper - lower) / 3.92."""
    if lower is None or upper is None:
        return None
    return (float(upper) - float(lower)) / SE_FROM_95_INTERVAL


@dataclass(frozen=True)
class Gap:
    absolute: float  # a - b
    relative: float | None  # a / b (None when b is zero)
    se: float | None  # of the absolute gap, when both groups have one


def gap(a: Number, b: Number, *, se_a: float | None = None, se_b: float | None = None) -> Gap:
    """The gap between group a and group b."""
    a, b = float(a), float(b)
    se = math.sqrt(se_a**2 + se_b**2) if se_a is not None and se_b is not None else None
    return Gap(absolute=a - b, relative=(a / b) if b else None, se=se)


@dataclass(frozen=True)
class GapTrend:
    change: GapChange
    difference: float | None  # |gap now| - |gap then|: negative when narrower
    z: float | None


def gap_change(then: Gap | None, now: Gap | None) -> GapTrend:
    """Whether the gap has narrowed between two periods: see the module's note."""
    if then is None or now is None:
        return GapTrend(GapChange.CANNOT_BE_CALCULATED, None, None)
    difference = abs(now.absolute) - abs(then.absolute)
    if now.se is None or then.se is None:
        if difference < 0:
            return GapTrend(GapChange.NARROWED_UNTESTED, difference, None)
        if difference > 0:
            return GapTrend(GapChange.WIDENED_UNTESTED, difference, None)
        return GapTrend(GapChange.UNCHANGED, 0.0, None)
    se = math.sqrt(now.se**2 + then.se**2)
    if se == 0:
        return GapTrend(GapChange.CANNOT_BE_CALCULATED, difference, None)
    # Test the change in the signed gap; a gap that changed sign is judged by its size.
    z = (abs(now.absolute) - abs(then.absolute)) / se
    if abs(z) <= Z_95:
        return GapTrend(GapChange.NO_SIGNIFICANT_CHANGE, difference, z)
    return GapTrend(GapChange.NARROWING if z < 0 else GapChange.WIDENING, difference, z)


@dataclass(frozen=True)
class SII:
    value: float
    lower: float | None
    upper: float | None


def slope_index_of_inequality(
    values: list[Number],
    populations: list[Number],
    ses: list[float] | None = None,
    *,
    repetitions: int = 10_000,
    seed: int = 1,
) -> SII:
    """The SII across quantiles given in order, most deprived first (PHEindicatormethods'
    ``phe_sii`` with value_type 0: no transformation). At least five quantiles."""
    if len(values) != len(populations) or len(values) < 5:
        raise ValueError("the SII needs a value and a population for each of at least 5 groups")
    if any(float(p) <= 0 for p in populations):
        raise ValueError("every group needs a positive population")
    y = np.array([float(v) for v in values])
    pop = np.array([float(p) for p in populations])
    a = pop / pop.sum()
    b = np.cumsum(a) - a / 2
    sqrt_a = np.sqrt(a)
    design = np.column_stack([sqrt_a, b * sqrt_a])

    def fit(ys: np.ndarray) -> np.ndarray:
        coefficients, *_ = np.linalg.lstsq(design, (sqrt_a * ys.T).T, rcond=None)
        return coefficients[1]

    sii = float(fit(y))
    if ses is None:
        return SII(sii, None, None)
    rng = np.random.default_rng(seed)
    draws = rng.normal(y, np.array(ses, dtype=float), size=(repetitions, len(y)))
    sims = fit(draws.T)
    lower, upper = np.quantile(sims, [0.025, 0.975])
    return SII(sii, float(lower), float(upper))
