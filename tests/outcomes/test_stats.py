"""Unit tests for the methods room (the statistics): plain Python, no database, no Django models.

Reference numbers are worked by hand in the comments (to 6 or 7 significant figures, so the
assertions use a relative tolerance of about 1e-6) or checked against an independent formula
inside the test (closed forms of the t distribution, Poisson sums), never against the module's
own output.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pytest

from methods import base
from methods.base import (
    LABELS,
    STATUS_DISPLAY,
    TONES,
    Status,
    Tone,
    decimal_year,
    status_label,
    status_tone,
)
from methods.comparison import compare_with_benchmark
from methods.describe import (
    ABOUT_THE_STATISTICS,
    about_the_statistics,
    describe_comparison,
)
from methods.distributions import (
    CHI_SQUARE_998,
    T_CRITICAL_998,
    normal_quantile,
    regularized_beta,
    regularized_gamma_p,
    t_cdf,
    t_critical_998,
    t_quantile,
    z_for,
)
from methods.intervals import (
    IntervalMethod,
    byars_interval,
    exact_poisson_lower,
    exact_poisson_upper,
    interval_for,
    wilson_interval,
)
from methods.targets import TargetAssessment, sdg_progress, target_status, trajectory

REL = 1e-6

# z for 95% = qnorm(0.975) = 1.959963984540054; z^2 = 3.841458820694124.
Z95 = 1.959963984540054


# -------------------------------------------------------------------------------------------------
# Distributions
# -------------------------------------------------------------------------------------------------


def test_normal_quantile_matches_r_qnorm():
    # R: qnorm(0.975) = 1.959963984540054; qnorm(0.999) = 3.090232306167813.
    assert normal_quantile(0.975) == pytest.approx(1.959963984540054, rel=1e-12)
    assert normal_quantile(0.999) == pytest.approx(3.090232306167813, rel=1e-12)
    assert normal_quantile(0.025) == pytest.approx(-1.959963984540054, rel=1e-12)
    assert normal_quantile(0.5) == pytest.approx(0.0, abs=1e-12)
    assert z_for(0.95) == pytest.approx(Z95, rel=1e-12)


@pytest.mark.parametrize("p", [0.0, 1.0, -0.1, 1.5])
def test_normal_quantile_rejects_p_outside_0_1(p):
    with pytest.raises(ValueError):
        normal_quantile(p)


def test_chi_square_critical_value_is_fingertips_9_55():
    # chi-square(1) at 99.8% = qnorm(0.999)^2 = 3.0902323^2 = 9.549536, which Fingertips rounds
    # to 9.55.
    critical = CHI_SQUARE_998
    assert critical == pytest.approx(9.549536, rel=REL)
    assert round(critical, 2) == 9.55


# Closed forms of Student's t distribution function, independent of the module's incomplete beta:
#   df 1 (Cauchy): F(t) = 1/2 + atan(t) / pi
#   df 2:          F(t) = 1/2 + t / (2 sqrt(2 + t^2))
#   df 3:          F(t) = 1/2 + (t / sqrt 3 / (1 + t^2 / 3) + atan(t / sqrt 3)) / pi
def _t_cdf_closed(t: float, df: int) -> float:
    if df == 1:
        return 0.5 + math.atan(t) / math.pi
    if df == 2:
        return 0.5 + t / (2.0 * math.sqrt(2.0 + t * t))
    if df == 3:
        u = t / math.sqrt(3.0)
        return 0.5 + (u / (1.0 + u * u) + math.atan(u)) / math.pi
    raise AssertionError(df)


@pytest.mark.parametrize("df", [1, 2, 3])
@pytest.mark.parametrize("t", [-12.0, -2.5, -0.3, 0.0, 0.7, 1.96, 4.3, 25.0, 300.0])
def test_t_cdf_matches_closed_forms(df, t):
    assert t_cdf(t, df) == pytest.approx(_t_cdf_closed(t, df), rel=1e-10, abs=1e-13)


def test_t_quantile_matches_tables():
    # Printed t tables: qt(0.975, 10) = 2.228139; qt(0.975, 1) = 12.7062; qt(0.995, 5) = 4.0321.
    assert t_quantile(0.975, 10) == pytest.approx(2.228139, rel=REL)
    assert t_quantile(0.975, 1) == pytest.approx(12.706205, rel=REL)
    assert t_quantile(0.995, 5) == pytest.approx(4.032143, rel=REL)
    assert t_quantile(0.025, 10) == pytest.approx(-2.228139, rel=REL)


def _bisect_closed(p: float, df: int) -> float:
    """An independent inverse: bisection on the closed-form distribution function."""
    low, high = 0.0, 1000.0
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if _t_cdf_closed(mid, df) < p else (low, mid)
    return (low + high) / 2


def test_hard_coded_998_t_critical_values():
    # The two-sided 99.8% critical value is qt(0.999, df).
    # df 1: F(t) = 0.999 <=> atan(t) = 0.499 pi <=> t = tan(0.499 pi) = 318.3088.
    assert T_CRITICAL_998[1] == pytest.approx(math.tan(0.499 * math.pi), rel=1e-10)
    assert T_CRITICAL_998[1] == pytest.approx(318.309, abs=5e-4)
    # df 2: t / (2 sqrt(2 + t^2)) = 0.499 <=> t = (2p - 1) / sqrt(2 p (1 - p)), p = 0.999:
    #       0.998 / sqrt(0.001998) = 0.998 / 0.0446990 = 22.3271.
    assert T_CRITICAL_998[2] == pytest.approx(0.998 / math.sqrt(2 * 0.999 * 0.001), rel=1e-10)
    assert T_CRITICAL_998[2] == pytest.approx(22.327, abs=5e-4)
    # df 3: no simple inverse; bisection on the closed form gives 10.2145.
    assert T_CRITICAL_998[3] == pytest.approx(_bisect_closed(0.999, 3), rel=1e-10)
    assert T_CRITICAL_998[3] == pytest.approx(10.215, abs=5e-4)
    for df in (1, 2, 3):
        # The module's own numeric inverse agrees with the hard-coded values ...
        assert t_quantile(0.999, df) == pytest.approx(T_CRITICAL_998[df], rel=1e-9)
        # ... and each value really is the 99.9th percentile by the closed form.
        assert _t_cdf_closed(T_CRITICAL_998[df], df) == pytest.approx(0.999, abs=1e-12)
        assert t_critical_998(df) == T_CRITICAL_998[df]
    # Beyond df 3 it is computed: qt(0.999, 10) = 4.1437 (tables).
    assert t_critical_998(10) == pytest.approx(4.143700, rel=REL)


def test_regularized_beta_special_cases():
    # I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1 - x)^b.
    assert regularized_beta(0.3, 1, 1) == pytest.approx(0.3, rel=1e-12)
    assert regularized_beta(0.3, 2.5, 1) == pytest.approx(0.3**2.5, rel=1e-12)
    assert regularized_beta(0.8, 1, 4) == pytest.approx(1 - 0.2**4, rel=1e-12)
    assert regularized_beta(0.0, 2, 3) == 0.0
    assert regularized_beta(1.0, 2, 3) == 1.0


def _poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for X ~ Poisson(mu), by summing the terms."""
    return math.fsum(math.exp(-mu) * mu**i / math.factorial(i) for i in range(k + 1))


