"""Comment-health metrics over the enriched lake, one SQL definition shared by every output.

The demo summary, the weekly digest, the before/after comparison and the tests that check the
search-engine aggregations all count with ``FLAG_SQL``, so a "hate rate" means the same thing
everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from commentscope.schema import LABELS, TARGETS

# name -> boolean SQL expression over one row of the ``comments`` view
FLAG_SQL: dict[str, str] = {
    **{label: f"list_contains(labels, '{label}')" for label in LABELS},
    "counter_speech": "counter_speech",
    "supportive": "supportive",
    **{f"hate_{t}": f"(list_contains(labels, 'hate') AND list_contains(targets, '{t}'))" for t in TARGETS},
}
GROUPABLE = ("campaign", "creator", "country", "language", "period", "platform", "video_id", "campaign_video")


@dataclass(frozen=True)
class GroupCounts:
    """Counts of one group: ``n`` comments and how many carry each flag."""

    key: tuple
    n: int
    counts: dict[str, int]

    def rate(self, flag: str) -> float:
        return self.counts[flag] / self.n if self.n else 0.0


def group_counts(
    con: duckdb.DuckDBPyConnection,
    by: list[str] | tuple[str, ...],
    where: str = "TRUE",
    params: list | None = None,
    flags: list[str] | None = None,
) -> list[GroupCounts]:
    """Comment counts and flag counts per group of ``by`` columns (from ``GROUPABLE``)."""
    for column in by:
        if column not in GROUPABLE:
            raise ValueError(f"cannot group by {column!r}: use one of {', '.join(GROUPABLE)}")
    flags = flags or list(FLAG_SQL)
    select_keys = ", ".join(by) if by else "'all' AS _all"
    sums = ", ".join(f'count(*) FILTER (WHERE {FLAG_SQL[f]}) AS "{f}"' for f in flags)
    group = f"GROUP BY {', '.join(by)} ORDER BY {', '.join(by)}" if by else ""
    sql = f"SELECT {select_keys}, count(*) AS n, {sums} FROM comments WHERE {where} {group}"
    rows = con.execute(sql, params or []).fetchall()
    width = max(len(by), 1)
    out = []
    for row in rows:
        key = tuple(row[:width]) if by else ()
        n = row[width]
        counts = dict(zip(flags, row[width + 1 :], strict=True))
        if n:
            out.append(GroupCounts(key=key, n=n, counts=counts))
    return out


def label_counts(con: duckdb.DuckDBPyConnection, column: str, where: str = "TRUE", params: list | None = None):
    """How often each value of a list column (labels, targets, evidence_terms) occurs."""
    if column not in {"labels", "targets", "evidence_terms", "languages", "tokens"}:
        raise ValueError(f"{column!r} is not a list column")
    sql = (
        f"SELECT value, count(*) FROM (SELECT unnest({column}) AS value FROM comments WHERE {where}) "
        "GROUP BY value ORDER BY count(*) DESC, value"
    )
    return con.execute(sql, params or []).fetchall()
