"""The digest as data: every figure a creator sees, so tests and the archive can check them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Rates:
    """Comments and flagged comments in one span; rates are flagged / comments (0 when empty)."""

    comments: int
    toxic: int
    hate: int

    @property
    def toxic_rate(self) -> float:
        return self.toxic / self.comments if self.comments else 0.0

    @property
    def hate_rate(self) -> float:
        return self.hate / self.comments if self.comments else 0.0


@dataclass(frozen=True)
class TargetGrowth:
    """A hate target whose count and rate both rose against last week."""

    target: str
    this_week: int
    last_week: int
    this_week_rate: float
    last_week_rate: float


@dataclass(frozen=True)
class DayCount:
    """One local day of the week: all comments, toxic-or-hateful ones, and the spike test."""

    day: date
    comments: int
    flagged: int
    threshold: float | None
    spike: bool


@dataclass(frozen=True)
class CommentItem:
    """A comment shown in the digest, already cleaned; ``masked`` hides flagged terms."""

    id: str
    platform: str
    kind: str
    text: str
    masked: str
    like_count: int
    created_at: datetime
    video_link: str | None
    labels: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    severity: int = 0


@dataclass(frozen=True)
class Keyword:
    term: str
    comments: int


@dataclass(frozen=True)
class SpikeRule:
    """How a spike is called: flagged > mean + sigmas·sd of the previous ``window_days`` days."""

    window_days: int = 28
    sigmas: float = 3.0
    min_count: int = 5
    min_active_days: int = 7


@dataclass
class Digest:
    campaign_id: str
    campaign_name: str
    creator_key: str
    creator_name: str
    locale: str
    timezone: str
    week_start: date
    week_end: date
    this_week: Rates
    last_week: Rates
    baseline: Rates | None
    baseline_weeks: float
    targets_grew: list[TargetGrowth]
    days: list[DayCount]
    top_positive: list[CommentItem]
    worst: list[CommentItem]
    keywords: list[Keyword]
    spike_rule: SpikeRule = field(default_factory=SpikeRule)

    @property
    def spikes(self) -> list[DayCount]:
        return [d for d in self.days if d.spike]

    @property
    def baseline_weekly_comments(self) -> float | None:
        if self.baseline is None or not self.baseline_weeks:
            return None
        return self.baseline.comments / self.baseline_weeks

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data for the archive (rates included, dates as ISO strings)."""

        def rates(value: Rates | None) -> dict | None:
            if value is None:
                return None
            return {**asdict(value), "toxic_rate": value.toxic_rate, "hate_rate": value.hate_rate}

        data = asdict(self)
        data["this_week"] = rates(self.this_week)
        data["last_week"] = rates(self.last_week)
        data["baseline"] = rates(self.baseline)
        data["spikes"] = [d.day for d in self.spikes]
        return _jsonable(data)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
