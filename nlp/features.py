"""Character n-gram features shared by training (scikit-learn, build time) and scoring (numpy at run time).

One function makes the features for both sides, so the shipped weights always mean the same thing.
Character n-grams inside word boundaries need no tokeniser (Thai included) and survive spelling games
that normalisation missed. A text's features are the union of its words' features, and words repeat
across comments far more than texts do, so each word's features are computed once (``word_features``).
"""

from __future__ import annotations

import math
from functools import lru_cache

NGRAM_SIZES = (2, 3, 4)


@lru_cache(maxsize=131_072)
def word_features(word: str) -> frozenset[str]:
    """The word itself (``w:`` prefix) and the char n-grams of the word padded with spaces."""
    out = {"w:" + word}
    padded = f" {word} "
    length = len(padded)
    for size in NGRAM_SIZES:
        for i in range(length - size + 1):
            out.add(padded[i : i + size])
    return frozenset(out)


def ngrams(text: str) -> set[str]:
    """Distinct char n-grams of each space-separated word padded with spaces, plus the words themselves."""
    return set().union(*map(word_features, text.split()))


def norm(features: set[str]) -> float:
    """Binary features are L2-normalised by the count of all features (known to the model or not)."""
    return 1.0 / math.sqrt(len(features)) if features else 0.0
