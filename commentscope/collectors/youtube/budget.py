"""YouTube Data API quota: 10,000 units a day per Google Cloud project, reset at midnight Pacific.

Source: developers.google.com/youtube/v3/getting-started#quota ("projects that enable the YouTube
Data API have a default quota allocation of 10,000 units per day"; the day resets at midnight
Pacific Time) and the quota calculator (commentThreads.list and comments.list cost 1 unit). The
quota belongs to the project, not to an API key: keys of one project share it, so the ledger
charges the project. YOUTUBE_DAILY_UNITS (per project) may only lower it.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from commentscope.collectors.budget import Budget, int_env

UNITS_PER_DAY = 10_000
UNITS_PER_CALL = 1
DOCUMENTED = Budget({"units": UNITS_PER_DAY}, ZoneInfo("America/Los_Angeles"))


def budget(units_per_project: int | None = None) -> Budget:
    return DOCUMENTED.lowered(units=units_per_project)


def budget_from_env() -> Budget:
    return budget(int_env("YOUTUBE_DAILY_UNITS"))
