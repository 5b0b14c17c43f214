"""One collector per video at a time: an exclusive, non-blocking file lock per video.

The CLI and an Airflow task (or two tasks) collecting the same video at once would otherwise
interleave their checkpoints: both load the same cursor, both walk, each overwrites the other's
state. ``video_lock`` takes ``state/collect/PLATFORM/VIDEO.lock`` with ``flock``; the kernel drops
the lock when its holder exits, even on SIGKILL, so a crashed collector never leaves it stuck.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from commentscope.errors import CollectStageError


class VideoBusy(CollectStageError, RuntimeError):
    """Another process is collecting this video right now."""


@contextmanager
def video_lock(path: Path) -> Iterator[None]:
    """Hold the lock at ``path`` for the block, or raise VideoBusy naming the holder's pid."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise VideoBusy(f"another collector (pid {holder}) is collecting this video now") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
