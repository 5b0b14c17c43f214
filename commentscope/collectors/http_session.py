"""What every platform client holds: its quota ledger, retry policy, HTTP client and request pacing.

One place for the session set-up, so a fix to how clients are built (a timeout, a limiter, closing the
connection pool) reaches every platform at once.
"""

from __future__ import annotations

import httpx

from commentscope.collectors.budget import QuotaLedger
from commentscope.collectors.ratelimit import RateLimiter
from commentscope.collectors.retry import RetryPolicy


class ApiSession:
    """A platform API session: charges ``ledger``, retries by ``policy``, paces at ``per_second``."""

    def __init__(
        self,
        base_url: str,
        ledger: QuotaLedger,
        *,
        policy: RetryPolicy | None = None,
        timeout: float = 30.0,
        http: httpx.Client | None = None,
        per_second: float | None = None,
    ) -> None:
        self.ledger = ledger
        self.policy = policy or RetryPolicy()
        self.http = http or httpx.Client(base_url=base_url, timeout=timeout)
        self.limiter = RateLimiter(per_second)
        self.requests_sent = 0

    def close(self) -> None:
        self.http.close()