@pytest.mark.parametrize("k", [0, 1, 4, 9, 30])
@pytest.mark.parametrize("mu", [0.5, 3.0, 12.0, 40.0])
def test_regularized_gamma_matches_poisson_sums(k, mu):
    # P(X <= k) = 1 - P(k + 1, mu), the regularized lower incomplete gamma function.
    assert 1 - regularized_gamma_p(k + 1, mu) == pytest.approx(_poisson_cdf(k, mu), abs=1e-12)


# -------------------------------------------------------------------------------------------------
# 1. Confidence intervals
# -------------------------------------------------------------------------------------------------


def test_wilson_65_of_100():
    # PHEindicatormethods' wilson_lower(65, 100) / wilson_upper(65, 100), by hand:
    #   2x + z^2               = 130 + 3.841459             = 133.841459
    #   z^2 + 4x(1 - x/n)      = 3.841459 + 260 x 0.35      = 94.841459
    #   z sqrt(94.841459)      = 1.959964 x 9.738658        = 19.087419
    #   2(n + z^2)             = 2 x 103.841459             = 207.682918
    #   lower = (133.841459 - 19.087419) / 207.682918 = 114.754040 / 207.682918 = 0.552544
    #   upper = (133.841459 + 19.087419) / 207.682918 = 152.928878 / 207.682918 = 0.736358
    result = wilson_interval(65, 100)
    assert result.value == pytest.approx(0.65)
    assert result.lower == pytest.approx(0.552544, rel=REL)
    assert result.upper == pytest.approx(0.736358, rel=REL)
    assert result.method == IntervalMethod.WILSON


