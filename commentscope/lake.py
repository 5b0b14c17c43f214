"""The lake: raw (system of record), enriched (per tagger version) and quarantine, on local disk.

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
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from commentscope.atomic import atomic_path, write_bytes, write_text, write_with
from commentscope.safenames import check_name, inside
from commentscope.schema import ENRICHED_ARROW_SCHEMA, RAW_ARROW_SCHEMA, RawComment

PARQUET_OPTIONS: dict[str, Any] = {"compression": "zstd", "compression_level": 3}
RAW_LAKE_SCHEMA = RAW_ARROW_SCHEMA.append(pa.field("fingerprint", pa.string()))
ROW_GROUP_ROWS = 20_000  # enriched parts: large enough for DuckDB scans, small enough to bound memory
PAGE_GZIP_LEVEL = 6  # level 9 costs about 3x the time for ~1% smaller pages
_RAW_FIELDS = tuple(f.name for f in RAW_ARROW_SCHEMA)


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
    files: list[Path] = field(default_factory=list)

    @property
    def written(self) -> int:
        return self.new + self.changed


class Lake:
    """The data directory and the operations on it that keep the data-flow contract."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self._read_parts: set[Path] = set()
        self._known_ids: set[str] = set()
        self._known_fingerprints: set[str] = set()

    # ---------- paths
    @property
    def raw_comments_dir(self) -> Path:
        return self.root / "raw" / "comments"

    @property
    def raw_pages_dir(self) -> Path:
        return self.root / "raw" / "pages"

    @property
    def enriched_dir(self) -> Path:
        return self.root / "enriched"

    @property
    def quarantine_dir(self) -> Path:
        return self.root / "quarantine"

    @property
    def state_dir(self) -> Path:
        return self.root / "state"

    def enriched_version_dir(self, version: str) -> Path:
        return self.enriched_dir / f"tagger={version}"

    # ---------- raw pages
    def write_page(self, platform: str, name: str, payload: bytes | str | dict | list) -> Path:
        """Keep one fetched page (or imported file) exactly as returned, gzip-compressed."""
        if isinstance(payload, dict | list):
            data = json.dumps(payload, ensure_ascii=False).encode()
        elif isinstance(payload, str):
            data = payload.encode()
        else:
            data = payload
        target = self.page_path(platform, name)
        write_bytes(target, gzip.compress(data, compresslevel=PAGE_GZIP_LEVEL, mtime=0))
        return target

    def page_path(self, platform: str, name: str) -> Path:
        """Where a page goes today; both parts must be safe names (UnsafeNameError otherwise)."""
        day = datetime.now(UTC).date().isoformat()
        folder = self.raw_pages_dir / f"platform={check_name(platform, 'platform')}" / f"date={day}"
        return inside(self.root, folder / f"{check_name(name, 'page name')}.gz")

    # ---------- raw comments
    def raw_parts(self) -> list[Path]:
        return sorted(self.raw_comments_dir.glob("platform=*/collected_date=*/part-*.parquet"))

    def _refresh_known(self) -> None:
        """Load ids and fingerprints of raw parts this instance has not read yet (parts are immutable)."""
        for part in self.raw_parts():
            if part in self._read_parts:
                continue
            table = pq.ParquetFile(part).read(columns=["id", "fingerprint"])
            self._known_ids.update(table.column("id").to_pylist())
            self._known_fingerprints.update(table.column("fingerprint").to_pylist())
            self._read_parts.add(part)

    def known_ids(self) -> set[str]:
        self._refresh_known()
        return self._known_ids

    def append_raw(self, records: Iterable[RawComment]) -> AppendResult:
        """Append new and changed records; skip ones already in the lake. Atomic per part file."""
        result = AppendResult()
        self._refresh_known()
        known, known_ids = self._known_fingerprints, self._known_ids
        batches: dict[tuple[str, str], list[dict]] = defaultdict(list)
        seen_in_batch: set[str] = set()
        for record in records:
            fp = fingerprint(record)
            if fp in known or fp in seen_in_batch:
                result.unchanged += 1
                continue
            seen_in_batch.add(fp)
            if record.id in known_ids:
                result.changed += 1
            else:
                result.new += 1
            values = record.__dict__  # the validated field values: a plain copy, no model_dump per record
            row = {name: values[name] for name in _RAW_FIELDS}
            row["fingerprint"] = fp
            key = (record.platform, record.collected_at.date().isoformat())
            batches[key].append(row)
        for (platform, day), rows in sorted(batches.items()):
            rows.sort(key=lambda r: (r["id"], r["fingerprint"]))
            digest = hashlib.blake2b("".join(r["fingerprint"] for r in rows).encode(), digest_size=8)
            target = (
                self.raw_comments_dir
                / f"platform={platform}"
                / f"collected_date={day}"
                / f"part-{digest.hexdigest()}.parquet"
            )
            if target.exists():
                continue
            table = pa.Table.from_pylist(rows, schema=RAW_LAKE_SCHEMA)
            write_with(target, lambda tmp, t=table: pq.write_table(t, tmp, **PARQUET_OPTIONS))
            result.files.append(target)
            self._read_parts.add(target)
            self._known_ids.update(r["id"] for r in rows)
            self._known_fingerprints.update(r["fingerprint"] for r in rows)
        return result

    # ---------- enriched
    def enriched_part_for(self, raw_part: Path, version: str) -> Path:
        relative = raw_part.relative_to(self.raw_comments_dir)
        return self.enriched_version_dir(version) / relative

    def pending_raw_parts(self, version: str) -> list[Path]:
        """Raw parts not yet enriched by this tagger version: the incremental work list."""
        return [p for p in self.raw_parts() if not self.enriched_part_for(p, version).exists()]

    def write_enriched(self, raw_part: Path, version: str, rows: list[dict]) -> Path:
        target = self.enriched_part_for(raw_part, version)
        table = pa.Table.from_pylist(rows, schema=ENRICHED_ARROW_SCHEMA)
        write_with(target, lambda tmp: pq.write_table(table, tmp, **PARQUET_OPTIONS))
        return target

    def enriched_writer(self, raw_part: Path, version: str) -> EnrichedPartWriter:
        """Stream Arrow batches into the enriched part of ``raw_part``; published atomically on close."""
        return EnrichedPartWriter(raw_part, self.enriched_part_for(raw_part, version))

    def enriched_versions(self) -> list[str]:
        return sorted(p.name.split("=", 1)[1] for p in self.enriched_dir.glob("tagger=*") if p.is_dir())

    @property
    def current_version_file(self) -> Path:
        return self.enriched_dir / "CURRENT"

    def current_version(self) -> str | None:
        """The tagger version readers use by default: the last one whose enrichment run completed."""
        if self.current_version_file.exists():
            return self.current_version_file.read_text(encoding="utf-8").strip() or None
        versions = self.enriched_versions()
        return versions[-1] if versions else None

    def set_current_version(self, version: str) -> None:
        write_text(self.current_version_file, version + "\n")

    def enriched_parts(self, version: str) -> list[Path]:
        return sorted(self.enriched_version_dir(version).glob("platform=*/collected_date=*/part-*.parquet"))

    # ---------- quarantine
    def quarantine(self, stage: str, items: list[tuple[str, Any]], source: str) -> Path | None:
        """Keep malformed records with their reason instead of dropping them."""
        if not items:
            return None
        now = datetime.now(UTC)
        lines = [
            json.dumps(
                {"stage": stage, "source": source, "reason": reason, "record": record,
                 "quarantined_at": now.isoformat()},
                ensure_ascii=False,
                default=str,
            )
            for reason, record in items
        ]
        body = ("\n".join(lines) + "\n").encode()
        digest = hashlib.blake2b(body, digest_size=8).hexdigest()
        target = self.quarantine_dir / stage / f"date={now.date().isoformat()}" / f"part-{digest}.jsonl"
        write_bytes(target, body)
        return target

    def quarantined(self, stage: str | None = None) -> Iterator[dict]:
        pattern = f"{stage or '*'}/date=*/part-*.jsonl"
        for path in sorted(self.quarantine_dir.glob(pattern)):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    yield json.loads(line)

    # ---------- reading
    def connect(self, version: str | None = None) -> duckdb.DuckDBPyConnection:
        """A DuckDB connection with views ``raw_comments`` and ``comments`` (enriched, latest per id).

        ``comments`` reads ``version``, by default the current one (see ``current_version``).
        """
        con = duckdb.connect()
        raw = [str(p) for p in self.raw_parts()]
        if raw:
            con.execute(
                "CREATE VIEW raw_comments AS SELECT * EXCLUDE (rn) FROM (SELECT *, row_number() OVER "
                "(PARTITION BY id ORDER BY collected_at DESC, fingerprint) AS rn FROM read_parquet("
                + _sql_list(raw)
                + ", hive_partitioning=false)) WHERE rn = 1"
            )
        chosen = version or self.current_version()
        parts = [str(p) for p in self.enriched_parts(chosen)] if chosen else []
        if parts:
            con.execute(
                "CREATE VIEW comments AS SELECT * EXCLUDE (rn) FROM (SELECT *, row_number() OVER "
                "(PARTITION BY id ORDER BY collected_at DESC) AS rn FROM read_parquet("
                + _sql_list(parts)
                + ", union_by_name=true, hive_partitioning=false)) WHERE rn = 1"
            )
        else:
            empty = pa.Table.from_pylist([], schema=ENRICHED_ARROW_SCHEMA)
            con.register("_empty_comments", empty)
            con.execute("CREATE VIEW comments AS SELECT * FROM _empty_comments")
        return con


