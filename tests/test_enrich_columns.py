"""The fast (columnar, streamed, parallel) enrich path keeps the EnrichedComment contract."""

from __future__ import annotations

import json
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from commentscope.collectors.importers.generic import import_file
from commentscope.enrich import EnrichError, enrich_lake, enrich_rows, thread_of
from commentscope.lake import EnrichedPartWriter, Lake
from commentscope.nlp import default_analyzer
from commentscope.pseudonym import author_key
from commentscope.schema import ENRICHED_ARROW_SCHEMA, EnrichedComment, enriched_to_row
from tests.fixtures.demo import TEST_SALT


@pytest.fixture(scope="module")
def small_lake(tmp_path_factory, demo_registry, demo_comments_path_module) -> Lake:
    lake = Lake(tmp_path_factory.mktemp("small-lake"))
    import_file(lake, demo_comments_path_module, demo_registry)
    return lake


@pytest.fixture(scope="module")
def demo_comments_path_module(tmp_path_factory):
    from commentscope.demo import DEMO_COMMENTS

    lines = DEMO_COMMENTS.read_text(encoding="utf-8").splitlines()[:300]
    path = tmp_path_factory.mktemp("src") / "small.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def reference_row(row: dict, registry, analyzer, analysis) -> dict:
    """The record as the original per-record pydantic path built it: the contract."""
    campaign = next(c for c in registry.campaigns if c.id == row["campaign"])
    record = EnrichedComment(
        **{
            k: row[k]
            for k in (
                "id",
                "platform",
                "comment_id",
                "campaign",
                "creator",
                "country",
                "video_id",
                "video_url",
                "campaign_video",
                "parent_id",
                "created_at",
                "collected_at",
                "text",
                "like_count",
                "reply_count",
                "source",
            )
        },
        thread_id=thread_of(row),
        period=campaign.period_of(row["created_at"]),
        text_normalized=analysis.text_normalized,
        author_key=author_key(TEST_SALT, row["platform"], row["author_handle"]),
        language=analysis.language,
        language_confidence=analysis.language_confidence,
        code_mixed=analysis.code_mixed,
        languages=analysis.languages,
        tokens=analysis.tokens,
        labels=analysis.labels,
        scores=analysis.scores,
        targets=analysis.targets,
        severity=analysis.severity,
        counter_speech=analysis.counter_speech,
        supportive=analysis.supportive,
        evidence=analysis.evidence,
        evidence_terms=analysis.evidence_terms,
        tagger_version=analyzer.version,
        enriched_at=row["created_at"],
    )
    return enriched_to_row(record)


def test_columnar_rows_equal_the_pydantic_contract(small_lake, demo_registry):
    analyzer = default_analyzer()
    rows = pq.read_table(small_lake.raw_parts()[0]).to_pylist()
    fast = enrich_rows(rows, demo_registry, analyzer, TEST_SALT)
    creators = {(c.id, k.key): k.languages for c in demo_registry.campaigns for k in c.creators}
    hints = [creators[(r["campaign"], r["creator"])] for r in rows]
    analyses = analyzer.analyse_batch([r["text"] for r in rows], hints)
    assert len(fast) == len(rows) > 0
    for row, got, analysis in zip(rows, fast, analyses, strict=True):
        expected = reference_row(row, demo_registry, analyzer, analysis)
        EnrichedComment.model_validate({**got, "scores": got["scores"]})  # every fast row is a valid record
        for key in expected:
            if key != "enriched_at":
                assert got[key] == expected[key], key


def test_parallel_streamed_parts_equal_inline_ones(small_lake, demo_registry, tmp_path):
    analyzer = default_analyzer()
    inline = enrich_lake(small_lake, demo_registry, analyzer, TEST_SALT, full=True, workers=1, batch_size=40)
    first = {p: pq.read_table(p).drop(["enriched_at"]) for p in inline.parts}
    parallel = enrich_lake(small_lake, demo_registry, analyzer, TEST_SALT, full=True, workers=2, batch_size=40)
    assert parallel.records == inline.records == 300
    for part in parallel.parts:
        table = pq.read_table(part)
        assert table.schema == ENRICHED_ARROW_SCHEMA
        assert table.drop(["enriched_at"]).equals(first[part])
    assert small_lake.connect().execute("SELECT count(*) FROM comments").fetchone()[0] == 300


def test_an_analyzer_outside_the_contract_fails_clearly_and_writes_nothing(small_lake, demo_registry, tmp_path):
    real = default_analyzer()

    class Broken:
        version = "broken-1"

        def analyse_batch(self, texts, hints):
            out = real.analyse_batch(texts, hints)
            out[-1].severity = 7
            return out

    with pytest.raises(EnrichError, match="severity 7"):
        enrich_lake(small_lake, demo_registry, Broken(), TEST_SALT, workers=1, batch_size=100)
    assert small_lake.enriched_parts("broken-1") == []
    leftovers = [p for p in small_lake.enriched_dir.rglob("*") if p.is_file() and "broken-1" in str(p)]
    assert leftovers == []


def test_streamed_part_is_written_in_bounded_row_groups(small_lake, demo_registry, tmp_path):
    raw = small_lake.raw_parts()[0]
    writer = EnrichedPartWriter(raw, tmp_path / "part.parquet", row_group_rows=10)
    rows = enrich_rows(pq.read_table(raw).slice(0, 30).to_pylist(), demo_registry, default_analyzer(), TEST_SALT)
    for start in range(0, 30, 5):
        writer.write(pa.RecordBatch.from_pylist(rows[start : start + 5], schema=ENRICHED_ARROW_SCHEMA))
    assert not writer.target.exists()  # nothing visible before close
    path = writer.close()
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == 30 and meta.num_row_groups == 3
    assert json.dumps(pq.read_table(path).column("id").to_pylist()) == json.dumps([r["id"] for r in rows])


def test_workers_are_replaced_after_recycle_rows_and_give_the_same_parts(small_lake, demo_registry, tmp_path):
    """Fresh forks every ``recycle_rows`` rows bound a long run's memory; the output must not change."""
    real = default_analyzer()
    seen = tmp_path / "worker-pids.txt"

    class Recording:
        version = real.version

        def analyse_batch(self, texts, hints):
            with seen.open("a") as handle:  # each worker process appends its pid
                handle.write(f"{os.getpid()}\n")
            return real.analyse_batch(texts, hints)

    inline = enrich_lake(small_lake, demo_registry, real, TEST_SALT, full=True, workers=1, batch_size=40)
    first = {p: pq.read_table(p).drop(["enriched_at"]) for p in inline.parts}
    seen.unlink(missing_ok=True)
    recycled = enrich_lake(
        small_lake, demo_registry, Recording(), TEST_SALT, full=True, workers=2, batch_size=40, recycle_rows=100
    )
    assert recycled.records == 300
    for part in recycled.parts:
        assert pq.read_table(part).drop(["enriched_at"]).equals(first[part])
    pids = set(seen.read_text().split())
    assert os.getpid() not in {int(p) for p in pids}  # the work ran in workers, not inline
    assert len(pids) > 2  # 300 rows / 100 per generation: more than one generation of 2 workers
