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

import numpy as np
from scipy.sparse import csr_matrix

from commentscope.nlp.features import N_COLUMNS, CommentFeatures, single_columns, token_columns

_TABLE_LIMIT = 400_000  # cached tokens per model: a bound on memory (~17 MB for 11 labels)


@dataclass
class BatchParts:
    """One batch's comments as rows of the token table and single columns, with each comment's scale."""

    token_rows: list[list[int]]
    singles: list[list[int]]
    scale: np.ndarray  # 1 / root of the summed squares (0 for an empty comment)


class HashedLinear:
    """Weights (columns x outputs) times IDF, with a growing table of per-token sums."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, idf: np.ndarray | None = None) -> None:
        idf = np.ones(N_COLUMNS, dtype=np.float64) if idf is None else idf.astype(np.float64)
        self.contrib = (weights.astype(np.float32) * idf[:, None].astype(np.float32))  # weight x IDF
        self.squares = idf**2
        self.bias = bias.astype(np.float32)
        self._index: dict[str, int] = {}
        self.tokens: list[str] = []  # row -> token
        self.generation = 0  # bumped when the table starts over, so row-aligned caches elsewhere do too
        self._rows = np.zeros((0, weights.shape[1]), dtype=np.float32)
        self._row_squares = np.zeros(0, dtype=np.float64)

    def _add(self, tokens: list[str]) -> None:
        """Rows for new tokens, all in one sparse product."""
        members = _membership([token_columns(t) for t in tokens], N_COLUMNS)
        start = len(self._index)
        self._rows = np.concatenate([self._rows[:start], np.asarray(members @ self.contrib)])
        self._row_squares = np.concatenate([self._row_squares[:start], members @ self.squares])
        self._index.update(zip(tokens, range(start, start + len(tokens)), strict=True))
        self.tokens.extend(tokens)

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
        token_rows = [[index[t] for t in f.tokens] for f in features]
        singles = [single_columns(f) for f in features]
        known = len(index)
        by_token = _membership(token_rows, known)
        by_single = _membership(singles, N_COLUMNS)
        squares = by_token @ self._row_squares[:known] + by_single @ self.squares
        with np.errstate(divide="ignore"):
            scale = np.where(squares > 0, 1.0 / np.sqrt(squares), 0.0)
        total = np.asarray(by_token @ self._rows[:known], dtype=np.float64)
        total += np.asarray(by_single @ self.contrib, dtype=np.float64)
        logits = (total * scale[:, None]).astype(np.float32) + self.bias
        return logits, BatchParts(token_rows, singles, scale)

    def contributions(self, token_rows: np.ndarray, singles: np.ndarray, outputs: list[int]) -> np.ndarray:
        """Each part's unscaled contribution to the ``outputs``: tokens first, then single columns."""
        return np.concatenate([self._rows[token_rows][:, outputs], self.contrib[singles][:, outputs]])


def _membership(lists: Sequence[Sequence[int]], width: int) -> csr_matrix:
    """Rows of ones at the given columns: which table rows or columns each comment (or token) sums."""
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    indptr = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.fromiter((i for row in lists for i in row), dtype=np.int64, count=int(indptr[-1]))
    return csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(lists), width))
