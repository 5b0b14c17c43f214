"""What every importer shares: mapping loose rows onto RawComment with the registry, and quarantine."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from commentscope.lake import AppendResult, Lake
from commentscope.registry import Registry
from commentscope.schema import RawComment, comment_key


class ImportFormatError(ValueError):
    """The file is not in the format it was imported as; the message says what was expected."""


def read_csv(path: Path, required: Iterable[str], what: str,
             delimiter: str = ",") -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV export, after checking it has the columns its format needs."""
    required = list(required)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        header = list(reader.fieldnames or [])
        missing = [c for c in required if c not in header]
        if missing:
            raise ImportFormatError(
                f"{path}: not a {what}: missing columns {', '.join(missing)}; found columns "
                f"{', '.join(header) or '(none)'}; expected {', '.join(required)} (see docs/import-formats.md)"
            )
        return header, list(reader)


@dataclass
class ImportResult:
    """Counts of one import, for the terminal and the tests."""

    path: Path
    read: int = 0
    appended: AppendResult = field(default_factory=AppendResult)
    quarantined: int = 0
    quarantine_file: Path | None = None
    skipped: int = 0  # items that are valid but not comments (e.g. video items in a Zeeschuimer file)
    layout: str = ""  # which export layout of the format was read, e.g. "YTDT v2 CSV"
    warnings: list[str] = field(default_factory=list)  # imported, but the user should know (e.g. orphan replies)


def parse_time(value: Any) -> datetime:
    """ISO 8601 strings or unix seconds (int, float or digit string) to an aware UTC datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        return datetime.fromtimestamp(int(value), tz=UTC)
    if isinstance(value, str) and value.strip():
        text = value.strip().replace("Z", "+00:00")
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise ValueError(f"not a timestamp: {value!r}")


def to_raw(
    row: dict[str, Any],
    registry: Registry,
    *,
    source: str,
    collected_at: datetime,
) -> RawComment:
    """Build a RawComment from a row with the generic field names; the video must be in the registry
    unless the row names its campaign and creator."""
    if "_unparsable_line" in row:
        raise ValueError(f"line {row['_unparsable_line']} is not valid JSON: {row.get('_error')}")
    if row.get("_quarantine"):  # a format module or the thread check rejected the row, with its reason
        raise ValueError(str(row["_quarantine"]))
    platform = str(row.get("platform") or "").strip().lower()
    video_id = str(row.get("video_id") or "").strip()
    comment_id = row.get("comment_id")
    if isinstance(comment_id, float):
        raise ValueError("comment_id is a float: it has lost digits; export ids as strings")
    comment_id = str(comment_id or "").strip()
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
            f"video {platform}:{video_id} is not in the campaign registry: add it under a creator's videos"
        )
    parent = str(row.get("parent_comment_id") or "").strip() or None
    if parent in {"0", comment_id, video_id}:
        parent = None
    text = row.get("text")
    if text is None:
        raise ValueError("text is missing")
    return RawComment(
        id=comment_key(platform, comment_id),
        platform=platform,  # type: ignore[arg-type]
        comment_id=comment_id,
        campaign=campaign.id,
        creator=creator.key,
        country=creator.country,
        video_id=video_id,
        video_url=(video.link if video else row.get("video_url")) or None,
        campaign_video=bool(video.campaign_video) if video else False,
        parent_id=comment_key(platform, parent) if parent else None,
        created_at=parse_time(row.get("created_at")),
        collected_at=collected_at,
        text=str(text),
        like_count=int(row.get("like_count") or 0),
        reply_count=int(row.get("reply_count") or 0),
        author_handle=(str(row["author"]) if row.get("author") else None),
        source=source,
    )


def map_rows(
    rows: Iterable[dict[str, Any]], registry: Registry, *, source: str, collected_at: datetime
) -> tuple[list[RawComment], list[tuple[str, Any]]]:
    """Split rows into good records and (reason, row) pairs for the quarantine."""
    good: list[RawComment] = []
    bad: list[tuple[str, Any]] = []
    for number, row in enumerate(rows, start=1):
        try:
            good.append(to_raw(row, registry, source=source, collected_at=collected_at))
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            reason = str(exc).splitlines()[0] if not isinstance(exc, ValidationError) else _pydantic_reason(exc)
            bad.append((f"row {number}: {reason}", row))
    return good, bad


def _pydantic_reason(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())


def store(
    lake: Lake,
    path: Path,
    platform_hint: str,
    rows: Iterator[dict[str, Any]] | list[dict[str, Any]],
    registry: Registry,
    *,
    source: str,
    collected_at: datetime | None = None,
) -> ImportResult:
    """Keep the file as returned, map its rows, append good ones and quarantine bad ones."""
    collected_at = collected_at or datetime.now(UTC)
    lake.write_page(platform_hint, f"import-{source}-{path.stem}", path.read_bytes())
    rows = list(rows)
    good, bad = map_rows(rows, registry, source=source, collected_at=collected_at)
    result = ImportResult(path=path, read=len(rows))
    result.appended = lake.append_raw(good)
    result.quarantine_file = lake.quarantine("import", bad, source=f"{source}:{path.name}")
    result.quarantined = len(bad)
    return result
