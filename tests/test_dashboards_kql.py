"""The KQL subset: fields named, query DSL as Kibana builds it, SQL over the lake, clear errors."""

from __future__ import annotations

import duckdb
import pytest

from commentscope.dashboards import kql

LISTS = {"labels", "targets"}
BOOLS = {"counter_speech"}


def test_fields_of_a_compound_query():
    text = 'labels : "hate" and (targets : ("religion" or "race_ethnicity") or not severity >= 2) and video_url : *'
    assert kql.fields(text) == [
        ("labels", "match"),
        ("targets", "match"),
        ("targets", "match"),
        ("severity", "range"),
        ("video_url", "exists"),
    ]


def test_dsl_matches_kibana_shapes():
    assert kql.to_dsl("") == {"match_all": {}}
    assert kql.to_dsl('labels : "hate"') == {
        "bool": {"should": [{"match_phrase": {"labels": "hate"}}], "minimum_should_match": 1}
    }
    assert kql.to_dsl("counter_speech : true") == {
        "bool": {"should": [{"match": {"counter_speech": "true"}}], "minimum_should_match": 1}
    }
    assert kql.to_dsl("severity >= 2") == {"range": {"severity": {"gte": "2"}}}
    both = kql.to_dsl('labels : "hate" and not period : "before"')
    assert both["bool"]["filter"][1] == {
        "bool": {
            "must_not": [{"bool": {"should": [{"match_phrase": {"period": "before"}}], "minimum_should_match": 1}}]
        }
    }


def test_or_binds_looser_than_and():
    tree = kql.parse("a : 1 or b : 2 and c : 3")
    assert isinstance(tree, kql.BoolNode) and tree.op == "or"
    assert isinstance(tree.children[1], kql.BoolNode) and tree.children[1].op == "and"


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ('labels : "hate"', {1, 3}),
        ('labels : "hate" and targets : "religion"', {3}),
        ("counter_speech : true", {2}),
        ("not counter_speech : true and severity >= 1", {1, 3}),
        ('period : ("before" or "after")', {1, 2}),
        ("targets : *", {1, 3}),
        ("", {1, 2, 3}),
    ],
)
def test_sql_selects_the_same_rows(text, rows):
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE comments AS SELECT * FROM (VALUES "
        "(1, ['hate','toxic'], ['race_ethnicity'], false, 2, 'before'), "
        "(2, []::VARCHAR[], []::VARCHAR[], true, 0, 'after'), "
        "(3, ['hate'], ['religion'], false, 3, 'outside')) "
        "AS t(n, labels, targets, counter_speech, severity, period)"
    )
    found = {r[0] for r in con.execute(f"SELECT n FROM comments WHERE {kql.to_sql(text, LISTS, BOOLS)}").fetchall()}
    assert found == rows


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hate", "free-text search is not allowed"),
        ('labels : "hate" and', "ends too early"),
        ("labels : ha*", "wildcards"),
        ("(labels : hate", r"missing '\)'"),
        ('labels : ("a" or "b" and "c")', "do not mix"),
    ],
)
def test_unsupported_kql_is_a_clear_error(text, message):
    with pytest.raises(kql.KqlError, match=message):
        kql.parse(text)


def test_quotes_and_escapes():
    tree = kql.parse(r'text : "say \"no\" to hate"')
    assert tree == kql.Match("text", 'say "no" to hate', quoted=True)
    assert "''" in kql.to_sql('creator : "o\'brien"', set())
