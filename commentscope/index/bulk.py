"""Bulk indexing of lake records: bounded chunks, idempotent ids, retries with backoff, every
rejected document kept with its reason.

Document id = record id (``platform:comment_id``), so re-running writes the same documents
again instead of adding copies. Whole requests that fail with 429/5xx or a connection error are
retried with exponential backoff; single items the engine answers 429/5xx for are re-sent; any
other item error is a rejection: reported, never counted as indexed.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import pyarrow as pa
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import ApiError, Elasticsearch
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential, wait_random

from commentscope.errors import IndexStageError
from commentscope.lake import Lake

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REASON_LIMIT = 500
# only what is read from a bulk answer: every item keeps its status, so items stay in order
_ITEM_FIELDS = ["items.*.status", "items.*.error"]


class BulkUnavailable(IndexStageError, RuntimeError):
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


@dataclass
class Chunk:
    """Documents ready to send: each one's id and its JSON text (the ``_source``)."""

    ids: list[Any]
    sources: list[str]

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of(cls, docs: Iterable[dict[str, Any]]) -> Chunk:
        """Documents given as dicts (made JSON-ready by ``to_document``)."""
        docs = [to_document(d) for d in docs]
        return cls([d.get("id") for d in docs], [json.dumps(d, ensure_ascii=False) for d in docs])


def _json_key(name: str) -> str:
    """``"name":`` as an SQL string literal."""
    return "'" + json.dumps(name, ensure_ascii=False).replace("'", "''") + ":'"


def _iso(expr: str, zone: str) -> str:
    """``datetime.isoformat()`` in SQL: microseconds only when there are some (the session zone is UTC)."""
    return (
        f"CASE WHEN microsecond({expr}) % 1000000 = 0 THEN strftime({expr}, '%Y-%m-%dT%H:%M:%S{zone}') "
        f"ELSE strftime({expr}, '%Y-%m-%dT%H:%M:%S.%f{zone}') END"
    )


def _json_sql(expr: str, kind: pa.DataType, depth: int = 0) -> str:
    """SQL giving the JSON text of ``expr`` as ``to_document`` + ``json.dumps`` would, or NULL for NULL.

    Struct fields that are NULL are left out (concat_ws skips NULLs), list items stay (as ``null``).
    """
    if pa.types.is_timestamp(kind):
        return f"to_json({_iso(expr, '+00:00' if kind.tz else '')})"
    if pa.types.is_date(kind):
        return f"to_json(strftime({expr}, '%Y-%m-%d'))"
    if pa.types.is_struct(kind):
        fields = ", ".join(
            f"{_json_key(f.name)} || {_json_sql(f'struct_extract({expr}, {_literal(f.name)})', f.type, depth + 1)}"
            for f in kind
        )
        return f"CASE WHEN {expr} IS NULL THEN NULL ELSE '{{' || concat_ws(',', {fields}) || '}}' END"
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        item = kind.value_type
        if not (pa.types.is_struct(item) or pa.types.is_list(item) or pa.types.is_temporal(item)):
            return f"to_json({expr})"
        var = f"x{depth}"
        inner = _json_sql(var, item, depth + 1)
        return (
            f"CASE WHEN {expr} IS NULL THEN NULL ELSE '[' || array_to_string(list_transform({expr}, "
            f"lambda {var}: coalesce({inner}, 'null')), ',') || ']' END"
        )
    return f"to_json({expr})"


