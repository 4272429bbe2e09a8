"""The comparison's direction and polarities (Fingertips), Open SDG's progress measure, Dobson's
directly standardised rate (PHEindicatormethods) and the XmR chart (NHSRplotthedots), from the
references' documented methods and examples; figures worked by hand in the comments."""

from __future__ import annotations

import math

import pytest

from methods.base import Status, status_label
from methods.comparison import compare_with_benchmark
from methods.describe import describe_progress, describe_spc
from methods.intervals import (
    ESP2013,
    IntervalMethod,
    byars_lower,
    byars_upper,
    dobson_interval,
    interval_for,
    wilson_interval,
)
from methods.spc import Assurance, Rule, Variation, xmr
from methods.targets import sdg_progress

REL = 1e-6

# -------------------------------------------------------------------------------------------------
# Comparison (Fingertips)
# -------------------------------------------------------------------------------------------------


def test_direction_comes_from_the_value_not_the_interval():
    # A value above England (31.0) whose interval (published badly) lies below it: the interval
    # excludes England, so significant; Fingertips takes the direction from 33.0 vs 31.0.
    assert compare_with_benchmark(33.0, 20.3, 30.4, 31.0, "lower") == Status.WORSE
    assert compare_with_benchmark(33.0, 20.3, 30.4, 31.0, "none") == Status.HIGHER


def test_not_applicable_polarity_makes_no_comparison():
    assert compare_with_benchmark(33.0, 30.0, 36.0, 20.0, "not_applicable") == (
        Status.NOT_APPLICABLE
    )
    assert status_label(Status.NOT_APPLICABLE) == "Comparison not applicable"


def test_a_998_interval_is_wider_and_can_turn_a_difference_similar():
    # 65 of 100 (Wilson): 95% 55.26-73.64; 99.8% (z = 3.090232) 49.51-77.86.
    at_95 = interval_for("percentage", 65, None, None, 65, 100)
    at_998 = interval_for("percentage", 65, None, None, 65, 100, confidence=0.998)
    assert at_998.lower < at_95.lower and at_998.upper > at_95.upper
    assert at_998.confidence == 0.998 and at_998.confidence_label == "99.8%"
    z = 3.090232306167813
    expected_low = (130 + z * z - z * math.sqrt(z * z + 4 * 65 * 0.35)) / (2 * (100 + z * z))
    assert at_998.lower == pytest.approx(expected_low * 100, rel=REL)
    # England at 52: outside the 95% interval, inside the 99.8% one.
    assert compare_with_benchmark(65, at_95.lower, at_95.upper, 52, "higher") == Status.BETTER
    assert compare_with_benchmark(65, at_998.lower, at_998.upper, 52, "higher") == Status.SIMILAR
    # A published interval is a 95% one: never used as a 99.8% interval.
    assert interval_for("percentage", 65, 55, 74, confidence=0.998) is None


# -------------------------------------------------------------------------------------------------
# Open SDG's progress measure (sdg-build ProgressMeasure)
# -------------------------------------------------------------------------------------------------


def _latest_for_ratio(ratio):
    # Baseline 100 in 2015, target 50 by 2030, lower is better, latest in 2020.
    needed = 0.5 ** (1 / 15) - 1
    return 100 * (1 + ratio * needed) ** 5


@pytest.mark.parametrize(
    ("ratio", "status"),
    [
        (0.95 + 1e-9, Status.ON_TRACK),
        (0.95 - 1e-9, Status.ACCELERATION_NEEDED),
        (0.60 + 1e-9, Status.ACCELERATION_NEEDED),
        (0.60 - 1e-9, Status.LIMITED_PROGRESS),
        (1e-9, Status.LIMITED_PROGRESS),
        (-1e-9, Status.MOVING_AWAY),
    ],
)
def test_open_sdg_thresholds(ratio, status):
    result = sdg_progress(2020, _latest_for_ratio(ratio), 2015, 100, 2030, 50, "lower")
    assert result.ratio == pytest.approx(ratio, abs=1e-7)
    assert result.status == status


def test_a_zero_target_is_taken_as_0_001_as_open_sdg():
    # From 20 in 2015 towards 0 by 2030 (lower is better): needed = (0.001/20)^(1/15) - 1
    # = -0.483408; 10 in 2020: actual = 0.5^(1/5) - 1 = -0.129449; R = 0.267785.
    result = sdg_progress(2020, 10, 2015, 20, 2030, 0, "lower")
    assert result.needed_growth == pytest.approx((0.001 / 20) ** (1 / 15) - 1, rel=REL)
    # R = sign(baseline) x direction (-1) x actual / |needed|
    assert result.ratio == pytest.approx(-(0.5**0.2 - 1) / abs((0.001 / 20) ** (1 / 15) - 1))
    assert result.status == Status.LIMITED_PROGRESS


