"""Crash and resume: a run stopped at any page, then resumed, gives the same lake as an uninterrupted run."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from commentscope.collectors import state as st
from commentscope.collectors.collect import CollectOptions, collect_campaign
from commentscope.collectors.sandbox import FaultPlan, FaultRule
from commentscope.lake import Lake
from tests.fixtures.sandbox import lake_snapshot, raw_row_count

REPO = Path(__file__).resolve().parents[1]


class Crash(RuntimeError):
    """Stands in for a crash at a given page."""


def reference(world, sandbox) -> tuple[dict, dict[str, int]]:
    """The lake of an uninterrupted run, and the pages each video took."""
    lake = Lake(world.root / "reference")
    report = collect_campaign(lake, world.registry, "cf-test", clients=world.clients(sandbox, lake=lake))
    return lake_snapshot(lake), {v.video_id: v.pages for v in report.videos}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exception_at_a_random_page_then_resume(sandbox_world, seed):
    rng = random.Random(seed)
    crash_at = rng.randint(1, 40)  # pages over all videos of the campaign (about 50)
    seen = {"pages": 0}

    def crash(_context, _page):
        seen["pages"] += 1
        if seen["pages"] == crash_at:
            raise Crash(f"crash after page {crash_at}")

    with sandbox_world.sandbox() as sandbox:
        expected, full_pages = reference(sandbox_world, sandbox)
        with pytest.raises(Crash):
            collect_campaign(
                sandbox_world.lake,
                sandbox_world.registry,
                "cf-test",
                clients=sandbox_world.clients(sandbox),
                options=CollectOptions(on_page=crash),
            )
        partial = lake_snapshot(sandbox_world.lake)
        assert 0 < len(partial) < len(expected)
        in_progress = [s for s in st.StateStore(sandbox_world.lake.state_dir).all() if s.in_progress]
        assert in_progress, "the crashed video must be left in progress with its cursor"
        report = collect_campaign(
            sandbox_world.lake, sandbox_world.registry, "cf-test", clients=sandbox_world.clients(sandbox)
        )
    assert lake_snapshot(sandbox_world.lake) == expected
    rows, distinct = raw_row_count(sandbox_world.lake)
    assert rows == distinct
    # the crashed video resumed at its cursor instead of starting over
    crashed = in_progress[0]
    resumed = next(v for v in report.videos if v.video_id == crashed.video_id)
    assert resumed.pages == full_pages[crashed.video_id] - crashed.pages_this_run


COLLECT_SCRIPT = textwrap.dedent("""
    import sys
    from commentscope.collectors.collect import collect_campaign
    from commentscope.lake import Lake
    from commentscope.registry import load_registry
    collect_campaign(Lake(sys.argv[1]), load_registry(sys.argv[2]), "cf-test")
""")


def test_real_kill_at_a_random_page_then_resume(sandbox_world):
    rng = random.Random(11)
    kill_after_pages = rng.randint(3, 15)
    killed_lake = Lake(sandbox_world.root / "killed")
    faults = FaultPlan([FaultRule("slow", every=1, seconds=0.15)])  # pace the run so the kill lands mid-way
    with sandbox_world.sandbox(faults) as sandbox:
        env = {**os.environ, **sandbox.env(), "TIKTOK_REQUESTS_PER_SECOND": "0", "PYTHONPATH": str(REPO)}
        process = subprocess.Popen(
            [sys.executable, "-c", COLLECT_SCRIPT, str(killed_lake.root), str(sandbox_world.registry_path)],
            env=env,
            cwd=REPO,
        )
        deadline = time.monotonic() + 120
        try:
            while time.monotonic() < deadline:
                pages = len(list(killed_lake.raw_pages_dir.rglob("*.gz")))
                if pages >= kill_after_pages or process.poll() is not None:
                    break
                time.sleep(0.02)
            assert process.poll() is None, "the collector finished before the kill: slow the sandbox down"
            process.send_signal(signal.SIGKILL)
            process.wait(10)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == -signal.SIGKILL
        partial = lake_snapshot(killed_lake)
        sandbox.faults.rules.clear()
        expected, _pages = reference(sandbox_world, sandbox)
        assert len(partial) < len(expected)
        collect_campaign(
            killed_lake, sandbox_world.registry, "cf-test", clients=sandbox_world.clients(sandbox, lake=killed_lake)
        )
    assert lake_snapshot(killed_lake) == expected
    rows, distinct = raw_row_count(killed_lake)
    assert rows == distinct
