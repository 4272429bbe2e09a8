"""The probability distributions the intervals and tests need, from ``scipy.stats`` and
``scipy.special`` (the reference implementations analysts use), returned as plain floats."""

from __future__ import annotations

from functools import lru_cache

from scipy import special
from scipy import stats as scipy_stats

from methods.base import TREND_CONFIDENCE


def _probability(p: float) -> float:
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be strictly between 0 and 1, not {p}.")
    return float(p)


def normal_cdf(x: float) -> float:
    """The standard normal distribution function (R's ``pnorm``)."""
    return float(scipy_stats.norm.cdf(x))


@lru_cache(maxsize=64)
def normal_quantile(p: float) -> float:
    """The standard normal quantile (R's ``qnorm``)."""
    return float(scipy_stats.norm.ppf(_probability(p)))


def z_for(confidence: float) -> float:
    """The two-sided z value for a confidence level: 1.959964 for 0.95 (``qnorm(0.975)``)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1, not {confidence}.")
    return normal_quantile(confidence + (1.0 - confidence) / 2.0)


def regularized_gamma_p(a: float, x: float) -> float:
    """The regularized lower incomplete gamma function P(a, x)."""
    if a <= 0:
        raise ValueError("a must be positive.")
    if x <= 0:
        return 0.0
    return float(special.gammainc(a, x))


def gamma_quantile(p: float, shape: float) -> float:
    """The quantile of a Gamma(shape, scale 1) distribution, i.e. ``qchisq(p, 2 * shape) / 2``."""
    return float(special.gammaincinv(shape, _probability(p)))


def regularized_beta(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    return float(special.betainc(a, b, x))


def t_cdf(t: float, df: float) -> float:
    """Student's t distribution function with ``df`` degrees of freedom (R's ``pt``)."""
    if df <= 0:
        raise ValueError("df must be positive.")
    return float(scipy_stats.t.cdf(t, df))


@lru_cache(maxsize=64)
def t_quantile(p: float, df: float) -> float:
    """Student's t quantile (R's ``qt``)."""
    return float(scipy_stats.t.ppf(_probability(p), df))


_T_998 = TREND_CONFIDENCE + (1.0 - TREND_CONFIDENCE) / 2.0

T_CRITICAL_998: dict[int, float] = {df: t_quantile(_T_998, df) for df in (1, 2, 3)}
"""Two-sided 99.8% critical values of Student's t (``qt(0.999, df)``) for the trend's least-squares
test, which with three to five points has 1 to 3 degrees of freedom. The tests check each against
the closed forms of the t distribution for these df."""

CHI_SQUARE_998 = float(scipy_stats.chi2.ppf(TREND_CONFIDENCE, 1))
"""The 99.8% critical value of chi-square with 1 df: 3.090232^2 = 9.5495, Fingertips' "9.55"."""


def t_critical_998(df: int) -> float:
    """The two-sided 99.8% critical t value."""
    return t_quantile(_T_998, df)
