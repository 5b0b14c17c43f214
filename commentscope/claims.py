"""Claims on raw parts, so that workers spread over machines enrich each part once.

A claim is a small object ``state/claims/tagger=V/<raw part>/gen-N.json`` in the lake, created
with an exclusive publish (local: hard link; S3: ``If-None-Match: *``), so of two workers asking
for the same generation exactly one gets it. A claim holds for ``lease`` seconds; a worker that
died (a lost Celery worker, a killed pod) leaves its claim to expire, and the next worker takes
generation N+1, again exclusively: two workers can never both take over one expired claim.

The lease guards against wasted work, the publish guards the data: an enriched part is itself
published exclusively, so even a worker paused past its lease (a "zombie") cannot replace or
duplicate the part its successor wrote. A re-run finds the part done and skips it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import PurePath
from typing import TypeVar

from commentscope.lake import Lake

T = TypeVar("T")
DEFAULT_LEASE = 3600  # seconds: far above one part's enrichment time (docs/scaling.md)


@dataclass(frozen=True)
class Claim:
    part: PurePath
    owner: str
    generation: int


def _claims_dir(lake: Lake, version: str, part: PurePath) -> PurePath:
    return lake.shared_state_dir / "claims" / f"tagger={version}" / part.relative_to(lake.raw_comments_dir)


def _latest(lake: Lake, folder: PurePath) -> tuple[int, dict] | None:
    found = lake.store.glob(folder, "gen-*.json")
    if not found:
        return None
    newest = max(found, key=lambda p: int(p.stem.split("-", 1)[1]))
    return int(newest.stem.split("-", 1)[1]), json.loads(lake.store.read_bytes(newest))


def try_claim(
    lake: Lake, version: str, part: PurePath, owner: str, *, lease: float = DEFAULT_LEASE, now: float | None = None
) -> Claim | None:
    """Claim ``part`` for ``owner``, or None while another owner's claim holds."""
    now = time.time() if now is None else now
    folder = _claims_dir(lake, version, part)
    latest = _latest(lake, folder)
    generation = 0
    if latest is not None:
        generation, held = latest
        if held["owner"] == owner:
            return Claim(part, owner, generation)  # a retry of the same task instance keeps its claim
        if held["expires_at"] > now:
            return None
        generation += 1
    body = json.dumps({"owner": owner, "claimed_at": now, "expires_at": now + lease}).encode()
    if not lake.store.write_bytes(folder / f"gen-{generation}.json", body, exclusive=True):
        return None  # another worker took this generation first
    return Claim(part, owner, generation)


def release(lake: Lake, version: str, part: PurePath) -> None:
    """Drop every claim on a part whose enriched twin is published (claims are only for work in flight)."""
    for path in lake.store.glob(_claims_dir(lake, version, part), "gen-*.json"):
        lake.store.delete(path)


def batches(parts: list[T], size: int) -> list[list[T]]:
    """Consecutive batches of at most ``size`` parts: one mapped task each."""
    size = max(1, size)
    return [parts[i : i + size] for i in range(0, len(parts), size)]
