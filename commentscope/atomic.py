"""Atomic file writes: a crash mid-write leaves the previous file (or none) readable, never half a file.

While a partial file or a staging folder is being written, this process holds an exclusive
``flock`` on it. The kernel drops the lock when the process dies, however it dies, so
``commentscope doctor`` can tell a leftover of a killed run (no lock) from work in progress (locked).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

TMP_SUFFIX = ".tmp"
STAGING_MARK = ".staging-"
OLD_MARK = ".old-"  # a replaced folder between the swap and its removal


@contextlib.contextmanager
def pending_file(directory: str | Path, label: str) -> Iterator[Path]:
    """A hidden temporary file in ``directory``, locked while in use and removed on exit unless
    ``publish`` moved it. For writers that learn their final name only at the end (content-addressed
    parts); ``atomic_path`` is this plus ``publish`` to a name known in advance."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{label}.", suffix=TMP_SUFFIX, dir=directory)
    tmp = Path(tmp_name)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # in use: doctor leaves it alone
        yield tmp
    finally:
        if tmp.exists():
            tmp.unlink()
        os.close(fd)


def publish(tmp: Path, target: Path, *, exclusive: bool = False) -> None:
    """fsync ``tmp``, rename it over ``target`` (same directory) and fsync the directory.

    With ``exclusive`` ``target`` is created only if it does not exist yet (a hard link, which the
    kernel creates or refuses atomically): ``FileExistsError`` says another writer won.
    """
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    if exclusive:
        os.link(tmp, target)
    else:
        os.replace(tmp, target)
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@contextlib.contextmanager
def atomic_path(target: str | Path, *, exclusive: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success fsync it and rename it over ``target``
    (with ``exclusive``: only if ``target`` does not exist, else ``FileExistsError``)."""
    target = Path(target)
    with pending_file(target.parent, target.name) as tmp:
        yield tmp
        publish(tmp, target, exclusive=exclusive)


@contextlib.contextmanager
def staging_dir(target: str | Path) -> Iterator[Path]:
    """A hidden folder ``.NAME.staging-XXXX`` beside ``target`` to build a folder in, locked while in use.

    The caller publishes it by renaming it to ``target``; if it is still there at the end (an error),
    it is removed.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING_MARK}", dir=target.parent))
    fd = os.open(staging, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield staging
    finally:
        if staging.exists():
            shutil.rmtree(staging)
        os.close(fd)


def write_bytes(target: str | Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text(target: str | Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


def write_with(target: str | Path, writer: Callable[[Path], None]) -> None:
    """Let ``writer`` fill a temporary path, then publish it atomically."""
    with atomic_path(target) as tmp:
        writer(tmp)