def test_wilson_as_a_percentage_from_decimals():
    result = wilson_interval(Decimal("65"), Decimal("100"), multiplier=100)
    assert result.value == pytest.approx(65.0)
    assert result.lower == pytest.approx(55.2544, rel=REL)
    assert result.upper == pytest.approx(73.6358, rel=REL)


def test_wilson_zero_and_all():
    # x = 0: lower = (z^2 - z sqrt(z^2)) / ... = 0; upper = 2 z^2 / (2(n + z^2))
    #        = 3.841459 / 53.841459 = 0.071348 for n = 50.
    none = wilson_interval(0, 50)
    assert none.lower == 0.0
    assert none.upper == pytest.approx(0.0713476, rel=REL)
    # x = n: the mirror image, lower = n / (n + z^2) = 50 / 53.841459 = 0.928652; upper = 1.
    every = wilson_interval(50, 50)
    assert every.lower == pytest.approx(0.928652, rel=REL)
    assert every.upper == 1.0


@pytest.mark.parametrize(
    ("numerator", "denominator"), [(1, 0), (0, 0), (-1, 10), (11, 10), (5, -10)]
)
def test_wilson_rejects_impossible_inputs(numerator, denominator):
    with pytest.raises(ValueError):
        wilson_interval(numerator, denominator)


def test_byars_65_per_100000():
    # PHEindicatormethods' example byars_lower(65) / byars_upper(65); the rate is 65 per 100,000.
    # lower = x (1 - 1/(9x) - z/(3 sqrt x))^3
    #       = 65 (1 - 0.0017094 - 1.959964 / (3 x 8.0622577))^3
    #       = 65 (1 - 0.0017094 - 0.0810345)^3 = 65 x 0.9172561^3 = 65 x 0.7717413 = 50.16319
    # upper = (x+1) (1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3
    #       = 66 (1 - 0.0016835 + 1.959964 / (3 x 8.1240384))^3
    #       = 66 (1 - 0.0016835 + 0.0804183)^3 = 66 x 1.0787348^3 = 66 x 1.2552900 = 82.84914
    result = byars_interval(65, 100_000)
    assert result.value == pytest.approx(65.0)
    assert result.lower == pytest.approx(50.16319, rel=REL)
    assert result.upper == pytest.approx(82.84914, rel=REL)
    assert result.method == IntervalMethod.BYARS


def test_byars_at_count_10_the_threshold():
    # A count of exactly 10 takes Byar's method:
    # lower = 10 (1 - 0.0111111 - 1.959964 / (3 x 3.1622777))^3 = 10 x 0.7822905^3 = 4.787450
    # upper = 11 (1 - 0.0101010 + 1.959964 / (3 x 3.3166248))^3 = 11 x 1.1868828^3 = 18.39146
    # (the exact Poisson limits would be 4.795389 and 18.39036).
    result = byars_interval(10, 1000, multiplier=1000)
    assert result.method == IntervalMethod.BYARS
    assert result.value == pytest.approx(10.0)
    assert result.lower == pytest.approx(4.787450, rel=REL)
    assert result.upper == pytest.approx(18.39146, rel=REL)


