"""``commentscope digest``: build, archive and send the weekly comment-health digests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from commentscope.commands.common import (
    DataOption,
    RegistryOption,
    console,
    fail,
    open_lake,
    open_registry,
    progress_bar,
    settings_from,
)
from commentscope.digest import SmtpSettings, send_digests
from commentscope.digest.run import DigestReport

_STYLE = {
    "sent": "green",
    "dry-run": "cyan",
    "failed": "bold red",
    "unconfirmed": "bold yellow",
    "skipped-unconfirmed": "yellow",
}


def _print_report(report: DigestReport) -> None:
    table = Table(title="Weekly digests")
    for column in ("campaign", "creator", "week", "status", "attempts", "archive / detail"):
        table.add_column(column)
    for o in report.outcomes:
        style = _STYLE.get(o.status, "")
        where = o.detail or (str(o.archive) if o.archive else "")
        table.add_row(
            o.campaign,
            o.creator,
            str(o.week_start),
            f"[{style}]{o.status}[/]" if style else o.status,
            str(o.attempts or ""),
            escape(where),
        )
    console.print(table)
    console.print(", ".join(f"{status}: {n}" for status, n in sorted(report.counts.items())) or "no creators")


def register(app: typer.Typer) -> None:
    @app.command()
    def digest(
        data: Path | None = DataOption,
        registry: Path | None = RegistryOption,
        campaign: str | None = typer.Option(None, "--campaign", help="Only this campaign (default: all)."),
        creator: str | None = typer.Option(None, "--creator", help="Only this creator key."),
        week: datetime | None = typer.Option(
            None,
            "--week",
            formats=["%Y-%m-%d"],
            help="Any day of the week to report (Monday-Sunday, creator's timezone). Default: last complete week.",
        ),
        dry_run: bool = typer.Option(False, "--dry-run", help="Write the digests to DATA/digests, send nothing."),
        reveal: bool = typer.Option(False, "--reveal", help="Show flagged comments unmasked (for reviewers)."),
        resend_unconfirmed: bool = typer.Option(
            False,
            "--resend-unconfirmed",
            help="Send again a digest whose earlier send may or may not have arrived (same Message-ID).",
        ),
    ) -> None:
        """Weekly comment-health digest per creator, in their language, by e-mail (SMTP from env)."""
        settings = settings_from(data, registry)
        reg = open_registry(settings)
        lake = open_lake(settings)
        if not lake.enriched_versions():
            raise fail(f"no enriched comments under {lake.root}: run `commentscope enrich` first")
        smtp = None
        if not dry_run:
            smtp = SmtpSettings.from_env()
        try:
            with progress_bar("digests") as update:
                report = send_digests(
                    lake,
                    reg,
                    week.date() if week else None,
                    smtp,
                    dry_run=dry_run,
                    campaign_id=campaign,
                    creator_key=creator,
                    resend_unconfirmed=resend_unconfirmed,
                    reveal=reveal,
                    on_progress=update,
                )
        except KeyError as exc:
            raise fail(f"{exc.args[0]}: check the key in campaigns.yaml") from None
        _print_report(report)
        if report.failed:
            raise fail(f"{len(report.failed)} digest(s) not delivered: see the table; a re-run retries failed ones")
