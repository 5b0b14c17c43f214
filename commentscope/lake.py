"""The lake: raw (system of record), enriched (per tagger version) and quarantine.

It lives in a local folder (the default) or under an ``s3://bucket/prefix`` (commentscope/storage.py
says how files are published there).

Layout under the data directory::

    raw/pages/platform=P/date=D/NAME.json.gz           every API page or imported file, as returned
    raw/comments/platform=P/collected_date=D/part-H.parquet   new or changed comment records
    enriched/tagger=V/platform=P/collected_date=D/part-H.parquet   one file per raw part
    quarantine/STAGE/date=D/part-H.jsonl               malformed records with their reason

Every file is written atomically (temporary file, fsync, rename), so a crash leaves the previous
state readable. Raw parts are append-only; a record identical to one already in the lake is not
written again, a changed one (new like count, edited text) is appended as a newer version and
readers take the latest ``collected_at`` per id. Part names are content hashes: importing the same
data twice writes nothing the second time.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

import duckdb

from commentscope import schema
from commentscope.safenames import check_name, inside
from commentscope.schema import RawComment
from commentscope.storage import LocalStore, Store, open_store

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

# pyarrow is imported where files are written or a lake is empty: reading a lake with DuckDB (summary,
# compare, digest) does without it.
PARQUET_OPTIONS: dict[str, Any] = {"compression": "zstd", "compression_level": 3}
ROW_GROUP_ROWS = 20_000  # enriched parts: large enough for DuckDB scans, small enough to bound memory
PAGE_GZIP_LEVEL = 6  # level 9 costs about 3x the time for ~1% smaller pages
_RAW_FIELDS = tuple(RawComment.model_fields)  # the raw Arrow schema's columns, in order
RAW_GROUP_ROWS = 20_000  # raw parts are written in row groups of at most this many rows ...
RAW_GROUP_TEXT = 1_000_000  # ... or this many characters of text, whichever comes first (flat memory)
COPY_CHUNK = 1 << 20


@cache
def raw_lake_schema() -> pa.Schema:
    """The raw parts' schema: the raw record's columns and the fingerprint of each version."""
    import pyarrow as pa

    return schema.RAW_ARROW_SCHEMA.append(pa.field("fingerprint", pa.string()))


def __getattr__(name: str) -> Any:
    if name == "RAW_LAKE_SCHEMA":
        return raw_lake_schema()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def fingerprint(record: RawComment) -> str:
    """What makes two versions of one comment different enough to keep both."""
    parts = [record.id, record.text, str(record.like_count), str(record.reply_count), record.parent_id or ""]
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()


@dataclass
class AppendResult:
    """What an append did: how many records were new, changed, unchanged, and which files it wrote."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    files: list[PurePath] = field(default_factory=list)

    @property
    def written(self) -> int:
        return self.new + self.changed