def test_exact_poisson_for_count_5():
    # Below 10 phe_rate uses qchisq(0.025, 2x)/2 and qchisq(0.975, 2x+2)/2; for x = 5 the
    # published tables of exact Poisson limits give 1.6235 and 11.6683. Per 100,000 of 100,000:
    result = byars_interval(5, 100_000)
    assert result.method == IntervalMethod.EXACT_POISSON
    assert result.value == pytest.approx(5.0)
    assert result.lower == pytest.approx(1.623486, rel=REL)
    assert result.upper == pytest.approx(11.66833, rel=REL)
    # Rescaled: 5 in a population of 20,000 is 25 per 100,000, limits 8.117 to 58.342.
    scaled = byars_interval(5, 20_000)
    assert scaled.value == pytest.approx(25.0)
    assert scaled.lower == pytest.approx(8.117432, rel=REL)
    assert scaled.upper == pytest.approx(58.34166, rel=REL)


def test_exact_poisson_count_0_and_1_by_hand():
    # x = 0: lower = 0; upper solves P(X <= 0) = e^-mu = 0.025, mu = -ln 0.025 = 3.688879.
    zero = byars_interval(0, 1000)
    assert zero.value == 0.0
    assert zero.lower == 0.0
    assert zero.upper == pytest.approx(3.688879 / 1000 * 100_000, rel=REL)
    # x = 1: lower solves P(X >= 1) = 1 - e^-mu = 0.025, mu = -ln 0.975 = 0.02531781.
    assert exact_poisson_lower(1) == pytest.approx(0.02531781, rel=REL)


@pytest.mark.parametrize("count", range(1, 10))
def test_exact_poisson_limits_solve_the_poisson_tails(count):
    # The exact limits L and U satisfy P(X >= x | L) = 0.025 and P(X <= x | U) = 0.025.
    lower, upper = exact_poisson_lower(count), exact_poisson_upper(count)
    assert 1 - _poisson_cdf(count - 1, lower) == pytest.approx(0.025, abs=1e-10)
    assert _poisson_cdf(count, upper) == pytest.approx(0.025, abs=1e-10)
    assert byars_interval(count, 1, multiplier=1).method == IntervalMethod.EXACT_POISSON


@pytest.mark.parametrize(("count", "population"), [(5, 0), (5, -100), (-1, 100)])
def test_rate_rejects_impossible_inputs(count, population):
    with pytest.raises(ValueError):
        byars_interval(count, population)


def test_interval_for_prefers_the_published_interval():
    result = interval_for("percentage", 65, 55, 74, 65, 100)
    assert (result.value, result.lower, result.upper) == (65.0, 55.0, 74.0)
    assert result.method == IntervalMethod.PUBLISHED
    # Any value kind can have a published interval, and Decimals are accepted.
    years = interval_for("years", Decimal("55.2"), Decimal("53.9"), Decimal("56.5"), None, None)
    assert years.lower == pytest.approx(53.9)
    assert years.method == IntervalMethod.PUBLISHED


def test_interval_for_computes_from_counts():
    percentage = interval_for("percentage", 65, None, None, 65, 100)
    assert percentage.method == IntervalMethod.WILSON
    assert percentage.lower == pytest.approx(55.2544, rel=REL)  # 0.552544 x 100, as above
    rate = interval_for("rate_100k", 65, None, None, 65, 100_000)
    assert rate.method == IntervalMethod.BYARS
    assert rate.upper == pytest.approx(82.84914, rel=REL)
    small = interval_for("rate_100k", 5, None, None, 5, 100_000)
    assert small.method == IntervalMethod.EXACT_POISSON
    # Only one published limit: not a published interval, so it is computed.
    half = interval_for("percentage", 65, 55, None, 65, 100)
    assert half.method == IntervalMethod.WILSON


