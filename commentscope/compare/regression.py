"""Difference-in-differences as a regression, and a weekly event study, with cluster-robust errors.

The model is a linear probability model on comments: flag ~ creator fixed effects + after +
after x treated (DiD), or creator fixed effects + week effects + treated x week (event study, the
week before the launch as reference). Its regressors are constant within (creator, cluster, period
or week) cells, so least squares on cell means weighted by cell sizes gives exactly the
comment-level coefficients and cluster scores; only the small-sample factor needs the comment count,
which is applied here (CR1: ``G/(G-1) * (N-1)/(N-K)``, as statsmodels does on comment-level data).
Fitting cells keeps memory small on millions of comments. Intervals use t(G-1): with a few dozen
creators or videos the normal approximation is too optimistic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from scipy import stats as sps

from commentscope.compare.stats import Interval


@dataclass(frozen=True)
class Cells:
    """Comment counts per (creator, cluster, time) cell; ``time`` is 0/1 (after) or a week index."""

    creator: np.ndarray
    cluster: np.ndarray
    time: np.ndarray
    treated: np.ndarray  # 0/1
    n: np.ndarray
    y: np.ndarray  # flagged comments in the cell


@dataclass(frozen=True)
class Coefficient:
    name: str
    interval: Interval
    p_value: float
    clusters: int


def _fit(cells: Cells, columns: dict[str, np.ndarray]) -> dict[str, Coefficient]:
    keep = cells.n > 0
    creators = np.unique(cells.creator[keep])
    names = list(columns)
    design = [columns[c][keep].astype(float) for c in names]
    design += [(cells.creator[keep] == c).astype(float) for c in creators]  # creator fixed effects, no constant
    x = np.column_stack(design)
    n = cells.n[keep].astype(float)
    fit = sm.WLS(cells.y[keep] / n, x, weights=n).fit(
        cov_type="cluster", cov_kwds={"groups": _codes(cells.cluster[keep]), "use_correction": False}
    )
    g = len(np.unique(cells.cluster[keep]))
    total, k = float(n.sum()), x.shape[1]
    if g < 2 or total <= k:
        return {}
    scale = g / (g - 1) * (total - 1) / (total - k)
    crit = float(sps.t.ppf(0.975, g - 1))
    out = {}
    for i, name in enumerate(names):
        est = float(fit.params[i])
        var = float(fit.cov_params()[i, i]) * scale
        if not var > 0:  # a collinear or empty column: no interval rather than a made-up one
            continue
        se = math.sqrt(var)
        p = float(2 * sps.t.sf(abs(est) / se, g - 1))
        out[name] = Coefficient(name, Interval(est, est - crit * se, est + crit * se), p, g)
    return out


def _codes(values: np.ndarray) -> np.ndarray:
    return np.unique(values, return_inverse=True)[1]


def did(cells: Cells) -> Coefficient | None:
    """The after x treated coefficient with creator fixed effects (None without controls or clusters)."""
    if len(np.unique(cells.treated[cells.n > 0])) < 2:
        return None
    after = (cells.time == 1).astype(float)
    fit = _fit(cells, {"after": after, "after_x_treated": after * cells.treated})
    return fit.get("after_x_treated")


def event_study(cells: Cells, reference: int = -1) -> list[tuple[int, Coefficient]]:
    """Per week relative to the launch: treated minus control change since the reference week.

    Without control creators there is nothing to difference against: the coefficients are then the
    treated creators' own change since the reference week (a trend, not a causal contrast).
    """
    controls = len(np.unique(cells.treated[cells.n > 0])) > 1
    arms = [set(cells.time[(cells.n > 0) & (cells.treated == t)].tolist()) for t in ((0, 1) if controls else (1,))]
    both = set.intersection(*arms)  # a week only one arm has says nothing about the difference
    weeks = sorted(int(w) for w in both if int(w) != reference)
    if not weeks or reference not in both:
        return []
    keep = np.isin(cells.time, [*weeks, reference])
    cells = Cells(*(getattr(cells, f)[keep] for f in ("creator", "cluster", "time", "treated", "n", "y")))
    columns: dict[str, np.ndarray] = {}
    for w in weeks:
        in_week = (cells.time == w).astype(float)
        if controls:
            columns[f"week{w}"] = in_week
            columns[f"treated_week{w}"] = in_week * cells.treated
        else:
            columns[f"treated_week{w}"] = in_week
    fit = _fit(cells, columns)
    return [(w, fit[f"treated_week{w}"]) for w in weeks if f"treated_week{w}" in fit]
