"""The enrichment stage: raw lake parts -> analyzer -> enriched lake parts, incremental per tagger version.

Fast path (see docs/benchmarks.md): raw parts are read in Arrow record batches of ``BATCH`` rows,
the columns that pass through unchanged stay Arrow arrays (no per-record Python objects or
pydantic validation), only the analyzer's outputs are built in Python, and each enriched part is
streamed to disk with a ParquetWriter. Memory is bounded by the batch size, not the part size.
With more than one worker the batches are analysed in forked worker processes (the analyzer is
inherited, not pickled), at most ``2 * workers`` batches in flight, written back in order;
the workers die with the parent process (commentscope/lifeline.py).
The record contract is still ``EnrichedComment``: tests/test_enrich_columns.py checks every
row of this path against it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from commentscope.errors import EnrichStageError
from commentscope.lake import RAW_LAKE_SCHEMA, EnrichedPartWriter, Lake
from commentscope.lifeline import die_with_parent
from commentscope.nlp.analysis import Analysis, Analyzer
from commentscope.pseudonym import author_key
from commentscope.registry import Registry
from commentscope.salt import bind_salt
from commentscope.schema import (
    ENRICHED_ARROW_SCHEMA,
    LABELS,
    NLP_FIELDS,
    PERIODS,
    PLATFORMS,
    EnrichedComment,
    Evidence,
    RawComment,
    utcnow,
)
from commentscope.settings import Environment

BATCH = 2000
WORKER_ROWS = 200_000  # rows a generation of forked workers enriches before fresh forks replace it
WORKERS_ENV = "COMMENTSCOPE_ENRICH_WORKERS"
# raw fields the enriched record keeps as they are (the author handle is replaced by its key)
PASS_THROUGH = tuple(name for name in RawComment.model_fields if name in EnrichedComment.model_fields)
_FIELD = {f.name: f for f in ENRICHED_ARROW_SCHEMA}


@dataclass
class EnrichResult:
    version: str
    parts: list[PurePath] = field(default_factory=list)
    records: int = 0
    skipped_parts: int = 0


class EnrichError(EnrichStageError, ValueError):
    """The analyzer returned something outside the record contract; the message says what."""


def thread_of(record: dict) -> str:
    """Replies belong to their top-level comment's thread; a top-level comment is its own thread."""
    return record["parent_id"] or record["id"]


class _Context:
    """Per-run lookups, built once: creator language hints, campaigns, memoised author keys."""

    def __init__(self, registry: Registry, salt: str):
        self.campaigns = {c.id: c for c in registry.campaigns}
        self.hints = {(c.id, cr.key): list(cr.languages) for c in registry.campaigns for cr in c.creators}
        self.salt = salt
        self._authors: dict[tuple[str, str | None], str | None] = {}

    def author(self, platform: str, handle: str | None) -> str | None:
        key = (platform, handle)
        found = self._authors.get(key, ...)
        if found is ...:
            if len(self._authors) > 200_000:  # bounded: a long run must not grow without limit
                self._authors.clear()
            found = self._authors[key] = author_key(self.salt, platform, handle)
        return found

    def period(self, campaign_id: str, created_at: datetime) -> str:
        campaign = self.campaigns.get(campaign_id)
        return campaign.period_of(created_at) if campaign else "outside"


def _column(batch: pa.RecordBatch, name: str) -> pa.Array:
    index = batch.schema.get_field_index(name)
    target = _FIELD[name].type
    if index < 0:
        return pa.nulls(batch.num_rows, type=target)
    column = batch.column(index)
    return column if column.type == target else column.cast(target)


def _evidence(evidence: list[Evidence]) -> list[dict]:
    return [
        {
            "label": e.label,
            "source": e.source,
            "terms": list(e.terms),
            "model": e.model,
            "score": None if e.score is None else float(e.score),
            "target": e.target,
        }
        for e in evidence
    ]


def _scores(scores: dict[str, float]) -> dict[str, float]:
    return {label: float(scores.get(label, 0.0)) for label in LABELS}


# how an Analysis value becomes a column value (plain Python types, every label scored); the field
# names themselves come from the schema (NLP_FIELDS)
_CONVERT: dict[str, Callable[[Any], Any]] = {
    "language_confidence": float,
    "code_mixed": bool,
    "counter_speech": bool,
    "supportive": bool,
    "scores": _scores,
    "evidence": _evidence,
}


