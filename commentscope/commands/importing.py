"""``commentscope import``: load exported comment files into the raw lake."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from commentscope.collectors.importers.base import ImportFormatError
from commentscope.collectors.importers.detect import FORMATS, import_any
from commentscope.commands.common import (
    DataOption,
    RegistryOption,
    console,
    fail,
    open_lake,
    open_registry,
    settings_from,
)
from commentscope.safenames import UnsafeNameError


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_command(
        files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, help="Files to import."),
        fmt: str = typer.Option(
            "auto", "--format", "-f", help=f"One of {', '.join(FORMATS)} (auto: detected from the file)."
        ),
        video_id: str | None = typer.Option(None, "--video-id", help="ytdt: the video, if not in the file name."),
        data: Path | None = DataOption,
        registry: Path | None = RegistryOption,
    ) -> None:
        """Import comment files into the raw lake; bad rows go to quarantine with their reason.

        Formats: generic JSONL/CSV, Zeeschuimer NDJSON or CSV (TikTok), 4CAT TikTok comments CSV or NDJSON,
        YouTube Data Tools comments CSV/TAB (PHP) or CSV (v2) (see docs/import-formats.md). A file that
        cannot be imported is reported in one line and the other files still import; the exit code is then 1."""
        if fmt not in FORMATS:
            raise typer.BadParameter(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
        settings = settings_from(data, registry)
        reg = open_registry(settings)
        lake = open_lake(settings)
        failed = 0
        for path in files:
            try:
                used, result = import_any(lake, path, reg, fmt, video_id)
            except (ImportFormatError, UnsafeNameError) as exc:
                fail(str(exc))
                failed += 1
                continue
            except OSError as exc:  # a full disk, a lost mount: the unfinished part was dropped
                fail(
                    f"importing {path} failed: {exc.strerror or exc} (errno {exc.errno}); no partly written "
                    "file was kept and the import stays marked unfinished (`commentscope summary` says so). "
                    f"Fix: free disk space (or fix the cause), then run the same import again"
                )
                failed += 1
                continue
            skipped = f", skipped non-comment items {result.skipped}" if result.skipped else ""
            layout = f", {result.layout}" if result.layout else ""
            console.print(
                f"{escape(str(path))} ({used}{escape(layout)}): read {result.read}, new {result.appended.new}, "
                f"changed {result.appended.changed}, already in lake {result.appended.unchanged}, "
                f"quarantined {result.quarantined}{skipped}"
            )
            for warning in result.warnings:
                console.print(f"  [yellow]warning:[/] {escape(warning)}")
            if result.quarantine_file:
                console.print(f"  [yellow]quarantined rows with reasons:[/] {escape(str(result.quarantine_file))}")
        if failed:
            raise typer.Exit(1)
