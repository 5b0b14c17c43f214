"""TikTok comment objects -> comment records.

Shape (Research API comment object; a real captured response is in the Cybersecurity for
Democracy tiktok-library, tests/testdata/api_comments_response.json): ids are int64 numbers,
``create_time`` unix seconds, a top-level comment's ``parent_comment_id`` is the video id, and
there is no author field.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from commentscope.collectors.context import VideoContext
from commentscope.schema import RawComment

SOURCE = "tiktok_research_api"


def comment_time(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value), tz=UTC)


def record(context: VideoContext, comment: dict[str, Any], collected_at: datetime) -> RawComment:
    return context.record(
        comment_id=str(comment["id"]),
        parent_id=str(comment.get("parent_comment_id") or "") or None,
        created_at=comment_time(comment["create_time"]),
        collected_at=collected_at,
        text=str(comment.get("text") or ""),
        like_count=comment.get("like_count", 0),
        reply_count=comment.get("reply_count", 0),
        author=None,
        source=SOURCE,
    )


def has_replies(context: VideoContext, comment: dict[str, Any]) -> bool:
    """A top-level comment (its parent is the video) whose reply_count says it has replies."""
    parent = str(comment.get("parent_comment_id") or "")
    return parent in {"", "0", context.video_id} and int(comment.get("reply_count") or 0) > 0


def video_url(video_id: str) -> str:
    return f"https://www.tiktok.com/video/{video_id}"
