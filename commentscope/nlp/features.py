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
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

HASH_BITS = 18
N_COLUMNS = 1 << HASH_BITS
_MASK = N_COLUMNS - 1
NGRAM_SIZES = (2, 3, 4, 5)
_LONGEST_TOKEN = 40  # a 5,000-letter "token" is spam: its first 40 characters say enough
_MEMO_LIMIT = 300_000  # a bound on memory, not an eviction policy
SMALL = 24  # new tokens or pairs up to which plain zlib hashing beats numpy's per-call set-up
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


def _columns_of(token: str) -> tuple[int, ...]:
    return tuple(sorted({column(f) for f in token_feature_names(token)}))


def token_columns(token: str) -> tuple[int, ...]:
    """The distinct columns of one token (memoised)."""
    found = _BY_TOKEN.get(token)
    if found is None:
        found = _columns_of(token)
        if len(_BY_TOKEN) >= _MEMO_LIMIT:
            _BY_TOKEN.clear()
        _BY_TOKEN[token] = found
    return found


def _crc_table() -> np.ndarray:
    """zlib's CRC-32 byte table (reflected polynomial 0xEDB88320)."""
    table: np.ndarray = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        table = (table >> 1) ^ np.where(table & 1, np.uint32(0xEDB88320), np.uint32(0))
    return table


_CRC = _crc_table()


def _crc_step(state: np.ndarray, byte: np.ndarray | np.uint32) -> np.ndarray:
    """One byte into CRC-32 registers (``zlib.crc32`` before its final inversion)."""
    return _CRC[(state ^ byte) & 0xFF] ^ (state >> 8)


def _utf8(points: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each code point's UTF-8 length and its (up to) four bytes."""
    size = 1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000)
    low6 = lambda shift: 0x80 | ((points >> shift) & 0x3F)  # noqa: E731 - a continuation byte
    first = np.select(
        [size == 1, size == 2, size == 3], [points, 0xC0 | (points >> 6), 0xE0 | (points >> 12)], 0xF0 | (points >> 18)
    )
    second = np.select([size == 2, size == 3], [low6(0), low6(6)], low6(12))
    third = np.where(size == 3, low6(0), low6(6))
    return size, [first.astype(np.uint32), second.astype(np.uint32), third.astype(np.uint32), low6(0).astype(np.uint32)]


