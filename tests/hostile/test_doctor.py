"""``commentscope doctor``: leftovers of killed runs are found and removed, live work and data never.

The killed runs are real processes: a ``commentscope enrich`` killed with SIGKILL while it writes an
enriched part, and a writer holding a partial file, an export staging folder and a digest lock.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.digest.archive import Ledger
from commentscope.lake import Lake
from tests.hostile.cli import ROOT, child_env
from tests.hostile.workloads import alive, big_lake, start_enrich, wait_for

HOLDER = """\
import sys, time
from pathlib import Path
from commentscope.atomic import atomic_path, staging_dir
from commentscope.digest.archive import Ledger
from commentscope.lake import Lake
part, export = Path(sys.argv[1]), Path(sys.argv[2])
ledger = Ledger(Lake(sys.argv[3]))
with atomic_path(part) as tmp, staging_dir(export) as staging, ledger.lock("cf", "th-one", WEEK) as locked:
    tmp.write_bytes(b"x" * 4096)
    (staging / "data").mkdir()
    (staging / "data" / "train.csv").write_text("id,text\\n1,hello\\n")
    print(locked, flush=True)
    time.sleep(600)
"""
WEEK = date(2024, 3, 4)


def doctor(data: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["doctor", "--data", str(data), "--min-age", "0", *args])
    assert result.exit_code == 0, result.output
    return result.output


def checksums(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith((".tmp", ".lock"))
    }


def hidden_leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob(".*") if p.name.endswith(".tmp") or ".staging-" in p.name]


def start_holder(tmp_path: Path, lake: Lake) -> subprocess.Popen:
    code = HOLDER.replace("WEEK", f"__import__('datetime').date({WEEK.year}, {WEEK.month}, {WEEK.day})")
    part = lake.root / "enriched" / "tagger=x" / "part-1.parquet"
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(part), str(tmp_path / "exports" / "corpus"), str(lake.root)],
        env=child_env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
    return holder


def test_work_in_progress_is_left_alone_and_its_leftovers_removed_after_a_kill(tmp_path):
    lake = Lake(tmp_path / "data")
    holder = start_holder(tmp_path, lake)
    try:
        roots = ("--also", str(tmp_path / "exports"))
        report = doctor(lake.root, *roots, "--fix")
        assert report.count("in use") == 3, report  # partial file, staging folder, digest lock
        assert len(hidden_leftovers(tmp_path)) == 2
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        assert "3 leftovers" in doctor(lake.root, *roots)  # report only: nothing removed yet
        assert len(hidden_leftovers(tmp_path)) == 2
        fixed = doctor(lake.root, *roots, "--fix")
        assert "removed 3" in fixed, fixed
    finally:
        if alive(holder.pid):
            os.kill(holder.pid, signal.SIGKILL)
    assert hidden_leftovers(tmp_path) == []
    assert not list((lake.root / "digests").rglob("*.lock"))
    with Ledger(lake).lock("cf", "th-one", WEEK) as locked:  # the lock still works after its file went
        assert locked
    assert "nothing left behind" in doctor(lake.root, "--also", str(tmp_path / "exports"))


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree in /proc")
def test_a_killed_enrich_run_leaves_a_partial_part_that_doctor_removes_and_nothing_else(tmp_path):
    lake, registry_path = big_lake(tmp_path)
    raw_before = checksums(lake.root / "raw")
    run = start_enrich(lake, registry_path, workers=2)
    try:
        assert wait_for(lambda: bool(list((lake.root / "enriched").rglob(".part-*.tmp"))), timeout=120)
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=10)
    finally:
        if alive(run.pid):
            os.kill(run.pid, signal.SIGKILL)
    partial = list((lake.root / "enriched").rglob(".part-*.tmp"))
    assert len(partial) == 1
    report = doctor(lake.root)
    assert "partial file" in report and "1 leftovers" in report
    doctor(lake.root, "--fix")
    assert not partial[0].exists()
    assert checksums(lake.root / "raw") == raw_before  # the system of record is untouched


def test_a_replaced_export_is_removed_only_when_its_successor_exists(tmp_path):
    exports = tmp_path / "exports"
    for name in ("kept", "lost"):
        old = exports / f".{name}.old-20240301120000000000"
        (old / "data").mkdir(parents=True)
        (old / "data" / "train.csv").write_text("id\n1\n")
    (exports / "kept" / "data").mkdir(parents=True)  # the new export was published, then the run died
    doctor(tmp_path / "data", "--also", str(exports), "--fix")
    assert sorted(p.name for p in exports.iterdir()) == ["kept", "lost"]
    assert (exports / "lost" / "data" / "train.csv").read_text() == "id\n1\n"  # put back, not deleted


def test_young_leftovers_and_ordinary_files_are_left_alone(tmp_path):
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    (data / "raw" / ".part-1.parquet.abc.tmp").write_bytes(b"x")  # no lock, but just written
    (data / "raw" / "part-1.parquet").write_bytes(b"PAR1")
    (data / ".hidden-notes").write_text("mine")
    result = CliRunner().invoke(app, ["doctor", "--data", str(data), "--fix"])
    assert result.exit_code == 0 and "in use" in result.output
    assert sorted(p.name for p in data.rglob("*") if p.is_file()) == [
        ".hidden-notes",
        ".part-1.parquet.abc.tmp",
        "part-1.parquet",
    ]


S3_HOLDER = """\
import sys, time
from commentscope.lake import Lake
lake = Lake(sys.argv[1])
with lake.store.staged(lake.root / "enriched" / "tagger=x" / "part-1.parquet") as staging:
    staging.path.write_bytes(b"x" * 4096)
    print(staging.path, flush=True)
    time.sleep(600)
