"""Importers for files exported by other tools, on small fixture files written from their formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collectors.importers.base import ImportFormatError
from collectors.importers.detect import detect_format, import_any
from tests.fixtures.sandbox import TT_CAPPED, TT_SMALL, YT_MAIN, lake_snapshot

FILES = Path(__file__).parent / "fixtures" / "imports"
ZEESCHUIMER = FILES / "zeeschuimer_tiktok.ndjson"
FOURCAT = FILES / "4cat_tiktok_comments.csv"
YTDT = FILES / "videoinfo_ytMainVid01_2024_03_10-12_00_00_comments.csv"
GENERIC = FILES / "generic_comments.jsonl"


def quarantined(lake) -> list[dict]:
    return [json.loads(line) for p in sorted(lake.quarantine_dir.rglob("*.jsonl"))
            for line in p.read_text().splitlines()]


@pytest.mark.parametrize(("path", "fmt"), [(ZEESCHUIMER, "zeeschuimer"), (FOURCAT, "4cat"), (YTDT, "ytdt"),
                                           (GENERIC, "generic")])
def test_auto_detects_each_format(path, fmt):
    assert detect_format(path) == fmt


def test_zeeschuimer_comments_replies_and_bad_lines(sandbox_world):
    fmt, result = import_any(sandbox_world.lake, ZEESCHUIMER, sandbox_world.registry)
    assert fmt == "zeeschuimer"
    assert result.appended.new == 2 and result.skipped == 1 and result.quarantined == 2
    snap = lake_snapshot(sandbox_world.lake)
    top, reply = snap["tiktok:7400000000000000901"], snap["tiktok:7400000000000000902"]
    assert top[0] == TT_SMALL and top[1] is None and top[3] == "ขอบคุณมากครับ" and top[4] == 12
    assert reply[1] == "tiktok:7400000000000000901"
    reasons = " | ".join(q["reason"] for q in quarantined(sandbox_world.lake))
    assert "not in the campaign registry" in reasons and "not valid JSON" in reasons
    con = sandbox_world.lake.connect()
    assert con.execute("SELECT author_handle FROM raw_comments WHERE comment_id = '7400000000000000901'"
                       ).fetchone()[0] == "somchai_99"


def test_4cat_csv(sandbox_world):
    fmt, result = import_any(sandbox_world.lake, FOURCAT, sandbox_world.registry)
    assert fmt == "4cat" and result.appended.new == 2 and result.quarantined == 1
    snap = lake_snapshot(sandbox_world.lake)
    top = snap["tiktok:7400000000000000911"]
    assert top[0] == TT_CAPPED and top[1] is None and top[3] == 'salamat po, ang ganda, "idol"'
    assert top[2].timestamp() == 1709798400
    reply = snap["tiktok:7400000000000000912"]
    assert reply[1] == "tiktok:7400000000000000911" and reply[3] == "multi\nline reply"


def test_youtube_data_tools_csv(sandbox_world):
    fmt, result = import_any(sandbox_world.lake, YTDT, sandbox_world.registry)
    assert fmt == "ytdt" and result.appended.new == 3 and result.quarantined == 1
    snap = lake_snapshot(sandbox_world.lake)
    assert snap["youtube:UgxAAA0000000001"][0] == YT_MAIN
    assert snap["youtube:UgxAAA0000000001"][5] == 2
    assert snap["youtube:UgxAAA0000000001.9zB1"][1] == "youtube:UgxAAA0000000001"
    assert snap["youtube:UgxAAA0000000001.9zB2"][2].hour == 12


def test_ytdt_needs_a_video_id(sandbox_world, tmp_path):
    renamed = tmp_path / "comments.csv"
    renamed.write_bytes(YTDT.read_bytes())
    with pytest.raises(ImportFormatError, match="--video-id"):
        import_any(sandbox_world.lake, renamed, sandbox_world.registry, fmt="ytdt")
    _, result = import_any(sandbox_world.lake, renamed, sandbox_world.registry, fmt="ytdt", video_id=YT_MAIN)
    assert result.appended.new == 3


def test_generic_jsonl_and_float_ids_are_quarantined(sandbox_world):
    fmt, result = import_any(sandbox_world.lake, GENERIC, sandbox_world.registry)
    assert fmt == "generic" and result.appended.new == 2 and result.quarantined == 1
    assert "float" in quarantined(sandbox_world.lake)[0]["reason"]


def test_reimport_writes_nothing_new(sandbox_world):
    for path in (ZEESCHUIMER, FOURCAT, YTDT):
        import_any(sandbox_world.lake, path, sandbox_world.registry)
    parts = sandbox_world.lake.raw_parts()
    for path in (ZEESCHUIMER, FOURCAT, YTDT):
        _, again = import_any(sandbox_world.lake, path, sandbox_world.registry)
        assert again.appended.new == 0 and again.appended.changed == 0
    assert sandbox_world.lake.raw_parts() == parts


def test_wrong_format_is_a_clear_error(sandbox_world):
    with pytest.raises(ImportFormatError, match="4CAT"):
        import_any(sandbox_world.lake, YTDT, sandbox_world.registry, fmt="4cat")
    with pytest.raises(ImportFormatError, match="unknown format"):
        import_any(sandbox_world.lake, YTDT, sandbox_world.registry, fmt="excel")
