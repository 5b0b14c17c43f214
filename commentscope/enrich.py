"""The enrichment stage: raw lake parts -> analyzer -> enriched lake parts, incremental per tagger version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from commentscope.lake import Lake
from commentscope.pseudonym import author_key
from commentscope.registry import Registry
from commentscope.schema import EnrichedComment, enriched_to_row, utcnow
from nlp.analysis import Analyzer

BATCH = 2000


@dataclass
class EnrichResult:
    version: str
    parts: list[Path] = field(default_factory=list)
    records: int = 0
    skipped_parts: int = 0


def thread_of(record: dict) -> str:
    """Replies belong to their top-level comment's thread; a top-level comment is its own thread."""
    return record["parent_id"] or record["id"]


def enrich_rows(rows: list[dict], registry: Registry, analyzer: Analyzer, salt: str) -> list[dict]:
    """Enrich raw lake rows (dicts) into rows of the enriched schema."""
    campaigns = {c.id: c for c in registry.campaigns}
    hints = []
    for row in rows:
        campaign = campaigns.get(row["campaign"])
        creator = next((c for c in campaign.creators if c.key == row["creator"]), None) if campaign else None
        hints.append(creator.languages if creator else [])
    analyses = analyzer.analyse_batch([r["text"] for r in rows], hints)
    now = utcnow()
    out = []
    for row, analysis in zip(rows, analyses, strict=True):
        campaign = campaigns.get(row["campaign"])
        period = campaign.period_of(row["created_at"]) if campaign else "outside"
        record = EnrichedComment(
            id=row["id"],
            platform=row["platform"],
            comment_id=row["comment_id"],
            campaign=row["campaign"],
            creator=row["creator"],
            country=row["country"],
            video_id=row["video_id"],
            video_url=row["video_url"],
            campaign_video=row["campaign_video"],
            parent_id=row["parent_id"],
            thread_id=thread_of(row),
            created_at=row["created_at"],
            collected_at=row["collected_at"],
            period=period,
            text=row["text"],
            text_normalized=analysis.text_normalized,
            like_count=row["like_count"],
            reply_count=row["reply_count"],
            author_key=author_key(salt, row["platform"], row["author_handle"]),
            source=row["source"],
            language=analysis.language,
            language_confidence=analysis.language_confidence,
            code_mixed=analysis.code_mixed,
            languages=analysis.languages,
            tokens=analysis.tokens,
            labels=analysis.labels,
            scores=analysis.scores,
            targets=analysis.targets,
            severity=analysis.severity,
            counter_speech=analysis.counter_speech,
            supportive=analysis.supportive,
            evidence=analysis.evidence,
            evidence_terms=analysis.evidence_terms,
            tagger_version=analyzer.version,
            enriched_at=now,
        )
        out.append(enriched_to_row(record))
    return out


def enrich_lake(
    lake: Lake,
    registry: Registry,
    analyzer: Analyzer,
    salt: str,
    *,
    full: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> EnrichResult:
    """Enrich every raw part this tagger version has not seen yet (all of them with ``full``).

    Each enriched part maps one raw part and is written atomically, so a crash costs at most the
    part in flight and a re-run picks up where it stopped.
    """
    parts = lake.raw_parts() if full else lake.pending_raw_parts(analyzer.version)
    result = EnrichResult(version=analyzer.version, skipped_parts=len(lake.raw_parts()) - len(parts))
    total = sum(pq.ParquetFile(p).metadata.num_rows for p in parts)
    done = 0
    for part in parts:
        rows = pq.read_table(part).to_pylist()
        enriched: list[dict] = []
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            enriched.extend(enrich_rows(chunk, registry, analyzer, salt))
            done += len(chunk)
            if on_progress:
                on_progress(done, total)
        result.parts.append(lake.write_enriched(part, analyzer.version, enriched))
        result.records += len(enriched)
    lake.set_current_version(analyzer.version)
    return result
