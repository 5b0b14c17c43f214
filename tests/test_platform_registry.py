"""Adding a platform is one folder plus one registry line: ToyTube lives only under
tests/fixtures/toytube/ and is registered through COMMENTSCOPE_EXTRA_PLATFORMS, in a fresh process
(the registry is read at import). Its campaign videos then pass the registry, the CLI's
--platform choice, the sandbox's routes, the collector, the comment schema and the lake, and the
DAG constants give it a pool."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

from commentscope import platforms
from commentscope.lake import Lake
from tests.fixtures.sandbox import lake_snapshot

REPO = Path(__file__).resolve().parents[1]
REGISTRY = """
campaigns:
  - id: toy-campaign
    name: Toy campaign
    launch_date: 2024-03-01
    before: {start: 2024-02-01, end: 2024-02-29}
    after: {start: 2024-03-01, end: 2024-03-31}
    creators:
      - key: toy-creator
        name: Toy Creator
        country: TH
        languages: [th]
        videos:
          - {platform: toytube, id: toy001, campaign_video: true, published_at: 2024-03-02}
"""
SCRIPT = textwrap.dedent("""
    import json, sys
    from typer.testing import CliRunner
    from commentscope import platforms
    from commentscope.cli import app
    from commentscope.orchestrate import constants
    from commentscope.schema import PLATFORMS
    result = CliRunner().invoke(app, ["collect", "--sandbox", "--platform", "toytube", "--no-discover",
                                      "--registry", sys.argv[1], "--corpus", sys.argv[2], "--data", sys.argv[3]])
    print(json.dumps({"names": platforms.NAMES, "schema": PLATFORMS, "pools": constants.POOLS,
                      "code": result.exit_code, "output": result.output}))
""")


def test_a_platform_defined_under_tests_collects_end_to_end(tmp_path):
    registry = tmp_path / "campaigns.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    start = datetime(2024, 3, 2, tzinfo=UTC)
    rows = []
    for n in range(23):
        parent = f"toyc{n - 1:03d}" if n % 5 == 4 else None  # every fifth comment replies to the one before
        rows.append(
            {
                "platform": "toytube",
                "video_id": "toy001",
                "comment_id": f"toyc{n:03d}",
                "parent_comment_id": parent,
                "created_at": (start + timedelta(minutes=n)).isoformat(),
                "text": f"comment {n}",
                "like_count": n,
                "reply_count": 0,
                "author": None,
            }
        )
    corpus = tmp_path / "toy.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    data = tmp_path / "data"
    env = {**os.environ, "COMMENTSCOPE_EXTRA_PLATFORMS": "toytube=tests.fixtures.toytube", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(registry), str(corpus), str(data)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, result["output"]
    assert result["names"][-1] == result["schema"][-1] == "toytube"
    assert result["pools"]["toytube"] == "commentscope_toytube_api"
    assert "complete" in result["output"]
    snapshot = lake_snapshot(Lake(data))
    assert set(snapshot) == {f"toytube:{r['comment_id']}" for r in rows}
    assert snapshot["toytube:toyc004"][1] == "toytube:toyc003"  # the thread survived
    assert "toytube" not in platforms.NAMES  # this process never registered it


def test_extra_platform_lines_are_checked():
    import pytest

    with pytest.raises(ValueError, match="name=package"):
        platforms._extra("toytube")
