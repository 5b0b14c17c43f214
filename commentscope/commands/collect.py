"""``commentscope collect``, ``collect-status`` and ``sandbox``: platform collection from the CLI."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from commentscope.collectors.collect import (
    CollectOptions,
    CollectReport,
    VideoOutcome,
    campaign_videos,
    collect_campaign,
)
from commentscope.collectors.platform import all_platforms
from commentscope.collectors.sandbox import Corpus, FaultPlan, Sandbox
from commentscope.collectors.state import StateStore
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
from commentscope.demo import DEMO_COMMENTS, DEMO_REGISTRY
from commentscope.lake import Lake
from commentscope.platforms import NAMES as PLATFORMS
from commentscope.registry import Registry, load_registry
from commentscope.settings import Settings


def _registry_for(settings: Settings, sandbox: bool, given: Path | None) -> Registry:
    """With --sandbox and no registry anywhere, use the bundled demo campaign."""
    if sandbox and given is None and not settings.registry_path.exists():
        console.print(
            f"[dim]no registry at {escape(str(settings.registry_path))}: "
            f"using the demo campaign {escape(str(DEMO_REGISTRY))}[/]"
        )
        return load_registry(DEMO_REGISTRY)
    return open_registry(settings)


def _faults(spec: str | None) -> FaultPlan | None:
    if not spec:
        return None
    try:
        return FaultPlan.parse(spec)
    except ValueError as exc:
        raise typer.BadParameter(f"{exc} (example: --faults rate_limit@3,html_504@every7)") from None


@contextlib.contextmanager
def _sandbox_clients(lake: Lake, reg: Registry, corpus: Path, faults: FaultPlan | None) -> Iterator[dict[str, Any]]:
    """Every platform's client pointed at a local sandbox (budgets in a ledger of their own)."""
    if not corpus.exists():
        raise fail(f"sandbox corpus {corpus} not found (fix: pass --corpus FILE.jsonl in the generic format)")
    sandbox = Sandbox(Corpus.from_file(corpus, reg), faults=faults).start()
    console.print(f"[dim]sandbox serving {escape(corpus.name)} at {sandbox.url}[/]")
    clients = {p.name: p.sandbox_client(sandbox.url, lake.state_dir / "sandbox") for p in all_platforms()}
    try:
        yield clients
    finally:
        for client in clients.values():
            client.close()
        sandbox.stop()


def _print_report(report: CollectReport) -> None:
    table = Table(title=f"collect {report.campaign}")
    for column in ("platform", "video", "stopped because", "pages", "comments", "new", "changed", "note"):
        table.add_column(column, justify="right" if column in {"pages", "comments", "new", "changed"} else "left")
    for v in report.videos:
        note = "cut off at the API's 1,000-comment cap" if v.truncated else (v.message or "")
        colour = "green" if v.reason in {"complete", "up_to_date", "cap", "not_due"} else "yellow"
        table.add_row(
            v.platform,
            escape(v.video_id),
            f"[{colour}]{v.reason}[/]",
            str(v.pages),
            str(v.comments),
            str(v.new),
            str(v.changed),
            escape(note[:90]),
        )
    console.print(table)
    for platform, message in report.budget_stopped.items():
        console.print(f"[yellow]{platform}: stopped for the day: {escape(message)}[/]")
    for note in report.notes:
        console.print(f"[yellow]{escape(note)}[/]")