def _check(analyses: Sequence[Analysis], periods: list[str], platforms: list[str]) -> None:
    """The checks EnrichedComment's validation made per record, done once per batch."""
    for analysis in analyses:
        if not 0 <= analysis.severity <= 3:
            raise EnrichError(f"analyzer returned severity {analysis.severity}: it must be 0..3")
        unknown = set(analysis.scores) - set(LABELS)
        if unknown:
            raise EnrichError(f"analyzer returned scores for unknown labels {sorted(unknown)}: known {LABELS}")
    bad = set(periods) - set(PERIODS) or set(platforms) - set(PLATFORMS)
    if bad:
        raise EnrichError(f"values outside the record contract: {sorted(bad)}")


def enrich_batch(
    batch: pa.RecordBatch,
    analyzer: Analyzer,
    context: _Context,
    *,
    enriched_at: datetime | None = None,
) -> pa.RecordBatch:
    """Enrich one Arrow batch of raw lake rows into a batch of ``ENRICHED_ARROW_SCHEMA``."""
    n = batch.num_rows
    if n == 0:
        return pa.RecordBatch.from_pylist([], schema=ENRICHED_ARROW_SCHEMA)
    texts = batch.column("text").to_pylist()
    platforms = batch.column("platform").to_pylist()
    campaigns = batch.column("campaign").to_pylist()
    creators = batch.column("creator").to_pylist()
    names = batch.schema.names
    handles = batch.column("author_handle").to_pylist() if "author_handle" in names else [None] * n
    created = batch.column("created_at").to_pylist()
    hints = [context.hints.get((c, k), []) for c, k in zip(campaigns, creators, strict=True)]
    analyses = analyzer.analyse_batch(texts, hints)
    if len(analyses) != n:
        raise EnrichError(f"analyzer returned {len(analyses)} analyses for {n} texts")
    periods = [context.period(c, t) for c, t in zip(campaigns, created, strict=True)]
    _check(analyses, periods, platforms)
    arrays: dict[str, pa.Array] = {name: _column(batch, name) for name in PASS_THROUGH}
    arrays["thread_id"] = pc.coalesce(arrays["parent_id"], arrays["id"])
    arrays["period"] = pa.array(periods, pa.string())
    arrays["author_key"] = pa.array(
        [context.author(p, h) for p, h in zip(platforms, handles, strict=True)], pa.string()
    )

    def build(name: str, values: list) -> None:
        arrays[name] = pa.array(values, type=_FIELD[name].type)

    for name in NLP_FIELDS:
        values = [getattr(a, name) for a in analyses]
        convert = _CONVERT.get(name)
        build(name, [convert(v) for v in values] if convert else values)
    arrays["tagger_version"] = pa.array([analyzer.version] * n, pa.string())
    arrays["enriched_at"] = pa.array([enriched_at or utcnow()] * n, _FIELD["enriched_at"].type)
    return pa.RecordBatch.from_arrays([arrays[f.name] for f in ENRICHED_ARROW_SCHEMA], schema=ENRICHED_ARROW_SCHEMA)


def enrich_rows(rows: list[dict], registry: Registry, analyzer: Analyzer, salt: str) -> list[dict]:
    """Enrich raw lake rows (dicts) into rows of the enriched schema."""
    raw_schema = pa.schema([f for f in RAW_LAKE_SCHEMA if f.name != "fingerprint"])
    batch = pa.RecordBatch.from_pylist(rows, schema=raw_schema)
    return enrich_batch(batch, analyzer, _Context(registry, salt)).to_pylist()


# ---------- parallel workers (fork: the analyzer and registry are inherited, not pickled)
_WORKER: tuple[Analyzer, _Context] | None = None


def _work(batch: pa.RecordBatch, enriched_at: datetime) -> pa.RecordBatch:
    assert _WORKER is not None, "worker state is set before the pool forks"
    analyzer, context = _WORKER
    return enrich_batch(batch, analyzer, context, enriched_at=enriched_at)


def default_workers() -> int:
    """Worker processes for enrichment: ``COMMENTSCOPE_ENRICH_WORKERS``, else one per core."""
    raw = Environment.read().get(WORKERS_ENV)
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            raise EnrichError(f"{WORKERS_ENV}={raw!r} is not a whole number: set it like {WORKERS_ENV}=2") from None
    return max(1, os.cpu_count() or 1)


def _batches(lake: Lake, parts: Sequence[PurePath], size: int) -> Iterator[tuple[PurePath, pa.RecordBatch]]:
    for part in parts:
        for batch in lake.store.parquet_file(part).iter_batches(batch_size=size):
            yield part, batch


def _worker_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )


