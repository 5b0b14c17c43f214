"""Index the enriched lake: one function for the command line and the Airflow DAG.

Build (or update) ``{prefix}-{version}`` from the lake, check its document count against the
lake, and only then move the read alias to it and drop indices beyond the retention setting.
A run with rejected documents or a count mismatch never switches the alias and never reports
success: the previous index keeps serving.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from elasticsearch import Elasticsearch

from commentscope.errors import IndexStageError
from commentscope.index import ledger, versions
from commentscope.index.bulk import BulkIndexer, Rejection, RetryPolicy, lake_chunks, lake_count
from commentscope.index.client import connect
from commentscope.index.naming import index_name, validate_prefix
from commentscope.lake import Lake
from commentscope.settings import Settings

DEFAULT_CHUNK = 1000
QUARANTINE_STAGE = "index"


class IndexingError(IndexStageError, RuntimeError):
    """Nothing to index or a setting in the way; the message says what to do."""


class IndexingFailed(IndexStageError, RuntimeError):
    """Some documents were not indexed; ``result`` says which and where they were quarantined."""

    def __init__(self, result: IndexResult):
        super().__init__(result.problem or "indexing failed")
        self.result = result


@dataclass
class IndexResult:
    index: str
    alias: str
    tagger_version: str
    lake_records: int = 0
    indexed: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    retries: int = 0
    index_count: int = 0
    created: bool = False
    parts_sent: int = 0
    switched: bool = False
    left: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    quarantine: PurePath | None = None

    @property
    def problem(self) -> str | None:
        if self.rejected:
            where = f" (quarantined in {self.quarantine})" if self.quarantine else ""
            return f"{len(self.rejected)} of {self.lake_records} documents were rejected{where}"
        expected = self.lake_records
        if self.index_count != expected:
            return f"index {self.index} holds {self.index_count} documents but the lake has {expected}"
        return None

    @property
    def ok(self) -> bool:
        return self.problem is None


def choose_version(lake: Lake, requested: str | None) -> str:
    """The tagger version to index: the one asked for, or the one ``Lake.connect`` reads by default."""
    available = lake.enriched_versions()
    if not available:
        raise IndexingError(f"the enriched lake in {lake.root} is empty: run `commentscope enrich` first")
    if requested is None:
        return lake.current_version() or available[-1]
    if requested not in available:
        raise IndexingError(f"tagger version {requested!r} is not in the lake; available: {', '.join(available)}")
    return requested


def index_lake(
    es: Elasticsearch,
    lake: Lake,
    *,
    prefix: str = "comments",
    tagger_version: str | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    keep: int = 2,
    switch: bool = True,
    full: bool = False,
    policy: RetryPolicy | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    in_flight: int = 1,
) -> IndexResult:
    """Index one tagger version of the lake behind the alias ``prefix``; see the module docstring.

    A live index (already behind the alias) only receives the comments of enriched parts it has
    not been sent yet (see ``commentscope.index.ledger``); ``full`` sends every document again.
    ``in_flight`` bulk requests are sent at once (see ``BulkIndexer``).
    """
    validate_prefix(prefix)
    if chunk_size < 1:
        raise IndexingError("chunk size must be at least 1")
    version = choose_version(lake, tagger_version)
    name = index_name(prefix, version)
    result = IndexResult(index=name, alias=prefix, tagger_version=version)

    versions.apply_templates(es, prefix)
    building = name not in versions.alias_targets(es, prefix)
    result.created = versions.create_index(es, name, version, building=building)
    if building and not result.created:
        es.indices.put_settings(index=name, settings={"index": dict(versions.BUILD_SETTINGS)})

    uuid = ledger.index_uuid(es, name)
    parts = lake.enriched_parts(version)
    sent_before = set() if building or full else ledger.sent_parts(lake, name, uuid)
    new_parts = [p for p in parts if ledger.part_key(lake, version, p) not in sent_before]
    total, chunks = lake_chunks(lake, version, chunk_size, None if not sent_before else new_parts)
    result.lake_records = lake_count(lake, version)
    result.parts_sent = len(new_parts)
    if on_progress:
        on_progress(0, total)
    indexer = BulkIndexer(es, name, policy, in_flight=in_flight)
    outcome = indexer.send_all(chunks, (lambda done: on_progress(done, total)) if on_progress else None)
    result.indexed, result.rejected, result.retries = outcome.indexed, outcome.rejected, outcome.retries

    if building:
        versions.finish_build(es, name)
    else:
        es.indices.refresh(index=name)
    result.index_count = int(es.count(index=name)["count"])

    if result.rejected:
        result.quarantine = lake.quarantine(
            QUARANTINE_STAGE,
            [(f"{r.status} {r.reason}", {"index": name, "document": r.document}) for r in result.rejected],
            source=name,
        )
    if result.ok:
        ledger.record_sent(lake, name, uuid, [ledger.part_key(lake, version, p) for p in parts])
    if result.ok and switch:
        result.left = versions.switch_alias(es, prefix, name)
        result.switched = True
        result.pruned = versions.prune(es, prefix, keep)
    return result


def run_index(
    settings: Settings, *, tagger_version: str | None = None, switch: bool = True, full: bool = False
) -> IndexResult:
    """The DAG's entry point: index with the environment's settings; raise unless every document made it."""
    es = connect(settings)
    try:
        result = index_lake(
            es,
            Lake(settings.data_dir),
            prefix=settings.index_prefix,
            tagger_version=tagger_version,
            keep=settings.index_keep,
            switch=switch,
            full=full,
        )
    finally:
        es.close()
    if not result.ok:
        raise IndexingFailed(result)
    return result


def setup(settings: Settings) -> list[str]:
    """Apply the templates (the docker-compose setup service runs this before any indexing)."""
    es = connect(settings)
    try:
        validate_prefix(settings.index_prefix)
        return versions.apply_templates(es, settings.index_prefix)
    finally:
        es.close()
