"""Digest weeks: Monday to Sunday in the creator's own timezone, as exact UTC bounds for the lake."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Week:
    """One local Monday–Sunday week of a creator; ``start_utc``/``end_utc`` bound it half-open."""

    start: date
    timezone: str

    def __post_init__(self) -> None:
        if self.start.weekday() != 0:
            raise ValueError(f"a digest week starts on a Monday, {self.start} is not one")

    @property
    def end(self) -> date:
        """The Sunday, inclusive."""
        return self.start + timedelta(days=6)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(7)]

    @property
    def start_utc(self) -> datetime:
        return local_midnight_utc(self.start, self.timezone)

    @property
    def end_utc(self) -> datetime:
        return local_midnight_utc(self.start + timedelta(days=7), self.timezone)

    def previous(self) -> Week:
        return Week(self.start - timedelta(days=7), self.timezone)


def local_midnight_utc(day: date, timezone: str) -> datetime:
    """The UTC instant at which ``day`` begins in ``timezone``."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def last_complete_week(timezone: str, now: datetime | None = None) -> Week:
    """The latest Monday–Sunday week that has fully ended in ``timezone``."""
    now = now or datetime.now(UTC)
    today = now.astimezone(ZoneInfo(timezone)).date()
    return Week(monday_of(today) - timedelta(days=7), timezone)


def week_containing(day: date, timezone: str) -> Week:
    return Week(monday_of(day), timezone)