@pytest.mark.parametrize(
    "args",
    [
        ("years", 55.2, None, None, 10, 20),  # no method for this kind
        ("money", 10, None, None, 1, 2),
        ("score", 10, None, None, 1, 2),
        ("count", 10, None, None, 10, 100),
        ("percentage", 65, None, None, None, None),  # nothing to compute from
        ("percentage", 65, None, None, 65, None),
        ("percentage", 0, None, None, 0, 0),  # denominator 0
        ("rate_100k", 0, None, None, 5, 0),
        ("percentage", 65, None, None, 120, 100),  # numerator above denominator
        ("rate_100k", 0, None, None, -1, 100),
        ("years", 55.2, 56.5, 53.9, None, None),  # published limits the wrong way round
    ],
)
def test_interval_for_returns_none_when_it_cannot(args):
    assert interval_for(*args) is None


# -------------------------------------------------------------------------------------------------
# 2. Comparison with a benchmark
# -------------------------------------------------------------------------------------------------


def test_compare_area_significantly_lower():
    # Barnsley 55.2 (53.9 to 56.5); England 60.9 lies above the upper limit.
    assert compare_with_benchmark(55.2, 53.9, 56.5, 60.9, "higher") == Status.WORSE
    assert compare_with_benchmark(55.2, 53.9, 56.5, 60.9, "lower") == Status.BETTER
    assert compare_with_benchmark(55.2, 53.9, 56.5, 60.9, "none") == Status.LOWER


def test_compare_area_significantly_higher():
    # England 50.0 lies below the lower limit 53.9.
    assert compare_with_benchmark(55.2, 53.9, 56.5, 50.0, "higher") == Status.BETTER
    assert compare_with_benchmark(55.2, 53.9, 56.5, 50.0, "lower") == Status.WORSE
    assert compare_with_benchmark(55.2, 53.9, 56.5, 50.0, "none") == Status.HIGHER


@pytest.mark.parametrize("benchmark", [53.9, 56.5, 55.2, 54.0])
def test_compare_inside_or_on_the_boundary_is_similar(benchmark):
    for polarity in ("higher", "lower", "none"):
        assert compare_with_benchmark(55.2, 53.9, 56.5, benchmark, polarity) == Status.SIMILAR


def test_compare_with_decimals():
    result = compare_with_benchmark(
        Decimal("55.2"), Decimal("53.9"), Decimal("56.5"), Decimal("56.5"), "higher"
    )
    assert result == Status.SIMILAR
    assert compare_with_benchmark(Decimal("55.2"), 53.9, 56.5, Decimal("56.6"), "higher") == "worse"


@pytest.mark.parametrize(
    "args",
    [
        (55.2, None, None, 60.9),
        (55.2, 53.9, None, 60.9),
        (55.2, None, 56.5, 60.9),
        (55.2, 53.9, 56.5, None),
        (None, 53.9, 56.5, 60.9),
    ],
)
def test_compare_without_interval_or_benchmark_is_not_compared(args):
    assert compare_with_benchmark(*args, "higher") == Status.NOT_COMPARED


def test_compare_rejects_bad_input():
    with pytest.raises(ValueError):
        compare_with_benchmark(55.2, 56.5, 53.9, 60.9, "higher")  # lower above upper
    with pytest.raises(ValueError):
        compare_with_benchmark(55.2, 53.9, 56.5, 60.9, "up")  # not a polarity


# -------------------------------------------------------------------------------------------------
# 3. Trend
# -------------------------------------------------------------------------------------------------


# The trend's tests are in test_trend_fingertips.py (Fingertips' rules, from its own test series).


def test_decimal_year():
    # 1 July 2024 is day 182 (from 0) of a 366-day year.
    assert decimal_year(date(2024, 7, 1)) == pytest.approx(2024 + 182 / 366)
    assert decimal_year(date(2023, 1, 1)) == 2023.0


# -------------------------------------------------------------------------------------------------
# 4. Targets
# -------------------------------------------------------------------------------------------------


def test_on_track_above_the_line():
    # Baseline 60 in 2020, target 70 by 2030: the line at 2024 is 60 + 10 x 4/10 = 64.
    result = target_status(2024, 65, 2020, 60, 2030, 70, "higher")
    assert result.status == Status.ON_TRACK
    assert result.trajectory_value == pytest.approx(64.0)
    assert result.needed_change == pytest.approx(10.0)
    assert result.actual_change == pytest.approx(5.0)
    assert result.expected_change == pytest.approx(4.0)
    assert result.share_of_change_achieved == pytest.approx(0.5)
    assert result.share_of_time_elapsed == pytest.approx(0.4)
    assert result.better_direction == 1
    assert result.target_date_passed is False


