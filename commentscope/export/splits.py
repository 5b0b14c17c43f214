"""Train/validation/test splits: stratified by language and label, grouped by thread, seeded.

A reply quotes and answers its parent, so a thread split across train and test leaks; every
comment of a thread goes to the same split. Threads are visited in a seeded random order (so the
seed changes the split and the same seed reproduces it), each going to the split that still lacks
the most of the thread's (language, label) strata relative to its target share: the approach of
scikit-learn's StratifiedGroupKFold. Strata with fewer comments than 1/share mostly land in train.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable

from commentscope.errors import ExportStageError

SPLITS: tuple[str, ...] = ("train", "validation", "test")
DEFAULT_RATIOS: tuple[float, float, float] = (0.8, 0.1, 0.1)


class SplitError(ExportStageError, ValueError):
    """Split ratios that cannot work."""


def parse_ratios(text: str) -> tuple[float, float, float]:
    """'0.8,0.1,0.1' (or '80,10,10') -> normalised ratios for train, validation, test."""
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        raise SplitError(f"split ratios {text!r} are not numbers: write e.g. 0.8,0.1,0.1") from None
    if len(values) != 3 or any(v < 0 for v in values) or sum(values) <= 0:
        raise SplitError(f"split ratios {text!r}: give three non-negative numbers for train,validation,test")
    total = sum(values)
    return (values[0] / total, values[1] / total, values[2] / total)


def _tiebreak(seed: int, thread: str) -> str:
    return hashlib.sha256(f"{seed}:{thread}".encode()).hexdigest()


def assign_splits(
    rows: list[dict],
    stratum: Callable[[dict], tuple],
    seed: int = 0,
    ratios: tuple[float, float, float] = DEFAULT_RATIOS,
) -> dict[str, str]:
    """Map each thread_id to a split name."""
    threads: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        threads[row["thread_id"]][stratum(row)] += 1
    totals: Counter = Counter()
    for strata in threads.values():
        totals.update(strata)
    all_comments = sum(totals.values()) or 1
    current: dict[str, Counter[str]] = {name: Counter() for name in SPLITS}
    sizes = dict.fromkeys(SPLITS, 0)
    order = sorted(threads, key=lambda t: _tiebreak(seed, t))
    assignment: dict[str, str] = {}
    for thread in order:
        strata = threads[thread]

        def need(index: int, strata: Counter = strata) -> tuple[float, float]:
            name, ratio = SPLITS[index], ratios[index]
            if ratio <= 0:
                return (float("-inf"), float("-inf"))
            by_stratum = sum(count * (ratio - current[name][key] / totals[key]) for key, count in strata.items())
            overall = ratio - sizes[name] / all_comments
            return (by_stratum, overall)

        best = max(range(len(SPLITS)), key=need)
        name = SPLITS[best]
        assignment[thread] = name
        current[name].update(strata)
        sizes[name] += sum(strata.values())
    return assignment
