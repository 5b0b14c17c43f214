"""Bulk indexing against the real node: idempotent, retried, and honest about rejected documents."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.index import IndexingFailed, RetryPolicy, index_lake, run_index, versions
from commentscope.index.bulk import BulkUnavailable
from commentscope.settings import Settings
from tests.engine.lakes import add_part_with_unmapped_field, copy_lake

pytestmark = pytest.mark.engine
FAST = RetryPolicy(attempts=4, initial_backoff=0.01, max_backoff=0.05)


def _lake_ids(lake) -> set[str]:
    return {row[0] for row in lake.connect().execute("SELECT id FROM comments").fetchall()}


def _index_ids(es, index: str) -> set[str]:
    found = es.search(index=index, size=10_000, source=False, query={"match_all": {}})["hits"]["hits"]
    return {hit["_id"] for hit in found}


def test_indexing_the_same_lake_twice_gives_the_same_documents(es, enriched_lake):
    first = index_lake(es, enriched_lake, prefix="twice", chunk_size=300, policy=FAST)
    assert first.ok and first.created and first.switched
    assert first.lake_records == len(_lake_ids(enriched_lake)) == first.indexed == first.index_count
    second = index_lake(es, enriched_lake, prefix="twice", chunk_size=128, policy=FAST)
    assert second.ok and not second.created
    assert second.index == first.index
    assert es.count(index="twice")["count"] == first.index_count
    assert _index_ids(es, "twice") == _lake_ids(enriched_lake)
    # the record came through whole: ids, dates, scores and evidence
    some = es.get(index=first.index, id=next(iter(sorted(_lake_ids(enriched_lake)))))["_source"]
    assert some["id"].startswith(("tiktok:", "youtube:"))
    assert some["created_at"].endswith("+00:00")
    assert set(some["scores"]) == {"toxic", "insult", "profanity", "threat", "hate"}


def test_a_rejected_document_is_reported_and_quarantined(es, enriched_lake, tmp_path):
    lake = copy_lake(enriched_lake, tmp_path / "lake")
    version = lake.enriched_versions()[-1]
    bad_ids = add_part_with_unmapped_field(lake, version, bad=2, good=3)
    result = index_lake(es, lake, prefix="rejects", chunk_size=200, policy=FAST)

    assert not result.ok and not result.switched
    assert sorted(r.id for r in result.rejected) == sorted(bad_ids)
    assert all(r.status == 400 and "strict_dynamic_mapping_exception" in r.reason for r in result.rejected)
    assert result.indexed == result.lake_records - 2 == result.index_count
    assert versions.alias_targets(es, "rejects") == []
    assert "2 of" in (result.problem or "")

    quarantined = list(lake.quarantined("index"))
    assert sorted(q["record"]["document"]["id"] for q in quarantined) == sorted(bad_ids)
    assert all("experimental_sarcasm" in q["reason"] for q in quarantined)
    assert quarantined[0]["record"]["document"]["experimental_sarcasm"] == "high"
    assert result.quarantine is not None and result.quarantine.exists()


def test_the_dag_entry_point_raises_when_documents_failed(engine, enriched_lake, tmp_path):
    lake = copy_lake(enriched_lake, tmp_path / "lake")
    add_part_with_unmapped_field(lake, lake.enriched_versions()[-1], bad=1, good=0)
    settings = Settings(data_dir=lake.root, es_url=engine, index_prefix="dagfail")
    with pytest.raises(IndexingFailed, match="1 of .* rejected") as caught:
        run_index(settings)
    assert len(caught.value.result.rejected) == 1


def test_429_and_503_answers_are_retried_with_backoff(es, engine_node, enriched_lake):
    engine_node.shim.inject("/_bulk", 429, times=2)
    engine_node.shim.inject("/_bulk", 503, times=1)
    sleeps: list[float] = []
    policy = RetryPolicy(attempts=5, initial_backoff=0.01, max_backoff=0.05)
    from commentscope.index.bulk import BulkIndexer

    result = index_lake(es, enriched_lake, prefix="retry", chunk_size=500, policy=policy)
    assert result.ok and result.retries >= 3
    assert engine_node.shim.count("/_bulk", 429) == 2 and engine_node.shim.count("/_bulk", 503) == 1
    assert result.index_count == result.lake_records

    engine_node.shim.inject("/_bulk", 429, times=2)
    indexer = BulkIndexer(es, result.index, policy, sleep=sleeps.append)
    outcome = indexer.send([{"id": "tiktok:backoff", "text": "hello"}])
    assert outcome.indexed == 1 and len(sleeps) == 2 and sleeps[1] >= sleeps[0] > 0


def test_an_engine_that_keeps_failing_stops_the_run_without_switching(es, engine_node, enriched_lake):
    engine_node.shim.inject("/_bulk", 503, times=100)
    with pytest.raises(BulkUnavailable, match="re-running the indexing is safe"):
        index_lake(es, enriched_lake, prefix="down", policy=RetryPolicy(attempts=3, initial_backoff=0.01))
    assert engine_node.shim.count("/_bulk", 503) == 3
    assert versions.alias_targets(es, "down") == []


def _env(url: str, prefix: str, lake) -> dict[str, str]:
    return {"COMMENTSCOPE_ES_URL": url, "COMMENTSCOPE_INDEX_PREFIX": prefix, "COMMENTSCOPE_DATA": str(lake.root)}


def _cli() -> typer.Typer:
    return app  # the real CLI: its edge turns stage errors into one-line messages


def test_command_exits_1_and_names_the_quarantine_when_documents_are_rejected(engine, enriched_lake, tmp_path):
    lake = copy_lake(enriched_lake, tmp_path / "lake")
    add_part_with_unmapped_field(lake, lake.enriched_versions()[-1], bad=1, good=1)
    env = _env(engine, "clifail", lake)
    result = CliRunner().invoke(_cli(), ["index"], env=env)
    assert result.exit_code == 1, result.output
    assert "rejected" in result.output and "alias was not moved" in result.output
    assert "Traceback" not in result.output


def test_command_indexes_and_reports_status(engine, enriched_lake):
    env = _env(engine, "cliok", enriched_lake)
    runner = CliRunner()
    assert runner.invoke(_cli(), ["index", "setup"], env=env).exit_code == 0
    done = runner.invoke(_cli(), ["index", "--chunk-size", "250"], env=env)
    assert done.exit_code == 0, done.output
    assert "cliok -> cliok-" in done.output
    status = runner.invoke(_cli(), ["index", "status"], env=env)
    assert status.exit_code == 0 and "yes" in status.output


def test_command_errors_say_the_fix(enriched_lake):
    runner = CliRunner()
    env = {"COMMENTSCOPE_ES_URL": "", "COMMENTSCOPE_DATA": str(enriched_lake.root)}
    missing = runner.invoke(_cli(), ["index"], env=env)
    assert missing.exit_code == 1 and "COMMENTSCOPE_ES_URL" in missing.output
    env["COMMENTSCOPE_ES_URL"] = "http://127.0.0.1:9"  # nothing listens on the discard port
    down = runner.invoke(_cli(), ["index"], env=env)
    assert down.exit_code == 1 and "cannot reach the search engine" in down.output
    assert "Traceback" not in down.output
