"""What the clustered, corrected and regression figures read from the lake, aggregated in DuckDB.

Nothing here is per comment in Python: counts come back per (cluster, creator, period, ...) cell, so
memory follows the number of videos and strata, not of comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from commentscope.compare.corrected import Units
from commentscope.compare.regression import Cells
from commentscope.export.agreement import human_flags, latest_per_annotator
from commentscope.export.sampling import sample_parts
from commentscope.lake import Lake
from commentscope.metrics import FLAG_SQL

CLUSTERS = {"video": "platform || ':' || video_id", "creator": "creator"}
_KEYS = {**CLUSTERS, "comment": "id"}  # "comment": the independent figures
STRATUM_SQL = (
    "CASE WHEN list_contains(labels, 'hate') THEN 'hate' WHEN list_contains(labels, 'insult') THEN 'insult' "
    "WHEN list_contains(labels, 'profanity') THEN 'profanity' WHEN list_contains(labels, 'threat') THEN 'threat' "
    "WHEN list_contains(labels, 'toxic') THEN 'toxic' WHEN counter_speech THEN 'counter_speech' "
    "WHEN supportive THEN 'supportive' ELSE 'none' END"
)  # the SQL twin of commentscope.export.selection.primary_label (a test keeps them equal)


@dataclass
class ReviewSet:
    """Reviews usable for correction: of comments drawn by a recorded random sample."""

    flags: dict[str, dict[str, float]]  # id -> flag -> mean over reviewers
    ad_hoc: int  # reviewed comments outside any recorded sample (left out: not a random draw)
    versions: set[str]  # tagger versions the reviewers saw


def review_set(lake: Lake) -> ReviewSet:
    sampled: set[str] = set()
    for part in sample_parts(lake):
        sampled.update(pq.read_table(part, columns=["id"]).column("id").to_pylist())
    sums: dict[str, dict[str, float]] = {}
    counts: dict[str, int] = {}
    versions: set[str] = set()
    outside: set[str] = set()
    for review in latest_per_annotator(lake):
        if review["id"] not in sampled:
            outside.add(review["id"])
            continue
        versions.add(review["tagger_version"])
        flags = human_flags(review)
        total = sums.setdefault(review["id"], dict.fromkeys(flags, 0.0))
        for key, value in flags.items():
            total[key] += value
        counts[review["id"]] = counts.get(review["id"], 0) + 1
    mean = {i: {k: v / counts[i] for k, v in f.items()} for i, f in sums.items()}
    return ReviewSet(mean, len(outside), versions)


def _codes(values: list, order: dict[str, int]) -> np.ndarray:
    return np.array([order.setdefault(v, len(order)) for v in values], dtype=int)


def units(
    con: duckdb.DuckDBPyConnection, where: str, params: list, metric: str, reviews: ReviewSet, cluster: str,
    order: dict[str, int],
) -> Units:  # fmt: skip
    """One metric's units; ``order`` maps cluster keys to indices and is shared across metrics."""
    table = pa.table(
        {
            "rid": list(reviews.flags),
            "h": [reviews.flags[i].get(metric, 0.0) for i in reviews.flags],
        },
        schema=pa.schema([("rid", pa.string()), ("h", pa.float64())]),
    )
    con = con.cursor()  # its own result set: the caller's connection may hold an unfinished one
    con.register("_reviews", table)
    sql = (
        f"SELECT {_KEYS[cluster]} AS k, creator, period, coalesce(language, 'und') AS lang, {STRATUM_SQL} AS s, "
        f"CAST({FLAG_SQL[metric]} AS INTEGER) AS f, count(*) AS n, count(rid) AS r, coalesce(sum(h), 0) AS pos "
        f"FROM comments LEFT JOIN _reviews ON id = rid WHERE {where} GROUP BY ALL ORDER BY ALL"
    )
    rows = con.execute(sql, params).fetchall()
    con.unregister("_reviews")
    cols: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [() for _ in range(9)]
    return Units(
        cluster=_codes(list(cols[0]), order),
        creator=np.array(cols[1], dtype=object), period=np.array(cols[2], dtype=object),
        language=np.array(cols[3], dtype=object), stratum=np.array(cols[4], dtype=object),
        flag=np.array(cols[5], dtype=int), n=np.array(cols[6], dtype=float),
        reviewed=np.array(cols[7], dtype=float), positive=np.array(cols[8], dtype=float),
        n_clusters=0,
    )  # fmt: skip


def cells(
    con: duckdb.DuckDBPyConnection, where: str, params: list, metric: str, cluster: str, treated: set[str],
    launch: date | None = None,
) -> Cells:  # fmt: skip
    """Regression cells per (creator, cluster, period) or, with ``launch``, per week relative to it."""
    time_sql = (
        "CAST(floor(date_diff('day', CAST(? AS DATE), CAST(created_at AS DATE)) / 7) AS INTEGER)"
        if launch
        else "CAST(period = 'after' AS INTEGER)"
    )
    sql = (
        f"SELECT creator, {CLUSTERS[cluster]} AS k, {time_sql} AS t, count(*) AS n, "
        f"count(*) FILTER (WHERE {FLAG_SQL[metric]}) AS y FROM comments WHERE {where} GROUP BY ALL ORDER BY ALL"
    )
    rows = con.cursor().execute(sql, ([launch] if launch else []) + params).fetchall()
    cols: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [() for _ in range(5)]
    creator = np.array(cols[0], dtype=object)
    return Cells(
        creator=creator, cluster=np.array(cols[1], dtype=object), time=np.array(cols[2], dtype=int),
        treated=np.isin(creator, list(treated)).astype(int), n=np.array(cols[3], dtype=float),
        y=np.array(cols[4], dtype=float),
    )  # fmt: skip
