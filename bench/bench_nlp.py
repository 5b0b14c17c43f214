"""NLP throughput, comments per second on one core, per language and stage, beside the raw tokeniser.

    taskset -c 1 .venv/bin/python -m bench.bench_nlp [--runs 5] [--repeat 40] [--distinct 3000]
        [--corpora DIR] [--json out.json]

Up to three corpora, each stage run in batches as the enrich stage calls it:
* ``eval``: the held-out eval comments (commentscope/nlp/eval/eval.jsonl) repeated ``--repeat`` times. Repeated
  texts hit the analyzer's per-text caches (language id, tokeniser), as duplicate comments do.
* ``distinct``: ``--distinct`` synthetic comments per language (bench/synth.py: Zipf over real word
  lists), all different, timed after a warm-up on *other* texts, each run on its own slice of them:
  per-text caches never hit, and each run meets words the way a stream of new comments does.
* ``corpora``: ``--distinct`` real comments per language from the labelled corpora (``--corpora``,
  $COMMENTSCOPE_CORPORA or ../shared/corpora, when it exists), warm-up on other real comments.
Every stage is timed ``--runs`` times, each time beside the bare tokeniser in alternating order
(baseline first, then stage first, ...): median and range of both, in the same run.
Then ``analyse()`` one comment per call (median and p90 CPU ms; synthetic and real). Also measures
language id accuracy on the eval set for py3langid alone, lingua (5 languages) and our
combined identifier, with the id/ms pair.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout, when run as a script
EVAL = Path(__file__).resolve().parents[1] / "commentscope" / "nlp" / "eval" / "eval.jsonl"
LANGS = ("th", "id", "ms", "tl", "en")
BATCH = 2000  # the enrich stage's batch size (commentscope/enrich.py)


def rate(stage: Callable[[list[str]], object], warm: list[str], timed: list[str]) -> float:
    """Comments per second of ``stage`` on ``timed``, after one call on ``warm``."""
    stage(warm)
    start = time.perf_counter()
    stage(timed)
    return len(timed) / (time.perf_counter() - start)


def _batched(fn: Callable[[list[str]], object]) -> Callable[[list[str]], None]:
    def run(texts: list[str]) -> None:
        for start in range(0, len(texts), BATCH):
            fn(texts[start : start + BATCH])

    return run


def _measure(lang: str, warm: list[str], timed: list[str], runs: int = 5) -> dict[str, dict[str, float]]:
    """Each stage on ``timed`` after a warm-up on ``warm``; later stages get their inputs precomputed.

    ``runs`` times per stage, each paired with the bare tokeniser in alternating order. Each run of a stage
    times its own slice of ``timed`` (``runs`` disjoint slices): the analyzer keeps per-word tables, so a
    second run over the same texts would time words it has already seen, not a stream of new comments.
    """
    from commentscope.nlp import default_analyzer
    from commentscope.nlp.features import features_of
    from commentscope.nlp.langid import identify_batch
    from commentscope.nlp.normalize import match_form
    from commentscope.nlp.tokenize import raw_tokens, tokenize_batch

    analyzer = default_analyzer()
    lexicon = analyzer.lexicon
    models = analyzer.models
    inputs = {}
    step = max(1, len(timed) // runs)
    slices = [("warm", warm)] + [(f"timed{k}", timed[k * step : (k + 1) * step]) for k in range(runs)]
    for name, texts in slices:
        forms = [match_form(t) for t in texts]
        inputs[name] = {"texts": texts, "forms": forms, "tokens": tokenize_batch(forms, [lang] * len(forms))}
    timed_stages: dict[str, tuple[str, Callable[[list], object]]] = {
        "baseline_raw_tokeniser": ("texts", lambda texts: [raw_tokens(t, lang) for t in texts]),
        "normalise": ("texts", lambda texts: [match_form(t) for t in texts]),
        "language_id": ("forms", _batched(lambda part: identify_batch(part, [[] for _ in part]))),
        "tokenise": ("forms", _batched(lambda part: tokenize_batch(part, [lang] * len(part)))),
        "lexicon": ("tokens", lambda tokens: [lexicon.match(t, [lang]) for t in tokens]),
        "model": (
            "tokens",
            _batched(lambda part: models.score_batch(list(map(features_of, part)), [lang] * len(part))),
        ),
        "full_analyzer": ("texts", _batched(lambda part: analyzer.analyse_batch(part, [[lang]] * len(part)))),
    }
    baseline_name, (baseline_kind, baseline) = next(iter(timed_stages.items()))
    out: dict[str, dict[str, float]] = {}
    for name, (kind, stage) in timed_stages.items():
        if name == baseline_name:
            continue
        rates, bare = [], []
        for number in range(runs):
            pair = [("bare", baseline, baseline_kind), ("stage", stage, kind)]
            for side, fn, what in pair if number % 2 == 0 else pair[::-1]:
                timed_slice = inputs[f"timed{number}"][what]
                (bare if side == "bare" else rates).append(rate(fn, inputs["warm"][what], timed_slice))
        out[name] = {
            "median": round(statistics.median(rates)),
            "min": round(min(rates)),
            "max": round(max(rates)),
            "bare_tokeniser_median": round(statistics.median(bare)),
        }
    return out


def throughput(rows: list[dict], repeat: int, runs: int) -> dict[str, dict]:
    """Eval texts repeated: the warm-up and the timed run see the same texts."""
    out: dict[str, dict] = {}
    for lang in LANGS:
        texts = [r["text"] for r in rows if r["lang"] == lang] * repeat
        out[lang] = _measure(lang, texts, texts, runs)
    return out


def throughput_distinct(n: int, runs: int) -> dict[str, dict]:
    """``n`` distinct synthetic texts per language, after a warm-up on ``n`` other ones."""
    from bench.synth import texts_in

    out: dict[str, dict] = {}
    for lang in LANGS:
        unique = list(dict.fromkeys(texts_in(lang, 3 * n)))
        if len(unique) < 2 * n:
            raise SystemExit(f"only {len(unique)} distinct {lang} texts; use a smaller --distinct")
        out[lang] = _measure(lang, unique[:n], unique[n : 2 * n], runs)
    return out


def _synthetic_texts(lang: str, n: int) -> list[str]:
    from bench.synth import texts_in

    return list(dict.fromkeys(texts_in(lang, 2 * n)))[:n]


def _real_texts(folder: Path, lang: str, n: int) -> list[str]:
    from bench.common import corpus_texts

    return corpus_texts(folder, lang, 3 * n)[-n:]  # not the comments the throughput runs use first


def throughput_corpora(folder: Path, n: int, runs: int) -> dict[str, dict]:
    """Up to ``n`` real comments per language, after a warm-up on up to ``n`` other real ones."""
    from bench.common import corpus_texts

    out: dict[str, dict] = {}
    for lang in LANGS:
        texts = corpus_texts(folder, lang, 2 * n)
        half = len(texts) // 2
        if half < 100:
            continue
        out[lang] = _measure(lang, texts[:half], texts[half : 2 * half], runs) | {"comments": half}
    return out


def single_analyse(texts_of: Callable[[str, int], list[str]], n: int = 1000) -> dict[str, dict[str, float]]:
    """``CommentAnalyzer.analyse()`` on one comment at a time (``commentscope tag``, an API call): CPU ms per
    call, median and 90th percentile over ``n`` distinct comments, after ``n // 2`` single calls on others."""
    from commentscope.nlp import default_analyzer

    analyzer = default_analyzer()
    out: dict[str, dict[str, float]] = {}
    for lang in LANGS:
        texts = texts_of(lang, n + n // 2)
        if len(texts) < n:
            continue
        for text in texts[n:]:
            analyzer.analyse(text, [lang])
        times = []
        for text in texts[:n]:
            start = time.process_time()
            analyzer.analyse(text, [lang])
            times.append(time.process_time() - start)
        times.sort()
        out[lang] = {
            "median_ms": round(statistics.median(times) * 1e3, 2),
            "p90_ms": round(times[int(0.9 * len(times))] * 1e3, 2),
            "comments": n,
        }
    return out


def _each(fn: Callable[[str], str]) -> Callable[[list[str]], list[str]]:
    return lambda texts: [fn(t) for t in texts]


def language_id(rows: list[dict]) -> dict[str, dict[str, float]]:
    from lingua import Language, LanguageDetectorBuilder
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from commentscope.nlp.langid import identify_batch
    from commentscope.nlp.normalize import match_form

    plain = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    plain.set_languages(["th", "id", "ms", "tl", "en"])
    lingua = LanguageDetectorBuilder.from_languages(
        Language.THAI, Language.INDONESIAN, Language.MALAY, Language.TAGALOG, Language.ENGLISH
    ).build()
    codes = {"THAI": "th", "INDONESIAN": "id", "MALAY": "ms", "TAGALOG": "tl", "ENGLISH": "en"}
    methods: dict[str, Callable[[str], str]] = {
        "py3langid": lambda t: plain.classify(t)[0],
        "lingua": lambda t: codes[lingua.detect_language_of(t).name] if lingua.detect_language_of(t) else "und",
    }
    batches: dict[str, Callable[[list[str]], list[str]]] = {name: _each(fn) for name, fn in methods.items()}
    # Ours as the pipeline calls it: one batch (a per-text call would pay the batch set-up each time).
    batches["commentscope"] = lambda texts: [
        g.language for g in identify_batch([match_form(t) for t in texts], [[] for _ in texts])
    ]
    identify_batch(["warm up"], [[]])
    result = {}
    for name, fn in batches.items():
        start = time.perf_counter()
        predicted = fn([r["text"] for r in rows])
        per_comment_us = (time.perf_counter() - start) / len(rows) * 1e6
        pairs = list(zip((r["lang"] for r in rows), predicted, strict=True))
        idms = [(g, p) for g, p in pairs if g in ("id", "ms")]
        result[name] = {
            "accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 3),
            "id_ms_accuracy": round(sum(g == p for g, p in idms) / len(idms), 3),
            "us_per_comment": round(per_comment_us, 1),
        }
    return result


def main() -> None:
    from bench.common import corpora_dir, machine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per stage (median and range)")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--distinct", type=int, default=3000, help="distinct texts per language (synthetic, real)")
    parser.add_argument("--corpora", type=Path, default=None, help="labelled corpora folder (*/train.jsonl)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}", flush=True)
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    figures: dict = {
        "runs": args.runs,
        "throughput_per_core": throughput(rows, args.repeat, args.runs),
        "throughput_per_core_distinct": throughput_distinct(args.distinct, args.runs),
    }
    folder = corpora_dir(args.corpora)
    if folder is not None:
        figures["throughput_per_core_corpora"] = throughput_corpora(folder, args.distinct, args.runs)
    figures["single_analyse_synthetic"] = single_analyse(_synthetic_texts)
    if folder is not None:
        figures["single_analyse_corpora"] = single_analyse(lambda lang, n: _real_texts(folder, lang, n))
    figures["language_id"] = language_id(rows)
    for key, title in (
        ("throughput_per_core", f"eval texts x{args.repeat}"),
        ("throughput_per_core_distinct", f"{args.distinct} distinct synthetic texts"),
        ("throughput_per_core_corpora", f"up to {args.distinct} real comments"),
    ):
        if not figures.get(key):
            continue
        names = [n for n in next(iter(figures[key].values())) if n != "comments"]
        print(f"comments/s on one core, {title}: median [min-max] of {args.runs} runs; bare tokeniser median")
        for lang, row in figures[key].items():
            cells = [f"{n} {row[n]['median']:,} [{row[n]['min']:,}-{row[n]['max']:,}]" for n in names]
            print(f"  {lang}: " + "; ".join(cells) + f"; bare {row[names[0]]['bare_tokeniser_median']:,}")
    for key in ("single_analyse_synthetic", "single_analyse_corpora"):
        if figures.get(key):
            cells = [f"{lang} {row['median_ms']} (p90 {row['p90_ms']})" for lang, row in figures[key].items()]
            print(f"one comment per analyse() call, {key.removeprefix('single_analyse_')}, CPU ms: " + "; ".join(cells))
    print("\nlanguage id on commentscope/nlp/eval/eval.jsonl (no hints)")
    for name, row in figures["language_id"].items():
        print(
            f"  {name:13} accuracy {row['accuracy']:.3f}  id/ms {row['id_ms_accuracy']:.3f}  "
            f"{row['us_per_comment']:.0f} µs/comment"
        )
    figures["machine"] = machine()  # CPU model and the load average at the end
    print(f"load average after: {os.getloadavg()}")
    if args.json:
        from commentscope.atomic import write_text

        write_text(args.json, json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
