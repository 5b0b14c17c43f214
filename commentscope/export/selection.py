"""Which comments an export holds: the filters, as SQL over the ``comments`` view, and the rows.

Label filters use ``commentscope.metrics.FLAG_SQL`` so "hate" selects exactly the comments every
other output counts as hate. ``none`` selects comments with no toxicity label, no counter-speech
and no supportive flag (the negatives a classifier needs).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import duckdb

from commentscope.errors import ExportStageError
from commentscope.metrics import FLAG_SQL
from commentscope.schema import LABELS, PERIODS

NO_LABEL = "none"
NO_LABEL_SQL = "(len(labels) = 0 AND NOT counter_speech AND NOT supportive)"
SELECTABLE_LABELS: tuple[str, ...] = (*FLAG_SQL, NO_LABEL)

# The columns an export carries (text is scrubbed; tokens/text_normalized/video_url are left out
# because they repeat the raw text or identify less than they risk).
EXPORT_COLUMNS: tuple[str, ...] = (
    "id", "platform", "comment_id", "campaign", "creator", "country", "video_id", "campaign_video",
    "parent_id", "thread_id", "created_at", "period", "author_key", "language", "language_confidence",
    "code_mixed", "languages", "labels", "targets", "severity", "counter_speech", "supportive",
    "evidence_terms", "tagger_version", "text",
)  # fmt: skip


class SelectionError(ExportStageError, ValueError):
    """A filter that cannot work, with the values that would."""


@dataclass(frozen=True)
class ExportFilter:
    """The exact filters of an export; stored in the manifest so it can be re-run."""

    campaign: str
    since: date | None = None
    until: date | None = None
    periods: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    creators: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    tagger_version: str | None = None

    def validate(self) -> None:
        bad = [p for p in self.periods if p not in PERIODS]
        if bad:
            raise SelectionError(f"unknown period(s) {', '.join(bad)}: use {', '.join(PERIODS)}")
        bad = [label for label in self.labels if label not in SELECTABLE_LABELS]
        if bad:
            raise SelectionError(f"unknown label(s) {', '.join(bad)}: use one of {', '.join(SELECTABLE_LABELS)}")
        if self.since and self.until and self.until < self.since:
            raise SelectionError(f"--until {self.until} is before --since {self.since}: swap them")

    def to_dict(self) -> dict:
        out = asdict(self)
        for key in ("since", "until"):
            out[key] = out[key].isoformat() if out[key] else None
        return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}

    def where(self) -> tuple[str, list]:
        clauses: list[str] = ["campaign = ?"]
        params: list[object] = [self.campaign]
        if self.since:
            clauses.append("created_at >= ?")
            params.append(datetime.combine(self.since, time.min, tzinfo=UTC))
        if self.until:
            clauses.append("created_at < ?")
            params.append(datetime.combine(self.until + timedelta(days=1), time.min, tzinfo=UTC))
        for column, values in (
            ("period", self.periods),
            ("language", self.languages),
            ("creator", self.creators),
            ("platform", self.platforms),
        ):
            if values:
                clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        if self.labels:
            parts = [NO_LABEL_SQL if label == NO_LABEL else FLAG_SQL[label] for label in self.labels]
            clauses.append("(" + " OR ".join(parts) + ")")
        return " AND ".join(clauses), params


@dataclass
class Selection:
    """The selected rows (sorted by id, so exports are byte-for-byte reproducible)."""

    rows: list[dict]
    tagger_versions: list[str] = field(default_factory=list)


def select_comments(con: duckdb.DuckDBPyConnection, flt: ExportFilter) -> Selection:
    flt.validate()
    where, params = flt.where()
    columns = ", ".join(EXPORT_COLUMNS)
    cursor = con.execute(f"SELECT {columns} FROM comments WHERE {where} ORDER BY id", params)
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    versions = sorted({r["tagger_version"] for r in rows})
    return Selection(rows=rows, tagger_versions=versions)


def primary_label(row: dict) -> str:
    """One label per comment for stratifying splits: the most specific/rarest signal wins."""
    labels = row.get("labels") or []
    if "hate" in labels:
        return "hate"
    for label in LABELS:
        if label in labels and label != "toxic":
            return label
    if "toxic" in labels:
        return "toxic"
    if row.get("counter_speech"):
        return "counter_speech"
    if row.get("supportive"):
        return "supportive"
    return NO_LABEL
