"""NLP throughput, comments per second on one core, per language and stage, beside the raw tokeniser.

    taskset -c 1 .venv/bin/python bench/bench_nlp.py [--repeat 40] [--distinct 3000] [--json out.json]

Two corpora, each stage run in batches as the enrich stage calls it:
* ``eval``: the held-out eval comments (nlp/eval/eval.jsonl) repeated ``--repeat`` times. Repeated
  texts hit the analyzer's per-text caches (language id, tokeniser), as duplicate comments do.
* ``distinct``: ``--distinct`` synthetic comments per language (bench/synth.py), all different, timed
  after a warm-up on *other* texts: per-word caches are warm, per-text caches never hit. This is the
  honest figure for a stream of new comments.
Also measures language id accuracy on the eval set for py3langid alone, lingua (5 languages) and our
combined identifier, with the id/ms pair.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/synth.py
EVAL = Path(__file__).resolve().parents[1] / "nlp" / "eval" / "eval.jsonl"
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


def _measure(lang: str, warm: list[str], timed: list[str]) -> dict[str, float]:
    """Each stage on ``timed`` after a warm-up on ``warm``; later stages get their inputs precomputed."""
    from nlp import default_analyzer
    from nlp.features import features_of
    from nlp.langid import identify_batch
    from nlp.normalize import match_form
    from nlp.tokenize import raw_tokens, tokenize_batch

    analyzer = default_analyzer()
    lexicon = analyzer.lexicon
    models = analyzer.models
    inputs = {}
    for name, texts in (("warm", warm), ("timed", timed)):
        forms = [match_form(t) for t in texts]
        inputs[name] = {"texts": texts, "forms": forms, "tokens": tokenize_batch(forms, [lang] * len(forms))}
    timed_stages: dict[str, tuple[str, Callable[[list], object]]] = {
        "baseline_raw_tokeniser": ("texts", lambda texts: [raw_tokens(t, lang) for t in texts]),
        "normalise": ("texts", lambda texts: [match_form(t) for t in texts]),
        "language_id": ("forms", _batched(lambda part: identify_batch(part, [[] for _ in part]))),
        "tokenise": ("forms", _batched(lambda part: tokenize_batch(part, [lang] * len(part)))),
        "lexicon": ("tokens", lambda tokens: [lexicon.match(t, [lang]) for t in tokens]),
        "model": ("tokens", _batched(lambda part: models.score_batch(
            [features_of(t) for t in part], [lang] * len(part)))),
        "full_analyzer": ("texts", _batched(lambda part: analyzer.analyse_batch(part, [[lang]] * len(part)))),
    }
    out = {}
    for name, (kind, stage) in timed_stages.items():
        out[name] = rate(stage, inputs["warm"][kind], inputs["timed"][kind])
    return out


def throughput(rows: list[dict], repeat: int) -> dict[str, dict[str, float]]:
    """Eval texts repeated: the warm-up and the timed run see the same texts."""
    out: dict[str, dict[str, float]] = {}
    for lang in LANGS:
        texts = [r["text"] for r in rows if r["lang"] == lang] * repeat
        out[lang] = _measure(lang, texts, texts)
    return out


def throughput_distinct(n: int) -> dict[str, dict[str, float]]:
    """``n`` distinct synthetic texts per language, after a warm-up on ``n`` other ones."""
    from synth import texts_in

    out: dict[str, dict[str, float]] = {}
    for lang in LANGS:
        unique = list(dict.fromkeys(texts_in(lang, 6 * n)))
        if len(unique) < 2 * n:
            raise SystemExit(f"only {len(unique)} distinct {lang} texts; use a smaller --distinct")
        out[lang] = _measure(lang, unique[:n], unique[n : 2 * n])
    return out


def _each(fn: Callable[[str], str]) -> Callable[[list[str]], list[str]]:
    return lambda texts: [fn(t) for t in texts]


def language_id(rows: list[dict]) -> dict[str, dict[str, float]]:
    from lingua import Language, LanguageDetectorBuilder
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from nlp.langid import identify_batch
    from nlp.normalize import match_form

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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--distinct", type=int, default=3000, help="distinct synthetic texts per language")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    figures = {
        "throughput_per_core": throughput(rows, args.repeat),
        "throughput_per_core_distinct": throughput_distinct(args.distinct),
        "language_id": language_id(rows),
    }
    for key, title in (("throughput_per_core", f"eval texts x{args.repeat}"),
                       ("throughput_per_core_distinct", f"{args.distinct} distinct synthetic texts")):
        names = list(next(iter(figures[key].values())))
        print(f"comments/s on one core, {title}")
        print("lang".ljust(6) + "".join(s[:14].rjust(15) for s in names))
        for lang, row in figures[key].items():
            print(lang.ljust(6) + "".join(f"{row[s]:15,.0f}" for s in names))
    print("\nlanguage id on nlp/eval/eval.jsonl (no hints)")
    for name, row in figures["language_id"].items():
        print(f"  {name:13} accuracy {row['accuracy']:.3f}  id/ms {row['id_ms_accuracy']:.3f}  "
              f"{row['us_per_comment']:.0f} µs/comment")
    if args.json:
        from commentscope.atomic import write_text

        write_text(args.json, json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
