"""Allocation of the review sample over strata: square-root shares, capped, a floor when it fits."""

from __future__ import annotations

import pytest

from commentscope.export.sampling import SampleError, allocate, stratified_sample


def test_square_root_allocation_covers_rare_strata_and_caps_at_size():
    alloc = allocate({"none": 900, "hate": 100, "threat": 3}, 100)
    assert sum(alloc.values()) == 100 and alloc["threat"] == 3  # all of a tiny stratum
    assert alloc["none"] / alloc["hate"] == pytest.approx(3, rel=0.15)  # sqrt(900)/sqrt(100), not 9


def test_a_sample_smaller_than_the_strata_lowers_the_floor_instead_of_failing():
    alloc = allocate({f"s{i}": 50 for i in range(10)}, 5)
    assert sum(alloc.values()) == 5 and max(alloc.values()) == 1


def test_inclusion_probabilities_and_overlap_are_recorded():
    rows = [{"id": f"c{i}", "period": "before", "language": "th", "labels": ["hate"] if i < 10 else []}
            for i in range(100)]  # fmt: skip
    chosen, design = stratified_sample(rows, 20, seed=1, overlap=5)
    assert len(chosen) == 20 and sum(r["overlap"] for r in chosen) == 5
    for row in chosen:
        stratum = design.strata[row["stratum"]]
        assert row["inclusion_probability"] == stratum["sample"] / stratum["population"]
    assert stratified_sample(rows, 20, seed=1, overlap=5)[0] == chosen  # seeded: the same draw
    with pytest.raises(SampleError, match="--overlap 30 is larger than --sample 20"):
        stratified_sample(rows, 20, seed=1, overlap=30)