def _literal(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def document_sql(schema: pa.Schema, source: str = "comments") -> str:
    """One row per document: ``_id`` and ``_source`` (its JSON text), built by DuckDB column-wise.

    The same documents as ``to_document`` (ISO dates, no null fields) without a Python dict per row.
    """
    fields = ", ".join(f"{_json_key(f.name)} || {_json_sql(_quoted(f.name), f.type)}" for f in schema)
    return f"SELECT id AS _id, '{{' || concat_ws(',', {fields}) || '}}' AS _source FROM {source}"


def lake_chunks(
    lake: Lake, version: str, chunk_size: int, only_parts: list[PurePath] | None = None
) -> tuple[int, Iterator[Chunk]]:
    """How many documents to send for ``version``, and an iterator of them in chunks.

    Reads the lake's ``comments`` view (latest record per id) as Arrow batches of ready JSON texts
    (``document_sql``), so memory stays bounded by ``chunk_size`` whatever the lake's size. With
    ``only_parts``, only the comments that occur in those enriched parts are sent, each in its
    latest version across the whole lake (an incremental run must never put back an older version
    of a comment).
    """
    if only_parts is not None and not only_parts:
        return 0, iter(())
    con = lake.connect(version)
    con.execute("SET TimeZone = 'UTC'")  # dates are written as UTC, as the lake holds them
    where = ""
    params: list[Any] = []
    if only_parts is not None:
        where = " WHERE id IN (SELECT id FROM read_parquet(?, hive_partitioning=false))"
        params = [[lake.store.sql_path(p) for p in only_parts]]
    # fetchall closes the count's result; a pending one makes DuckDB 2 refuse the streaming reader
    total = int(con.execute("SELECT count(*) FROM comments" + where, params).fetchall()[0][0])
    empty = con.sql("SELECT * FROM comments LIMIT 0")
    schema = (empty.to_arrow_table() if hasattr(empty, "to_arrow_table") else empty.arrow()).schema
    relation = con.sql(document_sql(schema) + where, params=params)

    def chunks() -> Iterator[Chunk]:
        if hasattr(relation, "to_arrow_reader"):  # DuckDB 2
            reader = relation.to_arrow_reader(chunk_size)
        else:  # DuckDB 1.x
            reader = relation.fetch_arrow_reader(chunk_size)
        try:
            for batch in reader:
                yield Chunk(batch.column(0).to_pylist(), batch.column(1).to_pylist())
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
    """Sends chunks of documents to one index and sorts the answers into indexed / retry / rejected.

    ``in_flight`` chunks are sent at once (threads): the client reads and encodes the next chunk
    while the engine indexes the previous one.
    """

    def __init__(
        self,
        es: Elasticsearch,
        index: str,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        in_flight: int = 1,
    ):
        self.es = es
        self.index = index
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.in_flight = max(1, in_flight)

    def _backoff(self, attempt: int) -> float:
        return min(self.policy.initial_backoff * 2 ** (attempt - 1), self.policy.max_backoff)

    def _post(self, lines: list[bytes], outcome: BulkOutcome) -> list[dict[str, Any]]:
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
            response = retrying(
                self.es.bulk, index=self.index, operations=b"".join(lines), refresh=False, filter_path=_ITEM_FIELDS
            )
        except (ApiError, TransportConnectionError, ConnectionTimeout) as exc:
            if not _retryable(exc):
                raise
            raise BulkUnavailable(
                f"the search engine refused a bulk request {self.policy.attempts} times ({exc}); "
                "nothing is lost: the lake is unchanged and re-running the indexing is safe"
            ) from exc
        return response["items"]

    def send(self, docs: Chunk | list[dict[str, Any]], outcome: BulkOutcome | None = None) -> BulkOutcome:
        """Index one chunk; items answered 429/5xx are re-sent with backoff, others are rejections."""
        chunk = docs if isinstance(docs, Chunk) else Chunk.of(docs)
        outcome = outcome or BulkOutcome()
        outcome.chunks += 1
        pending: list[tuple[str, str, bytes]] = []  # id, source, the two NDJSON lines
        for doc_id, source in zip(chunk.ids, chunk.sources, strict=True):
            if isinstance(doc_id, str) and doc_id:
                action = '{"index":{"_id":' + json.dumps(doc_id, ensure_ascii=False) + "}}\n"
                pending.append((doc_id, source, (action + source + "\n").encode()))
            else:
                reason = "record has no id: it cannot be indexed"
                outcome.rejected.append(Rejection(str(doc_id), 0, reason, json.loads(source)))
        attempt = 0
        while pending:
            attempt += 1
            items = self._post([lines for _, _, lines in pending], outcome)
            again: list[tuple[str, str, bytes]] = []
            for sent, item in zip(pending, items, strict=True):
                result = next(iter(item.values()))
                status = int(result.get("status", 500))
                if status < 300:
                    outcome.indexed += 1
                elif status in RETRY_STATUSES and attempt < self.policy.attempts:
                    again.append(sent)
                else:
                    reason = _reason(result.get("error"))
                    outcome.rejected.append(Rejection(sent[0], status, reason, json.loads(sent[1])))
            if again:
                outcome.retries += 1
                self.sleep(self._backoff(attempt))
            pending = again
        return outcome

    def send_all(
        self,
        chunks: Iterable[Chunk | list[dict[str, Any]]],
        on_progress: Callable[[int], None] | None = None,
    ) -> BulkOutcome:
        """Every chunk, ``in_flight`` at a time; answers are counted in the chunks' order."""
        outcome = BulkOutcome()
        done = 0
        with ThreadPoolExecutor(self.in_flight, thread_name_prefix="bulk") as pool:
            running: deque[tuple[int, Future[BulkOutcome]]] = deque()
            for chunk in chunks:
                running.append((len(chunk), pool.submit(self.send, chunk)))
                while len(running) >= self.in_flight:
                    done += self._merge(outcome, *running.popleft())
                    if on_progress:
                        on_progress(done)
            while running:
                done += self._merge(outcome, *running.popleft())
                if on_progress:
                    on_progress(done)
        return outcome

    @staticmethod
    def _merge(total: BulkOutcome, size: int, future: Future[BulkOutcome]) -> int:
        part = future.result()  # raises BulkUnavailable (or an engine error) from the chunk's thread
        total.indexed += part.indexed
        total.rejected.extend(part.rejected)
        total.retries += part.retries
        total.chunks += part.chunks
        return size
