"""Find and remove what killed runs leave behind, never touching live data.

Leftovers: partial files ``.NAME.XXXX.tmp`` (atomic writes), spool files
``.commentscope-LABEL-XXXX.spool`` (parts of an ``s3://`` lake written locally before their upload,
in ``COMMENTSCOPE_SPOOL``), export staging folders ``.NAME.staging-XXXX`` (and ``.NAME.XXXXXXXX``
from versions before 0.2 that hold a ``data`` folder), replaced exports ``.NAME.old-TIMESTAMP`` and
digest lock files nobody holds. What a bucket can hold is in commentscope/doctor_s3.py.

A writer holds an ``flock`` on its partial file or staging folder until it is done (see
commentscope/atomic.py); the kernel releases it when the writer dies. So an item is a leftover
only if nobody holds its lock, and it is removed while doctor holds that lock itself. Items younger
than ``min_age`` seconds are left alone as well (a writer between creating and locking a file).
A replaced export whose successor is missing (killed mid-swap) is put back, not deleted.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

from commentscope.atomic import OLD_MARK, STAGING_MARK, TMP_SUFFIX
from commentscope.storage import SPOOL_PREFIX, SPOOL_SUFFIX

PARTIAL = "partial file"
SPOOL = "upload spool file"
STAGING = "export staging folder"
REPLACED = "replaced export"
LOCK = "unused lock file"
MIN_AGE = 60.0

_LEGACY_STAGING = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}$")


@dataclass
class Finding:
    kind: str
    path: Path | PurePath  # a local path, or "bucket/key" when ``remote``
    size: int
    in_use: bool = False
    action: str = ""  # what --fix did: removed, restored, or why it left it
    remote: bool = False
    ref: str = ""  # an unfinished upload's id

    @property
    def location(self) -> str:
        return f"s3://{self.path}" if self.remote else str(self.path)

    @property
    def sibling(self) -> Path | None:
        """For a replaced export: the folder that replaced it."""
        if self.kind != REPLACED:
            return None
        assert isinstance(self.path, Path)
        return self.path.with_name(self.path.name[1:].rsplit(OLD_MARK, 1)[0])


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(folder, name)).st_size
    return total


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[bool]:
    """Try to take the writer's lock: True means nobody alive is writing ``path``."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:  # gone, or a symbolic link: not ours to touch
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _classify_dir(path: Path) -> str | None:
    name = path.name
    if not name.startswith("."):
        return None
    if STAGING_MARK in name:
        return STAGING
    if OLD_MARK in name:
        return REPLACED
    if _LEGACY_STAGING.match(name) and (path / "data").is_dir():
        return STAGING
    return None


def _walk(root: Path) -> Iterator[tuple[str, Path]]:
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        for name in list(dirs):
            if os.path.islink(here / name):
                continue
            kind = _classify_dir(here / name)
            if kind:
                dirs.remove(name)  # reported as one item, not file by file
                yield kind, here / name
        for name in files:
            if os.path.islink(here / name):
                continue
            if name.startswith(".") and name.endswith(TMP_SUFFIX):
                yield PARTIAL, here / name
            elif name.startswith(SPOOL_PREFIX) and name.endswith(SPOOL_SUFFIX):
                yield SPOOL, here / name
            elif name.endswith(".lock") and "ledger" in here.relative_to(root).parts:
                yield LOCK, here / name


def _in_use(kind: str, path: Path, min_age: float, now: float) -> bool:
    try:
        if now - path.stat().st_mtime < min_age:
            return True
    except FileNotFoundError:
        return False
    if kind == REPLACED:  # the export that replaced it may still be being published
        sibling = path.with_name(path.name[1:].rsplit(OLD_MARK, 1)[0])
        staging = list(path.parent.glob(f".{glob.escape(sibling.name)}{STAGING_MARK}*"))
        return any(not _free(p) for p in [sibling, *staging] if p.exists())
    return not _free(path)


def _free(path: Path) -> bool:
    with _locked(path) as free:
        return free


def find_leftovers(roots: list[Path], min_age: float = MIN_AGE) -> list[Finding]:
    """Every leftover under ``roots``; ``in_use`` marks the ones a live process holds (or too young)."""
    now = time.time()
    findings = []
    for root in roots:
        if not root.is_dir():
            continue
        for kind, path in _walk(root):
            findings.append(Finding(kind, path, _size(path), in_use=_in_use(kind, path, min_age, now)))
    return findings


def find_spool_leftovers(folder: Path, min_age: float = MIN_AGE) -> list[Finding]:
    """Spool files of ``s3://`` writes directly in ``folder`` (often the shared temporary folder,
    so only its top level and only our own names are looked at)."""
    now = time.time()
    found = []
    for path in sorted(folder.glob(f"{glob.escape(SPOOL_PREFIX)}*{SPOOL_SUFFIX}")):
        if path.is_file() and not path.is_symlink():
            found.append(Finding(SPOOL, path, _size(path), in_use=_in_use(SPOOL, path, min_age, now)))
    return found


def fix(findings: list[Finding]) -> list[Finding]:
    """Remove (or, for a replaced export with no successor, restore) what no live process holds."""
    for finding in findings:
        if finding.remote:
            continue  # doctor_s3.fix_remote
        assert isinstance(finding.path, Path)
        if finding.in_use:
            finding.action = "left alone: in use"
            continue
        if finding.kind == REPLACED:
            sibling = finding.sibling
            assert sibling is not None
            if _in_use(REPLACED, finding.path, 0.0, time.time()):
                finding.action = "left alone: in use"
            elif sibling.exists():
                shutil.rmtree(finding.path)
                finding.action = "removed"
            else:
                finding.path.rename(sibling)
                finding.action = f"restored as {sibling.name}"
            continue
        with _locked(finding.path) as free:
            if not free:
                finding.action = "left alone: in use"
            elif finding.path.is_dir():
                shutil.rmtree(finding.path)
                finding.action = "removed"
            else:
                finding.path.unlink()
                finding.action = "removed"
    return findings
