"""``commentscope compare CAMPAIGN``: before/after figures per creator and overall, table + report."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from commentscope.commands.common import (
    DataOption,
    RegistryOption,
    console,
    open_lake,
    open_registry,
    settings_from,
)
from commentscope.compare import DEFAULT_METRICS, Comparison, compare_campaign, write_report
from commentscope.compare.compute import compare_corrected
from commentscope.compare.corrected import MIN_REVIEWED
from commentscope.compare.corrected_campaign import CORRECTED_METRICS, CorrectedComparison
from commentscope.compare.explain import _pct, _pp
from commentscope.compare.format import change_text, did_text, metric_title, p_text, rate_text


def print_comparison(comparison: Comparison, groups: list[str]) -> None:
    """One rich table per group; significant changes (q < 0.05) in bold."""
    has_did = bool(comparison.controls)
    for group in groups:
        rows = [r for r in comparison.rows if r.group == group]
        if not rows:
            continue
        title = f"{comparison.campaign}: {group}" + (" (control)" if rows[0].is_control and group != "control" else "")
        table = Table(title=title, title_justify="left")
        for column in ["metric", "before", "after", "change", "p", "q"] + (["DiD vs control"] if has_did else []):
            table.add_column(column, justify="left" if column == "metric" else "right")
        for row in rows:
            if row.metric.startswith("hate_") and row.x_before == 0 and row.x_after == 0:
                continue
            style = "bold" if row.significant else None
            cells = [
                metric_title(row.metric),
                rate_text(row, "before"),
                rate_text(row, "after"),
                change_text(row),
                p_text(row.test.p_value),
                p_text(row.q_value),
            ]
            if has_did:
                cells.append(did_text(row))
            table.add_row(*cells, style=style)
        console.print(table)


def print_corrected(fixed: CorrectedComparison, groups: list[str]) -> None:
    """Raw and corrected shares side by side, per metric, and the tagger's precision and recall."""
    for metric in dict.fromkeys(r.metric for r in fixed.rows):
        title = f"{metric_title(metric)}: raw vs corrected ({fixed.reviewed} reviewed)"
        table = Table(title=title, title_justify="left")
        for column in ("group", "raw before", "raw after", "corrected before", "corrected after", "corrected change",
                       "p", "corrected DiD"):  # fmt: skip
            table.add_column(column, justify="left" if column == "group" else "right")
        for row in (r for r in fixed.rows if r.metric == metric and r.group in groups):
            table.add_row(row.group, _pct(row.raw_before), _pct(row.raw_after), _pct(row.before), _pct(row.after),
                          _pp(row.change), p_text(row.p_value), _pp(row.did))  # fmt: skip
        console.print(table)
        for q in fixed.quality.get(metric, []):
            console.print(
                f"  tagger {q['period']}/{q['language']}: precision {_ratio(q['precision'])}, "
                f"recall {_ratio(q['recall'])} ({q['reviewed_positive']}+{q['reviewed_negative']} reviewed)"
            )


def _ratio(value: float | None) -> str:
    return "–" if value is None or value != value else f"{value:.2f}"


def register(app: typer.Typer) -> None:
    @app.command()
    def compare(
        campaign: str = typer.Argument(..., help="Campaign id from the registry."),
        data: Path | None = DataOption,
        registry: Path | None = RegistryOption,
        out: Path | None = typer.Option(None, "--out", help="Report folder (default: DATA/reports/compare-CAMPAIGN)."),
        metric: list[str] = typer.Option(
            list(DEFAULT_METRICS), "--metric", help="Metric to compare (repeatable): volume or a flag name."
        ),
        platform: str | None = typer.Option(None, help="Only comments from this platform."),
        language: str | None = typer.Option(None, help="Only comments in this language."),
        by_creator: bool = typer.Option(True, "--by-creator/--overall-only", help="Print a table per creator."),
        cluster: str = typer.Option("video", help="Cluster-robust figures by video or creator."),
        independent: bool = typer.Option(
            False, "--independent", help="Treat every comment as independent (the old, narrower intervals)."
        ),
        corrected: bool = typer.Option(
            False, "--corrected", help="Also correct toxic/hate/counter-speech for tagger error from reviewed samples."
        ),
        min_reviewed: int = typer.Option(
            MIN_REVIEWED, min=2, help="Reviews needed per period x language x machine-label cell for --corrected."
        ),
    ) -> None:
        """Compare toxicity, hate, counter-speech and volume before vs after the campaign launch."""
        settings = settings_from(data, registry)
        reg = open_registry(settings)
        chosen = reg.campaign(campaign)
        lake = open_lake(settings)
        con = lake.connect()
        result = compare_campaign(
            con, chosen, metric, platform=platform, language=language, cluster=None if independent else cluster
        )
        fixed = None
        if corrected:
            chosen_metrics = [] if list(metric) == list(DEFAULT_METRICS) else metric  # default: the three
            wanted = [m for m in chosen_metrics if m in CORRECTED_METRICS or m.startswith("hate_")]
            fixed = compare_corrected(con, lake, chosen, result, wanted or list(CORRECTED_METRICS), min_reviewed)
        if result.stale_periods:
            console.print(
                f"[yellow]warning:[/] {result.stale_periods} comments have a period that no longer matches "
                "the registry windows: run `commentscope enrich --full`."
            )
        groups = result.groups() if by_creator else [g for g in result.groups() if g in ("overall", "control")]
        print_comparison(result, groups)
        if fixed is not None:
            print_corrected(fixed, groups)
        report = write_report(result, out or lake.local_root / "reports" / f"compare-{chosen.id}", fixed)
        console.print(f"report: {escape(str(report))}")
