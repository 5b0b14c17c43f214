"""The documented generic format: JSONL or CSV with one comment per line/row.

Columns (see docs/import-formats.md): platform, video_id, comment_id, parent_comment_id,
created_at (ISO 8601 or unix seconds, UTC), text, like_count, reply_count, author, and optionally
campaign and creator when the video is not in the registry under one creator.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from commentscope.collectors.importers.base import ImportFormatError, ImportResult, read_csv
from commentscope.collectors.importers.layouts import JSON_SUFFIXES, TABLE_SUFFIXES, Layout, table_header
from commentscope.collectors.importers.reading import each, json_lines
from commentscope.collectors.importers.threads import store_checked
from commentscope.lake import Lake
from commentscope.registry import Registry

REQUIRED = ("platform", "video_id", "comment_id", "created_at", "text")
LAYOUT = Layout(
    "generic comments file",
    "generic",
    REQUIRED,
    (*REQUIRED, "parent_comment_id", "like_count", "reply_count", "author", "campaign", "creator"),
)


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a .jsonl or .csv file, streamed; an unreadable line becomes a row the quarantine keeps."""
    if path.suffix.lower() in JSON_SUFFIXES:
        yield from each(json_lines(path), _object)
    elif path.suffix.lower() in TABLE_SUFFIXES:
        yield from read_csv(path, REQUIRED, "generic CSV file", delimiter=table_header(path)[0])[1]
    else:
        raise ImportFormatError(f"{path}: the generic importer reads .jsonl, .ndjson or .csv, not {path.suffix!r}")


def _object(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return {"_error": f"a JSON {type(value).__name__}, not an object with the comment's fields", "_raw": value}


def import_file(lake: Lake, path: str | Path, registry: Registry) -> ImportResult:
    path = Path(path)
    return store_checked(lake, path, None, lambda: read_rows(path), registry, source="generic", layout=LAYOUT.name)