def _enriched_stream(
    lake: Lake,
    parts: Sequence[PurePath],
    analyzer: Analyzer,
    context: _Context,
    workers: int,
    size: int,
    enriched_at: datetime,
    recycle_rows: int = WORKER_ROWS,
) -> Iterator[tuple[PurePath, pa.RecordBatch]]:
    """(raw part, enriched batch) in input order; in parallel when ``workers > 1``.

    Workers are replaced by fresh forks of this process after ``recycle_rows`` rows: a worker's memo tables
    and spaCy's vocabulary grow with every new word, and pages it shares with the parent are copied as it
    touches them, so without this a long run's memory grows with the corpus."""
    if workers <= 1:
        for part, batch in _batches(lake, parts, size):
            yield part, enrich_batch(batch, analyzer, context, enriched_at=enriched_at)
        return
    global _WORKER
    _WORKER = (analyzer, context)
    pool = _worker_pool(workers)
    try:
        in_flight: deque[tuple[PurePath, Future[pa.RecordBatch]]] = deque()

        def answered(keep: int) -> Iterator[tuple[PurePath, pa.RecordBatch]]:
            """The oldest batches' answers, in order, until ``keep`` are left in flight."""
            while len(in_flight) > keep:
                done_part, future = in_flight.popleft()
                yield done_part, future.result()

        submitted = 0
        for part, batch in _batches(lake, parts, size):
            if submitted >= recycle_rows:
                yield from answered(0)  # every batch of this generation is answered before its workers go
                pool.shutdown(wait=True)
                pool, submitted = _worker_pool(workers), 0
            in_flight.append((part, pool.submit(_work, batch, enriched_at)))
            submitted += batch.num_rows
            yield from answered(2 * workers - 1)
        yield from answered(0)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _WORKER = None


def enrich_lake(
    lake: Lake,
    registry: Registry,
    analyzer: Analyzer,
    salt: str,
    *,
    full: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    batch_size: int = BATCH,
    recycle_rows: int = WORKER_ROWS,
) -> EnrichResult:
    """Enrich every raw part this tagger version has not seen yet (all of them with ``full``).

    Each enriched part maps one raw part and is written atomically, so a crash costs at most the
    part in flight and a re-run picks up where it stopped. ``workers`` defaults to one per core
    (``COMMENTSCOPE_ENRICH_WORKERS``); runs of a few batches stay in this process.
    """
    everything = lake.raw_parts()
    parts = everything if full else lake.pending_raw_parts(analyzer.version)
    result = enrich_parts(
        lake,
        parts,
        registry,
        analyzer,
        salt,
        on_progress=on_progress,
        workers=workers,
        batch_size=batch_size,
        recycle_rows=recycle_rows,
    )
    result.skipped_parts = len(everything) - len(parts)
    lake.set_current_version(analyzer.version)
    return result


def enrich_parts(
    lake: Lake,
    parts: Sequence[PurePath],
    registry: Registry,
    analyzer: Analyzer,
    salt: str,
    *,
    exclusive: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    batch_size: int = BATCH,
    recycle_rows: int = WORKER_ROWS,
) -> EnrichResult:
    """Enrich exactly ``parts`` (raw parts) into their enriched twins; ``CURRENT`` is left alone.

    With ``exclusive`` an enriched part another worker already published is kept as it is (its
    records are not counted here): the distributed path (commentscope/claims.py) uses it.
    """
    bind_salt(lake.store, salt)  # refuses a short salt, or one that differs from the lake's
    result = EnrichResult(version=analyzer.version)
    total = sum(lake.store.parquet_file(p).metadata.num_rows for p in parts)
    workers = default_workers() if workers is None else max(1, workers)
    if total <= 2 * batch_size:
        workers = 1  # forking costs more than it saves on small runs
    context = _Context(registry, salt)
    stream = _enriched_stream(lake, parts, analyzer, context, workers, batch_size, utcnow(), recycle_rows)
    done = 0
    writer = None

    def finish(writer: EnrichedPartWriter) -> None:
        target = writer.close()
        if writer.published:
            result.parts.append(target)
            result.records += writer.rows

    try:
        for part, batch in stream:
            if writer is not None and writer.raw_part != part:
                finish(writer)
                writer = None
            if writer is None:
                writer = lake.enriched_writer(part, analyzer.version, exclusive=exclusive)
            writer.write(batch)
            done += batch.num_rows
            if on_progress:
                on_progress(done, total)
        if writer is not None:
            finish(writer)
            writer = None
        written = set(result.parts)
        for part in parts:  # an empty raw part still gets its (empty) enriched part
            target = lake.enriched_part_for(part, analyzer.version)
            if target not in written and not lake.store.exists(target):
                lake.write_enriched(part, analyzer.version, [], exclusive=exclusive)
                result.parts.append(target)
    finally:
        if writer is not None:
            writer.abort()
    return result
