"""Small trend lines beside each value: server-side SVG, so no script is needed and they are
drawn before any JavaScript loads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    segments: list[str]  # SVG polyline "points" attributes; a gap (no value) starts a new one
    last_x: float
    last_y: float
    label: str


def sparkline(
    points: Sequence,
    *,
    area_name: str,
    format_value: Callable,
    width: int = 96,
    height: int = 32,
    pad: int = 4,
) -> Sparkline | None:
    """A trend line for one area's series (points with ``value`` and ``period.x``/``.label``),
    scaled to its own range, as SVG coordinates."""
    values = [float(p.value) for p in points if p.value is not None]
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    span = high - low or 1.0
    xs = [p.period.x for p in points]
    x_low, x_span = xs[0], (xs[-1] - xs[0]) or 1.0
    segments: list[list[str]] = [[]]
    last = (0.0, 0.0)
    for point, x in zip(points, xs, strict=True):
        if point.value is None:
            if segments[-1]:
                segments.append([])
            continue
        sx = pad + (x - x_low) / x_span * (width - 2 * pad)
        sy = pad + (1 - (float(point.value) - low) / span) * (height - 2 * pad)
        segments[-1].append(f"{sx:.1f},{sy:.1f}")
        last = (round(sx, 1), round(sy, 1))
    with_values = [p for p in points if p.value is not None]
    first_point, last_point = with_values[0], with_values[-1]
    fmt = format_value
    label = (
        f"Trend line for {area_name}: from {fmt(first_point.value)} in "
        f"{first_point.period.label} to {fmt(last_point.value)} in {last_point.period.label}, "
        f"lowest {fmt(low)}, highest {fmt(high)}."
    )
    return Sparkline(
        width=width,
        height=height,
        segments=[" ".join(s) for s in segments if len(s) > 0],
        last_x=last[0],
        last_y=last[1],
        label=label,
    )
