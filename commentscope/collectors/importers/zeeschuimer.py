"""Zeeschuimer's TikTok comment exports: the ``.ndjson (original)`` and the ``.csv`` download.

Both come from the extension's popup (zeeschuimer ``popup/interface.js``):

* NDJSON, ``get_ndjson_blob``: every stored item as one JSON line, as ``js/zs-background.js`` stores
  it: ``{"id", "nav_index", "item_id", "timestamp_collected", "last_updated", "source_platform":
  "tiktok-comments", "source_platform_url", "source_url", "user_agent", "data": {...}}`` with
  TikTok's web comment object in ``data`` (see ``tiktok_web.comment_to_generic``).
* CSV, ``get_csv_blob``: the module's ``map_item`` (a copy of 4CAT's, see
  ``tiktok_web.mapped_to_generic``) per item, separated by ``;`` (``CSV_SEPARATOR``), a value quoted
  only when it holds ``"``, ``;`` or a newline, absent values written as ``null``/``undefined``.

Items of other modules (videos, ``source_platform: tiktok.com``) carry no comments and are counted as
skipped; the whole file is still kept in the raw lake.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from commentscope.collectors.importers.base import ImportFormatError, ImportResult, read_csv
from commentscope.collectors.importers.layouts import (
    JSON_SUFFIXES,
    TABLE_SUFFIXES,
    Layout,
    json_keys,
    layout_error,
    table_header,
)
from commentscope.collectors.importers.reading import each, json_lines
from commentscope.collectors.importers.threads import store_checked
from commentscope.collectors.importers.tiktok_web import MAPPED_COLUMNS, comment_to_generic, mapped_to_generic
from commentscope.lake import Lake
from commentscope.registry import Registry

COMMENT_PLATFORMS = {"tiktok-comments"}
NDJSON = Layout(
    "Zeeschuimer NDJSON export",
    "zeeschuimer",
    ("source_platform", "data"),
    (
        "id",
        "nav_index",
        "item_id",
        "timestamp_collected",
        "last_updated",
        "source_platform",
        "source_platform_url",
        "source_url",
        "user_agent",
        "data",
    ),
)
CSV = Layout(
    "Zeeschuimer CSV export (TikTok comments)",
    "zeeschuimer",
    ("id", "thread_id", "body", "unix_timestamp", "post_id"),
    MAPPED_COLUMNS,
    delimiter=";",
)
JSON_LAYOUTS = (NDJSON,)
TABLE_LAYOUTS = (CSV,)


def to_generic(item: Any) -> dict[str, Any] | None:
    """A generic row for a comment item; None for other item types (videos)."""
    if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
        return {"_quarantine": "not a Zeeschuimer item (no 'data' object)", "_raw": item}
    data = item["data"]
    if item.get("source_platform") not in COMMENT_PLATFORMS and "cid" not in data:
        return None
    return comment_to_generic(data)


def read_ndjson(path: Path) -> Iterator[dict[str, Any] | None]:
    """Comment rows, streamed; None for an item that is not a comment (counted as skipped); an
    unreadable line becomes a row the quarantine keeps."""
    keys = json_keys(path)
    if keys is not None and not NDJSON.matches(keys):
        raise layout_error(path, JSON_LAYOUTS, keys)
    yield from each(json_lines(path), to_generic)


def read_table(path: Path) -> Iterator[dict[str, Any]]:
    delimiter, header = table_header(path)
    if not CSV.matches(header, delimiter):
        raise layout_error(path, TABLE_LAYOUTS, header, delimiter)
    _, rows = read_csv(path, CSV.required, CSV.name, delimiter=";")
    yield from each(rows, mapped_to_generic)


def import_file(lake: Lake, path: str | Path, registry: Registry) -> ImportResult:
    path = Path(path)
    if path.suffix.lower() in JSON_SUFFIXES:
        return store_checked(
            lake, path, "tiktok", lambda: read_ndjson(path), registry, source="zeeschuimer", layout=NDJSON.name
        )
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise ImportFormatError(f"{path}: Zeeschuimer exports are .ndjson or .csv, not {path.suffix!r}")
    return store_checked(
        lake, path, "tiktok", lambda: read_table(path), registry, source="zeeschuimer", layout=CSV.name
    )
