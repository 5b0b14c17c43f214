"""The aggregations dashboards and digests use give the figures DuckDB computes from the lake."""

from __future__ import annotations

from collections import Counter

import pytest

from commentscope.index import RetryPolicy, index_lake
from commentscope.index.queries import counts_by, counts_by_pair, weekly_counts

pytestmark = pytest.mark.engine
ALIAS = "aggs"


@pytest.fixture(scope="module")
def indexed(engine_node, enriched_lake):
    es = engine_node.client()
    result = index_lake(es, enriched_lake, prefix=ALIAS, policy=RetryPolicy(attempts=3, initial_backoff=0.01))
    assert result.ok
    yield es, enriched_lake.connect()
    es.close()


def _scalar_counts(con, field: str, where: str = "") -> dict[str, int]:
    rows = con.execute(f"SELECT CAST({field} AS VARCHAR), count(*) FROM comments {where} GROUP BY 1").fetchall()
    return {str(k).lower() if isinstance(k, bool) else k: n for k, n in rows if k is not None}


def _array_counts(con, field: str, where: str = "") -> dict[str, int]:
    rows = con.execute(
        f"SELECT value, count(DISTINCT id) FROM (SELECT id, unnest({field}) AS value FROM comments {where}) GROUP BY 1"
    ).fetchall()
    return dict(rows)


@pytest.mark.parametrize("field", ["creator", "period", "language", "country", "platform", "campaign_video"])
def test_counts_by_a_keyword_field_match_the_lake(indexed, field):
    es, con = indexed
    expected = _scalar_counts(con, field)
    assert counts_by(es, ALIAS, field) == expected
    assert sum(expected.values()) == con.execute("SELECT count(*) FROM comments").fetchone()[0]


@pytest.mark.parametrize("field", ["labels", "targets", "tokens", "evidence.label"])
def test_counts_by_an_array_field_count_documents_per_value(indexed, field):
    es, con = indexed
    if field == "evidence.label":
        rows = con.execute(
            "SELECT e.label, count(DISTINCT id) FROM (SELECT id, unnest(evidence) AS e FROM comments) GROUP BY 1"
        ).fetchall()
        expected = dict(rows)
    else:
        expected = _array_counts(con, field)
    assert expected, f"the test lake must have some {field}"
    assert counts_by(es, ALIAS, field) == expected


def test_label_counts_per_creator_and_period_match_the_lake(indexed):
    es, con = indexed
    rows = con.execute("SELECT creator, period, count(*) FROM comments GROUP BY 1, 2").fetchall()
    assert counts_by_pair(es, ALIAS, "creator", "period") == {(c, p): n for c, p, n in rows}
    labelled = con.execute(
        "SELECT creator, label, count(DISTINCT id) FROM (SELECT creator, id, unnest(labels) AS label FROM comments) "
        "GROUP BY 1, 2"
    ).fetchall()
    assert counts_by_pair(es, ALIAS, "creator", "labels") == {(c, label): n for c, label, n in labelled}


def test_filtered_counts_match_the_lake(indexed):
    es, con = indexed
    expected = _array_counts(con, "labels", "WHERE creator = 'th-nok' AND period = 'after'")
    assert counts_by(es, ALIAS, "labels", filters={"creator": "th-nok", "period": "after"}) == expected
    hate_targets = _array_counts(con, "targets", "WHERE list_contains(labels, 'hate')")
    assert counts_by(es, ALIAS, "targets", filters={"labels": "hate"}) == hate_targets


def test_weekly_counts_match_the_lake(indexed):
    es, con = indexed
    rows = con.execute(
        "SELECT strftime(date_trunc('week', created_at AT TIME ZONE 'UTC'), '%Y-%m-%d'), count(*) "
        "FROM comments GROUP BY 1"
    ).fetchall()
    expected = dict(rows)
    got = weekly_counts(es, ALIAS)
    assert got == expected and len(got) >= 8
    per_creator = Counter()
    for week, n in con.execute(
        "SELECT strftime(date_trunc('week', created_at AT TIME ZONE 'UTC'), '%Y-%m-%d'), count(*) "
        "FROM comments WHERE creator = 'id-budi' GROUP BY 1"
    ).fetchall():
        per_creator[week] = n
    assert weekly_counts(es, ALIAS, filters={"creator": "id-budi"}) == dict(per_creator)


def test_aggregating_an_unmapped_or_text_field_is_a_clear_error(indexed):
    es, _ = indexed
    with pytest.raises(ValueError, match="not a mapped field"):
        counts_by(es, ALIAS, "author_handle")
    with pytest.raises(ValueError, match="text.exact"):
        counts_by(es, ALIAS, "text")
