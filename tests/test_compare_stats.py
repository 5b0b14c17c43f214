"""The comparison statistics against hand formulas and published reference values (not the same code)."""

from __future__ import annotations

import math

import pytest

from commentscope.compare import stats

Z = 1.959963984540054


def hand_wilson(x: int, n: int) -> tuple[float, float]:
    p = x / n
    a = p + Z * Z / (2 * n)
    b = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    c = 1 + Z * Z / n
    return (a - b) / c, (a + b) / c


def normal_two_sided(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


@pytest.mark.parametrize(("x", "n", "low", "high"), [(2, 10, 0.0567, 0.5098), (6, 10, 0.3127, 0.8318)])
def test_wilson_matches_published_values(x, n, low, high):
    interval = stats.wilson(x, n)
    assert interval.estimate == pytest.approx(x / n)
    assert (interval.low, interval.high) == pytest.approx((low, high), abs=1e-4)
    assert (interval.low, interval.high) == pytest.approx(hand_wilson(x, n), abs=1e-12)


def test_wilson_of_zero_is_not_degenerate():
    interval = stats.wilson(0, 20)
    assert interval.low == 0.0 and interval.high == pytest.approx(hand_wilson(0, 20)[1])
    assert interval.high > 0.1


def test_z_test_by_hand():
    pooled = 16 / 40
    z = (12 / 20 - 4 / 20) / math.sqrt(pooled * (1 - pooled) * (1 / 20 + 1 / 20))
    result = stats.two_proportion_test(4, 20, 12, 20)
    assert result.test == "z"
    assert result.p_value == pytest.approx(normal_two_sided(z), rel=1e-9)
    assert result.p_value == pytest.approx(0.00982, abs=1e-4)


def test_fisher_used_for_small_counts_and_matches_hypergeometric_sum():
    # 1/10 vs 5/10: expected cell counts 3 < 5, so the exact test is used.
    def pmf(k: int) -> float:
        return math.comb(10, k) * math.comb(10, 6 - k) / math.comb(20, 6)

    observed = pmf(1)
    hand = sum(pmf(k) for k in range(0, 7) if pmf(k) <= observed * (1 + 1e-7))
    result = stats.two_proportion_test(1, 10, 5, 10)
    assert result.test == "fisher"
    assert result.p_value == pytest.approx(hand, rel=1e-9)


def test_newcombe_difference_by_hand():
    l1, u1 = hand_wilson(4, 20)
    l2, u2 = hand_wilson(12, 20)
    d = 0.6 - 0.2
    expected = (d - math.sqrt((0.6 - l2) ** 2 + (u1 - 0.2) ** 2), d + math.sqrt((u2 - 0.6) ** 2 + (0.2 - l1) ** 2))
    interval = stats.newcombe_difference(4, 20, 12, 20)
    assert interval.estimate == pytest.approx(d)
    assert (interval.low, interval.high) == pytest.approx(expected, abs=1e-12)


def test_poisson_interval_matches_table():
    # Exact 95% limits for 20 events: 12.22 and 30.89 (standard Poisson tables).
    interval = stats.poisson_rate(20, 10)
    assert interval.estimate == 2.0
    assert interval.low == pytest.approx(1.222, abs=1e-3)
    assert interval.high == pytest.approx(3.089, abs=1e-3)


def test_rate_ratio_and_conditional_binomial_test_by_hand():
    ratio = stats.rate_ratio(20, 10, 20, 5)
    se = math.sqrt(1 / 20 + 1 / 20)
    assert ratio.estimate == pytest.approx(2.0)
    assert (ratio.low, ratio.high) == pytest.approx((2 * math.exp(-Z * se), 2 * math.exp(Z * se)))

    p = 5 / 15

    def pmf(k: int) -> float:
        return math.comb(40, k) * p**k * (1 - p) ** (40 - k)

    observed = pmf(20)
    hand = sum(pmf(k) for k in range(41) if pmf(k) <= observed * (1 + 1e-7))
    assert stats.rate_test(20, 10, 20, 5).p_value == pytest.approx(hand, rel=1e-6)


def test_did_proportions_by_hand():
    estimate = (0.6 - 0.2) - (0.15 - 0.1)
    variance = 0.2 * 0.8 / 20 + 0.6 * 0.4 / 20 + 0.1 * 0.9 / 20 + 0.15 * 0.85 / 20
    se = math.sqrt(variance)
    interval, p = stats.did_proportions((4, 20, 12, 20), (2, 20, 3, 20))
    assert interval.estimate == pytest.approx(0.35)
    assert (interval.low, interval.high) == pytest.approx((0.35 - Z * se, 0.35 + Z * se))
    assert p == pytest.approx(normal_two_sided(estimate / se))


def test_did_rates_is_ratio_of_rate_ratios():
    interval, p = stats.did_rates((20, 10, 20, 5), (20, 10, 10, 5))
    assert interval.estimate == pytest.approx(2.0 / 1.0)
    se = math.sqrt(1 / 20 + 1 / 20 + 1 / 20 + 1 / 10)
    assert interval.low == pytest.approx(2 * math.exp(-Z * se))
    assert p == pytest.approx(normal_two_sided(math.log(2) / se))


def test_benjamini_hochberg_by_hand():
    adjusted = stats.benjamini_hochberg([0.01, 0.04, 0.03, math.nan, 0.5])
    # sorted: 0.01 (r1), 0.03 (r2), 0.04 (r3), 0.5 (r4); m = 4
    assert adjusted[0] == pytest.approx(0.04)
    assert adjusted[2] == pytest.approx(min(0.03 * 4 / 2, 0.04 * 4 / 3))
    assert adjusted[1] == pytest.approx(0.04 * 4 / 3)
    assert math.isnan(adjusted[3])
    assert adjusted[4] == pytest.approx(0.5)


def test_empty_groups_give_nan_not_errors():
    assert math.isnan(stats.wilson(0, 0).estimate)
    assert math.isnan(stats.two_proportion_test(0, 0, 1, 2).p_value)
    assert math.isnan(stats.rate_ratio(0, 10, 3, 5).estimate)
