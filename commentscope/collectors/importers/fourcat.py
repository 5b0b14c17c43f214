"""4CAT TikTok comments datasets (``tiktok-comments-search``, filled from a Zeeschuimer upload).

Three downloads of the same dataset:

* mapped CSV (the dataset page's CSV download, 4cat ``webtool/views/views_dataset.py``,
  ``get_mapped_result``): ``map_item``'s columns (``tiktok_web.MAPPED_COLUMNS``) plus
  ``missing_fields``, written by ``csv.DictWriter`` (comma, ``\\r\\n``). The "Convert NDJSON file to
  CSV" processor (``processors/conversion/ndjson_to_csv.py``) writes the same columns after the
  flattened original ones, so it reads the same way.
* original NDJSON (the ``.ndjson`` download): every uploaded Zeeschuimer item as
  ``backend/lib/search.py`` ``import_from_file`` keeps it after ``common/lib/helpers.py``
  ``format_import_item``: TikTok's comment object at the top level plus ``__import_meta`` (the
  Zeeschuimer envelope). Pseudonymised datasets hash every value under ``author*``/``user*`` keys
  (``processors/conversion/remove_author_info.py``), which leaves the thread fields alone.
* mapped NDJSON (``/api/dataset/<key>/items/?stream=true``, ``webtool/views/api_tool.py``): the
  mapped items, one JSON object a line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from commentscope.collectors.importers.base import ImportFormatError, ImportResult, read_csv
from commentscope.collectors.importers.layouts import (
    JSON_SUFFIXES,
    TABLE_SUFFIXES,
    Layout,
    json_keys,
    layout_error,
    pick,
    table_header,
)
from commentscope.collectors.importers.reading import each, json_lines
from commentscope.collectors.importers.threads import store_checked
from commentscope.collectors.importers.tiktok_web import MAPPED_COLUMNS, comment_to_generic, mapped_to_generic
from commentscope.lake import Lake
from commentscope.registry import Registry

_MAPPED_REQUIRED = ("id", "thread_id", "body", "post_id")
CSV = Layout(
    "4CAT TikTok comments CSV",
    "4cat",
    (*_MAPPED_REQUIRED, "unix_timestamp"),
    (*MAPPED_COLUMNS, "missing_fields"),
    delimiter=",",
)
ORIGINAL = Layout(
    "4CAT TikTok comments original NDJSON",
    "4cat",
    ("__import_meta", "cid", "aweme_id"),
    (
        "__import_meta",
        "cid",
        "aweme_id",
        "text",
        "create_time",
        "digg_count",
        "reply_comment_total",
        "reply_id",
        "reply_to_reply_id",
        "user",
    ),
)
MAPPED = Layout("4CAT TikTok comments mapped NDJSON", "4cat", _MAPPED_REQUIRED, (*MAPPED_COLUMNS, "missing_fields"))
JSON_LAYOUTS = (ORIGINAL, MAPPED)
TABLE_LAYOUTS = (CSV,)


def read_table(path: Path) -> Iterator[dict[str, Any]]:
    delimiter, header = table_header(path)
    if not CSV.matches(header, delimiter):
        raise layout_error(path, TABLE_LAYOUTS, header, delimiter)
    _, rows = read_csv(path, CSV.required, CSV.name)
    yield from each(rows, mapped_to_generic)


def _objects(path: Path) -> Iterator[Any]:
    for value in json_lines(path, strip_nul=True):  # 4CAT strips NULs on import too
        yield value if isinstance(value, dict) else {"_quarantine": "not a JSON object", "_raw": value}


def ndjson_layout(path: Path) -> Layout:
    keys = json_keys(path) or []
    layout = pick(JSON_LAYOUTS, keys)
    if layout is None:
        raise layout_error(path, JSON_LAYOUTS, keys)
    return layout


def read_ndjson(path: Path, layout: Layout) -> Iterator[dict[str, Any]]:
    if layout is ORIGINAL:
        return each(
            _objects(path), lambda item: comment_to_generic({k: v for k, v in item.items() if k != "__import_meta"})
        )
    return each(_objects(path), mapped_to_generic)


def import_file(lake: Lake, path: str | Path, registry: Registry) -> ImportResult:
    path = Path(path)
    if path.suffix.lower() in JSON_SUFFIXES:
        layout = ndjson_layout(path)
        return store_checked(
            lake, path, "tiktok", lambda: read_ndjson(path, layout), registry, source="4cat", layout=layout.name
        )
    if path.suffix.lower() in TABLE_SUFFIXES:
        return store_checked(lake, path, "tiktok", lambda: read_table(path), registry, source="4cat", layout=CSV.name)
    raise ImportFormatError(f"{path}: 4CAT exports are .csv or .ndjson, not {path.suffix!r}")
