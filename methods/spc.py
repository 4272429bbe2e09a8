"""Statistical process control: NHS England's "Making Data Count" XmR chart, with the rules for
special cause and the variation and assurance icons as NHS-R's NHSRplotthedots implements them.

- The mean of the values; the moving ranges |y[i] - y[i-1]| and their mean (leaving out, once,
  any of 3.267 times the mean or more, as NHSRplotthedots does by default); process limits at
  mean +/- 2.66 x mean moving range; "near a limit" beyond mean +/- (2/3) x 2.66 x that.
- Special cause (each point is flagged by the first rule that applies, in this order):
  1. a point outside the process limits;
  2. a trend: part of a run of 7 points each higher (or each lower) than the one before;
  3. two of three: part of 3 consecutive points on one side of the mean of which at least 2
     lie between the near-limit line and the limit (the point itself among those 2);
  4. a shift: part of a run of 7 points on the same side of the mean (a point on the mean
     breaks the run).
- Variation icon: the last point's type: common cause, or special cause improving / concerning
  (by the measure's polarity; "high" or "low" where neither is better).
- Assurance icon (against a target, where a direction is better): the target beyond the
  limits on the far side means it will consistently fail, on the near side consistently pass;
  between the limits, hit and miss ("inconsistent").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from methods.base import Number, _num, _polarity

LIMIT = 2.66
"""Process limits: mean +/- 2.66 x mean moving range (3 sigma, as 3 / 1.128)."""

NEAR_LIMIT = 2 * LIMIT / 3
"""The "close to a limit" line used by the two-of-three rule (2 sigma)."""

RUN = 7
"""Points in a shift (one side of the mean) or a trend (each rising or falling)."""

SCREEN = 3.267
"""Moving ranges of 3.267 x their mean or more are left out of the mean moving range (once), as
NHSRplotthedots does by default (``screen_outliers = TRUE``): one wild point should not widen the
limits (3.267 is the upper range limit of an XmR chart's mR chart)."""

MIN_SPC_POINTS = 15
"""Making Data Count's guidance: at least 15 points (ideally 20) for meaningful limits."""

SPC_METHOD = "Making Data Count XmR chart (NHSRplotthedots rules)"


class Rule(StrEnum):
    OUTSIDE_LIMITS = "outside the process limits"
    TREND = "a run of 7 rising or falling points"
    TWO_OF_THREE = "2 of 3 points near a process limit"
    SHIFT = "7 points on one side of the mean"


class Variation(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVING = "special_cause_improving"
    CONCERNING = "special_cause_concerning"
    NEUTRAL_HIGH = "special_cause_neutral_high"
    NEUTRAL_LOW = "special_cause_neutral_low"

    @property
    def label(self) -> str:
        return VARIATION_LABELS[self]


VARIATION_LABELS = {
    Variation.COMMON_CAUSE: "Common cause variation: no significant change",
    Variation.IMPROVING: "Special cause variation: improving",
    Variation.CONCERNING: "Special cause variation: concerning",
    Variation.NEUTRAL_HIGH: "Special cause variation: unusually high",
    Variation.NEUTRAL_LOW: "Special cause variation: unusually low",
}


class Assurance(StrEnum):
    CONSISTENT_PASS = "consistent_pass"
    CONSISTENT_FAIL = "consistent_fail"
    INCONSISTENT = "inconsistent"

    @property
    def label(self) -> str:
        return ASSURANCE_LABELS[self]


ASSURANCE_LABELS = {
    Assurance.CONSISTENT_PASS: "Will consistently meet the target",
    Assurance.CONSISTENT_FAIL: "Will consistently fail the target without a change to the process",
    Assurance.INCONSISTENT: "Will hit and miss the target at random",
}


@dataclass(frozen=True)
class SpcPoint:
    value: float
    rule: Rule | None  # the special-cause rule that flags it, or None (common cause)
    high: bool  # above the mean (for which side a special cause lies)
    variation: Variation


@dataclass(frozen=True)
class XmR:
    mean: float
    mean_moving_range: float
    lower_limit: float
    upper_limit: float
    lower_near: float
    upper_near: float
    points: tuple[SpcPoint, ...]
    assurance: Assurance | None = None
    target: float | None = None

    @property
    def variation(self) -> Variation:
        """The variation icon: the type of the latest point."""
        return self.points[-1].variation

    method = SPC_METHOD


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _runs_of(flags: Sequence[int], length: int) -> list[bool]:
    """Each index that belongs to a run of ``length`` equal non-zero ``flags``."""
    part = [False] * len(flags)
    for end in range(length - 1, len(flags)):
        window = flags[end - length + 1 : end + 1]
        if window[0] != 0 and all(f == window[0] for f in window):
            for i in range(end - length + 1, end + 1):
                part[i] = True
    return part


def xmr(
    values: Sequence[Number],
    polarity: str,
    *,
    target: Number | None = None,
    screen_outliers: bool = True,
) -> XmR:
    """The XmR chart of ``values`` (in time order, no gaps) for a measure of this polarity.
    ``screen_outliers=False`` gives NHS England's Excel tool's limits (no screening)."""
    polarity = _polarity(polarity)
    ys = [_num(v, "value") for v in values]
    if any(y is None for y in ys) or len(ys) < 2:
        raise ValueError("An XmR chart needs at least two values, none missing.")
    y: list[float] = ys  # type: ignore[assignment]
    n = len(y)
    mean = math.fsum(y) / n
    ranges = [abs(b - a) for a, b in zip(y, y[1:], strict=False)]
    amr = math.fsum(ranges) / len(ranges)
    if screen_outliers:
        kept = [r for r in ranges if r < SCREEN * amr]
        amr = math.fsum(kept) / len(kept) if kept else amr
    lpl, upl = mean - LIMIT * amr, mean + LIMIT * amr
    nlpl, nupl = mean - NEAR_LIMIT * amr, mean + NEAR_LIMIT * amr

    side = [_sign(v - mean) for v in y]
    outside = [v > upl or v < lpl for v in y]
    close = [not out and (v < nlpl or v > nupl) for v, out in zip(y, outside, strict=True)]

    # Trend: 7 points each strictly rising (or falling): 6 differences of one sign.
    steps = [0] + [_sign(b - a) for a, b in zip(y, y[1:], strict=False)]
    trend_part = [False] * n
    for end in range(RUN - 1, n):
        diffs = steps[end - RUN + 2 : end + 1]
        if diffs[0] != 0 and all(d == diffs[0] for d in diffs):
            for i in range(end - RUN + 1, end + 1):
                trend_part[i] = True
    trend_dir = [0] * n
    for i in range(n):
        if trend_part[i]:
            # The direction of the run the point is in: the step into it, or out of it for
            # the first point of a run.
            follows = i + 1 < n and trend_part[i + 1]
            trend_dir[i] = steps[i + 1] if follows else steps[i]

    # Two of three near a limit, all three on one side of the mean; the point itself near.
    two_of_three = [False] * n
    for start in range(0, max(0, n - 2)):
        window = range(start, start + 3)
        if sum(close[i] for i in window) >= 2 and abs(sum(side[i] for i in window)) == 3:
            for i in window:
                if close[i]:
                    two_of_three[i] = True

    shift = _runs_of(side, RUN)

    better = {"higher": 1, "lower": -1}.get(polarity, 0)
    points = []
    for i, v in enumerate(y):
        rule = None
        high = side[i] > 0
        if outside[i]:
            rule = Rule.OUTSIDE_LIMITS
        elif trend_part[i]:
            rule, high = Rule.TREND, trend_dir[i] > 0
        elif two_of_three[i]:
            rule = Rule.TWO_OF_THREE
        elif shift[i]:
            rule = Rule.SHIFT
        if rule is None:
            variation = Variation.COMMON_CAUSE
        elif better == 0:
            variation = Variation.NEUTRAL_HIGH if high else Variation.NEUTRAL_LOW
        else:
            improving = (1 if high else -1) == better
            variation = Variation.IMPROVING if improving else Variation.CONCERNING
        points.append(SpcPoint(v, rule, high, variation))

    goal = _num(target, "target")
    assurance = None
    if goal is not None and better != 0:
        if goal > upl:
            assurance = Assurance.CONSISTENT_FAIL if better > 0 else Assurance.CONSISTENT_PASS
        elif goal < lpl:
            assurance = Assurance.CONSISTENT_PASS if better > 0 else Assurance.CONSISTENT_FAIL
        else:
            assurance = Assurance.INCONSISTENT
    return XmR(mean, amr, lpl, upl, nlpl, nupl, tuple(points), assurance, goal)