class Lake:
    """The data directory and the operations on it that keep the data-flow contract."""

    def __init__(self, root: str | Path | Store):
        self.store = open_store(root)
        self.root: Any = self.store.root  # a Path locally, a PurePosixPath "bucket/prefix" on S3
        self._read_parts: set[PurePath] = set()
        self._known_ids: set[str] = set()
        self._known_fingerprints: set[str] = set()

    # ---------- paths
    @property
    def raw_comments_dir(self) -> PurePath:
        return self.root / "raw" / "comments"

    @property
    def raw_pages_dir(self) -> PurePath:
        return self.root / "raw" / "pages"

    @property
    def enriched_dir(self) -> PurePath:
        return self.root / "enriched"

    @property
    def quarantine_dir(self) -> PurePath:
        return self.root / "quarantine"

    @property
    def local_root(self) -> Path:
        """Where this machine's own files go (the data folder itself for a local lake)."""
        return self.store.local_root

    @property
    def state_dir(self) -> Path:
        """Collector checkpoints and locks: on this machine (``flock`` needs a local file)."""
        return self.local_root / "state"

    @property
    def shared_state_dir(self) -> PurePath:
        """State every worker must see (index ledgers, enrichment claims): in the lake itself."""
        return self.root / "state"

    def _inside(self, target: PurePath) -> PurePath:
        """Local folders: ``target`` must resolve under the root (symlinks); keys are checked by name."""
        return inside(Path(self.root), Path(target)) if isinstance(self.store, LocalStore) else target

    def enriched_version_dir(self, version: str) -> PurePath:
        return self.enriched_dir / f"tagger={version}"

    # ---------- raw pages
    def write_page(self, platform: str, name: str, payload: bytes | str | dict | list) -> PurePath:
        """Keep one fetched page (or imported file) exactly as returned, gzip-compressed."""
        if isinstance(payload, dict | list):
            data = json.dumps(payload, ensure_ascii=False).encode()
        elif isinstance(payload, str):
            data = payload.encode()
        else:
            data = payload
        target = self.page_path(platform, name)
        self.store.write_bytes(target, gzip.compress(data, compresslevel=PAGE_GZIP_LEVEL, mtime=0))
        return target

    def keep_file(self, platform: str, label: str, source: Path) -> tuple[PurePath, str]:
        """Keep an imported file as it is, gzip-compressed, named ``LABEL-<content hash>``: a different
        file of the same name never overwrites it, the same file is kept once. Streams (flat memory).
        Returns (kept copy, sha256 of the content)."""
        digest = hashlib.sha256()
        with self.store.pending(self._pages_folder(platform), "page") as tmp:
            with source.open("rb") as src, gzip.GzipFile(tmp, "wb", compresslevel=PAGE_GZIP_LEVEL, mtime=0) as out:
                while chunk := src.read(COPY_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            name = f"{check_name(label, 'page label')}-{digest.hexdigest()[:16]}"
            kept = self.store.glob(self.raw_pages_dir, f"platform={platform}/date=*/{name}.gz")
            if kept:
                return kept[0], digest.hexdigest()
            target = self.page_path(platform, name)
            self.store.publish(tmp, target, exclusive=True)  # content-addressed: a lost race is the same file
        return target, digest.hexdigest()

    def page_path(self, platform: str, name: str) -> PurePath:
        """Where a page goes today; both parts must be safe names (UnsafeNameError otherwise)."""
        return self._inside(self._pages_folder(platform) / f"{check_name(name, 'page name')}.gz")

    def _pages_folder(self, platform: str) -> PurePath:
        day = datetime.now(UTC).date().isoformat()
        return self._inside(self.raw_pages_dir / f"platform={check_name(platform, 'platform')}" / f"date={day}")

    # ---------- raw comments
    def raw_parts(self) -> list[PurePath]:
        return self.store.glob(self.raw_comments_dir, "platform=*/collected_date=*/part-*.parquet")

    def _refresh_known(self) -> None:
        """Load ids and fingerprints of raw parts this instance has not read yet (parts are immutable)."""
        for part in self.raw_parts():
            if part in self._read_parts:
                continue
            table = self.store.parquet_file(part).read(columns=["id", "fingerprint"])
            self._known_ids.update(table.column("id").to_pylist())
            self._known_fingerprints.update(table.column("fingerprint").to_pylist())
            self._read_parts.add(part)

    def known_ids(self) -> set[str]:
        self._refresh_known()
        return self._known_ids

    def append_raw(self, records: Iterable[RawComment]) -> AppendResult:
        """Append new and changed records; skip ones already in the lake. Atomic per part file."""
        with self.raw_appender() as appender:
            for record in records:
                appender.add(record)
        return appender.result

    def raw_appender(self) -> RawAppender:
        """Stream records into new raw parts (bounded memory); see ``RawAppender``."""
        return RawAppender(self)

    # ---------- enriched
    def enriched_part_for(self, raw_part: PurePath, version: str) -> PurePath:
        relative = raw_part.relative_to(self.raw_comments_dir)
        return self.enriched_version_dir(version) / relative

    def pending_raw_parts(self, version: str) -> list[PurePath]:
        """Raw parts not yet enriched by this tagger version: the incremental work list."""
        done = set(self.enriched_parts(version))  # one listing, not one request per part
        return [p for p in self.raw_parts() if self.enriched_part_for(p, version) not in done]

    def write_enriched(
        self, raw_part: PurePath, version: str, rows: list[dict], *, exclusive: bool = False
    ) -> PurePath:
        import pyarrow as pa
        import pyarrow.parquet as pq

        target = self.enriched_part_for(raw_part, version)
        table = pa.Table.from_pylist(rows, schema=schema.ENRICHED_ARROW_SCHEMA)
        with self.store.staged(target, exclusive=exclusive) as staging:
            pq.write_table(table, staging.path, **PARQUET_OPTIONS)
        return target

    def enriched_writer(self, raw_part: PurePath, version: str, *, exclusive: bool = False) -> EnrichedPartWriter:
        """Stream Arrow batches into the enriched part of ``raw_part``; published atomically on close.

        ``exclusive``: never replace a part another worker published (its ``published`` says so).
        """
        return EnrichedPartWriter(
            raw_part, self.enriched_part_for(raw_part, version), store=self.store, exclusive=exclusive
        )

    def enriched_versions(self) -> list[str]:
        return [name.split("=", 1)[1] for name in self.store.subdirs(self.enriched_dir) if name.startswith("tagger=")]

    @property
    def current_version_file(self) -> PurePath:
        return self.enriched_dir / "CURRENT"

    def current_version(self) -> str | None:
        """The tagger version readers use by default: the last one whose enrichment run completed."""
        if self.store.exists(self.current_version_file):
            return self.store.read_bytes(self.current_version_file).decode("utf-8").strip() or None
        versions = self.enriched_versions()
        return versions[-1] if versions else None

    def set_current_version(self, version: str) -> None:
        self.store.write_bytes(self.current_version_file, (version + "\n").encode())

    def enriched_parts(self, version: str) -> list[PurePath]:
        return self.store.glob(self.enriched_version_dir(version), "platform=*/collected_date=*/part-*.parquet")

    # ---------- quarantine
    def quarantine(self, stage: str, items: Iterable[tuple[str, Any]], source: str) -> PurePath | None:
        """Keep malformed records with their reason instead of dropping them."""
        with self.quarantine_writer(stage, source) as writer:
            for reason, record in items:
                writer.add(reason, record)
        return writer.path

    def quarantine_writer(self, stage: str, source: str, key: str | None = None) -> QuarantineWriter:
        """Stream quarantined records to one part. With ``key`` (the content hash of the source file)
        the part is named after it and written once: importing the same file again adds nothing."""
        return QuarantineWriter(self, stage, source, key)

    def quarantined(self, stage: str | None = None) -> Iterator[dict]:
        pattern = f"{stage or '*'}/date=*/part-*.jsonl"
        for path in self.store.glob(self.quarantine_dir, pattern):
            for line in self.store.read_bytes(path).decode("utf-8").splitlines():
                if line.strip():
                    yield json.loads(line)

    # ---------- reading
    def connect(self, version: str | None = None) -> duckdb.DuckDBPyConnection:
        """A DuckDB connection with views ``raw_comments`` and ``comments`` (enriched, latest per id).

        ``comments`` reads ``version``, by default the current one (see ``current_version``).
        """
        con = duckdb.connect()
        self.store.register(con)
        raw = [self.store.sql_path(p) for p in self.raw_parts()]
        if raw:
            con.execute(
                "CREATE VIEW raw_comments AS SELECT * EXCLUDE (rn) FROM (SELECT *, row_number() OVER "
                "(PARTITION BY id ORDER BY collected_at DESC, fingerprint) AS rn FROM read_parquet("
                + _sql_list(raw)
                + ", hive_partitioning=false)) WHERE rn = 1"
            )
        chosen = version or self.current_version()
        parts = [self.store.sql_path(p) for p in self.enriched_parts(chosen)] if chosen else []
        if parts:
            con.execute(
                "CREATE VIEW comments AS SELECT * EXCLUDE (rn) FROM (SELECT *, row_number() OVER "
                "(PARTITION BY id ORDER BY collected_at DESC) AS rn FROM read_parquet("
                + _sql_list(parts)
                + ", union_by_name=true, hive_partitioning=false)) WHERE rn = 1"
            )
        else:
            import pyarrow as pa

            empty = pa.Table.from_pylist([], schema=schema.ENRICHED_ARROW_SCHEMA)
            con.register("_empty_comments", empty)
            con.execute("CREATE VIEW comments AS SELECT * FROM _empty_comments")
        return con


@dataclass
class _Bucket:
    """The part being written for one (platform, collected day)."""

    folder: PurePath
    tmp: Path
    writer: pq.ParquetWriter
    published: bool = False
    keys: list[tuple[str, str]] = field(default_factory=list)  # (id, fingerprint): the part's name
    new_ids: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    text_chars: int = 0

    def flush(self) -> None:
        if self.rows:
            import pyarrow as pa

            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=raw_lake_schema()))
            self.rows, self.text_chars = [], 0