def register(app: typer.Typer) -> None:
    @app.command()
    def collect(
        campaign: list[str] = typer.Option(None, "--campaign", "-c", help="Campaign id (repeatable; default all)."),
        platform: list[str] = typer.Option(
            None, "--platform", "-p", help=f"One of {', '.join(PLATFORMS)} (repeatable; default all)."
        ),
        sandbox: bool = typer.Option(False, help="Collect from the local API sandbox instead of the platforms."),
        corpus: Path = typer.Option(DEMO_COMMENTS, help="Comments the sandbox serves (generic JSONL)."),
        faults: str | None = typer.Option(None, help="Sandbox faults, e.g. rate_limit@3,html_504@every7."),
        full: bool = typer.Option(False, help="Walk every video in full (refresh all counts)."),
        discover: bool = typer.Option(True, help="Also find creators' other videos in the windows (TikTok query)."),
        data: Path | None = DataOption,
        registry: Path | None = RegistryOption,
    ) -> None:
        """Collect new comments for the campaign videos into the raw lake (incremental, resumable).

        Credentials come from TIKTOK_CLIENT_KEY, TIKTOK_CLIENT_SECRET and YOUTUBE_API_KEYS; daily budgets
        from TIKTOK_DAILY_REQUESTS, TIKTOK_DAILY_RECORDS and YOUTUBE_DAILY_UNITS."""
        platforms = tuple(platform or PLATFORMS)
        unknown = [p for p in platforms if p not in PLATFORMS]
        if unknown:
            raise typer.BadParameter(f"unknown platform {unknown[0]!r}: use one of {', '.join(PLATFORMS)}")
        settings = settings_from(data, registry)
        reg = _registry_for(settings, sandbox, registry)
        campaigns = [reg.campaign(c).id for c in campaign] if campaign else [c.id for c in reg.campaigns]
        lake = open_lake(settings)
        options = CollectOptions(full=full, discover=discover)
        plan = _faults(faults)
        clients: contextlib.AbstractContextManager[dict[str, Any]] = (
            _sandbox_clients(lake, reg, corpus, plan) if sandbox else contextlib.nullcontext({})
        )
        started = time.monotonic()
        with clients as given:
            for campaign_id in campaigns:
                total = len(campaign_videos(reg.campaign(campaign_id), platforms))
                with progress_bar(f"collect {campaign_id}") as update:
                    done: list[VideoOutcome] = []

                    def on_video(outcome: VideoOutcome, done: list = done, total: int = total) -> None:
                        done.append(outcome)
                        update(len(done), max(total, len(done)))

                    report = collect_campaign(
                        lake, reg, campaign_id, platforms=platforms, clients=given, options=options, on_video=on_video
                    )
                _print_report(report)
        checkpoints = escape(str(lake.state_dir / "collect"))
        console.print(f"done in {time.monotonic() - started:.1f}s; checkpoints in {checkpoints}")

    @app.command("collect-status")
    def collect_status(data: Path | None = DataOption) -> None:
        """Per video: what was collected, when, and why the last run stopped."""
        lake = open_lake(settings_from(data, None))
        states = StateStore(lake.state_dir).all()
        if not states:
            console.print("nothing collected yet (run `commentscope collect`)")
            return
        table = Table(title="collection state per video")
        for column in (
            "platform",
            "video",
            "last stop",
            "in progress",
            "last complete",
            "newest comment",
            "pages",
            "truncated",
        ):
            table.add_column(column)
        for s in states:
            table.add_row(
                s.platform,
                escape(s.video_id),
                s.stopped_reason or "",
                "yes" if s.in_progress else "",
                (s.last_complete_at or "")[:16],
                (s.newest_comment_at or "")[:16],
                str(s.total_pages),
                "yes" if s.truncated else "",
            )
        console.print(table)

    @app.command("sandbox")
    def sandbox_command(
        corpus: Path = typer.Option(DEMO_COMMENTS, help="Comments to serve (generic JSONL)."),
        registry: Path | None = RegistryOption,
        port: int = typer.Option(8765, help="Port on 127.0.0.1."),
        faults: str | None = typer.Option(None, help="Faults to inject, e.g. rate_limit@3,slow@every2:0.5."),
    ) -> None:
        """Serve every platform's API sandbox on 127.0.0.1 until Ctrl-C (for trying the collectors)."""
        settings = settings_from(None, registry)
        reg = _registry_for(settings, True, registry)
        server = Sandbox(Corpus.from_file(corpus, reg), faults=_faults(faults), port=port)
        exports = "\n".join(f"  export {name}={value}" for name, value in server.env().items())
        console.print(f"sandbox at {server.url}; point the collectors at it with:\n{exports}")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
