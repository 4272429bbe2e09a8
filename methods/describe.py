"""Statuses in plain English, and the "about the statistics" note."""

from __future__ import annotations

from methods.base import (
    MIN_TREND_POINTS,
    Status,
    _polarity,
)
from methods.targets import (
    TargetAssessment,
)
from methods.trend import (
    TrendResult,
)

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
