"""Per-language tokenisation: nlpO3 (PyThaiNLP's newmm dictionary, Rust) for Thai, spaCy blank tokenisers
for id/ms/tl/en, with offline stop words and lookup lemmas where spaCy ships them.

Tokenisers and tables load once per process, each language's on first use (the Indonesian and
Malay spaCy tokenisers take seconds: 16k and 9k special cases); the batch entry point keeps
spaCy's ``tokenizer.pipe`` and nlpO3's Rust loop busy instead of paying Python overhead per call.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from commentscope.atomic import write_text
from commentscope.nlp.normalize import emoji_name, is_emoji

_THAI_CHAR = re.compile(r"[\u0e00-\u0e7f]")
_WORDLIKE = re.compile(r"\w")
# Malay has no lemma table in spacy-lookups-data; Indonesian's (same affix system) is the closest fit.
_LEMMA_TABLE = {"en": "en", "id": "id", "ms": "id"}
SPACY_LANGS = ("id", "ms", "tl", "en")


@lru_cache(maxsize=1)
def thai_engine() -> str:
    """``nlpo3`` when the Rust binding is installed (about 30x newmm's speed, same output), else ``newmm``."""
    try:
        import nlpo3
        from pythainlp.corpus import get_corpus_path  # noqa: F401
    except ImportError:
        return "newmm"
    import pythainlp.corpus

    words = Path(pythainlp.corpus.__file__).parent / "words_th.txt"
    if not words.exists():
        return "newmm"
    nlpo3.load_dict(str(words), "commentscope_th")
    return "nlpo3"


def thai_segment(text: str) -> list[str]:
    """Thai word segmentation with PyThaiNLP's dictionary (newmm algorithm)."""
    if thai_engine() == "nlpo3":
        import nlpo3

        return nlpo3.segment(text, "commentscope_th")
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text, engine="newmm")


@lru_cache(maxsize=8)
def spacy_tokenizer(lang: str):  # noqa: ANN201 - spaCy's Tokenizer type
    import spacy

    return spacy.blank(lang).tokenizer


@lru_cache(maxsize=8)
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's offline stop-word list for ``lang`` (all five languages have one)."""
    import importlib

    module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
    return frozenset(module.STOP_WORDS)


@lru_cache(maxsize=8)
def lemma_table(lang: str):  # noqa: ANN201 - a spaCy lookups Table (keys are hashes) or a dict
    """Lookup lemmas from spacy-lookups-data (installed, so offline); empty when none exists."""
    source = _LEMMA_TABLE.get(lang)
    if not source:
        return {}
    from spacy.lookups import load_lookups

    return load_lookups(source, ["lemma_lookup"]).get_table("lemma_lookup")


def _wordlike(token: str) -> bool:
    return bool(_WORDLIKE.search(token)) or is_emoji(token[:1])


def _named(token: str) -> str:
    """Emoji become ``:name:`` tokens (searchable, and lexicons can list emoji used as slurs)."""
    return emoji_name(token[0]) if is_emoji(token[0]) else token


_KEPT: dict[str, str | None] = {}  # str -> str: a dict the garbage collector never needs to scan


def _kept(token: str) -> str | None:
    """The stored form of a token (emoji named), or None for punctuation; memoised: vocabularies are small."""
    try:
        return _KEPT[token]
    except KeyError:
        if len(_KEPT) >= 200_000:  # a bound on memory, not an eviction policy
            _KEPT.clear()
        kept = _KEPT[token] = _named(token) if _wordlike(token) else None
        return kept


_KEPT_BY_ORTH: dict[int, str | None] = {}  # spaCy's hash of a token's text -> its stored form or None


def _kept_of_doc(doc) -> list[str]:  # noqa: ANN001 - spaCy's Doc
    """``_kept`` of every non-space token, read from the doc's array of text hashes (no Token objects)."""
    from spacy.attrs import ORTH

    memo, out = _KEPT_BY_ORTH, []
    for orth in doc.to_array(ORTH).tolist():
        if orth in memo:
            kept = memo[orth]
        else:
            if len(memo) >= 200_000:  # a bound on memory, not an eviction policy
                memo.clear()
            text = doc.vocab.strings[orth]
            kept = memo[orth] = None if text.isspace() else _kept(text)
        if kept is not None:
            out.append(kept)
    return out


