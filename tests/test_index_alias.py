"""Blue/green: a new tagger version builds a new index and the alias moves with no gap; retention."""

from __future__ import annotations

import threading

import pytest

from commentscope.index import RetryPolicy, index_lake, versions
from tests.engine.lakes import add_version, copy_lake

pytestmark = pytest.mark.engine
FAST = RetryPolicy(attempts=3, initial_backoff=0.01, max_backoff=0.05)


class AliasWatcher:
    """Reads the alias as fast as it can from another thread, recording every answer."""

    def __init__(self, engine_node, alias: str):
        self.client = engine_node.client()
        self.alias = alias
        self.seen: list[tuple[tuple[str, ...], int]] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                targets = tuple(sorted(self.client.indices.get_alias(name=self.alias).body))
                count = int(self.client.count(index=self.alias)["count"])
                self.seen.append((targets, count))
            except Exception as exc:  # noqa: BLE001 - any failure is what the test looks for
                self.errors.append(repr(exc))

    def __enter__(self) -> AliasWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        self.client.close()


def test_new_version_switches_the_alias_with_no_moment_without_it(es, engine_node, enriched_lake, tmp_path):
    lake = copy_lake(enriched_lake, tmp_path / "lake")
    v1 = lake.enriched_versions()[0]
    first = index_lake(es, lake, prefix="bg", tagger_version=v1, policy=FAST)
    assert first.switched and versions.alias_targets(es, "bg") == [first.index]

    kept = add_version(lake, v1, "test-2.0", keep=50)  # a smaller index, so the count tells which one answers
    with AliasWatcher(engine_node, "bg") as watcher:
        second = index_lake(es, lake, prefix="bg", tagger_version="test-2.0", keep=5, policy=FAST)
        switched_at = len(watcher.seen)
        for _ in range(200):
            if len(watcher.seen) > switched_at + 20:
                break
            threading.Event().wait(0.01)
    assert second.ok and second.switched and second.left == [first.index]
    assert watcher.errors == []
    assert len(watcher.seen) > 20
    assert {targets for targets, _ in watcher.seen} <= {(first.index,), (second.index,)}
    counts = [count for _, count in watcher.seen]
    assert counts[0] == first.index_count and counts[-1] == kept == second.index_count
    flips = sum(1 for a, b in zip(counts, counts[1:], strict=False) if a != b)
    assert flips == 1, "the alias moved exactly once and never pointed at nothing or both"
    assert es.indices.exists(index=first.index), "the old index is kept until retention drops it"


def test_retention_keeps_the_newest_n_and_never_the_live_one(es, enriched_lake, tmp_path):
    lake = copy_lake(enriched_lake, tmp_path / "lake")
    v1 = lake.enriched_versions()[0]
    es.indices.create(index="keep-unmanaged")  # matches the pattern but is not ours: never touched
    names = []
    for n, version in enumerate([v1, "test-2.0", "test-3.0"]):
        if n:
            add_version(lake, v1, version, keep=10)
        names.append(index_lake(es, lake, prefix="keep", tagger_version=version, keep=2, policy=FAST).index)
    assert versions.alias_targets(es, "keep") == [names[2]]
    assert not es.indices.exists(index=names[0])
    assert es.indices.exists(index=names[1]) and es.indices.exists(index="keep-unmanaged")

    # going back to an old version: its index is rebuilt and becomes live; the live one survives keep=1
    result = index_lake(es, lake, prefix="keep", tagger_version=v1, keep=1, policy=FAST)
    assert result.switched and result.created
    assert set(result.pruned) == set(names[1:])
    assert [m.name for m in versions.managed_indices(es, "keep")] == [result.index]
    with pytest.raises(ValueError, match="at least 1"):
        versions.prune(es, "keep", 0)


def test_a_concrete_index_in_the_alias_place_is_a_clear_error(es, enriched_lake):
    es.indices.create(index="clash")
    with pytest.raises(versions.IndexLayoutError, match="COMMENTSCOPE_INDEX_PREFIX"):
        index_lake(es, enriched_lake, prefix="clash", policy=FAST)
