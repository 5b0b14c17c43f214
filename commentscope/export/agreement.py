"""Agreement between reviewers on comments two or more of them labelled: Krippendorff's alpha per label.

Alpha (nominal, from the ``krippendorff`` package) corrects raw agreement for the agreement two
reviewers would reach by chance given how often each label is used, and copes with reviewers who did
not label every comment. Each reviewer's latest review of a comment counts; every review stays stored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import krippendorff
import numpy as np

from commentscope.export.human_labels import label_parts
from commentscope.lake import Lake
from commentscope.schema import LABELS, TARGETS


@dataclass(frozen=True)
class Agreement:
    label: str
    alpha: float  # nan when there is no variation to agree on
    comments: int  # comments labelled by two reviewers or more
    positive: int  # reviews that gave the label


def latest_per_annotator(lake: Lake) -> list[dict]:
    """Each reviewer's latest review of each comment."""
    parts = label_parts(lake)
    if not parts:
        return []
    sql = (
        "SELECT * EXCLUDE (rn) FROM (SELECT *, row_number() OVER (PARTITION BY id, annotator_key "
        "ORDER BY labelled_at DESC, imported_at DESC) AS rn FROM read_parquet(?)) WHERE rn = 1 ORDER BY id"
    )
    cursor = duckdb.connect().execute(sql, [[str(p) for p in parts]])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def human_flags(review: dict) -> dict[str, int]:
    """The figures' flags from one review (a reviewer's hate, insult, profanity or threat is also toxic)."""
    labels = set(review.get("human_labels") or [])
    targets = set(review.get("human_targets") or [])
    flags = {label: int(label in labels) for label in LABELS}
    flags["toxic"] = int(bool(labels))
    flags["counter_speech"] = int(bool(review.get("human_counter_speech")))
    flags["supportive"] = int(bool(review.get("human_supportive")))
    flags.update({f"hate_{t}": int("hate" in labels and t in targets) for t in TARGETS})
    return flags


def agreement(lake: Lake) -> list[Agreement]:
    """Alpha per flag over the comments with two or more reviewers (empty if there are none)."""
    reviews = latest_per_annotator(lake)
    by_id: dict[str, dict[str, dict[str, int]]] = {}
    for review in reviews:
        by_id.setdefault(review["id"], {})[review["annotator_key"]] = human_flags(review)
    shared = {i: r for i, r in by_id.items() if len(r) >= 2}
    if not shared:
        return []
    annotators = sorted({a for r in shared.values() for a in r})
    ids = sorted(shared)
    out = []
    for flag in human_flags({}):
        matrix = np.full((len(annotators), len(ids)), np.nan)
        for j, comment in enumerate(ids):
            for annotator, flags in shared[comment].items():
                matrix[annotators.index(annotator), j] = flags[flag]
        values = matrix[~np.isnan(matrix)]
        alpha = math.nan
        if len(np.unique(values)) > 1:
            alpha = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
        out.append(Agreement(flag, alpha, len(ids), int(values.sum())))
    return out