def _ngram_columns(tokens: Sequence[str]) -> list[tuple[int, ...]]:
    """``token_columns`` of many tokens at once: the CRC-32 of every char 2-5-gram of every padded token
    computed in numpy, all n-grams from one start sharing their first characters' registers."""
    padded = [f" {t[:_LONGEST_TOKEN]} " for t in tokens]
    points = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
    ends = np.cumsum(lengths)
    owner = np.repeat(np.arange(len(padded)), lengths)
    left = ends[owner] - np.arange(len(points))  # characters from each position to its token's end
    size, data = _utf8(points)
    multibyte = bool((size > 1).any())
    start = np.flatnonzero(left >= NGRAM_SIZES[0])
    state = np.full(len(start), 0xFFFFFFFF, dtype=np.uint32)
    found_owner, found_column = [], []
    for k in range(NGRAM_SIZES[-1]):
        if k:  # the n-grams still inside their token
            keep = left[start] > k
            start, state = start[keep], state[keep]
        at = start + k
        state = _crc_step(state, data[0][at])
        if multibyte:
            width = size[at]
            for j in (1, 2, 3):
                more = width > j
                if more.any():
                    state = np.where(more, _crc_step(state, data[j][at]), state)
        if k + 1 in NGRAM_SIZES:
            found_owner.append(owner[start])
            found_column.append((~state) & _MASK)
    words = np.fromiter((column("w:" + t[:_LONGEST_TOKEN]) for t in tokens), dtype=np.int64, count=len(tokens))
    keys = np.concatenate([np.arange(len(tokens)), *found_owner]) << HASH_BITS | np.concatenate(
        [words, *found_column]
    ).astype(np.int64)
    keys.sort()  # then drop repeats: np.unique (2.x) hashes first, several times slower than the sort
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    keys = keys[first]
    counts = np.bincount(keys >> HASH_BITS, minlength=len(tokens))
    flat = (keys & _MASK).tolist()
    bounds = [0, *np.cumsum(counts).tolist()]
    return [tuple(flat[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def token_columns_many(tokens: Sequence[str]) -> list[tuple[int, ...]]:
    """``token_columns`` of each token; the ones not yet memoised hashed together (``_ngram_columns``)."""
    memo = _BY_TOKEN
    missing = list(dict.fromkeys(t for t in tokens if t not in memo))
    if missing:
        try:
            # numpy's set-up costs more than zlib on a few tokens (one comment's new words)
            found = _ngram_columns(missing) if len(missing) > SMALL else [_columns_of(t) for t in missing]
        except UnicodeEncodeError:  # a lone surrogate: the one-token path raises the error it always did
            found = [token_columns(t) for t in missing]
        if len(memo) + len(missing) >= _MEMO_LIMIT:
            memo.clear()
        memo.update(zip(missing, found, strict=True))  # a batch with more new tokens overfills it once
    return [memo[t] for t in tokens]


def pair_column(first: str, second: str) -> int:
    """The column of two neighbouring tokens (``b:first second``), memoised: pairs repeat too."""
    key = (first, second)
    found = _BY_PAIR.get(key)
    if found is None:
        if len(_BY_PAIR) >= _MEMO_LIMIT:
            _BY_PAIR.clear()
        found = _BY_PAIR[key] = column(f"b:{first} {second}")
    return found


_SHIFT_LIMIT = 256  # bytes: a pair whose second token is longer is hashed by zlib itself


@lru_cache(maxsize=1)
def _shift_tables() -> np.ndarray:
    """``[n, k, v]``: a CRC-32 register holding byte ``v`` at byte ``k`` after ``n`` zero bytes pass through it.

    The register is linear in its start, so running ``data`` from register ``r`` gives the run from 0
    XOR the run of ``len(data)`` zero bytes from ``r``: the four table rows of ``n`` sum up the latter.
    """
    out = np.empty((_SHIFT_LIMIT, 4, 256), dtype=np.uint32)
    state = np.arange(256, dtype=np.uint32)[None, :] << (8 * np.arange(4, dtype=np.uint32))[:, None]
    for n in range(_SHIFT_LIMIT):
        out[n] = state
        state = _crc_step(state, np.uint32(0))
    return out


def pair_parts(tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What each token brings to the column of a pair (``b:first second``): as the first, the CRC-32
    register after ``b:first `` (its head); as the second, the register its bytes give from zero (its tail)
    and their number. ``pair_columns`` joins a head and a tail without looking at either text again."""
    data = [t.encode("utf-8") for t in tokens]
    heads = np.fromiter((~zlib.crc32(b"b:" + d + b" ") & 0xFFFFFFFF for d in data), dtype=np.uint32, count=len(data))
    tails = np.fromiter((~zlib.crc32(d, 0xFFFFFFFF) & 0xFFFFFFFF for d in data), dtype=np.uint32, count=len(data))
    return heads, tails, np.fromiter(map(len, data), dtype=np.int64, count=len(data))


def pair_columns(heads: np.ndarray, tails: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``pair_column`` of many pairs: the first tokens' heads, the second tokens' tails and byte lengths
    (``pair_parts``). Pairs whose second token is over ``_SHIFT_LIMIT`` bytes are left at -1."""
    tables = _shift_tables()
    short = lengths < _SHIFT_LIMIT
    n = np.where(short, lengths, 0)
    state = (
        tables[n, 0, heads & 0xFF]
        ^ tables[n, 1, (heads >> 8) & 0xFF]
        ^ tables[n, 2, (heads >> 16) & 0xFF]
        ^ tables[n, 3, heads >> 24]
        ^ tails
    )
    return np.where(short, ((~state) & _MASK).astype(np.int64), -1)


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


class PartWeights(NamedTuple):
    """How much a token pair and a lexicon tag count in a comment's vector against a token (1): a model's
    choice (``commentscope.nlp.train.PART_WEIGHTS``), kept in its metadata."""

    pairs: float = 1.0
    tags: float = 1.0


UNWEIGHTED = PartWeights()


def part_factors(features: CommentFeatures, n_parts: int, weights: PartWeights) -> np.ndarray:
    """Each of ``part_columns(features)``'s ``n_parts`` entries' factor: 1 for a token's columns, then the pairs'
    and the tags' weights."""
    n_pairs, n_tags = len(features.pairs), len(features.tags)
    return np.repeat([1.0, weights.pairs, weights.tags], [n_parts - n_pairs - n_tags, n_pairs, n_tags])


def feature_matrix(
    features: Sequence[CommentFeatures], idf: np.ndarray | None = None, weights: PartWeights = UNWEIGHTED
) -> csr_matrix:
    """Rows of comments: the sum of their parts' columns (weighted by ``idf`` when given, pairs and tags by
    ``weights``), divided by the root of the summed squares. Training uses it; ``commentscope.nlp.linear``
    computes the same product from cached rows.
    """
    from scipy.sparse import csr_matrix  # training only: tagging comments never imports scipy

    parts = [np.array(part_columns(f), dtype=np.int64) for f in features]
    lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    indptr = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    values = idf[indices].astype(np.float64) if idf is not None else np.ones(len(indices))
    if weights != UNWEIGHTED and len(parts):
        values *= np.concatenate([part_factors(f, len(p), weights) for f, p in zip(features, parts, strict=True)])
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


def quote_tags(quoted_hits: Iterable) -> list[str]:
    """A comment that quotes: ``quoted``, and each lexicon category found inside its quotes (``quoted:slur``),
    so the models can learn that a slur quoted differs from a slur used."""
    return ["quoted", *(f"quoted:{tag}" for tag in lexicon_tags(quoted_hits) if ":" not in tag)]
