"""A short summary of the enriched lake: counts per campaign, creator, language and label, before vs after.

It is the demo's output and a quick health check after any run; the full statistical comparison
is ``commentscope compare``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from commentscope import import_ledger
from commentscope.atomic import write_text
from commentscope.duck import one_row
from commentscope.lake import Lake
from commentscope.metrics import group_counts, label_counts
from commentscope.schema import LABELS

HEADLINE_FLAGS = ("toxic", "hate", "counter_speech", "supportive")


@dataclass
class Row:
    """One line of a summary table: a group, its size and its flag counts."""

    group: dict[str, str]
    n: int
    counts: dict[str, int]


@dataclass
class Summary:
    tagger_version: str | None
    total: int
    by_campaign_period: list[Row] = field(default_factory=list)
    by_creator_period: list[Row] = field(default_factory=list)
    by_language: list[Row] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)
    targets: dict[str, int] = field(default_factory=dict)
    code_mixed: int = 0
    notes: list[str] = field(default_factory=list)  # what the counts do not cover yet, and the fix


def _rows(con: duckdb.DuckDBPyConnection, by: list[str]) -> list[Row]:
    flags = list(HEADLINE_FLAGS) + [label for label in LABELS if label not in HEADLINE_FLAGS]
    return [
        Row(group=dict(zip(by, map(str, g.key), strict=True)), n=g.n, counts=g.counts)
        for g in group_counts(con, by, flags=flags)
    ]


def summarise(con: duckdb.DuckDBPyConnection) -> Summary:
    total = one_row(con.execute("SELECT count(*) FROM comments"))[0]
    version = one_row(con.execute("SELECT any_value(tagger_version) FROM comments"))[0]
    return Summary(
        tagger_version=version,
        total=total,
        by_campaign_period=_rows(con, ["campaign", "period"]),
        by_creator_period=_rows(con, ["creator", "period"]),
        by_language=_rows(con, ["language"]),
        labels=dict(label_counts(con, "labels")),
        targets=dict(label_counts(con, "targets")),
        code_mixed=one_row(con.execute("SELECT count(*) FROM comments WHERE code_mixed"))[0],
    )


def completeness_notes(lake: Lake, con: duckdb.DuckDBPyConnection) -> list[str]:
    """Why the counts may be lower than what was read: unfinished imports, comments not yet enriched."""
    notes = [
        f"import of {entry.file} ({entry.source}, started {entry.started_at[:19]}) did not finish: its comments "
        "may be missing; run the same `commentscope import` again"
        for entry in import_ledger.unfinished(lake)
    ]
    if lake.raw_parts():
        (raw,) = one_row(con.execute("SELECT count(*) FROM raw_comments"))
        (enriched,) = one_row(con.execute("SELECT count(*) FROM comments"))
        if raw > enriched:
            notes.append(
                f"{raw - enriched} of {raw} comments in the raw lake are not enriched by this tagger "
                "version yet: run `commentscope enrich`"
            )
    return notes


def _pct(count: int, n: int) -> str:
    return f"{100 * count / n:.1f}%" if n else "-"


def _markdown_table(title: str, rows: list[Row]) -> list[str]:
    if not rows:
        return [f"## {title}", "", "(no comments)", ""]
    keys = list(rows[0].group)
    head = keys + ["comments"] + [f"{f} (n, %)" for f in HEADLINE_FLAGS]
    lines = [f"## {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [row.group[k] for k in keys] + [str(row.n)]
        cells += [f"{row.counts[f]} ({_pct(row.counts[f], row.n)})" for f in HEADLINE_FLAGS]
        lines.append("| " + " | ".join(cells) + " |")
    return lines + [""]


def to_markdown(summary: Summary, title: str = "commentscope summary") -> str:
    lines = [
        f"# {title}",
        "",
        f"- comments: {summary.total}",
        f"- tagger version: {summary.tagger_version}",
        f"- code-mixed comments: {summary.code_mixed}",
        *[f"- **incomplete:** {note}" for note in summary.notes],
        "",
    ]
    lines += _markdown_table("Per campaign, before vs after launch", summary.by_campaign_period)
    lines += _markdown_table("Per creator, before vs after launch", summary.by_creator_period)
    lines += _markdown_table("Per language", summary.by_language)
    lines += ["## Labels", ""] + [f"- {k}: {v}" for k, v in summary.labels.items()] + [""]
    lines += ["## Hate targets", ""] + [f"- {k}: {v}" for k, v in summary.targets.items()] + [""]
    return "\n".join(lines)


def write_report(summary: Summary, directory: Path, title: str = "commentscope summary") -> tuple[Path, Path]:
    """Write summary.md and summary.json atomically; return both paths."""
    md = directory / "summary.md"
    js = directory / "summary.json"
    write_text(md, to_markdown(summary, title))
    write_text(js, json.dumps(asdict(summary), indent=2, ensure_ascii=False))
    return md, js
