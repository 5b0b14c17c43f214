"""A linear model over hashed features (``commentscope.nlp.features``), scored by adding cached per-token rows.

A comment's score is the sum over its tokens of (weight x IDF summed over the token's columns), plus its
pairs' and lexicon tags' single columns, divided by the root of the parts' summed squared IDFs. Tokens
repeat across comments far more than comments do, so each token's row is computed once (one sparse
product for all the new tokens of a batch) and a batch is two sparse products over small tables. This
is exactly ``feature_matrix(features, idf) @ weights``, the product the model was trained on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
from scipy.sparse import csr_matrix

from commentscope.nlp.features import (
    N_COLUMNS,
    CommentFeatures,
    column,
    pair_columns,
    pair_parts,
    tag_column,
    token_columns_many,
)

_TABLE_LIMIT = 400_000  # cached tokens per model: a bound on memory (~17 MB for 11 labels)


@dataclass
class BatchParts:
    """One batch's comments as flat arrays, comment after comment (``*_start``: where each one begins):
    its rows of the token table, its single columns (its pairs', then its tags'), its pairs as positions
    among its own tokens, and its scale."""

    token_rows: np.ndarray
    token_start: np.ndarray
    singles: np.ndarray
    single_start: np.ndarray
    pairs: np.ndarray  # (pairs, 2): positions in the comment's tokens, in ``CommentFeatures.pairs`` order
    pair_start: np.ndarray
    scale: np.ndarray  # 1 / root of the summed squares (0 for an empty comment)


def _starts(counts: np.ndarray) -> np.ndarray:
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def gather(flat: np.ndarray, start: np.ndarray, which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The segments ``which`` of a flat array, one after the other, and their lengths."""
    counts = start[which + 1] - start[which]
    offsets = np.repeat(start[which] - _starts(counts)[:-1], counts)
    return flat[offsets + np.arange(int(counts.sum()))], counts


class HashedLinear:
    """Weights (columns x outputs) times IDF, with a growing table of per-token sums."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, idf: np.ndarray | None = None) -> None:
        idf = np.ones(N_COLUMNS, dtype=np.float64) if idf is None else idf.astype(np.float64)
        self.contrib = weights.astype(np.float32) * idf[:, None].astype(np.float32)  # weight x IDF
        self.squares = idf**2
        self.bias = bias.astype(np.float32)
        self._index: dict[str, int] = {}
        self.tokens: list[str] = []  # row -> token
        self.generation = 0  # bumped when the table starts over, so row-aligned caches elsewhere do too
        self._rows = np.zeros((0, weights.shape[1]), dtype=np.float32)
        self._row_squares = np.zeros(0, dtype=np.float64)
        # per row, what the token brings to a pair's column (``nlp.features.pair_parts``)
        self._heads = np.zeros(0, dtype=np.uint32)
        self._tails = np.zeros(0, dtype=np.uint32)
        self._lengths = np.zeros(0, dtype=np.int64)

    def _add(self, tokens: list[str]) -> None:
        """Rows for new tokens, all in one sparse product."""
        members = _membership(token_columns_many(tokens), N_COLUMNS)
        start = len(self._index)
        self._rows = np.concatenate([self._rows[:start], np.asarray(members @ self.contrib)])
        self._row_squares = np.concatenate([self._row_squares[:start], members @ self.squares])
        heads, tails, lengths = pair_parts(tokens)
        self._heads = np.concatenate([self._heads[:start], heads])
        self._tails = np.concatenate([self._tails[:start], tails])
        self._lengths = np.concatenate([self._lengths[:start], lengths])
        self._index.update(zip(tokens, range(start, start + len(tokens)), strict=True))
        self.tokens.extend(tokens)

    def _singles(
        self, features: Sequence[CommentFeatures], rows: np.ndarray, token_start: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Each comment's pair columns (from its tokens' rows: no text hashed again), then its tag columns."""
        n = len(features)
        n_pair = np.fromiter((len(f.pairs) for f in features), dtype=np.int64, count=n)
        pairs = np.fromiter(
            chain.from_iterable(chain.from_iterable(f.pairs) for f in features),
            dtype=np.int64,
            count=2 * int(n_pair.sum()),
        ).reshape(-1, 2)
        offset = np.repeat(token_start[:-1], n_pair)
        first, second = rows[pairs[:, 0] + offset], rows[pairs[:, 1] + offset]
        singles = pair_columns(self._heads[first], self._tails[second], self._lengths[second])
        for i in np.flatnonzero(singles < 0).tolist():  # a second token too long for the tables
            singles[i] = column(f"b:{self.tokens[first[i]]} {self.tokens[second[i]]}")
        n_tag = np.fromiter((len(f.tags) for f in features), dtype=np.int64, count=n)
        if n_tag.any():
            tags = np.fromiter(
                (tag_column(t) for f in features for t in f.tags), dtype=np.int64, count=int(n_tag.sum())
            )
            owner = np.concatenate([np.repeat(np.arange(n), n_pair), np.repeat(np.arange(n), n_tag)])
            singles = np.concatenate([singles, tags])[np.argsort(owner, kind="stable")]
        return singles, _starts(n_pair + n_tag), pairs, _starts(n_pair)

    def score(self, features: Sequence[CommentFeatures]) -> tuple[np.ndarray, BatchParts]:
        """Comments x outputs (bias + sum of parts x scale), and the parts, for evidence."""
        if len(self._index) > _TABLE_LIMIT:
            self._index.clear()
            self.tokens.clear()
            self.generation += 1
        index = self._index
        new = list(dict.fromkeys(t for f in features for t in f.tokens if t not in index))
        if new:
            self._add(new)
        n = len(features)
        token_start = _starts(np.fromiter((len(f.tokens) for f in features), dtype=np.int64, count=n))
        rows = np.fromiter((index[t] for f in features for t in f.tokens), dtype=np.int64, count=int(token_start[-1]))
        singles, single_start, pairs, pair_start = self._singles(features, rows, token_start)
        known = len(index)
        by_token = _csr(rows, token_start, known)
        by_single = _csr(singles, single_start, N_COLUMNS)
        squares = by_token @ self._row_squares[:known] + by_single @ self.squares
        with np.errstate(divide="ignore"):
            scale = np.where(squares > 0, 1.0 / np.sqrt(squares), 0.0)
        total = np.asarray(by_token @ self._rows[:known], dtype=np.float64)
        total += np.asarray(by_single @ self.contrib, dtype=np.float64)
        logits = (total * scale[:, None]).astype(np.float32) + self.bias
        return logits, BatchParts(rows, token_start, singles, single_start, pairs, pair_start, scale)

    def contributions(self, token_rows: np.ndarray, singles: np.ndarray, outputs: list[int]) -> np.ndarray:
        """Each part's unscaled contribution to the ``outputs``: tokens first, then single columns."""
        return np.concatenate([self._rows[token_rows][:, outputs], self.contrib[singles][:, outputs]])


def _csr(indices: np.ndarray, start: np.ndarray, width: int) -> csr_matrix:
    """Rows of ones at the given columns (``start``: where each row's begin)."""
    return csr_matrix((np.ones(len(indices), dtype=np.float32), indices, start), shape=(len(start) - 1, width))


def _membership(lists: Sequence[Sequence[int]], width: int) -> csr_matrix:
    """Rows of ones at the given columns: which table rows or columns each comment (or token) sums."""
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    indptr = _starts(lengths)
    indices = np.fromiter((i for row in lists for i in row), dtype=np.int64, count=int(indptr[-1]))
    return _csr(indices, indptr, width)
