"""The collector commands as a user runs them: `commentscope collect --sandbox`, `import --format`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.demo import DEMO_COMMENTS, DEMO_REGISTRY
from commentscope.lake import Lake
from tests.fixtures.sandbox import lake_snapshot

FILES = Path(__file__).parent / "fixtures" / "imports"
runner = CliRunner()


def test_collect_from_the_sandbox_gets_the_whole_demo_corpus(tmp_path):
    data = tmp_path / "data"
    result = runner.invoke(
        app,
        [
            "collect",
            "--sandbox",
            "--data",
            str(data),
            "--registry",
            str(DEMO_REGISTRY),
            "--faults",
            "rate_limit@2,html_504@every5,token_expiry@4",
        ],
    )
    assert result.exit_code == 0, result.output
    corpus_ids = {f"{r['platform']}:{r['comment_id']}" for r in map(json.loads, DEMO_COMMENTS.open())}
    assert set(lake_snapshot(Lake(data))) == corpus_ids
    status = runner.invoke(app, ["collect-status", "--data", str(data)])
    assert status.exit_code == 0 and "complete" in status.output


def test_collect_without_credentials_says_what_to_set(tmp_path, monkeypatch):
    for name in ("TIKTOK_CLIENT_KEY", "TIKTOK_CLIENT_SECRET", "YOUTUBE_API_KEYS"):
        monkeypatch.delenv(name, raising=False)
    result = runner.invoke(app, ["collect", "--data", str(tmp_path), "--registry", str(DEMO_REGISTRY)])
    assert result.exit_code == 1
    assert "TIKTOK_CLIENT_KEY" in result.output and "YOUTUBE_API_KEYS" in result.output
    assert "Traceback" not in result.output


def test_collect_rejects_unknown_faults_and_campaigns(tmp_path):
    bad_fault = runner.invoke(
        app, ["collect", "--sandbox", "--data", str(tmp_path), "--registry", str(DEMO_REGISTRY), "--faults", "meteor@1"]
    )
    assert bad_fault.exit_code != 0 and "unknown fault" in bad_fault.output
    bad_campaign = runner.invoke(
        app, ["collect", "--sandbox", "--data", str(tmp_path), "--registry", str(DEMO_REGISTRY), "--campaign", "nope"]
    )
    assert bad_campaign.exit_code == 1 and "no campaign 'nope'" in bad_campaign.output


def test_import_each_format_from_the_command_line(sandbox_world):
    data = sandbox_world.root / "imported"
    for name, fmt, layout in (
        (
            "zeeschuimer/zeeschuimer-export-tiktok-comments-2024-03-08T121500.ndjson",
            "zeeschuimer",
            "Zeeschuimer NDJSON export",
        ),
        ("4cat/tiktok-comments-import-3f9c2a7d1b4e8f60a5c3d2e1f0a9b8c7.csv", "4cat", "4CAT TikTok comments CSV"),
        (
            "ytdt/videoinfo_ytMainVid01_2024_03_10-12_00_00_comments.tab",
            "ytdt",
            "YouTube Data Tools (PHP) comments file, tab-separated",
        ),
    ):
        result = runner.invoke(
            app, ["import", str(FILES / name), "--data", str(data), "--registry", str(sandbox_world.registry_path)]
        )
        assert result.exit_code == 0, result.output
        output = " ".join(result.output.split())
        assert f"({fmt}, {layout})" in output and "quarantined" in output
        if fmt != "ytdt":  # the TikTok files hold a reply whose top-level comment was never captured
            assert "warning: 1 replies name a parent that is neither in this file nor in the lake" in output
    assert len(lake_snapshot(Lake(data))) == 6 + 6
    fourcat_csv = FILES / "4cat" / "tiktok-comments-import-3f9c2a7d1b4e8f60a5c3d2e1f0a9b8c7.csv"
    wrong = runner.invoke(
        app,
        [
            "import",
            str(fourcat_csv),
            "--format",
            "ytdt",
            "--data",
            str(data),
            "--registry",
            str(sandbox_world.registry_path),
        ],
    )
    assert wrong.exit_code == 1 and "YouTube Data Tools" in wrong.output
