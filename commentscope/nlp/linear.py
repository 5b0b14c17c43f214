"""A linear model over hashed features (``commentscope.nlp.features``), scored by adding cached per-token rows.

A comment's score is the sum over its tokens of (weight x IDF summed over the token's columns), plus its
pairs' and lexicon tags' single columns (each times its kind's ``PartWeights``), divided by the root of the
parts' summed squares. Tokens repeat across comments far more than comments do, so each token's row is computed
once (for all the new tokens of a batch at once) and a batch sums rows of two tables per comment
(``segment_sums``: numpy, no scipy to set up, so one comment costs little too). This is
``feature_matrix(features, idf, parts) @ weights``, the product the model was trained on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from commentscope.nlp.features import (
    N_COLUMNS,
    SMALL,
    UNWEIGHTED,
    CommentFeatures,
    PartWeights,
    column,
    pair_column,
    pair_columns,
    pair_parts,
    tag_column,
    token_columns_many,
)

_TABLE_LIMIT = 400_000  # cached tokens per model: a bound on memory (~17 MB for 11 labels)


@dataclass
class BatchParts:
    """One batch's comments as flat arrays, comment after comment (``*_start``: where each one begins):
    its rows of the token table, its single columns (its pairs', then its tags') with their factors (``None``:
    all 1), its pairs as positions among its own tokens, and its scale."""

    token_rows: np.ndarray
    token_start: np.ndarray
    singles: np.ndarray
    single_start: np.ndarray
    single_factor: np.ndarray | None
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

    def __init__(
        self, weights: np.ndarray, bias: np.ndarray, idf: np.ndarray | None = None, parts: PartWeights = UNWEIGHTED
    ) -> None:
        idf = np.ones(N_COLUMNS, dtype=np.float64) if idf is None else idf.astype(np.float64)
        self.parts = parts
        self.contrib = weights.astype(np.float32) * idf[:, None].astype(np.float32)  # weight x IDF
        self.squares = idf**2
        self.bias = bias.astype(np.float32)
        self._index: dict[str, int] = {}
        self.tokens: list[str] = []  # row -> token
        self.generation = 0  # bumped when the table starts over, so row-aligned caches elsewhere do too
        self._rows = np.zeros((0, weights.shape[1]), dtype=np.float32)
        self._row_squares = np.zeros(0, dtype=np.float64)
        # per row, what the token brings to a pair's column (``nlp.features.pair_parts``), filled up to row
        # ``_parted`` when a batch needs them (rows are added in order): language id, which reads no pairs, never does
        self._parted = 0
        self._heads = np.zeros(0, dtype=np.uint32)
        self._tails = np.zeros(0, dtype=np.uint32)
        self._lengths = np.zeros(0, dtype=np.int64)

    def _add(self, tokens: list[str]) -> None:
        """Rows for new tokens: each the sum of its columns' weight x IDF (and squared IDF)."""
        columns = token_columns_many(tokens)
        column_start = _starts(np.fromiter(map(len, columns), dtype=np.int64, count=len(columns)))
        flat = np.fromiter(chain.from_iterable(columns), dtype=np.int64, count=int(column_start[-1]))
        start, end = len(self._index), len(self._index) + len(tokens)
        if end > len(self._rows):  # room for twice as many: a batch's new tokens must not copy the table each time
            grown = max(2 * end, 1024)
            self._rows = _resized(self._rows, start, grown)
            self._row_squares = _resized(self._row_squares, start, grown)
            self._heads = _resized(self._heads, start, grown)
            self._tails = _resized(self._tails, start, grown)
            self._lengths = _resized(self._lengths, start, grown)
        self._rows[start:end] = segment_sums(self.contrib, flat, column_start)
        self._row_squares[start:end] = segment_sums(self.squares, flat, column_start)
        self._index.update(zip(tokens, range(start, end), strict=True))
        self.tokens.extend(tokens)

    def _fill_pair_parts(self) -> None:
        """The pair registers of the rows added since a batch last needed them."""
        start, end = self._parted, len(self.tokens)
        if start < end:
            self._heads[start:end], self._tails[start:end], self._lengths[start:end] = pair_parts(
                self.tokens[start:end]
            )
            self._parted = end

    def _singles(
        self, features: Sequence[CommentFeatures], rows: np.ndarray, token_start: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray, np.ndarray]:
        """Each comment's pair columns (from its tokens' rows: no text hashed again), then its tag columns, with
        their factors (``PartWeights``; ``None`` when both are 1)."""
        n = len(features)
        n_pair = np.fromiter((len(f.pairs) for f in features), dtype=np.int64, count=n)
        pairs = np.fromiter(
            chain.from_iterable(chain.from_iterable(f.pairs) for f in features),
            dtype=np.int64,
            count=2 * int(n_pair.sum()),
        ).reshape(-1, 2)
        offset = np.repeat(token_start[:-1], n_pair)
        first, second = rows[pairs[:, 0] + offset], rows[pairs[:, 1] + offset]
        if len(first) > SMALL:
            self._fill_pair_parts()
            singles = pair_columns(self._heads[first], self._tails[second], self._lengths[second])
        else:  # a comment or two: zlib on each pair's text is quicker than the tables' set-up
            tokens = self.tokens
            singles = np.fromiter(
                (pair_column(tokens[a], tokens[b]) for a, b in zip(first.tolist(), second.tolist(), strict=True)),
                dtype=np.int64,
                count=len(first),
            )
        for i in np.flatnonzero(singles < 0).tolist():  # a second token too long for the tables
            singles[i] = column(f"b:{self.tokens[first[i]]} {self.tokens[second[i]]}")
        n_tag = np.fromiter((len(f.tags) for f in features), dtype=np.int64, count=n)
        factor = None if self.parts == UNWEIGHTED else np.full(len(singles), self.parts.pairs)
        if n_tag.any():
            tags = np.fromiter(
                (tag_column(t) for f in features for t in f.tags), dtype=np.int64, count=int(n_tag.sum())
            )
            owner = np.concatenate([np.repeat(np.arange(n), n_pair), np.repeat(np.arange(n), n_tag)])
            order = np.argsort(owner, kind="stable")
            singles = np.concatenate([singles, tags])[order]
            if factor is not None:
                factor = np.concatenate([factor, np.full(len(tags), self.parts.tags)])[order]
        return singles, _starts(n_pair + n_tag), factor, pairs, _starts(n_pair)

    def score(self, features: Sequence[CommentFeatures]) -> tuple[np.ndarray, BatchParts]:
        """Comments x outputs (bias + sum of parts x scale), and the parts, for evidence."""
        if len(self._index) > _TABLE_LIMIT:
            self._index.clear()
            self.tokens.clear()
            self._parted = 0
            self.generation += 1
        index = self._index
        # every token of the batch, in order (map and chain: no Python frame per token)
        tokens = list(chain.from_iterable(f.tokens for f in features))
        new = [t for t in dict.fromkeys(tokens) if t not in index]
        if new:
            self._add(new)
        n = len(features)
        token_start = _starts(np.fromiter(map(len, (f.tokens for f in features)), dtype=np.int64, count=n))
        rows = np.fromiter(map(index.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        singles, single_start, factor, pairs, pair_start = self._singles(features, rows, token_start)
        if factor is None:
            single_squares = segment_sums(self.squares, singles, single_start)
            single_total = segment_sums(self.contrib, singles, single_start)
        else:  # each single column's row times its factor, summed in order
            in_order = np.arange(len(singles))
            single_squares = segment_sums(self.squares[singles] * factor**2, in_order, single_start)
            weighted = self.contrib[singles] * factor[:, None].astype(np.float32)
            single_total = segment_sums(weighted, in_order, single_start)
        squares = segment_sums(self._row_squares, rows, token_start) + single_squares
        with np.errstate(divide="ignore"):
            scale = np.where(squares > 0, 1.0 / np.sqrt(squares), 0.0)
        total = segment_sums(self._rows, rows, token_start).astype(np.float64)
        total += single_total  # float32 sums, added in float64
        logits = (total * scale[:, None]).astype(np.float32) + self.bias
        return logits, BatchParts(rows, token_start, singles, single_start, factor, pairs, pair_start, scale)

    def contributions(
        self, token_rows: np.ndarray, singles: np.ndarray, outputs: list[int], factor: np.ndarray | None = None
    ) -> np.ndarray:
        """Each part's unscaled contribution to the ``outputs``: tokens first, then single columns (times their
        ``factor`` when given)."""
        ones = self.contrib[singles][:, outputs]
        if factor is not None:
            ones *= factor[:, None].astype(np.float32)
        return np.concatenate([self._rows[token_rows][:, outputs], ones])


def segment_sums(table: np.ndarray, index: np.ndarray, start: np.ndarray) -> np.ndarray:
    """``table[index]`` summed per segment (``start``: where each begins; an empty one sums to 0): a sparse
    matrix of ones times ``table``, without building one (a single comment pays no scipy set-up)."""
    out = np.zeros((len(start) - 1, *table.shape[1:]), dtype=table.dtype)
    filled = start[1:] > start[:-1]
    if filled.any():
        out[filled] = np.add.reduceat(table[index], start[:-1][filled], axis=0)
    return out


def _resized(array: np.ndarray, keep: int, size: int) -> np.ndarray:
    """A larger array holding the first ``keep`` items of ``array``."""
    out = np.zeros((size, *array.shape[1:]), dtype=array.dtype)
    out[:keep] = array[:keep]
    return out
