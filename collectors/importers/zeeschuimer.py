"""Zeeschuimer NDJSON (TikTok), as exported by the Zeeschuimer browser extension.

Assumed format (Zeeschuimer's export, also what 4CAT's ``tiktok-comments`` importer reads): one JSON
object per line wrapping a captured item: ``{"source_platform": "tiktok-comments", "item_id": ...,
"timestamp_collected": <ms>, "data": {...}}``, where ``data`` is TikTok's web comment object: ``cid``,
``aweme_id`` (the video), ``text``, ``create_time`` (unix s), ``digg_count`` (likes),
``reply_comment_total``, ``reply_id`` ("0" for a top-level comment, else the parent's cid) and
``user.unique_id`` (the handle). Video items (``source_platform: tiktok.com``) carry no comments and
are counted as skipped; the whole file is still kept in the raw lake.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from collectors.importers.base import ImportResult, store
from commentscope.lake import Lake
from commentscope.registry import Registry

COMMENT_PLATFORMS = {"tiktok-comments"}


def looks_like(first_line: str) -> bool:
    try:
        item = json.loads(first_line)
    except json.JSONDecodeError:
        return False
    return isinstance(item, dict) and "source_platform" in item and isinstance(item.get("data"), dict)


def to_generic(item: dict[str, Any]) -> dict[str, Any] | None:
    """A generic-format row for a comment item; None for other item types (videos)."""
    if not isinstance(item, dict) or "data" not in item:
        return {"_error": "not a Zeeschuimer item (no 'data')", "_raw": item}
    if item.get("source_platform") not in COMMENT_PLATFORMS and "cid" not in (item.get("data") or {}):
        return None
    data = item["data"] or {}
    reply_id = str(data.get("reply_id") or "0")
    return {
        "platform": "tiktok",
        "video_id": data.get("aweme_id"),
        "comment_id": data.get("cid"),
        "parent_comment_id": None if reply_id == "0" else reply_id,
        "created_at": data.get("create_time"),
        "text": data.get("text"),
        "like_count": data.get("digg_count") or 0,
        "reply_count": data.get("reply_comment_total") or 0,
        "author": (data.get("user") or {}).get("unique_id"),
    }


def read_rows(path: Path) -> tuple[list[dict[str, Any]], int]:
    """(rows, skipped non-comment items); an unparsable line becomes a row the quarantine keeps."""
    rows: list[dict[str, Any]] = []
    skipped = 0
    for number, line in _lines(path):
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append({"_unparsable_line": number, "_error": str(exc), "_raw": line[:2000]})
            continue
        row = to_generic(item)
        if row is None:
            skipped += 1
        else:
            rows.append(row)
    return rows, skipped


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line


def import_file(lake: Lake, path: str | Path, registry: Registry) -> ImportResult:
    path = Path(path)
    rows, skipped = read_rows(path)
    result = store(lake, path, "tiktok", rows, registry, source="zeeschuimer")
    result.skipped = skipped
    return result
