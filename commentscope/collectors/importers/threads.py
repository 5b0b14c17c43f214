"""Keep a file's thread structure: a reply never turns into a top-level comment without a word.

Runs on the generic rows of a whole file (a first pass over the file for the thread index, a second
one while storing), before they are mapped onto the comment record:

* a row the export marks as a reply but that names no parent (or only the video) is quarantined:
  importing it would silently make it a top-level comment;
* a reply whose parent is itself a reply in the file is attached to that reply's top-level comment,
  the two levels TikTok's and YouTube's APIs (and our collectors) use;
* a reply whose parent is neither in the file nor already in the lake is imported with its parent id
  (its thread is kept; the parent may come in a later file, or was cut by the tool's limit), and
  the import reports a warning with the rows concerned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from commentscope.collectors.importers.base import ImportResult, store
from commentscope.collectors.importers.reading import check_text_file, check_utf8
from commentscope.lake import Lake
from commentscope.registry import Registry
from commentscope.schema import comment_key

_TOP_LEVEL = {"", "0"}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _skipped(row: Any) -> bool:
    return not isinstance(row, dict) or "_unparsable_line" in row or "_error" in row or bool(row.get("_quarantine"))


RowSource = Callable[[], Iterable[dict[str, Any] | None]]


class ThreadIndex:
    """Each comment's parent in a file (ids only, so it stays small), read in a first pass over the rows;
    ``fixed`` then streams the rows again with the thread rules applied."""

    def __init__(self, rows: Iterable[dict[str, Any] | None]):
        self.parent_of: dict[tuple[str, str], str] = {}
        self.orphans: list[int] = []
        for row in rows:
            if row is None or _skipped(row):
                continue
            platform, cid = _text(row.get("platform")).lower(), _text(row.get("comment_id"))
            if cid:
                parent = _text(row.get("parent_comment_id"))
                top = parent in _TOP_LEVEL or parent in {cid, _text(row.get("video_id"))}
                self.parent_of[(platform, cid)] = "" if top else parent

    def fix(self, number: int, row: dict[str, Any], known_ids: set[str]) -> dict[str, Any]:
        """Quarantine-mark a reply without a parent, re-root a nested reply, note an orphan."""
        if _skipped(row):
            return row
        platform, cid = _text(row.get("platform")).lower(), _text(row.get("comment_id"))
        parent = self.parent_of.get((platform, cid), "")
        if not parent:
            if row.get("_is_reply"):
                row["_quarantine"] = (
                    "marked as a reply but names no parent comment: importing it would "
                    "make it a top-level comment (fix: export the file again with its "
                    "reply columns)"
                )
            return row
        root, seen = parent, {cid}
        while self.parent_of.get((platform, root)) and root not in seen:
            seen.add(root)
            root = self.parent_of[(platform, root)]
        row["parent_comment_id"] = root
        if (platform, root) not in self.parent_of and comment_key(platform, root) not in known_ids:
            self.orphans.append(number)
        return row

    def fixed(self, rows: Iterable[dict[str, Any] | None], known_ids: set[str]) -> Iterator[dict[str, Any] | None]:
        number = 0
        for row in rows:
            if row is not None:
                number += 1
                row = self.fix(number, row, known_ids)
            yield row

    def warnings(self) -> list[str]:
        if not self.orphans:
            return []
        shown = ", ".join(map(str, self.orphans[:10])) + (", …" if len(self.orphans) > 10 else "")
        return [
            f"{len(self.orphans)} replies name a parent that is neither in this file nor in the lake (rows "
            f"{shown}); imported with their parent id, so their thread is kept"
        ]


def check(rows: list[dict[str, Any]], known_ids: set[str]) -> list[str]:
    """Quarantine-mark replies without a parent, re-root nested replies; return warnings for orphans."""
    index = ThreadIndex(rows)
    for _ in index.fixed(rows, known_ids):
        pass
    return index.warnings()


def store_checked(
    lake: Lake,
    path: Path,
    platform: str | None,
    rows: RowSource | list[dict[str, Any]],
    registry: Registry,
    *,
    source: str,
    layout: str,
    skipped: int = 0,
) -> ImportResult:
    """Check the threads of a whole file, then store it; the result names the layout and the warnings.

    ``rows`` is best a function returning a fresh stream of the file's rows (``None`` for an item that
    is not a comment): it is read twice, once for the thread index and once to store, so memory does
    not grow with the file."""
    fresh: RowSource = rows if callable(rows) else (lambda: rows)
    check_text_file(path)
    check_utf8(path)
    known = lake.known_ids()
    index = ThreadIndex(fresh())
    result = store(lake, path, platform, index.fixed(fresh(), known), registry, source=source)
    result.layout, result.warnings = layout, index.warnings()
    result.skipped += skipped
    return result
