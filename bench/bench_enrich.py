"""Enrichment throughput per language on one core: the analyzer alone vs the project's enrich stage.

``analyzer.analyse_batch`` alone is the baseline; ``enrich_batch`` adds what the project does
around it (hints, period, pseudonymous author key, Arrow columns, contract checks). The ratio is
the project's overhead. Per-stage figures of the analyzer itself (normalise, language id,
tokenise, tag, each beside the bare library) are bench/bench_nlp.py's job.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from bench.common import rate, write_result
from bench.synth import texts_in
from commentscope.demo import DEMO_REGISTRY
from commentscope.enrich import BATCH, _Context, enrich_batch
from commentscope.lake import RAW_LAKE_SCHEMA
from commentscope.registry import load_registry
from commentscope.schema import LANGUAGES
from commentscope.settings import DEMO_SALT

CREATOR_OF = {
    "th": "demo-th-nok", "id": "demo-id-raka", "ms": "demo-my-aina", "tl": "demo-ph-migs", "en": "demo-ph-control",
}


def _raw_batch(texts: list[str], lang: str) -> pa.RecordBatch:
    now = datetime(2026, 2, 20, tzinfo=UTC)
    rows = [
        {"id": f"tiktok:{i}", "platform": "tiktok", "comment_id": str(i), "campaign": "demo-forward",
         "creator": CREATOR_OF[lang], "country": "XX", "video_id": "1", "video_url": None, "campaign_video": False,
         "parent_id": None, "created_at": now, "collected_at": now, "text": text, "like_count": 0,
         "reply_count": 0, "author_handle": f"user{i % 5000}", "source": "bench", "fingerprint": str(i)}
        for i, text in enumerate(texts)
    ]
    return pa.RecordBatch.from_pylist(rows, schema=RAW_LAKE_SCHEMA)


def _cpu_timed(fn) -> tuple[float, float]:  # noqa: ANN001 - a thunk
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def run(per_language: int = 10_000) -> dict[str, Any]:
    from nlp import default_analyzer

    analyzer = default_analyzer()
    registry = load_registry(DEMO_REGISTRY)
    context = _Context(registry, DEMO_SALT)
    out: dict[str, Any] = {"per_language": per_language, "batch": BATCH, "tagger_version": analyzer.version,
                           "languages": {}}
    for lang in LANGUAGES:
        hints = [list(registry.campaign("demo-forward").creator(CREATOR_OF[lang]).languages)] * BATCH
        # two distinct text sets, each measured both ways in crossed order, so neither side profits
        # more than the other from the analyzer's caches
        sets = [texts_in(lang, per_language, seed) for seed in (1, 2)]
        analyzer.analyse_batch(texts_in(lang, 200, 3), hints[:200])  # lazy models load outside the timing

        def bare(texts: list[str], hints: list[list[str]] = hints) -> None:
            for i in range(0, len(texts), BATCH):
                chunk = texts[i : i + BATCH]
                analyzer.analyse_batch(chunk, hints[: len(chunk)])

        raw = {id(texts): [_raw_batch(texts[i : i + BATCH], lang) for i in range(0, len(texts), BATCH)]
               for texts in sets}  # built outside the timing: the stage gets Arrow batches from the lake

        def stage(texts: list[str], raw: dict[int, list[pa.RecordBatch]] = raw) -> None:
            for batch in raw[id(texts)]:
                enrich_batch(batch, analyzer, context)

        timings = {"bare": [0.0, 0.0], "stage": [0.0, 0.0]}
        for kind, texts in (("bare", sets[0]), ("stage", sets[1]), ("bare", sets[1]), ("stage", sets[0])):
            fn = bare if kind == "bare" else stage
            wall, cpu = _cpu_timed(lambda fn=fn, texts=texts: fn(texts))
            timings[kind][0] += wall
            timings[kind][1] += cpu
        count = 2 * per_language
        (bare_wall, bare_cpu), (stage_wall, stage_cpu) = timings["bare"], timings["stage"]
        per_language_count = count
        out["languages"][lang] = {
            "analyzer_alone_per_cpu_second": rate(per_language_count, bare_cpu),
            "enrich_stage_per_cpu_second": rate(per_language_count, stage_cpu),
            "analyzer_alone_per_second": rate(per_language_count, bare_wall),
            "enrich_stage_per_second": rate(per_language_count, stage_wall),
            "overhead_ratio": round(stage_cpu / bare_cpu, 3) if bare_cpu else None,
            "target_per_core": 2000 if lang == "th" else 5000,
        }
        print(f"  {lang}: {out['languages'][lang]}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-language", type=int, default=10_000)
    parser.add_argument("--results", type=Path, default=None)
    args = parser.parse_args()
    path = write_result("enrich", run(args.per_language), args.results)
    print(path)


if __name__ == "__main__":
    main()
