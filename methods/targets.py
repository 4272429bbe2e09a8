"""Progress towards a target: a straight-line trajectory and Open SDG's growth-rate ratio."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from methods.base import (
    _ON_LINE_TOLERANCE,
    SDG_ACCELERATION_NEEDED,
    SDG_ON_TRACK,
    SDG_ZERO_TARGET,
    Number,
    Status,
    _num,
    _polarity,
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
    """Open SDG's progress measure (sdg-build ``ProgressMeasure``, after Statistics Canada).

    x values are years (Open SDG uses whole years: the first year of a period). A target or a
    baseline of exactly 0 is replaced by 0.001, as Open SDG does, so that growth rates exist.
    R = sign(baseline) x d x CAGR(actual) / |CAGR(needed)|, d = +1 where higher is better and -1
    where lower is better (for polarity "none"/"not_applicable", the direction from baseline to
    target). ``ACHIEVED`` if the latest value meets the target; else R >= 0.95 ``ON_TRACK``
    ("substantial progress"), 0.60-0.95 ``ACCELERATION_NEEDED`` ("moderate progress"), 0-0.60
    ``LIMITED_PROGRESS``, below 0 ``MOVING_AWAY`` ("deterioration"). ``NOT_ASSESSED`` where Open
    SDG gives "not available": missing inputs, a baseline and latest value of different signs,
    less than a year since the baseline, or a target equal to the baseline.
    """
    polarity = _polarity(polarity)
    lx, lv = _num(latest_x, "latest_x"), _num(latest_value, "latest_value")
    bx, bv = _num(baseline_x, "baseline_x"), _num(baseline_value, "baseline_value")
    tx, tv = _num(target_x, "target_x"), _num(target_value, "target_value")
    if tv is None:
        return SdgProgress(status=Status.NO_TARGET)
    if tv == 0:
        tv = SDG_ZERO_TARGET
    direction = _better_direction(polarity, bv, tv)
    if lv is None or direction is None:
        return SdgProgress(status=Status.NOT_ASSESSED)
    if direction * (lv - tv) >= 0:
        return SdgProgress(status=Status.ACHIEVED)
    if lx is None or bx is None or bv is None or tx is None:
        return SdgProgress(status=Status.NOT_ASSESSED)
    if bv == 0:
        bv = SDG_ZERO_TARGET
    if lv / bv < 0 or tv / bv <= 0 or lx - bx < 1 or tx <= bx or tv == bv:
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
