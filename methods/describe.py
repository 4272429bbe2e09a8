"""Statuses in plain English, each naming its method and confidence level, and the "about the
statistics" note (which also says where we differ from a reference on purpose)."""

from __future__ import annotations

from methods.base import (
    CONFIDENCE,
    SDG_ACCELERATION_NEEDED,
    SDG_ON_TRACK,
    Status,
    _polarity,
    confidence_label,
)
from methods.spc import MIN_SPC_POINTS, XmR
from methods.targets import SdgProgress
from methods.trend import TrendResult


def describe_comparison(
    status: str,
    polarity: str,
    *,
    place: str,
    value: str,
    period: str,
    benchmark_name: str = "England",
    benchmark_value: str | None = None,
    confidence: float = CONFIDENCE,
    interval_method: str = "",
) -> str:
    """A sentence for a benchmark comparison, from already-formatted strings.

    The sentence says which way the value differs ("significantly lower than England") and by
    which interval; the badge (:func:`status_label`) says whether that is better or worse.
    """
    polarity = _polarity(polarity)
    status = Status(status)
    subject = f"{place}, {value} in {period},"
    benchmark = f"{benchmark_name} ({benchmark_value})" if benchmark_value else benchmark_name
    level = confidence_label(confidence)
    how = f"its {level} confidence interval" + (f" ({interval_method})" if interval_method else "")
    if status == Status.NOT_APPLICABLE:
        return f"{subject} is not compared with {benchmark_name}: a comparison is not applicable."
    if status == Status.NOT_COMPARED:
        if benchmark_value is None:
            return (
                f"{subject} is not compared with {benchmark_name}: there is no "
                f"{benchmark_name} value for the same period."
            )
        return (
            f"{subject} is not compared with {benchmark}: there is no {level} confidence "
            "interval to judge the difference by."
        )
    if status == Status.SIMILAR:
        return (
            f"{subject} is not significantly different from {benchmark}: {benchmark_name}'s "
            f"value lies within {how}."
        )
    if status in (Status.HIGHER, Status.LOWER):
        higher = status == Status.HIGHER
    elif status in (Status.BETTER, Status.WORSE):
        if polarity not in ("higher", "lower"):
            raise ValueError("Better or worse needs a polarity of higher or lower.")
        higher = (status == Status.BETTER) == (polarity == "higher")
    else:
        raise ValueError(f"{status!r} is not a benchmark comparison status.")
    return (
        f"{subject} is significantly {'higher' if higher else 'lower'} than {benchmark}: "
        f"{benchmark_name}'s value lies outside {how}."
    )


def describe_trend(result: TrendResult, periods_word: str = "periods") -> str:
    """A sentence for a trend that names the test and its level."""
    if result.status == Status.CANNOT_BE_CALCULATED:
        return f"The trend cannot be calculated: {result.reason}."
    span = (
        f" ({result.first_label} to {result.last_label})"
        if result.first_label and result.last_label
        else ""
    )
    over = f"Over the last {result.points_used} consecutive {periods_word}{span}"
    test = (
        f"(Fingertips' trend test: chi-square {result.statistic:.2f} against 9.55, the "
        "99.8% level"
        + ("" if result.robust else "; the direction changes when one period is left out")
        + ")"
    )
    if result.status == Status.NO_SIGNIFICANT_CHANGE:
        return f"{over} there is no significant change {test}."
    moved = "risen" if result.direction == Status.INCREASING else "fallen"
    sentence = f"{over} the value has {moved} significantly"
    if result.status == Status.IMPROVING:
        return f"{sentence}: it is improving {test}."
    if result.status == Status.GETTING_WORSE:
        return f"{sentence}: it is getting worse {test}."
    return f"{sentence} {test}."


def describe_progress(
    result: SdgProgress,
    *,
    latest_value: str,
    target_value: str,
    target_period: str,
    baseline: str = "",
) -> str:
    """A sentence for progress towards a target by Open SDG's progress measure, with the ratio."""
    target = f"the target of {target_value} by {target_period}"
    status = result.status
    if status == Status.NO_TARGET:
        return "There is no target for this measure."
    if status == Status.ACHIEVED:
        return f"{target[0].upper()}{target[1:]} has been met: the latest value is {latest_value}."
    if status == Status.NOT_ASSESSED or result.ratio is None:
        return (
            f"Progress towards {target} cannot be assessed by Open SDG's progress measure: it "
            "needs a baseline and a latest value at least a year apart, of the same sign."
        )
    since = f"Since the baseline ({baseline})" if baseline else "Since the baseline"
    verdict = {
        Status.ON_TRACK: f"On track (R of {SDG_ON_TRACK:.2f} or more)",
        Status.ACCELERATION_NEEDED: (
            f"Progress, acceleration needed (R from {SDG_ACCELERATION_NEEDED:.2f} to "
            f"{SDG_ON_TRACK:.2f})"
        ),
        Status.LIMITED_PROGRESS: f"Limited progress (R from 0 to {SDG_ACCELERATION_NEEDED:.2f})",
        Status.MOVING_AWAY: "Moving away from the target (R below 0)",
    }[status]
    return (
        f"{verdict}: the latest value is {latest_value}, against {target}. {since} it has "
        f"changed at R = {result.ratio:.2f} times the yearly rate needed (Open SDG's progress "
        "measure: actual / needed compound annual growth)."
    )


