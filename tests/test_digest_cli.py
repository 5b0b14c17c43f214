"""``commentscope digest`` end to end: dry run, a real send to the local SMTP server, user errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.digest.archive import archive_dir
from commentscope.lake import Lake
from tests.test_digest_support import CAMPAIGN, WEEK, make_registry, synthetic_history, write_comments

runner = CliRunner()


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> tuple[Path, Path]:
    data, registry_path = tmp_path / "data", tmp_path / "campaigns.yaml"
    registry_path.write_text(yaml.safe_dump(make_registry().model_dump(mode="json", exclude_none=True)))
    write_comments(Lake(data), synthetic_history("nong", seed=5) + synthetic_history("jun", seed=6))
    for name in ("COMMENTSCOPE_SMTP_HOST", "COMMENTSCOPE_SMTP_FROM", "COMMENTSCOPE_SMTP_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    return data, registry_path


def invoke(workspace, *args, env=None):
    data, registry_path = workspace
    return runner.invoke(app, ["digest", "--data", str(data), "--registry", str(registry_path), *args], env=env)


def flat(result) -> str:
    """Output with rich's line wrapping undone."""
    return " ".join(result.output.split())


def test_dry_run_writes_every_digest(workspace):
    result = invoke(workspace, "--week", "2025-03-12", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry-run: 5" in result.output and "skipped-control: 1" in result.output
    folder = archive_dir(Lake(workspace[0]), CAMPAIGN, "nong", WEEK)
    assert (folder / "message.eml").stat().st_size > 1000


def test_send_then_rerun_sends_nothing(workspace, smtp_server):
    env = smtp_server.env()
    result = invoke(workspace, "--week", "2025-03-10", "--creator", "nong", env=env)
    assert result.exit_code == 0, result.output
    assert "sent: 1" in result.output and len(smtp_server.messages) == 1
    again = invoke(workspace, "--week", "2025-03-16", "--creator", "nong", env=env)
    assert again.exit_code == 0 and "skipped-already-sent: 1" in again.output
    assert len(smtp_server.messages) == 1


def test_undeliverable_exits_1_and_says_so(workspace, smtp_server):
    smtp_server.fail_next("550 5.1.1 No such user")
    result = invoke(workspace, "--week", "2025-03-10", "--creator", "nong", env=smtp_server.env())
    assert result.exit_code == 1 and "not delivered" in flat(result)
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "2025-03-10"], "COMMENTSCOPE_SMTP_HOST"),
        (["--dry-run", "--creator", "nobody"], "no creator 'nobody'"),
        (["--dry-run", "--campaign", "cff"], "Did you mean 'cf'"),
    ],
)
def test_user_errors_are_clear(workspace, args, message):
    result = invoke(workspace, *args)
    assert result.exit_code == 1
    assert message in flat(result)
    assert "Traceback" not in result.output


def test_bad_week_and_empty_lake(workspace, tmp_path):
    bad = invoke(workspace, "--week", "12/03/2025", "--dry-run")
    assert bad.exit_code == 2 and "12/03/2025" in bad.output
    empty = runner.invoke(
        app, ["digest", "--data", str(tmp_path / "empty"), "--registry", str(workspace[1]), "--dry-run"]
    )
    assert empty.exit_code == 1 and "commentscope enrich" in flat(empty)
