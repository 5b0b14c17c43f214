"""`commentscope demo` end to end, through the real command, checking what it printed against the data."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq

from commentscope.demo import DEMO_COMMENTS, DEMO_REGISTRY
from commentscope.lake import Lake
from commentscope.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]


def run_demo(data: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "COMMENTSCOPE_AUTHOR_SALT"}
    proc = subprocess.run(
        [sys.executable, "-m", "commentscope.cli", "demo", "--data", str(data)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def expected_counts() -> Counter:
    """Comments per (creator, period) straight from the bundled file and the registry windows."""
    registry = load_registry(DEMO_REGISTRY)
    campaign = registry.campaign("demo-forward")
    counts: Counter = Counter()
    for line in DEMO_COMMENTS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        _, creator, _ = registry.find_video(row["platform"], row["video_id"])
        when = datetime.fromisoformat(row["created_at"].replace("Z", "+00:00"))
        counts[(creator.key, campaign.period_of(when))] += 1
    return counts


def test_demo_prints_figures_that_match_the_data(tmp_path):
    out = run_demo(tmp_path / "lake")
    expected = expected_counts()
    assert "synthetic" in out
    total = sum(expected.values())
    assert f"total comments: {total}" in out

    lake = Lake(tmp_path / "lake")
    (version,) = lake.enriched_versions()
    rows = [r for p in lake.enriched_parts(version) for r in pq.read_table(p).to_pylist()]
    assert len(rows) == total
    toxic = Counter((r["creator"], r["period"]) for r in rows if "toxic" in r["labels"])

    printed = {}
    for line in out.splitlines():
        match = re.match(r"│ (\S+)\s+│ (before|after)\s+│\s+(\d+) │\s+(\d+) \(", line)
        if match:
            printed[(match[1], match[2])] = (int(match[3]), int(match[4]))
    assert printed, out
    assert {k: v[0] for k, v in printed.items()} == dict(expected)
    assert {k: v[1] for k, v in printed.items()} == {k: toxic.get(k, 0) for k in expected}

    report = json.loads((tmp_path / "lake" / "reports" / "summary.json").read_text())
    assert report["total"] == total
    assert report["labels"].get("hate", 0) == sum("hate" in r["labels"] for r in rows)
    assert "demo (synthetic data)" in (tmp_path / "lake" / "reports" / "summary.md").read_text()
    # pseudonymous authors only: no handle from the input survives enrichment
    assert all(r["author_key"].startswith("a_") for r in rows)
    assert not any("demo_user_" in json.dumps(r, default=str) for r in rows)


def test_demo_twice_is_idempotent(tmp_path):
    run_demo(tmp_path / "lake")
    lake = Lake(tmp_path / "lake")
    parts = sorted(p.name for p in lake.raw_parts())
    out = run_demo(tmp_path / "lake")
    assert "new 0" in out and "enriched 0 comments" in out
    assert sorted(p.name for p in lake.raw_parts()) == parts
