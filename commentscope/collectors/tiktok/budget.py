"""TikTok Research API quota: 1,000 requests and 100,000 records a day, reset at 12 AM UTC.

Source: the Research API FAQ (developers.tiktok.com/doc/research-api-faq), which gives the daily
request and record limits and says the daily quota resets at 12 AM UTC. TIKTOK_DAILY_REQUESTS /
TIKTOK_DAILY_RECORDS may only lower them.
"""

from __future__ import annotations

from datetime import UTC

from commentscope.collectors.budget import Budget, int_env

REQUESTS_PER_DAY = 1000
RECORDS_PER_DAY = 100_000
DOCUMENTED = Budget({"requests": REQUESTS_PER_DAY, "records": RECORDS_PER_DAY}, UTC)


def budget(requests: int | None = None, records: int | None = None) -> Budget:
    return DOCUMENTED.lowered(requests=requests, records=records)


def budget_from_env() -> Budget:
    return budget(int_env("TIKTOK_DAILY_REQUESTS"), int_env("TIKTOK_DAILY_RECORDS"))
