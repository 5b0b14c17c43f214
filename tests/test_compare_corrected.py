"""Error-corrected prevalence on simulated campaigns whose true labels are known.

The tagger's recall is 0.4 before the launch and 0.7 after; true hate falls from 10 % to 8 %. Raw
(machine-label) shares then show a *rise*; the corrected before/after difference must cover the true
-2 pp in at least 90 % of 200 seeded simulations. Videos carry their own hate rate (pile-ons), so the
comments are clustered.
"""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from commentscope.compare import cluster
from commentscope.compare.corrected import Corrector, Units

TRUE = {"before": 0.10, "after": 0.08}
RECALL = {"before": 0.4, "after": 0.7}
FALSE_POSITIVE = 0.02


def simulate(seed: int, videos: int = 30, per_video: int = 50, review_per_stratum: int = 40, kappa: float = 15.0):
    """One campaign: comment-level arrays (video, period, truth, machine flag, reviewed)."""
    rng = np.random.default_rng(seed)
    rows = []
    for v in range(videos):
        for period in ("before", "after"):
            mu = TRUE[period]
            p_video = rng.beta(kappa * mu, kappa * (1 - mu))
            n = rng.poisson(per_video) + 1
            truth = rng.random(n) < p_video
            machine = np.where(truth, rng.random(n) < RECALL[period], rng.random(n) < FALSE_POSITIVE)
            rows += [(v, period, int(t), int(m)) for t, m in zip(truth, machine, strict=True)]
    video = np.array([r[0] for r in rows])
    period = np.array([r[1] for r in rows], dtype=object)
    truth = np.array([r[2] for r in rows])
    machine = np.array([r[3] for r in rows])
    reviewed = np.zeros(len(rows), dtype=bool)
    for p in ("before", "after"):  # stratified sample: period x machine label, equal sizes (rare stratum covered)
        for m in (0, 1):
            idx = np.flatnonzero((period == p) & (machine == m))
            reviewed[rng.choice(idx, size=min(review_per_stratum, len(idx)), replace=False)] = True
    return video, period, truth, machine, reviewed


