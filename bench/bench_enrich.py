"""Enrichment throughput per language on one core: the analyzer alone vs the project's enrich stage.

``analyzer.analyse_batch`` alone is the baseline; ``enrich_batch`` adds what the project does
around it (hints, period, pseudonymous author key, Arrow columns, contract checks). The ratio is
the project's overhead. ``--runs`` pairs in alternating order, median and range; on synthetic text
(bench/synth.py) and, when the labelled corpora exist (``--corpora``, $COMMENTSCOPE_CORPORA or
../shared/corpora), on real comments per language. Per-stage figures of the analyzer itself (normalise, language id,
tokenise, tag, each beside the bare library) are bench/bench_nlp.py's job.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from bench.common import corpora_dir, corpus_texts, rate, write_result
from bench.synth import texts_in
from commentscope.demo import DEMO_REGISTRY
from commentscope.enrich import BATCH, _Context, enrich_batch
from commentscope.lake import RAW_LAKE_SCHEMA
from commentscope.registry import load_registry
from commentscope.schema import LANGUAGES
from commentscope.settings import DEMO_SALT

CREATOR_OF = {
    "th": "demo-th-nok",
    "id": "demo-id-raka",
    "ms": "demo-my-aina",
    "tl": "demo-ph-migs",
    "en": "demo-ph-control",
}


def _raw_batch(texts: list[str], lang: str) -> pa.RecordBatch:
    now = datetime(2026, 2, 20, tzinfo=UTC)
    rows = [
        {
            "id": f"tiktok:{i}",
            "platform": "tiktok",
            "comment_id": str(i),
            "campaign": "demo-forward",
            "creator": CREATOR_OF[lang],
            "country": "XX",
            "video_id": "1",
            "video_url": None,
            "campaign_video": False,
            "parent_id": None,
            "created_at": now,
            "collected_at": now,
            "text": text,
            "like_count": 0,
            "reply_count": 0,
            "author_handle": f"user{i % 5000}",
            "source": "bench",
            "fingerprint": str(i),
        }
        for i, text in enumerate(texts)
    ]
    return pa.RecordBatch.from_pylist(rows, schema=RAW_LAKE_SCHEMA)


def _cpu_timed(fn) -> tuple[float, float]:  # noqa: ANN001 - a thunk
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def _language(lang: str, sets: list[list[str]], analyzer, context, hints_for, runs: int) -> dict[str, Any]:  # noqa: ANN001
    """``runs`` pairs (analyzer alone, enrich stage), alternating which goes first and which text set each gets."""
    hints = hints_for(lang)

    def bare(texts: list[str]) -> None:
        for i in range(0, len(texts), BATCH):
            chunk = texts[i : i + BATCH]
            analyzer.analyse_batch(chunk, hints[: len(chunk)])

    raw = {
        id(texts): [_raw_batch(texts[i : i + BATCH], lang) for i in range(0, len(texts), BATCH)] for texts in sets
    }  # built outside the timing: the stage gets Arrow batches from the lake

    def stage(texts: list[str]) -> None:
        for batch in raw[id(texts)]:
            enrich_batch(batch, analyzer, context)

    rates: dict[str, list[float]] = {"bare": [], "stage": []}
    overheads = []
    for number in range(runs):
        order = [("bare", bare, sets[number % 2]), ("stage", stage, sets[(number + 1) % 2])]
        got = {}
        for kind, fn, texts in order if number % 2 == 0 else order[::-1]:
            _wall, cpu = _cpu_timed(lambda fn=fn, texts=texts: fn(texts))
            got[kind] = cpu
            rates[kind].append(rate(len(texts), cpu))
        overheads.append(got["stage"] / got["bare"] if got["bare"] else float("nan"))
    return {
        "comments_per_set": len(sets[0]),
        "analyzer_alone_per_cpu_second": _spread(rates["bare"]),
        "enrich_stage_per_cpu_second": _spread(rates["stage"]),
        "overhead_ratio_median": round(statistics.median(overheads), 3),
        "target_per_core": 2000 if lang == "th" else 5000,
    }


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 1), "min": min(values), "max": max(values)}


def run(per_language: int = 10_000, runs: int = 5, corpora: Path | None = None) -> dict[str, Any]:
    from commentscope.nlp import default_analyzer

    analyzer = default_analyzer()
    registry = load_registry(DEMO_REGISTRY)
    context = _Context(registry, DEMO_SALT)
    folder = corpora_dir(corpora)
    out: dict[str, Any] = {
        "per_language": per_language,
        "batch": BATCH,
        "runs": runs,
        "tagger_version": analyzer.version,
        "languages": {},
        "corpora": {},
    }

    def hints_for(lang: str) -> list[list[str]]:
        return [list(registry.campaign("demo-forward").creator(CREATOR_OF[lang]).languages)] * BATCH

    for lang in LANGUAGES:
        analyzer.analyse_batch(texts_in(lang, 200, 3), hints_for(lang)[:200])  # lazy models load outside the timing
        # two distinct text sets, alternating between the two sides, so neither profits more from caches
        sets = [texts_in(lang, per_language, seed) for seed in (1, 2)]
        out["languages"][lang] = _language(lang, sets, analyzer, context, hints_for, runs)
        print(f"  synthetic {lang}: {out['languages'][lang]}", flush=True)
        if folder is not None:
            real = corpus_texts(folder, lang, 2 * per_language)
            half = len(real) // 2
            if half >= 100:
                out["corpora"][lang] = _language(
                    lang, [real[:half], real[half : 2 * half]], analyzer, context, hints_for, runs
                )
                print(f"  real {lang}: {out['corpora'][lang]}", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-language", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="pairs per language (median and range)")
    parser.add_argument("--corpora", type=Path, default=None, help="labelled corpora folder (*/train.jsonl)")
    parser.add_argument("--results", type=Path, default=None)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}", flush=True)
    path = write_result("enrich", run(args.per_language, args.runs, args.corpora), args.results)
    print(f"load average after: {os.getloadavg()}; {path}")


if __name__ == "__main__":
    main()
