"""Comparison of an area's value with a benchmark (England, or the region)."""

from __future__ import annotations

from methods.base import (
    Number,
    Status,
    _num,
    _polarity,
)

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
