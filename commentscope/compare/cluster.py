"""Cluster-robust (linearised, "sandwich") uncertainty for shares of comments.

Comments under one video are not independent draws: a pile-on puts many hateful replies under one
video, so a share computed over all comments varies more than a binomial count says. Every estimate
here is a ratio of sums over clusters (videos by default), and its variance is the CR1 sandwich
variance of that ratio: ``G/(G-1) * sum_j z_j**2`` where ``z_j`` is cluster j's influence on the
estimate. It is what a linear regression with cluster-robust errors gives (statsmodels
``cov_type="cluster"``; the tests check that), and influences add up, so the variance of a
difference or a difference-in-differences that shares clusters (a video with comments before and
after the launch) comes from the difference of the influences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

from commentscope.compare.stats import Z95, Interval, TestResult


@dataclass(frozen=True)
class Linear:
    """An estimate and each cluster's influence on it (one array entry per cluster of the campaign)."""

    estimate: float
    influence: np.ndarray
    present: np.ndarray  # clusters with comments in the estimate (they set the degrees of freedom)

    def __sub__(self, other: Linear) -> Linear:
        return Linear(self.estimate - other.estimate, self.influence - other.influence, self.present | other.present)

    def __add__(self, other: Linear) -> Linear:
        return Linear(self.estimate + other.estimate, self.influence + other.influence, self.present | other.present)

    @property
    def clusters(self) -> int:
        return int(np.count_nonzero(self.present))

    @property
    def variance(self) -> float:
        return cr1_variance(self.influence, self.clusters)


def cr1_variance(influence: np.ndarray, clusters: int) -> float:
    """``G/(G-1) * sum z_j**2`` (the CR1 small-sample factor); undefined with fewer than 2 clusters."""
    if clusters < 2:
        return math.nan
    return float(clusters / (clusters - 1) * np.sum(influence**2))


def share(y: np.ndarray, n: np.ndarray) -> Linear:
    """``sum(y)/sum(n)`` from per-cluster sums, with influences ``(y_j - p n_j) / N``."""
    total = float(np.sum(n))
    present = np.asarray(n) > 0
    if total <= 0:
        return Linear(math.nan, np.zeros(len(n)), present)
    p = float(np.sum(y)) / total
    return Linear(p, (y - p * n) / total, present)


def level_interval(est: Linear, n: float, z: float = Z95) -> Interval:
    """Wilson interval at the effective sample size ``p(1-p)/var`` (never more than ``n``).

    With independent comments this is the plain Wilson interval; clustering shrinks the effective
    size, so the interval widens by the design effect (Korn & Graubard's approach for surveys). A
    share of exactly 0 or 1 has no cluster variance: the plain Wilson interval at ``n`` is used.
    """
    p, var = est.estimate, est.variance
    if math.isnan(p) or n <= 0:
        return Interval(math.nan, math.nan, math.nan)
    n_eff = n if (math.isnan(var) or var <= 0 or p in (0.0, 1.0)) else min(n, p * (1 - p) / var)
    return _wilson_float(p, n_eff, z)


def _wilson_float(p: float, n: float, z: float) -> Interval:
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(max(p * (1 - p), 0.0) / n + z * z / (4 * n * n)) / denom
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def wald(est: Linear) -> tuple[Interval, TestResult]:
    """Interval and two-sided test from the CR1 variance, with t(G-1) critical values (few clusters)."""
    var = est.variance
    if math.isnan(est.estimate) or math.isnan(var):
        return Interval(est.estimate, math.nan, math.nan), TestResult(math.nan, "n/a")
    df = max(est.clusters - 1, 1)
    se = math.sqrt(var)
    crit = float(sps.t.ppf(0.975, df))
    if se == 0:
        return Interval(est.estimate, est.estimate, est.estimate), TestResult(math.nan, "n/a")
    p_value = float(2 * sps.t.sf(abs(est.estimate) / se, df))
    return Interval(est.estimate, est.estimate - crit * se, est.estimate + crit * se), TestResult(
        p_value, f"cluster-t({df})"
    )
