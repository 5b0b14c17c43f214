"""NLP throughput, comments per second on one core, per language and stage, beside the raw tokeniser.

    .venv/bin/python bench/bench_nlp.py [--repeat 40] [--json out.json]

Texts are the held-out eval comments (nlp/eval/eval.jsonl) repeated; each stage runs in batches as the
enrich stage calls it. Also measures language id accuracy on the same set for py3langid alone,
lingua (5 languages) and our combined identifier, with the id/ms pair.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

EVAL = Path(__file__).resolve().parents[1] / "nlp" / "eval" / "eval.jsonl"


def rate(fn: Callable[[], object], n: int) -> float:
    fn()  # warm caches
    start = time.perf_counter()
    fn()
    return n / (time.perf_counter() - start)


def throughput(rows: list[dict], repeat: int) -> dict[str, dict[str, float]]:
    from nlp import default_analyzer
    from nlp.langid import identify_batch
    from nlp.normalize import match_form
    from nlp.tokenize import raw_tokens, tokenize_batch

    analyzer = default_analyzer()
    lexicon = analyzer.lexicon
    scorer = analyzer.scorers[0]
    out: dict[str, dict[str, float]] = {}
    for lang in ("th", "id", "ms", "tl", "en"):
        texts = [r["text"] for r in rows if r["lang"] == lang] * repeat
        n = len(texts)
        forms = [match_form(t) for t in texts]
        langs = [lang] * n
        tokens = tokenize_batch(forms, langs)
        out[lang] = {
            "baseline_raw_tokeniser": rate(lambda: [raw_tokens(t, lang) for t in texts], n),  # noqa: B023
            "normalise": rate(lambda: [match_form(t) for t in texts], n),  # noqa: B023
            "language_id": rate(lambda: identify_batch(forms, [[] for _ in forms]), n),  # noqa: B023
            "tokenise": rate(lambda: tokenize_batch(forms, langs), n),  # noqa: B023
            "lexicon": rate(lambda: [lexicon.match(t, [lang]) for t in tokens], n),  # noqa: B023
            "model": rate(lambda: scorer.score_batch(forms, langs), n),  # noqa: B023
            "full_analyzer": rate(lambda: analyzer.analyse_batch(texts, [[lang]] * n), n),  # noqa: B023
        }
    return out


def language_id(rows: list[dict]) -> dict[str, dict[str, float]]:
    from lingua import Language, LanguageDetectorBuilder
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from nlp.langid import identify
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
        "commentscope": lambda t: identify(match_form(t)).language,
    }
    result = {}
    for name, fn in methods.items():
        start = time.perf_counter()
        predicted = [fn(r["text"]) for r in rows]
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
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    figures = {"throughput_per_core": throughput(rows, args.repeat), "language_id": language_id(rows)}
    stages = list(next(iter(figures["throughput_per_core"].values())))
    print("comments/s on one core".ljust(26) + "".join(s[:14].rjust(15) for s in stages))
    for lang, row in figures["throughput_per_core"].items():
        print(lang.ljust(26) + "".join(f"{row[s]:15,.0f}" for s in stages))
    print("\nlanguage id on nlp/eval/eval.jsonl (no hints)")
    for name, row in figures["language_id"].items():
        print(f"  {name:13} accuracy {row['accuracy']:.3f}  id/ms {row['id_ms_accuracy']:.3f}  "
              f"{row['us_per_comment']:.0f} µs/comment")
    if args.json:
        from commentscope.atomic import write_text

        write_text(args.json, json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
