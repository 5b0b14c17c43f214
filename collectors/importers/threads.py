"""Keep a file's thread structure: a reply never turns into a top-level comment without a word.

Runs on the generic rows of a whole file, before they are mapped onto the comment record:

* a row the export marks as a reply but that names no parent (or only the video) is quarantined:
  importing it would silently make it a top-level comment;
* a reply whose parent is itself a reply in the file is attached to that reply's top-level comment,
  the two levels TikTok's and YouTube's APIs (and our collectors) use;
* a reply whose parent is neither in the file nor already in the lake is imported with its parent id
  (its thread is kept; the parent may come in a later file, or was cut by the tool's limit), and
  the import reports a warning with the rows concerned.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from collectors.importers.base import ImportResult, store
from commentscope.lake import Lake
from commentscope.registry import Registry
from commentscope.schema import comment_key

_TOP_LEVEL = {"", "0"}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _skipped(row: dict[str, Any]) -> bool:
    return "_unparsable_line" in row or bool(row.get("_quarantine"))


def check(rows: list[dict[str, Any]], known_ids: set[str]) -> list[str]:
    """Quarantine-mark replies without a parent, re-root nested replies; return warnings for orphans."""
    parent_of: dict[tuple[str, str], str] = {}
    for row in rows:
        if _skipped(row):
            continue
        platform, cid = _text(row.get("platform")).lower(), _text(row.get("comment_id"))
        if cid:
            parent = _text(row.get("parent_comment_id"))
            top = parent in _TOP_LEVEL or parent in {cid, _text(row.get("video_id"))}
            parent_of[(platform, cid)] = "" if top else parent
    orphans: list[int] = []
    for number, row in enumerate(rows, start=1):
        if _skipped(row):
            continue
        platform, cid = _text(row.get("platform")).lower(), _text(row.get("comment_id"))
        parent = parent_of.get((platform, cid), "")
        if not parent:
            if row.get("_is_reply"):
                row["_quarantine"] = ("marked as a reply but names no parent comment: importing it would "
                                      "make it a top-level comment (fix: export the file again with its "
                                      "reply columns)")
            continue
        root, seen = parent, {cid}
        while parent_of.get((platform, root)) and root not in seen:
            seen.add(root)
            root = parent_of[(platform, root)]
        row["parent_comment_id"] = root
        if (platform, root) not in parent_of and comment_key(platform, root) not in known_ids:
            orphans.append(number)
    if not orphans:
        return []
    shown = ", ".join(map(str, orphans[:10])) + (", …" if len(orphans) > 10 else "")
    return [f"{len(orphans)} replies name a parent that is neither in this file nor in the lake (rows "
            f"{shown}); imported with their parent id, so their thread is kept"]


def store_checked(lake: Lake, path: Path, platform: str, rows: list[dict[str, Any]], registry: Registry, *,
                  source: str, layout: str, skipped: int = 0) -> ImportResult:
    """Check the threads of a whole file, then store it; the result names the layout and the warnings."""
    warnings = check(rows, lake.known_ids())
    result = store(lake, path, platform, rows, registry, source=source)
    result.layout, result.skipped, result.warnings = layout, skipped, warnings
    return result
