"""The curated lexicon layer: versioned TSV files per language, matched over normalised tokens.

Each file ``commentscope/nlp/lexicons/<lang>.tsv`` has the columns ``term, category, target, severity``
(see docs/nlp.md for the categories). Terms go through the same normalisation and tokeniser as
comments, so "b0d0hhh", "b.o.d.o.h" and "bodoh" meet the one entry ``bodoh``, and Thai terms are
matched as token sequences (never as raw substrings, which would hit inside longer words).
Elongation is handled by comparing "squeezed" tokens (every doubled letter collapsed), with a
length guard so "as" never matches "ass".

Matching is one pass of an Aho-Corasick automaton (pyahocorasick) over the comment's squeezed tokens
joined by a separator that no token contains: every key is stored with the separator on both sides,
so a hit always starts and ends on token boundaries (never inside a longer Thai or Latin word).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import ahocorasick

from commentscope.errors import NlpStageError
from commentscope.nlp.normalize import match_form, squeeze
from commentscope.nlp.tokenize import tokenize_fixed

LEXICON_DIR = Path(__file__).parent / "lexicons"
CATEGORIES = (
    "profanity",
    "insult",
    "dehumanize",
    "slur",
    "threat",
    "hate_phrase",
    "identity",
    "counter",
    "support",
)
TARGETED = ("slur", "hate_phrase", "identity")
_SUFFIXES = {
    "id": ("nya", "lah", "kah", "mu", "ku", "pun"),
    "ms": ("nya", "lah", "kah", "mu", "ku", "pun"),
    "tl": ("ng",),
    "en": ("s", "es", "ed", "ing"),
}
# Misspellings of group names and slurs are read as the word itself ("mulsims", "wmoen", "lbgt", "disbled"):
# two neighbouring letters swapped (words of 4+ letters, never the first letter) or one inner letter dropped
# (6+ letters). Real words of these languages that such a change makes (seen in the 74k corpus comments) are
# not misspellings.
_CORRECTED = ("identity", "slur", "dehumanize")
_NOT_MISSPELT = frozenset(
    [
        "buat",
        "bakal",
        "malas",
        "bintang",
        "biaya",
        "musim",
        "backs",
        "moor",
        "pait",
        "boa",
        "kristina",
        "kirsten",
        "karun",
        "moneys",
        "pekka",
        "aning",
    ]
)
# Joins squeezed tokens for the automaton; clean() turns control characters into spaces, so no token has it.
_SEP = "\x00"
_MASKED = re.compile(r"\b[a-z]+[*#]+[a-z*#]*\b|\b[*#]+[a-z]+[a-z*#]*\b")


class LexiconError(NlpStageError, ValueError):
    """A malformed lexicon line, with file and line number so it can be fixed."""


@dataclass(frozen=True)
class Entry:
    term: str
    lang: str
    category: str
    target: str | None
    severity: int
    length: int


class Hit(NamedTuple):
    """One matched lexicon entry: the entry and the tokens of the comment that matched it.

    A named tuple: a busy comment section makes millions of these, and tuples build fastest.
    """

    entry: Entry
    matched: str
    start: int
    end: int


def _read(path: Path) -> list[tuple[str, str, str | None, int]]:
    rows = []
    from commentscope.schema import TARGETS

    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if not row or row[0].startswith("#") or row[0] == "term":
                continue
            if len(row) < 2:
                raise LexiconError(f"{path}:{number}: expected term<TAB>category[<TAB>target<TAB>severity]")
            term, category = row[0].strip(), row[1].strip()
            target = (row[2].strip() if len(row) > 2 else "") or None
            severity = int(row[3]) if len(row) > 3 and row[3].strip() else 1
            if category not in CATEGORIES:
                raise LexiconError(f"{path}:{number}: unknown category {category!r}; use one of {CATEGORIES}")
            if category in TARGETED and target not in TARGETS:
                raise LexiconError(f"{path}:{number}: {category} needs a target, one of {TARGETS}")
            if not 0 <= severity <= 3:
                raise LexiconError(f"{path}:{number}: severity must be 0..3")
            rows.append((term, category, target, severity))
    return rows


class Lexicon:
    """All language files, indexed by squeezed token sequence for fast n-gram lookup."""

    def __init__(self, directory: Path = LEXICON_DIR) -> None:
        self.directory = directory
        self.files = sorted(directory.glob("*.tsv"))
        self.digest = ""
        self._index: dict[tuple[str, ...], list[Entry]] = {}
        self._single: dict[int, list[str]] = {}
        correctable: dict[str, set[str]] = {}  # one-word group names and slurs (as written) -> languages
        self.max_len = 1
        for path in self.files:
            lang = path.stem
            rows = _read(path)
            tokenised = tokenize_fixed([match_form(r[0]) for r in rows], lang)
            for (term, category, target, severity), tokens in zip(rows, tokenised, strict=True):
                if not tokens:
                    raise LexiconError(f"{path}: term {term!r} has no word after normalisation")
                key = tuple(squeeze(t) for t in tokens)
                entry = Entry(term, lang, category, target, severity, sum(map(len, tokens)))
                self._index.setdefault(key, []).append(entry)
                self.max_len = max(self.max_len, len(key))
                if len(tokens) == 1 and lang != "th":
                    self._single.setdefault(len(tokens[0]), []).append(tokens[0])
                    if category in _CORRECTED:
                        correctable.setdefault(tokens[0], set()).add(lang)
        self._misspelt = _misspellings(correctable, self._index)
        self._automaton = ahocorasick.Automaton()
        for key, entries in self._index.items():
            pattern = _SEP + _SEP.join(key) + _SEP
            self._automaton.add_word(pattern, (len(key), len(pattern), entries))
        if self._index:
            self._automaton.make_automaton()
        self._squeezed: dict[str, str] = {}
        self._suffix_found: dict[tuple[str, tuple[str, ...]], tuple[Entry, ...] | None] = {}

    def __len__(self) -> int:
        return sum(len(v) for v in self._index.values())

    def unmask(self, text: str) -> str:
        """Resolve masked spellings ("f*ck", "b*d*h") to the one lexicon word of that shape, if unique."""
        if "*" not in text and "#" not in text:
            return text

        def resolve(match: re.Match[str]) -> str:
            word = match.group(0)
            pattern = _mask_pattern(word)
            found = {w for w in self._single.get(len(word), []) if pattern.match(w)}
            return found.pop() if len(found) == 1 else word

        return _MASKED.sub(resolve, text)

    def correct(self, tokens: list[str], lang: str) -> list[str]:
        """``tokens`` with misspelt group names and slurs of ``lang`` (and English; Indonesian and Malay
        together) written as the lexicon's word, so lexicon and models read "mulsims" as "muslims"."""
        misspelt = self._misspelt
        if misspelt.keys().isdisjoint(tokens):
            return tokens
        allowed = {lang, "en", *(("id", "ms") if lang in ("id", "ms") else ())}
        out = []
        for token in tokens:
            found = misspelt.get(token)
            out.append(found[0] if found and found[1] & allowed else token)
        return out

    def match(self, tokens: Sequence[str], langs: Sequence[str]) -> list[Hit]:
        """Every entry of the comment's languages (plus English, and id+ms together) found in its tokens.

        Hits come in token order, the longest span first at each start.
        """
        if not tokens:
            return []
        allowed = set(langs) | {"en"}
        primary = set(langs)
        if allowed & {"id", "ms"}:
            allowed |= {"id", "ms"}
        memo = self._squeezed
        try:  # every token seen before (most): no Python frame per token
            squeezed = list(map(memo.__getitem__, tokens))
        except KeyError:
            squeezed = [memo.get(t) or self._squeeze(t) for t in tokens]
        joined = _SEP + _SEP.join(squeezed) + _SEP
        # each key found, at the offset of the separator in front of its first token
        found_keys = (
            [(end + 1 - chars, size, entries) for end, (size, chars, entries) in self._automaton.iter(joined)]
            if self._index
            else []
        )
        suffix_key = (*langs, *sorted(allowed - primary))
        suffixed = _suffixed(_suffixes_of(suffix_key))
        # each token ending in a suffix, at the separator in front of it: found by a regex, not token by token
        fronts = [joined.rfind(_SEP, 0, m.start()) for m in suffixed.finditer(joined)] if suffixed else []
        token_at = _token_positions(joined, [offset for offset, _, _ in found_keys] + fronts)
        spans: dict[int, list[tuple[int, Sequence[Entry]]]] = {}
        for offset, size, entries in found_keys:
            spans.setdefault(token_at[offset], []).append((size, entries))
        hits: list[Hit] = []
        for start in sorted(token_at.values()):  # the starts with a key or a suffix, in token order
            found = spans.get(start)
            if found is None:
                found = []
            elif len(found) > 1:
                found.sort(key=_longest_first)
            if not found or found[-1][0] != 1:
                entries = self._suffix_entries(squeezed[start], allowed, suffix_key)
                if entries:
                    found.append((1, entries))
            for size, entries in found:
                span = tokens[start : start + size]
                length = sum(map(len, span))
                # The span may be longer than the term (elongated), never shorter: "as" is not "ass".
                # Slurs only in their own language: "cina" is a slur in Indonesian, neutral in Malay.
                hits.extend(
                    Hit(entry, " ".join(span), start, start + size)
                    for entry in entries
                    if entry.lang in allowed
                    and length >= entry.length
                    and (entry.category != "slur" or entry.lang in primary or entry.lang == "en")
                )
        return hits

    def _squeeze(self, token: str) -> str:
        squeezed = self._squeezed.get(token)
        if squeezed is None:
            if len(self._squeezed) > 200_000:  # a bound on memory, not an eviction policy
                self._squeezed.clear()
            squeezed = self._squeezed[token] = squeeze(token).replace(_SEP, "")
        return squeezed

    def _suffix_entries(self, token: str, allowed: set[str], order: tuple[str, ...]) -> tuple[Entry, ...] | None:
        """Entries of ``token`` with a clitic or inflection stripped, memoised per token and languages.

        Languages are tried in a fixed order (the comment's own first), so the answer never depends
        on set iteration order.
        """
        key = (token, order)
        if key in self._suffix_found:
            return self._suffix_found[key]
        found = None
        for lang in order:
            for suffix in _SUFFIXES.get(lang, ()):
                if token.endswith(suffix) and len(token) - len(suffix) >= 3:
                    entries = self._index.get((token[: -len(suffix)],))
                    if entries:
                        found = tuple(e for e in entries if e.lang == lang or e.lang in allowed)
                        break
            if found is not None:
                break
        if len(self._suffix_found) > 200_000:
            self._suffix_found.clear()
        self._suffix_found[key] = found
        return found


