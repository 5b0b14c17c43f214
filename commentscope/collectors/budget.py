"""Daily quota ledger: every request (failed ones too, they can still cost quota) is charged here
before it is sent, so a collector never goes over the configured daily budget.

One JSON file per platform and quota day under ``state/quota/``; a file lock makes concurrent
collectors (Airflow tasks mapped over videos) share one budget. Each platform's ``budget`` module
says what it counts, the documented limits and the timezone its quota day starts in.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

from commentscope.atomic import write_text
from commentscope.collectors.errors import BudgetExhausted
from commentscope.settings import Environment


def quota_day(tz: tzinfo, now: datetime) -> date:
    """The quota day (in the platform's quota timezone ``tz``) that ``now`` falls in."""
    return now.astimezone(tz).date()


def next_reset(tz: tzinfo, now: datetime) -> datetime:
    """When a quota whose day starts at midnight in ``tz`` resets next, in UTC."""
    local = now.astimezone(tz)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return midnight.astimezone(UTC)


@dataclass(frozen=True)
class Budget:
    """Daily limits per counter (e.g. {"requests": 1000, "records": 100000} or {"units": 10000}),
    per account, for a quota day that starts at midnight in ``timezone``."""

    limits: dict[str, int]
    timezone: tzinfo = UTC

    def lowered(self, **configured: int | None) -> Budget:
        """The documented limits, lowered (never raised) by configured values."""
        limits = {k: min(configured.get(k) or v, v) for k, v in self.limits.items()}
        return Budget(limits, self.timezone)


def int_env(name: str) -> int | None:
    value = Environment.read().text(name).strip()
    if not value:
        return None
    if not value.isdigit() or int(value) <= 0:
        raise ValueError(f"{name}={value!r} is not a positive integer (fix: export {name}=500, or unset it)")
    return int(value)


class QuotaLedger:
    """Persisted usage per platform, quota day and account (a YouTube project, or 'default')."""

    def __init__(
        self, state_dir: Path, platform: str, budget: Budget, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ):
        self.dir = Path(state_dir) / "quota" / platform
        self.platform = platform
        self.budget = budget
        self.clock = clock

    def _path(self, day: date) -> Path:
        return self.dir / f"{day.isoformat()}.json"

    @contextmanager
    def _locked(self) -> Iterator[tuple[Path, dict]]:
        self.dir.mkdir(parents=True, exist_ok=True)
        day = quota_day(self.budget.timezone, self.clock())
        path = self._path(day)
        with open(self.dir / ".lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                data = json.loads(path.read_text()) if path.exists() else {}
                yield path, data
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def next_reset(self) -> datetime:
        return next_reset(self.budget.timezone, self.clock())

    def used(self, account: str = "default") -> dict[str, int]:
        with self._locked() as (_path, data):
            return dict(data.get(account, {}))

    def remaining(self, counter: str, account: str = "default") -> int:
        used = self.used(account).get(counter, 0)
        return max(0, self.budget.limits[counter] - used)

    def charge(self, account: str = "default", **amounts: int) -> None:
        """Reserve ``amounts`` (e.g. requests=1, records=100) or raise BudgetExhausted, atomically."""
        with self._locked() as (path, data):
            usage = data.setdefault(account, {})
            for counter, amount in amounts.items():
                limit = self.budget.limits[counter]
                if usage.get(counter, 0) + amount > limit:
                    reset = self.next_reset().isoformat(timespec="minutes")
                    raise BudgetExhausted(
                        f"{self.platform} daily budget for {counter} used up "
                        f"({usage.get(counter, 0)}/{limit}); it resets at {reset}, run again then"
                    )
            for counter, amount in amounts.items():
                usage[counter] = usage.get(counter, 0) + amount
            write_text(path, json.dumps(data, indent=1, sort_keys=True))

    def refund(self, account: str = "default", **amounts: int) -> None:
        """Give back a reservation that turned out larger than the records actually returned."""
        with self._locked() as (path, data):
            usage = data.setdefault(account, {})
            for counter, amount in amounts.items():
                usage[counter] = max(0, usage.get(counter, 0) - amount)
            write_text(path, json.dumps(data, indent=1, sort_keys=True))

    def exhaust(self, account: str = "default") -> None:
        """The platform said the quota is used up: believe it until the reset."""
        with self._locked() as (path, data):
            data[account] = dict(self.budget.limits)
            write_text(path, json.dumps(data, indent=1, sort_keys=True))
