"""Indexing: documents per second into the real search engine node, the project's indexer beside the plain helper.

Two comparisons, each as ``--runs`` pairs in alternating order (baseline first, then project first,
...), every run into a fresh index made from the same template and build settings:

* ``prebuilt``: the same documents already in memory. Baseline ``elasticsearch.helpers.bulk``;
  project ``BulkIndexer.send_all`` (encoding, retries, rejection accounting).
* ``from_lake``: end to end from the enriched lake. Baseline: the lake's ``comments`` view streamed
  with DuckDB's Arrow reader, rows as they come (``to_pylist``) into ``helpers.bulk``; project:
  ``commentscope.index.index_lake`` (documents built column-wise, bulk, finish the build, count).

Both go through the tests' compatibility shim to one OpenSearch node (bench/engine.py), which runs
in its own processes: the CPU seconds reported are the client's. Reports docs/s per run, median
and range, the ratio project/baseline per pair, CPU-s per 100k documents, and the load average.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch, helpers

from bench.bench_e2e import run as run_pipeline
from bench.common import write_result
from commentscope.index import index_lake, versions
from commentscope.index.bulk import BulkIndexer, Chunk, to_document
from commentscope.index.run import DEFAULT_CHUNK
from commentscope.lake import Lake


def _fresh_index(es: Elasticsearch, name: str, version: str) -> str:
    es.indices.delete(index=name, ignore_unavailable=True)
    versions.apply_templates(es, "bench-plain")
    versions.create_index(es, name, version, building=True)
    return name


def _lake_rows(lake: Lake, version: str, chunk: int) -> Iterator[dict[str, Any]]:
    """The lake's comments as plain rows, streamed: what a script would hand to helpers.bulk."""
    con = lake.connect(version)
    try:
        for batch in con.sql("SELECT * FROM comments").to_arrow_reader(chunk):
            yield from batch.to_pylist()
    finally:
        con.close()