def _misspellings(
    words: dict[str, set[str]], index: dict[tuple[str, ...], list[Entry]]
) -> dict[str, tuple[str, frozenset[str]]]:
    """Misspelling -> (the word as written, its languages), for Latin ``words``; a misspelling the lexicon
    matches already (squeezed, it is an entry), a known word, or one of two different words is left out."""
    found: dict[str, set[str]] = {}
    languages: dict[str, set[str]] = {}
    for word, langs in words.items():
        if not (word.isascii() and word.isalpha()):
            continue
        variants: set[str] = set()
        if len(word) >= 4:
            variants.update(
                word[:i] + word[i + 1] + word[i] + word[i + 2 :]
                for i in range(1, len(word) - 1)
                if word[i] != word[i + 1]
            )
        if len(word) >= 6:
            variants.update(word[:i] + word[i + 1 :] for i in range(1, len(word) - 1))
        for variant in variants:
            found.setdefault(variant, set()).add(word)
            languages.setdefault(variant, set()).update(langs)
    return {
        variant: (next(iter(written)), frozenset(languages[variant]))
        for variant, written in sorted(found.items())
        if len(written) == 1 and (squeeze(variant),) not in index and variant not in _NOT_MISSPELT
    }


@lru_cache(maxsize=256)
def _suffixes_of(langs: tuple[str, ...]) -> tuple[str, ...]:
    """Every clitic or inflection that ``langs`` strip: a token ending in none needs no suffix look-up."""
    return tuple({suffix for lang in langs for suffix in _SUFFIXES.get(lang, ())})


