"""What every command shares: settings, registry and lake from options, and user-facing errors."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

from commentscope.redact import redact
from commentscope.settings import Settings

if TYPE_CHECKING:  # imported where used: a command that needs neither starts faster
    from commentscope.lake import Lake
    from commentscope.registry import Registry

# wide enough for the summary tables when output goes to a file or CI log
console = Console(width=None if sys.stdout.isatty() else 120)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 120)

DataOption = typer.Option(None, "--data", help="Data directory (default: $COMMENTSCOPE_DATA or ./data).")
RegistryOption = typer.Option(
    None, "--registry", help="Campaign registry (default: $COMMENTSCOPE_REGISTRY or ./campaigns.yaml)."
)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a user error in red (no traceback), secrets redacted, and return the Exit to raise.

    The message is printed as text, never as rich markup: file names, registry patterns such as
    ``[a-z0-9]`` and values from files reach the terminal as they are (``[/c]`` cannot crash it)."""
    message = redact(message)
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)  # one line
    return typer.Exit(code)


def settings_from(data: Path | None = None, registry: Path | None = None) -> Settings:
    return Settings.from_env(data_dir=data, registry_path=registry)


def open_registry(settings: Settings) -> Registry:
    from commentscope.registry import load_registry

    return load_registry(settings.registry_path)


def require_salt(settings: Settings) -> str:
    return settings.require_salt()


def open_lake(settings: Settings) -> Lake:
    from commentscope.lake import Lake

    return Lake(settings.data_dir)


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar; yields ``update(done, total)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
    ) as progress:
        task = progress.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update
