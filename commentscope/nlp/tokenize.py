"""Per-language tokenisation: nlpO3 (PyThaiNLP's newmm dictionary, Rust) for Thai, spaCy blank tokenisers
for id/ms/tl/en, with offline stop words and lookup lemmas where spaCy ships them.

Tokenisers and tables load once per process, each language's on first use. Building spaCy's full
tokeniser adds every special case (Indonesian 16k, Malay 9k: seconds), so a few texts are tokenised by
``LeanTokenizer`` (the same tokeniser holding only the special cases those texts can use; identical
tokens) and the full one is built for large batches or by ``CommentAnalyzer.warm_up``; it tokenises each
distinct span once (``commentscope.nlp.span_memo``). Thai texts go through nlpO3's Rust loop.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import types
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from commentscope.atomic import write_text
from commentscope.nlp.fast_tokenizer import speed_up
from commentscope.nlp.normalize import emoji_name, is_emoji
from commentscope.nlp.span_memo import CrossSpanCases, SpanMemo

_THAI_CHAR = re.compile(r"[\u0e00-\u0e7f]")
_WORDLIKE = re.compile(r"\w")
# Malay has no lemma table in spacy-lookups-data; Indonesian's (same affix system) is the closest fit.
_LEMMA_TABLE = {"en": "en", "id": "id", "ms": "id"}
SPACY_LANGS = ("id", "ms", "tl", "en")
# Texts of one language in a batch from which the full tokeniser is built rather than the lean one grown.
FULL_TOKENIZER_BATCH = 2_000


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


def import_spacy() -> types.ModuleType:
    """``import spacy`` without its command line: ``spacy/__init__`` imports ``spacy.cli.info`` only to offer
    ``spacy.info``, and that imports every spaCy command (weasel, requests, jinja2, ...: a third of the
    import). Stand-ins for the two modules are in place while spaCy imports; ``spacy.info`` then imports
    the real one when called, and ``import spacy.cli`` works as usual afterwards."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    stand_ins = {name: types.ModuleType(name) for name in ("spacy.cli", "spacy.cli.info")}
    stand_ins["spacy.cli"].__path__ = []
    stand_ins["spacy.cli.info"].info = _spacy_info  # type: ignore[attr-defined]
    if any(name in sys.modules for name in stand_ins):  # pragma: no cover - half-imported spaCy: import it plainly
        import spacy

        return spacy
    sys.modules.update(stand_ins)
    try:
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return spacy


