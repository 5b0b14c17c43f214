"""Hostile rows and files on import: every row-level fault quarantines that row only, files that are
not UTF-8 get one line with the fix, raw copies never overwrite each other, the quarantine is written
once per file, and memory stays flat on a large file."""

from __future__ import annotations

import csv
import gzip
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.collectors.importers.generic import import_file
from commentscope.lake import Lake
from tests.hostile.lakes import registry

VIDEO = "7300000000000000001"
ROOT = Path(__file__).resolve().parents[2]


def row(n: int, **changes) -> dict:
    base = {
        "platform": "tiktok",
        "video_id": VIDEO,
        "comment_id": str(7470000000000000000 + n),
        "created_at": "2024-02-10T10:00:00Z",
        "text": f"komentar nomor {n}",
        "like_count": n,
        "author": f"u{n}",
    }
    return base | changes


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# each: (what, one JSONL line as written by a hostile or broken exporter)
BAD_LINES = [
    ("lone surrogate in the text", json.dumps(row(101, text="broken \ud800 pair"))),
    ("lone surrogate in the author", json.dumps(row(102, author="\udfff"))),
    ("like_count 2^70", json.dumps(row(103, like_count=2**70))),
    ("like_count 1e300", json.dumps(row(104)).replace('"like_count": 104', '"like_count": 1e300')),
    ("like_count NaN", json.dumps(row(105)).replace('"like_count": 105', '"like_count": NaN')),
    ("like_count Infinity", json.dumps(row(106)).replace('"like_count": 106', '"like_count": Infinity')),
    ("negative reply_count", json.dumps(row(107, reply_count=-3))),
    ("created_at 1e20", json.dumps(row(108, created_at=1e20))),
    ("created_at in milliseconds", json.dumps(row(109, created_at=1707559200000))),
    ("created_at true", json.dumps(row(110, created_at=True))),
    ("created_at in year 9999", json.dumps(row(111, created_at="9999-12-31T23:59:59-14:00"))),
    ("created_at in 1990", json.dumps(row(114, created_at="1990-01-01T00:00:00Z"))),
    ("text is an object", json.dumps(row(112, text={"a": 1}))),
    ("a 5000-digit number", json.dumps(row(113)).replace('"like_count": 113', '"like_count": ' + "9" * 5000)),
    ("nested 100000 deep", "[" * 100_000 + "]" * 100_000),
    ("a JSON array", json.dumps([1, 2, 3])),
    ("a JSON string", json.dumps("just text")),
    ("not JSON", "{this is not json"),
]


def test_every_row_fault_is_quarantined_and_the_rest_imports(tmp_path):
    lake, reg = Lake(tmp_path / "data"), registry(tmp_path)
    good = [json.dumps(row(n)) for n in range(5)]
    lines = good[:2] + [line for _, line in BAD_LINES] + good[2:]
    result = import_file(lake, write_jsonl(tmp_path / "mixed.jsonl", lines), reg)
    assert result.appended.new == 5
    assert result.quarantined == len(BAD_LINES)
    items = list(lake.quarantined("import"))
    assert len(items) == len(BAD_LINES)
    reasons = [q["reason"] for q in items]
    assert all(r.startswith("row ") and "\n" not in r for r in reasons)
    joined = " | ".join(reasons)
    for expected in (
        "lone surrogate",
        "2^63-1",
        "out of range",
        "milliseconds",
        "not a string",
        "not valid JSON",
        "not an object",
        "outside 2000-2099",
    ):
        assert expected in joined
    # the surrogate survives exactly in the quarantine (JSON escape), nothing is lost
    texts = [q["record"].get("text") for q in items if isinstance(q["record"], dict)]
    assert "broken \ud800 pair" in texts
    con = lake.connect()
    assert con.execute("SELECT count(*) FROM raw_comments").fetchone()[0] == 5


def test_csv_cell_over_the_default_field_limit_imports(tmp_path):
    lake, reg = Lake(tmp_path / "data"), registry(tmp_path)
    path = tmp_path / "long.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row(0)))
        writer.writeheader()
        writer.writerow(row(1, text="panjang " * 25_000))  # 200,000 characters: over csv's 131,072 default
        writer.writerow(row(2))
    result = import_file(lake, path, reg)
    assert (result.appended.new, result.quarantined) == (2, 0)
    assert lake.connect().execute("SELECT max(length(text)) FROM raw_comments").fetchone()[0] == 200_000


def test_a_csv_record_over_the_hard_limit_is_quarantined_and_the_rest_imports(tmp_path, monkeypatch):
    monkeypatch.setattr("commentscope.collectors.importers.reading.MAX_FIELD", 1000)  # the 16 MiB limit, scaled down
    lake, reg = Lake(tmp_path / "data"), registry(tmp_path)
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row(0)))
        writer.writeheader()
        writer.writerows([row(1), row(2, text="x" * 5000), row(3)])
    try:
        result = import_file(lake, path, reg)
    finally:
        csv.field_size_limit(16 * 1024 * 1024)
    assert (result.appended.new, result.quarantined) == (2, 1)
    assert "field larger than field limit" in next(lake.quarantined("import"))["reason"]


