"""Killing a run kills its workers: ``kill -9`` of a real ``commentscope enrich`` with two worker
processes, then every worker must be gone within seconds (Linux /proc is read for the process tree)."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from tests.hostile.workloads import alive, big_lake, children_of, start_enrich, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree in /proc"),
]


def test_kill_9_of_enrich_leaves_no_worker_alive(tmp_path):
    lake, registry_path = big_lake(tmp_path)
    run = start_enrich(lake, registry_path, workers=2)
    workers: list[int] = []
    try:
        assert wait_for(lambda: len(children_of(run.pid)) >= 2, timeout=120), "enrich never started its workers"
        workers = children_of(run.pid)
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=10)
        gone = wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10)
        assert gone, f"workers still alive 10 s after the parent was killed: {[p for p in workers if alive(p)]}"
    finally:
        for pid in [run.pid, *workers]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