def raw_tokens(text: str, lang: str) -> list[str]:
    """Every non-space token of an already normalised text, no filtering (the benchmark's baseline)."""
    if lang == "th" or _THAI_CHAR.search(text):
        return [t for t in thai_segment(text) if t.strip()]
    tok = spacy_tokenizer(lang if lang in SPACY_LANGS else "en")
    return [t.text for t in tok(text) if not t.is_space]


def tokenize_batch(texts: Sequence[str], langs: Sequence[str]) -> list[list[str]]:
    """All tokens (no punctuation) of match-form texts, grouped per language for ``tokenizer.pipe``.

    A text repeated in the batch (emoji-only comments, "first", "wkwk") is tokenised once.
    """
    out: list[list[str]] = [[] for _ in texts]
    by_lang: dict[str, dict[str, list[int]]] = {}
    for i, lang in enumerate(langs):
        key = lang if lang in SPACY_LANGS or lang == "th" else "en"
        by_lang.setdefault(key, {}).setdefault(texts[i], []).append(i)
    kept = _kept
    for lang, positions in by_lang.items():
        if lang == "th":
            found = ([k for t in raw_tokens(text, "th") if (k := kept(t)) is not None] for text in positions)
        else:
            found = (_kept_of_doc(doc) for doc in spacy_tokenizer(lang).pipe(positions))
        for idx, tokens in zip(positions.values(), found, strict=True):
            out[idx[0]] = tokens
            for i in idx[1:]:
                out[i] = list(tokens)
    return out


CACHE_ENV = "COMMENTSCOPE_CACHE"


def cache_dir() -> Path:
    """Where fixed texts' tokens are kept: ``$COMMENTSCOPE_CACHE``, else the user's cache folder."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "commentscope"


@lru_cache(maxsize=1)
def _tokeniser_identity() -> str:
    """What the tokens depend on besides the texts: this code, the libraries, Python's Unicode tables."""
    here = Path(__file__).resolve().parent
    parts: list[str | Path] = [sys.version, *(here / name for name in ("tokenize.py", "normalize.py"))]
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.read_bytes() if isinstance(part, Path) else part.encode())
    for package in ("spacy", "pythainlp", "nlpo3"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    return digest.hexdigest()


def tokenize_fixed(texts: Sequence[str], lang: str) -> list[list[str]]:
    """``tokenize_batch`` of texts that rarely change (a lexicon's terms), kept on disk by content.

    Loading the lexicon must not load every language's tokeniser: with the tokens kept, a comment
    only loads its own language's. The cache is keyed by the texts, the language and
    ``_tokeniser_identity``, so it is never stale; an unreadable or unwritable cache is ignored.
    """
    key = hashlib.sha256(json.dumps([_tokeniser_identity(), lang, list(texts)]).encode()).hexdigest()[:32]
    path = cache_dir() / "tokens" / f"{lang}-{key}.json"
    try:
        tokens = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(tokens, list) and len(tokens) == len(texts):
            return tokens
    except (OSError, ValueError):
        pass
    tokens = tokenize_batch(texts, [lang] * len(texts))
    with contextlib.suppress(OSError):
        write_text(path, json.dumps(tokens, ensure_ascii=False))
    return tokens


def content_tokens(tokens: Sequence[str], lang: str) -> list[str]:
    """Tokens for the index: stop words dropped, lemmatised where a lookup table exists."""
    stops = stop_words(lang if lang in (*SPACY_LANGS, "th") else "en")
    lemmas = _lemma_cache(lang)
    out = []
    for token in tokens:
        if token in stops:
            continue
        lemma = lemmas.get(token)
        if lemma is None:
            lemma = lemmas[token] = lemma_table(lang).get(token, token)
            if len(lemmas) > 100_000:  # a bound, not an eviction policy: start over
                lemmas.clear()
        out.append(lemma)
    return out


@lru_cache(maxsize=8)
def _lemma_cache(lang: str) -> dict[str, str]:
    """Looked-up lemmas per language: spaCy's tables hash every key on each call, a dict does not."""
    return {}
