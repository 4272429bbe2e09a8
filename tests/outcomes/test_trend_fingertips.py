"""Fingertips' trend marker, as Fingertips computes it (``ukhsa-collaboration/fingertips-open``).

The series named "Fingertips' test series N" are the counts and denominators of Fingertips' own
unit tests (``WhenUsingTrendMarkerCalculator``); the expected markers are theirs. Their intervals
here are Wilson 95% intervals from those counts, as Fingertips would publish them. Series 1 and 2
of that file are left out: they pinned Fingertips' earlier count-based test, which used all six
points; the interval-based marker uses five.

Other figures are worked by hand in the comments.
"""

from __future__ import annotations

from datetime import date

import pytest

from methods.base import Status
from methods.describe import describe_trend
from methods.distributions import CHI_SQUARE_998
from methods.intervals import wilson_interval
from methods.trend import TrendPoint, annual, trend

REL = 1e-6


def proportions(rows):
    """(count, denominator, year) -> points with the value in % and its Wilson 95% interval."""
    points = []
    for count, denominator, year in rows:
        interval = wilson_interval(count, denominator, multiplier=100)
        points.append(annual(year, count / denominator * 100, interval.lower, interval.upper))
    return points


def with_ci(years, values, half_width):
    return [
        annual(y, v, v - half_width, v + half_width) for y, v in zip(years, values, strict=True)
    ]


# Fingertips' test series 3 (indicator 1172), 4, 5 (indicator 10101), 5a; 6, 7 and 7a add
# earlier years to 5 and 5a, which must not change the marker (only the last five count).
SERIES_3 = [(8116, 91530, 2009), (8145, 91773, 2010), (8222, 92088, 2011), (8506, 92238, 2012)]
SERIES_3 += [(8728, 92665.89, 2013)]
SERIES_4 = [(5, 22, 2001), (7, 35, 2002), (6, 42, 2003), (8, 50, 2004), (8, 100, 2005)]
SERIES_4 += [(9, 200, 2006)]
SERIES_5 = [(5405, 18095, 2008), (5500, 18170, 2009), (5435, 18005, 2010), (5480, 17890, 2011)]
SERIES_5 += [(5315, 17860, 2012)]
SERIES_6 = [(5645, 18285, 2007), *SERIES_5]
SERIES_7 = [(5455, 18590, 2006), *SERIES_6]
SERIES_5A = [(22435, 65880, 2008), (22445, 67900, 2009), (21365, 68705, 2010)]
SERIES_5A += [(20955, 69835, 2011), (19055, 70910, 2012)]
SERIES_7A = [(22460, 64600, 2006), (23490, 64830, 2007), *SERIES_5A]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (SERIES_3, Status.INCREASING),
        (SERIES_4, Status.DECREASING),
        (SERIES_5, Status.NO_SIGNIFICANT_CHANGE),
        (SERIES_6, Status.NO_SIGNIFICANT_CHANGE),
        (SERIES_7, Status.NO_SIGNIFICANT_CHANGE),
        (SERIES_5A, Status.DECREASING),
        (SERIES_7A, Status.DECREASING),
    ],
)
def test_fingertips_own_test_series(rows, expected):
    result = trend(proportions(rows), "none")
    assert result.status == expected
    assert result.points_used == 5
    assert result.significant == (expected != Status.NO_SIGNIFICANT_CHANGE)


def test_fingertips_insufficient_series_cannot_be_calculated():
    # Fingertips' "InsufficientTrendData": the first four points of its series 1.
    rows = [(5, 22, 2006), (7, 35, 2007), (6, 42, 2008), (7, 48, 2009)]
    result = trend(proportions(rows), "higher")
    assert result.status == Status.CANNOT_BE_CALCULATED
    assert "there are 4" in result.reason
    assert result.slope is None