class RawAppender:
    """Appends records to the raw lake as they come, in row groups, one part per (platform, day).

    A part is visible only once complete (published on ``close``, named by the hash of its records'
    fingerprints as ``append_raw`` always did); on an error every unfinished part is dropped and the
    lake's dedup index forgets what it had been told, so a failed run leaves the lake as it was."""

    def __init__(self, lake: Lake):
        self.lake = lake
        self.result = AppendResult()
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._stack = contextlib.ExitStack()
        lake._refresh_known()

    def __enter__(self) -> RawAppender:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()

    def add(self, record: RawComment) -> None:
        fp = fingerprint(record)
        known = self.lake._known_fingerprints
        if fp in known:
            self.result.unchanged += 1
            return
        bucket = self._bucket(record.platform, record.collected_at.date().isoformat())
        known.add(fp)
        if record.id in self.lake._known_ids:
            self.result.changed += 1
        else:
            self.result.new += 1
            self.lake._known_ids.add(record.id)
            bucket.new_ids.append(record.id)
        values = record.__dict__  # the validated field values: a plain copy, no model_dump per record
        row = {name: values[name] for name in _RAW_FIELDS}
        row["fingerprint"] = fp
        bucket.keys.append((record.id, fp))
        bucket.rows.append(row)
        bucket.text_chars += len(record.text)
        if len(bucket.rows) >= RAW_GROUP_ROWS or bucket.text_chars >= RAW_GROUP_TEXT:
            bucket.flush()

    def _bucket(self, platform: str, day: str) -> _Bucket:
        bucket = self._buckets.get((platform, day))
        if bucket is None:
            folder = self.lake.raw_comments_dir / f"platform={platform}" / f"collected_date={day}"
            import pyarrow.parquet as pq

            tmp = self._stack.enter_context(self.lake.store.pending(folder, "part"))
            writer = pq.ParquetWriter(tmp, raw_lake_schema(), **PARQUET_OPTIONS)
            self._stack.callback(writer.close)  # runs before the temporary file is removed
            bucket = self._buckets[(platform, day)] = _Bucket(folder, tmp, writer)
        return bucket

    def close(self) -> AppendResult:
        """Finish and publish every part; return what was appended."""
        try:
            for key in sorted(self._buckets):
                bucket = self._buckets[key]
                bucket.flush()
                bucket.writer.close()
                bucket.keys.sort()
                digest = hashlib.blake2b("".join(fp for _, fp in bucket.keys).encode(), digest_size=8)
                target = bucket.folder / f"part-{digest.hexdigest()}.parquet"
                store = self.lake.store
                # content-addressed: a writer that loses the race finds the same records already there
                if not store.exists(target) and store.publish(bucket.tmp, target, exclusive=True):
                    self.result.files.append(target)
                bucket.published = True
                self.lake._read_parts.add(target)
        except BaseException:
            self.abort()
            raise
        self._stack.close()
        return self.result

    def abort(self) -> None:
        """Drop unfinished parts and forget their records (the next run will append them)."""
        for bucket in self._buckets.values():
            if not bucket.published:  # its records are not in the lake
                self.lake._known_fingerprints.difference_update(fp for _, fp in bucket.keys)
                self.lake._known_ids.difference_update(bucket.new_ids)
        with contextlib.suppress(Exception):
            self._stack.close()