def describe_spc(
    chart: XmR,
    *,
    mean: str,
    lower: str,
    upper: str,
    target: str = "",
    with_variation: bool = True,
) -> str:
    """A sentence for an XmR chart: the variation and assurance icons in words
    (``with_variation=False`` where the variation's words already stand beside its icon)."""
    latest = chart.points[-1]
    why = f" (the latest point is part of {latest.rule})" if latest.rule else ""
    text = f"{chart.variation.label}{why}. " if with_variation else ""
    if not with_variation and latest.rule:
        text = f"The latest point is part of {latest.rule}. "
    text += (
        f"Making Data Count XmR chart of {len(chart.points)} points: mean "
        f"{mean}, process limits {lower} to {upper} (mean ± 2.66 × mean moving range)."
    )
    if chart.assurance is not None:
        text += f" Against the target of {target}: {chart.assurance.label.lower()}."
    return text


def about_the_statistics(benchmark_name: str = "England") -> tuple[str, ...]:
    """The "about the statistics" note for the public page, one string per paragraph."""
    b = benchmark_name
    return (
        "Confidence intervals. Every value has some uncertainty: it could have come out a little "
        "differently by chance. Where a publisher gives a 95% confidence interval we use it. "
        "Where we have only a count and its denominator we calculate one as OHID's Fingertips "
        "does (PHEindicatormethods): the Wilson score method for percentages, and for rates per "
        "100,000 Byar's method, or the exact Poisson method when the count is below 10. A "
        "directly standardised rate gets the publisher's interval, or one calculated by "
        "Dobson's method from the counts and populations in each age band, standardised to the "
        "2013 European Standard Population; never the interval of a crude rate. As OHID, we do "
        "not calculate a standardised rate from fewer than 10 events.",
        f"Compared with {b}. A value is significantly different from {b} when {b}'s value lies "
        "outside its confidence interval: 95% for most measures, 99.8% where the measure says "
        "so, as Fingertips offers both. Whether a significant difference is better or worse "
        f"follows from the value against {b}'s value and whether a higher or a lower value is "
        f"better for the measure. When {b}'s value lies inside the interval, or on its edge, "
        f"the value is similar to {b}. Without an interval we make no comparison, and for "
        "measures where a comparison is not applicable we make none. A 99.8% comparison needs "
        "the count and denominator: publishers' intervals are 95%.",
        "Trend. We use Fingertips' trend test, as Fingertips does: only from the last five "
        "consecutive single periods that each have a value and a 95% confidence interval. "
        "A period without an interval is left out and the run reaches back past it, as in "
        "Fingertips; a gap in the periods (a period with no value) ends the run. We fit a "
        "straight line "
        "to the five values against 1 to 5, each weighted by its precision (1 / SE², with the "
        "standard error SE = interval width / 3.92), and call the trend significant when the "
        "chi-square statistic exceeds 9.55 (the 99.8% level) and the line keeps its direction "
        "when each period in turn is left out (a slope of exactly zero counts as rising, as in "
        "Fingertips). Where this is not possible we say the trend cannot be calculated, and "
        "why: for example, overlapping pooled periods (such as 2020-22 and 2021-23, which share "
        "two years of data) are not independent, so they get no trend.",
        "Targets. Progress towards a target is Open SDG's progress measure (after Statistics "
        "Canada): the compound annual growth rate from the baseline to the latest value, as a "
        "share of the rate needed to reach the target by its date. 95% or more is on track; "
        "60% to 95%, progress but acceleration needed; 0 to 60%, limited progress; below 0, "
        "moving away. As Open SDG, a target or baseline of 0 is taken as 0.001, and years are "
        "the first year of each period. The chart also draws a straight line from the baseline "
        "to the target, for reading only: the status comes from the progress measure.",
        "Making Data Count. For a measure with at least "
        f"{MIN_SPC_POINTS} consecutive periods we also draw NHS England's XmR chart: the mean, "
        "and process limits at the mean ± 2.66 × the mean moving range (leaving out, as "
        "NHSRplotthedots does by default, any moving range of 3.267 times the mean or more, so "
        "that one wild point does not widen the limits). A point is special "
        "cause when it is outside the limits, part of 7 rising or falling points, one of 2 of 3 "
        "points near a limit, or part of 7 points on one side of the mean (the rules of "
        "NHSRplotthedots). The variation icon describes the latest point, and the assurance "
        "icon says whether the limits lie wholly on one side of the target. Unlike the NHS "
        "tools, which use monthly data, our annual series change slowly, so the limits are "
        "wide and the chart is a guide to the series' history rather than a monthly alarm.",
    )


ABOUT_THE_STATISTICS = "\n\n".join(about_the_statistics())
"""The "about the statistics" note, paragraphs separated by blank lines, England as benchmark."""
