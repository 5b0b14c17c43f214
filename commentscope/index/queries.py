"""The aggregations the dashboards and digests ask the index for, in one place.

They use only what Elasticsearch 8 and OpenSearch 2 share (``terms``, ``date_histogram`` with
``calendar_interval``, ``filter``), and the tests check every figure against the same count
computed from the lake with DuckDB.
"""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from commentscope.index.mapping import field_paths

MAX_BUCKETS = 1000


def _check_field(field: str) -> None:
    types = field_paths()
    if field not in types:
        raise ValueError(f"{field!r} is not a mapped field; see es_mappings/ (known: {', '.join(types)})")
    if types[field] in {"text", "object"}:
        raise ValueError(f"{field!r} is {types[field]}: aggregate on a keyword field (e.g. {field}.exact)")


def _query(filters: dict[str, Any] | None) -> dict[str, Any]:
    if not filters:
        return {"match_all": {}}
    clauses = []
    for field, value in filters.items():
        _check_field(field)
        values = value if isinstance(value, list | tuple | set) else [value]
        clauses.append({"terms": {field: list(values)}})
    return {"bool": {"filter": clauses}}


def counts_by(es: Elasticsearch, index: str, field: str, *, filters: dict[str, Any] | None = None) -> dict[str, int]:
    """Documents per value of ``field`` (for array fields such as labels: documents holding the value)."""
    _check_field(field)
    response = es.search(
        index=index,
        size=0,
        query=_query(filters),
        aggs={"by": {"terms": {"field": field, "size": MAX_BUCKETS}}},
    )
    return {_key(b): int(b["doc_count"]) for b in response["aggregations"]["by"]["buckets"]}


def counts_by_pair(
    es: Elasticsearch, index: str, outer: str, inner: str, *, filters: dict[str, Any] | None = None
) -> dict[tuple[str, str], int]:
    """Documents per (outer, inner) value pair, e.g. (creator, period) or (creator, label)."""
    _check_field(outer)
    _check_field(inner)
    response = es.search(
        index=index,
        size=0,
        query=_query(filters),
        aggs={
            "outer": {
                "terms": {"field": outer, "size": MAX_BUCKETS},
                "aggs": {"inner": {"terms": {"field": inner, "size": MAX_BUCKETS}}},
            }
        },
    )
    out: dict[tuple[str, str], int] = {}
    for bucket in response["aggregations"]["outer"]["buckets"]:
        for sub in bucket["inner"]["buckets"]:
            out[(_key(bucket), _key(sub))] = int(sub["doc_count"])
    return out


def weekly_counts(
    es: Elasticsearch, index: str, *, filters: dict[str, Any] | None = None, time_zone: str = "UTC"
) -> dict[str, int]:
    """Comments per calendar week (Monday start) of ``created_at``, keyed by the week's first day."""
    response = es.search(
        index=index,
        size=0,
        query=_query(filters),
        aggs={
            "weeks": {
                "date_histogram": {
                    "field": "created_at",
                    "calendar_interval": "week",
                    "time_zone": time_zone,
                    "min_doc_count": 1,
                    "format": "yyyy-MM-dd",
                }
            }
        },
    )
    return {b["key_as_string"]: int(b["doc_count"]) for b in response["aggregations"]["weeks"]["buckets"]}


def _key(bucket: dict[str, Any]) -> str:
    """Bucket keys as strings (booleans come back as 0/1 with ``key_as_string`` true/false)."""
    return str(bucket.get("key_as_string", bucket["key"]))
