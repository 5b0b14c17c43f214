"""``commentscope enrich``, ``summary`` and ``demo``: the embedded pipeline, no server needed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from commentscope.commands.common import (
    DataOption,
    RegistryOption,
    console,
    err_console,
    fail,
    open_lake,
    progress_bar,
    settings_from,
)
from commentscope.settings import DEMO_SALT, Environment, Settings

if TYPE_CHECKING:  # the NLP models, importers and DuckDB load in the commands that use them
    from commentscope.orchestrate.runtime import Runtime
    from commentscope.summary import Summary


def _print_summary(summary: Summary) -> None:
    from commentscope.summary import HEADLINE_FLAGS

    table = Table(title=f"Comments per creator, before vs after launch (tagger {summary.tagger_version})")
    for column in ["creator", "period", "comments", *HEADLINE_FLAGS]:
        table.add_column(column, justify="left" if column in {"creator", "period"} else "right")
    for row in summary.by_creator_period:
        cells = [f"{row.counts[f]} ({100 * row.counts[f] / row.n:.0f}%)" for f in HEADLINE_FLAGS]
        table.add_row(row.group["creator"], row.group["period"], str(row.n), *cells)
    console.print(table)
    console.print(f"total comments: {summary.total}; code-mixed: {summary.code_mixed}; labels: {summary.labels}")


def run_enrich(rt: Runtime, full: bool = False) -> int:
    """The enrich stage the DAG runs (analyzer from COMMENTSCOPE_ANALYZER, same settings), with a progress bar."""
    from commentscope.orchestrate.enriching import enrich_stage

    with progress_bar("enrich") as update:
        result = enrich_stage(rt, full=full, on_progress=update)
    console.print(
        f"enriched {result.records} comments in {len(result.parts)} parts "
        f"({result.skipped_parts} parts already enriched by {result.version})"
    )
    return result.records


def register(app: typer.Typer) -> None:
    @app.command()
    def enrich(
        data: Path | None = DataOption,
        registry: Path | None = RegistryOption,
        full: bool = typer.Option(False, help="Re-enrich every raw part, not only new ones."),
    ) -> None:
        """Enrich new raw comments (language, tokens, labels) into the enriched lake."""
        from commentscope.orchestrate.runtime import runtime

        run_enrich(runtime(settings_from(data, registry)), full)

    @app.command()
    def summary(data: Path | None = DataOption) -> None:
        """Print counts per creator, language and label, before vs after, and write a report."""
        from commentscope.summary import completeness_notes, summarise, write_report

        settings = settings_from(data)
        lake = open_lake(settings)
        con = lake.connect()
        result = summarise(con)
        result.notes = completeness_notes(lake, con)
        for note in result.notes:
            err_console.print(f"[bold yellow]incomplete:[/] {escape(note)}")
        if not result.total:
            raise fail(f"no enriched comments under {lake.root}: run `commentscope enrich` first")
        _print_summary(result)
        md, _ = write_report(result, lake.local_root / "reports")
        console.print(f"report: {escape(str(md))}")

    @app.command()
    def demo(
        data: Path = typer.Option(Path("data/demo"), "--data", help="Where the demo lake is written."),
    ) -> None:
        """Run the bundled SYNTHETIC demo campaign end to end: import -> enrich -> summary + report."""
        from commentscope.collectors.importers.generic import import_file
        from commentscope.demo import DEMO_COMMENTS, DEMO_REGISTRY
        from commentscope.lake import Lake
        from commentscope.orchestrate.runtime import Runtime
        from commentscope.registry import load_registry
        from commentscope.summary import summarise, write_report

        salt = Environment.read().commentscope_author_salt or DEMO_SALT
        reg = load_registry(DEMO_REGISTRY)
        lake = Lake(data)
        settings = Settings(data_dir=data, registry_path=DEMO_REGISTRY, author_salt=salt)
        console.print("[bold]commentscope demo[/] — synthetic sample data, not real comments")
        result = import_file(lake, DEMO_COMMENTS, reg)
        console.print(
            f"imported {escape(DEMO_COMMENTS.name)}: read {result.read}, new {result.appended.new}, "
            f"already in lake {result.appended.unchanged}, quarantined {result.quarantined}"
        )
        run_enrich(Runtime(settings, reg, lake))
        summary_result = summarise(lake.connect())
        _print_summary(summary_result)
        md, js = write_report(summary_result, lake.local_root / "reports", title="commentscope demo (synthetic data)")
        console.print(f"report: {escape(str(md))}\nfigures: {escape(str(js))}")
