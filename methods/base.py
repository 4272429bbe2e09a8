"""What every method shares: constants, the vocabulary of statuses (with labels and tones) and
input checks."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

type Number = float | int | Decimal

# -------------------------------------------------------------------------------------------------
# Constants
# -------------------------------------------------------------------------------------------------

CONFIDENCE = 0.95
"""The confidence level of intervals and of the benchmark comparison."""

TREND_CONFIDENCE = 0.998
"""The (two-sided) confidence level at which a trend is called significant, as Fingertips."""

TREND_POINTS = 5
"""Fingertips' trend marker uses exactly the most recent five consecutive points."""

COMPARISON_CONFIDENCES = (0.95, 0.998)
"""The confidence levels a measure may be compared at, as Fingertips offers them."""


BYARS_MIN_COUNT = 10
"""Counts below this get the exact Poisson interval rather than Byar's approximation."""

SE_FROM_95_INTERVAL = 3.92
"""Width of a 95% interval in standard errors (2 x 1.96), as Fingertips uses to get SE back."""

SDG_ON_TRACK = 0.95
SDG_ACCELERATION_NEEDED = 0.60
"""Open SDG's thresholds for R = actual growth / needed growth."""

SDG_ZERO_TARGET = 0.001
"""Open SDG replaces a target of 0 by this, so that a growth rate towards it exists."""

# How close to the straight-line trajectory counts as "at" it (relative), so that a value lying
# exactly on the line is not made "off track" by rounding in floating point.
_ON_LINE_TOLERANCE = 1e-9

VALUE_KIND_MULTIPLIERS = {"percentage": 100.0, "rate_100k": 100_000.0}
"""The value kinds whose interval can be computed from a count and a denominator."""

POLARITIES = ("higher", "lower", "none", "not_applicable")
"""Higher or lower is better; "none": compared, but neither is better (higher / lower);
"not_applicable": not compared with a benchmark at all (Fingertips' "not applicable")."""


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
    NOT_APPLICABLE = "not_applicable"
    # trend
    IMPROVING = "improving"
    GETTING_WORSE = "getting_worse"
    INCREASING = "increasing"
    DECREASING = "decreasing"
    NO_SIGNIFICANT_CHANGE = "no_significant_change"
    CANNOT_BE_CALCULATED = "cannot_be_calculated"
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
    Status.NOT_APPLICABLE: StatusDisplay("Comparison not applicable", Tone.NONE),
    Status.IMPROVING: StatusDisplay("Improving", Tone.GOOD),
    Status.GETTING_WORSE: StatusDisplay("Getting worse", Tone.BAD),
    Status.INCREASING: StatusDisplay("Increasing", Tone.NEUTRAL),
    Status.DECREASING: StatusDisplay("Decreasing", Tone.NEUTRAL),
    Status.NO_SIGNIFICANT_CHANGE: StatusDisplay("No significant change", Tone.NEUTRAL),
    Status.CANNOT_BE_CALCULATED: StatusDisplay("Trend cannot be calculated", Tone.NONE),
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


def confidence_label(confidence: float) -> str:
    """0.95 -> "95%", 0.998 -> "99.8%"."""
    return f"{confidence * 100:.1f}".removesuffix(".0") + "%"


def decimal_year(day: date) -> float:
    """A date as a year with a fraction (1 July 2024 -> 2024.497...), for trend and target x."""
    start = date(day.year, 1, 1)
    days_in_year = (date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / days_in_year