def test_on_the_line_is_on_track_and_below_is_off_track():
    assert target_status(2024, 64, 2020, 60, 2030, 70, "higher").status == Status.ON_TRACK
    assert target_status(2024, 63.9, 2020, 60, 2030, 70, "higher").status == Status.OFF_TRACK
    # 0.1 to 0.3 over 3 years: at year 1 the line is 0.1 + 0.2/3 = 0.1666...; floating point
    # must not make a value exactly on it off track.
    on_line = 0.1 + (0.3 - 0.1) * (1 / 3)
    assert target_status(1, on_line, 0, 0.1, 3, 0.3, "higher").status == Status.ON_TRACK


def test_lower_is_better_target():
    # Baseline 20 in 2020, target 10 by 2030: the line at 2025 is 15; 14 is better, 16 worse.
    assert target_status(2025, 14, 2020, 20, 2030, 10, "lower").status == Status.ON_TRACK
    off = target_status(2025, 16, 2020, 20, 2030, 10, "lower")
    assert off.status == Status.OFF_TRACK
    assert off.trajectory_value == pytest.approx(15.0)
    assert off.better_direction == -1


def test_achieved_when_the_target_is_met_or_beaten():
    assert target_status(2024, 70, 2020, 60, 2030, 70, "higher").status == Status.ACHIEVED
    assert target_status(2024, 71, 2020, 60, 2030, 70, "higher").status == Status.ACHIEVED
    assert target_status(2024, 9.5, 2020, 20, 2030, 10, "lower").status == Status.ACHIEVED
    # Achievement needs no baseline.
    assert target_status(2024, 71, None, None, 2030, 70, "higher").status == Status.ACHIEVED


def test_polarity_none_takes_the_direction_to_the_target():
    # Baseline 50, target 40: lower is "better"; the line at the halfway point is 45.
    assert target_status(2025, 44, 2020, 50, 2030, 40, "none").status == Status.ON_TRACK
    assert target_status(2025, 47, 2020, 50, 2030, 40, "none").status == Status.OFF_TRACK
    assert target_status(2025, 39, 2020, 50, 2030, 40, "none").status == Status.ACHIEVED
    # No baseline, or a target equal to it: no direction to judge by.
    assert target_status(2025, 44, None, None, 2030, 40, "none").status == Status.NOT_ASSESSED
    assert target_status(2025, 44, 2020, 40, 2030, 40, "none").status == Status.NOT_ASSESSED


def test_after_the_target_date_the_line_is_the_target():
    result = target_status(2031, 69, 2020, 60, 2030, 70, "higher")
    assert result.status == Status.OFF_TRACK
    assert result.trajectory_value == pytest.approx(70.0)
    assert result.target_date_passed is True


def test_missing_inputs():
    assert target_status(2024, 65, 2020, 60, None, None, "higher") == TargetAssessment(
        status=Status.NO_TARGET
    )
    assert target_status(2024, None, 2020, 60, 2030, 70, "higher").status == Status.NOT_ASSESSED
    assert target_status(2024, 65, None, None, 2030, 70, "higher").status == Status.NOT_ASSESSED
    assert target_status(2024, 65, 2020, 60, None, 70, "higher").status == Status.NOT_ASSESSED
    assert target_status(None, 65, 2020, 60, 2030, 70, "higher").status == Status.NOT_ASSESSED
    # Latest value before the baseline.
    assert target_status(2019, 65, 2020, 60, 2030, 70, "higher").status == Status.NOT_ASSESSED


def test_target_rejects_a_target_date_not_after_the_baseline():
    with pytest.raises(ValueError):
        target_status(2024, 65, 2020, 60, 2020, 70, "higher")
    with pytest.raises(ValueError):
        target_status(2024, 65, 2020, 60, 2030, 70, "more")