def test_the_progress_sentence_names_the_ratio_and_the_method():
    result = sdg_progress(2020, 85, 2015, 100, 2030, 50, "lower")  # R = 0.708201
    sentence = describe_progress(
        result,
        latest_value="85.0",
        target_value="50.0",
        target_period="31 March 2030",
        baseline="100.0 in 2015",
    )
    assert sentence == (
        "Progress, acceleration needed (R from 0.60 to 0.95): the latest value is 85.0, against "
        "the target of 50.0 by 31 March 2030. Since the baseline (100.0 in 2015) it has changed "
        "at R = 0.71 times the yearly rate needed (Open SDG's progress measure: actual / needed "
        "compound annual growth)."
    )


# -------------------------------------------------------------------------------------------------
# Dobson's method (PHEindicatormethods phe_dsr)
# -------------------------------------------------------------------------------------------------

# The DSR vignette's worked example of a small area with no deaths in some age bands ("df3"):
VIGNETTE_POPULATIONS = [30, 35, 35, 35, 40, 40, 45, 50, 50, 50, 60, 60, 70, 75, 70, 60, 20, 20, 15]
VIGNETTE_DEATHS = [1, 1, 0, 0, 0, 1, 1, 3, 3, 3, 3, 10, 10, 10, 10, 8, 8, 8, 8]


def test_esp2013_is_the_2013_european_standard_population():
    assert len(ESP2013) == 19 and sum(ESP2013) == 100_000
    assert ESP2013[0] == 5000 and ESP2013[-1] == 1000  # 0-4 and 90+


def test_dobson_on_the_vignette_example():
    result = dobson_interval(VIGNETTE_DEATHS, VIGNETTE_POPULATIONS)
    # By the method's definition, band by band: DSR = sum(w x / n) / sum(w) x 100,000;
    # var = sum(w^2 x / n^2) / sum(w)^2; O = 88 deaths; limits DSR + sqrt(var / O) (O_L,U - O)
    # with Byar's limits for 88: 88 (1 - 1/792 - 1.96/(3 sqrt 88))^3 = 70.58 and
    # 89 (1 - 1/801 + 1.96/(3 sqrt 89))^3 = 108.42.
    terms = list(zip(ESP2013, VIGNETTE_DEATHS, VIGNETTE_POPULATIONS, strict=True))
    dsr = sum(w * x / n for w, x, n in terms) / 100_000
    var = sum(w * w * x / (n * n) for w, x, n in terms) / 100_000**2
    assert dsr * 100_000 == pytest.approx(8283.015873, rel=REL)
    assert byars_lower(88) == pytest.approx(70.58, abs=0.01)
    assert byars_upper(88) == pytest.approx(108.42, abs=0.01)
    half = math.sqrt(var / 88)
    assert result.value == pytest.approx(8283.015873, rel=REL)
    assert result.lower == pytest.approx((dsr + half * (byars_lower(88) - 88)) * 1e5, rel=REL)
    assert result.upper == pytest.approx((dsr + half * (byars_upper(88) - 88)) * 1e5, rel=REL)
    assert result.lower == pytest.approx(6570.82, abs=0.01)
    assert result.upper == pytest.approx(10289.65, abs=0.01)
    assert result.method == IntervalMethod.DOBSON
    # Never the crude interval: centre and width differ from Byar's on the crude rate.
    crude = sum(VIGNETTE_DEATHS) / sum(VIGNETTE_POPULATIONS) * 1e5
    assert abs(result.value - crude) > 1000


def test_dobson_refuses_what_phe_dsr_refuses():
    with pytest.raises(ValueError, match="fewer than 10"):
        dobson_interval([1] * 9 + [0] * 10, [100] * 19)
    with pytest.raises(ValueError, match="each of the 19 age bands"):
        dobson_interval([10, 10], [100, 100])
    with pytest.raises(ValueError, match="greater than zero"):
        dobson_interval([1] * 19, [100] * 18 + [0])
    # A standardised rate never gets a crude interval from a count and population.
    assert interval_for("dsr_100k", 500.0, None, None, 50, 10_000) is None
    assert interval_for("dsr_100k", 500.0, 400, 600).method == IntervalMethod.PUBLISHED


# -------------------------------------------------------------------------------------------------
# XmR chart (NHSRplotthedots)
# -------------------------------------------------------------------------------------------------

BASE = [10, 12] * 4  # alternating about the mean: no run, no trend


def test_nhsrplotthedots_documented_example():
    # The package's vignette: 1, 2, 1, 2, 10, 1, 2, ... (18 points). By default (moving ranges
    # of 3.267 x their mean or more screened out) UPL 4.6, mean 1.94, LPL -0.72; without
    # screening, as NHS England's Excel tool, UPL 6.95 and LPL -3.06. The 10 is special cause
    # (improvement, where higher is better) either way.
    data = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    screened = xmr(data, "higher")
    assert [round(v, 2) for v in (screened.upper_limit, screened.mean, screened.lower_limit)] == [
        4.6,
        1.94,
        -0.72,
    ]
    excel = xmr(data, "higher", screen_outliers=False)
    assert (round(excel.upper_limit, 2), round(excel.lower_limit, 2)) == (6.95, -3.06)
    for chart in (screened, excel):
        assert [i for i, p in enumerate(chart.points) if p.rule] == [4]
        assert chart.points[4].variation == Variation.IMPROVING


