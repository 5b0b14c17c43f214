"""The statistics behind before/after comparisons, kept free of I/O so tests can check them by hand.

Proportions (share of comments with a flag): Wilson score intervals, the Newcombe (method 10)
interval for a difference, a pooled two-proportion z-test, or Fisher's exact test when an expected
cell count is below 5 (the z-test's normal approximation is poor there).

Volume (comments per day): exact Poisson (Garwood) intervals, the rate ratio with a log-normal
interval, and the conditional binomial test (given the total, after-comments follow a binomial
with p = after-days / all-days under "no change").

Difference-in-differences: for proportions, (treated after - before) - (control after - before)
with a normal-approximation interval whose variance is the sum of the four binomial variances;
for volume, the ratio of the two rate ratios on the log scale (variance 1/a + 1/b + 1/c + 1/d).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

Z95 = 1.959963984540054
FISHER_MIN_EXPECTED = 5.0


@dataclass(frozen=True)
class Interval:
    """An estimate with its lower and upper confidence bounds."""

    estimate: float
    low: float
    high: float


@dataclass(frozen=True)
class TestResult:
    """A p-value and the test that produced it (named, because it changes with the counts)."""

    p_value: float
    test: str


def wilson(successes: int, n: int, z: float = Z95) -> Interval:
    """Wilson score interval: well-behaved for small n and rates near 0 or 1, unlike the Wald interval."""
    if n <= 0:
        return Interval(math.nan, math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def newcombe_difference(x1: int, n1: int, x2: int, n2: int, z: float = Z95) -> Interval:
    """Interval for p2 - p1 built from the two Wilson intervals (Newcombe 1998, method 10)."""
    if n1 <= 0 or n2 <= 0:
        return Interval(math.nan, math.nan, math.nan)
    a, b = wilson(x1, n1, z), wilson(x2, n2, z)
    diff = b.estimate - a.estimate
    low = diff - math.sqrt((b.estimate - b.low) ** 2 + (a.high - a.estimate) ** 2)
    high = diff + math.sqrt((b.high - b.estimate) ** 2 + (a.estimate - a.low) ** 2)
    return Interval(diff, low, high)


def two_proportion_test(x1: int, n1: int, x2: int, n2: int) -> TestResult:
    """Two-sided test of p1 == p2: pooled z-test, or Fisher's exact test when counts are small."""
    if n1 <= 0 or n2 <= 0:
        return TestResult(math.nan, "n/a")
    pooled = (x1 + x2) / (n1 + n2)
    expected = [n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)]
    if min(expected) < FISHER_MIN_EXPECTED:
        _, p = stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]], alternative="two-sided")
        return TestResult(float(p), "fisher")
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (x2 / n2 - x1 / n1) / se
    return TestResult(float(2 * stats.norm.sf(abs(z))), "z")


def poisson_rate(count: int, exposure: float, alpha: float = 0.05) -> Interval:
    """Events per unit exposure with the exact (Garwood) Poisson interval."""
    if exposure <= 0:
        return Interval(math.nan, math.nan, math.nan)
    low = 0.0 if count == 0 else stats.chi2.ppf(alpha / 2, 2 * count) / 2
    high = stats.chi2.ppf(1 - alpha / 2, 2 * (count + 1)) / 2
    return Interval(count / exposure, float(low) / exposure, float(high) / exposure)


def rate_ratio(c1: int, t1: float, c2: int, t2: float, z: float = Z95) -> Interval:
    """(c2/t2) / (c1/t1) with a log-normal interval; undefined when either count is zero."""
    if c1 <= 0 or c2 <= 0 or t1 <= 0 or t2 <= 0:
        return Interval(math.nan, math.nan, math.nan)
    ratio = (c2 / t2) / (c1 / t1)
    se = math.sqrt(1 / c1 + 1 / c2)
    return Interval(ratio, ratio * math.exp(-z * se), ratio * math.exp(z * se))


def rate_test(c1: int, t1: float, c2: int, t2: float) -> TestResult:
    """Conditional binomial test of equal Poisson rates (exact, fine for small counts)."""
    if c1 + c2 == 0 or t1 <= 0 or t2 <= 0:
        return TestResult(math.nan, "n/a")
    result = stats.binomtest(c2, c1 + c2, t2 / (t1 + t2), alternative="two-sided")
    return TestResult(float(result.pvalue), "poisson-binomial")


def did_proportions(
    treated: tuple[int, int, int, int], control: tuple[int, int, int, int], z: float = Z95
) -> tuple[Interval, float]:
    """Difference-in-differences of proportions; each tuple is (x_before, n_before, x_after, n_after).

    Returns the estimate with a normal-approximation interval and its two-sided p-value.
    """
    tx1, tn1, tx2, tn2 = treated
    cx1, cn1, cx2, cn2 = control
    if min(tn1, tn2, cn1, cn2) <= 0:
        return Interval(math.nan, math.nan, math.nan), math.nan
    cells = [(tx1, tn1), (tx2, tn2), (cx1, cn1), (cx2, cn2)]
    p = [x / n for x, n in cells]
    estimate = (p[1] - p[0]) - (p[3] - p[2])
    variance = sum(pi * (1 - pi) / n for pi, (_, n) in zip(p, cells, strict=True))
    if variance <= 0:
        return Interval(estimate, math.nan, math.nan), math.nan  # all four rates are 0 or 1: no information
    se = math.sqrt(variance)
    p_value = float(2 * stats.norm.sf(abs(estimate) / se))
    return Interval(estimate, estimate - z * se, estimate + z * se), p_value


def did_rates(
    treated: tuple[int, float, int, float], control: tuple[int, float, int, float], z: float = Z95
) -> tuple[Interval, float]:
    """Ratio of rate ratios (treated after/before over control after/before), log-normal interval.

    Each tuple is (count_before, days_before, count_after, days_after). 1.0 means "no difference".
    """
    tc1, tt1, tc2, tt2 = treated
    cc1, ct1, cc2, ct2 = control
    if min(tc1, tc2, cc1, cc2) <= 0 or min(tt1, tt2, ct1, ct2) <= 0:
        return Interval(math.nan, math.nan, math.nan), math.nan
    log_ratio = math.log((tc2 / tt2) / (tc1 / tt1)) - math.log((cc2 / ct2) / (cc1 / ct1))
    se = math.sqrt(1 / tc1 + 1 / tc2 + 1 / cc1 + 1 / cc2)
    p_value = float(2 * stats.norm.sf(abs(log_ratio) / se))
    return (
        Interval(math.exp(log_ratio), math.exp(log_ratio - z * se), math.exp(log_ratio + z * se)),
        p_value,
    )


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """False-discovery-rate adjusted p-values (many metrics x creators are tested at once)."""
    indexed = [(p, i) for i, p in enumerate(p_values) if not math.isnan(p)]
    adjusted = [math.nan] * len(p_values)
    if not indexed:
        return adjusted
    indexed.sort()
    m = len(indexed)
    running = 1.0
    for rank in range(m, 0, -1):
        p, i = indexed[rank - 1]
        running = min(running, p * m / rank)
        adjusted[i] = running
    return adjusted