@lru_cache(maxsize=256)
def _suffixed(suffixes: tuple[str, ...]) -> re.Pattern[str] | None:
    """A token of a ``Lexicon.match`` string that ends in one of ``suffixes`` (its end and the separator)."""
    if not suffixes:
        return None
    return re.compile("(?:" + "|".join(map(re.escape, suffixes)) + ")" + _SEP)


def _token_positions(joined: str, offsets: list[int]) -> dict[int, int]:
    """Offset of a separator in ``joined`` -> the position of the token after it (the separators before it),
    counted in C from one offset to the next."""
    out: dict[int, int] = {}
    position = previous = 0
    for offset in sorted(set(offsets)):
        position += joined.count(_SEP, previous, offset)
        out[offset] = position
        previous = offset
    return out


def _longest_first(span: tuple[int, Sequence[Entry]]) -> int:
    return -span[0]


@lru_cache(maxsize=1024)
def _mask_pattern(word: str) -> re.Pattern[str]:
    """``f*ck`` -> a pattern for the lexicon words of that shape (compiled once per masked spelling)."""
    return re.compile("".join("." if c in "*#" else re.escape(c) for c in word) + r"\Z")


def content_hash(directory: Path) -> str:
    """Hash of every lexicon file's name and bytes: the lexicon's identity in the tagger version."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.tsv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=4)
def _load(directory: str, digest: str) -> Lexicon:
    lexicon = Lexicon(Path(directory))
    lexicon.digest = digest
    return lexicon


def load_lexicon(directory: str | Path | None = None) -> Lexicon:
    """The lexicon, loaded once per process for each content: an edited file is read again."""
    path = Path(directory) if directory else LEXICON_DIR
    return _load(str(path), content_hash(path))
