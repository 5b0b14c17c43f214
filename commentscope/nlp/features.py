"""Hashed features shared by training (scikit-learn, build time) and scoring (numpy at run time).

A comment's features are its distinct tokens, its distinct pairs of neighbouring tokens and the lexicon
categories it matched (``CommentFeatures``). A token stands for the token itself (``w:``) and the
character 2–5-grams inside it padded with spaces; a pair for ``b:first second``; a tag for ``lex:tag``.
Each feature string is hashed (CRC-32) into ``2**HASH_BITS`` columns: the shipped weights are arrays
indexed by column, so no training text (not even a vocabulary) sits in the model files, and evidence is
recovered at run time by hashing the comment's own tokens again.

A comment's vector is the *sum of its parts* (a column shared by two tokens counts twice), each column
weighted by its IDF, divided by the root of the parts' summed squares. Defined this way, a comment's
score is the sum of per-token rows cached across comments (``commentscope.nlp.linear``): tokens repeat far more than
comments do. ``feature_matrix`` builds the same vectors for training.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from scipy.sparse import csr_matrix

HASH_BITS = 18
N_COLUMNS = 1 << HASH_BITS
_MASK = N_COLUMNS - 1
NGRAM_SIZES = (2, 3, 4, 5)
_LONGEST_TOKEN = 40  # a 5,000-letter "token" is spam: its first 40 characters say enough
_MEMO_LIMIT = 300_000  # a bound on memory, not an eviction policy
# token -> its distinct columns. Tuples of ints, not sets: the garbage collector stops scanning them.
_BY_TOKEN: dict[str, tuple[int, ...]] = {}
_BY_PAIR: dict[tuple[str, str], int] = {}


class CommentFeatures(NamedTuple):
    """What the models read of one comment (no weights, no text beyond its own tokens)."""

    tokens: list[str]  # distinct, in order of first appearance
    pairs: list[tuple[int, int]]  # distinct neighbouring pairs, as positions in ``tokens``
    tags: list[str]  # lexicon tags (``lexicon_tags``)


def column(feature: str) -> int:
    """The hashed column of one feature string (stable across processes and machines)."""
    return zlib.crc32(feature.encode("utf-8")) & _MASK


def token_feature_names(token: str) -> list[str]:
    """The token itself and the distinct char n-grams of the token padded with spaces."""
    token = token[:_LONGEST_TOKEN]
    out = {"w:" + token}
    padded = f" {token} "
    length = len(padded)
    for size in NGRAM_SIZES:
        for i in range(length - size + 1):
            out.add(padded[i : i + size])
    return sorted(out)


def token_columns(token: str) -> tuple[int, ...]:
    """The distinct columns of one token (memoised)."""
    found = _BY_TOKEN.get(token)
    if found is None:
        found = tuple(sorted({column(f) for f in token_feature_names(token)}))
        if len(_BY_TOKEN) >= _MEMO_LIMIT:
            _BY_TOKEN.clear()
        _BY_TOKEN[token] = found
    return found


def pair_column(first: str, second: str) -> int:
    """The column of two neighbouring tokens (``b:first second``), memoised: pairs repeat too."""
    key = (first, second)
    found = _BY_PAIR.get(key)
    if found is None:
        if len(_BY_PAIR) >= _MEMO_LIMIT:
            _BY_PAIR.clear()
        found = _BY_PAIR[key] = column(f"b:{first} {second}")
    return found


@lru_cache(maxsize=4096)
def tag_column(tag: str) -> int:
    return column("lex:" + tag)


def features_of(tokens: Sequence[str], lexicon_tags: Iterable[str] = ()) -> CommentFeatures:
    """One tokenised comment's features: distinct tokens, distinct neighbouring pairs, lexicon tags."""
    position: dict[str, int] = {}
    at = [position.setdefault(t, len(position)) for t in tokens if t.strip()]  # blanks dropped (spaCy keeps runs)
    return CommentFeatures(list(position), list(dict.fromkeys(zip(at, at[1:], strict=False))), list(lexicon_tags))


def single_columns(features: CommentFeatures) -> list[int]:
    """The one-column parts of a comment: its pairs, then its tags."""
    tokens, memo = features.tokens, _BY_PAIR
    out = []
    for a, b in features.pairs:
        key = (tokens[a], tokens[b])
        found = memo.get(key)
        out.append(pair_column(*key) if found is None else found)  # the memo looked up inline: pairs are many
    out.extend(map(tag_column, features.tags))
    return out


def part_columns(features: CommentFeatures) -> list[int]:
    """Every column of every part, repeated where two parts share one (the vector is their sum)."""
    out = [c for token in features.tokens for c in token_columns(token)]
    out += single_columns(features)
    return out


def feature_matrix(features: Sequence[CommentFeatures], idf: np.ndarray | None = None) -> csr_matrix:
    """Rows of comments: the sum of their parts' columns (weighted by ``idf`` when given), divided by the root
    of the summed squares. Training uses it; ``commentscope.nlp.linear`` computes the same product from cached rows.
    """
    parts = [np.array(part_columns(f), dtype=np.int64) for f in features]
    lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    indptr = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    values = idf[indices].astype(np.float64) if idf is not None else np.ones(len(indices))
    rows = np.repeat(np.arange(len(parts)), lengths)
    squares = np.bincount(rows, weights=values**2, minlength=len(parts))
    values /= np.sqrt(squares)[rows]
    matrix = csr_matrix((values, indices, indptr), shape=(len(parts), N_COLUMNS))
    matrix.sum_duplicates()
    return matrix


def inverse_document_frequency(features: Sequence[CommentFeatures]) -> np.ndarray:
    """Smoothed IDF per column, ``ln((1 + n) / (1 + df)) + 1`` as scikit-learn's TfidfTransformer."""
    present = feature_matrix(features)
    df = np.bincount(present.indices, minlength=N_COLUMNS).astype(np.float64)
    return np.log((1 + len(features)) / (1 + df)) + 1


def lexicon_tags(hits: Iterable) -> list[str]:
    """Lexicon hits as model features: each category, and each category with its target."""
    tags: set[str] = set()
    for hit in hits:
        entry = hit.entry
        tags.add(entry.category)
        if entry.target:
            tags.add(f"{entry.category}:{entry.target}")
    if "identity" in tags and tags & {"insult", "dehumanize", "threat"}:
        tags.add("identity+aggression")
    return sorted(tags)