class QuarantineWriter:
    """Malformed records with their reason, streamed to ``quarantine/STAGE/date=D/part-H.jsonl``."""

    def __init__(self, lake: Lake, stage: str, source: str, key: str | None):
        self.stage, self.source, self.key = stage, source, key
        self.count = 0
        self.path: PurePath | None = None
        self.now = datetime.now(UTC)
        self._folder = lake.quarantine_dir / stage / f"date={self.now.date().isoformat()}"
        self._store = lake.store
        existing = lake.store.glob(lake.quarantine_dir, f"{stage}/date=*/part-{key}.jsonl") if key else []
        self.already = existing[0] if existing else None  # this file's quarantine is kept already
        self._digest = hashlib.blake2b(digest_size=8)
        self._stack = contextlib.ExitStack()
        self._handle: Any = None
        self._tmp: Path | None = None

    def __enter__(self) -> QuarantineWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.close()
        else:
            self._stack.close()

    def add(self, reason: str, record: Any) -> None:
        self.count += 1
        if self.already:
            return
        if self._handle is None:
            tmp = self._stack.enter_context(self._store.pending(self._folder, "quarantine"))
            self._handle = self._stack.enter_context(tmp.open("wb"))
            self._tmp = tmp
        item = {
            "stage": self.stage,
            "source": self.source,
            "reason": reason,
            "record": record,
            "quarantined_at": self.now.isoformat(),
        }
        try:
            line = json.dumps(item, ensure_ascii=False, default=str).encode()
        except UnicodeEncodeError:  # a lone surrogate: JSON escapes keep it exactly
            line = json.dumps(item, default=str).encode()
        self._digest.update(line + b"\n")
        self._handle.write(line + b"\n")

    def close(self) -> PurePath | None:
        """Publish the part (if anything was quarantined); return its path (or the earlier one)."""
        if self.already:
            self.path = self.already if self.count else None
        elif self._handle is not None and self._tmp is not None:
            self._handle.close()
            name = self.key or self._digest.hexdigest()
            self.path = self._folder / f"part-{name}.jsonl"
            self._store.publish(self._tmp, self.path)
        self._stack.close()
        return self.path


