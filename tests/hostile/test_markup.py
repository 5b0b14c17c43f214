"""User text and file names reach the terminal as text, never as rich markup: a ``[/c]`` in a file
name or a cell cannot crash a command after its data is written, and ``[a-z0-9]`` in a registry
error stays visible."""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.lake import Lake
from tests.hostile.lakes import SALT, registry
from tests.hostile.test_import_rows import row, write_jsonl

NAMES = [
    "odd[/c]name.jsonl",  # a folder "odd[" holding "c]name.jsonl": the path reads [/c]
    "[bold]loud[/bold].jsonl",
    "[link=https:x]y.jsonl",
    "back\\[/].jsonl",
]


def test_file_names_with_markup_are_printed_as_they_are(tmp_path):
    registry(tmp_path)
    for name in NAMES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    files = [write_jsonl(tmp_path / name, [json.dumps(row(n)), "{bad"]) for n, name in enumerate(NAMES)]
    result = CliRunner().invoke(
        app,
        ["import", *map(str, files), "--data", str(tmp_path / "data"), "--registry", str(tmp_path / "campaigns.yaml")],
    )
    assert result.exit_code == 0, result.output
    flat = result.output.replace("\n", "")
    for name in NAMES:
        assert name in flat
    assert Lake(tmp_path / "data").connect().execute("SELECT count(*) FROM raw_comments").fetchone()[0] == 4


def test_registry_errors_keep_their_brackets(tmp_path):
    path = tmp_path / "campaigns.yaml"
    path.write_text(
        "campaigns:\n  - id: Bad Campaign\n    name: x\n    launch_date: 2024-03-01\n"
        "    before: {start: 2024-02-01, end: 2024-02-28}\n    after: {start: 2024-03-01, end: 2024-03-31}\n"
        "    creators: [{key: '[/c]', name: c, country: ID, languages: [id]}]\n",
        encoding="utf-8",
    )
    good = write_jsonl(tmp_path / "a.jsonl", [json.dumps(row(1))])
    result = CliRunner().invoke(app, ["import", str(good), "--data", str(tmp_path / "data"), "--registry", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "'^[a-z0-9][a-z0-9_\\-]*$'" in result.output and "creators.0.key" in result.output


def test_cell_values_in_reviewed_labels_are_printed_as_they_are(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMENTSCOPE_AUTHOR_SALT", SALT)
    sheet = tmp_path / "review.csv"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "human_labels", "annotator"])
        writer.writeheader()
        writer.writerow({"id": "tiktok:1", "human_labels": "[/c]", "annotator": "r"})
        writer.writerow({"id": "tiktok:2", "human_labels": "[red]hate[/red]", "annotator": "r"})
    result = CliRunner().invoke(app, ["export", "import-labels", str(sheet), "--data", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    assert "['[/c]']" in result.output and "['[red]hate[/red]']" in result.output