class EnrichedPartWriter:
    """One enriched part written batch by batch (bounded memory), visible only once complete."""

    def __init__(self, raw_part: Path, target: Path, row_group_rows: int = ROW_GROUP_ROWS):
        self.raw_part = raw_part
        self.target = target
        self.rows = 0
        self._row_group_rows = row_group_rows
        self._pending: list[pa.RecordBatch] = []
        self._pending_rows = 0
        self._stack = contextlib.ExitStack()
        tmp = self._stack.enter_context(atomic_path(target))
        self._writer = pq.ParquetWriter(tmp, ENRICHED_ARROW_SCHEMA, **PARQUET_OPTIONS)

    def write(self, batch: pa.RecordBatch) -> None:
        if batch.schema != ENRICHED_ARROW_SCHEMA:
            raise ValueError(f"batch does not have the enriched schema: {batch.schema}")
        self._pending.append(batch)
        self._pending_rows += batch.num_rows
        self.rows += batch.num_rows
        if self._pending_rows >= self._row_group_rows:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._writer.write_table(pa.Table.from_batches(self._pending, schema=ENRICHED_ARROW_SCHEMA))
            self._pending, self._pending_rows = [], 0

    def close(self) -> Path:
        """Finish the file and publish it (fsync + rename)."""
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