def test_index_x_weighted_slope_and_chi_square_by_hand():
    # 60, 61, 62, 63, 64 (+/- 1, so SE = 2 / 3.92, w = 3.8416) at x = 1..5:
    # S1 = 5w, S3 = 15w, S5 = 55w, S4 = 310w, S2 = (60 + 122 + 186 + 252 + 320) w = 940w;
    # slope = (S1 S2 - S3 S4) / (S1 S5 - S3^2) = (4700 - 4650) / (275 - 225) = 1 per period;
    # chi-square = slope^2 (S1 S5 - S3^2) / S1 = 50 w^2 / 5w = 10 w = 38.416 > 9.5495.
    points = with_ci(range(2019, 2024), [60, 61, 62, 63, 64], 1.0)
    result = trend(points, "higher")
    assert result.slope == pytest.approx(1.0)
    assert result.statistic == pytest.approx(38.416, rel=REL)
    assert result.critical_value == pytest.approx(9.54953570608324, rel=1e-12)
    assert result.status == Status.IMPROVING
    assert (result.first_label, result.last_label) == ("2019", "2023")
    assert trend(points, "lower").status == Status.GETTING_WORSE
    assert trend(points, "not_applicable").status == Status.INCREASING


def test_x_is_the_index_not_the_date():
    # The same values a quarter apart (consecutive quarters) give the same slope per period.
    spans = [
        (date(2023, 1, 1), date(2023, 3, 31)),
        (date(2023, 4, 1), date(2023, 6, 30)),
        (date(2023, 7, 1), date(2023, 9, 30)),
        (date(2023, 10, 1), date(2023, 12, 31)),
        (date(2024, 1, 1), date(2024, 3, 31)),
    ]
    values = [60, 61, 62, 63, 64]
    quarters = [TrendPoint(s, e, v, v - 1, v + 1) for (s, e), v in zip(spans, values, strict=True)]
    result = trend(quarters, "higher")
    assert result.slope == pytest.approx(1.0)
    assert result.statistic == pytest.approx(38.416, rel=REL)


def test_chi_square_just_either_side_of_9_55():
    # Equal weights w: chi-square = 10 w slope^2. With slope 1, w = 0.96 gives 9.6 and
    # w = 0.95 gives 9.5: SE = 1 / sqrt(w), half-width = 1.96 SE.
    for w, significant in ((0.96, True), (0.95, False)):
        half = 1.96 / w**0.5
        result = trend(with_ci(range(2019, 2024), [60, 61, 62, 63, 64], half), "higher")
        assert result.statistic == pytest.approx(10 * w, rel=REL)
        assert result.significant is significant
    assert 9.5 < CHI_SQUARE_998 < 9.6


def test_leave_one_out_overturns_a_slope_carried_by_one_point():
    # 10.5, 10, 10, 9.8, 20 (+/- 0.196, w = 100): slope 1.88, chi-square 3534.4; leaving out
    # the last point, the slope of 10.5, 10, 10, 9.8 is negative: not significant.
    result = trend(with_ci(range(2019, 2024), [10.5, 10, 10, 9.8, 20], 0.196), "higher")
    assert result.slope == pytest.approx(1.88)
    assert result.statistic == pytest.approx(3534.4, rel=REL)
    assert result.robust is False
    assert result.status == Status.NO_SIGNIFICANT_CHANGE


def test_a_zero_slope_left_one_out_counts_as_rising_as_in_fingertips():
    # 1, 1, 1, 1, 5 rises (slope 0.8); leaving out the 5 gives exactly 0, which Fingertips
    # counts as +1: the rise stands. Mirrored (5, 1, 1, 1, 1 falling), the same zero counts
    # against the fall, so the fall is not significant.
    rising = trend(with_ci(range(2019, 2024), [1, 1, 1, 1, 5], 0.196), "higher")
    assert rising.robust is True and rising.status == Status.IMPROVING
    falling = trend(with_ci(range(2019, 2024), [5, 1, 1, 1, 1], 0.196), "higher")
    assert falling.slope < 0 and falling.statistic > 9.55
    assert falling.robust is False and falling.status == Status.NO_SIGNIFICANT_CHANGE


