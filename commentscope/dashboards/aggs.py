"""The search request behind a panel, as Kibana's Lens builds it, and its answer as flat rows.

Used to run a panel's aggregation on a real search engine node (the tests compare the rows with
figures from the lake) and to render the before/after preview in docs/. Lens's "auto" date
interval depends on the time picker; here the interval is explicit (default one week, UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from commentscope.dashboards import kql
from commentscope.dashboards.spec import Bucket, Metric, Panel

COUNT = "_count"


def _bucket_agg(bucket: Bucket, interval: str) -> dict[str, Any]:
    if bucket.kind == "date_histogram":
        return {
            "date_histogram": {
                "field": bucket.field,
                "calendar_interval": interval,
                "time_zone": "UTC",
                "min_doc_count": 1,
            }
        }
    if bucket.rank == "significant":
        return {"significant_terms": {"field": bucket.field, "size": bucket.size}}
    terms: dict[str, Any] = {
        "field": bucket.field,
        "size": bucket.size,
        "order": {"_key": "asc"} if bucket.rank == "alphabetical" else {"_count": "desc"},
    }
    if bucket.include:
        terms["include"] = list(bucket.include)
    return {"terms": terms}


def _metric_aggs(panel: Panel, metrics: dict[str, Metric]) -> dict[str, Any]:
    return {name: {"filter": kql.to_dsl(metrics[name].kql)} for name in panel.metrics if metrics[name].kql}


def panel_request(
    panel: Panel, metrics: dict[str, Metric], filters: list[str] | None = None, interval: str = "week"
) -> dict[str, Any]:
    """The search body (size 0) for ``panel``; ``filters`` are extra KQL (dashboard query, controls)."""
    clauses = [kql.to_dsl(text) for text in [panel.query, *(filters or [])] if text]
    aggs = _metric_aggs(panel, metrics)
    for level in reversed(range(len(panel.buckets))):
        agg = _bucket_agg(panel.buckets[level], interval)
        if aggs:
            agg["aggs"] = aggs
        aggs = {f"b{level}": agg}
    return {"size": 0, "track_total_hits": True, "query": {"bool": {"filter": clauses}}, "aggs": aggs}


def _key(bucket: dict[str, Any], kind: str) -> Any:
    if kind == "date_histogram":
        return datetime.fromtimestamp(bucket["key"] / 1000, tz=UTC).date().isoformat()
    return bucket.get("key_as_string", bucket["key"])


def _values(node: dict[str, Any], panel: Panel, metrics: dict[str, Metric], doc_count: int) -> dict[str, Any]:
    values: dict[str, Any] = {COUNT: doc_count}
    for name in panel.metrics:
        metric = metrics[name]
        matching = node[name]["doc_count"] if metric.kql else doc_count
        values[name] = (matching / doc_count if doc_count else 0.0) if metric.rate else matching
    if "score" in node:
        values["_score"] = node["score"]
        values["_bg_count"] = node["bg_count"]
    return values


def panel_rows(panel: Panel, metrics: dict[str, Metric], response: dict[str, Any]) -> dict[tuple, dict[str, Any]]:
    """``{(bucket key, ...): {"_count": n, metric: value, ...}}`` for every innermost bucket."""
    rows: dict[tuple, dict[str, Any]] = {}
    buckets = panel.buckets
    body = response.body if hasattr(response, "body") else response

    def walk(node: dict[str, Any], level: int, key: tuple) -> None:
        if level == len(buckets):
            rows[key] = _values(node, panel, metrics, node.get("doc_count", 0))
            return
        for bucket in node[f"b{level}"]["buckets"]:
            walk(bucket, level + 1, (*key, _key(bucket, buckets[level].kind)))

    top = dict(body["aggregations"])
    top["doc_count"] = body["hits"]["total"]["value"]
    walk(top, 0, ())
    return rows
