"""TikTok Research API client: client-credentials token, video query, comment list; quota-aware.

Contract followed (TikTok Research API docs): token from ``/v2/oauth/token/`` (about 2 h, refreshed
5 minutes early and on 401 ``access_token_invalid``); ``/v2/research/video/query/`` with at most
30 days between start_date and end_date, search_id + cursor paging; ``/v2/research/video/comment/list/``
with max_count <= 100 and cursor + max_count <= 1000. Errors come as ``{"error": {code, message,
log_id}}``. Every attempt is charged to the ledger first: failed calls can still cost quota.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from collectors.budget import Budget, QuotaLedger
from collectors.errors import BudgetExhausted, ConfigError, CursorExpired, TransientError, VideoFailed
from collectors.retry import RetryPolicy, call_with_retries, retry_after_seconds

DEFAULT_BASE_URL = "https://open.tiktokapis.com"
COMMENT_FIELDS = "id,video_id,text,like_count,reply_count,parent_comment_id,create_time"
VIDEO_FIELDS = "id,username,create_time,region_code,video_description,comment_count"
PAGE_SIZE = 100
COMMENT_CAP = 1000  # cursor + max_count may not exceed this
MAX_RANGE_DAYS = 30
TOKEN_MARGIN = 300.0


@dataclass(frozen=True)
class TikTokCredentials:
    client_key: str
    client_secret: str
    base_url: str = DEFAULT_BASE_URL

    @classmethod
    def from_env(cls) -> TikTokCredentials:
        key = os.environ.get("TIKTOK_CLIENT_KEY", "").strip()
        secret = os.environ.get("TIKTOK_CLIENT_SECRET", "").strip()
        if not key or not secret:
            raise ConfigError(
                "TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET are not set (fix: export them from your "
                "TikTok Research API app, or try `commentscope collect --sandbox`)"
            )
        return cls(key, secret, os.environ.get("TIKTOK_BASE_URL", DEFAULT_BASE_URL).rstrip("/"))


def date_chunks(start: date, end: date, days: int = MAX_RANGE_DAYS) -> list[tuple[date, date]]:
    """Split [start, end] into inclusive ranges the video query accepts (at most ``days`` apart)."""
    chunks = []
    cursor = start
    while cursor <= end:
        stop = min(end, cursor + timedelta(days=days - 1))
        chunks.append((cursor, stop))
        cursor = stop + timedelta(days=1)
    return chunks


class TikTokClient:
    """One authenticated session with the Research API. Not thread-safe; make one per worker."""

    def __init__(self, credentials: TikTokCredentials, ledger: QuotaLedger, *,
                 policy: RetryPolicy | None = None, timeout: float = 30.0,
                 http: httpx.Client | None = None):
        self.credentials = credentials
        self.ledger = ledger
        self.policy = policy or RetryPolicy()
        self.http = http or httpx.Client(base_url=credentials.base_url, timeout=timeout)
        self._token: str | None = None
        self._token_expires = 0.0
        self.requests_sent = 0

    @classmethod
    def from_env(cls, state_dir: Any, **kwargs: Any) -> TikTokClient:
        return cls(TikTokCredentials.from_env(), QuotaLedger(state_dir, "tiktok", Budget.from_env("tiktok")),
                   **kwargs)

    def close(self) -> None:
        self.http.close()

    # ---------- token
    def token(self) -> str:
        if self._token is None or time.monotonic() > self._token_expires - TOKEN_MARGIN:
            self._fetch_token()
        assert self._token is not None
        return self._token

    def _fetch_token(self) -> None:
        def attempt() -> dict[str, Any]:
            response = self.http.post(
                "/v2/oauth/token/",
                data={"client_key": self.credentials.client_key,
                      "client_secret": self.credentials.client_secret,
                      "grant_type": "client_credentials"},
            )
            if response.status_code == 429 or response.status_code >= 500:
                raise TransientError(f"token endpoint HTTP {response.status_code}", retry_after_seconds(response))
            body = _json(response)
            if response.status_code != 200 or "access_token" not in body:
                raise ConfigError(
                    f"TikTok refused the client credentials ({body.get('error') or response.status_code}): "
                    "check TIKTOK_CLIENT_KEY / TIKTOK_CLIENT_SECRET"
                )
            return body

        body = call_with_retries(attempt, self.policy, "tiktok token")
        self._token = str(body["access_token"])
        self._token_expires = time.monotonic() + float(body.get("expires_in", 7200))

    # ---------- research endpoints
    def _post(self, path: str, fields: str, body: dict[str, Any], list_key: str, what: str) -> dict[str, Any]:
        reserve = int(body.get("max_count", PAGE_SIZE))

        def attempt() -> dict[str, Any]:
            self.ledger.charge(requests=1, records=reserve)  # raises BudgetExhausted: not retried
            returned = 0
            try:
                self.requests_sent += 1
                response = self.http.post(
                    path, params={"fields": fields}, json=body,
                    headers={"Authorization": f"Bearer {self.token()}"},
                )
                payload = _json(response)
                error = payload.get("error") or {}
                code = str(error.get("code") or ("ok" if response.status_code == 200 else ""))
                if response.status_code == 200 and code == "ok":
                    data = payload.get("data") or {}
                    returned = len(data.get(list_key) or [])
                    return data
                self._raise_for(response, code, str(error.get("message") or ""), error.get("log_id"), what)
                raise AssertionError("unreachable")
            finally:
                self.ledger.refund(records=reserve - returned)

        return call_with_retries(attempt, self.policy, what)

    def _raise_for(self, response: httpx.Response, code: str, message: str, log_id: Any, what: str) -> None:
        status = response.status_code
        where = f"{what}: HTTP {status} {code or ''} {message} (log_id {log_id})".strip()
        if status == 401 or code == "access_token_invalid":
            self._token = None
            raise TransientError(where, retry_after=0.0)
        if status == 429:
            wait = retry_after_seconds(response)
            if "quota" in code or "quota" in message.lower() or (wait is not None and wait > self.policy.max_delay):
                self.ledger.exhaust()
                raise BudgetExhausted(f"TikTok daily quota used up ({where}); run again after 00:00 UTC")
            raise TransientError(where, retry_after=wait)
        if status >= 500:
            raise TransientError(where)
        lowered = message.lower()
        if ("search_id" in lowered or "cursor" in lowered) and ("expired" in lowered or "invalid" in lowered):
            raise CursorExpired(where)
        raise VideoFailed(code or f"http_{status}", where)

    def list_comments(self, video_id: str, cursor: int, max_count: int = PAGE_SIZE) -> dict[str, Any]:
        """One page: {"comments": [...], "cursor": int, "has_more": bool}."""
        body = {"video_id": int(video_id) if video_id.isdigit() else video_id,
                "max_count": max_count, "cursor": cursor}
        return self._post("/v2/research/video/comment/list/", COMMENT_FIELDS, body, "comments",
                          f"tiktok comments of {video_id} at cursor {cursor}")

    def query_videos(self, username: str, start: date, end: date, *, cursor: int = 0,
                     search_id: str | None = None, max_count: int = PAGE_SIZE) -> dict[str, Any]:
        """One page of a creator's videos in [start, end] (at most 30 days)."""
        if (end - start).days >= MAX_RANGE_DAYS:
            raise ValueError("start and end must be at most 30 days apart: split with date_chunks()")
        body: dict[str, Any] = {
            "query": {"and": [{"operation": "EQ", "field_name": "username", "field_values": [username]}]},
            "start_date": start.strftime("%Y%m%d"),
            "end_date": end.strftime("%Y%m%d"),
            "max_count": max_count,
            "cursor": cursor,
        }
        if search_id:
            body["search_id"] = search_id
        return self._post("/v2/research/video/query/", VIDEO_FIELDS, body, "videos",
                          f"tiktok videos of a creator {start}..{end}")


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        value = response.json()
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def comment_time(value: Any) -> datetime:
    """TikTok create_time is unix seconds."""
    return datetime.fromtimestamp(int(value), tz=UTC)
