"""The lake keeps its promises: idempotent appends, atomic writes under a crash, quarantine, concurrent writers.

Every test runs twice (``lake_root``, tests/fixtures/s3.py): on a local folder and on a prefix of a
real S3 API server (S3Proxy on loopback).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from commentscope.collectors.importers.generic import import_file
from commentscope.demo import DEMO_COMMENTS, DEMO_REGISTRY
from commentscope.lake import Lake
from commentscope.registry import load_registry


def lake_snapshot(lake: Lake) -> dict[str, bytes]:
    return {str(p.relative_to(lake.root)): lake.store.read_bytes(p) for p in lake.raw_parts()}


def test_reimporting_the_same_file_leaves_the_lake_unchanged(lake_root):
    registry = load_registry(DEMO_REGISTRY)
    lake = Lake(lake_root)
    first = import_file(lake, DEMO_COMMENTS, registry)
    rows = sum(1 for line in DEMO_COMMENTS.read_text().splitlines() if line.strip())
    assert first.appended.new == rows
    before = lake_snapshot(lake)
    second = import_file(lake, DEMO_COMMENTS, registry)
    assert second.appended.new == 0 and second.appended.unchanged == rows and second.appended.files == []
    assert lake_snapshot(lake) == before
    con = lake.connect()
    assert con.execute("SELECT count(*), count(DISTINCT id) FROM raw_comments").fetchone() == (rows, rows)


def test_changed_counts_append_a_newer_version_and_readers_see_the_latest(lake_root, tmp_path):
    registry = load_registry(DEMO_REGISTRY)
    lake = Lake(lake_root)
    source = tmp_path / "one.jsonl"
    row = json.loads(DEMO_COMMENTS.read_text().splitlines()[0])
    source.write_text(json.dumps(row) + "\n")
    import_file(lake, source, registry)
    row["like_count"] += 10
    source.write_text(json.dumps(row) + "\n")
    result = import_file(lake, source, registry)
    assert (result.appended.new, result.appended.changed) == (0, 1)
    con = lake.connect()
    assert con.execute("SELECT like_count FROM raw_comments").fetchall() == [(row["like_count"],)]


def test_malformed_rows_are_quarantined_with_reasons_and_good_rows_kept(lake_root, tmp_path):
    registry = load_registry(DEMO_REGISTRY)
    lake = Lake(lake_root)
    good = json.loads(DEMO_COMMENTS.read_text().splitlines()[0])
    unknown_video = dict(good, comment_id="x1", video_id="999")
    float_id = dict(good, comment_id=7.4601e18)
    no_text = {k: v for k, v in good.items() if k != "text"} | {"comment_id": "x2"}
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [good, unknown_video, float_id, no_text]) + "\n{not json\n")
    result = import_file(lake, path, registry)
    assert result.appended.new == 1
    assert result.quarantined == 4
    reasons = [item["reason"] for item in lake.quarantined("import")]
    assert any("not in the campaign registry" in r for r in reasons)
    assert any("float" in r for r in reasons)
    assert any("text is missing" in r for r in reasons)
    assert any("line 5 is not valid JSON" in r for r in reasons)
    kept = [item["record"] for item in lake.quarantined("import")]
    assert any(r.get("_raw", "").startswith("{not json") for r in kept)


CRASHING_IMPORT = textwrap.dedent(
    """
    import os, signal, sys
    import pyarrow.parquet as pq
    from commentscope.collectors.importers.generic import import_file
    from commentscope.lake import Lake
    from commentscope.registry import load_registry

    real = pq.ParquetWriter.write_table  # raw parts are streamed through a ParquetWriter
    def write_half_then_die(self, table, *args, **kw):
        real(self, table.slice(0, max(1, table.num_rows // 2)), *args, **kw)
        self.file_handle.flush() if self.file_handle else None
        with open(self.where, "r+b") as f:
            f.truncate(100)          # leave a torn file behind
        os.kill(os.getpid(), signal.SIGKILL)
    pq.ParquetWriter.write_table = write_half_then_die
    import_file(Lake(sys.argv[1]), sys.argv[2], load_registry(sys.argv[3]))
    """
)


def test_a_crash_mid_write_leaves_the_previous_state_readable(lake_root, tmp_path):
    registry = load_registry(DEMO_REGISTRY)
    lake = Lake(lake_root)
    lines = DEMO_COMMENTS.read_text().splitlines()
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("\n".join(lines[:100]) + "\n")
    second.write_text("\n".join(lines[100:200]) + "\n")
    import_file(lake, first, registry)
    before = lake_snapshot(lake)

    proc = subprocess.run(
        [sys.executable, "-c", CRASHING_IMPORT, lake_root, str(second), str(DEMO_REGISTRY)],
        cwd=Path(__file__).resolve().parents[1],
        env={**os.environ},
        capture_output=True,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert lake_snapshot(lake) == before  # no torn part is visible
    for part in lake.raw_parts():
        lake.store.parquet_file(part).read()  # every visible part is whole
    assert lake.connect().execute("SELECT count(*) FROM raw_comments").fetchone()[0] == 100

    result = import_file(lake, second, registry)  # the re-run completes the import
    assert result.appended.new == 100
    assert lake.connect().execute("SELECT count(*) FROM raw_comments").fetchone()[0] == 200


CONCURRENT_IMPORT = textwrap.dedent(
    """
    import sys
    from commentscope.collectors.importers.generic import import_file
    from commentscope.lake import Lake
    from commentscope.registry import load_registry

    result = import_file(Lake(sys.argv[1]), sys.argv[2], load_registry(sys.argv[3]))
    print(result.appended.new + result.appended.changed)
    """
)


def test_concurrent_writers_lose_nothing_and_readers_see_each_comment_once(lake_root, tmp_path):
    registry = load_registry(DEMO_REGISTRY)
    lines = DEMO_COMMENTS.read_text().splitlines()
    files = []
    for n, (start, stop) in enumerate([(0, 150), (100, 250), (100, 250)]):  # overlapping, one identical twice
        path = tmp_path / f"w{n}.jsonl"
        path.write_text("\n".join(lines[start:stop]) + "\n")
        files.append(path)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT_IMPORT, lake_root, str(f), str(DEMO_REGISTRY)],
            cwd=Path(__file__).resolve().parents[1],
            env={**os.environ},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for f in files
    ]
    outcomes = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err.decode()[-2000:] for _out, err in outcomes]
    lake = Lake(lake_root)
    con = lake.connect()
    assert con.execute("SELECT count(*), count(DISTINCT id) FROM raw_comments").fetchone() == (250, 250)
    for part in lake.raw_parts():
        lake.store.parquet_file(part).read()
    # the two identical files map to the same content-addressed part: at most one copy exists
    names = [p.name for p in lake.raw_parts()]
    assert len(names) == len(set(names))
    before = lake_snapshot(lake)
    again = import_file(lake, files[1], registry)  # a later writer sees everything as present
    assert again.appended.written == 0 and lake_snapshot(lake) == before