def _timed(fn: Callable[[], int]) -> dict[str, Any]:
    """Wall and CPU seconds of this process (all its threads; the node's processes are not ours).

    No memory sampler here: walking the node's /proc every 50 ms would cost more CPU than the client.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    count = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "docs": count,
        "seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "docs_per_second": round(count / wall, 1) if wall else 0.0,
        "load_1min": round(os.getloadavg()[0], 2),
    }


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    rates = [r["docs_per_second"] for r in runs]
    cpu_per_100k = [r["cpu_seconds"] * 100_000 / r["docs"] for r in runs if r["docs"]]
    return {
        "docs_per_second_median": round(statistics.median(rates), 1),
        "docs_per_second_range": [min(rates), max(rates)],
        "client_cpu_seconds_per_100k_median": round(statistics.median(cpu_per_100k), 1),
        "runs": runs,
    }


def _pairs(baseline: Callable[[], int], project: Callable[[], int], runs: int) -> dict[str, Any]:
    """``runs`` pairs, alternating which side goes first; the ratio is taken within each pair."""
    base_runs, project_runs, ratios = [], [], []
    for number in range(runs):
        order = [("baseline", baseline), ("project", project)]
        if number % 2:
            order.reverse()
        got = {name: _timed(fn) for name, fn in order}
        base_runs.append(got["baseline"])
        project_runs.append(got["project"])
        ratios.append(round(got["project"]["docs_per_second"] / got["baseline"]["docs_per_second"], 3))
    return {
        "baseline": _summary(base_runs),
        "project": _summary(project_runs),
        "project_over_baseline_median": round(statistics.median(ratios), 3),
        "project_over_baseline_range": [min(ratios), max(ratios)],
        "ratios": ratios,
    }


def run(
    size: int,
    work: Path,
    es_url: str,
    chunk: int = DEFAULT_CHUNK,
    runs: int = 5,
    keep: bool = False,
    in_flight: int = 1,
) -> dict[str, Any]:
    pipeline = run_pipeline(size, work, keep=True, progress=False)
    lake = Lake(work / "lake")
    version = lake.current_version()
    assert version is not None
    # the test node has a 512 MiB heap: both sides wait out its memory breaker's 429s the same way
    es = Elasticsearch(es_url, request_timeout=300, retry_on_status=(429, 502, 503, 504), max_retries=8)
    results: dict[str, Any] = {
        "size": size,
        "chunk": chunk,
        "runs": runs,
        "in_flight": in_flight,
        "lake_from": pipeline["stages"]["enrich"],
    }
    name = "bench-plain-baseline"
    try:
        docs = [to_document(row) for row in _lake_rows(lake, version, chunk)]

        def finish(index: str, count: int) -> int:
            versions.finish_build(es, index)
            indexed = int(es.count(index=index)["count"])
            es.indices.delete(index=index, ignore_unavailable=True)
            if indexed != count:
                raise SystemExit(f"{index} holds {indexed} documents, {count} were sent")
            return count

        def baseline_prebuilt() -> int:
            index = _fresh_index(es, name, version)
            ok, _ = helpers.bulk(
                es,
                ({"_index": index, "_id": d["id"], "_source": d} for d in docs),
                chunk_size=chunk,
                raise_on_error=False,
                max_retries=6,
            )
            return finish(index, ok)

        def project_prebuilt() -> int:
            index = _fresh_index(es, name, version)
            chunks = (Chunk.of(docs[i : i + chunk]) for i in range(0, len(docs), chunk))
            outcome = BulkIndexer(es, index, in_flight=in_flight).send_all(chunks)
            return finish(index, outcome.indexed)

        def baseline_lake() -> int:
            index = _fresh_index(es, name, version)
            actions = ({"_index": index, "_id": row["id"], "_source": row} for row in _lake_rows(lake, version, chunk))
            ok, _ = helpers.bulk(es, actions, chunk_size=chunk, raise_on_error=False, max_retries=6)
            return finish(index, ok)

        def project_lake() -> int:
            result = index_lake(
                es, lake, prefix="bench-project", chunk_size=chunk, switch=False, full=True, in_flight=in_flight
            )
            es.indices.delete(index=result.index, ignore_unavailable=True)
            if not result.ok:
                raise SystemExit(f"project indexer: {result.problem}")
            return result.indexed

        results["prebuilt"] = _pairs(baseline_prebuilt, project_prebuilt, runs)
        docs.clear()  # free the memory before the end-to-end runs
        results["from_lake"] = _pairs(baseline_lake, project_lake, runs)
    finally:
        es.indices.delete(index=name, ignore_unavailable=True)
        es.close()
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return results


def main() -> None:
    from bench.engine import running_engine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK)
    parser.add_argument("--runs", type=int, default=5, help="pairs per comparison (alternating order)")
    parser.add_argument("--in-flight", type=int, default=1, help="bulk requests the project keeps in flight")
    parser.add_argument("--work", type=Path, default=Path("/tmp/commentscope-bench/index"))
    parser.add_argument("--es-url", default=None, help="a running node; without it one is started")
    parser.add_argument("--results", type=Path, default=None)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}", flush=True)
    if args.es_url:
        payload = run(args.size, args.work, args.es_url, args.chunk, args.runs, in_flight=args.in_flight)
    else:
        with running_engine(args.work.parent / "engine-home") as url:
            payload = run(args.size, args.work, url, args.chunk, args.runs, in_flight=args.in_flight)
    path = write_result(f"index-{args.size}", payload, args.results)
    for key in ("prebuilt", "from_lake"):
        part = payload[key]
        print(
            f"{key}: baseline {part['baseline']['docs_per_second_median']:,.0f} docs/s "
            f"{part['baseline']['docs_per_second_range']}, project {part['project']['docs_per_second_median']:,.0f} "
            f"docs/s {part['project']['docs_per_second_range']}; project/baseline "
            f"{part['project_over_baseline_median']} (range {part['project_over_baseline_range']}); client CPU-s "
            f"per 100k: {part['baseline']['client_cpu_seconds_per_100k_median']} vs "
            f"{part['project']['client_cpu_seconds_per_100k_median']}"
        )
    print(f"load average after: {os.getloadavg()}; {path}")


if __name__ == "__main__":
    main()
