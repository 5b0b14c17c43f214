"""Two real collector processes on the same video (the CLI and an Airflow task at once): one
collects, the other is told the video is busy, and the checkpoint holds one run, not two
interleaved ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from commentscope.collectors import state as st
from commentscope.collectors.collect import lock_path
from commentscope.collectors.sandbox import FaultPlan, FaultRule
from commentscope.collectors.tiktok.sandbox_routes import COMMENTS
from tests.fixtures.sandbox import TT_SMALL, lake_snapshot, raw_row_count

REPO = Path(__file__).resolve().parents[1]
SCRIPT = textwrap.dedent("""
    import sys
    from commentscope.collectors.collect import collect_video
    from commentscope.lake import Lake
    from commentscope.registry import load_registry
    outcome = collect_video(Lake(sys.argv[1]), load_registry(sys.argv[2]), "tiktok", sys.argv[3])
    print(outcome.reason, flush=True)
""")


def test_two_processes_never_walk_the_same_video_at_once(sandbox_world):
    lake = sandbox_world.lake
    faults = FaultPlan([FaultRule("slow", api="tiktok", every=1, seconds=0.4)])  # keep the first one busy
    with sandbox_world.sandbox(faults) as sandbox:
        env = {**os.environ, **sandbox.env(), "TIKTOK_REQUESTS_PER_SECOND": "0", "PYTHONPATH": str(REPO)}
        args = [sys.executable, "-c", SCRIPT, str(lake.root), str(sandbox_world.registry_path), TT_SMALL]
        first = subprocess.Popen(args, env=env, cwd=REPO, stdout=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(e[0] == "tiktok" for e in sandbox.requests_log):
            time.sleep(0.02)  # the first process is walking the video
        assert first.poll() is None
        second = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
        out, _ = first.communicate(timeout=120)
        listings = [
            json.loads(body) for api, _n, path, body in sandbox.requests_log if api == "tiktok" and path == COMMENTS
        ]
    assert (out.strip(), second.stdout.strip()) == (st.COMPLETE, st.BUSY), second.stderr
    state = st.StateStore(lake.state_dir).load("tiktok", TT_SMALL)
    assert [h["reason"] for h in state.history] == [st.COMPLETE]  # one run recorded, the busy one touched nothing
    assert len(listings) == len({json.dumps(b, sort_keys=True) for b in listings})  # no page fetched twice
    expected = {f"tiktok:{c.comment_id}" for c in sandbox_world.corpus.video("tiktok", TT_SMALL).comments}
    assert set(lake_snapshot(lake)) == expected
    rows, distinct = raw_row_count(lake)
    assert rows == distinct
    assert lock_path(lake, "tiktok", TT_SMALL).read_text() == ""  # released: the next collector may go