def test_target_with_decimals():
    result = target_status(
        Decimal("2024"),
        Decimal("65"),
        Decimal("2020"),
        Decimal("60"),
        2030,
        Decimal("70"),
        "higher",
    )
    assert result.status == Status.ON_TRACK


def test_trajectory_for_charts():
    values = trajectory(2020, 60, 2030, 70, [2019, 2020, 2024, 2030, 2032])
    assert values[0] is None
    assert values[1:] == pytest.approx([60.0, 64.0, 70.0, 70.0])
    with pytest.raises(ValueError):
        trajectory(2030, 60, 2020, 70, [2024])


@pytest.mark.parametrize(
    ("latest", "ratio", "status"),
    [
        # Baseline 100 in 2015, target 50 by 2030 (lower is better):
        # needed CAGR = 0.5^(1/15) - 1 = -0.0451584.
        # 80 in 2020: actual = 0.8^(1/5) - 1 = -0.0436475;
        #             R = -1 x -0.0436475 / |-0.0451584| = 0.966542.
        (80, 0.966542, Status.ON_TRACK),
        # 85: 0.85^(1/5) - 1 = -0.0319812; R = 0.708201.
        (85, 0.708201, Status.ACCELERATION_NEEDED),
        # 90: 0.9^(1/5) - 1 = -0.0208516; R = 0.461744.
        (90, 0.461744, Status.LIMITED_PROGRESS),
        # 110: 1.1^(1/5) - 1 = 0.0192449; R = -0.426164.
        (110, -0.426164, Status.MOVING_AWAY),
    ],
)
def test_sdg_progress_ratio(latest, ratio, status):
    result = sdg_progress(2020, latest, 2015, 100, 2030, 50, "lower")
    assert result.ratio == pytest.approx(ratio, rel=REL)
    assert result.needed_growth == pytest.approx(-0.0451584, rel=REL)
    assert result.status == status


def test_sdg_progress_edge_cases():
    assert sdg_progress(2020, 45, 2015, 100, 2030, 50, "lower").status == Status.ACHIEVED
    assert sdg_progress(2020, 45, 2015, 100, None, None, "lower").status == Status.NO_TARGET
    # A baseline of 0 is taken as 0.001, as Open SDG does: from 0.001 to 45 in 5 years is
    # far faster than the (0.001 -> 50 in 15 years) rate needed.
    assert sdg_progress(2020, 45, 2015, 0, 2030, 50, "higher").status == Status.ON_TRACK
    assert sdg_progress(2015, 45, 2015, 40, 2030, 50, "higher").status == Status.NOT_ASSESSED
    assert sdg_progress(2020, -5, 2015, 40, 2030, 50, "higher").status == Status.NOT_ASSESSED
    # Polarity none: 100 -> 50 makes lower better, as above.
    assert sdg_progress(2020, 80, 2015, 100, 2030, 50, "none").status == Status.ON_TRACK


# -------------------------------------------------------------------------------------------------
# 5. Labels, tones and sentences
# -------------------------------------------------------------------------------------------------


def test_every_status_has_a_label_and_a_tone():
    assert set(STATUS_DISPLAY) == set(Status)
    assert set(LABELS) == set(Status)
    assert all(isinstance(tone, Tone) for tone in TONES.values())


@pytest.mark.parametrize(
    ("status", "label", "tone"),
    [
        ("better", "Better than England", "good"),
        ("similar", "Similar to England", "neutral"),
        ("worse", "Worse than England", "bad"),
        ("higher", "Higher than England", "neutral"),
        ("lower", "Lower than England", "neutral"),
        ("not_compared", "Not compared", "none"),
        ("improving", "Improving", "good"),
        ("getting_worse", "Getting worse", "bad"),
        ("increasing", "Increasing", "neutral"),
        ("decreasing", "Decreasing", "neutral"),
        ("no_significant_change", "No significant change", "neutral"),
        ("cannot_be_calculated", "Trend cannot be calculated", "none"),
        ("not_applicable", "Comparison not applicable", "none"),
        ("acceleration_needed", "Progress, acceleration needed", "neutral"),
        ("moving_away", "Moving away from target", "bad"),
        ("achieved", "Achieved", "good"),
        ("on_track", "On track", "good"),
        ("off_track", "Off track", "bad"),
        ("no_target", "No target", "none"),
        ("not_assessed", "Not assessed", "none"),
    ],
)
def test_labels_and_tones(status, label, tone):
    assert status_label(status) == label
    assert LABELS[Status(status)] == label
    assert status_tone(status) == tone


