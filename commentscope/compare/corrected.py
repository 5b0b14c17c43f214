"""Error-corrected prevalence: the machine labels of every comment plus the human labels of a sample.

The tagger's errors differ by language and can shift with the topic of the comments, so the share of
comments it *tags* hateful is not the share that *is* hateful. Within a cell ``c`` = (period,
language, machine says yes/no), the reviewed comments estimate ``pi_c``, the share a reviewer calls
positive. A group's corrected share is then the census mix of its comments over cells times those
shares::

    p_g = sum_c (N_gc / N_g) * pi_c

(post-stratification on the machine label, the "stratified estimator over machine-label strata").
Reviewed comments were drawn at random within sampling strata h = (period, language, primary machine
label) at different rates, so within a cell each reviewed comment weighs ``N_h / r_h`` (census count
over reviewed count of its stratum: the realised inverse inclusion probability, which also absorbs
rows a reviewer left empty) and ``pi_c`` is the weighted (Hajek) mean.

The uncertainty has two parts, both linearised per video (``cluster.Linear``): which comments happened
to be posted (the census part, clustered by video) and which were reviewed (the review part). Their
influences add, so differences and difference-in-differences that share cells or videos get their
covariances right.

Assumption: within a cell the tagger's error rate does not depend on the creator (reviews are pooled
across creators); it may differ by period and language, which is the point of correcting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from commentscope.compare.cluster import Linear, share

MIN_REVIEWED = 10  # per cell: fewer reviews than this (or than the cell's comments) -> refuse


@dataclass
class Units:
    """Comments aggregated by (video, creator, period, language, sampling stratum, machine flag).

    ``reviewed`` counts the comments of the unit that are in a recorded review sample and were
    reviewed; ``positive`` sums their human flag (averaged over reviewers when several labelled one).
    """

    cluster: np.ndarray  # int index of the video (or creator) cluster
    creator: np.ndarray
    period: np.ndarray
    language: np.ndarray
    stratum: np.ndarray
    flag: np.ndarray  # machine flag for the metric, 0 or 1
    n: np.ndarray
    reviewed: np.ndarray
    positive: np.ndarray
    n_clusters: int

    def mask(self, creators: list[str] | set[str], period: str) -> np.ndarray:
        return np.isin(self.creator, list(creators)) & (self.period == period)


@dataclass(frozen=True)
class Shortfall:
    """A cell with too few reviewed comments for a corrected figure."""

    period: str
    language: str
    machine_positive: bool
    reviewed: int
    needed: int
    comments: int


@dataclass(frozen=True)
class TaggerQuality:
    """Precision and recall of the tagger in one (period, language) stratum, estimated from the sample."""

    period: str
    language: str
    precision: float
    recall: float
    reviewed_positive: int  # reviewed comments the machine tagged
    reviewed_negative: int


def _keys(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    joined = np.array(["\x1f".join(map(str, row)) for row in zip(*columns, strict=True)], dtype=object)
    labels, index = np.unique(joined, return_inverse=True)
    return labels, index


class Corrector:
    """The cell shares ``pi_c`` of one metric, ready to correct any group and period."""

    def __init__(self, units: Units) -> None:
        self.u = units
        _, h = _keys(units.period, units.language, units.stratum)
        cell_labels, c = _keys(units.period, units.language, units.flag)
        self.cell_labels = [label.split("\x1f") for label in cell_labels]
        self.c = c
        n_h = np.bincount(h, units.n)
        r_h = np.bincount(h, units.reviewed)
        with np.errstate(divide="ignore", invalid="ignore"):
            w_h = np.where(r_h > 0, n_h / np.where(r_h > 0, r_h, 1), 0.0)
        self.w = w_h[h]  # weight of each reviewed comment of the unit
        k = len(cell_labels)
        self.cell_n = np.bincount(c, units.n, minlength=k)
        self.cell_reviewed = np.bincount(c, units.reviewed, minlength=k)
        self.W = np.bincount(c, self.w * units.reviewed, minlength=k)
        S = np.bincount(c, self.w * units.positive, minlength=k)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.pi = np.where(self.W > 0, S / np.where(self.W > 0, self.W, 1), np.nan)

    def shortfalls(self, mask: np.ndarray, minimum: int = MIN_REVIEWED) -> list[Shortfall]:
        """Cells this group's comments fall in that have fewer reviews than needed."""
        used = np.bincount(self.c, mask * self.u.n, minlength=len(self.cell_n)) > 0
        out = []
        for i in np.flatnonzero(used):
            needed = int(min(minimum, self.cell_n[i]))
            if self.cell_reviewed[i] < needed:
                period, language, flag = self.cell_labels[i]
                out.append(
                    Shortfall(period, language, flag == "1", int(self.cell_reviewed[i]), needed, int(self.cell_n[i]))
                )
        return out

    def corrected(self, mask: np.ndarray) -> Linear:
        """Corrected share of the comments in ``mask`` and its per-cluster influence."""
        u = self.u
        present = np.bincount(u.cluster, mask * u.n, minlength=u.n_clusters) > 0
        n_g = float(np.sum(mask * u.n))
        if n_g <= 0:
            return Linear(math.nan, np.zeros(u.n_clusters), present)
        a = np.bincount(self.c, mask * u.n, minlength=len(self.pi)) / n_g
        if np.any(np.isnan(self.pi[a > 0])):
            return Linear(math.nan, np.zeros(u.n_clusters), present)
        pi = np.nan_to_num(self.pi)
        p = float(np.sum(a * pi))
        census = np.bincount(u.cluster, mask * u.n * (pi[self.c] - p), minlength=u.n_clusters) / n_g
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(self.W > 0, a / np.where(self.W > 0, self.W, 1), 0.0)
        review_terms = scale[self.c] * self.w * (u.positive - pi[self.c] * u.reviewed)
        review = np.bincount(u.cluster, review_terms, minlength=u.n_clusters)
        reviewed_in = np.bincount(u.cluster, u.reviewed * (scale[self.c] > 0), minlength=u.n_clusters) > 0
        return Linear(p, census + review, present | reviewed_in)

    def raw(self, mask: np.ndarray) -> Linear:
        """The machine-label share of the same comments, with the same clusters."""
        u = self.u
        y = np.bincount(u.cluster, mask * u.n * u.flag, minlength=u.n_clusters)
        n = np.bincount(u.cluster, mask * u.n, minlength=u.n_clusters)
        return share(y, n)

    def quality(self) -> list[TaggerQuality]:
        """Precision P(human yes | machine yes) and recall P(machine yes | human yes) per period x language."""
        cells = {tuple(label): i for i, label in enumerate(self.cell_labels)}
        out = []
        for period, language in sorted({(p, lang) for p, lang, _ in self.cell_labels}):
            pos, neg = cells.get((period, language, "1")), cells.get((period, language, "0"))
            pi_pos = self.pi[pos] if pos is not None else math.nan
            pi_neg = self.pi[neg] if neg is not None else 0.0
            true_pos = (self.cell_n[pos] * pi_pos) if pos is not None else 0.0
            true_neg_side = (self.cell_n[neg] * pi_neg) if neg is not None else 0.0
            total_true = true_pos + true_neg_side
            recall = true_pos / total_true if total_true and not math.isnan(total_true) else math.nan
            out.append(
                TaggerQuality(
                    period,
                    language,
                    float(pi_pos),
                    float(recall),
                    int(self.cell_reviewed[pos]) if pos is not None else 0,
                    int(self.cell_reviewed[neg]) if neg is not None else 0,
                )
            )
        return out
