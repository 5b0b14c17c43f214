"""Enrichment spread over workers (the mapped enrich tasks): claims, lost workers, no duplicates.

Runs on both backends (``lake_root``: a local folder and a prefix on S3Proxy). Workers are
called in turn in one process with explicit clocks: what is under test is the protocol on the
real store (exclusive publishes of claims and parts), not the scheduling.
"""

from __future__ import annotations

import pytest

from commentscope import claims
from commentscope.collectors.importers.generic import import_file
from commentscope.demo import DEMO_COMMENTS, DEMO_REGISTRY
from commentscope.enrich import enrich_lake, enrich_parts
from commentscope.lake import Lake
from commentscope.nlp import default_analyzer
from commentscope.orchestrate.indexing import enrich_claimed, finish_enrichment, plan_enrichment
from commentscope.orchestrate.runtime import runtime
from commentscope.registry import load_registry
from commentscope.settings import Settings
from tests.fixtures.demo import TEST_SALT


@pytest.fixture
def split_lake(lake_root, tmp_path) -> Lake:
    """The demo comments imported in four files, so the raw lake has several parts."""
    lake = Lake(lake_root)
    registry = load_registry(DEMO_REGISTRY)
    lines = DEMO_COMMENTS.read_text().splitlines()
    for n in range(4):
        path = tmp_path / f"import-{n}.jsonl"
        path.write_text("\n".join(lines[n::4]) + "\n")
        import_file(lake, path, registry)
    assert len(lake.raw_parts()) >= 4
    return lake


def test_a_claim_held_by_a_live_worker_is_not_taken(split_lake):
    part = split_lake.raw_parts()[0]
    assert claims.try_claim(split_lake, "v1", part, "worker-a", lease=60, now=1000) is not None
    assert claims.try_claim(split_lake, "v1", part, "worker-b", lease=60, now=1030) is None
    again = claims.try_claim(split_lake, "v1", part, "worker-a", lease=60, now=1030)  # a retry of worker a
    assert again is not None and again.generation == 0


def test_an_expired_claim_is_taken_over_by_exactly_one_worker(split_lake):
    part = split_lake.raw_parts()[0]
    claims.try_claim(split_lake, "v1", part, "lost-worker", lease=60, now=1000)
    first = claims.try_claim(split_lake, "v1", part, "worker-b", lease=60, now=2000)
    second = claims.try_claim(split_lake, "v1", part, "worker-c", lease=60, now=2000)
    assert first is not None and first.generation == 1
    assert second is None  # generation 1 is worker b's; c sees a live claim


def test_a_zombie_worker_cannot_replace_or_duplicate_a_part_its_successor_wrote(split_lake):
    registry, analyzer = load_registry(DEMO_REGISTRY), default_analyzer()
    part = split_lake.raw_parts()[0]
    successor = enrich_parts(split_lake, [part], registry, analyzer, TEST_SALT, exclusive=True)
    target = successor.parts[0]
    published = split_lake.store.read_bytes(target)
    zombie = enrich_parts(split_lake, [part], registry, analyzer, TEST_SALT, exclusive=True)
    assert zombie.parts == [] and zombie.records == 0
    assert split_lake.store.read_bytes(target) == published
    assert split_lake.enriched_parts(analyzer.version) == [target]


def test_mapped_batches_with_a_lost_worker_give_the_same_comments_as_one_process(
    split_lake, lake_root, tmp_path, monkeypatch
):
    monkeypatch.setenv("COMMENTSCOPE_AUTHOR_SALT", TEST_SALT)
    monkeypatch.delenv("COMMENTSCOPE_ANALYZER", raising=False)
    rt = runtime(Settings.from_env(data_dir=lake_root, registry_path=DEMO_REGISTRY))
    plan = plan_enrichment(rt=rt, batch_parts=2)
    assert len(plan["batches"]) >= 2
    version = plan["tagger_version"]
    # worker 1 claims its first part and is lost before writing anything
    lost = split_lake.raw_comments_dir / plan["batches"][0][0]
    assert claims.try_claim(split_lake, version, lost, "run/1/0", lease=3600) is not None
    # worker 2 does every batch: the lost worker's part is held, everything else is enriched
    other = [enrich_claimed(batch, "run/1/other", rt=rt) for batch in plan["batches"]]
    assert sum(r["held_by_others"] for r in other) == 1
    with pytest.raises(RuntimeError, match="1 raw parts are not enriched"):
        finish_enrichment(plan, other, rt=rt)  # CURRENT does not move over a half-enriched lake
    # the lost worker's task is retried (same owner): it takes its own claim back and finishes
    retried = enrich_claimed(plan["batches"][0], "run/1/0", rt=rt)
    assert retried["parts"] == 1 and retried["already_enriched_parts"] == len(plan["batches"][0]) - 1
    summary = finish_enrichment(plan, [*other, retried], rt=rt)
    assert summary["parts"] == len(split_lake.raw_parts())
    assert split_lake.store.glob(split_lake.shared_state_dir / "claims", "*/*/*/*/gen-*.json") == []

    reference = Lake(tmp_path / "reference")
    registry = load_registry(DEMO_REGISTRY)
    for n in range(4):
        import_file(reference, tmp_path / f"import-{n}.jsonl", registry)
    enrich_lake(reference, registry, default_analyzer(), TEST_SALT, workers=1)
    query = "SELECT id, language, labels, targets, severity, author_key, period FROM comments ORDER BY id"
    mapped = split_lake.connect().execute(query).fetchall()
    assert mapped == reference.connect().execute(query).fetchall()
    assert len(mapped) == len({row[0] for row in mapped}) == summary["records"]
