"""Pick the importer for a file: by ``--format`` or, with ``auto``, by looking at its first line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from collectors.importers import fourcat, generic, ytdt, zeeschuimer
from collectors.importers.base import ImportFormatError, ImportResult
from commentscope.lake import Lake
from commentscope.registry import Registry

FORMATS = ("auto", "generic", "zeeschuimer", "4cat", "ytdt")


def detect_format(path: Path) -> str:
    """'zeeschuimer', '4cat', 'ytdt' or 'generic' (the default when nothing more specific matches)."""
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        first = handle.readline()
    if path.suffix.lower() in {".ndjson", ".jsonl", ".json"}:
        return "zeeschuimer" if zeeschuimer.looks_like(first) else "generic"
    if path.suffix.lower() == ".csv":
        header = next(csv.reader(io.StringIO(first)), [])
        if fourcat.looks_like(header):
            return "4cat"
        if ytdt.looks_like(header):
            return "ytdt"
        return "generic"
    raise ImportFormatError(f"{path}: unknown file type {path.suffix!r} (fix: use .csv, .jsonl or .ndjson files)")


def import_any(lake: Lake, path: str | Path, registry: Registry, fmt: str = "auto",
               video_id: str | None = None) -> tuple[str, ImportResult]:
    """Import with the named (or detected) format; returns (format used, result)."""
    path = Path(path)
    if fmt not in FORMATS:
        raise ImportFormatError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    chosen = detect_format(path) if fmt == "auto" else fmt
    if chosen == "zeeschuimer":
        return chosen, zeeschuimer.import_file(lake, path, registry)
    if chosen == "4cat":
        return chosen, fourcat.import_file(lake, path, registry)
    if chosen == "ytdt":
        return chosen, ytdt.import_file(lake, path, registry, video_id)
    return chosen, generic.import_file(lake, path, registry)
