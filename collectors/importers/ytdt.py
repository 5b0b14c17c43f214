"""YouTube Data Tools (YTDT) "Video Info" comments CSV.

Assumed columns (YTDT's comments file, one video per file): ``id``, ``replyCount``, ``likeCount``,
``publishedAt`` (ISO 8601 or "YYYY-MM-DD HH:MM:SS", UTC), ``authorName``, ``text``,
``authorChannelId``, ``isReply``, ``isReplyTo`` (the parent comment id). The video id is not a
column: it is taken from the file name (``videoinfo_<videoId>_..._comments.csv``), a ``videoId``
column if there is one, or ``video_id=`` passed by the caller (``--video-id``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from collectors.importers.base import ImportFormatError, ImportResult, read_csv, store
from commentscope.lake import Lake
from commentscope.registry import Registry

REQUIRED = ("id", "publishedAt", "text")
_NAME = re.compile(r"videoinfo_([A-Za-z0-9_-]{11})_")


def looks_like(header: list[str]) -> bool:
    return set(REQUIRED) <= set(header) and ("isReplyTo" in header or "authorName" in header)


def video_id_from_name(path: Path) -> str | None:
    found = _NAME.search(path.name)
    return found.group(1) if found else None


def to_generic(row: dict[str, Any], video_id: str | None) -> dict[str, Any]:
    parent = (row.get("isReplyTo") or "").strip()
    is_reply = str(row.get("isReply") or "").strip().lower() in {"1", "true", "yes"}
    if is_reply and not parent and "." in (row.get("id") or ""):
        parent = row["id"].split(".", 1)[0]  # reply ids are PARENT.SUFFIX
    published = (row.get("publishedAt") or "").strip()
    if published and "T" not in published and " " in published:
        published = published.replace(" ", "T")
    return {
        "platform": "youtube",
        "video_id": (row.get("videoId") or "").strip() or video_id,
        "comment_id": (row.get("id") or "").strip(),
        "parent_comment_id": parent or None,
        "created_at": published,
        "text": row.get("text"),
        "like_count": row.get("likeCount") or 0,
        "reply_count": row.get("replyCount") or 0,
        "author": (row.get("authorChannelId") or "").strip() or row.get("authorName") or None,
    }


def read_rows(path: Path, video_id: str | None = None) -> list[dict[str, Any]]:
    video_id = video_id or video_id_from_name(path)
    header, rows = read_csv(path, REQUIRED, "YouTube Data Tools comments file")
    if not video_id and "videoId" not in header:
        raise ImportFormatError(
            f"{path}: cannot tell which video these comments belong to (fix: keep YTDT's file name "
            "videoinfo_<videoId>_..., or pass --video-id)"
        )
    return [to_generic(row, video_id) for row in rows]


def import_file(lake: Lake, path: str | Path, registry: Registry, video_id: str | None = None) -> ImportResult:
    path = Path(path)
    return store(lake, path, "youtube", read_rows(path, video_id), registry, source="ytdt")
