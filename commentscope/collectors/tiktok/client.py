"""TikTok Research API client: client-credentials token, video query, comment list; quota-aware.

Contract followed (developers.tiktok.com Research API docs): token from ``/v2/oauth/token/``
(about 2 h, refreshed 5 minutes early and on 401 ``access_token_invalid``);
``/v2/research/video/query/`` with end_date at most 30 days after start_date, search_id + cursor
paging; ``/v2/research/video/comment/list/`` with ``video_id`` (a video's comments) or
``comment_id`` (a comment's replies), max_count <= 100 and cursor + max_count <= 1000. Errors come
as ``{"error": {code, message, log_id}}`` (doc: tiktok-api-v2-error-handling). Every attempt is
charged to the ledger first (failed calls can still cost quota) and paced by a per-second limiter.

How each error is read (sources in docs/collectors.md):

* 429 ``rate_limit_exceeded`` is the only quota signal TikTok's v2 error list has; the Research API
  has a daily quota and no documented per-minute limit, so a 429 means the day is spent: the ledger
  is marked spent and BudgetExhausted says when it resets (00:00 UTC). Only a 429 whose Retry-After
  fits the retry window is waited out and retried.
* ``Search Id <n> is invalid or expired`` and ``Invalid count or cursor`` (400 ``invalid_params``)
  are passing API faults (the Cybersecurity for Democracy tiktok-library retries both with
  backoff): the same request is retried, the walk never restarts.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from commentscope.collectors.budget import QuotaLedger
from commentscope.collectors.errors import BudgetExhausted, ConfigError, TransientError, VideoFailed
from commentscope.collectors.http_session import ApiSession
from commentscope.collectors.ratelimit import rate_env
from commentscope.collectors.retry import RetryPolicy, call_with_retries, retry_after_seconds
from commentscope.collectors.tiktok.budget import budget_from_env
from commentscope.settings import Environment

DEFAULT_BASE_URL = "https://open.tiktokapis.com"
COMMENT_FIELDS = "id,video_id,text,like_count,reply_count,parent_comment_id,create_time"
VIDEO_FIELDS = "id,username,create_time,region_code,video_description,comment_count"
PAGE_SIZE = 100
COMMENT_CAP = 1000  # cursor + max_count may not exceed this
MAX_RANGE_DAYS = 30  # end_date at most 30 days after start_date
TOKEN_MARGIN = 300.0
DEFAULT_RATE = 2.0  # requests per second (TIKTOK_REQUESTS_PER_SECOND)
# Passing faults the API sends with 400 invalid_params (tiktok-library api_client.py retries both).
PASSING_FAULT = re.compile(r"Search Id \d+ is invalid or expired|Invalid count or cursor")


@dataclass(frozen=True)
class TikTokCredentials:
    client_key: str
    client_secret: str
    base_url: str = DEFAULT_BASE_URL

    @classmethod
    def from_env(cls) -> TikTokCredentials:
        env = Environment.read()
        key = env.text("TIKTOK_CLIENT_KEY").strip()
        secret = env.text("TIKTOK_CLIENT_SECRET").strip()
        if not key or not secret:
            raise ConfigError(
                "TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET are not set (fix: export them from your "
                "TikTok Research API app, or try `commentscope collect --sandbox`)"
            )
        return cls(key, secret, env.text("TIKTOK_BASE_URL", DEFAULT_BASE_URL).rstrip("/"))


class TikTokClient(ApiSession):
    """One authenticated session with the Research API. Not thread-safe; make one per worker.

    ``replies_refused`` is set when the API refuses ``comment_id`` (an API version without reply
    listing): the walk then keeps the replies the video listing itself returns."""

    def __init__(
        self,
        credentials: TikTokCredentials,
        ledger: QuotaLedger,
        *,
        policy: RetryPolicy | None = None,
        timeout: float = 30.0,
        http: httpx.Client | None = None,
        per_second: float | None = DEFAULT_RATE,
    ):
        super().__init__(credentials.base_url, ledger, policy=policy, timeout=timeout, http=http, per_second=per_second)
        self.credentials = credentials
        self._token: str | None = None
        self._token_expires = 0.0
        self.replies_refused: str | None = None
        self.replies_seen = False  # a comment_id request has succeeded: later refusals are per comment

    @classmethod
    def from_env(cls, state_dir: Path, **kwargs: Any) -> TikTokClient:
        kwargs.setdefault("per_second", rate_env("TIKTOK_REQUESTS_PER_SECOND", DEFAULT_RATE))
        return cls(TikTokCredentials.from_env(), QuotaLedger(state_dir, "tiktok", budget_from_env()), **kwargs)

    # ---------- token
    def token(self) -> str:
        if self._token is None or time.monotonic() > self._token_expires - TOKEN_MARGIN:
            self._fetch_token()
        assert self._token is not None
        return self._token

    def _fetch_token(self) -> None:
        def attempt() -> dict[str, Any]:
            self.limiter.wait()
            response = self.http.post(
                "/v2/oauth/token/",
                data={
                    "client_key": self.credentials.client_key,
                    "client_secret": self.credentials.client_secret,
                    "grant_type": "client_credentials",
                },
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
                self.limiter.wait()
                self.requests_sent += 1
                response = self.http.post(
                    path,
                    params={"fields": fields},
                    json=body,
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
            if wait is not None and wait <= self.policy.max_delay:
                raise TransientError(where, retry_after=wait)
            self.ledger.exhaust()
            reset = self.ledger.next_reset().strftime("%Y-%m-%d %H:%M UTC")
            raise BudgetExhausted(f"TikTok daily quota used up ({where}); it resets at {reset}, run again then")
        if status >= 500:
            raise TransientError(where)
        if PASSING_FAULT.search(message):
            raise TransientError(where)
        raise VideoFailed(code or f"http_{status}", where)

    def list_comments(self, video_id: str, cursor: int, max_count: int = PAGE_SIZE) -> dict[str, Any]:
        """One page of a video's comments: {"comments": [...], "cursor": int, "has_more": bool}."""
        body = {"video_id": _id(video_id), "max_count": max_count, "cursor": cursor}
        return self._post(
            "/v2/research/video/comment/list/",
            COMMENT_FIELDS,
            body,
            "comments",
            f"tiktok comments of {video_id} at cursor {cursor}",
        )

    def list_replies(self, comment_id: str, cursor: int, max_count: int = PAGE_SIZE) -> dict[str, Any]:
        """One page of a comment's replies (the ``comment_id`` body parameter of the comment list)."""
        body = {"comment_id": _id(comment_id), "max_count": max_count, "cursor": cursor}
        return self._post(
            "/v2/research/video/comment/list/",
            COMMENT_FIELDS,
            body,
            "comments",
            f"tiktok replies of {comment_id} at cursor {cursor}",
        )

    def query_videos(
        self,
        username: str,
        start: date,
        end: date,
        *,
        cursor: int = 0,
        search_id: str | None = None,
        max_count: int = PAGE_SIZE,
    ) -> dict[str, Any]:
        """One page of a creator's videos between start_date and end_date (at most 30 days apart)."""
        if (end - start).days > MAX_RANGE_DAYS:
            raise ValueError("end must be at most 30 days after start: split with walk.query_windows()")
        body: dict[str, Any] = {
            "query": {"and": [{"operation": "EQ", "field_name": "username", "field_values": [username]}]},
            "start_date": start.strftime("%Y%m%d"),
            "end_date": end.strftime("%Y%m%d"),
            "max_count": max_count,
            "cursor": cursor,
        }
        if search_id:
            body["search_id"] = search_id
        return self._post(
            "/v2/research/video/query/", VIDEO_FIELDS, body, "videos", f"tiktok videos of a creator {start}..{end}"
        )


def _id(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        value = response.json()
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
