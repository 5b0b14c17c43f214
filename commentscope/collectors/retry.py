"""Retry with exponential backoff for 429/5xx/timeouts, honouring Retry-After."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx

from commentscope.collectors.errors import CollectError, TransientError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one call before the video's run stops (and resumes from its checkpoint later)."""

    attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    sleep: Callable[[float], None] = time.sleep


class RetriesExhausted(CollectError):
    """The platform kept failing; the checkpoint keeps the place, the next run resumes there."""


def call_with_retries(call: Callable[[], T], policy: RetryPolicy, what: str) -> T:
    last: Exception | None = None
    for attempt in range(policy.attempts):
        try:
            return call()
        except (TransientError, httpx.TransportError) as exc:
            last = exc
            if attempt == policy.attempts - 1:
                break
            hinted = exc.retry_after if isinstance(exc, TransientError) else None
            delay = hinted if hinted is not None else policy.base_delay * 2**attempt
            delay = min(policy.max_delay, delay) * (1 + random.uniform(0, 0.1))
            policy.sleep(delay)
    raise RetriesExhausted(f"{what}: still failing after {policy.attempts} attempts ({last})")


def retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
