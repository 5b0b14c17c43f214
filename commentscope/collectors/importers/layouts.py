"""Which export layout a file is in, told from its header (or first JSON object), with errors that say why.

Each format module lists its layouts; ``detect`` and the format modules match a file against them. A
file that matches none, or only part of one, is refused with one line naming the columns found and
the columns expected, so nothing is half-imported under a wrong mapping.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from commentscope.collectors.importers.base import ImportFormatError

DELIMITERS = (",", ";", "\t")
JSON_SUFFIXES = {".ndjson", ".jsonl", ".json"}
TABLE_SUFFIXES = {".csv", ".tab", ".tsv"}


@dataclass(frozen=True)
class Layout:
    """One export layout: the columns (or JSON keys) that identify it and the ones it is known to have."""

    name: str  # shown to the user, e.g. "YouTube Data Tools v2 comments CSV"
    format: str  # the --format that reads it
    required: tuple[str, ...]  # all must be present
    known: tuple[str, ...]  # every column the source writes (required included)
    delimiter: str | None = None  # tabular layouts: the separator the tool writes; None = any

    def matches(self, columns: Iterable[str], delimiter: str | None = None) -> bool:
        found = set(columns)
        if self.delimiter and delimiter and delimiter != self.delimiter:
            return False
        return set(self.required) <= found

    def closeness(self, columns: Iterable[str]) -> float:
        """How much the file looks like this layout: the larger share of its required or known columns."""
        found = set(columns)
        return max(len(found & set(self.required)) / len(self.required), len(found & set(self.known)) / len(self.known))


def first_line(path: Path) -> str:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        return handle.readline(1 << 20)  # bounded: a binary file may have no line break at all


def sniff_delimiter(line: str) -> str:
    """The separator that splits a header line into the most columns (',' on a tie)."""

    def width(delimiter: str) -> int:
        return len(next(csv.reader(io.StringIO(line), delimiter=delimiter), []))

    return max(DELIMITERS, key=lambda d: (width(d), d == ","))


def table_header(path: Path) -> tuple[str, list[str]]:
    """(delimiter, column names) of a CSV/TAB file."""
    line = first_line(path)
    delimiter = sniff_delimiter(line)
    header = next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
    return delimiter, [c.strip() for c in header]


def json_keys(path: Path, lines: int = 20) -> list[str] | None:
    """The keys of the JSON objects among the first lines of an NDJSON file (broken lines are skipped;
    a key absent from one row, e.g. an optional generic column, still counts); None if none parse."""
    keys: dict[str, None] = {}
    found = False
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        for _, line in zip(range(lines), handle, strict=False):
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                found = True
                keys.update(dict.fromkeys(value))
    return list(keys) if found else None


def pick(layouts: Iterable[Layout], columns: list[str], delimiter: str | None = None) -> Layout | None:
    """The matching layout that explains most of the columns, or None."""
    found = [layout for layout in layouts if layout.matches(columns, delimiter)]
    return max(found, key=lambda layout: layout.closeness(columns), default=None)


def _describe(columns: list[str], delimiter: str | None) -> str:
    shown = ", ".join(columns[:25]) + (f", … ({len(columns)} in all)" if len(columns) > 25 else "")
    separator = {",": "comma", ";": "semicolon", "\t": "tab"}.get(delimiter or "", "")
    return f"found {'keys' if delimiter is None else 'columns'} [{shown or 'none'}]" + (
        f" ({separator}-separated)" if separator else ""
    )


def layout_error(
    path: Path, layouts: Iterable[Layout], columns: list[str], delimiter: str | None = None
) -> ImportFormatError:
    """One line: what the file has, what the nearest layout (or each candidate) needs, and the fix."""
    layouts = list(layouts)
    near = max(layouts, key=lambda layout: layout.closeness(columns))
    found = _describe(columns, delimiter)
    if near.closeness(columns) >= 0.5:
        missing = [c for c in near.required if c not in columns]
        if missing:
            return ImportFormatError(
                f"{path}: looks like a {near.name} but lacks {', '.join(missing)}: {found}; expected "
                f"{', '.join(near.required)} (fix: export the file again from the tool, unedited; "
                "see docs/import-formats.md)"
            )
        if near.delimiter and delimiter and near.delimiter != delimiter:
            wanted = {",": "comma", ";": "semicolon", "\t": "tab"}[near.delimiter]
            return ImportFormatError(
                f"{path}: looks like a {near.name} but is not {wanted}-separated: {found} (fix: export "
                "the file again from the tool, unedited; see docs/import-formats.md)"
            )
    expected = "; ".join(f"{layout.name}: {', '.join(layout.required)}" for layout in layouts)
    if len({layout.format for layout in layouts}) == 1:  # a --format was named: the file may be another
        return ImportFormatError(
            f"{path}: not a {' or '.join(layout.name for layout in layouts)}: {found}; expected {expected} "
            "(fix: check --format, or leave it at auto; see docs/import-formats.md)"
        )
    return ImportFormatError(
        f"{path}: unknown layout: {found}; expected one of: {expected} (fix: convert it to the generic "
        "format, see docs/import-formats.md)"
    )
