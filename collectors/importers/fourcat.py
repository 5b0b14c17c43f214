"""4CAT CSV export of a TikTok comments dataset (4CAT's ``tiktok-comments`` data source).

Columns used (4CAT's mapped item for TikTok comments): ``id`` (comment), ``post_id`` (video),
``thread_id`` (the video id for a top-level comment, else the parent comment id), ``author``
(handle), ``body``, ``unix_timestamp`` (or ``timestamp``, UTC "YYYY-MM-DD HH:MM:SS"), ``likes``,
``replies``. Other columns are ignored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from collectors.importers.base import ImportResult, read_csv, store
from commentscope.lake import Lake
from commentscope.registry import Registry

REQUIRED = ("id", "post_id", "body")


def looks_like(header: list[str]) -> bool:
    return set(REQUIRED) <= set(header) and ("thread_id" in header or "unix_timestamp" in header)


def to_generic(row: dict[str, Any]) -> dict[str, Any]:
    video = (row.get("post_id") or "").strip()
    thread = (row.get("thread_id") or "").strip()
    stamp = (row.get("unix_timestamp") or "").strip() or (row.get("timestamp") or "").strip()
    return {
        "platform": "tiktok",
        "video_id": video,
        "comment_id": (row.get("id") or "").strip(),
        "parent_comment_id": None if thread in {"", "0", video} else thread,
        "created_at": stamp,
        "text": row.get("body"),
        "like_count": row.get("likes") or 0,
        "reply_count": row.get("replies") or 0,
        "author": row.get("author") or None,
    }


def read_rows(path: Path) -> list[dict[str, Any]]:
    _, rows = read_csv(path, REQUIRED, "4CAT TikTok comments export")
    return [to_generic(row) for row in rows]


def import_file(lake: Lake, path: str | Path, registry: Registry) -> ImportResult:
    path = Path(path)
    return store(lake, path, "tiktok", read_rows(path), registry, source="4cat")
