"""The aggregation behind each key panel, run on the real search engine node, equals the lake's figures.

The demo lake is indexed into the session's OpenSearch node with the project's indexer. Each key
panel's request is built from the spec exactly as the dashboards use it (buckets, KQL, rates);
the expected figures are computed independently from the enriched lake with DuckDB and the shared
``commentscope.metrics.FLAG_SQL`` definitions, so a panel whose KQL or bucket drifts from what the
comparison and the digest count fails here.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from commentscope.dashboards import kql
from commentscope.dashboards.aggs import COUNT, panel_request, panel_rows
from commentscope.dashboards.preview import grouped_rows, render_before_after
from commentscope.dashboards.spec import Bucket, Panel, Spec, load_spec
from commentscope.index import index_lake
from commentscope.index.bulk import RetryPolicy
from commentscope.metrics import FLAG_SQL

pytestmark = pytest.mark.engine

ALIAS = "dashcheck"
LIST_FIELDS = {"labels", "targets", "evidence_terms", "languages", "tokens"}
BOOL_FIELDS = {"counter_speech", "supportive", "campaign_video", "code_mixed"}
SPEC = load_spec()
KEY_PANELS = [p for _, p in SPEC.panels() if p.key]
SIGNIFICANT = [p for p in KEY_PANELS if any(b.rank == "significant" for b in p.buckets)]
ORDINARY = [p for p in KEY_PANELS if p not in SIGNIFICANT]


@pytest.fixture(scope="module")
def indexed(engine_node, demo_lake):
    es = engine_node.client()
    result = index_lake(es, demo_lake, prefix=ALIAS, chunk_size=500, policy=RetryPolicy(attempts=3))
    assert result.ok, result
    es.indices.refresh(index=ALIAS)
    yield es
    es.close()


@pytest.fixture(scope="module")
def lake_con(demo_lake):
    con = demo_lake.connect()
    yield con
    con.close()


def _key_sql(bucket: Bucket, index: int) -> tuple[str, str | None]:
    """(select expression, lateral unnest clause or None) for one bucket over the comments view."""
    name = f"k{index}"
    if bucket.kind == "date_histogram":
        return f"strftime(date_trunc('week', timezone('UTC', {bucket.field})), '%Y-%m-%d')", None
    if bucket.field in LIST_FIELDS:
        return name, f"CROSS JOIN LATERAL (SELECT unnest(list_distinct({bucket.field})) AS {name})"
    if bucket.field in BOOL_FIELDS:
        return f"CASE WHEN {bucket.field} THEN 'true' ELSE 'false' END", None
    return f"CAST({bucket.field} AS VARCHAR)", None


def _metric_sql(spec: Spec, name: str) -> str:
    metric = spec.metrics[name]
    if metric.rate:
        assert metric.flag in FLAG_SQL, f"rate {name} must name a FLAG_SQL entry in flag:"
        return f"count(*) FILTER (WHERE {FLAG_SQL[metric.flag]}) / count(*)"
    if metric.filter:
        return f"count(*) FILTER (WHERE {kql.to_sql(metric.filter, LIST_FIELDS, BOOL_FIELDS)})"
    return "count(*)"


def lake_rows(con, spec: Spec, panel: Panel) -> dict[tuple, dict]:
    keys, joins, conditions = [], [], [kql.to_sql(panel.query, LIST_FIELDS, BOOL_FIELDS)]
    for index, bucket in enumerate(panel.buckets):
        expression, join = _key_sql(bucket, index)
        keys.append(expression)
        if join:
            joins.append(join)
        if bucket.include:
            conditions.append(f"{expression} IN ({', '.join(kql._literal(v) for v in bucket.include)})")
    metrics = [_metric_sql(spec, name) for name in panel.metrics]
    group = f"GROUP BY {', '.join(keys)}" if keys else ""
    select = ", ".join([*keys, "count(*)", *metrics])
    sql = f"SELECT {select} FROM comments {' '.join(joins)} WHERE {' AND '.join(conditions)} {group}"
    rows = {}
    for row in con.execute(sql).fetchall():
        key = tuple(row[: len(keys)])
        values = dict(zip([COUNT, *panel.metrics], row[len(keys) :], strict=True))
        rows[key] = values
    return rows


def _same(expected: float, actual: float) -> bool:
    return math.isclose(float(expected), float(actual), rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("panel", ORDINARY, ids=[p.id for p in ORDINARY])
def test_key_panel_matches_lake(indexed, lake_con, panel):
    response = indexed.search(index=ALIAS, **panel_request(panel, SPEC.metrics))
    engine = panel_rows(panel, SPEC.metrics, response)
    lake = lake_rows(lake_con, SPEC, panel)
    assert engine, f"{panel.id}: the engine returned no buckets"
    truncated = any(len({key[i] for key in lake}) > b.size for i, b in enumerate(panel.buckets))
    if truncated:
        assert set(engine) <= set(lake)
    else:
        assert set(engine) == set(lake), f"{panel.id}: buckets differ"
    for key, values in engine.items():
        for name, value in values.items():
            assert _same(lake[key][name], value), f"{panel.id} {key} {name}: lake {lake[key][name]}, engine {value}"


def test_before_after_table_shows_a_real_change(indexed, lake_con):
    """The demo campaign is built so that hate falls after launch: the panel must show it."""
    panel = next(p for p in KEY_PANELS if p.id == "overview-period-table")
    rows = panel_rows(panel, SPEC.metrics, indexed.search(index=ALIAS, **panel_request(panel, SPEC.metrics)))
    assert set(rows) == {("after",), ("before",)}
    assert rows[("before",)][COUNT] > 0 and rows[("after",)][COUNT] > 0
    assert rows[("after",)]["hate_rate"] != rows[("before",)]["hate_rate"]


def _jlh(subset_freq: int, subset_size: int, superset_freq: int, superset_size: int) -> float:
    """The JLH score significant_terms uses by default."""
    subset_p = subset_freq / subset_size
    superset_p = superset_freq / superset_size
    if subset_p <= superset_p or superset_p == 0:
        return 0.0
    return (subset_p - superset_p) * (subset_p / superset_p)


@pytest.mark.parametrize("panel", SIGNIFICANT, ids=[p.id for p in SIGNIFICANT])
def test_significant_terms_match_lake(indexed, lake_con, panel):
    bucket = panel.rows[0]
    response = indexed.search(index=ALIAS, **panel_request(panel, SPEC.metrics))
    engine = panel_rows(panel, SPEC.metrics, response)
    where = kql.to_sql(panel.query, LIST_FIELDS, BOOL_FIELDS)
    subset_size = lake_con.execute(f"SELECT count(*) FROM comments WHERE {where}").fetchone()[0]
    superset_size = lake_con.execute("SELECT count(*) FROM comments").fetchone()[0]
    counts = lake_con.execute(
        f"SELECT t, count(*) FILTER (WHERE {where}), count(*) FROM comments "
        f"CROSS JOIN LATERAL (SELECT unnest(list_distinct({bucket.field})) AS t) GROUP BY t"
    ).fetchall()
    expected = {}
    for term, subset_freq, superset_freq in counts:
        score = _jlh(subset_freq, subset_size, superset_freq, superset_size)
        if subset_freq >= 3 and score > 0:  # significant_terms' default min_doc_count is 3
            expected[(term,)] = (subset_freq, superset_freq, score)
    ranked = sorted(expected.items(), key=lambda item: -item[1][2])
    assert engine, f"{panel.id}: no significant terms; the demo data should have some"
    assert len(engine) == min(bucket.size, len(ranked))
    # terms tied on score at the cut may come in either order: all above the cut must be there
    cut = ranked[len(engine) - 1][1][2]
    above = {key for key, (_, _, score) in ranked if score > cut and not math.isclose(score, cut, rel_tol=1e-9)}
    at_or_above = {key for key, (_, _, score) in ranked if score > cut or math.isclose(score, cut, rel_tol=1e-9)}
    assert above <= set(engine) <= at_or_above
    for key, values in engine.items():
        subset_freq, superset_freq, score = expected[key]
        assert values[COUNT] == subset_freq and values["comments"] == subset_freq
        assert values["_bg_count"] == superset_freq
        assert math.isclose(values["_score"], score, rel_tol=1e-6), key


def test_before_after_and_terms_differ(indexed):
    """Before and after evidence-term panels answer different questions: their term sets are not equal."""
    before, after = (next(p for p in SIGNIFICANT if p.id == f"target-terms-{w}") for w in ("before", "after"))
    terms = [
        set(panel_rows(p, SPEC.metrics, indexed.search(index=ALIAS, **panel_request(p, SPEC.metrics))))
        for p in (before, after)
    ]
    assert terms[0] != terms[1]


def test_preview_png_from_engine(indexed, tmp_path: Path):
    panel = next(p for _, p in SPEC.panels() if p.id == "overview-hate-by-creator")
    rows = grouped_rows(panel, SPEC, indexed, ALIAS)
    out = render_before_after(panel, SPEC, rows, tmp_path / "preview.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert {key[1] for key in rows} == {"before", "after"}
