"""The curated lexicon layer: versioned TSV files per language, matched over normalised tokens.

Each file ``nlp/lexicons/<lang>.tsv`` has the columns ``term, category, target, severity``
(see docs/nlp.md for the categories). Terms go through the same normalisation and tokeniser as
comments, so "b0d0hhh", "b.o.d.o.h" and "bodoh" meet the one entry ``bodoh``, and Thai terms are
matched as token sequences (never as raw substrings, which would hit inside longer words).
Elongation is handled by comparing "squeezed" tokens (every doubled letter collapsed), with a
length guard so "as" never matches "ass".
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nlp.normalize import match_form, squeeze
from nlp.tokenize import tokenize_batch

LEXICON_DIR = Path(__file__).parent / "lexicons"
CATEGORIES = (
    "profanity", "insult", "dehumanize", "slur", "threat", "hate_phrase", "identity", "counter", "support",
)
TARGETED = ("slur", "hate_phrase", "identity")
_SUFFIXES = {
    "id": ("nya", "lah", "kah", "mu", "ku", "pun"),
    "ms": ("nya", "lah", "kah", "mu", "ku", "pun"),
    "tl": ("ng",),
    "en": ("s", "es", "ed", "ing"),
}
_MASKED = re.compile(r"\b[a-z]+[*#]+[a-z*#]*\b|\b[*#]+[a-z]+[a-z*#]*\b")


class LexiconError(ValueError):
    """A malformed lexicon line, with file and line number so it can be fixed."""


@dataclass(frozen=True)
class Entry:
    term: str
    lang: str
    category: str
    target: str | None
    severity: int
    length: int


@dataclass(frozen=True)
class Hit:
    """One matched lexicon entry: the entry and the tokens of the comment that matched it."""

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
        self.max_len = 1
        for path in self.files:
            lang = path.stem
            rows = _read(path)
            tokenised = tokenize_batch([match_form(r[0]) for r in rows], [lang] * len(rows))
            for (term, category, target, severity), tokens in zip(rows, tokenised, strict=True):
                if not tokens:
                    raise LexiconError(f"{path}: term {term!r} has no word after normalisation")
                key = tuple(squeeze(t) for t in tokens)
                entry = Entry(term, lang, category, target, severity, sum(map(len, tokens)))
                self._index.setdefault(key, []).append(entry)
                self.max_len = max(self.max_len, len(key))
                if len(tokens) == 1 and lang != "th":
                    self._single.setdefault(len(tokens[0]), []).append(tokens[0])

    def __len__(self) -> int:
        return sum(len(v) for v in self._index.values())

    def unmask(self, text: str) -> str:
        """Resolve masked spellings ("f*ck", "b*d*h") to the one lexicon word of that shape, if unique."""
        if "*" not in text and "#" not in text:
            return text

        def resolve(match: re.Match[str]) -> str:
            word = match.group(0)
            pattern = re.compile("".join("." if c in "*#" else re.escape(c) for c in word) + r"\Z")
            found = {w for w in self._single.get(len(word), []) if pattern.match(w)}
            return found.pop() if len(found) == 1 else word

        return _MASKED.sub(resolve, text)

    def match(self, tokens: Sequence[str], langs: Sequence[str]) -> list[Hit]:
        """Every entry of the comment's languages (plus English, and id+ms together) found in its tokens."""
        allowed = set(langs) | {"en"}
        primary = set(langs)
        if allowed & {"id", "ms"}:
            allowed |= {"id", "ms"}
        squeezed = [squeeze(t) for t in tokens]
        hits: list[Hit] = []
        n_tokens = len(tokens)
        for start in range(n_tokens):
            for size in range(min(self.max_len, n_tokens - start), 0, -1):
                key = tuple(squeezed[start : start + size])
                entries = self._index.get(key)
                if entries is None and size == 1:
                    entries = self._suffix_lookup(squeezed[start], allowed)
                if not entries:
                    continue
                span = tokens[start : start + size]
                length = sum(map(len, span))
                # The span may be longer than the term (elongated), never shorter: "as" is not "ass".
                # Slurs only in their own language: "cina" is a slur in Indonesian, neutral in Malay.
                hits.extend(
                    Hit(entry, " ".join(span), start, start + size)
                    for entry in entries
                    if entry.lang in allowed and length >= entry.length
                    and (entry.category != "slur" or entry.lang in primary or entry.lang == "en")
                )
        return hits

    def _suffix_lookup(self, token: str, allowed: set[str]) -> list[Entry] | None:
        for lang in allowed:
            for suffix in _SUFFIXES.get(lang, ()):
                if token.endswith(suffix) and len(token) - len(suffix) >= 3:
                    found = self._index.get((token[: -len(suffix)],))
                    if found:
                        return [e for e in found if e.lang == lang or e.lang in allowed]
        return None


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
