"""YouTube comment resources -> comment records (snippet fields as in the YouTube Data API
reference: publishedAt RFC 3339, textOriginal, likeCount, authorChannelId.value)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from commentscope.collectors.context import VideoContext
from commentscope.schema import RawComment

SOURCE = "youtube_data_api_v3"


def published(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def record(
    context: VideoContext, item: dict[str, Any], parent: str | None, reply_count: int, collected_at: datetime
) -> RawComment:
    snippet = item.get("snippet") or {}
    author = (snippet.get("authorChannelId") or {}).get("value") or snippet.get("authorDisplayName")
    return context.record(
        comment_id=str(item["id"]),
        parent_id=parent,
        created_at=published(snippet["publishedAt"]),
        collected_at=collected_at,
        text=str(snippet.get("textOriginal") or snippet.get("textDisplay") or ""),
        like_count=snippet.get("likeCount", 0),
        reply_count=reply_count,
        author=author,
        source=SOURCE,
    )


def video_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"
