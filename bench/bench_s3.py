"""Import -> enrich throughput with the lake on S3-compatible storage (S3Proxy on loopback) beside local disk.

The same synthetic corpus (JSONL files of ``--rows-per-file`` rows, bench/synth.py) is imported into
a fresh lake and enriched, once with the lake in a local folder and once under a fresh
``s3://`` prefix; ``--runs`` pairs, alternating which backend goes first, median and range per
stage. The analyzer is loaded (and warmed) once, outside the timing. ``--workers`` enrichment
processes (default 1: on a shared machine more workers measure the machine, not the store).

S3Proxy (the tests' server, tests/fixtures/s3.py) keeps its objects on the same local disk, so the
difference is the S3 protocol: one PUT per part from a spool file, listings and ranged GETs over
HTTP, SigV4 signing. A real object store adds network latency and bandwidth on top.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from bench.common import measure, rate, write_result
from bench.synth import ROWS_PER_FILE, write_files
from commentscope.collectors.importers.generic import import_file
from commentscope.demo import DEMO_REGISTRY
from commentscope.enrich import enrich_lake
from commentscope.lake import Lake
from commentscope.registry import load_registry
from commentscope.settings import DEMO_SALT
from commentscope.storage import S3Store

BACKENDS = ("local", "s3")


class Bucket(Protocol):
    """A running S3 server: the environment that points commentscope at it and fresh lake prefixes."""

    @property
    def env(self) -> dict[str, str]: ...

    def fresh_uri(self, name: str = "lake") -> str: ...


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _once(root: str, files: list[Path], analyzer: Any, workers: int) -> dict[str, float]:
    """Import every file into a fresh lake at ``root``, then enrich it; seconds per stage."""
    registry = load_registry(DEMO_REGISTRY)
    lake = Lake(root)
    with measure() as imported:
        records = sum(import_file(lake, path, registry).appended.written for path in files)
    with measure() as enriched:
        result = enrich_lake(lake, registry, analyzer, DEMO_SALT, workers=workers)
    if result.records != records:
        raise RuntimeError(f"{root}: imported {records} records but enriched {result.records}")
    return {"records": records, "import": imported.seconds, "enrich": enriched.seconds}


def _remove(root: str) -> None:
    store = Lake(root).store
    if not isinstance(store, S3Store):
        shutil.rmtree(root, ignore_errors=True)
        return
    pages = store.client.get_paginator("list_objects_v2").paginate(Bucket=store.bucket, Prefix=store.key_prefix)
    for page in pages:  # one DELETE per key: S3Proxy refuses DeleteObjects without Content-MD5
        for item in page.get("Contents", []):
            if not item["Key"].endswith("/"):  # S3Proxy's filesystem backend lists its folders too
                store.client.delete_object(Bucket=store.bucket, Key=item["Key"])


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 1), "min": round(min(values), 1), "max": round(max(values), 1)}


def run(
    size: int, work: Path, bucket: Bucket, *, runs: int = 5, workers: int = 1, rows_per_file: int = ROWS_PER_FILE
) -> dict[str, Any]:
    """``runs`` pairs of (local, S3) import -> enrich on the same ``size`` comments; rates per stage."""
    from commentscope.nlp import default_analyzer

    shutil.rmtree(work, ignore_errors=True)
    files = write_files(work / "input", size, rows_per_file)
    analyzer = default_analyzer()
    analyzer.analyse_batch(["warm up", "สวัสดี"], [["en"], ["th"]])
    seconds: dict[str, dict[str, list[float]]] = {b: {"import": [], "enrich": []} for b in BACKENDS}
    local_spool = work / "spool"
    with _environment(
        {**bucket.env, "COMMENTSCOPE_SPOOL": str(local_spool), "COMMENTSCOPE_LOCAL_DATA": str(work / "s3-local")}
    ):
        for number in range(runs):
            order = BACKENDS if number % 2 == 0 else BACKENDS[::-1]
            for backend in order:
                root = str(work / f"lake-{number}") if backend == "local" else bucket.fresh_uri("bench")
                got = _once(root, files, analyzer, workers)
                if got["records"] != size:
                    raise RuntimeError(f"{backend}: {got['records']} of {size} records imported")
                for stage in ("import", "enrich"):
                    seconds[backend][stage].append(got[stage])
                _remove(root)  # every run starts from the same empty store
                print(
                    f"  run {number + 1}/{runs} {backend}: import {got['import']:.2f}s, enrich {got['enrich']:.2f}s",
                    flush=True,
                )
    out: dict[str, Any] = {
        "size": size,
        "runs": runs,
        "workers": workers,
        "rows_per_file": rows_per_file,
        "files": len(files),
        "tagger_version": analyzer.version,
        "backends": {},
    }
    for backend in BACKENDS:
        both = [i + e for i, e in zip(seconds[backend]["import"], seconds[backend]["enrich"], strict=True)]
        out["backends"][backend] = {
            "import_per_second": _spread([rate(size, s) for s in seconds[backend]["import"]]),
            "enrich_per_second": _spread([rate(size, s) for s in seconds[backend]["enrich"]]),
            "import_then_enrich_per_second": _spread([rate(size, s) for s in both]),
        }
    out["s3_over_local_seconds_median"] = {
        stage: round(statistics.median(seconds["s3"][stage]) / statistics.median(seconds["local"][stage]), 2)
        for stage in ("import", "enrich")
    }
    shutil.rmtree(work, ignore_errors=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="pairs (local, S3), alternating order")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rows-per-file", type=int, default=ROWS_PER_FILE)
    parser.add_argument("--work", type=Path, default=Path("/tmp/commentscope-bench/s3"))
    parser.add_argument("--results", type=Path, default=None)
    parser.add_argument("--name", default=None, help="results file name (default s3-SIZE)")
    args = parser.parse_args()
    from tests.fixtures.s3 import start_s3proxy

    print(f"load average before: {os.getloadavg()}", flush=True)
    home = args.work.with_name(args.work.name + "-server")
    shutil.rmtree(home, ignore_errors=True)
    server, bucket = start_s3proxy(home)
    try:
        payload = run(
            args.size, args.work, bucket, runs=args.runs, workers=args.workers, rows_per_file=args.rows_per_file
        )
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)
    path = write_result(args.name or f"s3-{args.size}", payload, args.results)
    both = {b: payload["backends"][b]["import_then_enrich_per_second"]["median"] for b in BACKENDS}
    print(
        f"load average after: {os.getloadavg()}; {path}: import -> enrich {both['local']}/s local, "
        f"{both['s3']}/s on S3Proxy"
    )


if __name__ == "__main__":
    main()
