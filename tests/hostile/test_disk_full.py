"""A disk that fills up during an import. SIMULATED: an OSError(ENOSPC) is injected where raw parts
are written (pyarrow's ParquetWriter.write_table), since a real full disk cannot be made here safely.

The import must fail loudly (exit 1, one line with the fix), leave no partial part or temporary
file, and ``summary`` must say that an import did not finish instead of silently counting less."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.enrich import enrich_lake
from commentscope.lake import Lake
from commentscope.nlp import default_analyzer
from tests.hostile.lakes import SALT, registry
from tests.hostile.test_import_rows import row, write_jsonl


def cli(tmp_path: Path, *args: str):
    return CliRunner().invoke(app, [*args, "--data", str(tmp_path / "data")])


def test_a_full_disk_fails_loudly_keeps_nothing_partial_and_summary_says_so(tmp_path, monkeypatch):
    reg = registry(tmp_path)
    lake = Lake(tmp_path / "data")
    first = write_jsonl(tmp_path / "first.jsonl", [json.dumps(row(n)) for n in range(20)])
    second = write_jsonl(tmp_path / "second.jsonl", [json.dumps(row(n)) for n in range(20, 60)])
    registry_args = ("--registry", str(tmp_path / "campaigns.yaml"))
    assert cli(tmp_path, "import", str(first), *registry_args).exit_code == 0
    enrich_lake(lake, reg, default_analyzer(), SALT, workers=1)
    parts_before = lake.raw_parts()

    def disk_full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(pq.ParquetWriter, "write_table", disk_full)
        failed = cli(tmp_path, "import", str(second), *registry_args)
    assert failed.exit_code == 1
    errors = [line for line in failed.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "No space left on device" in errors[0] and "same import again" in errors[0]
    assert "Traceback" not in failed.output
    assert Lake(lake.root).raw_parts() == parts_before  # no partial part
    assert [p for p in lake.root.rglob("*") if p.name.endswith(".tmp")] == []  # no temporary file left

    summary = cli(tmp_path, "summary")
    assert summary.exit_code == 0
    assert "did not finish" in summary.output and "second.jsonl" in summary.output.replace("\n", "")
    report = (lake.root / "reports" / "summary.md").read_text(encoding="utf-8")
    assert "incomplete" in report and "second.jsonl" in report

    again = cli(tmp_path, "import", str(second), *registry_args)  # space freed: the same import again
    assert again.exit_code == 0 and "new 40" in " ".join(again.output.split())  # rich wraps long paths
    pending = cli(tmp_path, "summary")
    assert "did not finish" not in pending.output
    assert "40 of 60 comments in the raw lake are not enriched" in pending.output.replace("\n", " ")
    enrich_lake(Lake(lake.root), reg, default_analyzer(), SALT, workers=1)
    done = cli(tmp_path, "summary")
    assert "incomplete" not in done.output and "total comments: 60" in done.output