class EnrichedPartWriter:
    """One enriched part written batch by batch (bounded memory), visible only once complete."""

    def __init__(
        self,
        raw_part: PurePath,
        target: PurePath,
        row_group_rows: int = ROW_GROUP_ROWS,
        *,
        store: Store | None = None,
        exclusive: bool = False,
    ):
        import pyarrow.parquet as pq

        self.raw_part = raw_part
        self.target = target
        self.rows = 0
        self._row_group_rows = row_group_rows
        self._pending: list[pa.RecordBatch] = []
        self._pending_rows = 0
        self._stack = contextlib.ExitStack()
        store = store or LocalStore(Path(target).parent)
        self._staging = self._stack.enter_context(store.staged(target, exclusive=exclusive))
        self._writer = pq.ParquetWriter(self._staging.path, schema.ENRICHED_ARROW_SCHEMA, **PARQUET_OPTIONS)

    def write(self, batch: pa.RecordBatch) -> None:
        if batch.schema != schema.ENRICHED_ARROW_SCHEMA:
            raise ValueError(f"batch does not have the enriched schema: {batch.schema}")
        self._pending.append(batch)
        self._pending_rows += batch.num_rows
        self.rows += batch.num_rows
        if self._pending_rows >= self._row_group_rows:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            import pyarrow as pa

            self._writer.write_table(pa.Table.from_batches(self._pending, schema=schema.ENRICHED_ARROW_SCHEMA))
            self._pending, self._pending_rows = [], 0

    @property
    def published(self) -> bool:
        """False after ``close`` when an exclusive writer found the part already published by another."""
        return self._staging.published

    def close(self) -> PurePath:
        """Finish the file and publish it (local: fsync + rename; S3: one PUT)."""
        self._flush()
        self._writer.close()
        self._stack.close()
        return self.target

    def abort(self) -> None:
        """Drop the unfinished file: the previous state of the lake stays as it was."""
        self._pending = []
        with contextlib.suppress(Exception):
            self._writer.close()
        self._stack.__exit__(RuntimeError, RuntimeError("enrichment aborted"), None)


def _sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"
