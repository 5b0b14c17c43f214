"""The two shapes a TikTok web comment reaches us in, mapped onto the generic row.

1. TikTok's own web comment object, as Zeeschuimer captures it from ``/api/comment/list/`` and
   ``/api/comment/list/reply/`` (zeeschuimer ``modules/tiktok-comments.js``, ``capture``): ``cid``,
   ``aweme_id`` (the video), ``text``, ``create_time`` (unix s), ``digg_count``,
   ``reply_comment_total``, ``reply_id`` ("0" on a top-level comment, else the top-level comment's
   cid), ``reply_to_reply_id`` (the reply answered inside the thread, or "0"), ``user.unique_id``.
2. 4CAT's mapped item for TikTok comments (4cat ``datasources/tiktok_comments/
   search_tiktok_comments.py``, ``SearchTikTokComments.map_item``; Zeeschuimer's CSV export runs a
   copy of it, ``map_item`` in ``modules/tiktok-comments.js``): ``id``, ``thread_id`` (the video id
   for a top-level comment, else ``reply_id``), ``author``, ``body``, ``timestamp``,
   ``unix_timestamp``, ``likes``, ``replies``, ``post_id``, ``is_comment_on_comment``.

Both keep TikTok's two levels: a reply's parent is the thread's top-level comment, as the Research
API's ``parent_comment_id`` and our collector have it.
"""

from __future__ import annotations

from typing import Any

# Zeeschuimer's CSV writes JavaScript's String(null) / String(undefined) for absent values
# (popup/interface.js, csv_escape); 4CAT writes "" instead.
_ABSENT = {"", "null", "undefined"}

MAPPED_COLUMNS = (
    "collected_from_url",
    "id",
    "thread_id",
    "author",
    "author_full",
    "author_avatar_url",
    "body",
    "timestamp",
    "unix_timestamp",
    "likes",
    "replies",
    "post_id",
    "post_url",
    "post_body",
    "comment_url",
    "is_liked_by_post_author",
    "is_sticky",
    "is_comment_on_comment",
    "language_guess",
)


def _value(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    text = "" if value is None else str(value).strip()
    return None if text in _ABSENT else text


def comment_to_generic(data: dict[str, Any]) -> dict[str, Any]:
    """A generic row from TikTok's web comment object (shape 1)."""
    reply_id = str(data.get("reply_id") if data.get("reply_id") is not None else "0").strip()
    found = data.get("user")
    user: dict = found if isinstance(found, dict) else {}
    return {
        "platform": "tiktok",
        "video_id": data.get("aweme_id"),
        "comment_id": data.get("cid"),
        "parent_comment_id": None if reply_id in {"0", ""} else reply_id,
        "created_at": data.get("create_time"),
        "text": data.get("text"),
        "like_count": data.get("digg_count") or 0,
        "reply_count": data.get("reply_comment_total") or 0,
        "author": user.get("unique_id") or None,
        "_is_reply": reply_id not in {"0", ""},
    }


def mapped_to_generic(row: dict[str, Any]) -> dict[str, Any]:
    """A generic row from 4CAT's / Zeeschuimer's mapped TikTok comment (shape 2).

    ``unix_timestamp`` is preferred: 4CAT formats ``timestamp`` with ``datetime.fromtimestamp``, i.e.
    in its server's local zone; Zeeschuimer's copy formats it in UTC."""
    video = _value(row, "post_id") or ""
    thread = _value(row, "thread_id") or ""
    flag = (_value(row, "is_comment_on_comment") or "").lower()
    is_reply = flag == "yes" if flag in {"yes", "no"} else None
    return {
        "platform": "tiktok",
        "video_id": video,
        "comment_id": _value(row, "id") or "",
        "parent_comment_id": None if thread in {"", "0", video} else thread,
        "created_at": _value(row, "unix_timestamp") or _value(row, "timestamp") or "",
        "text": row.get("body"),
        "like_count": _value(row, "likes") or 0,
        "reply_count": _value(row, "replies") or 0,
        "author": _value(row, "author"),
        "_is_reply": is_reply,
    }
