"""Writing rows as JSONL, CSV or Parquet, atomically and byte-for-byte reproducibly.

CSV cells cannot hold lists: list columns are joined with ``|`` (labels and targets never contain
it) and booleans are written ``true``/``false``. Timestamps are ISO 8601 UTC in JSONL and CSV.
CSV cells go through ``csvsafe`` (formula cells neutralised, line breaks quoted) and come back exact.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from commentscope.atomic import write_bytes, write_with
from commentscope.export.csvsafe import read_cell, write_csv
from commentscope.lake import PARQUET_OPTIONS
from commentscope.schema import ENRICHED_ARROW_SCHEMA

FORMATS: dict[str, str] = {"jsonl": "jsonl", "csv": "csv", "parquet": "parquet"}  # name -> file extension
LIST_SEPARATOR = "|"

_TS = pa.timestamp("us", tz="UTC")
_EXTRA_TYPES = {
    "split": pa.string(),
    "human_labels": pa.list_(pa.string()),
    "human_targets": pa.list_(pa.string()),
    "human_counter_speech": pa.bool_(),
    "human_supportive": pa.bool_(),
    "human_annotator": pa.string(),
    "human_labelled_at": _TS,
}


def arrow_schema(columns: Iterable[str]) -> pa.Schema:
    """The Arrow schema of an export with these columns (types from the enriched schema)."""
    fields = []
    for name in columns:
        if name in _EXTRA_TYPES:
            fields.append(pa.field(name, _EXTRA_TYPES[name]))
        else:
            fields.append(ENRICHED_ARROW_SCHEMA.field(name))
    return pa.schema(fields)


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, datetime):
        return _plain(value)  # type: ignore[return-value]
    return str(value)


def jsonl_bytes(rows: list[dict], columns: list[str]) -> bytes:
    lines = [json.dumps({c: _plain(r.get(c)) for c in columns}, ensure_ascii=False) for r in rows]
    return ("\n".join(lines) + "\n").encode() if lines else b""


def csv_bytes(rows: list[dict], columns: list[str]) -> bytes:
    return write_csv(columns, ([_cell(row.get(c)) for c in columns] for row in rows))


def write_rows(path: Path, fmt: str, rows: list[dict], columns: list[str]) -> Path:
    """Write ``rows`` (only ``columns``, in that order) to ``path`` in format ``fmt``."""
    if fmt == "jsonl":
        write_bytes(path, jsonl_bytes(rows, columns))
    elif fmt == "csv":
        write_bytes(path, csv_bytes(rows, columns))
    elif fmt == "parquet":
        schema = arrow_schema(columns)
        table = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], schema=schema)
        write_with(path, lambda tmp: pq.write_table(table, tmp, **PARQUET_OPTIONS))
    else:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    return path


def _key(name: str | None) -> str | None:
    return read_cell(name) if isinstance(name, str) else name  # None: cells beyond the header


def read_rows(path: Path) -> list[dict]:
    """Read a JSONL, CSV or Parquet file back into dicts (CSV cells stay strings)."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        text = path.read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    if suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return [
                {_key(k): read_cell(v) if isinstance(v, str) else v for k, v in row.items()}
                for row in csv.DictReader(handle)
            ]
    if suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    raise ValueError(f"{path}: unknown file type {suffix!r}: use .jsonl, .csv or .parquet")
