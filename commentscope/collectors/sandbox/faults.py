"""Fault injection for the sandbox: which request (by ordinal per API) fails, and how."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

KINDS = ("rate_limit", "server_error", "html_504", "expired_cursor", "token_expiry", "quota", "slow", "invalid_params")


@dataclass(frozen=True)
class FaultRule:
    """``kind`` on request numbers ``at`` (1-based, per api) or on every ``every``-th request.

    api: "tiktok" (research endpoints), "youtube", or "any". ``path`` narrows to URLs containing it.
    ``seconds``: Retry-After for rate_limit, delay for slow."""

    kind: str
    api: str = "any"
    at: frozenset[int] = frozenset()
    every: int | None = None
    path: str | None = None
    seconds: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault {self.kind!r}: use one of {', '.join(KINDS)}")

    def matches(self, api: str, number: int, path: str) -> bool:
        if self.api not in {"any", api}:
            return False
        if self.path and self.path not in path:
            return False
        return number in self.at or bool(self.every and number % self.every == 0)


@dataclass
class FaultPlan:
    rules: list[FaultRule] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    fired: list[tuple[str, int, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def next(self, api: str, path: str) -> tuple[int, list[FaultRule]]:
        """Count this request and return its number and the faults to inject."""
        with self._lock:
            number = self.counters.get(api, 0) + 1
            self.counters[api] = number
            hits = [r for r in self.rules if r.matches(api, number, path)]
            self.fired.extend((api, number, r.kind) for r in hits)
            return number, hits

    @classmethod
    def parse(cls, spec: str) -> FaultPlan:
        """From the CLI: 'rate_limit@3,html_504@every7,slow@every2:0.2'; an api prefix is optional
        ('youtube:rate_limit@2'); several request numbers join with '+' ('server_error@2+5')."""
        rules = []
        for part in filter(None, (p.strip() for p in spec.split(","))):
            api = "any"
            if ":" in part.split("@")[0]:
                api, part = part.split(":", 1)
            kind, _, when = part.partition("@")
            seconds = 0.0
            if ":" in when:
                when, secs = when.split(":", 1)
                seconds = float(secs)
            if when.startswith("every"):
                rules.append(FaultRule(kind, api, every=int(when[5:]), seconds=seconds))
            else:
                rules.append(FaultRule(kind, api, at=frozenset(int(x) for x in when.split("+") if x), seconds=seconds))
        return cls(rules)
