"""The benchmark scripts run and their figures add up, on ~1k records (the real runs are `make bench`)."""

from __future__ import annotations

import json

import pytest

from bench import bench_e2e, bench_index, bench_lake, bench_s3
from bench.common import measure, write_result
from bench.synth import Synth, texts_in


def test_synthetic_comments_are_deterministic_and_mixed():
    first, again = list(Synth().rows(500)), list(Synth().rows(500))
    assert first == again
    assert list(Synth().rows(10, 490)) == first[490:]  # each row depends only on its number
    assert len({r["comment_id"] for r in first}) == 500
    assert len({r["text"] for r in first}) > 400
    thai = sum(any("\u0e00" <= ch <= "\u0e7f" for ch in r["text"]) for r in first)
    assert 0 < thai < 500
    assert any(r["parent_comment_id"] for r in first)
    assert all("\u0e00" <= texts_in("th", 20)[i][0] <= "\u0e7f" for i in range(20))


def test_end_to_end_bench_counts_every_record(tmp_path):
    payload = bench_e2e.run(1200, tmp_path / "e2e", workers=2, rows_per_file=500, batch_size=200, progress=False)
    assert payload["records_checked"] == {"imported": 1200, "enriched": 1200, "in_lake_view": 1200}
    stages = payload["stages"]
    assert stages["enrich"]["workers"] == 2 and stages["enrich"]["records"] == 1200
    assert stages["import"]["quarantined"] == 0
    assert payload["peak_rss_mib"] >= max(s["peak_rss_mib"] for s in stages.values() if "generate" not in str(s))
    assert payload["lake_bytes"]["enriched"] > payload["lake_bytes"]["raw"] > 0
    path = write_result("e2e-smoke", payload, tmp_path / "results")
    assert json.loads(path.read_text())["machine"]["cpus"] >= 1


def test_lake_bench_measures_write_and_read(tmp_path):
    payload = bench_lake.run(2000, tmp_path / "lake", chunk=700)
    assert payload["read all parts (pyarrow, all columns)"]["records"] == 2000
    assert payload["read raw_comments view (DuckDB, latest per id)"]["distinct"] == 2000
    assert payload["load dedup index (ids + fingerprints of every part)"]["wrote"] == 0
    assert payload["bytes_per_million"] == int(payload["bytes"] * 1_000_000 / 2000)


def test_measure_sees_memory_a_block_allocates():
    with measure(interval=0.01) as meter:
        block = bytearray(200 * 1024 * 1024)
        block[::4096] = b"x" * len(block[::4096])
    assert meter.peak_rss_mib - meter.start_rss_mib > 150


@pytest.mark.engine
def test_index_bench_against_the_real_node(tmp_path, engine):
    payload = bench_index.run(600, tmp_path / "index", engine, chunk=200, runs=2)
    for comparison in ("prebuilt", "from_lake"):
        part = payload[comparison]
        assert [r["docs"] for r in part["baseline"]["runs"] + part["project"]["runs"]] == [600] * 4
        assert len(part["ratios"]) == 2 and part["project_over_baseline_median"] > 0


def test_s3_bench_imports_and_enriches_the_same_corpus_on_both_backends(tmp_path, s3_server):
    payload = bench_s3.run(600, tmp_path / "s3", s3_server, runs=2, rows_per_file=250)
    assert payload["files"] == 3 and payload["runs"] == 2
    for backend in ("local", "s3"):
        figures = payload["backends"][backend]
        for stage in ("import_per_second", "enrich_per_second", "import_then_enrich_per_second"):
            assert 0 < figures[stage]["min"] <= figures[stage]["median"] <= figures[stage]["max"]
    assert all(ratio > 0 for ratio in payload["s3_over_local_seconds_median"].values())
    assert not (tmp_path / "s3").exists()  # lakes and input removed; the bucket prefixes emptied


def test_validation_split_writes_the_rows_training_validates_on(tmp_path):
    """bench/validation_split.py keeps exactly the rows `commentscope train` holds out, named by their folder."""
    from pathlib import Path

    from bench import validation_split
    from commentscope.nlp.evaluate import read_labelled
    from commentscope.nlp.train import Example, is_validation

    corpora = Path(__file__).parent / "fixtures" / "corpora"
    out = tmp_path / "validation.jsonl"
    assert validation_split.main(["--corpora", str(corpora), "--out", str(out)]) == 0
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    rows = read_labelled(corpora)
    held = [r for r in rows if is_validation(Example(r["lang"], r["text"], {}, ""), 0)]
    assert 0 < len(written) == len(held) < len(rows)
    assert [w["text"] for w in written] == [r["text"] for r in held]
    assert {w["source"] for w in written} <= {r["_dataset"] for r in rows}
    assert read_labelled(out)  # commentscope eval reads it back
