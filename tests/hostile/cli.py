"""Running the real ``commentscope`` command (or a Python snippet) in a child process, as a user would.

The child imports this checkout (PYTHONPATH), gets a memory cap so a hostile input cannot take the
machine down, and is killed after ``timeout`` seconds; every byte it printed is returned.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 3 * 1024**3


@dataclass
class Run:
    returncode: int | None  # None: killed at the timeout
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMMENTSCOPE_", "YOUTUBE_", "TIKTOK_"))}
    env.update(PYTHONPATH=str(ROOT), COLUMNS="200", **extra)
    return env


def run_python(
    code: str, *args: str, timeout: float = 60, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Run:
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env or child_env(),
            cwd=cwd or ROOT,
            preexec_fn=_cap_memory,
        )
    except subprocess.TimeoutExpired as exc:
        return Run(None, _text(exc.stdout), _text(exc.stderr), time.monotonic() - started)
    return Run(done.returncode, done.stdout, done.stderr, time.monotonic() - started)


def run_cli(*args: str, timeout: float = 60, env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """``commentscope ARGS`` in a child process."""
    return run_python("from commentscope.cli import app; app()", *args, timeout=timeout, env=env, cwd=cwd)


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else value.decode("utf-8", "replace")
