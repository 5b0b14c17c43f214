"""YouTube Data Tools comment files: the PHP tool (CSV or TAB) and the v2 Python rewrite (CSV).

PHP (bernorieder/YouTube-Data-Tools ``mod_video_comments.php``, ``getComments``): one video per file,
``videoinfo_<videoId>_<Y_m_d-H_i_s>_comments.<csv|tab>`` (``videoinfo_<channelId>_<videoId>_...``
from a cron video list), written by PHP's ``fputcsv`` with ``,`` or a tab. The header is the first
row's keys: ``id, replyCount, likeCount, publishedAt`` (``Y-m-d H:i:s``; ``common.php`` sets UTC)``,
authorName, text, authorChannelId, authorChannelUrl, isReply, isReplyTo, isReplyToName``. A reply's
parent id lands in ``isReplyTo`` (written by position) and its id is ``<parent>.<suffix>``. With
"pseudonymize", ``id``, ``authorName`` and the parent id are SHA-1 hashes and the two channel
columns are dropped, so the parent can only be read from ``isReplyTo``.

v2 (bernorieder/youtube-data-tools-v2 ``src/ytdt/models.py``, ``Comment.to_row``, written by
``tabular.write_table``): ``videoId, id, totalReplyCount, inferredReplyCount, inferredLevel,
likeCount, publishedAt, authorName, authorChannelId, isChannelOwner, text, isReply, threadId,
isReplyToId, isReplyToName`` for one video or many (``videocomments_<id|bulk_seedsN>_comments_
<stamp>.csv``). Bulk files are always pseudonymised (``Comment.pseudonymized``: SHA-1 of ids, author
and channel, thread and parent). ``threadId`` is the API's parent (the top-level comment);
``isReplyToId`` is v2's guess, from @mentions, of the reply answered, so it is not used as the parent.
A video it could not read is a marker row (``Comment.missing``: no ``id``, text ``[reason: videoId]``),
counted as skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from commentscope.collectors.importers.base import ImportFormatError, ImportResult, read_csv
from commentscope.collectors.importers.layouts import Layout, layout_error, pick, table_header
from commentscope.collectors.importers.reading import each
from commentscope.collectors.importers.threads import store_checked
from commentscope.lake import Lake
from commentscope.registry import Registry

PHP_COLUMNS = (
    "id",
    "replyCount",
    "likeCount",
    "publishedAt",
    "authorName",
    "text",
    "authorChannelId",
    "authorChannelUrl",
    "isReply",
    "isReplyTo",
    "isReplyToName",
)
V2_COLUMNS = (
    "videoId",
    "id",
    "totalReplyCount",
    "inferredReplyCount",
    "inferredLevel",
    "likeCount",
    "publishedAt",
    "authorName",
    "authorChannelId",
    "isChannelOwner",
    "text",
    "isReply",
    "threadId",
    "isReplyToId",
    "isReplyToName",
)
PHP = Layout(
    "YouTube Data Tools (PHP) comments file",
    "ytdt",
    ("id", "replyCount", "likeCount", "publishedAt", "text", "isReply", "isReplyTo"),
    PHP_COLUMNS,
)
V2 = Layout(
    "YouTube Data Tools v2 comments CSV",
    "ytdt",
    ("videoId", "id", "totalReplyCount", "likeCount", "publishedAt", "text", "isReply", "threadId"),
    V2_COLUMNS,
)
TABLE_LAYOUTS = (V2, PHP)
# videoinfo_[<channelId>_]<videoId>_<Y_m_d-H_i_s>: both ids may hold '_' and '-', so anchor on the stamp
_NAME = re.compile(r"videoinfo_(?:UC[A-Za-z0-9_-]{22}_)?([A-Za-z0-9_-]{11})_\d{4}_\d{2}_\d{2}-\d{2}_\d{2}_\d{2}")
_MARKER = re.compile(r"^\[[^\]]+: [A-Za-z0-9_-]+\]$")


def video_id_from_name(path: Path) -> str | None:
    found = _NAME.search(path.name)
    return found.group(1) if found else None


def _sql_time(value: Any) -> str:
    """YTDT's ``Y-m-d H:i:s`` (UTC) as ISO 8601; other ISO values pass through."""
    text = str(value or "").strip()
    return text.replace(" ", "T", 1) if len(text) == 19 and text[10] == " " else text