def test_points_beyond_the_limits():
    # Mean 11 (176 / 16); moving ranges 13 x 2, 18, 38: mean 82 / 15 = 5.466667;
    # unscreened limits 11 +/- 14.541333 = -3.541 to 25.541: 30 and -8 lie outside. Screened,
    # 18 and 38 (>= 3.267 x 5.4667 = 17.86) are left out: mean moving range 2, limits 5.68 to
    # 16.32, and 30 and -8 are further outside.
    chart = xmr([10, 12] * 7 + [30, -8], "lower", screen_outliers=False)
    assert chart.mean == pytest.approx(11.0)
    assert chart.mean_moving_range == pytest.approx(82 / 15)
    assert chart.upper_limit == pytest.approx(11 + 2.66 * 82 / 15)
    assert xmr([10, 12] * 7 + [30, -8], "lower").mean_moving_range == pytest.approx(2.0)
    assert [i for i, p in enumerate(chart.points) if p.rule] == [14, 15]
    assert chart.points[14].rule == Rule.OUTSIDE_LIMITS
    # The latest point is unusually low, and lower is better: improving.
    assert chart.variation == Variation.IMPROVING
    assert xmr([10, 12] * 7 + [-8, 30], "lower").variation == Variation.CONCERNING


def test_a_shift_of_seven_on_one_side_of_the_mean():
    # Mean 170.8 / 15 = 11.386667: the last 12 of BASE and the seven that follow (12 and 11.6)
    # are eight in a row above it.
    chart = xmr([*BASE, 12, 11.6, 12, 11.6, 12, 11.6, 12], "higher")
    flagged = [i for i, p in enumerate(chart.points) if p.rule]
    assert flagged == list(range(7, 15))
    assert {chart.points[i].rule for i in flagged} == {Rule.SHIFT}
    assert chart.variation == Variation.IMPROVING
    assert xmr([*BASE, 12, 11.6, 12, 11.6, 12, 11.6, 12], "none").variation == (
        Variation.NEUTRAL_HIGH
    )


def test_a_trend_of_seven_rising_points():
    chart = xmr([*BASE, 10.5, 10.7, 10.9, 11.1, 11.3, 11.5, 11.7], "lower")
    flagged = [i for i, p in enumerate(chart.points) if p.rule]
    assert flagged == list(range(8, 15))
    assert all(chart.points[i].rule == Rule.TREND and chart.points[i].high for i in flagged)
    assert chart.variation == Variation.CONCERNING  # rising where lower is better


def test_two_of_three_near_a_limit():
    # Mean 187.5 / 16 = 11.71875; mean moving range 31.5 / 15 = 2.1; near line
    # 11.71875 + (2 x 2.66 / 3) x 2.1 = 15.44275, limit 17.30475: 15.5 is near, not outside,
    # and 12, 15.5, 12.5, 15.5 all lie above the mean.
    chart = xmr([10, 12] * 6 + [12, 15.5, 12.5, 15.5], "higher")
    assert chart.upper_near == pytest.approx(11.71875 + 2 * 2.66 / 3 * 2.1)
    assert [i for i, p in enumerate(chart.points) if p.rule] == [13, 15]
    assert chart.points[15].rule == Rule.TWO_OF_THREE
    # Two near the limit but the third below the mean: not special cause.
    calm = xmr([10, 12] * 6 + [11, 11, 15.9, 15.9], "higher")
    assert all(p.rule is None for p in calm.points)
    assert calm.variation == Variation.COMMON_CAUSE


def test_assurance_against_a_target():
    values = [10, 12] * 6 + [11, 14.5, 11, 14.5]  # limits 5.497 to 17.378
    assert xmr(values, "higher", target=9).assurance == Assurance.INCONSISTENT
    assert xmr(values, "higher", target=20).assurance == Assurance.CONSISTENT_FAIL
    assert xmr(values, "lower", target=20).assurance == Assurance.CONSISTENT_PASS
    assert xmr(values, "higher", target=2).assurance == Assurance.CONSISTENT_PASS
    assert xmr(values, "none", target=2).assurance is None
    chart = xmr(values, "higher", target=20)
    assert describe_spc(chart, mean="11.4", lower="5.5", upper="17.4", target="20") == (
        "Common cause variation: no significant change. Making Data Count XmR chart of 16 "
        "points: mean 11.4, process limits 5.5 to 17.4 (mean ± 2.66 × mean moving range). "
        "Against the target of 20: will consistently fail the target without a change to the "
        "process."
    )


def test_wilson_is_unchanged_for_the_officer_example():
    # 50 of 329 = 15.2% (Wilson 95%: 11.7% to 19.5%), the officer form's example.
    interval = wilson_interval(50, 329, multiplier=100)
    assert round(interval.value, 1) == 15.2
    assert (round(interval.lower, 1), round(interval.upper, 1)) == (11.7, 19.5)
