"""Character n-gram features shared by training (scikit-learn, build time) and scoring (numpy-free dict lookups).

One function makes the features for both sides, so the shipped weights always mean the same thing.
Character n-grams inside word boundaries need no tokeniser (Thai included) and survive spelling games
that normalisation missed.
"""

from __future__ import annotations

import math

NGRAM_SIZES = (2, 3, 4)


def ngrams(text: str) -> set[str]:
    """Distinct char n-grams of each space-separated word padded with spaces, plus the words themselves."""
    out: set[str] = set()
    for word in text.split():
        out.add("w:" + word)
        padded = f" {word} "
        length = len(padded)
        for size in NGRAM_SIZES:
            for i in range(length - size + 1):
                out.add(padded[i : i + size])
    return out


def norm(features: set[str]) -> float:
    """Binary features are L2-normalised by the count of all features (known to the model or not)."""
    return 1.0 / math.sqrt(len(features)) if features else 0.0
