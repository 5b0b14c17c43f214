"""Deterministic SYNTHETIC comments at any scale (100k, 1M) for the benchmarks.

Each text is a demo template (imported, not copied: it carries the kind odds, targets and
code-mixing) among words drawn from a realistic vocabulary: a Zipf law over each language's word
list ranked by frequency where the installed packages ship one (English: spaCy's lexeme
probabilities; Thai: PyThaiNLP's Thai National Corpus frequencies), else stop words first and the
rest in a fixed order (Indonesian: spaCy's stop words and lemma table; Malay: spaCy's stop words,
tokenizer exceptions and the Indonesian forms they share; Tagalog: spaCy's stop words, mixed with
English as Taglish is). So rare words come up as in real comments and per-word caches miss as
often. ``DUPLICATE_SHARE`` of the rows repeat an earlier text (copy-pasted comments): the rest
are distinct, 80-90 % as docs/benchmarks.md states. Rows are in the generic import format and
point at the demo registry's videos.
"""

from __future__ import annotations

import gzip
import heapq
import importlib
import itertools
import json
import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from commentscope.atomic import write_text
from commentscope.demo import DEMO_REGISTRY
from commentscope.demo.generate import ODDS, TARGET_PHRASES, TEMPLATES
from commentscope.registry import load_registry

SEED = 20260301
ROWS_PER_FILE = 50_000
EMOJI = ["😂", "🔥", "❤️", "👏", "🙏", "😡", "🤣", "💯"]
LAUGHTER = {"th": "555", "id": "wkwk", "ms": "haha", "tl": "hahaha", "en": "lol"}
DUPLICATE_SHARE = 0.12  # a row repeats an earlier text; with chance repeats, ~85 % distinct
VOCABULARY_SIZE = 30_000  # ranks per language
ZIPF_EXPONENT = 1.0
ENGLISH_MIX = {"tl": 0.35, "id": 0.08, "ms": 0.12, "th": 0.05, "en": 0.0}  # filler words drawn from English
_WORD = re.compile(r"^[^\W\d_]+(?:['-][^\W\d_]+)*$")


def _lookups(name: str) -> dict:
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / f"{name}.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _stop_words(lang: str) -> list[str]:
    return sorted(importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS)


def _template_words(lang: str) -> list[str]:
    found = {w.strip(",.?!") for texts in TEMPLATES[lang].values() for t in texts for w in t.split() if "{" not in w}
    return sorted(w for w in found if w)


def _shuffled(words: list[str], lang: str) -> list[str]:
    random.Random(f"{SEED}-{lang}-order").shuffle(words)
    return words


def _ranked(lang: str) -> list[str]:
    """The language's words, most frequent first (where no frequencies ship: stop words first)."""
    if lang == "en":
        probs = _lookups("en_lexeme_prob")
        words = (w.lower() for w, _ in heapq.nlargest(3 * VOCABULARY_SIZE, probs.items(), key=lambda kv: kv[1]))
    elif lang == "th":
        import pythainlp.corpus

        path = Path(pythainlp.corpus.__file__).parent / "tnc_freq.txt"
        rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines())
        words = (w for w, _freq in sorted(rows, key=lambda r: -int(r[1])))
    else:
        rest: set[str] = set(_template_words(lang))
        if lang in ("id", "ms"):
            lemmas = _lookups("id_lemma_lookup")
            rest |= set(lemmas) | set(lemmas.values())
        if lang == "ms":
            rest |= set(importlib.import_module("spacy.lang.ms._tokenizer_exceptions_list").MS_BASE_EXCEPTIONS)
        stops = _stop_words(lang)
        words = itertools.chain(_shuffled(stops, lang), _shuffled(sorted(rest - set(stops)), lang))
    kept = (w for w in words if _WORD.match(w) and (lang != "th" or "\u0e00" <= w[0] <= "\u0e7f"))
    return list(itertools.islice(dict.fromkeys(kept), VOCABULARY_SIZE))


@lru_cache(maxsize=8)
def vocabulary(lang: str) -> tuple[list[str], list[float]]:
    """Words and cumulative Zipf weights (rank r drawn with odds 1/r^s), for ``random.choices``."""
    words = _ranked(lang)
    cumulative = list(itertools.accumulate(1 / rank**ZIPF_EXPONENT for rank in range(1, len(words) + 1)))
    return words, cumulative