"""


def s3_doctor(*args: str) -> str:
    result = CliRunner().invoke(app, ["doctor", "--min-age", "0", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_s3_write_killed_mid_upload_leaves_a_spool_file_that_doctor_removes(s3_env, tmp_path, monkeypatch):
    uri, spool = s3_env.fresh_uri(), tmp_path / "spool"
    env = {**s3_env.env, "COMMENTSCOPE_SPOOL": str(spool), "COMMENTSCOPE_LOCAL_DATA": str(tmp_path / "local")}
    for name, value in {**env, "COMMENTSCOPE_DATA": uri}.items():
        monkeypatch.setenv(name, value)
    holder = subprocess.Popen(
        [sys.executable, "-c", S3_HOLDER, uri], env=child_env(**env), cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        spooled = Path(holder.stdout.readline().strip())
        assert spooled.parent == spool and spooled.name.endswith(".spool")
        report = s3_doctor("--fix")
        assert "upload spool file" in report and "in use" in report and spooled.exists()  # a live writer's
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        assert "1 leftovers" in s3_doctor()
        assert "removed 1" in s3_doctor("--fix")
    finally:
        if alive(holder.pid):
            os.kill(holder.pid, signal.SIGKILL)
    assert list(spool.iterdir()) == []
    assert Lake(uri).store.glob(Lake(uri).root, "*/*/*") == []  # the killed write published nothing
    assert "nothing left behind" in s3_doctor()


def test_unfinished_uploads_and_temporary_keys_in_the_bucket_are_removed_and_lake_data_kept(
    s3_env, tmp_path, monkeypatch
):
    uri = s3_env.fresh_uri()
    monkeypatch.setenv("COMMENTSCOPE_DATA", uri)
    monkeypatch.setenv("COMMENTSCOPE_LOCAL_DATA", str(tmp_path / "local"))
    lake = Lake(uri)
    store = lake.store
    part = lake.raw_comments_dir / "platform=tiktok" / "collected_date=2024-03-04" / "part-1.parquet"
    store.write_bytes(part, b"PAR1 lake data")
    copied = part.with_name(".part-2.parquet.abcd1234.tmp")  # a local lake's leftover, synced up as it was
    store.write_bytes(copied, b"half a part")
    client, bucket = store.client, store.bucket  # type: ignore[attr-defined]
    upload = client.create_multipart_upload(Bucket=bucket, Key=store.key(part.with_name("part-3.parquet")))
    client.upload_part(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"], PartNumber=1, Body=b"y" * 512)

    young = CliRunner().invoke(app, ["doctor", "--fix"])  # default --min-age: all of it was just written
    assert young.exit_code == 0 and young.output.count("in use") == 2, young.output
    report = s3_doctor()
    assert "unfinished upload" in report and "temporary key" in report and "2 leftovers" in report, report
    assert "removed 2" in s3_doctor("--fix")
    assert client.list_multipart_uploads(Bucket=bucket, Prefix=store.key_prefix).get("Uploads", []) == []
    assert store.glob(lake.raw_comments_dir, "*/*/*") == [part]
    assert store.read_bytes(part) == b"PAR1 lake data"
    assert "nothing left behind" in s3_doctor()
