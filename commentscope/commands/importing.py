"""``commentscope import``: load exported comment files into the raw lake."""

from __future__ import annotations

from pathlib import Path

import typer

from collectors.importers.base import ImportFormatError
from collectors.importers.generic import import_file
from commentscope.commands.common import (
    DataOption,
    RegistryOption,
    console,
    fail,
    open_lake,
    open_registry,
    settings_from,
)


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_command(
        files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, help="Files to import."),
        data: Path | None = DataOption,
        registry: Path | None = RegistryOption,
    ) -> None:
        """Import comment files (generic JSONL/CSV) into the raw lake; bad rows go to quarantine."""
        settings = settings_from(data, registry)
        reg = open_registry(settings)
        lake = open_lake(settings)
        for path in files:
            try:
                result = import_file(lake, path, reg)
            except ImportFormatError as exc:
                raise fail(str(exc)) from None
            console.print(
                f"{path}: read {result.read}, new {result.appended.new}, changed {result.appended.changed}, "
                f"already in lake {result.appended.unchanged}, quarantined {result.quarantined}"
            )
            if result.quarantine_file:
                console.print(f"  [yellow]quarantined rows with reasons:[/] {result.quarantine_file}")
