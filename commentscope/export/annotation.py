"""The annotation round trip: a file for reviewers (machine labels + empty human columns) and the
import of their reviewed labels into the lake, keeping the machine label beside the human one.

Reviewers fill ``human_labels`` (``|``-separated labels, or ``none`` for a clean comment) and
optionally ``human_targets``, ``human_counter_speech``, ``human_supportive``, ``annotator`` and
``labelled_at``. A row whose ``human_labels`` is empty was not reviewed and is skipped; a row with
an unknown id, label, target or value is quarantined with its reason, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePath

import duckdb

from commentscope.collectors.importers.base import parse_time
from commentscope.errors import ExportStageError
from commentscope.export.formats import read_rows, write_rows
from commentscope.export.human_labels import annotator_key, latest_labels, write_labels
from commentscope.export.labelstudio import review_rows, write_tasks
from commentscope.export.sampling import record_sample, stratified_sample
from commentscope.export.scrub import scrub
from commentscope.export.selection import NO_LABEL, ExportFilter, select_comments
from commentscope.lake import Lake
from commentscope.salt import bind_salt
from commentscope.schema import LABELS, TARGETS, utcnow

ANNOTATION_COLUMNS: list[str] = [
    "id", "language", "creator", "text", "tagger_version", "machine_labels", "machine_targets",
    "machine_counter_speech", "machine_supportive", "human_labels", "human_targets",
    "human_counter_speech", "human_supportive", "annotator", "labelled_at",
    "sample_id", "stratum", "inclusion_probability", "overlap",
]  # fmt: skip
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}


class AnnotationError(ExportStageError, ValueError):
    """A reviewed file that cannot be imported at all (wrong columns, unknown type)."""


@dataclass
class ImportLabelsResult:
    read: int = 0
    imported: int = 0
    not_reviewed: int = 0
    skipped: int = 0  # Label Studio annotations the reviewer skipped (was_cancelled)
    quarantined: int = 0
    part: PurePath | None = None
    quarantine_file: PurePath | None = None
    reasons: list[str] = field(default_factory=list)


def annotation_rows(
    con: duckdb.DuckDBPyConnection,
    lake: Lake,
    flt: ExportFilter,
    sample: int | None = None,
    seed: int = 0,
    include_reviewed: bool = False,
    overlap: int = 0,
    now: datetime | None = None,
) -> list[dict]:
    """Comments to review: a stratified random sample (period x language x machine label), recorded
    in the lake with each row's stratum and inclusion probability, or every match without ``sample``."""
    rows = select_comments(con, flt).rows
    if not include_reviewed:
        reviewed = latest_labels(lake)
        rows = [r for r in rows if r["id"] not in reviewed]
    if sample is not None and rows:
        rows, design = stratified_sample(rows, sample, seed, overlap)
        record_sample(lake, rows, design, flt.to_dict(), now or utcnow())
    elif overlap:
        raise AnnotationError("--overlap needs --sample: the overlap rows are drawn from the sample")
    return [
        {
            "id": r["id"],
            "language": r["language"],
            "creator": r["creator"],
            "text": scrub(r["text"]),
            "tagger_version": r["tagger_version"],
            "machine_labels": list(r["labels"] or []) or [NO_LABEL],
            "machine_targets": list(r["targets"] or []),
            "machine_counter_speech": r["counter_speech"],
            "machine_supportive": r["supportive"],
            **{c: None for c in ANNOTATION_COLUMNS if c.startswith("human_")},
            "annotator": None,
            "labelled_at": None,
            **{k: r.get(k) for k in ("sample_id", "stratum", "inclusion_probability", "overlap")},
        }
        for r in rows
    ]


def write_annotation_file(path: Path, rows: list[dict], fmt: str = "auto") -> list[Path]:
    """The reviewers' file(s): CSV/JSONL (plus ``*.second.*`` with the overlap rows for a second
    reviewer), or Label Studio tasks JSON plus its labelling config."""
    if fmt == "label-studio":
        if path.suffix.lower() != ".json":
            raise AnnotationError(f"{path}: write Label Studio tasks as .json")
        return list(write_tasks(path, rows))
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in {"csv", "jsonl"}:
        raise AnnotationError(f"{path}: write the annotation file as .csv or .jsonl (or use --format label-studio)")
    written = [write_rows(path, fmt, rows, ANNOTATION_COLUMNS)]
    second = [r for r in rows if r.get("overlap")]
    if second:
        written.append(write_rows(path.with_suffix(f".second.{fmt}"), fmt, second, ANNOTATION_COLUMNS))
    return written


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
    else:
        items = str(value).replace(",", "|").replace(";", "|").split("|")
    return [i.strip().lower() for i in items if i.strip()]


