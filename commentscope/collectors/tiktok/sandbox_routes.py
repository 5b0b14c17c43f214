"""The TikTok Research API as the sandbox serves it (commentscope/collectors/sandbox).

Endpoints: ``POST /v2/oauth/token/``, ``POST /v2/research/video/query/``,
``POST /v2/research/video/comment/list/``. Sources for each shape:

* Error body ``{"data": {}, "error": {"code", "message", "log_id"}}`` and the codes
  ``access_token_invalid`` (401), ``invalid_params`` (400), ``rate_limit_exceeded`` (429),
  ``internal_error`` (500): developers.tiktok.com/doc/tiktok-api-v2-error-handling. That list has no
  quota-specific code: a spent daily quota is a 429 ``rate_limit_exceeded`` with the list's
  description as message and no Retry-After (the tiktok-library handles every 429 as the daily
  quota and sleeps until the next UTC midnight).
* Passing faults, with the messages the real API sends (the tiktok-library matches
  ``Search Id \\d+ is invalid or expired`` and ``Invalid count or cursor``): search ids are numbers.
* Success body ``{"data": {"comments", "cursor", "has_more"}, "error": {"code": "ok", "message": "",
  "log_id"}}``, ids as int64, a top-level comment's parent_comment_id = the video id: the real
  captured response in tiktok-library tests/testdata/api_comments_response.json.
* ``comment_id`` returns a comment's replies, ``video_id`` the video's comments, never both:
  developers.tiktok.com/doc/research-api-specs-query-video-comments (current version).
  ``Limits.replies_mode="inline"`` serves the older contract instead (video_id only, replies mixed
  into the video listing, comment_id refused), to test the collector's fallback.
* Quota: 1,000 requests and 100,000 records a day, reset at 12 AM UTC (research-api-faq); failed
  calls cost a request but no records. end_date at most 30 days after start_date; whether
  end_date is inclusive is disputed (the tiktok-library says it is not), so both are served
  (``Limits.end_date_inclusive``).
"""

from __future__ import annotations

import itertools
import json
import random
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from commentscope.collectors.budget import quota_day
from commentscope.collectors.sandbox.corpus import SandboxComment, SandboxVideo
from commentscope.collectors.sandbox.server import Reply, Request, Route

CLIENT_KEY = "sandbox-client-key"
CLIENT_SECRET = "sandbox-client-secret"
RATE_LIMIT_MESSAGE = "The API rate limit was exceeded. Please try again later."
COMMENTS = "/v2/research/video/comment/list/"
VIDEOS = "/v2/research/video/query/"


@dataclass
class Limits:
    requests_per_day: int = 1000
    records_per_day: int = 100_000
    token_ttl: float = 7200.0
    comment_cap: int = 1000
    replies_mode: str = "comment_id"  # or "inline": the contract before comment_id existed
    end_date_inclusive: bool = True


