"""Errors the collectors raise, each saying what happened and, for people, what to do."""

from __future__ import annotations

from commentscope.errors import CollectStageError


class CollectError(CollectStageError, RuntimeError):
    """Base class for collector failures."""


class ConfigError(CollectError):
    """A missing credential or setting; the message names the environment variable to set."""


class BudgetExhausted(CollectError):
    """The configured daily budget (or the platform's quota) is used up: stop cleanly, resume later."""


class VideoFailed(CollectError):
    """This video cannot be collected (invalid params, comments disabled, not found): go on with others."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class CursorExpired(CollectError):
    """The platform no longer accepts this page token (YouTube): walk the video again from the start."""


class TokenInvalid(CollectError):
    """The access token was rejected: fetch a new one and retry."""


class TransientError(CollectError):
    """A 429/5xx/timeout worth retrying with backoff."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after
