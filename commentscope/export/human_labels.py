"""Human labels: reviewed labels next to the machine ones, with who (pseudonymous) and when.

Stored under ``DATA/labels/human/part-HASH.parquet`` (atomic, content-named: importing the same
review twice writes nothing new). Each record keeps the machine labels and tagger version the
reviewer saw, so researchers can measure and improve the tagger. The latest review of a comment
(by ``labelled_at``) is the one joined into exports.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from commentscope.atomic import write_with
from commentscope.lake import PARQUET_OPTIONS, Lake

_TS = pa.timestamp("us", tz="UTC")
HUMAN_LABEL_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("tagger_version", pa.string()),
        ("machine_labels", pa.list_(pa.string())),
        ("machine_targets", pa.list_(pa.string())),
        ("machine_counter_speech", pa.bool_()),
        ("machine_supportive", pa.bool_()),
        ("human_labels", pa.list_(pa.string())),
        ("human_targets", pa.list_(pa.string())),
        ("human_counter_speech", pa.bool_()),
        ("human_supportive", pa.bool_()),
        ("annotator_key", pa.string()),
        ("labelled_at", _TS),
        ("imported_at", _TS),
    ]
)
# The human columns an export carries (None when nobody reviewed the comment).
HUMAN_EXPORT_COLUMNS: tuple[str, ...] = (
    "human_labels", "human_targets", "human_counter_speech", "human_supportive",
    "human_annotator", "human_labelled_at",
)  # fmt: skip


def annotator_key(salt: str, name: str) -> str:
    """HMAC of the annotator's name: stable within the project, meaningless outside it."""
    digest = hmac.new(salt.encode(), f"annotator:{name.strip().casefold()}".encode(), hashlib.sha256)
    return f"h_{digest.hexdigest()[:24]}"


def human_labels_dir(lake: Lake) -> Path:
    return lake.local_root / "labels" / "human"


def label_parts(lake: Lake) -> list[Path]:
    return sorted(human_labels_dir(lake).glob("part-*.parquet"))


def _review_key(record: dict) -> tuple:
    """What makes a review new: who said what about which comment (not when it was imported)."""
    return (
        record["id"],
        record["annotator_key"],
        tuple(sorted(record["human_labels"] or [])),
        tuple(sorted(record["human_targets"] or [])),
        record["human_counter_speech"],
        record["human_supportive"],
    )


def _known_reviews(lake: Lake) -> set[tuple]:
    return {_review_key(row) for part in label_parts(lake) for row in pq.read_table(part).to_pylist()}


def write_labels(lake: Lake, records: list[dict]) -> Path | None:
    """Append new reviews as one content-named part; None when there is nothing new.

    A review identical to one already stored (same annotator, same verdict on the same comment) is
    skipped, so importing the same reviewed file twice changes nothing.
    """
    known = _known_reviews(lake)
    records = [r for r in records if _review_key(r) not in known]
    if not records:
        return None
    records = sorted(records, key=lambda r: (r["id"], r["annotator_key"], r["labelled_at"]))
    table = pa.Table.from_pylist(records, schema=HUMAN_LABEL_SCHEMA)
    digest = hashlib.blake2b(digest_size=8)
    for record in records:
        digest.update(repr((_review_key(record), record["labelled_at"].isoformat())).encode())
    target = human_labels_dir(lake) / f"part-{digest.hexdigest()}.parquet"
    write_with(target, lambda tmp: pq.write_table(table, tmp, **PARQUET_OPTIONS))
    return target


def latest_labels(lake: Lake) -> dict[str, dict]:
    """id -> the latest review of that comment, with the columns exports carry."""
    parts = label_parts(lake)
    if not parts:
        return {}
    con = duckdb.connect()
    sql = (
        "SELECT * EXCLUDE (rn) FROM (SELECT *, row_number() OVER (PARTITION BY id "
        "ORDER BY labelled_at DESC, imported_at DESC, annotator_key) AS rn FROM read_parquet(?)) WHERE rn = 1"
    )
    cursor = con.execute(sql, [[str(p) for p in parts]])
    names = [d[0] for d in cursor.description]
    out = {}
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        out[row["id"]] = {
            "human_labels": row["human_labels"],
            "human_targets": row["human_targets"],
            "human_counter_speech": row["human_counter_speech"],
            "human_supportive": row["human_supportive"],
            "human_annotator": row["annotator_key"],
            "human_labelled_at": row["labelled_at"],
        }
    return out


def empty_human_columns() -> dict[str, object]:
    return dict.fromkeys(HUMAN_EXPORT_COLUMNS)


def review_count(lake: Lake) -> int:
    parts = label_parts(lake)
    return sum(pq.ParquetFile(p).metadata.num_rows for p in parts)


def reviewed_rows(lake: Lake) -> list[dict]:
    """The campaign's reviewed comments as training rows (corpora format, every label known).

    Joins each comment's latest review with its text and language from the current enriched version;
    ``commentscope train --data`` learns from them next to the public corpora.
    """
    reviews = latest_labels(lake)
    if not reviews:
        return []
    con = lake.connect()
    con.register("_reviewed", pa.table({"rid": list(reviews)}))
    found = con.execute("SELECT id, text, language FROM comments JOIN _reviewed ON id = rid").fetchall()
    rows = []
    for comment_id, text, language in found:
        review = reviews[comment_id]
        labels = set(review["human_labels"] or [])
        hate = "hate" in labels
        rows.append(
            {
                "id": comment_id,
                "lang": language,
                "text": text,
                "toxic": int(hate or bool(labels & {"toxic", "insult", "profanity", "threat"})),
                "hate": int(hate),
                "counter_speech": int(bool(review["human_counter_speech"])),
                "targets": list(review["human_targets"] or []) if hate else [],
                "known": ["toxic", "hate", "counter_speech", "targets"],
                "source": "campaign-human-labels",
            }
        )
    return rows
