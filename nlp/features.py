"""Character n-gram features shared by training (scikit-learn, build time) and scoring (numpy at run time).

One function makes the features for both sides, so the shipped weights always mean the same thing.
Character n-grams inside word boundaries need no tokeniser (Thai included) and survive spelling games
that normalisation missed. A text's features are the union of its words' features, and words repeat
across comments far more than texts do, so each word's features are computed once (``word_features``).
"""

from __future__ import annotations

import math

NGRAM_SIZES = (2, 3, 4)
# word -> its distinct features. Tuples of strings, not frozensets: the garbage collector stops
# scanning such tuples after one pass, and a cache this size would otherwise slow every full collection.
_BY_WORD: dict[str, tuple[str, ...]] = {}
_BY_WORD_LIMIT = 200_000
_CACHED_WORD_CHARS = 64


def word_features(word: str) -> tuple[str, ...]:
    """The word itself (``w:`` prefix) and the distinct char n-grams of the word padded with spaces."""
    found = _BY_WORD.get(word)
    if found is None:
        out = {"w:" + word}
        padded = f" {word} "
        length = len(padded)
        for size in NGRAM_SIZES:
            for i in range(length - size + 1):
                out.add(padded[i : i + size])
        found = tuple(out)
        if len(word) <= _CACHED_WORD_CHARS:  # a 5,000-letter "word" is spam, not vocabulary
            if len(_BY_WORD) >= _BY_WORD_LIMIT:  # a bound on memory, not an eviction policy
                _BY_WORD.clear()
            _BY_WORD[word] = found
    return found


def ngrams(text: str) -> set[str]:
    """Distinct char n-grams of each space-separated word padded with spaces, plus the words themselves."""
    return set().union(*map(word_features, text.split()))


def norm(features: set[str]) -> float:
    """Binary features are L2-normalised by the count of all features (known to the model or not)."""
    return 1.0 / math.sqrt(len(features)) if features else 0.0
