"""End to end: N synthetic comments through import -> enrich -> lake -> index, time and peak memory.

Run one size per process (``python -m bench.bench_e2e --size 100000``) so each peak is its own.
Input arrives as JSONL files of ``--rows-per-file`` rows, the way collectors hand over pages;
memory should be bounded by that and by the enrich batch, not by N. ``--es-url`` adds the index
stage (``bench.run`` starts a real node and passes it).
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from bench.common import figures, measure, write_result
from bench.synth import ROWS_PER_FILE, write_files
from commentscope.collectors.importers.generic import import_file
from commentscope.demo import DEMO_REGISTRY
from commentscope.enrich import BATCH, default_workers, enrich_lake
from commentscope.lake import Lake
from commentscope.registry import load_registry
from commentscope.settings import DEMO_SALT

T = TypeVar("T")


def run(
    size: int,
    work: Path,
    *,
    es_url: str | None = None,
    workers: int | None = None,
    rows_per_file: int = ROWS_PER_FILE,
    batch_size: int = BATCH,
    keep: bool = False,
    progress: bool = True,
) -> dict[str, Any]:
    """Run the pipeline on ``size`` comments under ``work``; returns the figures per stage."""
    from commentscope.nlp import default_analyzer

    shutil.rmtree(work, ignore_errors=True)
    registry = load_registry(DEMO_REGISTRY)
    stages: dict[str, Any] = {}
    with measure() as meter:
        files = _in_child(write_files, work / "input", size, rows_per_file)
    stages["generate_input (not part of the pipeline)"] = figures(meter, size)

    with measure() as meter:
        imported, quarantined = _in_child(_import_all, work / "lake", files, progress)
    stages["import"] = figures(meter, size) | {"written": imported, "quarantined": quarantined}

    # Each stage runs in its own process, as its command or Airflow task does: memory one stage leaves
    # behind (the import's dedup index of every raw record) is not the next one's.
    lake = Lake(work / "lake")
    with measure() as meter:
        analyzer = default_analyzer()
        analyzer.analyse_batch(["warm up"], [["en"]])
    stages["load_analyzer"] = figures(meter) | {"tagger_version": analyzer.version}

    chosen = default_workers() if workers is None else workers
    with measure() as meter:
        enriched = enrich_lake(
            lake,
            registry,
            analyzer,
            DEMO_SALT,
            workers=chosen,
            batch_size=batch_size,
            on_progress=_printer("enrich") if progress else None,
        )
    stages["enrich"] = figures(meter, enriched.records) | {
        "workers": chosen,
        "batch_size": batch_size,
        "per_second_per_core": 0.0,
    }
    stages["enrich"]["per_second_per_core"] = round(stages["enrich"]["per_second"] / max(1, chosen), 1)

    with measure() as meter:
        counted = lake.connect().execute("SELECT count(*) FROM comments").fetchone()[0]  # type: ignore[index]
    stages["read_lake (DuckDB, latest per id)"] = figures(meter, int(counted))

    if es_url:
        try:
            stages["index"] = _index(lake, es_url, progress)
        except Exception as exc:  # noqa: BLE001 - keep the other stages' figures, say why indexing failed
            stages["index"] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}", "seconds": 0.0, "peak_rss_mib": 0.0}

    pipeline = [v for k, v in stages.items() if not k.startswith("generate")]
    total_seconds = round(sum(v["seconds"] for v in pipeline), 3)
    payload = {
        "size": size,
        "rows_per_file": rows_per_file,
        "stages": stages,
        "pipeline_seconds": total_seconds,
        "pipeline_per_second": round(size / total_seconds, 1) if total_seconds else 0.0,
        "peak_rss_mib": max(v["peak_rss_mib"] for v in pipeline),
        "lake_bytes": {
            "raw": _bytes(lake.raw_comments_dir),
            "raw_pages": _bytes(lake.raw_pages_dir),
            "enriched": _bytes(lake.enriched_dir),
        },
        "records_checked": {"imported": imported, "enriched": enriched.records, "in_lake_view": int(counted)},
    }
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return payload


def _import_all(lake_dir: Path, files: list[Path], progress: bool) -> tuple[int, int]:
    """``commentscope import`` of every input file into one lake: (written, quarantined)."""
    lake, registry = Lake(lake_dir), load_registry(DEMO_REGISTRY)
    imported = quarantined = 0
    for number, path in enumerate(files, start=1):
        result = import_file(lake, path, registry)
        imported += result.appended.written
        quarantined += result.quarantined
        if progress:
            print(f"  import {number}/{len(files)} files", end="\r", flush=True)
    return imported, quarantined


def _in_child(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` in a forked process (its memory is returned when it exits); its result comes back."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def target() -> None:
        send.send(fn(*args))

    child = context.Process(target=target)
    child.start()
    send.close()  # the child holds the only writer now: if it dies, recv() ends instead of waiting forever
    try:
        result = receive.recv()
    except EOFError:
        result = None
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"{fn.__name__} failed in its process (exit code {child.exitcode})")
    return result


def _index(lake: Lake, es_url: str, progress: bool) -> dict[str, Any]:
    from elasticsearch import Elasticsearch

    from commentscope.index import index_lake

    es = Elasticsearch(es_url, request_timeout=300)
    try:
        with measure() as meter:
            result = index_lake(es, lake, prefix="bench-e2e", on_progress=_printer("index") if progress else None)
        out = figures(meter, result.indexed) | {"rejected": len(result.rejected), "index_count": result.index_count}
        es.indices.delete(index=result.index, ignore_unavailable=True)
        return out
    finally:
        es.close()


def _printer(stage: str):  # noqa: ANN202 - a progress callback
    def show(done: int, total: int) -> None:
        print(f"  {stage} {done}/{total}", end="\r", flush=True)

    return show


def _bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/commentscope-bench/e2e"))
    parser.add_argument("--es-url", default=None, help="a running node (bench.run starts one)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--rows-per-file", type=int, default=ROWS_PER_FILE)
    parser.add_argument("--name", default=None, help="results file name (default e2e-SIZE)")
    parser.add_argument("--results", type=Path, default=None)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    payload = run(
        args.size,
        args.work / str(args.size),
        es_url=args.es_url,
        workers=args.workers,
        rows_per_file=args.rows_per_file,
        progress=not args.quiet,
    )
    path = write_result(args.name or f"e2e-{args.size}", payload, args.results)
    print(
        f"\n{path}: {payload['size']} comments in {payload['pipeline_seconds']} s, peak {payload['peak_rss_mib']} MiB"
    )


if __name__ == "__main__":
    main()