def test_labels_for_another_benchmark():
    assert status_label(Status.WORSE, "the North East") == "Worse than the North East"
    assert status_label("improving", "the North East") == "Improving"


def test_describe_significantly_lower_but_worse():
    status = compare_with_benchmark(55.2, 53.9, 56.5, 60.9, "higher")
    sentence = describe_comparison(
        status,
        "higher",
        place="Barnsley",
        value="55.2 years",
        period="2022-24",
        benchmark_name="England",
        benchmark_value="60.9 years",
    )
    assert sentence == (
        "Barnsley, 55.2 years in 2022-24, is significantly lower than England (60.9 years): "
        "England's value lies outside its 95% confidence interval."
    )
    assert status_label(status) == "Worse than England"


ENG = "England (60.9 years)"
OUTSIDE = "England's value lies outside its 95% confidence interval."


@pytest.mark.parametrize(
    ("status", "polarity", "expected"),
    [
        ("better", "higher", f"is significantly higher than {ENG}: {OUTSIDE}"),
        ("better", "lower", f"is significantly lower than {ENG}: {OUTSIDE}"),
        ("worse", "lower", f"is significantly higher than {ENG}: {OUTSIDE}"),
        ("higher", "none", f"is significantly higher than {ENG}: {OUTSIDE}"),
        ("lower", "none", f"is significantly lower than {ENG}: {OUTSIDE}"),
        (
            "similar",
            "higher",
            f"is not significantly different from {ENG}: England's value lies within its 95% "
            "confidence interval.",
        ),
        (
            "not_compared",
            "higher",
            f"is not compared with {ENG}: there is no 95% confidence interval to judge the "
            "difference by.",
        ),
        (
            "not_applicable",
            "not_applicable",
            "is not compared with England: a comparison is not applicable.",
        ),
    ],
)
def test_describe_comparison(status, polarity, expected):
    sentence = describe_comparison(
        status,
        polarity,
        place="Barnsley",
        value="55.2 years",
        period="2022-24",
        benchmark_value="60.9 years",
    )
    assert sentence == f"Barnsley, 55.2 years in 2022-24, {expected}"


def test_describe_comparison_without_a_benchmark_value():
    sentence = describe_comparison(
        "not_compared", "higher", place="Barnsley", value="55.2 years", period="2022-24"
    )
    assert sentence == (
        "Barnsley, 55.2 years in 2022-24, is not compared with England: there is no England "
        "value for the same period."
    )
    with pytest.raises(ValueError):
        describe_comparison("improving", "higher", place="B", value="1", period="2024")


def test_about_the_statistics_describes_these_methods():
    text = ABOUT_THE_STATISTICS
    phrases = ["Wilson score", "Byar's method", "exact Poisson", "below 10", "95%", "3.92"]
    phrases += ["9.55", "99.8%", "left out", "five", "consecutive", "overlapping pooled"]
    phrases += ["Dobson", "2013 European Standard Population", "Open SDG", "0.001", "60%"]
    phrases += ["2.66", "XmR", "NHSRplotthedots", "exactly zero counts as rising"]
    for phrase in phrases:
        assert phrase in text, phrase
    assert "least-squares" not in text and "from three" not in text
    assert "North East" in " ".join(about_the_statistics("the North East"))
    # The numbers in the note are the ones the code uses.
    assert base.TREND_POINTS == 5
    assert base.BYARS_MIN_COUNT == 10
    assert base.SE_FROM_95_INTERVAL == 3.92
    assert base.SDG_ZERO_TARGET == 0.001
