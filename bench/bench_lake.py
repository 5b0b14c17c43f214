"""The lake: write and read N raw comment records (time, bytes per million, peak memory), beside a baseline.

Write: ``Lake.append_raw`` (fingerprints, dedup against the lake, partitioning, atomic fsync'd
parts) in chunks of ``--chunk`` records, against the baseline of the same rows written with plain
``pyarrow.parquet.write_table`` (same compression, nothing else). Building the RawComment
records (pydantic validation, what every importer does) is timed on its own.
Read: Arrow full scan of every part, DuckDB's ``raw_comments`` view (latest version per id),
and a re-append of everything (the dedup path: nothing new is written).
"""

from __future__ import annotations

import argparse
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from bench.common import figures, measure, write_result
from bench.synth import Synth
from commentscope.atomic import write_with
from commentscope.collectors.importers.base import to_raw
from commentscope.demo import DEMO_REGISTRY
from commentscope.lake import PARQUET_OPTIONS, RAW_LAKE_SCHEMA, Lake, fingerprint
from commentscope.registry import load_registry

CHUNK = 50_000


def run(size: int, work: Path, chunk: int = CHUNK, keep: bool = False) -> dict[str, Any]:
    shutil.rmtree(work, ignore_errors=True)
    registry = load_registry(DEMO_REGISTRY)
    synth = Synth()
    lake = Lake(work / "lake")
    baseline_dir = work / "baseline"
    collected = datetime(2026, 4, 1, 12, tzinfo=UTC)
    build = write = plain = 0.0
    build_cpu = write_cpu = plain_cpu = 0.0
    peak = 0.0
    with measure() as whole:
        for number, start in enumerate(range(0, size, chunk)):
            rows = list(synth.rows(min(chunk, size - start), start))
            with measure() as meter:
                records = [to_raw(r, registry, source="bench", collected_at=collected) for r in rows]
            build, build_cpu = build + meter.seconds, build_cpu + meter.cpu_seconds
            with measure() as meter:
                lake.append_raw(records)
            write, write_cpu, peak = write + meter.seconds, write_cpu + meter.cpu_seconds, max(peak, meter.peak_rss_mib)
            with measure() as meter:
                table = pa.Table.from_pylist(
                    [r.model_dump() | {"fingerprint": fingerprint(r)} for r in records], schema=RAW_LAKE_SCHEMA
                )
                write_with(
                    baseline_dir / f"part-{number:05d}.parquet",
                    lambda tmp, t=table: pq.write_table(t, tmp, **PARQUET_OPTIONS),
                )
            plain, plain_cpu = plain + meter.seconds, plain_cpu + meter.cpu_seconds
            del rows, records, table
    raw_bytes = sum(p.stat().st_size for p in lake.raw_parts())
    results: dict[str, Any] = {
        "size": size,
        "chunk": chunk,
        "build_records (pydantic RawComment)": {
            "seconds": round(build, 3),
            "cpu_seconds": round(build_cpu, 3),
            "per_second": round(size / build, 1),
        },
        "write (Lake.append_raw)": {
            "seconds": round(write, 3),
            "cpu_seconds": round(write_cpu, 3),
            "per_second": round(size / write, 1),
            "peak_rss_mib": peak,
        },
        "write baseline (pq.write_table, same rows)": {
            "seconds": round(plain, 3),
            "cpu_seconds": round(plain_cpu, 3),
            "per_second": round(size / plain, 1),
        },
        "write overhead ratio": round(write / plain, 2) if plain else None,
        "whole_write_phase_peak_rss_mib": whole.peak_rss_mib,
        "raw_parts": len(lake.raw_parts()),
        "bytes": raw_bytes,
        "bytes_per_million": int(raw_bytes * 1_000_000 / size),
        "bytes_per_record": round(raw_bytes / size, 1),
    }
    fresh = Lake(lake.root)  # a new process's view: nothing cached
    with measure() as meter:
        total = sum(pq.read_table(p).num_rows for p in fresh.raw_parts())
    results["read all parts (pyarrow, all columns)"] = figures(meter, total)
    with measure() as meter:
        con = fresh.connect()
        count, distinct = con.execute("SELECT count(*), count(DISTINCT id) FROM raw_comments").fetchone()  # type: ignore[misc]
        con.close()
    results["read raw_comments view (DuckDB, latest per id)"] = figures(meter, int(count)) | {"distinct": distinct}
    with measure() as meter:
        con = fresh.connect()
        scanned = 0
        for batch in con.sql("SELECT id, text, like_count FROM raw_comments").to_arrow_reader(50_000):
            scanned += batch.num_rows
        con.close()
    results["scan raw_comments in batches (DuckDB -> Arrow)"] = figures(meter, scanned)
    with measure() as meter:
        again = fresh.append_raw([])
        known = len(fresh.known_ids())
    results["load dedup index (ids + fingerprints of every part)"] = figures(meter, known) | {"wrote": again.written}
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=CHUNK)
    parser.add_argument("--work", type=Path, default=Path("/tmp/commentscope-bench/lake"))
    parser.add_argument("--results", type=Path, default=None)
    parser.add_argument("--name", default=None)
    args = parser.parse_args()
    payload = run(args.size, args.work, args.chunk)
    path = write_result(args.name or f"lake-{args.size}", payload, args.results)
    write_rate = payload["write (Lake.append_raw)"]["per_second"]
    print(f"{path}: {args.size} records, write {write_rate}/s, {payload['bytes_per_million'] / 1e6:.1f} MB per million")


if __name__ == "__main__":
    main()
