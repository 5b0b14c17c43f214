"""Bulk indexing of lake records: bounded chunks, idempotent ids, retries with backoff, every
rejected document kept with its reason.

Document id = record id (``platform:comment_id``), so re-running writes the same documents
again instead of adding copies. Whole requests that fail with 429/5xx or a connection error are
retried with exponential backoff; single items the engine answers 429/5xx for are re-sent; any
other item error is a rejection: reported, never counted as indexed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import ApiError, Elasticsearch
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential, wait_random

from commentscope.lake import Lake

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REASON_LIMIT = 500


class BulkUnavailable(RuntimeError):
    """The engine kept refusing whole requests (429/5xx/connection) after every retry."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    initial_backoff: float = 0.5
    max_backoff: float = 30.0


@dataclass(frozen=True)
class Rejection:
    """One document the engine would not take, and why (``type: reason`` from the bulk item)."""

    id: str
    status: int
    reason: str
    document: dict[str, Any] = field(repr=False, compare=False)


@dataclass
class BulkOutcome:
    indexed: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    retries: int = 0
    chunks: int = 0


def to_document(row: dict[str, Any]) -> dict[str, Any]:
    """A lake row as a JSON document: ISO dates, no nulls (a missing field and null index alike)."""
    return {key: _jsonable(value) for key, value in row.items() if value is not None}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def lake_count(lake: Lake, version: str) -> int:
    """Comments (latest version per id) the lake holds for ``version``: what the index must hold."""
    con = lake.connect(version)
    try:
        return int(con.execute("SELECT count(*) FROM comments").fetchall()[0][0])
    finally:
        con.close()


def lake_chunks(
    lake: Lake, version: str, chunk_size: int, only_parts: list[Path] | None = None
) -> tuple[int, Iterator[list[dict[str, Any]]]]:
    """How many documents to send for ``version``, and an iterator of them in chunks.

    Reads the lake's ``comments`` view (latest record per id) in Arrow batches, so memory stays
    bounded by ``chunk_size`` whatever the lake's size. With ``only_parts``, only the comments
    that occur in those enriched parts are sent, each in its latest version across the whole lake
    (an incremental run must never put back an older version of a comment).
    """
    if only_parts is not None and not only_parts:
        return 0, iter(())
    con = lake.connect(version)
    where = ""
    params: list[Any] = []
    if only_parts is not None:
        where = " WHERE id IN (SELECT id FROM read_parquet(?, hive_partitioning=false))"
        params = [[str(p) for p in only_parts]]
    # fetchall closes the count's result; a pending one makes DuckDB 2 refuse the streaming reader
    total = int(con.execute("SELECT count(*) FROM comments" + where, params).fetchall()[0][0])
    relation = con.sql("SELECT * FROM comments" + where, params=params)

    def chunks() -> Iterator[list[dict[str, Any]]]:
        if hasattr(relation, "to_arrow_reader"):  # DuckDB 2
            reader = relation.to_arrow_reader(chunk_size)
        else:  # DuckDB 1.x
            reader = relation.fetch_arrow_reader(chunk_size)
        try:
            for batch in reader:
                yield [to_document(row) for row in batch.to_pylist()]
        finally:
            con.close()

    return total, chunks()


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, TransportConnectionError | ConnectionTimeout):
        return True
    return isinstance(exc, ApiError) and exc.meta.status in RETRY_STATUSES


def _reason(error: Any) -> str:
    if isinstance(error, dict):
        text = f"{error.get('type', 'error')}: {error.get('reason', '')}"
        cause = error.get("caused_by")
        if isinstance(cause, dict):
            text += f" (caused by {cause.get('type')}: {cause.get('reason')})"
    else:
        text = str(error)
    return text[:REASON_LIMIT]


class BulkIndexer:
    """Sends chunks of documents to one index and sorts the answers into indexed / retry / rejected."""

    def __init__(
        self,
        es: Elasticsearch,
        index: str,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.es = es
        self.index = index
        self.policy = policy or RetryPolicy()
        self.sleep = sleep

    def _backoff(self, attempt: int) -> float:
        return min(self.policy.initial_backoff * 2 ** (attempt - 1), self.policy.max_backoff)

    def _post(self, docs: list[dict[str, Any]], outcome: BulkOutcome) -> list[dict[str, Any]]:
        operations: list[dict[str, Any]] = []
        for doc in docs:
            operations.append({"index": {"_index": self.index, "_id": doc["id"]}})
            operations.append(doc)

        def before_sleep(_state: Any) -> None:
            outcome.retries += 1

        retrying = Retrying(
            retry=retry_if_exception(_retryable),
            wait=wait_exponential(multiplier=self.policy.initial_backoff, max=self.policy.max_backoff)
            + wait_random(0, self.policy.initial_backoff),
            stop=stop_after_attempt(self.policy.attempts),
            sleep=self.sleep,
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            response = retrying(self.es.bulk, operations=operations, refresh=False)
        except (ApiError, TransportConnectionError, ConnectionTimeout) as exc:
            if not _retryable(exc):
                raise
            raise BulkUnavailable(
                f"the search engine refused a bulk request {self.policy.attempts} times ({exc}); "
                "nothing is lost: the lake is unchanged and re-running the indexing is safe"
            ) from exc
        return response["items"]

    def send(self, docs: list[dict[str, Any]], outcome: BulkOutcome | None = None) -> BulkOutcome:
        """Index one chunk; items answered 429/5xx are re-sent with backoff, others are rejections."""
        outcome = outcome or BulkOutcome()
        outcome.chunks += 1
        pending = [doc for doc in docs if self._has_id(doc, outcome)]
        attempt = 0
        while pending:
            attempt += 1
            items = self._post(pending, outcome)
            again: list[dict[str, Any]] = []
            for doc, item in zip(pending, items, strict=True):
                result = next(iter(item.values()))
                status = int(result.get("status", 500))
                if status < 300:
                    outcome.indexed += 1
                elif status in RETRY_STATUSES and attempt < self.policy.attempts:
                    again.append(doc)
                else:
                    outcome.rejected.append(Rejection(doc["id"], status, _reason(result.get("error")), doc))
            if again:
                outcome.retries += 1
                self.sleep(self._backoff(attempt))
            pending = again
        return outcome

    @staticmethod
    def _has_id(doc: dict[str, Any], outcome: BulkOutcome) -> bool:
        if isinstance(doc.get("id"), str) and doc["id"]:
            return True
        outcome.rejected.append(Rejection(str(doc.get("id")), 0, "record has no id: it cannot be indexed", doc))
        return False

    def send_all(
        self,
        chunks: Iterable[list[dict[str, Any]]],
        on_progress: Callable[[int], None] | None = None,
    ) -> BulkOutcome:
        outcome = BulkOutcome()
        done = 0
        for chunk in chunks:
            self.send(chunk, outcome)
            done += len(chunk)
            if on_progress:
                on_progress(done)
        return outcome
