"""``commentscope doctor``: report (and with ``--fix`` remove) what killed runs left behind."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from commentscope.commands.common import DataOption, console, settings_from
from commentscope.doctor import MIN_AGE, Finding, find_leftovers, find_spool_leftovers, fix
from commentscope.lake import Lake
from commentscope.storage import S3Store, Store, spool_dir


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _findings(store: Store, roots: list[Path], min_age: float) -> list[Finding]:
    findings = find_leftovers(roots, min_age=min_age)
    if isinstance(store, S3Store):
        seen = {f.path for f in findings}
        findings += [f for f in find_spool_leftovers(spool_dir(), min_age) if f.path not in seen]
        from commentscope.doctor_s3 import find_remote_leftovers

        findings += find_remote_leftovers(store, min_age)
    return findings


def register(app: typer.Typer) -> None:
    @app.command()
    def doctor(
        fix_them: bool = typer.Option(False, "--fix", help="Remove the leftovers no running process holds."),
        also: list[Path] = typer.Option(
            [], "--also", help="Another folder to check, e.g. the parent of your export folders (repeatable)."
        ),
        min_age: float = typer.Option(
            MIN_AGE, "--min-age", min=0, help="Leave anything younger than this many seconds alone."
        ),
        data: Path | None = DataOption,
    ) -> None:
        """Find what killed runs left: partial and spool files, staging folders, old exports, locks, S3 uploads."""
        settings = settings_from(data)
        store = Lake(settings.data_dir).store
        roots = [store.local_root, *also]  # an s3:// lake's local files: checkpoints, locks, spool
        findings = _findings(store, roots, min_age)
        if fix_them:
            fix(findings)
            if isinstance(store, S3Store):
                from commentscope.doctor_s3 import fix_remote

                fix_remote(store, findings)
        if not findings:
            where = [*map(str, roots), *([str(settings.data_dir)] if isinstance(store, S3Store) else [])]
            console.print(f"nothing left behind under {escape(', '.join(where))}")
            return
        table = Table(title="left behind by earlier runs")
        for column in ("kind", "path", "size", "status"):
            table.add_column(column, justify="right" if column == "size" else "left")
        for f in findings:
            status = f.action or ("in use (left alone)" if f.in_use else "leftover")
            table.add_row(f.kind, escape(f.location), _mb(f.size), status)
        console.print(table)
        leftover = [f for f in findings if not f.in_use and not f.action]
        if leftover:
            console.print(
                f"{len(leftover)} leftovers, {_mb(sum(f.size for f in leftover))}: "
                "remove them with `commentscope doctor --fix`"
            )
        removed = [f for f in findings if f.action == "removed"]
        if removed:
            console.print(f"removed {len(removed)}, {_mb(sum(f.size for f in removed))} freed")
