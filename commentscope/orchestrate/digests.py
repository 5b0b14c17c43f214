"""Weekly digest tasks: which creators are due in a time interval, and one creator's digest.

A digest goes out on Monday at ``DIGEST_HOUR`` in the creator's own timezone and covers the
local week that just ended. The DAG runs on UTC hours; each run's data interval selects the
creators whose local Monday-morning instant falls inside it, so every timezone (half-hour ones
too) is served exactly once per week, and re-running an interval selects the same creators for
the same week. The digest ledger makes sending itself at-most-once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from commentscope.errors import DigestStageError
from commentscope.orchestrate.runtime import Runtime, runtime
from commentscope.registry import Registry

DIGEST_HOUR = 8


class DigestNotSent(DigestStageError, RuntimeError):
    """A digest was not delivered; ``retryable`` says whether another attempt can help."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.retryable = retryable


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def send_instant(monday: date, timezone: str) -> datetime:
    """When the digest of the week before ``monday`` is due, in UTC."""
    return datetime.combine(monday, time(DIGEST_HOUR), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def due_mondays(start: datetime, end: datetime, timezone: str) -> list[date]:
    """Local Mondays whose digest instant falls in [start, end)."""
    start, end = _utc(start), _utc(end)
    tz = ZoneInfo(timezone)
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    day = first + timedelta(days=(7 - first.weekday()) % 7)
    out = []
    while day <= last:
        if start <= send_instant(day, timezone) < end:
            out.append(day)
        day += timedelta(days=7)
    return out


def creators_due(start: datetime, end: datetime, *, registry: Registry | None = None) -> list[dict[str, Any]]:
    """One entry per (campaign, creator, week) due in [start, end): creators with a digest e-mail,
    not control creators. ``week_start`` is the Monday of the week the digest covers."""
    registry = registry or runtime().registry
    due = []
    for campaign in registry.campaigns:
        for creator in campaign.creators:
            if creator.control or not creator.digest_email:
                continue
            for monday in due_mondays(start, end, creator.timezone):
                due.append(
                    {
                        "campaign": campaign.id,
                        "creator": creator.key,
                        "week_start": (monday - timedelta(days=7)).isoformat(),
                    }
                )
    return due


def send_creator_digest(item: dict[str, Any], *, rt: Runtime | None = None) -> dict[str, Any]:
    """Build, archive and send one creator's digest at most once (the ledger skips a sent one)."""
    from commentscope.digest import run as digest_run  # matplotlib and jinja load only in the task

    rt = rt or runtime()
    outcome = digest_run.run_creator_digest(
        rt.lake, rt.registry, item["campaign"], item["creator"], date.fromisoformat(item["week_start"])
    )
    result = {
        "campaign": outcome.campaign,
        "creator": outcome.creator,
        "week_start": outcome.week_start.isoformat(),
        "status": outcome.status,
        "message_id": outcome.message_id,
        "attempts": outcome.attempts,
    }
    where = f"digest {outcome.campaign}/{outcome.creator}/{outcome.week_start}"
    if outcome.status == digest_run.FAILED:
        raise DigestNotSent(f"{where} not sent: {outcome.detail}", retryable=True)
    if outcome.status in (digest_run.UNCONFIRMED_NOW, digest_run.UNCONFIRMED):
        raise DigestNotSent(f"{where} may or may not have been delivered: {outcome.detail}", retryable=False)
    return result
