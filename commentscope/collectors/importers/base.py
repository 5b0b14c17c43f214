"""What every importer shares: mapping loose rows onto RawComment with the registry, and quarantine.

Every fault of one row (a missing field, an id that lost digits, a lone surrogate, a count or a
time out of range, an unreadable line) quarantines that row with its reason; the rest of the file
imports. Rows stream from the file to the lake: memory does not grow with the file.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import Any

from pydantic import ValidationError

from commentscope import import_ledger
from commentscope.collectors.importers.reading import (
    ImportFormatError,
    check_text_file,
    check_utf8,
    is_error_row,
    read_csv,
)
from commentscope.lake import AppendResult, Lake
from commentscope.registry import Registry
from commentscope.safenames import slug
from commentscope.schema import PLATFORMS, RawComment, comment_key

__all__ = ["ImportFormatError", "ImportResult", "read_csv", "store", "to_raw", "parse_time", "parse_count"]

MAX_COUNT = 2**63 - 1  # like/reply counts are int64 in the lake
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
_END = object()
_WHOLE = re.compile(r"\d{1,19}(?:\.0*)?")


@dataclass
class ImportResult:
    """Counts of one import, for the terminal and the tests."""

    path: Path
    read: int = 0
    appended: AppendResult = field(default_factory=AppendResult)
    quarantined: int = 0
    quarantine_file: PurePath | None = None
    skipped: int = 0  # items that are valid but not comments (e.g. video items in a Zeeschuimer file)
    layout: str = ""  # which export layout of the format was read, e.g. "YTDT v2 CSV"
    warnings: list[str] = field(default_factory=list)  # imported, but the user should know (e.g. orphan replies)
    raw_copy: PurePath | None = None  # the file as imported, kept in the raw lake under its content hash


def parse_time(value: Any) -> datetime:
    """ISO 8601 strings or unix seconds (int, float or digit string) to an aware UTC datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, bool):
        raise ValueError(f"not a timestamp: {value!r}")
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        try:
            return datetime.fromtimestamp(int(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            hint = " (milliseconds? divide by 1000)" if 1e11 < float(value) < 1e14 else ""
            raise ValueError(f"timestamp {str(value)[:40]} is out of range{hint}") from None
    if isinstance(value, str) and value.strip():
        text = value.strip().replace("Z", "+00:00")
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise ValueError(f"not a timestamp: {str(value)[:80]!r}")


def parse_count(value: Any, name: str) -> int:
    """A like/reply count: a whole number from 0 to 2^63-1 (empty means 0); ValueError saying why not."""
    if value is None or value == "":
        return 0
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        number = int(value.strip().split(".")[0])
    if number is None or not 0 <= number <= MAX_COUNT:
        raise ValueError(f"{name} {str(value)[:40]} is not a whole number from 0 to 2^63-1")
    return number


def _valid_unicode(value: str, name: str) -> str:
    """Text the lake can store: a lone surrogate (e.g. a JSON \\ud800 escape) is not valid Unicode."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        where = f"{value[exc.start]!r} at {exc.start}"
        raise ValueError(f"{name} holds a lone surrogate {where}: not valid Unicode") from None
    return value


def _text_field(row: dict[str, Any], name: str) -> str | None:
    value = row.get(name)
    if value is None:
        return None
    if isinstance(value, dict | list):
        raise ValueError(f"{name} is a JSON {type(value).__name__}, not a string")
    return _valid_unicode(str(value), name)


def to_raw(
    row: dict[str, Any],
    registry: Registry,
    *,
    source: str,
    collected_at: datetime,
) -> RawComment:
    """Build a RawComment from a row with the generic field names; the video must be in the registry
    unless the row names its campaign and creator."""
    if not isinstance(row, dict):
        raise ValueError(f"a JSON {type(row).__name__}, not an object with the comment's fields")
    if is_error_row(row):
        raise ValueError(str(row["_error"]))
    if "_unparsable_line" in row:
        raise ValueError(f"line {row['_unparsable_line']} is not valid JSON: {row.get('_error')}")
    if row.get("_quarantine"):  # a format module or the thread check rejected the row, with its reason
        raise ValueError(str(row["_quarantine"]))
    platform = (_text_field(row, "platform") or "").strip().lower()
    comment_id = row.get("comment_id")
    if isinstance(comment_id, float):
        raise ValueError("comment_id is a float: it has lost digits; export ids as strings")
    comment_id = (_text_field(row, "comment_id") or "").strip()
    video_id = (_text_field(row, "video_id") or "").strip()
    if not comment_id:
        raise ValueError("comment_id is empty")
    if not video_id:
        raise ValueError("video_id is empty")
    found = registry.find_video(platform, video_id)
    if row.get("campaign") and row.get("creator"):
        campaign = registry.campaign(str(row["campaign"]))
        creator = campaign.creator(str(row["creator"]))
        video = next((v for v in creator.videos if v.platform == platform and v.id == video_id), None)
    elif found:
        campaign, creator, video = found
    else:
        raise ValueError(
            f"video {platform}:{video_id[:80]} is not in the campaign registry: add it under a creator's videos"
        )
    parent = (_text_field(row, "parent_comment_id") or "").strip() or None
    if parent in {"0", comment_id, video_id}:
        parent = None
    text = _text_field(row, "text")
    if text is None:
        raise ValueError("text is missing")
    created_at = parse_time(row.get("created_at"))
    with contextlib.suppress(OverflowError):  # e.g. 9999-12-31T23:59-14:00 is past year 9999 in UTC
        created_at = created_at.astimezone(UTC)
    if not (created_at.tzinfo is UTC and EARLIEST <= created_at < LATEST):
        raise ValueError(f"created_at {created_at.isoformat()} is outside 2000-2099: not a comment's time")
    author = _text_field(row, "author")
    return RawComment(
        id=comment_key(platform, comment_id),
        platform=platform,
        comment_id=comment_id,
        campaign=campaign.id,
        creator=creator.key,
        country=creator.country,
        video_id=video_id,
        video_url=(video.link if video else _text_field(row, "video_url")) or None,
        campaign_video=bool(video.campaign_video) if video else False,
        parent_id=comment_key(platform, parent) if parent else None,
        created_at=created_at,
        collected_at=collected_at,
        text=text,
        like_count=parse_count(row.get("like_count"), "like_count"),
        reply_count=parse_count(row.get("reply_count"), "reply_count"),
        author_handle=author or None,
        source=source,
    )


def fault_reason(exc: Exception) -> str:
    """One line saying what is wrong with a row."""
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if not isinstance(exc, ValueError | KeyError) else text


def store(
    lake: Lake,
    path: Path,
    platform_hint: str | None,
    rows: Iterable[dict[str, Any] | None],
    registry: Registry,
    *,
    source: str,
    collected_at: datetime | None = None,
) -> ImportResult:
    """Keep the file as returned, then stream its rows: good ones into the raw lake, bad ones into the
    quarantine with their reason. A ``None`` row is an item that is not a comment (counted as skipped).

    The file must be UTF-8 text (one-line ImportFormatError otherwise). A failure while writing (a full
    disk) raises after dropping the unfinished part, and the import ledger keeps the import marked as
    unfinished so ``summary`` says so until it is run again."""
    collected_at = collected_at or datetime.now(UTC)
    check_text_file(path)
    check_utf8(path)
    rows = iter(rows)
    first = next(rows, _END)
    hint = platform_hint or _platform_of(first)
    result = ImportResult(path=path)
    with import_ledger.run(lake, path, source) as entry:
        result.raw_copy, digest = lake.keep_file(hint, f"import-{slug(source, 20)}-{slug(path.stem, 60)}", path)
        entry.digest = digest
        with (
            lake.raw_appender() as appender,
            lake.quarantine_writer("import", source=f"{source}:{path.name}", key=digest[:16]) as quarantine,
        ):
            for row in _chain(first, rows):
                if row is None:
                    result.skipped += 1
                    continue
                result.read += 1
                number = result.read
                try:
                    record = to_raw(row, registry, source=source, collected_at=collected_at)
                except Exception as exc:  # noqa: BLE001 - any fault of one row quarantines that row only
                    quarantine.add(f"row {number}: {fault_reason(exc)}", row)
                    continue
                appender.add(record)
        result.appended = appender.result
        result.quarantined = quarantine.count
        result.quarantine_file = quarantine.path
        entry.counts = {"read": result.read, "new": result.appended.new, "quarantined": result.quarantined}
    return result


def _platform_of(row: Any) -> str:
    platform = str(row.get("platform") or "").strip().lower() if isinstance(row, dict) else ""
    return platform if platform in PLATFORMS else "file"


def _chain(first: Any, rest: Iterable[Any]) -> Iterable[Any]:
    if first is not _END:
        yield first
    yield from rest