def test_overlapping_pooled_periods_cannot_be_calculated():
    # Healthy life expectancy: 2018-20, 2019-21, ... each shares two years with the next.
    points = [
        TrendPoint(date(y, 1, 1), date(y + 2, 12, 31), v, v - 0.2, v + 0.2)
        for y, v in zip(range(2014, 2021), range(60, 53, -1), strict=True)
    ]
    result = trend(points, "higher")
    assert result.status == Status.CANNOT_BE_CALCULATED
    assert "overlap" in result.reason
    assert describe_trend(result).startswith("The trend cannot be calculated: the periods overlap")


def test_a_gap_ends_the_run():
    # 2015-2018 then 2020-2023: the most recent run has 4 periods.
    points = with_ci([2015, 2016, 2017, 2018, 2020, 2021, 2022, 2023], range(8), 0.5)
    result = trend(points, "higher")
    assert result.status == Status.CANNOT_BE_CALCULATED
    assert result.reason.endswith("there are 4")


def test_a_latest_point_without_an_interval_is_passed_over_and_the_run_reaches_back():
    points = with_ci(range(2017, 2022), [60, 61, 62, 63, 64], 1.0) + [annual(2022, 90)]
    result = trend(points, "higher")
    assert result.status == Status.IMPROVING
    assert result.last_label == "2021"
    # A point without an interval inside the run is left out too, and the run reaches past it.
    middle = with_ci([2017, 2018], [60, 61], 1) + [annual(2019, 62)]
    middle += with_ci([2020, 2021, 2022], [63, 64, 65], 1)
    result = trend(middle, "higher")
    assert result.status == Status.IMPROVING and result.points_used == 5
    assert result.first_label == "2017"
    # A period with no value at all is a gap: the run stops there.
    gap = with_ci([2016, 2017, 2018], [60, 61, 62], 1) + with_ci(
        [2020, 2021, 2022], [63, 64, 65], 1
    )
    assert trend(gap, "higher").status == Status.CANNOT_BE_CALCULATED


def test_no_intervals_and_too_few_points():
    no_ci = [annual(y, v) for y, v in zip(range(2015, 2024), range(9), strict=True)]
    result = trend(no_ci, "higher")
    assert result.status == Status.CANNOT_BE_CALCULATED
    assert "confidence interval" in result.reason
    for n in (0, 1, 3, 4):
        assert trend(with_ci(range(2019, 2019 + n), [50.0] * n, 1.0), "higher").status == (
            Status.CANNOT_BE_CALCULATED
        )


def test_identical_values_are_no_change_and_order_does_not_matter():
    flat = trend(with_ci(range(2019, 2024), [3.0] * 5, 1.0), "higher")
    assert flat.slope == 0.0 and flat.status == Status.NO_SIGNIFICANT_CHANGE
    steady = with_ci(range(2019, 2024), [60, 61, 62, 63, 64], 1.0)
    assert trend(steady[::-1], "higher") == trend(steady, "higher")
    with pytest.raises(ValueError):
        trend([*steady, annual(2023, 70, 69, 71)], "higher")
    with pytest.raises(ValueError):
        trend([annual(2020, 2, 3, 1)], "higher")


def test_the_sentence_names_the_test_and_the_level():
    steady = with_ci(range(2019, 2024), [60, 61, 62, 63, 64], 1.0)
    assert describe_trend(trend(steady, "higher"), "years") == (
        "Over the last 5 consecutive years (2019 to 2023) the value has risen significantly: it "
        "is improving (Fingertips' trend test: chi-square 38.42 against 9.55, the 99.8% level)."
    )
    noisy = trend(with_ci(range(2019, 2024), [60, 61.5, 59.5, 61, 61], 1.0), "higher")
    assert "no significant change" in describe_trend(noisy)
