"""Hashed features shared by training (scikit-learn, build time) and scoring (numpy at run time).

One function makes the features for both sides, so the shipped weights always mean the same thing.
A comment's features are its tokens (``w:``), pairs of neighbouring tokens (``b:``), the character
2–5-grams inside each token padded with spaces, and the lexicon categories it matched (``lex:``).
Each feature string is hashed (CRC-32) into ``2**HASH_BITS`` columns: the shipped weights are arrays
indexed by column, so no training text (not even a vocabulary) sits in the model files, and
evidence is recovered at run time by hashing the comment's own tokens again.

Tokens repeat across comments far more than comments do, so each token's columns are computed once
(``token_columns``); Thai comes already segmented (the analyzer tokenises before scoring).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence

import numpy as np
from scipy.sparse import csr_matrix

HASH_BITS = 18
N_COLUMNS = 1 << HASH_BITS
_MASK = N_COLUMNS - 1
NGRAM_SIZES = (2, 3, 4, 5)
_LONGEST_TOKEN = 40  # a 5,000-letter "token" is spam: its first 40 characters say enough
# token -> its distinct columns. Tuples of ints, not sets: the garbage collector stops scanning them.
_BY_TOKEN: dict[str, tuple[int, ...]] = {}
_BY_TOKEN_LIMIT = 300_000


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
    found = _BY_TOKEN.get(token)
    if found is None:
        found = tuple({column(f) for f in token_feature_names(token)})
        if len(_BY_TOKEN) >= _BY_TOKEN_LIMIT:  # a bound on memory, not an eviction policy
            _BY_TOKEN.clear()
        _BY_TOKEN[token] = found
    return found


_BY_PAIR: dict[tuple[str, str], int] = {}


def pair_column(first: str, second: str) -> int:
    """The column of two neighbouring tokens (``b:first second``), memoised: pairs repeat too."""
    key = (first, second)
    found = _BY_PAIR.get(key)
    if found is None:
        if len(_BY_PAIR) >= _BY_TOKEN_LIMIT:  # a bound on memory, not an eviction policy
            _BY_PAIR.clear()
        found = _BY_PAIR[key] = column(f"b:{first} {second}")
    return found


def model_tokens(tokens: Sequence[str]) -> list[str]:
    """The tokens that carry meaning for the model: blanks dropped (spaCy keeps runs of spaces)."""
    return [t for t in tokens if t.strip()]


def columns_of(tokens: Sequence[str], lexicon_tags: Iterable[str] = ()) -> set[int]:
    """Every distinct column of one tokenised comment (tokens, token pairs, lexicon tags)."""
    words = model_tokens(tokens)
    found: set[int] = set()
    for token in words:
        found.update(token_columns(token))
    found.update(map(pair_column, words, words[1:]))
    for tag in lexicon_tags:
        found.add(column("lex:" + tag))
    return found


def feature_matrix(column_sets: Sequence[set[int]], idf: np.ndarray | None = None) -> csr_matrix:
    """Rows of comments, L2-normalised: binary features, or each feature's IDF when ``idf`` is given.

    The one place where features become numbers, for training and scoring alike.
    """
    lengths = np.fromiter((len(c) for c in column_sets), dtype=np.int64, count=len(column_sets))
    indptr = np.zeros(len(column_sets) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    parts = [np.fromiter(cols, dtype=np.int64, count=len(cols)) for cols in column_sets]
    indices = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    values = idf[indices].astype(np.float64) if idf is not None else np.ones(len(indices))
    rows = np.repeat(np.arange(len(column_sets)), lengths)
    squares = np.bincount(rows, weights=values**2, minlength=len(column_sets))
    values /= np.sqrt(squares)[rows]
    return csr_matrix((values, indices, indptr), shape=(len(column_sets), N_COLUMNS))


def inverse_document_frequency(column_sets: Sequence[set[int]]) -> np.ndarray:
    """Smoothed IDF per column, ``ln((1 + n) / (1 + df)) + 1`` as scikit-learn's TfidfTransformer."""
    df = np.zeros(N_COLUMNS, dtype=np.float64)
    for cols in column_sets:
        df[list(cols)] += 1
    return np.log((1 + len(column_sets)) / (1 + df)) + 1


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
