"""Run every benchmark, each in its own process, and collect the figures in bench/results/summary.json.

``make bench`` (or ``python -m bench.run``) runs: command start-up, the NLP per-stage benchmark
(bench/bench_nlp.py), enrichment per language (synthetic text, and the real corpora when
``--corpora`` or ../shared/corpora exists), the lake at 1M records, import -> enrich with the lake
on S3Proxy beside local disk at 100k (bench/bench_s3.py), indexing against a real node, and end to
end at 100k, 300k and 1M. ``--quick`` runs small sizes (minutes, for a check, not figures).
Big runs take a while on 2 cores; the machine's load is recorded with every result.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import BENCH_DIR, RESULTS_DIR, write_result

ROOT = BENCH_DIR.parent


def _run(module: str, *args: str) -> tuple[int, float]:
    print(f"\n== {module} {' '.join(args)}", flush=True)
    start = time.perf_counter()
    code = subprocess.call([sys.executable, "-m", module, *args], cwd=ROOT)  # noqa: S603 - our own modules
    return code, round(time.perf_counter() - start, 1)


def _load(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: check that everything runs")
    parser.add_argument("--sizes", type=int, nargs="*", default=None, help="end-to-end sizes")
    parser.add_argument("--only", nargs="*", default=None, help="startup nlp enrich lake s3 index e2e")
    parser.add_argument(
        "--corpora",
        type=Path,
        default=None,
        help="labelled corpora folder for the real-text runs (default: ../shared/corpora if it exists)",
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/commentscope-bench"))
    parser.add_argument("--results", type=Path, default=RESULTS_DIR)
    args = parser.parse_args()
    sizes = args.sizes or ([5_000, 10_000] if args.quick else [200_000, 1_000_000])
    lake_size = 20_000 if args.quick else 1_000_000
    index_size = 5_000 if args.quick else 100_000
    s3_size = 5_000 if args.quick else 100_000
    wanted = set(args.only or ["startup", "nlp", "enrich", "lake", "s3", "index", "e2e"])
    results = ["--results", str(args.results)]
    corpora = ["--corpora", str(args.corpora)] if args.corpora else []
    ran: dict[str, Any] = {}

    if "startup" in wanted:
        ran["startup"] = _run(
            "bench.bench_startup", "--runs", "2" if args.quick else "5", "--work", str(args.work / "startup"), *results
        )
    if "nlp" in wanted:
        ran["nlp"] = _run(
            "bench.bench_nlp",
            "--repeat",
            "2" if args.quick else "40",
            "--distinct",
            "300" if args.quick else "3000",
            "--runs",
            "2" if args.quick else "5",
            *corpora,
            "--json",
            str(args.results / "nlp.json"),
        )
    if "enrich" in wanted:
        ran["enrich"] = _run(
            "bench.bench_enrich",
            "--per-language",
            "1000" if args.quick else "10000",
            "--runs",
            "2" if args.quick else "5",
            *corpora,
            *results,
        )
    if "lake" in wanted:
        ran["lake"] = _run("bench.bench_lake", "--size", str(lake_size), "--work", str(args.work / "lake"), *results)
    if "s3" in wanted:
        ran["s3"] = _run(
            "bench.bench_s3",
            "--size",
            str(s3_size),
            "--runs",
            "2" if args.quick else "5",
            "--work",
            str(args.work / "s3"),
            *results,
        )
    if {"index", "e2e"} & wanted:
        from bench.engine import running_engine

        with running_engine(args.work / "engine-home") as url:
            if "index" in wanted:
                ran["index"] = _run(
                    "bench.bench_index",
                    "--size",
                    str(index_size),
                    "--es-url",
                    url,
                    "--runs",
                    "2" if args.quick else "5",
                    "--work",
                    str(args.work / "index"),
                    *results,
                )
            if "e2e" in wanted:
                for size in sizes:
                    ran[f"e2e-{size}"] = _run(
                        "bench.bench_e2e",
                        "--size",
                        str(size),
                        "--es-url",
                        url,
                        "--quiet",
                        "--work",
                        str(args.work / "e2e"),
                        *results,
                    )
    summary = {
        "runs": {name: {"exit_code": code, "seconds": seconds} for name, (code, seconds) in ran.items()},
        "results": {p.stem: _load(p) for p in sorted(args.results.glob("*.json")) if p.stem != "summary"},
    }
    path = write_result("summary", summary, args.results)
    print(f"\nsummary: {path}")
    failed = [name for name, (code, _) in ran.items() if code != 0]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
