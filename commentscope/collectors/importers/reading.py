"""Reading export files as streams of rows, with one-line errors for files that are not UTF-8 text.

Rows are yielded one at a time (memory does not grow with the file). A row that cannot be read (a
JSON line that does not parse, a CSV record over the field limit) becomes an error row, a dict with
``_error``, which the importer quarantines with its reason; the rest of the file still imports.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from commentscope.errors import CollectStageError

MAX_FIELD = 16 * 1024 * 1024  # characters in one CSV cell / one JSON line; longer ones are quarantined
KEEP_RAW = 2000  # characters of an unreadable line kept in its quarantine record
_SNIFF = 64 * 1024
_BOMS = {codecs.BOM_UTF32_LE: "UTF-32", codecs.BOM_UTF32_BE: "UTF-32",
         codecs.BOM_UTF16_LE: "UTF-16", codecs.BOM_UTF16_BE: "UTF-16"}  # fmt: skip
_MAGIC = {b"PK\x03\x04": "a zip archive (e.g. .xlsx)", b"\x1f\x8b": "gzip-compressed", b"%PDF": "a PDF",
          b"PAR1": "a Parquet file", b"SQLite format 3": "an SQLite database"}  # fmt: skip
_UTF8_FIX = "re-save it as UTF-8 (in Excel: Save As > CSV UTF-8; or iconv -f {enc} -t UTF-8 FILE > NEW) and import that"


class ImportFormatError(CollectStageError, ValueError):
    """The file is not in the format it was imported as; the message says what was expected."""


def check_text_file(path: Path) -> None:
    """Refuse UTF-16/32, binary and archive files with one line naming the problem and the fix."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF)
    for bom, name in _BOMS.items():  # UTF-32 LE starts like UTF-16 LE: longer BOMs are listed first
        if head.startswith(bom):
            raise ImportFormatError(f"{path}: the file is {name} text, not UTF-8: " + _UTF8_FIX.format(enc=name))
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise ImportFormatError(
                f"{path}: this is {what}, not a CSV or JSON-lines text file: export or "
                "unpack the comments as .csv (UTF-8) or .jsonl and import that"
            )
    if b"\x00" in head:
        raise ImportFormatError(
            f"{path}: the file holds NUL bytes: it is binary or UTF-16 without a byte-order "
            "mark, not UTF-8 text: " + _UTF8_FIX.format(enc="UTF-16")
        )


def check_utf8(path: Path, chunk_size: int = 1 << 20) -> None:
    """Read the whole file once (in chunks) and refuse it, naming the line, if it is not valid UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    lines = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(chunk_size)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                raise encoding_error(path, exc, lines + chunk[: max(exc.start, 0)].count(b"\n") + 1) from None
            if not chunk:
                return
            lines += chunk.count(b"\n")


def encoding_error(path: Path, exc: UnicodeDecodeError, line: int | None = None) -> ImportFormatError:
    """The one-line error for a file that is not UTF-8 (most often Latin-1 / Windows-1252 from Excel)."""
    where = f" on line {line}" if line else ""
    bad = exc.object[exc.start : exc.start + 1].hex() if isinstance(exc.object, bytes | bytearray) else "?"
    return ImportFormatError(
        f"{path}: not UTF-8 text (byte 0x{bad}{where}); it was probably saved as Latin-1 / "
        "Windows-1252: " + _UTF8_FIX.format(enc="WINDOWS-1252")
    )


def read_csv(
    path: Path, required: Iterable[str], what: str, delimiter: str = ","
) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """Header and a stream of rows of a CSV export, after checking it has the columns its format needs."""
    required = list(required)
    check_text_file(path)
    csv.field_size_limit(MAX_FIELD)  # csv's default (131,072) is below a long YouTube comment in HTML
    handle = path.open(encoding="utf-8-sig", newline="")
    reader = csv.DictReader(handle, delimiter=delimiter)
    try:
        header = list(reader.fieldnames or [])
    except UnicodeDecodeError as exc:
        handle.close()
        raise encoding_error(path, exc) from None
    except csv.Error as exc:
        handle.close()
        raise ImportFormatError(f"{path}: the header line is not readable CSV ({exc})") from None
    missing = [c for c in required if c not in header]
    if missing:
        handle.close()
        raise ImportFormatError(
            f"{path}: not a {what}: missing columns {', '.join(missing)}; found columns "
            f"{', '.join(header) or '(none)'}; expected {', '.join(required)} (see docs/import-formats.md)"
        )
    return header, _csv_rows(handle, reader)


def _csv_rows(handle: Any, reader: csv.DictReader) -> Iterator[dict[str, Any]]:
    with handle:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # the reader resumes at the next record
                yield {"_error": f"CSV record ending on line {reader.line_num} is not readable: {exc}"}
                continue
            yield row


def json_lines(path: Path, strip_nul: bool = False) -> Iterator[Any]:
    """The parsed value of each non-blank line; an unreadable line becomes an error row."""
    with path.open(encoding="utf-8-sig") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.replace("\0", "") if strip_nul else raw
            if not line.strip():
                continue
            if len(line) > MAX_FIELD:
                yield {
                    "_error": f"line {number} is {len(line)} characters long (limit {MAX_FIELD})",
                    "_raw": line[:KEEP_RAW],
                }
                continue
            try:
                yield json.loads(line)
            except (ValueError, RecursionError) as exc:  # ValueError: bad JSON, or an int of > 4300 digits
                reason = str(exc).splitlines()[0][:200]
                yield {"_error": f"line {number} is not valid JSON: {reason}", "_raw": line[:KEEP_RAW]}


def is_error_row(row: Any) -> bool:
    return isinstance(row, dict) and "_error" in row


def each(rows: Iterable[Any], convert: Callable[[Any], Any]) -> Iterator[Any]:
    """``convert`` every row of a format's reader, passing error rows through unchanged; a row that
    ``convert`` cannot handle becomes an error row (quarantined), never the end of the import."""
    for row in rows:
        if is_error_row(row):
            yield row
            continue
        try:
            converted = convert(row)
        except Exception as exc:  # noqa: BLE001 - a fault of one row stays with that row
            yield {"_error": f"unreadable item ({type(exc).__name__}: {str(exc)[:200]})", "_raw": row}
            continue
        yield converted
