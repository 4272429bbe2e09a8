"""Comparison of an area's value with a benchmark (England, or the region), as Fingertips does it.

Significance: the benchmark's value lies outside the area's confidence interval (95%, or 99.8%
where the measure asks for it). Direction: the area's value against the benchmark's value
(Fingertips' ``ComparisonManager`` compares the two values, not where the interval lies).
"""

from __future__ import annotations

from methods.base import (
    Number,
    Status,
    _num,
    _polarity,
)


def compare_with_benchmark(
    value: Number | None,
    lower: Number | None,
    upper: Number | None,
    benchmark_value: Number | None,
    polarity: str,
) -> Status:
    """Compare an area's value with a benchmark's by the area's confidence interval.

    ``NOT_APPLICABLE`` for polarity "not_applicable" (no comparison at all). Otherwise
    significant only when the benchmark lies strictly outside [lower, upper]; on the boundary or
    inside is ``SIMILAR``. A significant difference is ``BETTER``/``WORSE`` by polarity from the
    value against the benchmark's value, or ``HIGHER``/``LOWER`` for polarity "none";
    ``NOT_COMPARED`` when the value, interval or benchmark is missing.
    """
    polarity = _polarity(polarity)
    if polarity == "not_applicable":
        return Status.NOT_APPLICABLE
    val, low, high = _num(value, "value"), _num(lower, "lower"), _num(upper, "upper")
    bench = _num(benchmark_value, "benchmark_value")
    if val is None or low is None or high is None or bench is None:
        return Status.NOT_COMPARED
    if low > high:
        raise ValueError(f"The interval's lower limit {low} is above its upper limit {high}.")
    if low <= bench <= high or val == bench:
        return Status.SIMILAR
    area_is_higher = val > bench
    if polarity == "none":
        return Status.HIGHER if area_is_higher else Status.LOWER
    return Status.BETTER if area_is_higher == (polarity == "higher") else Status.WORSE
