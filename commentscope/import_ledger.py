"""Which imports started and which finished, so a failed one (a full disk, a kill) is never silent.

``state/imports/<id>.json`` is written as ``started`` before an import writes anything and as
``complete`` after its last part is published. ``summary`` lists imports still ``started``: their
comments may be missing from the lake until the same import is run again (which is safe: records
already in the lake are skipped).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from commentscope.atomic import write_text
from commentscope.lake import Lake


@dataclass
class Entry:
    """One import of one file: what it was and how far it got."""

    file: str
    source: str
    started_at: str
    status: str = "started"
    finished_at: str | None = None
    digest: str | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _folder(lake: Lake) -> Path:
    return lake.state_dir / "imports"


def _path(lake: Lake, file: Path, source: str) -> Path:
    key = hashlib.blake2b(f"{source}\x1f{file.resolve()}".encode(), digest_size=8).hexdigest()
    return _folder(lake) / f"{key}.json"


@contextlib.contextmanager
def run(lake: Lake, file: Path, source: str) -> Iterator[Entry]:
    """Mark an import of ``file`` as started; as complete when the block ends without an error."""
    path = _path(lake, file, source)
    entry = Entry(file=str(file), source=source, started_at=datetime.now(UTC).isoformat())
    write_text(path, json.dumps(asdict(entry), indent=1))
    yield entry
    entry.status, entry.finished_at = "complete", datetime.now(UTC).isoformat()
    write_text(path, json.dumps(asdict(entry), indent=1))


def unfinished(lake: Lake) -> list[Entry]:
    """Imports that started and never completed (their last run failed or was killed)."""
    out = []
    for path in sorted(_folder(lake).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        known = {k: v for k, v in data.items() if k in Entry.__dataclass_fields__}
        if known.get("status") != "complete" and "file" in known:
            out.append(Entry(**known))
    return out
