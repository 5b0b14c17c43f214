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

CREATOR_OF = {"th": "demo-th-nok", "id": "demo-id-raka", "ms": "demo-my-aina", "tl": "demo-ph-migs", "en": "demo-ph-control"}


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
        texts = texts_in(lang, per_language)
        hints = [list(registry.campaign("demo-forward").creator(CREATOR_OF[lang]).languages)] * BATCH
        batches = [_raw_batch(texts[i : i + BATCH], lang) for i in range(0, len(texts), BATCH)]
        analyzer.analyse_batch(texts[:200], hints[:200])  # warm caches and lazy models

        def bare(texts: list[str] = texts, hints: list[list[str]] = hints) -> None:
            for i in range(0, len(texts), BATCH):
                chunk = texts[i : i + BATCH]
                analyzer.analyse_batch(chunk, hints[: len(chunk)])

        def stage(batches: list[pa.RecordBatch] = batches) -> None:
            for batch in batches:
                enrich_batch(batch, analyzer, context)

        bare_wall, bare_cpu = _cpu_timed(bare)
        stage_wall, stage_cpu = _cpu_timed(stage)
        out["languages"][lang] = {
            "analyzer_alone_per_cpu_second": rate(per_language, bare_cpu),
            "enrich_stage_per_cpu_second": rate(per_language, stage_cpu),
            "analyzer_alone_per_second": rate(per_language, bare_wall),
            "enrich_stage_per_second": rate(per_language, stage_wall),
            "overhead_ratio": round(stage_cpu / bare_cpu, 3) if bare_cpu else None,
            "target_per_core": 2000 if lang == "th" else 5000,
        }
        print(f"  {lang}: {out['languages'][lang]}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-language", type=int, default=10_000)
    parser.add_argument("--results", default=None)
    args = parser.parse_args()
    path = write_result("enrich", run(args.per_language), args.results)
    print(path)


if __name__ == "__main__":
    main()
