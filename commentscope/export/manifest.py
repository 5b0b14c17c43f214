"""The export manifest: exact filters, counts and a sha256 of every file, and its verification.

``manifest.json`` lists every other file of the export folder. ``verify`` fails on a changed,
missing or unlisted file, so a corpus that passed verification is the one that was exported.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from commentscope.errors import ExportStageError

MANIFEST = "manifest.json"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_entries(root: Path, names: list[str]) -> dict[str, dict]:
    return {name: {"sha256": sha256_of(root / name), "bytes": (root / name).stat().st_size} for name in sorted(names)}


@dataclass
class Verification:
    ok: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not (self.changed or self.missing or self.unlisted)


class ManifestError(ExportStageError, ValueError):
    """No readable manifest where one was expected."""


def load_manifest(root: Path) -> dict:
    path = Path(root) / MANIFEST
    if not path.exists():
        raise ManifestError(f"{path} not found: pass the folder written by `commentscope export corpus`")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path} is not valid JSON ({exc}): the manifest was damaged; re-export") from None


def verify(root: Path) -> Verification:
    """Check every file listed in the manifest against its sha256, and look for unlisted files."""
    root = Path(root)
    manifest = load_manifest(root)
    listed: dict[str, dict] = manifest.get("files", {})
    result = Verification()
    for name, entry in sorted(listed.items()):
        path = root / name
        if not path.is_file():
            result.missing.append(name)
        elif sha256_of(path) != entry["sha256"]:
            result.changed.append(name)
        else:
            result.ok.append(name)
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    result.unlisted = sorted(present - set(listed) - {MANIFEST})
    return result
