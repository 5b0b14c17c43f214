"""The review sample's design: stratified random sampling with known inclusion probabilities.

Strata are period x language x primary machine label, so the sample can later correct the machine
labels per period and language (``commentscope.compare.corrected``). Sizes follow square-root
allocation (between proportional, which starves rare labels, and equal, which wastes reviews on
small strata), with at least ``MIN_PER_STRATUM`` per stratum where it has that many comments. Within a
stratum the sample is simple random (a seeded hash order), so every row's inclusion probability is
``n_h / N_h``. The draw is recorded in the lake (``labels/samples/``) with its strata sizes, so an
estimate can be weighted and audited later.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from commentscope.atomic import write_text, write_with
from commentscope.errors import ExportStageError
from commentscope.export.selection import primary_label
from commentscope.lake import PARQUET_OPTIONS, Lake

MIN_PER_STRATUM = 2
SAMPLE_SCHEMA = pa.schema(
    [
        ("sample_id", pa.string()),
        ("id", pa.string()),
        ("stratum", pa.string()),
        ("inclusion_probability", pa.float64()),
        ("overlap", pa.bool_()),
    ]
)


class SampleError(ExportStageError, ValueError):
    """A sample that cannot be drawn as asked, with what would work."""


@dataclass
class Design:
    sample_id: str
    seed: int
    size: int
    overlap: int
    strata: dict[str, dict[str, int]]  # stratum -> {"population": N_h, "sample": n_h}


def stratum_of(row: dict) -> str:
    return f"{row['period']}|{row['language']}|{primary_label(row)}"


def allocate(sizes: dict[str, int], total: int, minimum: int = MIN_PER_STRATUM) -> dict[str, int]:
    """Square-root allocation of ``total`` over strata of these sizes, capped at each size.

    A sample too small for ``minimum`` per stratum gets a smaller floor (possibly none): strata left
    out have inclusion probability 0, which the design records and ``compare --corrected`` reports.
    """
    if sizes and sum(min(n, minimum) for n in sizes.values()) > total:
        minimum = total // len(sizes)
    alloc = {h: min(n, minimum) for h, n in sizes.items()}
    remaining = total - sum(alloc.values())
    while remaining > 0:
        open_ = {h: math.sqrt(n) for h, n in sizes.items() if alloc[h] < n}
        if not open_:
            break
        weight = sum(open_.values())
        shares = {h: remaining * w / weight for h, w in open_.items()}
        added = 0
        for h, share in shares.items():
            step = min(int(share), sizes[h] - alloc[h])
            alloc[h] += step
            added += step
        if added == 0:  # largest remainders, one each
            for h in sorted(shares, key=lambda k: (-(shares[k] % 1), k))[:remaining]:
                alloc[h] += 1
                added += 1
        remaining -= added
    return alloc


def _order(seed: int, comment_id: str, salt: str = "") -> str:
    return hashlib.sha256(f"{seed}:{salt}{comment_id}".encode()).hexdigest()


def stratified_sample(rows: list[dict], size: int, seed: int, overlap: int = 0) -> tuple[list[dict], Design]:
    """Draw the sample; each chosen row gets ``stratum``, ``inclusion_probability``, ``overlap``, ``sample_id``."""
    if overlap > size:
        raise SampleError(f"--overlap {overlap} is larger than --sample {size}: use at most {size}")
    by_stratum: dict[str, list[dict]] = {}
    for row in rows:
        by_stratum.setdefault(stratum_of(row), []).append(row)
    sizes = {h: len(items) for h, items in sorted(by_stratum.items())}
    alloc = allocate(sizes, min(size, len(rows)))
    chosen: list[dict] = []
    for h, items in by_stratum.items():
        items = sorted(items, key=lambda r: _order(seed, r["id"]))[: alloc[h]]
        for row in items:
            chosen.append({**row, "stratum": h, "inclusion_probability": alloc[h] / sizes[h]})
    chosen.sort(key=lambda r: r["id"])
    twice = set(sorted((r["id"] for r in chosen), key=lambda i: _order(seed, i, "overlap"))[:overlap])
    digest = hashlib.sha256(f"{seed}:{size}:{overlap}:".encode() + "\n".join(r["id"] for r in chosen).encode())
    sample_id = f"s-{digest.hexdigest()[:12]}"
    for row in chosen:
        row["overlap"] = row["id"] in twice
        row["sample_id"] = sample_id
    strata = {h: {"population": sizes[h], "sample": alloc[h]} for h in sizes}
    return chosen, Design(sample_id, seed, len(chosen), len(twice), strata)


def samples_dir(lake: Lake) -> Path:
    return lake.local_root / "labels" / "samples"


def record_sample(lake: Lake, rows: list[dict], design: Design, filters: dict, drawn_at: datetime) -> Path:
    """Store the draw (rows with stratum and inclusion probability, and the design) in the lake."""
    table = pa.Table.from_pylist(
        [{c: r[c] for c in SAMPLE_SCHEMA.names} for r in rows],
        schema=SAMPLE_SCHEMA,
    )
    target = samples_dir(lake) / f"sample-{design.sample_id}.parquet"
    write_with(target, lambda tmp: pq.write_table(table, tmp, **PARQUET_OPTIONS))
    meta = {
        "sample_id": design.sample_id, "seed": design.seed, "size": design.size, "overlap": design.overlap,
        "filters": filters, "drawn_at": drawn_at.isoformat(), "allocation": "square-root, min 2 per stratum",
        "strata": design.strata,
    }  # fmt: skip
    write_text(target.with_suffix(".json"), json.dumps(meta, indent=2, sort_keys=True) + "\n")
    return target


def sample_parts(lake: Lake) -> list[Path]:
    return sorted(samples_dir(lake).glob("sample-*.parquet"))
