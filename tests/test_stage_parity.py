"""The CLI and the DAG run the enrich stage alike: same analyzer (COMMENTSCOPE_ANALYZER), same settings, same lake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.collectors.importers.generic import import_file
from commentscope.demo import DEMO_COMMENTS, DEMO_REGISTRY
from commentscope.lake import Lake
from commentscope.registry import load_registry

SALT = "stage-parity-salt-0123456789abcdef"


def renamed_analyzer() -> Any:
    """The default analyzer under another version string, so the test sees which analyzer ran."""
    from commentscope.nlp import default_analyzer

    class Renamed:
        def __init__(self) -> None:
            self.inner = default_analyzer()
            self.version = f"{self.inner.version}-parity"

        def analyse_batch(self, texts, hints):  # noqa: ANN001 - the Analyzer protocol
            return self.inner.analyse_batch(texts, hints)

    return Renamed()


def _demo_lake(root: Path) -> Lake:
    lake = Lake(root)
    import_file(lake, DEMO_COMMENTS, load_registry(DEMO_REGISTRY))
    return lake


def _rows(lake: Lake) -> list[tuple]:
    con = lake.connect()
    clock = {"collected_at", "enriched_at"}  # when each lake was imported and enriched: the only differences
    columns = [c for (c, *_) in con.execute("DESCRIBE comments").fetchall() if c not in clock]
    return con.execute(f"SELECT {', '.join(columns)} FROM comments ORDER BY id").fetchall()


def test_cli_enrich_and_the_dag_tasks_write_the_same_lake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The DAG's tasks are called through the functions they call (plan, enrich per batch, finish):
    the mapped task needs a running Airflow for its context, which tests/test_dags_pipeline.py covers."""
    from commentscope.orchestrate.indexing import enrich_claimed, finish_enrichment, plan_enrichment

    env = {
        "COMMENTSCOPE_ANALYZER": f"{__name__}:renamed_analyzer",
        "COMMENTSCOPE_AUTHOR_SALT": SALT,
        "COMMENTSCOPE_REGISTRY": str(DEMO_REGISTRY),
        "COMMENTSCOPE_ENRICH_WORKERS": "1",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    cli_lake = _demo_lake(tmp_path / "cli")
    result = CliRunner().invoke(app, ["enrich", "--data", str(cli_lake.root)])
    assert result.exit_code == 0, result.output

    dag_lake = _demo_lake(tmp_path / "dag")
    monkeypatch.setenv("COMMENTSCOPE_DATA", str(dag_lake.root))
    plan = plan_enrichment(batch_parts=2)
    results = [enrich_claimed(batch, f"parity/{i}") for i, batch in enumerate(plan["batches"])]
    summary = finish_enrichment(plan, results)

    (version,) = cli_lake.enriched_versions()
    assert version.endswith("-parity")  # the CLI honoured COMMENTSCOPE_ANALYZER
    assert dag_lake.enriched_versions() == [version] and summary["tagger_version"] == version
    cli_rows, dag_rows = _rows(cli_lake), _rows(dag_lake)
    assert len(cli_rows) > 50 and cli_rows == dag_rows
