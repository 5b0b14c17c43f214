"""Spreadsheet-safe CSV: every CSV this project writes goes through ``write_csv``.

Reviewers open exports in Excel, LibreOffice or Google Sheets, which run a cell that starts with
``=``, ``+``, ``-`` or ``@`` (also after leading spaces, and a tab or carriage return at the start)
as a formula. Following the OWASP "CSV Injection" guidance such a cell is written with a leading
single quote, which spreadsheets show as text and hide. A cell that already starts with a quote
gets one more, so ``read_cell`` restores every cell exactly (the annotation round trip needs it).

Line breaks: ``\\r\\n`` ends a row (RFC 4180), so the csv module quotes every cell holding a CR or
LF; with a bare ``\\n`` terminator a lone CR would go out unquoted and split the row in readers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

QUOTE = "'"
# ASCII triggers plus their full-width forms (some spreadsheets fold those to ASCII on entry)
_TRIGGERS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
_CONTROL_START = frozenset("\t\r\n")


def needs_quote(cell: str) -> bool:
    """True when a spreadsheet could read ``cell`` as a formula (or it starts with our quote)."""
    if not cell:
        return False
    if cell[0] in _CONTROL_START or cell[0] == QUOTE:
        return True
    stripped = cell.lstrip()
    return bool(stripped) and stripped[0] in _TRIGGERS


def safe_cell(cell: str) -> str:
    """The cell as written: prefixed with a single quote when a spreadsheet would evaluate it."""
    return QUOTE + cell if needs_quote(cell) else cell


def read_cell(cell: str) -> str:
    """The original value of a cell written by ``safe_cell``."""
    return cell[1:] if cell.startswith(QUOTE) else cell


def write_csv(header: list[str], rows: Iterable[list[str]]) -> bytes:
    """CSV bytes (UTF-8, CRLF rows, CR/LF inside cells quoted) with every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([safe_cell(c) for c in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return buffer.getvalue().encode()
