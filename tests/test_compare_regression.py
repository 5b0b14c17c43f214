"""DiD regression and event study: fitting cells must equal the comment-level regression exactly."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from commentscope.compare.regression import Cells, did, event_study


def panel(seed: int, effect: float = -0.05, pretrend: float = 0.0):
    """Comment-level data: 8 treated + 6 control creators, 3 videos each, weeks -3..2 around the launch."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(14):
        treated = int(c < 8)
        base = 0.15 + 0.05 * rng.standard_normal()
        for v in range(3):
            bump = 0.04 * rng.standard_normal()
            for week in range(-3, 3):
                after = int(week >= 0)
                p = base + bump + treated * (effect * after + pretrend * week)
                n = rng.poisson(80) + 1
                for flag in rng.random(n) < min(max(p, 0.0), 1.0):
                    rows.append((f"c{c}", f"c{c}v{v}", week, treated, int(flag)))
    cols = list(zip(*rows, strict=True))
    return tuple(np.array(c) for c in cols)


def cells_of(creator, video, time, treated, flag) -> Cells:
    keys: dict[tuple, list[int]] = {}
    for c, v, t, tr, f in zip(creator, video, time, treated, flag, strict=True):
        cell = keys.setdefault((c, v, int(t), int(tr)), [0, 0])
        cell[0] += 1
        cell[1] += int(f)
    items = list(keys.items())
    return Cells(
        creator=np.array([k[0] for k, _ in items], dtype=object),
        cluster=np.array([k[1] for k, _ in items], dtype=object),
        time=np.array([k[2] for k, _ in items]),
        treated=np.array([k[3] for k, _ in items]),
        n=np.array([x[0] for _, x in items], dtype=float),
        y=np.array([x[1] for _, x in items], dtype=float),
    )


def test_did_on_cells_equals_comment_level_ols_with_cluster_robust_errors():
    creator, video, week, treated, flag = panel(0)
    after = (week >= 0).astype(float)
    dummies = np.column_stack([(creator == c).astype(float) for c in np.unique(creator)])
    x = np.column_stack([after, after * treated, dummies])
    groups = np.unique(video, return_inverse=True)[1]
    reference = sm.OLS(flag.astype(float), x).fit(cov_type="cluster", cov_kwds={"groups": groups})
    got = did(cells_of(creator, video, after.astype(int), treated, flag))
    se = (got.interval.high - got.interval.estimate) / stats.t.ppf(0.975, 41)  # t(G-1), 42 videos
    assert got.interval.estimate == pytest.approx(reference.params[1], abs=1e-12)
    assert se == pytest.approx(reference.bse[1], rel=1e-9)
    assert got.clusters == 42


def test_did_recovers_a_simulated_effect_and_event_study_shows_pre_trends():
    creator, video, week, treated, flag = panel(1, effect=-0.08)
    got = did(cells_of(creator, video, (week >= 0).astype(int), treated, flag))
    assert got.interval.low <= -0.08 <= got.interval.high and got.interval.high < 0
    flat = dict(event_study(cells_of(creator, video, week, treated, flag)))
    assert sorted(flat) == [-3, -2, 0, 1, 2]
    assert all(abs(flat[w].interval.estimate) < 0.045 for w in (-3, -2))  # no pre-trend simulated
    creator, video, week, treated, flag = panel(2, effect=0.0, pretrend=0.04)
    trending = dict(event_study(cells_of(creator, video, week, treated, flag)))
    # treated rose 4 pp a week before the launch: week -3 sits ~8 pp below week -1, and the interval says so
    assert trending[-3].interval.estimate < -0.045 and trending[-3].interval.high < 0


def test_without_controls_did_is_none_and_event_study_is_a_trend():
    creator, video, week, treated, flag = panel(3)
    only = treated == 1
    cells = cells_of(creator[only], video[only], week[only], treated[only], flag[only])
    assert did(cells) is None
    trend = dict(event_study(cells))
    assert sorted(trend) == [-3, -2, 0, 1, 2]
