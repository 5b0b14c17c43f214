"""py3langid's naive Bayes model, run over a whole batch with numpy instead of once per text.

py3langid's own ``classify`` walks its byte automaton in a Python loop and makes a few small numpy
calls per text, which is most of its cost on short comments. Here the automaton walks every text
of a batch in lock step (one numpy step per byte position, texts sorted by length), the feature
counts of the whole batch are gathered at once, and the scores are the same sums as py3langid's
(``log1p(count) @ P(feature|lang) + P(lang)``, length-scaled, softmax). The model's arrays are
py3langid's own, restricted to our five languages; the test suite checks the answers against
``LanguageIdentifier.classify``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy.sparse import coo_matrix

_CACHE_LIMIT = 100_000
# Below this many texts still walking, numpy's per-call overhead costs more than a plain Python loop.
_LOCKSTEP_MIN = 8
# Bytes walked in lock step; the rest of a longer text (a rare 10,000-character YouTube comment) is
# walked in Python, so the batch's byte grid stays small (2,000 texts x 1 KiB).
_LOCKSTEP_WIDTH = 1024
# Texts longer than this are not remembered: they rarely repeat, and the cache must stay small.
_CACHE_TEXT_CHARS = 512


class BatchIdentifier:
    """Language and probability of many texts with one py3langid model (already restricted to a set)."""

    def __init__(self, identifier) -> None:  # noqa: ANN001 - py3langid's LanguageIdentifier
        self.classes: list[str] = list(identifier.nb_classes)
        self.next_move = np.frombuffer(identifier.tk_nextmove, dtype=np.uint32)  # a view, not a copy
        self.row_base = np.asarray(identifier._rowbase, dtype=np.int64)
        self.output = np.asarray(identifier.tk_output, dtype=np.int64)
        # float64 throughout: at least as exact as py3langid's float32 (answers agree to ~1e-5).
        self.p_feature = np.asarray(identifier.nb_ptc, dtype=np.float64)
        self.p_class = np.asarray(identifier.nb_pc, dtype=np.float64)
        self.alias_pairs: list[tuple[int, int]] = list(identifier._alias_pairs)
        # py3langid's own sequences (no copies): fast to index from Python for the last few texts.
        self._moves_list = identifier.tk_nextmove
        self._row_base_list: list[int] = identifier._rowbase
        self._output_list: list[int] = identifier.tk_output
        self._cache: dict[str, tuple[str, float]] = {}

    def classify(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """``(language, probability)`` per text; each distinct text is scored once and remembered."""
        cache = self._cache
        todo = [t for t in dict.fromkeys(texts) if t not in cache]
        if not todo:
            return [cache[t] for t in texts]
        if len(cache) + len(todo) > _CACHE_LIMIT:  # a bound on memory, not an eviction policy
            cache.clear()
            todo = list(dict.fromkeys(texts))  # answers remembered before the clear are gone too
        scored = dict(zip(todo, self._score(todo), strict=True))
        cache.update((t, answer) for t, answer in scored.items() if len(t) <= _CACHE_TEXT_CHARS)
        return [cache[t] if t in cache else scored[t] for t in texts]

    def clear(self) -> None:
        """Forget the remembered answers (benchmarks use it to time new texts only)."""
        self._cache.clear()

    def _score(self, texts: list[str]) -> list[tuple[str, float]]:
        encoded = [_encode(t) for t in texts]
        rows, features = self._walk(encoded)
        # (text, feature) -> count: the sparse matrix sums the repeated pairs.
        counts = coo_matrix(
            (np.ones(len(rows)), (rows, features)), shape=(len(texts), self.p_feature.shape[0])
        ).tocsr()
        counts.data = np.log1p(counts.data)
        scores = np.asarray(counts @ self.p_feature)
        has_features = np.diff(counts.indptr) > 0
        scores[has_features] += self.p_class
        lengths = np.array([len(b) or 1 for b in encoded], dtype=np.float64)
        scores *= (1.0 / np.sqrt(lengths))[:, None]
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        scores /= scores.sum(axis=1, keepdims=True)
        for i, j in self.alias_pairs:
            scores[:, i] += scores[:, j]
            scores[:, j] = 0.0
        best = scores.argmax(axis=1)
        return [(self.classes[k], float(scores[n, k])) for n, k in enumerate(best.tolist())]

    def _walk(self, encoded: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """Run the byte automaton over all texts at once; the (text, feature) pair of every output state."""
        order = sorted(range(len(encoded)), key=lambda n: -len(encoded[n]))
        longest = len(encoded[order[0]]) if order else 0
        if longest == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        width = min(longest, _LOCKSTEP_WIDTH)
        grid = np.zeros((len(order), width), dtype=np.uint8)
        lengths = np.empty(len(order), dtype=np.int64)
        for slot, n in enumerate(order):
            data = encoded[n]
            lengths[slot] = len(data)
            grid[slot, : min(len(data), width)] = np.frombuffer(data[:width], dtype=np.uint8)
        # Texts are sorted longest first, so the texts still walking at position p are a prefix.
        active_until = np.searchsorted(-lengths, -np.arange(width), side="left")
        state = np.zeros(len(order), dtype=np.int64)
        found_rows: list[np.ndarray] = []
        found_features: list[np.ndarray] = []
        slots = np.arange(len(order), dtype=np.int64)
        for position in range(width):
            k = int(active_until[position])
            if k < _LOCKSTEP_MIN:
                self._finish(encoded, order, state, k, position, found_rows, found_features)
                break
            current = self.next_move[self.row_base[state[:k]] + grid[:k, position]]
            state[:k] = current
            emitted = self.output[current]
            hit = emitted >= 0
            if hit.any():
                found_rows.append(slots[:k][hit])
                found_features.append(emitted[hit])
        else:  # every position of the grid walked: finish the texts longer than the grid
            longer = int((lengths > width).sum())
            if longer:
                self._finish(encoded, order, state, longer, width, found_rows, found_features)
        if not found_rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        back = np.asarray(order, dtype=np.int64)
        return back[np.concatenate(found_rows)], np.concatenate(found_features)

    def _finish(self, encoded: list[bytes], order: list[int], state: np.ndarray, k: int, position: int,
                found_rows: list[np.ndarray], found_features: list[np.ndarray]) -> None:
        """Walk the last few (longest) texts to their end one byte at a time, as py3langid does."""
        moves, row_base, output = self._moves_list, self._row_base_list, self._output_list
        for slot in range(k):
            current = int(state[slot])
            emitted = []
            for byte in encoded[order[slot]][position:]:
                current = moves[row_base[current] + byte]
                feature = output[current]
                if feature >= 0:
                    emitted.append(feature)
            if emitted:
                found_rows.append(np.full(len(emitted), slot, dtype=np.int64))
                found_features.append(np.asarray(emitted, dtype=np.int64))


def _encode(text: str) -> bytes:
    """py3langid's own preparation of a str: lower-case if all upper, NFC, UTF-8."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


@lru_cache(maxsize=1)
def batch_identifier() -> BatchIdentifier:
    from nlp.langid import _identifier

    return BatchIdentifier(_identifier())