@dataclass
class SandboxAPI:
    box: Any
    limits: Limits = field(default_factory=Limits)  # None from the server: the documented defaults too
    requests: int = 0
    records: int = 0
    day: str = ""
    tokens: dict[str, float] = field(default_factory=dict)
    searches: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.limits = self.limits or Limits()
        self._ids = itertools.count(1)
        self._rng = random.Random(1)

    def routes(self) -> dict[tuple[str, str], Route]:
        return {
            ("POST", "/v2/oauth/token/"): self.token,
            ("POST", VIDEOS): self.research,
            ("POST", COMMENTS): self.research,
        }

    def env(self, url: str) -> dict[str, str]:
        return {"TIKTOK_BASE_URL": url, "TIKTOK_CLIENT_KEY": CLIENT_KEY, "TIKTOK_CLIENT_SECRET": CLIENT_SECRET}

    # ---------- helpers
    def _error(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Reply:
        return Reply(
            status, {"data": {}, "error": {"code": code, "message": message, "log_id": self._log_id()}}, headers or {}
        )

    def _ok(self, data: dict[str, Any]) -> Reply:
        return Reply(200, {"data": data, "error": {"code": "ok", "message": "", "log_id": self._log_id()}})

    def _log_id(self) -> str:
        return f"{datetime.now(UTC):%Y%m%d%H%M%S}{next(self._ids):018X}"

    def _roll_day(self) -> None:
        today = quota_day(UTC, datetime.now(UTC)).isoformat()
        if self.day != today:
            self.day, self.requests, self.records = today, 0, 0

    def _quota_spent(self) -> Reply:
        return self._error(429, "rate_limit_exceeded", RATE_LIMIT_MESSAGE)

    # ---------- endpoints
    def token(self, request: Request) -> Reply:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if (
            form.get("client_key") != CLIENT_KEY
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("grant_type") != "client_credentials"
        ):
            return Reply(
                401,
                {
                    "error": "invalid_client",
                    "error_description": "client_key or secret wrong",
                    "log_id": self._log_id(),
                },
            )
        token = "clt." + secrets.token_hex(16)
        with self.box.lock:
            self.tokens[token] = time.monotonic() + self.limits.token_ttl
        return Reply(200, {"access_token": token, "expires_in": int(self.limits.token_ttl), "token_type": "Bearer"})

    def research(self, request: Request) -> Reply:
        box = self.box
        number, faults = box.faults.next("tiktok", request.path)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        with box.lock:
            self._roll_day()
            box.requests_log.append(("tiktok", number, request.path, request.body))
            if any(f.kind == "token_expiry" for f in faults):
                self.tokens.clear()
            valid = self.tokens.get(token, 0) > time.monotonic()
        if not valid:
            return self._error(401, "access_token_invalid", "The access token is invalid or not found in the request.")
        with box.lock:
            if self.requests >= self.limits.requests_per_day or any(f.kind == "quota" for f in faults):
                self.requests = max(self.requests, self.limits.requests_per_day)
                return self._quota_spent()
            self.requests += 1  # failed calls below still cost a request
        try:
            body = json.loads(request.body or b"{}")
        except json.JSONDecodeError:
            return self._error(400, "invalid_params", "request body is not JSON")
        for fault in faults:
            if fault.kind == "slow":
                time.sleep(fault.seconds or 0.5)
            elif fault.kind == "rate_limit":  # a throttle that says when to come back
                return self._error(
                    429, "rate_limit_exceeded", RATE_LIMIT_MESSAGE, {"Retry-After": str(fault.seconds or 0)}
                )
            elif fault.kind == "server_error":
                return self._error(500, "internal_error", "Something went wrong. Please try again later.")
            elif fault.kind == "html_504":
                return Reply(504, "<html><body><h1>504 Gateway Time-out</h1></body></html>", html=True)
            elif fault.kind == "expired_cursor":
                if request.path == VIDEOS:
                    return self._error(
                        400,
                        "invalid_params",
                        f"Search Id {body.get('search_id') or self._search_id()} is invalid or expired",
                    )
                return self._error(400, "invalid_params", "Invalid count or cursor")
            elif fault.kind == "invalid_params":
                return self._error(400, "invalid_params", "Invalid parameters")
        fields = set(request.query.get("fields", "").split(","))
        if request.path == COMMENTS:
            return self._comments(body, fields)
        return self._videos(body, fields)

    def _page_args(self, body: dict[str, Any]) -> tuple[int, int] | Reply:
        max_count, cursor = int(body.get("max_count", 10)), int(body.get("cursor", 0))
        if not 1 <= max_count <= 100:
            return self._error(400, "invalid_params", "max_count must be between 1 and 100")
        return max_count, cursor

    def _reserve(self, count: int) -> bool:
        with self.box.lock:
            if self.records + count > self.limits.records_per_day:
                return False
            self.records += count
            return True

    def _comments(self, body: dict[str, Any], fields: set[str]) -> Reply:
        args = self._page_args(body)
        if isinstance(args, Reply):
            return args
        max_count, cursor = args
        if cursor + max_count > self.limits.comment_cap:
            return self._error(400, "invalid_params", f"cursor + max_count must not exceed {self.limits.comment_cap}")
        has_video, has_comment = "video_id" in body, "comment_id" in body
        if self.limits.replies_mode == "inline" and has_comment:
            return self._error(400, "invalid_params", "video_id is required")
        if has_video == has_comment:
            return self._error(400, "invalid_params", "request either video_id or comment_id")
        if has_video:
            video = self.box.corpus.video("tiktok", str(body["video_id"]))
            if video is None:
                return self._error(400, "invalid_params", "video_id is invalid")
            listed = video.comments if self.limits.replies_mode == "inline" else video.top_level()
        else:
            found = self.box.corpus.comment("tiktok", str(body["comment_id"]))
            if found is None:
                return self._error(400, "invalid_params", "comment_id is invalid")
            video, parent = found
            listed = video.replies_of(parent.comment_id)
        chunk = listed[cursor : cursor + max_count]
        if not self._reserve(len(chunk)):
            return self._quota_spent()
        comments = [_pick(_comment(c, video), fields) for c in chunk]
        return self._ok(
            {"comments": comments, "cursor": cursor + len(chunk), "has_more": cursor + len(chunk) < len(listed)}
        )

    def _search_id(self) -> str:
        return str(self._rng.randrange(7_000_000_000_000_000_000, 7_999_999_999_999_999_999))

    def _videos(self, body: dict[str, Any], fields: set[str]) -> Reply:
        args = self._page_args(body)
        if isinstance(args, Reply):
            return args
        max_count, cursor = args
        try:
            start = datetime.strptime(str(body["start_date"]), "%Y%m%d").replace(tzinfo=UTC)
            end = datetime.strptime(str(body["end_date"]), "%Y%m%d").replace(tzinfo=UTC)
            usernames = {
                v
                for cond in body["query"]["and"]
                if cond.get("field_name") == "username"
                for v in cond.get("field_values", [])
            }
        except (KeyError, ValueError, TypeError):
            return self._error(400, "invalid_params", "query, start_date and end_date are required")
        if end < start or (end - start).days > 30:
            return self._error(400, "invalid_params", "end_date must be no more than 30 days after start_date")
        key = (tuple(sorted(usernames)), body["start_date"], body["end_date"])
        search_id = body.get("search_id")
        with self.box.lock:
            if search_id:
                if self.searches.get(str(search_id)) != key:
                    return self._error(400, "invalid_params", f"Search Id {search_id} is invalid or expired")
            else:
                search_id = self._search_id()
                self.searches[search_id] = key
        stop = end + timedelta(days=1) if self.limits.end_date_inclusive else end
        found = sorted(
            (
                v
                for v in self.box.corpus.videos.values()
                if v.platform == "tiktok" and v.username in usernames and start <= v.created_at < stop
            ),
            key=lambda v: v.video_id,
        )
        chunk = found[cursor : cursor + max_count]
        if not self._reserve(len(chunk)):
            return self._quota_spent()
        videos = [
            _pick(
                {
                    "id": _num(v.video_id),
                    "username": v.username,
                    "create_time": int(v.created_at.timestamp()),
                    "region_code": "TH",
                    "video_description": "",
                    "comment_count": len(v.comments),
                },
                fields,
            )
            for v in chunk
        ]
        return self._ok(
            {
                "videos": videos,
                "cursor": cursor + len(chunk),
                "has_more": cursor + len(chunk) < len(found),
                "search_id": str(search_id),
            }
        )


def _num(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def _pick(record: dict[str, Any], fields: set[str]) -> dict[str, Any]:
    wanted = {f for f in fields if f}
    return {k: v for k, v in record.items() if not wanted or k in wanted}


def _comment(c: SandboxComment, video: SandboxVideo) -> dict[str, Any]:
    return {
        "id": _num(c.comment_id),
        "video_id": _num(video.video_id),
        "text": c.text,
        "like_count": c.like_count,
        "reply_count": c.reply_count,
        "parent_comment_id": _num(c.parent_id or video.video_id),
        "create_time": int(c.created_at.timestamp()),
    }
