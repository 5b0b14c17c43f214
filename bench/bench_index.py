"""Indexing: documents per second into the real search engine node, project indexer vs the plain helper.

Project: ``commentscope.index.index_lake`` (reads the lake's ``comments`` view, builds documents,
bulk with retries and rejection accounting, finishes the build, checks the count). Baseline:
``elasticsearch.helpers.bulk`` with the same chunk size on the same documents, already in memory,
into an index made from the same template and build settings. Both go through the tests' shim.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from elasticsearch import Elasticsearch, helpers

from bench.bench_e2e import run as run_pipeline
from bench.common import figures, measure, write_result
from commentscope.index import index_lake, versions
from commentscope.index.bulk import to_document
from commentscope.index.run import DEFAULT_CHUNK
from commentscope.lake import Lake


def _documents(lake: Lake, version: str) -> list[dict[str, Any]]:
    docs = []
    for part in lake.enriched_parts(version):
        for batch in pq.ParquetFile(part).iter_batches(batch_size=10_000):
            docs.extend(to_document(row) for row in batch.to_pylist())
    return docs


def run(size: int, work: Path, es_url: str, chunk: int = DEFAULT_CHUNK, keep: bool = False) -> dict[str, Any]:
    pipeline = run_pipeline(size, work, keep=True, progress=False)
    lake = Lake(work / "lake")
    version = lake.current_version()
    assert version is not None
    es = Elasticsearch(es_url, request_timeout=300)
    results: dict[str, Any] = {"size": size, "chunk": chunk, "lake_from": pipeline["stages"]["enrich"]}
    try:
        docs = _documents(lake, version)
        name = "bench-plain-baseline"
        es.indices.delete(index=name, ignore_unavailable=True)
        versions.apply_templates(es, "bench-plain")
        versions.create_index(es, name, version, building=True)
        with measure() as meter:
            ok, errors = helpers.bulk(
                es, ({"_index": name, "_id": d["id"], "_source": d} for d in docs), chunk_size=chunk,
                raise_on_error=False,
            )
            versions.finish_build(es, name)
        count = int(es.count(index=name)["count"])
        results["baseline helpers.bulk (docs in memory)"] = figures(meter, ok) | {"errors": len(errors),
                                                                                  "index_count": count}
        es.indices.delete(index=name, ignore_unavailable=True)
        del docs

        with measure() as meter:
            result = index_lake(es, lake, prefix="bench-project", chunk_size=chunk, switch=False)
        results["project index_lake (from the lake)"] = figures(meter, result.indexed) | {
            "rejected": len(result.rejected), "index_count": result.index_count}
        es.indices.delete(index=result.index, ignore_unavailable=True)
    finally:
        es.close()
    base = results["baseline helpers.bulk (docs in memory)"]["per_second"]
    mine = results["project index_lake (from the lake)"]["per_second"]
    results["project / baseline"] = round(mine / base, 3) if base else None
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return results


def main() -> None:
    from bench.engine import running_engine

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK)
    parser.add_argument("--work", type=Path, default=Path("/tmp/commentscope-bench/index"))
    parser.add_argument("--es-url", default=None, help="a running node; without it one is started")
    parser.add_argument("--results", type=Path, default=None)
    args = parser.parse_args()
    if args.es_url:
        payload = run(args.size, args.work, args.es_url, args.chunk)
    else:
        with running_engine(args.work.parent / "engine-home") as url:
            payload = run(args.size, args.work, url, args.chunk)
    path = write_result(f"index-{args.size}", payload, args.results)
    print(f"{path}: project/baseline = {payload['project / baseline']}")


if __name__ == "__main__":
    main()