def _as_bool(value: object, column: str) -> bool | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{column} is {value!r}: write true or false (or leave it empty)")


def parse_review(row: dict) -> dict | None:
    """The human part of one reviewed row; None if not reviewed; ValueError with the fix if wrong."""
    labels = _as_list(row.get("human_labels"))
    others = [row.get(c) for c in ("human_targets", "human_counter_speech", "human_supportive")]
    if not labels:
        if any(v not in (None, "", []) for v in others):
            raise ValueError("human_labels is empty but other human columns are filled: write none for no label")
        return None
    if NO_LABEL in labels:
        if len(labels) > 1:
            raise ValueError(f"human_labels mixes none with labels: {labels}")
        labels = []
    unknown = [v for v in labels if v not in LABELS]
    if unknown:
        raise ValueError(f"unknown label(s) {unknown}: use {', '.join(LABELS)} or none")
    targets = _as_list(row.get("human_targets"))
    unknown = [v for v in targets if v not in TARGETS]
    if unknown:
        raise ValueError(f"unknown target(s) {unknown}: use {', '.join(TARGETS)}")
    return {
        "human_labels": labels,
        "human_targets": targets,
        "human_counter_speech": _as_bool(row.get("human_counter_speech"), "human_counter_speech"),
        "human_supportive": _as_bool(row.get("human_supportive"), "human_supportive"),
    }


def import_reviewed(
    lake: Lake,
    path: Path,
    salt: str,
    annotator: str | None = None,
    now: datetime | None = None,
) -> ImportLabelsResult:
    """Import a reviewed annotation file (or a Label Studio JSON export) into the human-labels store."""
    bind_salt(lake.store, salt)  # annotator keys use the project salt too
    skipped = 0
    try:
        if path.suffix.lower() == ".json":
            refs, skipped = review_rows(path)
        else:
            refs = [(f"row {line}", row) for line, row in enumerate(read_rows(path), start=2)]
    except ValueError as exc:
        raise AnnotationError(str(exc)) from None
    rows = [row for _, row in refs]
    if rows and "id" not in rows[0]:
        raise AnnotationError(f"{path}: no 'id' column: import the file written by `export annotation`")
    if rows and "human_labels" not in rows[0] and "error" not in rows[0]:
        raise AnnotationError(f"{path}: no 'human_labels' column: import the file written by `export annotation`")
    result = ImportLabelsResult(read=len(rows) + skipped, skipped=skipped)
    imported_at = now or utcnow()
    machine = _machine_labels(lake, [str(r.get("id") or "") for r in rows])
    records: list[dict] = []
    bad: list[tuple[str, dict]] = []
    for line, row in refs:
        try:
            if row.get("error"):
                raise ValueError(row["error"])
            review = parse_review(row)
            if review is None:
                result.not_reviewed += 1
                continue
            comment_id = str(row.get("id") or "")
            if not comment_id:
                raise ValueError("no comment id: import files or tasks written by `export annotation`")
            if comment_id not in machine:
                raise ValueError(f"id {comment_id!r} is not in the enriched lake")
            who = (str(row.get("annotator") or "").strip()) or (annotator or "").strip()
            if not who:
                raise ValueError("no annotator: fill the annotator column or pass --annotator NAME")
            when = row.get("labelled_at")
            labelled_at = parse_time(when) if when not in (None, "") else imported_at
        except ValueError as exc:
            reason = f"{line}: {exc}"
            result.reasons.append(reason)
            # the annotator's name is personal: keep only its key in the quarantine record
            safe = {k: v for k, v in row.items() if k != "annotator"}
            bad.append((reason, safe))
            continue
        records.append(
            {
                "id": comment_id,
                **machine[comment_id],
                **review,
                "annotator_key": annotator_key(salt, who),
                "labelled_at": labelled_at.astimezone(UTC),
                "imported_at": imported_at,
            }
        )
    result.imported = len(records)
    result.quarantined = len(bad)
    result.part = write_labels(lake, records)
    result.quarantine_file = lake.quarantine("labels", bad, source=path.name)
    return result


def _machine_labels(lake: Lake, ids: list[str]) -> dict[str, dict]:
    """The machine labels of these ids as they are in the lake now (not as the file claims)."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    con = lake.connect()
    con.execute("CREATE TEMP TABLE wanted AS SELECT unnest(?) AS id", [wanted])
    cursor = con.execute(
        "SELECT c.id, c.tagger_version, c.labels, c.targets, c.counter_speech, c.supportive "
        "FROM comments c JOIN wanted USING (id)"
    )
    return {
        r[0]: {
            "tagger_version": r[1],
            "machine_labels": list(r[2] or []),
            "machine_targets": list(r[3] or []),
            "machine_counter_speech": r[4],
            "machine_supportive": r[5],
        }
        for r in cursor.fetchall()
    }
