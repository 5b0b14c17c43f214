"""The author salt: too short is refused with the fix; the lake remembers a fingerprint of its salt
(never the salt) and refuses a changed one, which would silently split every author in two."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.lake import Lake
from commentscope.salt import SaltMismatchError, bind_salt, salt_file
from commentscope.settings import Settings, SettingsError
from tests.hostile.test_import_rows import row, write_jsonl

GOOD = "a-long-enough-project-salt-0001"
OTHER = "another-long-enough-salt-0002"


@pytest.mark.parametrize("salt", ["x", "s" * 15])
def test_a_short_salt_is_refused_with_the_fix(salt):
    with pytest.raises(SettingsError, match="at least 16.*Fix: export COMMENTSCOPE_AUTHOR_SALT"):
        Settings(author_salt=salt).require_salt()


def test_a_changed_salt_is_refused_and_the_lake_keeps_its_keys(tmp_path, monkeypatch):
    from tests.hostile.lakes import registry

    registry(tmp_path)
    data = tmp_path / "data"
    source = write_jsonl(tmp_path / "c.jsonl", [json.dumps(row(n)) for n in range(5)])
    common = ["--data", str(data), "--registry", str(tmp_path / "campaigns.yaml")]
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(source), *common]).exit_code == 0

    monkeypatch.setenv("COMMENTSCOPE_AUTHOR_SALT", "short")
    short = runner.invoke(app, ["enrich", *common])
    assert short.exit_code == 1 and "at least 16" in short.output and not salt_file(data).exists()

    monkeypatch.setenv("COMMENTSCOPE_AUTHOR_SALT", GOOD)
    assert runner.invoke(app, ["enrich", *common]).exit_code == 0
    stored = salt_file(data).read_text(encoding="utf-8")
    assert GOOD not in stored and len(json.loads(stored)["fingerprint"]) == 16
    keys_before = Lake(data).connect().execute("SELECT DISTINCT author_key FROM comments ORDER BY 1").fetchall()

    monkeypatch.setenv("COMMENTSCOPE_AUTHOR_SALT", OTHER)
    refused = runner.invoke(app, ["enrich", "--full", *common])
    assert refused.exit_code == 1
    errors = [line for line in refused.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "not the salt this lake" in errors[0] and "set the original salt" in errors[0]
    assert OTHER not in refused.output and GOOD not in refused.output
    assert Lake(data).connect().execute("SELECT DISTINCT author_key FROM comments ORDER BY 1").fetchall() == keys_before

    sheet = tmp_path / "review.csv"
    sheet.write_text("id,human_labels,annotator\ntiktok:1,none,r\n", encoding="utf-8")
    labels = runner.invoke(app, ["export", "import-labels", str(sheet), "--data", str(data)])
    assert labels.exit_code == 1 and "not the salt this lake" in labels.output


def test_the_library_refuses_a_changed_salt_too(tmp_path):
    bind_salt(tmp_path, GOOD)
    bind_salt(tmp_path, GOOD)  # the same salt again is fine
    with pytest.raises(SaltMismatchError):
        bind_salt(tmp_path, OTHER)