class Synth:
    """One seeded generator; ``rows(n)`` yields the same ``n`` rows on every run."""

    def __init__(self, seed: int = SEED):
        self.seed = seed
        registry = load_registry(DEMO_REGISTRY)
        self.videos = [
            (campaign, creator, video)
            for campaign in registry.campaigns
            for creator in campaign.creators
            for video in creator.videos
        ]

    @staticmethod
    def _words(rng: random.Random, lang: str) -> str:
        """A run of filler words: length log-normal (median ~5), each word Zipf-drawn."""
        count = max(1, min(40, round(rng.lognormvariate(1.6, 0.8))))
        own, english = vocabulary(lang), vocabulary("en")
        words = []
        for _ in range(count):
            population, cumulative = english if rng.random() < ENGLISH_MIX[lang] else own
            words.append(rng.choices(population, cum_weights=cumulative)[0])
        return ("" if lang == "th" and rng.random() < 0.7 else " ").join(words)

    def _text(self, rng: random.Random, lang: str, kind: str) -> str:
        parts = [self._template(rng, lang, kind)]
        if rng.random() < 0.3:
            parts.append(self._template(rng, lang, rng.choice(["neutral", "supportive", kind])))
        if rng.random() < 0.9:
            parts.insert(rng.randint(0, len(parts)), self._words(rng, lang))
        if rng.random() < 0.15:
            parts.append(LAUGHTER[lang] + LAUGHTER[lang][-1] * rng.randint(0, 3))
        text = " ".join(parts) if lang != "th" or rng.random() < 0.5 else "".join(parts)
        if rng.random() < 0.2:
            text += " " + "".join(rng.choices(EMOJI, k=rng.randint(1, 3)))
        return text

    @staticmethod
    def _template(rng: random.Random, lang: str, kind: str) -> str:
        template = rng.choice(TEMPLATES[lang][kind])
        if "{t}" in template:
            targets = TARGET_PHRASES[lang]
            template = template.replace("{t}", rng.choice(targets[rng.choice(sorted(targets))]))
        if rng.random() < 0.05:
            template = template.replace("a", "aaa", 1)
        return template

    def rows(self, n: int, start: int = 0) -> Iterator[dict]:
        """Rows ``start`` .. ``start + n - 1``; each row depends only on the seed and its number."""
        for serial in range(start, start + n):
            yield self.row(serial)

    def row(self, serial: int) -> dict:
        rng = random.Random(self.seed * 1_000_003 + serial)
        campaign, creator, video = self.videos[serial % len(self.videos)]
        begin = datetime.combine(video.published_at or campaign.before.start, time(9), tzinfo=UTC)
        end = datetime.combine(campaign.after.end, time(23), tzinfo=UTC)
        when = min(begin + timedelta(days=rng.expovariate(1 / 16), seconds=rng.randint(0, 86_399)), end)
        period = "after" if when.date() >= campaign.launch_date and not creator.control else "before"
        lang = rng.choice(creator.languages)
        kind = rng.choices(list(ODDS[period]), weights=list(ODDS[period].values()))[0]
        comment_id = str(7461000000000000000 + serial) if video.platform == "tiktok" else f"UgBench{serial:09d}"
        parent = ""
        if serial >= len(self.videos) and rng.random() < 0.2:  # a reply to an earlier comment on the same video
            earlier = serial - len(self.videos) * rng.randint(1, min(50, serial // len(self.videos)))
            parent = str(7461000000000000000 + earlier) if video.platform == "tiktok" else f"UgBench{earlier:09d}"
        text = self._text(rng, lang, kind)
        if serial and rng.random() < DUPLICATE_SHARE:  # the text of a recent comment, pasted again
            text = self.row(max(0, serial - 1 - int(rng.expovariate(1 / 2000))))["text"]
        return {
            "platform": video.platform,
            "video_id": video.id,
            "comment_id": comment_id,
            "parent_comment_id": parent,
            "created_at": when.isoformat().replace("+00:00", "Z"),
            "text": text,
            "like_count": int(rng.expovariate(1 / 8)),
            "reply_count": 0,
            "author": f"bench_user_{rng.randint(1, 200_000):06d}",
            "synthetic": True,
        }


def texts_in(lang: str, n: int, seed: int = SEED) -> list[str]:
    """``n`` texts of one language, with the same kind odds as the corpus (per-language throughput)."""
    synth = Synth()
    rng = random.Random(f"{seed}-{lang}")
    odds = ODDS["before"]
    texts: list[str] = []
    for _ in range(n):
        text = synth._text(rng, lang, rng.choices(list(odds), weights=list(odds.values()))[0])
        texts.append(rng.choice(texts) if texts and rng.random() < DUPLICATE_SHARE else text)
    return texts


def write_files(out_dir: Path, n: int, rows_per_file: int = ROWS_PER_FILE, seed: int = SEED) -> list[Path]:
    """Write ``n`` rows as JSONL files of ``rows_per_file`` rows (as a collector would hand them over)."""
    synth = Synth(seed)
    files = []
    for number, start in enumerate(range(0, n, rows_per_file)):
        count = min(rows_per_file, n - start)
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in synth.rows(count, start))
        path = out_dir / f"synthetic-{n}-{number:04d}.jsonl"
        write_text(path, body)
        files.append(path)
    return files
