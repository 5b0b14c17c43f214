"""A researcher export: selected, pseudonymised, PII-scrubbed comments in seeded, leak-free splits.

Folder layout (a Hugging Face datasets-style folder)::

    OUT/README.md              dataset card with YAML header
    OUT/data/{train,validation,test}.{jsonl,csv,parquet}
    OUT/manifest.json          filters, seed, counts, tagger version, sha256 of every file

The folder is built beside ``OUT`` and renamed into place at the end, so a crash never leaves
half an export behind, and an existing export is only replaced when asked to.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

import commentscope
from commentscope.atomic import OLD_MARK, staging_dir, write_text
from commentscope.errors import ExportStageError
from commentscope.export.card import render_card
from commentscope.export.formats import FORMATS, write_rows
from commentscope.export.human_labels import HUMAN_EXPORT_COLUMNS, empty_human_columns, latest_labels
from commentscope.export.manifest import MANIFEST, file_entries
from commentscope.export.scrub import PLACEHOLDERS, ScrubCounts, scrub
from commentscope.export.selection import EXPORT_COLUMNS, ExportFilter, primary_label, select_comments
from commentscope.export.splits import DEFAULT_RATIOS, SPLITS, assign_splits
from commentscope.lake import Lake
from commentscope.schema import LABELS, utcnow

DEFAULT_LICENCE = "cc-by-nc-4.0"
DEFAULT_USE = (
    "research on online hate speech and counter-speech in Southeast Asian languages, and training or "
    "evaluating classifiers for it."
)
TEXT_ONLY_COLUMNS = ("text", "evidence_terms")  # dropped by --no-text: both repeat comment text
COUNT_LABELS: tuple[str, ...] = (*LABELS, "counter_speech", "supportive", "none")


class ExportError(ExportStageError, ValueError):
    """An export that cannot be written, with what to do."""


@dataclass
class ExportOptions:
    filters: ExportFilter
    formats: tuple[str, ...] = tuple(FORMATS)
    include_text: bool = True
    seed: int = 0
    ratios: tuple[float, float, float] = DEFAULT_RATIOS
    licence: str = DEFAULT_LICENCE
    intended_use: str = DEFAULT_USE
    title: str | None = None
    overwrite: bool = False


@dataclass
class ExportResult:
    out_dir: Path
    manifest: dict
    files: list[str] = field(default_factory=list)


def export_columns(include_text: bool) -> list[str]:
    base = [c for c in EXPORT_COLUMNS if include_text or c not in TEXT_ONLY_COLUMNS]
    return base + list(HUMAN_EXPORT_COLUMNS)


def _label_counts(rows: list[dict]) -> dict[str, int]:
    counts: Counter = Counter()
    for row in rows:
        counts.update(set(row["labels"] or []))
        counts["counter_speech"] += bool(row["counter_speech"])
        counts["supportive"] += bool(row["supportive"])
        counts["none"] += primary_label(row) == "none"
    return {name: counts.get(name, 0) for name in COUNT_LABELS}


def _prepare(lake: Lake, rows: list[dict], include_text: bool) -> ScrubCounts:
    """Join human labels and scrub (or drop) text, in place; return what scrubbing replaced."""
    human = latest_labels(lake)
    tally = ScrubCounts()
    for row in rows:
        row.update(human.get(row["id"], empty_human_columns()))
        if include_text:
            row["text"] = scrub(row["text"], tally)
        else:
            for column in TEXT_ONLY_COLUMNS:
                row.pop(column, None)
    return tally


def _check_target(out_dir: Path, overwrite: bool) -> None:
    if out_dir.exists() and any(out_dir.iterdir()):
        if not (out_dir / MANIFEST).exists():
            raise ExportError(f"{out_dir} exists and is not an export: choose an empty or new folder")
        if not overwrite:
            raise ExportError(f"{out_dir} already holds an export: pass --overwrite to replace it")


def reproduce_command(options: ExportOptions) -> str:
    f = options.filters
    parts = ["commentscope export corpus", f"--campaign {f.campaign}", f"--seed {options.seed}"]
    parts.append("--splits " + ",".join(f"{r:g}" for r in options.ratios))
    for flag, values in (("--period", f.periods), ("--language", f.languages), ("--label", f.labels),
                         ("--creator", f.creators), ("--platform", f.platforms)):  # fmt: skip
        parts += [f"{flag} {v}" for v in values]
    if f.since:
        parts.append(f"--since {f.since.isoformat()}")
    if f.until:
        parts.append(f"--until {f.until.isoformat()}")
    if f.tagger_version:
        parts.append(f"--tagger-version {f.tagger_version}")
    if not options.include_text:
        parts.append("--no-text")
    parts += [f"--format {fmt}" for fmt in options.formats]
    return " ".join(parts)


def export_corpus(
    lake: Lake,
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    options: ExportOptions,
    on_progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Select, scrub, split and write an export; return its manifest."""
    unknown = [fmt for fmt in options.formats if fmt not in FORMATS]
    if unknown or not options.formats:
        raise ExportError(f"unknown format(s) {', '.join(unknown) or '(none)'}: use {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    _check_target(out_dir, options.overwrite)
    selection = select_comments(con, options.filters)
    rows = selection.rows
    if not rows:
        raise ExportError(
            f"no comments match {options.filters.to_dict()}: check the filters, or run `commentscope enrich`"
        )
    fingerprint = hashlib.sha256("\n".join(f"{r['id']}\x1f{r['tagger_version']}" for r in rows).encode())
    tally = _prepare(lake, rows, options.include_text)
    assignment = assign_splits(
        rows, lambda r: (r["language"], primary_label(r)), seed=options.seed, ratios=options.ratios
    )
    by_split = {name: [r for r in rows if assignment[r["thread_id"]] == name] for name in SPLITS}
    columns = export_columns(options.include_text)

    with staging_dir(out_dir) as staging:
        written: list[str] = []
        steps, done = len(options.formats) * len(SPLITS), 0
        for fmt in options.formats:
            for split in SPLITS:
                name = f"data/{split}.{FORMATS[fmt]}"
                write_rows(staging / name, fmt, by_split[split], columns)
                written.append(name)
                done += 1
                if on_progress:
                    on_progress(done, steps)
        manifest = _manifest(options, selection.tagger_versions, rows, by_split, columns, tally, fingerprint)
        card_format = "parquet" if "parquet" in options.formats else options.formats[0]
        write_text(staging / "README.md", render_card(manifest, card_format, options.licence, options.intended_use))
        written.append("README.md")
        manifest["files"] = file_entries(staging, written)
        write_text(staging / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        _publish(staging, out_dir)
    return ExportResult(out_dir=out_dir, manifest=manifest, files=written)


def _publish(staging: Path, out_dir: Path) -> None:
    """Swap the finished folder into place; the old export is removed only after the swap."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}{OLD_MARK}{utcnow().strftime('%Y%m%d%H%M%S%f')}")
        out_dir.rename(old)
    staging.rename(out_dir)
    if old is not None:
        shutil.rmtree(old)


def _manifest(
    options: ExportOptions,
    versions: list[str],
    rows: list[dict],
    by_split: dict[str, list[dict]],
    columns: list[str],
    tally: ScrubCounts,
    fingerprint,
) -> dict:
    created = sorted(r["created_at"] for r in rows)
    f = options.filters
    return {
        "manifest_version": 1,
        "title": options.title or f"commentscope corpus: {f.campaign}",
        "created_at": utcnow().isoformat(),
        "commentscope_version": getattr(commentscope, "__version__", "0.1.0"),
        "filters": f.to_dict(),
        "seed": options.seed,
        "split_ratios": dict(zip(SPLITS, options.ratios, strict=True)),
        "split_method": "greedy stratified group split: strata (language, primary label), groups thread_id",
        "tagger_versions": versions,
        "text": "scrubbed" if options.include_text else "dropped",
        "scrubbing": {
            "placeholders": PLACEHOLDERS,
            "replaced": tally.counts if options.include_text else None,
        },
        "author_keys": "HMAC-SHA256 of platform:handle with the project salt (never the handle)",
        "formats": {fmt: FORMATS[fmt] for fmt in options.formats},
        "columns": columns,
        "selection_sha256": fingerprint.hexdigest(),
        "reproduce": reproduce_command(options),
        "counts": {
            "total": len(rows),
            "label_names": list(COUNT_LABELS),
            "languages": dict(sorted(Counter(r["language"] for r in rows).items())),
            "creators": sorted({r["creator"] for r in rows}),
            "platforms": sorted({r["platform"] for r in rows}),
            "created_from": created[0].isoformat() if created else None,
            "created_to": created[-1].isoformat() if created else None,
            "human_reviewed": sum(1 for r in rows if r.get("human_annotator")),
            "per_split": {
                split: {
                    "comments": len(items),
                    "threads": len({r["thread_id"] for r in items}),
                    "labels": _label_counts(items),
                    "languages": dict(sorted(Counter(r["language"] for r in items).items())),
                }
                for split, items in by_split.items()
            },
        },
    }
