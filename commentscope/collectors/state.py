"""Per-video checkpoints and collection records, under ``state/collect/PLATFORM/VIDEO.json``.

A checkpoint is saved after each page is safely in the lake, so a crash at any page resumes at
the next one (re-fetching at most the page in flight; the lake drops the duplicates). The record
also says what was collected, when, and why the last run stopped, for people and for the DAG.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from commentscope.atomic import write_text

# Why a video's run stopped.
COMPLETE = "complete"  # walked every page the platform returned
CAP = "cap"  # TikTok's cursor + max_count <= 1000 cap cut the comments off
UP_TO_DATE = "up_to_date"  # incremental run reached comments it already had
BUDGET = "budget"  # daily budget/quota used up: resumes from the cursor next run
FAILED = "failed"  # invalid params / not found: see message
DISABLED = "comments_disabled"
INTERRUPTED = "interrupted"  # crashed or killed mid-run: resumes from the cursor
BUSY = "busy"  # another process held the video's lock: it was not touched (never saved in a checkpoint)

MAX_HISTORY = 50


@dataclass
class VideoState:
    """Where collection of one video stands."""

    platform: str
    video_id: str
    cursor: str | None = None  # the next page to fetch in the run in progress (None: start over)
    pending_replies: list[str] = field(default_factory=list)  # comments whose replies are still to fetch
    reply_cursor: int = 0  # where the replies of pending_replies[0] resume
    pages_done: bool = False  # the top-level listing is finished; only pending replies remain
    in_progress: bool = False
    since: str | None = None  # incremental run: stop at comments older than this (None: walk all)
    run_started_at: str | None = None
    pages_this_run: int = 0
    comments_this_run: int = 0
    stopped_reason: str | None = None
    message: str | None = None
    truncated: bool = False  # comments beyond the platform cap exist but could not be read
    last_complete_at: str | None = None
    newest_comment_at: str | None = None
    total_pages: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_\-]", "_", name)


class StateStore:
    """Reads and atomically writes video states."""

    def __init__(self, state_dir: Path):
        self.dir = Path(state_dir) / "collect"

    def path(self, platform: str, video_id: str) -> Path:
        return self.dir / platform / f"{_safe(video_id)}.json"

    def load(self, platform: str, video_id: str) -> VideoState:
        path = self.path(platform, video_id)
        if not path.exists():
            return VideoState(platform=platform, video_id=video_id)
        data = json.loads(path.read_text(encoding="utf-8"))
        known = set(VideoState.__dataclass_fields__)
        return VideoState(**{k: v for k, v in data.items() if k in known})

    def save(self, state: VideoState) -> None:
        state.history = state.history[-MAX_HISTORY:]
        write_text(self.path(state.platform, state.video_id), json.dumps(asdict(state), indent=1))

    def all(self) -> list[VideoState]:
        out = []
        for path in sorted(self.dir.glob("*/*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            out.append(VideoState(**{k: v for k, v in data.items() if k in VideoState.__dataclass_fields__}))
        return out
