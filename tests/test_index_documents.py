"""The indexer's documents, built column-wise by DuckDB, are the documents ``to_document`` makes row by row.

No search engine needed: this compares the JSON texts ``lake_chunks`` sends with ``to_document`` of
the same lake rows, including a part with an extra column, nested evidence with empty fields,
dates with and without microseconds and texts that need JSON escaping.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq

from commentscope.index.bulk import Chunk, lake_chunks, to_document
from commentscope.lake import Lake
from tests.engine.lakes import add_part_with_unmapped_field, copy_lake

AWKWARD = ['say "hi"\nthen\ttab \\ back', "emoji 🐒🔥 and ไทย", "\u0000\u001f control", "<b>'quote'</b> / slash", ""]


def _add_awkward_part(lake: Lake, version: str) -> None:
    rows = pq.read_table(lake.enriched_parts(version)[0]).to_pylist()[: len(AWKWARD)]
    for n, (row, text) in enumerate(zip(rows, AWKWARD, strict=True)):
        row.update(
            id=f"youtube:awk{n}",
            comment_id=f"awk{n}",
            thread_id=f"youtube:awk{n}",
            text=text,
            created_at=datetime(2026, 3, 1, 10, 0, n, 123 * n, tzinfo=UTC),
            video_url=None,
        )
        row["evidence"] = (
            [{"label": "toxic", "source": "model", "terms": [], "model": None, "score": 0.5, "target": None}]
            if n % 2
            else []
        )
    target = lake.enriched_version_dir(version) / "platform=youtube" / "collected_date=2099-02-02"
    target.mkdir(parents=True, exist_ok=True)
    schema = pq.read_schema(lake.enriched_parts(version)[0])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), target / "part-awkward.parquet")


def test_documents_built_by_duckdb_equal_the_row_by_row_documents(enriched_lake, tmp_path):
    lake = copy_lake(enriched_lake, tmp_path / "lake")
    version = lake.enriched_versions()[-1]
    add_part_with_unmapped_field(lake, version, bad=2, good=2)
    _add_awkward_part(lake, version)
    con = lake.connect(version)
    expected = {row["id"]: to_document(row) for row in con.sql("SELECT * FROM comments").to_arrow_table().to_pylist()}
    con.close()

    total, chunks = lake_chunks(lake, version, chunk_size=97)
    got: dict[str, dict] = {}
    texts: dict[str, str] = {}
    for chunk in chunks:
        assert len(chunk) <= 97
        for doc_id, source in zip(chunk.ids, chunk.sources, strict=True):
            got[doc_id] = json.loads(source)
            texts[doc_id] = source
    assert total == len(got) == len(expected) > 600
    assert got == expected
    # the same text json.dumps gives, dates included (isoformat drops zero microseconds)
    sample = "youtube:awk1"
    assert json.loads(texts[sample])["created_at"] == "2026-03-01T10:00:01.000123+00:00"
    assert got[sample]["evidence"] == [{"label": "toxic", "source": "model", "terms": [], "score": 0.5}]
    assert "experimental_sarcasm" not in got["youtube:awk0"]


def test_a_chunk_of_dicts_becomes_json_ready_documents():
    when = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    chunk = Chunk.of([{"id": "tiktok:1", "created_at": when, "parent_id": None, "scores": {"hate": None}}])
    assert chunk.ids == ["tiktok:1"]
    assert json.loads(chunk.sources[0]) == {"id": "tiktok:1", "created_at": "2026-03-01T10:00:00+00:00", "scores": {}}
