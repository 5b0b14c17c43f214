"""Names that become parts of file paths (video ids, platforms, page names) are checked here first.

A video id comes from the registry or from an API response; either can hold ``../``, a slash or a
NUL byte. Nothing builds a path from such a value before ``check_name`` has accepted it, and the
lake refuses any path that would leave its folder (``inside``), so no input writes elsewhere.
"""

from __future__ import annotations

import re
from pathlib import Path

from commentscope.errors import ConfigurationError

MAX_NAME = 200
# letters, digits and . _ - ; must start with a letter or digit, so never "." or ".."
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]*")
_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9._\-]+")


class UnsafeNameError(ConfigurationError, ValueError):
    """A value that would become part of a file path is not a plain name."""


def check_name(value: object, what: str) -> str:
    """``value`` as a string if it is a safe single path component; else UnsafeNameError saying why."""
    text = str(value)
    if _SAFE.fullmatch(text) and len(text) <= MAX_NAME:
        return text
    raise UnsafeNameError(
        f"{what} {text[:80]!r} is not a safe name: use at most {MAX_NAME} letters, digits, '.', '_' or '-', "
        "starting with a letter or digit (no '/', '..' or control characters)"
    )


def slug(value: object, limit: int = 80) -> str:
    """A safe file-name fragment for values that only label a file (cursors, page tokens, file stems)."""
    text = _UNSAFE_CHARS.sub("_", str(value)).strip("._-")[:limit]
    return text or "x"


def inside(root: Path, target: Path) -> Path:
    """``target`` if it resolves to a path under ``root``; else UnsafeNameError (never write elsewhere)."""
    resolved_root = root.resolve()
    resolved = target.resolve()
    if resolved != resolved_root and resolved_root not in resolved.parents:
        raise UnsafeNameError(f"refusing to write {target}: it is outside the data folder {root}")
    return target
