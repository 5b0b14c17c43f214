"""A live index receives only what is new in the lake, and never an older version of a comment."""

from __future__ import annotations

from datetime import timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from commentscope.index import RetryPolicy, index_lake
from commentscope.schema import ENRICHED_ARROW_SCHEMA
from tests.engine.lakes import copy_lake

pytestmark = pytest.mark.engine
FAST = RetryPolicy(attempts=4, initial_backoff=0.01, max_backoff=0.05)


def add_part(lake, version: str, rows: list[dict], day: str) -> None:
    template = rows[0]
    target = lake.enriched_version_dir(version) / f"platform={template['platform']}" / f"collected_date={day}"
    target.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=ENRICHED_ARROW_SCHEMA), target / f"part-{day}.parquet")


def test_a_live_index_gets_only_new_parts_and_keeps_the_newest_version(es, enriched_lake, tmp_path):
    lake = copy_lake(enriched_lake, tmp_path / "lake")
    version = lake.current_version()
    first = index_lake(es, lake, prefix="incr", policy=FAST)
    assert first.ok and first.created and first.indexed == first.lake_records

    existing = pq.read_table(lake.enriched_parts(version)[0]).to_pylist()
    newer = dict(
        existing[0],
        like_count=existing[0]["like_count"] + 1000,
        collected_at=existing[0]["collected_at"] + timedelta(days=30),
    )
    older = dict(
        existing[1],
        like_count=existing[1]["like_count"] + 5000,
        collected_at=existing[1]["collected_at"] - timedelta(days=30),
    )
    fresh = [
        dict(
            existing[2],
            id=f"{existing[2]['platform']}:fresh{n}",
            comment_id=f"fresh{n}",
            thread_id=f"{existing[2]['platform']}:fresh{n}",
            parent_id=None,
        )
        for n in range(3)
    ]
    add_part(lake, version, [newer, older, *fresh], "2099-02-01")

    second = index_lake(es, lake, prefix="incr", policy=FAST)
    assert second.ok and not second.created
    assert second.parts_sent == 1
    assert second.indexed == 5  # 3 new comments + 2 already indexed ones that the new part touches
    assert second.index_count == second.lake_records == first.lake_records + 3
    assert es.get(index=second.index, id=newer["id"])["_source"]["like_count"] == newer["like_count"]
    # the older copy of a comment in the new part did not overwrite the newest one
    assert es.get(index=second.index, id=older["id"])["_source"]["like_count"] == existing[1]["like_count"]

    third = index_lake(es, lake, prefix="incr", policy=FAST)
    assert third.ok and third.indexed == 0 and third.parts_sent == 0
    assert third.index_count == second.index_count

    full = index_lake(es, lake, prefix="incr", full=True, policy=FAST)
    assert full.ok and full.indexed == full.lake_records


def test_an_index_created_again_under_the_same_name_gets_everything(es, enriched_lake, tmp_path):
    lake = copy_lake(enriched_lake, tmp_path / "lake")
    first = index_lake(es, lake, prefix="again", policy=FAST, switch=False)  # built, never made live
    assert first.ok and not first.switched
    es.indices.delete(index=first.index)
    es.indices.create(index=first.index)
    es.indices.put_alias(index=first.index, name="again")  # live, but empty and with a new UUID
    second = index_lake(es, lake, prefix="again", policy=FAST)
    assert second.ok and second.indexed == second.lake_records == second.index_count