ENCODED = {
    "latin1.csv": ("not UTF-8", lambda text: text.encode("latin-1")),
    "cp1252.jsonl": ("not UTF-8", lambda text: text.encode("cp1252")),
    "utf16.csv": ("UTF-16", lambda text: text.encode("utf-16")),
    "utf16-nobom.csv": ("NUL bytes", lambda text: text.encode("utf-16-le")),
    "book.csv": ("zip archive", lambda text: b"PK\x03\x04" + b"\x00" * 200),
    "noise.jsonl": ("NUL bytes", lambda text: bytes(range(256)) * 50),
}


def _generic_csv(text: str) -> str:
    return "platform,video_id,comment_id,created_at,text\n" + "".join(
        f"tiktok,{VIDEO},{7480000000000000000 + n},2024-02-10T10:00:00Z,{text} {n}\n" for n in range(50)
    )


@pytest.mark.parametrize("name", list(ENCODED))
def test_a_file_that_is_not_utf8_gets_one_line_with_the_fix(tmp_path, name):
    registry(tmp_path)
    expected, encode = ENCODED[name]
    text = (
        _generic_csv("café déjà vu ñ") if name.endswith(".csv") else json.dumps(row(1, text="café"), ensure_ascii=False)
    )
    bad = tmp_path / name
    bad.write_bytes(encode(text))
    good = write_jsonl(tmp_path / "good.jsonl", [json.dumps(row(1))])
    data = tmp_path / "data"
    result = CliRunner().invoke(
        app, ["import", str(bad), str(good), "--data", str(data), "--registry", str(tmp_path / "campaigns.yaml")]
    )
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and expected in errors[0] and ("UTF-8" in errors[0] or "unpack" in errors[0])
    assert "Traceback" not in result.output
    # nothing of the bad file was kept; the good file beside it imported
    kept = [p.name for p in (data / "raw" / "pages").rglob("*.gz")]
    assert len(kept) == 1 and kept[0].startswith("import-generic-good-")
    assert Lake(data).connect().execute("SELECT count(*) FROM raw_comments").fetchone()[0] == 1


def test_same_named_files_imported_the_same_day_are_both_kept(tmp_path):
    lake, reg = Lake(tmp_path / "data"), registry(tmp_path)
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first = write_jsonl(tmp_path / "a" / "comments.jsonl", [json.dumps(row(1))])
    second = write_jsonl(tmp_path / "b" / "comments.jsonl", [json.dumps(row(2))])
    one, two = import_file(lake, first, reg), import_file(lake, second, reg)
    assert one.raw_copy != two.raw_copy
    assert gzip.decompress(one.raw_copy.read_bytes()) == first.read_bytes()
    assert gzip.decompress(two.raw_copy.read_bytes()) == second.read_bytes()
    again = import_file(lake, first, reg)  # the same file again: kept once
    assert again.raw_copy == one.raw_copy
    assert len(list(lake.raw_pages_dir.rglob("*.gz"))) == 2


def test_quarantine_is_written_once_per_distinct_file(tmp_path):
    lake, reg = Lake(tmp_path / "data"), registry(tmp_path)
    path = write_jsonl(tmp_path / "some-bad.jsonl", [json.dumps(row(1)), "{bad", json.dumps(row(2, like_count=-1))])
    first = import_file(lake, path, reg)
    for _ in range(3):
        again = import_file(lake, path, reg)
        assert again.quarantined == 2 and again.quarantine_file == first.quarantine_file
    files = list(lake.quarantine_dir.rglob("*.jsonl"))
    assert files == [first.quarantine_file]
    assert len(list(lake.quarantined("import"))) == 2
    path.write_text(path.read_text() + "{another bad line\n")  # a different file: its own quarantine
    assert import_file(lake, path, reg).quarantine_file != first.quarantine_file


MEASURE = textwrap.dedent(
    """
    import json, sys, tracemalloc
    from pathlib import Path
    import pyarrow as pa
    from commentscope.collectors.importers.generic import import_file
    from commentscope.lake import Lake
    from commentscope.registry import load_registry

    root, big = Path(sys.argv[1]), Path(sys.argv[2])
    reg = load_registry(root / "campaigns.yaml")
    import_file(Lake(root / "warm"), root / "warm.jsonl", reg)  # load every library before measuring
    pool = pa.default_memory_pool()
    arrow_before = pool.max_memory()
    tracemalloc.start(1)
    result = import_file(Lake(root / "data"), big, reg)
    python_peak = tracemalloc.get_traced_memory()[1]
    print(json.dumps({"new": result.appended.new, "python_peak": python_peak,
                      "arrow_peak": pool.max_memory() - arrow_before}))
    """
)


def test_importing_a_large_file_keeps_memory_flat(tmp_path):
    """Peak allocations while importing a 40 MiB file: Python objects (tracemalloc) plus Arrow's pool
    (not seen by tracemalloc). Reading the file whole cost about 160 MB here; streaming about 9 MB."""
    registry(tmp_path)
    write_jsonl(tmp_path / "warm.jsonl", [json.dumps(row(n)) for n in range(50)])
    big = tmp_path / "big.jsonl"
    filler = "kata " * 800  # 4,000 characters per comment
    with big.open("w", encoding="utf-8") as handle:
        for n in range(10_000):
            handle.write(json.dumps(row(n, text=f"{n} {filler}")) + "\n")
    size = big.stat().st_size
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, str(tmp_path), str(big)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    assert figures["new"] == 10_000
    assert figures["python_peak"] + figures["arrow_peak"] < 0.3 * size, (figures, size)
