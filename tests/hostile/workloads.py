"""A lake large enough for a multi-worker enrichment run, and the process tree of a running command."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from commentscope.collectors.importers.generic import import_file
from commentscope.lake import Lake
from commentscope.registry import load_registry
from tests.fixtures.sandbox import REGISTRY_YAML, TT_CAPPED, TT_SMALL, WORDS
from tests.hostile.cli import ROOT, child_env

SALT = "hostile-tests-salt-0123456789abcdef"


def big_lake(root: Path, rows: int = 24_000) -> tuple[Lake, Path]:
    """``rows`` synthetic comments (generic import format) imported into a lake under ``root``."""
    registry_path = root / "campaigns.yaml"
    registry_path.write_text(REGISTRY_YAML, encoding="utf-8")
    rng = random.Random(11)
    start = datetime(2024, 3, 2, tzinfo=UTC)
    source = root / "comments.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for n in range(rows):
            handle.write(
                json.dumps(
                    {
                        "platform": "tiktok",
                        "video_id": TT_SMALL if n % 2 else TT_CAPPED,
                        "comment_id": str(7500000000000000000 + n),
                        "parent_comment_id": None,
                        "created_at": (start + timedelta(seconds=37 * n)).isoformat(),
                        "text": " ".join(rng.choices(WORDS, k=rng.randint(3, 12))),
                        "like_count": n % 50,
                        "reply_count": 0,
                        "author": f"user{n % 900}",
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    lake = Lake(root / "data")
    import_file(lake, source, load_registry(registry_path))
    return lake, registry_path


def start_enrich(lake: Lake, registry_path: Path, workers: int = 2) -> subprocess.Popen:
    """``commentscope enrich`` as a real child process (its own process group, for cleanup)."""
    env = child_env(
        COMMENTSCOPE_DATA=str(lake.root),
        COMMENTSCOPE_REGISTRY=str(registry_path),
        COMMENTSCOPE_AUTHOR_SALT=SALT,
        COMMENTSCOPE_ENRICH_WORKERS=str(workers),
    )
    return subprocess.Popen(
        [sys.executable, "-c", "from commentscope.cli import app; app()", "enrich"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) from /proc, or None when the process is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = raw.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def children_of(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat and stat[1] == pid and stat[0] != "Z":
                out.append(int(entry))
    return out


def alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z"  # a zombie has exited; only its exit status is left


def wait_for(condition, timeout: float, step: float = 0.1) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()
