"""A per-second request limiter: a client never sends faster than ``per_second``.

The daily ledger (commentscope/collectors/budget.py) keeps a day's total in budget; this keeps the pace of one
client process even, so a burst of retries or reply fetches does not hammer the API. Each
process has its own limiter (Airflow pool slots bound how many processes hit one API).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Spaces calls to ``wait()`` at least ``1 / per_second`` apart (None or 0: no limit)."""

    def __init__(
        self,
        per_second: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.interval = 1.0 / per_second if per_second else 0.0
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = self.clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self.sleep(start - now)


def rate_env(name: str, default: float) -> float:
    """A requests-per-second setting from the environment (0 turns the limiter off)."""
    from commentscope.settings import Environment

    value = Environment.read().text(name).strip()
    if not value:
        return default
    try:
        rate = float(value)
    except ValueError:
        rate = -1.0
    if rate < 0:
        raise ValueError(f"{name}={value!r} is not a number of requests per second (fix: export {name}=2)")
    return rate
