"""Small DuckDB helpers shared by the readers of the lake."""

from __future__ import annotations

from typing import Any

import duckdb


def one_row(cursor: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    """The row of a query that always returns one (``count(*)``, ``any_value``); none is a bug, said plainly."""
    row = cursor.fetchone()
    if row is None:
        raise RuntimeError("an aggregate query returned no row")
    return row
