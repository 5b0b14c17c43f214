"""The digest archive and the sent-ledger, both under ``<data>/digests/``.

``campaign=C/creator=K/week=W/`` holds exactly what was (or would be) sent: ``message.eml`` plus
``digest.json`` (the figures), ``digest.html``, ``digest.txt`` and ``week.png``. It is written
before any send. ``ledger/C/K/W.json`` records the send: ``sending`` before the SMTP transaction,
``sent`` after the server accepted it, ``failed`` when it surely did not, ``unconfirmed`` when we
cannot know. Only ``failed`` (or no entry) lets a later run send that week again.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from commentscope.atomic import write_bytes, write_text
from commentscope.lake import Lake

SENDABLE_STATES = {None, "failed"}


def digests_dir(lake: Lake) -> Path:
    return lake.local_root / "digests"


def archive_dir(lake: Lake, campaign_id: str, creator_key: str, week_start: date) -> Path:
    return digests_dir(lake) / f"campaign={campaign_id}" / f"creator={creator_key}" / f"week={week_start}"


def write_archive(
    lake: Lake,
    campaign_id: str,
    creator_key: str,
    week_start: date,
    *,
    message: bytes,
    figures: dict,
    html: str,
    text: str,
    chart_png: bytes,
) -> Path:
    """Write every file atomically, message last, so a complete message.eml means a complete archive."""
    folder = archive_dir(lake, campaign_id, creator_key, week_start)
    write_text(folder / "digest.json", json.dumps(figures, ensure_ascii=False, indent=2, sort_keys=True))
    write_text(folder / "digest.html", html)
    write_text(folder / "digest.txt", text)
    write_bytes(folder / "week.png", chart_png)
    write_bytes(folder / "message.eml", message)
    return folder


class Ledger:
    """One small JSON file per creator and week; every state change is an atomic replace."""

    def __init__(self, lake: Lake):
        self.root = digests_dir(lake) / "ledger"

    def path(self, campaign_id: str, creator_key: str, week_start: date) -> Path:
        return self.root / campaign_id / creator_key / f"{week_start}.json"

    def read(self, campaign_id: str, creator_key: str, week_start: date) -> dict | None:
        path = self.path(campaign_id, creator_key, week_start)
        if not path.exists():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    def state(self, campaign_id: str, creator_key: str, week_start: date) -> str | None:
        entry = self.read(campaign_id, creator_key, week_start)
        return entry["state"] if entry else None

    def record(self, campaign_id: str, creator_key: str, week_start: date, state: str, **details: object) -> dict:
        previous = self.read(campaign_id, creator_key, week_start) or {}
        entry = {
            **previous,
            **details,
            "campaign": campaign_id,
            "creator": creator_key,
            "week_start": week_start.isoformat(),
            "state": state,
            "updated_at": datetime.now(UTC).isoformat(),
        }
        history = [*previous.get("history", []), {"state": state, "at": entry["updated_at"]}]
        entry["history"] = history[-20:]
        write_text(self.path(campaign_id, creator_key, week_start), json.dumps(entry, indent=2, sort_keys=True))
        return entry

    @contextlib.contextmanager
    def lock(self, campaign_id: str, creator_key: str, week_start: date) -> Iterator[bool]:
        """An exclusive, non-blocking lock per creator and week; yields False if another run holds it.

        The file is deleted on release (while still locked), so only a killed run leaves one behind,
        for ``commentscope doctor --fix``. Holding the lock counts only if the file we locked is still
        the one at the path (else it was just deleted: open the new one and try again).
        """
        path = self.path(campaign_id, creator_key, week_start).with_suffix(".lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = -1
        for _attempt in range(3):
            fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                yield False
                return
            if _same_file(fd, path):
                break
            os.close(fd)
            fd = -1
        if fd < 0:
            yield False
            return
        try:
            yield True
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False