def _is_reply(value: Any) -> bool | None:
    text = str(value or "").strip().lower()
    return {"1": True, "true": True, "0": False, "false": False}.get(text)


def php_to_generic(row: dict[str, Any], video_id: str | None) -> dict[str, Any]:
    cid = (row.get("id") or "").strip()
    parent = (row.get("isReplyTo") or "").strip()
    is_reply = _is_reply(row.get("isReply"))
    if is_reply and not parent and "." in cid:
        parent = cid.split(".", 1)[0]  # an unhashed reply id is <parent>.<suffix>
    return {
        "platform": "youtube",
        "video_id": (row.get("videoId") or "").strip() or video_id,
        "comment_id": cid,
        "parent_comment_id": parent or None,
        "created_at": _sql_time(row.get("publishedAt")),
        "text": row.get("text"),
        "like_count": row.get("likeCount") or 0,
        "reply_count": row.get("replyCount") or 0,
        "author": (row.get("authorChannelId") or "").strip() or row.get("authorName") or None,
        "_is_reply": is_reply,
    }


def v2_to_generic(row: dict[str, Any]) -> dict[str, Any] | None:
    """A generic row; None for a marker row of a video YTDT could not read."""
    cid = (row.get("id") or "").strip()
    if not cid and _MARKER.match((row.get("text") or "").strip()):
        return None
    is_reply = _is_reply(row.get("isReply"))
    parent = (row.get("threadId") or "").strip() if is_reply else ""
    if is_reply and not parent:
        parent = (row.get("isReplyToId") or "").strip()  # no thread column: the guessed target, re-rooted
    return {
        "platform": "youtube",
        "video_id": (row.get("videoId") or "").strip(),
        "comment_id": cid,
        "parent_comment_id": parent or None,
        "created_at": _sql_time(row.get("publishedAt")),
        "text": row.get("text"),
        "like_count": row.get("likeCount") or 0,
        "reply_count": row.get("totalReplyCount") or 0,
        "author": (row.get("authorChannelId") or "").strip() or row.get("authorName") or None,
        "_is_reply": is_reply,
    }


RowStream = Callable[[], Iterator[dict[str, Any] | None]]


def read_rows(path: Path, video_id: str | None = None) -> tuple[str, RowStream]:
    """(layout shown to the user, a function streaming the generic rows; None for a skipped marker row)."""
    delimiter, header = table_header(path)
    layout = pick(TABLE_LAYOUTS, header, delimiter)
    if layout is None:
        raise layout_error(path, TABLE_LAYOUTS, header, delimiter)
    label = f"{layout.name}, {'tab' if delimiter == chr(9) else 'comma'}-separated"

    def rows() -> Iterator[dict[str, Any]]:
        return read_csv(path, layout.required, layout.name, delimiter=delimiter)[1]

    if layout is V2:
        return label, lambda: each(rows(), v2_to_generic)
    video_id = video_id or video_id_from_name(path)
    if not video_id and "videoId" not in header:
        raise ImportFormatError(
            f"{path}: cannot tell which video these comments belong to (fix: keep YTDT's file name "
            "videoinfo_<videoId>_..., or pass --video-id)"
        )
    return label, lambda: each(rows(), lambda row: php_to_generic(row, video_id))


def import_file(lake: Lake, path: str | Path, registry: Registry, video_id: str | None = None) -> ImportResult:
    path = Path(path)
    label, rows = read_rows(path, video_id)
    return store_checked(lake, path, "youtube", rows, registry, source="ytdt", layout=label)
