"""Splits: deterministic from the seed, no thread in two splits, close to the target shares per stratum."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from commentscope.export.splits import SplitError, assign_splits, parse_ratios


def _rows(n_threads: int = 600, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for t in range(n_threads):
        language = rng.choice(["th", "id", "ms", "tl", "en"])
        for r in range(rng.choice([1, 1, 1, 2, 3, 6])):
            label = rng.choices(["none", "toxic", "hate", "counter_speech"], [0.7, 0.15, 0.1, 0.05])[0]
            rows.append({"id": f"c{t}-{r}", "thread_id": f"t{t}", "language": language, "label": label})
    return rows


def stratum(row: dict) -> tuple:
    return (row["language"], row["label"])


def test_same_seed_same_split_other_seed_other_split():
    rows = _rows()
    first = assign_splits(rows, stratum, seed=1)
    again = assign_splits(list(reversed(rows)), stratum, seed=1)  # input order must not matter
    other = assign_splits(rows, stratum, seed=2)
    assert first == again
    assert first != other


def test_no_thread_spans_two_splits_and_every_comment_is_placed():
    rows = _rows()
    assignment = assign_splits(rows, stratum, seed=3)
    per_thread: dict[str, set] = {}
    for row in rows:
        per_thread.setdefault(row["thread_id"], set()).add(assignment[row["thread_id"]])
    assert all(len(s) == 1 for s in per_thread.values())
    assert set(assignment) == {r["thread_id"] for r in rows}


def test_shares_close_to_target_overall_and_per_stratum():
    rows = _rows()
    assignment = assign_splits(rows, stratum, seed=4, ratios=(0.8, 0.1, 0.1))
    total = Counter(assignment[r["thread_id"]] for r in rows)
    assert total["train"] / len(rows) == pytest.approx(0.8, abs=0.03)
    assert total["test"] / len(rows) == pytest.approx(0.1, abs=0.03)
    by_stratum: dict[tuple, Counter] = {}
    for row in rows:
        by_stratum.setdefault(stratum(row), Counter())[assignment[row["thread_id"]]] += 1
    for key, counts in by_stratum.items():
        n = sum(counts.values())
        if n >= 60:
            assert counts["train"] / n == pytest.approx(0.8, abs=0.08), key
            assert counts["test"] / n == pytest.approx(0.1, abs=0.06), key
    # long threads reach the held-out splits too, not only train
    sizes = Counter(r["thread_id"] for r in rows)
    assert any(sizes[t] > 1 and s == "test" for t, s in assignment.items())


def test_zero_share_split_stays_empty():
    assignment = assign_splits(_rows(100), stratum, seed=0, ratios=(0.9, 0.0, 0.1))
    assert "validation" not in set(assignment.values())


@pytest.mark.parametrize("text", ["0.8,0.2", "a,b,c", "-1,1,1", "0,0,0"])
def test_bad_ratios_are_clear_errors(text):
    with pytest.raises(SplitError, match="split ratios"):
        parse_ratios(text)


def test_ratios_are_normalised():
    assert parse_ratios("80,10,10") == pytest.approx((0.8, 0.1, 0.1))
