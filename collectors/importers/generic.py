"""The documented generic format: JSONL or CSV with one comment per line/row.

Columns (see docs/import-formats.md): platform, video_id, comment_id, parent_comment_id,
created_at (ISO 8601 or unix seconds, UTC), text, like_count, reply_count, author, and optionally
campaign and creator when the video is not in the registry under one creator.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from collectors.importers.base import ImportFormatError, ImportResult, read_csv
from collectors.importers.layouts import JSON_SUFFIXES, TABLE_SUFFIXES, Layout, table_header
from collectors.importers.threads import store_checked
from commentscope.lake import Lake
from commentscope.registry import Registry

REQUIRED = ("platform", "video_id", "comment_id", "created_at", "text")
LAYOUT = Layout("generic comments file", "generic", REQUIRED,
                (*REQUIRED, "parent_comment_id", "like_count", "reply_count", "author", "campaign", "creator"))


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a .jsonl or .csv file; an unparsable JSON line becomes a row that will be quarantined."""
    if path.suffix.lower() in JSON_SUFFIXES:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield {"_unparsable_line": number, "_error": str(exc), "_raw": line[:2000]}
                    continue
                yield value if isinstance(value, dict) else {"_raw": value}
    elif path.suffix.lower() in TABLE_SUFFIXES:
        yield from read_csv(path, REQUIRED, "generic CSV file", delimiter=table_header(path)[0])[1]
    else:
        raise ImportFormatError(f"{path}: the generic importer reads .jsonl, .ndjson or .csv, not {path.suffix!r}")


def import_file(lake: Lake, path: str | Path, registry: Registry) -> ImportResult:
    path = Path(path)
    rows = list(read_rows(path))
    platform = next((str(r.get("platform")) for r in rows if r.get("platform")), "file")
    return store_checked(lake, path, platform, rows, registry, source="generic", layout=LAYOUT.name)
