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
    result = runner.invoke(app, ["collect", "--sandbox", "--data", str(data), "--registry", str(DEMO_REGISTRY),
                                 "--faults", "rate_limit@2,html_504@every5,token_expiry@4"])
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
    bad_fault = runner.invoke(app, ["collect", "--sandbox", "--data", str(tmp_path), "--registry",
                                    str(DEMO_REGISTRY), "--faults", "meteor@1"])
    assert bad_fault.exit_code != 0 and "unknown fault" in bad_fault.output
    bad_campaign = runner.invoke(app, ["collect", "--sandbox", "--data", str(tmp_path), "--registry",
                                       str(DEMO_REGISTRY), "--campaign", "nope"])
    assert bad_campaign.exit_code == 1 and "no campaign 'nope'" in bad_campaign.output


def test_import_each_format_from_the_command_line(sandbox_world):
    data = sandbox_world.root / "imported"
    for name, fmt in (("zeeschuimer_tiktok.ndjson", "zeeschuimer"), ("4cat_tiktok_comments.csv", "4cat"),
                      ("videoinfo_ytMainVid01_2024_03_10-12_00_00_comments.csv", "ytdt")):
        result = runner.invoke(app, ["import", str(FILES / name), "--data", str(data),
                                     "--registry", str(sandbox_world.registry_path)])
        assert result.exit_code == 0, result.output
        assert f"({fmt})" in result.output and "quarantined" in result.output
    assert len(lake_snapshot(Lake(data))) == 2 + 2 + 3
    wrong = runner.invoke(app, ["import", str(FILES / "4cat_tiktok_comments.csv"), "--format", "ytdt",
                                "--data", str(data), "--registry", str(sandbox_world.registry_path)])
    assert wrong.exit_code == 1 and "YouTube Data Tools" in wrong.output
