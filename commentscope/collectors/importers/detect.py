"""Pick the importer for a file: by ``--format`` or, with ``auto``, by its header or first JSON object.

Every layout of every format is listed here; a file that matches none is refused with the columns
found and the columns each layout needs, instead of being imported under a guessed mapping.
"""

from __future__ import annotations

from pathlib import Path

from commentscope.collectors.importers import fourcat, generic, ytdt, zeeschuimer
from commentscope.collectors.importers.base import ImportFormatError, ImportResult
from commentscope.collectors.importers.layouts import (
    JSON_SUFFIXES,
    TABLE_SUFFIXES,
    json_keys,
    layout_error,
    pick,
    table_header,
)
from commentscope.collectors.importers.reading import check_text_file
from commentscope.lake import Lake
from commentscope.registry import Registry

FORMATS = ("auto", "generic", "zeeschuimer", "4cat", "ytdt")
JSON_LAYOUTS = (*zeeschuimer.JSON_LAYOUTS, *fourcat.JSON_LAYOUTS, generic.LAYOUT)
TABLE_LAYOUTS = (*zeeschuimer.TABLE_LAYOUTS, *fourcat.TABLE_LAYOUTS, *ytdt.TABLE_LAYOUTS, generic.LAYOUT)


def detect_format(path: Path) -> str:
    """'zeeschuimer', '4cat', 'ytdt' or 'generic', from the layout the file's header matches."""
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        keys = json_keys(path)
        if keys is None:
            return "generic"  # nothing readable: the generic reader quarantines every line with its reason
        layout = pick(JSON_LAYOUTS, keys)
        if layout is None and generic.LAYOUT.closeness(keys) >= 0.5:
            return "generic"  # generic rows are checked one by one: a row lacking a field is quarantined
        if layout is None:
            raise layout_error(path, JSON_LAYOUTS, keys)
        return layout.format
    if suffix in TABLE_SUFFIXES:
        delimiter, header = table_header(path)
        layout = pick(TABLE_LAYOUTS, header, delimiter)
        if layout is None:
            raise layout_error(path, TABLE_LAYOUTS, header, delimiter)
        return layout.format
    raise ImportFormatError(f"{path}: unknown file type {path.suffix!r} (fix: use .csv, .tab, .jsonl or .ndjson files)")


def import_any(
    lake: Lake, path: str | Path, registry: Registry, fmt: str = "auto", video_id: str | None = None
) -> tuple[str, ImportResult]:
    """Import with the named (or detected) format; returns (format used, result)."""
    path = Path(path)
    if fmt not in FORMATS:
        raise ImportFormatError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    check_text_file(path)  # UTF-16, binary, archives: one line with the fix, before any guessing
    chosen = detect_format(path) if fmt == "auto" else fmt
    if chosen == "zeeschuimer":
        return chosen, zeeschuimer.import_file(lake, path, registry)
    if chosen == "4cat":
        return chosen, fourcat.import_file(lake, path, registry)
    if chosen == "ytdt":
        return chosen, ytdt.import_file(lake, path, registry, video_id)
    return chosen, generic.import_file(lake, path, registry)
