"""YouTube Data API v3 client: commentThreads.list and comments.list, with API-key rotation.

Contract followed (YouTube Data API docs): ``commentThreads.list`` (part=snippet,replies,
maxResults<=100, pageToken, textFormat=plainText, order=time: newest first) returns at most five
replies per thread, so threads with more replies are completed with ``comments.list`` (parentId).
Each call costs 1 unit; 10,000 units a day per project, reset at midnight Pacific. On
``quotaExceeded`` the next key is used; ``commentsDisabled`` is recorded, not retried.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from collectors.budget import Budget, QuotaLedger
from collectors.errors import BudgetExhausted, ConfigError, CursorExpired, TransientError, VideoFailed
from collectors.retry import RetryPolicy, call_with_retries, retry_after_seconds

DEFAULT_BASE_URL = "https://www.googleapis.com"
PAGE_SIZE = 100
UNITS_PER_CALL = 1


@dataclass(frozen=True)
class YouTubeCredentials:
    api_keys: tuple[str, ...]
    base_url: str = DEFAULT_BASE_URL

    @classmethod
    def from_env(cls) -> YouTubeCredentials:
        keys = tuple(k.strip() for k in os.environ.get("YOUTUBE_API_KEYS", "").split(",") if k.strip())
        if not keys:
            raise ConfigError(
                "YOUTUBE_API_KEYS is not set (fix: export YOUTUBE_API_KEYS=key1,key2 with YouTube Data API v3 "
                "keys, or try `commentscope collect --sandbox`)"
            )
        return cls(keys, os.environ.get("YOUTUBE_BASE_URL", DEFAULT_BASE_URL).rstrip("/"))


def key_account(key: str) -> str:
    """A name for a key in the ledger and in logs that does not reveal the key."""
    return "key-" + hashlib.sha256(key.encode()).hexdigest()[:10]


class YouTubeClient:
    """Rotates keys on quotaExceeded and keeps every key within its daily budget."""

    def __init__(self, credentials: YouTubeCredentials, ledger: QuotaLedger, *,
                 policy: RetryPolicy | None = None, timeout: float = 30.0, http: httpx.Client | None = None):
        self.credentials = credentials
        self.ledger = ledger
        self.policy = policy or RetryPolicy()
        self.http = http or httpx.Client(base_url=credentials.base_url, timeout=timeout)
        self._key_index = 0
        self.requests_sent = 0

    @classmethod
    def from_env(cls, state_dir: Any, **kwargs: Any) -> YouTubeClient:
        return cls(YouTubeCredentials.from_env(), QuotaLedger(state_dir, "youtube", Budget.from_env("youtube")),
                   **kwargs)

    def close(self) -> None:
        self.http.close()

    def _charge_a_key(self) -> str:
        """Charge one call to the first key with budget left, starting at the current one."""
        keys = self.credentials.api_keys
        for offset in range(len(keys)):
            index = (self._key_index + offset) % len(keys)
            try:
                self.ledger.charge(key_account(keys[index]), units=UNITS_PER_CALL)
            except BudgetExhausted:
                continue
            self._key_index = index
            return keys[index]
        raise BudgetExhausted(
            f"YouTube daily budget used up on all {len(keys)} API key(s); it resets at midnight Pacific, "
            "run again then (or add keys to YOUTUBE_API_KEYS)"
        )

    def _get(self, path: str, params: dict[str, Any], what: str) -> dict[str, Any]:
        def attempt() -> dict[str, Any]:
            while True:
                key = self._charge_a_key()
                self.requests_sent += 1
                response = self.http.get(path, params={**params, "key": key})
                if response.status_code == 200:
                    return response.json()
                reason, message = _reason(response)
                if reason in {"quotaExceeded", "dailyLimitExceeded"}:
                    self.ledger.exhaust(key_account(key))
                    continue  # next key
                self._raise_for(response, reason, message, what)

        return call_with_retries(attempt, self.policy, what)

    def _raise_for(self, response: httpx.Response, reason: str, message: str, what: str) -> None:
        status = response.status_code
        where = f"{what}: HTTP {status} {reason} {message}".strip()
        if status == 429 or status >= 500 or reason in {"rateLimitExceeded", "userRateLimitExceeded"}:
            raise TransientError(where, retry_after_seconds(response))
        if reason == "commentsDisabled":
            raise VideoFailed("comments_disabled", where)
        if "pagetoken" in reason.lower() or "page token" in message.lower():
            raise CursorExpired(where)
        if reason in {"keyInvalid", "keyExpired"} or (status == 400 and "API key" in message):
            raise ConfigError(f"{where} (fix: check YOUTUBE_API_KEYS)")
        raise VideoFailed(reason or f"http_{status}", where)

    def comment_threads(self, video_id: str, page_token: str | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {"part": "snippet,replies", "videoId": video_id, "maxResults": PAGE_SIZE,
                                  "textFormat": "plainText", "order": "time"}
        if page_token:
            params["pageToken"] = page_token
        return self._get("/youtube/v3/commentThreads", params, f"youtube threads of {video_id}")

    def replies(self, parent_id: str, page_token: str | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {"part": "snippet", "parentId": parent_id, "maxResults": PAGE_SIZE,
                                  "textFormat": "plainText"}
        if page_token:
            params["pageToken"] = page_token
        return self._get("/youtube/v3/comments", params, f"youtube replies of {parent_id}")


def _reason(response: httpx.Response) -> tuple[str, str]:
    try:
        error = response.json().get("error") or {}
    except ValueError:
        return "", response.text[:200].replace("\n", " ")
    errors = error.get("errors") or [{}]
    return str(errors[0].get("reason") or ""), str(error.get("message") or "")


def published(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