def _spacy_info(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - spaCy's own signature
    from spacy.cli.info import info

    return info(*args, **kwargs)


_FULL: dict[str, object] = {}  # language -> spaCy's full tokeniser, once built


def spacy_tokenizer(lang: str):  # noqa: ANN201 - spaCy's Tokenizer type
    """spaCy's full blank tokeniser for ``lang``, every special case added (seconds for id and ms)."""
    if lang not in _FULL:
        from commentscope.nlp.fast_tokenizer import blank_tokenizer

        import_spacy()
        _FULL[lang] = blank_tokenizer(lang)  # spacy.blank's, faster affix look-ups, the same tokens
    return _FULL[lang]


def _squeezed(text: str) -> str:
    """``text`` without its whitespace (``str.isspace``, as spaCy splits)."""
    return "".join(ch for ch in text if not ch.isspace())


class LeanTokenizer:
    """spaCy's blank tokeniser for one language holding only the special cases the texts seen so far can use.

    A special case changes a text's tokens only through its own characters: spaCy looks up a chunk between
    spaces, or what is left of it after a prefix or suffix, in the special cases, and phrase-matches the
    cases with affixes or spaces over neighbouring tokens. Either way the case's characters, whitespace
    removed, occur in the text with whitespace removed. So each text first adds the cases whose squeezed
    form it contains, and then spaCy tokenises it as the full tokeniser would (tests compare the two).
    """

    def __init__(self, lang: str) -> None:
        util = import_spacy().util
        language = util.get_lang_class(lang)
        defaults = type("Defaults", (language.Defaults,), {"tokenizer_exceptions": {}})
        self.tokenizer = type(language.__name__, (language,), {"Defaults": defaults})().tokenizer
        speed_up(self.tokenizer)  # before any special case is added: its reload is then empty
        self._cases = language.Defaults.tokenizer_exceptions
        by_form: dict[str, list[str]] = {}
        for case in self._cases:
            by_form.setdefault(_squeezed(case), []).append(case)
        self._by_form = by_form
        self._lengths = sorted({len(form) for form in by_form if form})
        self._added: set[str] = set()
        self._add(by_form.pop("", []))  # whitespace cases (" ", "\n", "\xa0"): any text may use them

    def _add(self, cases: Iterable[str]) -> None:
        new = sorted(set(cases) - self._added)
        for case in new:
            self.tokenizer.add_special_case(case, self._cases[case])
        if new:
            self._added.update(new)
            # a phrase-matched case leaves its own tokenisation (without special cases) in spaCy's cache
            self.tokenizer._flush_cache()

    def _cases_in(self, text: str) -> list[str]:
        squeezed, by_form, found = _squeezed(text), self._by_form, []
        size = len(squeezed)
        for length in self._lengths:
            if length > size:
                break
            for start in range(size - length + 1):
                cases = by_form.get(squeezed[start : start + length])
                if cases:
                    found.extend(cases)
        return found

    def __call__(self, text: str):  # noqa: ANN204 - spaCy's Doc
        self._add(self._cases_in(text))
        return self.tokenizer(text)


@lru_cache(maxsize=8)
def lean_tokenizer(lang: str) -> LeanTokenizer:
    return LeanTokenizer(lang)


_SPANS: dict[str, SpanMemo] = {}  # language -> the full tokeniser's span memo


def span_memo(lang: str) -> SpanMemo:
    """The full tokeniser of ``lang`` behind a memo of spans (``commentscope.nlp.span_memo``)."""
    full = spacy_tokenizer(lang)
    if lang not in _SPANS or _SPANS[lang].tokenizer is not full:
        bare = LeanTokenizer(lang).tokenizer  # the same affixes, no special cases: what spaCy's matcher sees
        cases = CrossSpanCases(list(full.rules), bare)
        _SPANS[lang] = SpanMemo(full, cases, _kept_of_doc, _kept_between_spaces, _kept)
    return _SPANS[lang]


def _spacy_tokens(lang: str, texts: Sequence[str]) -> list[list[str]]:
    """The full tokeniser (through its span memo) when it is built or the batch is large enough to pay for
    it, else the lean one."""
    if lang in _FULL or len(texts) >= FULL_TOKENIZER_BATCH:
        return span_memo(lang)(texts)
    lean = lean_tokenizer(lang)
    return [_kept_of_doc(lean(text)) for text in texts]


@lru_cache(maxsize=8)
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's offline stop-word list for ``lang`` (all five languages have one)."""
    import importlib

    import_spacy()
    module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
    return frozenset(module.STOP_WORDS)


@lru_cache(maxsize=8)
def lemma_table(lang: str) -> dict[str, str]:
    """Lookup lemmas from spacy-lookups-data (installed, so offline); empty when none exists."""
    source = _LEMMA_TABLE.get(lang)
    if not source:
        return {}
    util = import_spacy().util
    # The file spaCy's ``load_lookups`` reads, found by the same entry point but in spacy-lookups-data's own
    # metadata (the lookups registry scans every installed package's), kept as a plain dict (its Table
    # re-hashes all 40k keys): a fifth of a second less, the same lemmas (a test compares).
    (entry,) = [
        e
        for e in metadata.distribution("spacy-lookups-data").entry_points
        if e.group == "spacy_lookups" and e.name == source
    ]
    return util.load_language_data(entry.load()["lemma_lookup"])


def _wordlike(token: str) -> bool:
    return bool(_WORDLIKE.search(token)) or (token != "" and is_emoji(token[0]))  # "": not a word


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


_KEPT_BY_ORTH: dict[int, str | None] = {}  # spaCy's hash of a token's text -> its stored form, None, "" for space


def _kept_of_orths(doc) -> list[str | None]:  # noqa: ANN001 - spaCy's Doc
    """``_kept`` of every token ("" for whitespace), read from the doc's array of text hashes (no Token objects)."""
    from spacy.attrs import ORTH

    memo, out = _KEPT_BY_ORTH, []
    for orth in doc.to_array(ORTH).tolist():
        if orth in memo:
            kept = memo[orth]
        else:
            if len(memo) >= 200_000:  # a bound on memory, not an eviction policy
                memo.clear()
            text = doc.vocab.strings[orth]
            kept = memo[orth] = "" if text.isspace() else _kept(text)
        out.append(kept)
    return out


def _kept_of_doc(doc) -> list[str]:  # noqa: ANN001 - spaCy's Doc
    """Every kept token of a doc: no whitespace, no punctuation."""
    return [kept for kept in _kept_of_orths(doc) if kept]


def _kept_between_spaces(doc) -> list[list[str]]:  # noqa: ANN001 - spaCy's Doc
    """The kept tokens of each stretch of a doc between whitespace tokens."""
    runs: list[list[str]] = [[]]
    for kept in _kept_of_orths(doc):
        if kept == "":
            runs.append([])
        elif kept is not None:
            runs[-1].append(kept)
    return runs


def raw_tokens(text: str, lang: str) -> list[str]:
    """Every non-space token of an already normalised text, no filtering (the benchmark's baseline)."""
    if lang == "th" or _THAI_CHAR.search(text):
        return [t for t in thai_segment(text) if t.strip()]
    tok = spacy_tokenizer(lang if lang in SPACY_LANGS else "en")
    return [t.text for t in tok(text) if not t.is_space]


def _thai_kept(text: str) -> list[str]:
    """The kept tokens of a Thai text: ``_kept`` of each segment that is not blank (a blank one is not kept
    either), read from its memo without a call per token (a Thai post has hundreds)."""
    memo = _KEPT
    return [k for t in thai_segment(text) if (k := memo[t] if t in memo else _kept(t)) is not None]


def tokenize_batch(texts: Sequence[str], langs: Sequence[str]) -> list[list[str]]:
    """All tokens (no punctuation) of match-form texts, grouped per language.

    A text repeated in the batch (emoji-only comments, "first", "wkwk") is tokenised once.
    """
    out: list[list[str]] = [[] for _ in texts]
    by_lang: dict[str, dict[str, list[int]]] = {}
    for i, lang in enumerate(langs):
        key = lang if lang in SPACY_LANGS or lang == "th" else "en"
        by_lang.setdefault(key, {}).setdefault(texts[i], []).append(i)
    for lang, positions in by_lang.items():
        if lang == "th":
            found: Iterable[list[str]] = map(_thai_kept, positions)
        else:
            found = _spacy_tokens(lang, list(positions))
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
    if not lemma_table(lang):  # th, tl: every token its own lemma
        return [token for token in tokens if token not in stops]
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