def units_from(video, period, truth, machine, reviewed, n_clusters: int) -> Units:
    """Aggregate comments into (video, period, flag) units, as the lake query does."""
    after = (period == "after").astype(int)
    code = (video * 2 + after) * 2 + machine
    keys, index = np.unique(code, return_inverse=True)
    flag = keys % 2
    n = np.bincount(index).astype(float)
    return Units(
        cluster=keys // 4, creator=np.full(len(keys), "a", dtype=object),
        period=np.where((keys // 2) % 2 == 1, "after", "before").astype(object),
        language=np.full(len(keys), "th", dtype=object),
        stratum=np.where(flag == 1, "hate", "none").astype(object), flag=flag, n=n,
        reviewed=np.bincount(index, reviewed.astype(float)),
        positive=np.bincount(index, (reviewed & (truth == 1)) * 1.0),
        n_clusters=n_clusters,
    )  # fmt: skip


def _diff(corrector: Corrector, units: Units, raw: bool = False) -> cluster.Linear:
    pick = corrector.raw if raw else corrector.corrected
    return pick(units.mask({"a"}, "after")) - pick(units.mask({"a"}, "before"))


def test_corrected_difference_covers_the_truth_raw_does_not():
    truth = TRUE["after"] - TRUE["before"]
    covered = raw_covered = 0
    raw_estimates, corrected_estimates = [], []
    draws = 200
    for seed in range(draws):
        video, period, t, m, r = simulate(seed)
        units = units_from(video, period, t, m, r, n_clusters=30)
        corrector = Corrector(units)
        corrected, _ = cluster.wald(_diff(corrector, units))
        raw, _ = cluster.wald(_diff(corrector, units, raw=True))
        covered += corrected.low <= truth <= corrected.high
        raw_covered += raw.low <= truth <= raw.high
        raw_estimates.append(raw.estimate)
        corrected_estimates.append(corrected.estimate)
    assert covered / draws >= 0.90, covered
    assert raw_covered / draws < 0.5, raw_covered  # the raw difference points the wrong way
    assert np.mean(raw_estimates) > 0.01  # raw shows a rise of ~+1.6 pp where hate fell 2 pp
    assert np.mean(corrected_estimates) == pytest.approx(truth, abs=0.004)  # unbiased to within 0.4 pp


def test_full_review_that_agrees_with_the_machine_gives_the_raw_figures():
    video, period, t, m, _ = simulate(1)
    units = units_from(video, period, m, m, np.ones(len(m), dtype=bool), n_clusters=30)  # human == machine
    corrector = Corrector(units)
    mask = units.mask({"a"}, "before")
    corrected, raw = corrector.corrected(mask), corrector.raw(mask)
    assert corrected.estimate == pytest.approx(raw.estimate)
    assert corrected.variance == pytest.approx(raw.variance)


def test_linearised_variance_matches_the_delete_one_video_jackknife():
    """A reference computed a different way: re-run the point estimator without each video."""
    video, period, t, m, r = simulate(7)
    units = units_from(video, period, t, m, r, n_clusters=30)
    linear = _diff(Corrector(units), units)
    leave_out = []
    for v in range(30):
        keep = video != v
        sub = units_from(video[keep], period[keep], t[keep], m[keep], r[keep], n_clusters=30)
        leave_out.append(_diff(Corrector(sub), sub).estimate)
    leave_out = np.array(leave_out)
    jackknife = (len(leave_out) - 1) / len(leave_out) * np.sum((leave_out - leave_out.mean()) ** 2)
    assert linear.variance == pytest.approx(jackknife, rel=0.25)


def test_raw_clustered_share_and_difference_match_statsmodels_cluster_robust_ols():
    video, period, _, m, _ = simulate(3)
    after = (period == "after").astype(float)
    fit = sm.OLS(m.astype(float), sm.add_constant(after)).fit(cov_type="cluster", cov_kwds={"groups": video})
    units = units_from(video, period, m, m, np.zeros(len(m), dtype=bool), n_clusters=30)
    corrector = Corrector(units)
    diff = _diff(corrector, units, raw=True)
    n, k = len(m), 2
    assert diff.estimate == pytest.approx(fit.params[1])
    # statsmodels' CR1 also multiplies by (N-1)/(N-K); ours is the ratio estimator's G/(G-1) alone
    assert diff.variance * (n - 1) / (n - k) == pytest.approx(fit.bse[1] ** 2, rel=1e-9)
    level = corrector.raw(units.mask({"a"}, "before"))
    before = (period == "before").astype(float)
    fit0 = sm.OLS(m[before == 1].astype(float), np.ones(int(before.sum()))).fit(
        cov_type="cluster", cov_kwds={"groups": video[before == 1]}
    )
    assert level.estimate == pytest.approx(fit0.params[0])
    assert level.variance == pytest.approx(fit0.bse[0] ** 2, rel=1e-9)


def test_clustered_intervals_are_wider_and_keep_nominal_coverage():
    """Same clustered data, two intervals: the independent Wilson one under-covers, the clustered one does not."""
    draws, truth = 200, TRUE["before"]
    clustered_cover = independent_cover = 0
    widths = []
    for seed in range(draws):
        video, period, t, _, _ = simulate(1000 + seed, kappa=5.0)
        keep = period == "before"
        y = np.bincount(video[keep], t[keep], minlength=30)
        n = np.bincount(video[keep], minlength=30).astype(float)
        est = cluster.share(y, n)
        clustered = cluster.level_interval(est, n.sum())
        independent = cluster._wilson_float(est.estimate, n.sum(), 1.959963984540054)
        clustered_cover += clustered.low <= truth <= clustered.high
        independent_cover += independent.low <= truth <= independent.high
        widths.append((clustered.high - clustered.low) / (independent.high - independent.low))
    assert min(widths) >= 1.0 and np.median(widths) > 1.5
    assert clustered_cover / draws >= 0.90, clustered_cover
    assert independent_cover / draws < 0.80, independent_cover


def test_tagger_quality_recovers_the_simulated_recall():
    video, period, t, m, r = simulate(11, videos=60, review_per_stratum=150)
    quality = {q.period: q for q in Corrector(units_from(video, period, t, m, r, n_clusters=60)).quality()}
    assert quality["before"].recall == pytest.approx(0.4, abs=0.1)
    assert quality["after"].recall == pytest.approx(0.7, abs=0.1)
    assert quality["before"].precision > 0.6  # 2 % false positives on 90 % negatives vs 4 % true positives


def test_shortfalls_name_the_cell_and_how_many():
    video, period, t, m, r = simulate(5, review_per_stratum=3)
    units = units_from(video, period, t, m, r, n_clusters=30)
    short = Corrector(units).shortfalls(units.mask({"a"}, "before"), minimum=10)
    assert {(s.period, s.machine_positive, s.reviewed, s.needed) for s in short} == {
        ("before", True, 3, 10),
        ("before", False, 3, 10),
    }
