"""The sandbox HTTP server (stdlib ThreadingHTTPServer on 127.0.0.1, a free port).

TikTok: ``POST /v2/oauth/token/``, ``POST /v2/research/video/query/``, ``POST /v2/research/video/comment/list/``.
YouTube: ``GET /youtube/v3/commentThreads``, ``GET /youtube/v3/comments``.
It enforces the documented limits (max_count, cursor cap, 30-day ranges, daily quotas counting failed
calls too) and counts what every client spent, so tests can check budgets from the server's side.
"""

from __future__ import annotations

import base64
import itertools
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from collectors.budget import next_reset, quota_day
from collectors.sandbox.corpus import Corpus, SandboxComment, SandboxVideo
from collectors.sandbox.faults import FaultPlan

SANDBOX_CLIENT_KEY = "sandbox-client-key"
SANDBOX_CLIENT_SECRET = "sandbox-client-secret"
SANDBOX_API_KEYS = ("sandbox-key-1", "sandbox-key-2")


@dataclass
class SandboxLimits:
    """Platform limits as the sandbox enforces them (defaults: the documented ones)."""

    tiktok_requests_per_day: int = 1000
    tiktok_records_per_day: int = 100_000
    youtube_units_per_key: int = 10_000
    token_ttl: float = 7200.0
    comment_cap: int = 1000
    youtube_inline_replies: int = 5
    page_size_youtube: int = 100


@dataclass
class _Usage:
    tiktok_requests: int = 0
    tiktok_records: int = 0
    youtube_units: dict[str, int] = field(default_factory=dict)
    day: str = ""


class Sandbox:
    """Start with ``with Sandbox(corpus) as sandbox: sandbox.url``; inspect ``usage`` and ``faults``."""

    def __init__(self, corpus: Corpus, *, faults: FaultPlan | None = None, limits: SandboxLimits | None = None,
                 api_keys: tuple[str, ...] = SANDBOX_API_KEYS, port: int = 0):
        self.corpus = corpus
        self.faults = faults or FaultPlan()
        self.limits = limits or SandboxLimits()
        self.api_keys = set(api_keys)
        self.usage = _Usage()
        self.lock = threading.RLock()
        self.tokens: dict[str, float] = {}
        self.searches: dict[str, tuple[Any, ...]] = {}
        self.page_generation = 0
        self.requests_log: list[tuple[str, int]] = []
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Sandbox:
        self._thread = threading.Thread(target=self._server.serve_forever, name="sandbox", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        self._server.serve_forever()

    # ---------- helpers
    def log_id(self) -> str:
        return f"sandbox{next(self._ids):08d}"

    def _roll_day(self) -> None:
        today = quota_day("tiktok", datetime.now(UTC)).isoformat()
        if self.usage.day != today:
            self.usage = _Usage(day=today)

    def page_token(self, kind: str, key: str, offset: int) -> str:
        raw = f"{kind}|{key}|{offset}|{self.page_generation}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def read_token(self, token: str, kind: str, key: str) -> int | None:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            got_kind, got_key, offset, generation = raw.split("|")
        except (ValueError, UnicodeDecodeError):
            return None
        if got_kind != kind or got_key != key or int(generation) != self.page_generation:
            return None
        return int(offset)


def _handler_for(sandbox: Sandbox) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        box = sandbox

    return Handler


class _Handler(BaseHTTPRequestHandler):
    box: Sandbox
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep the sandbox quiet
        return

    # ---------- plumbing
    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None, html: bool = False) -> None:
        data = body.encode() if html else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html" if html else "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _tiktok_error(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, {"data": {}, "error": {"code": code, "message": message, "log_id": self.box.log_id()}},
                   headers)

    def _youtube_error(self, status: int, reason: str, message: str, domain: str = "youtube.commentThread") -> None:
        self._send(status, {"error": {"code": status, "message": message,
                                      "errors": [{"message": message, "domain": domain, "reason": reason}]}})

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    # ---------- routing
    def do_POST(self) -> None:  # noqa: N802 - http.server API
        path = urlparse(self.path).path
        body = self._body()
        with self.box.lock:
            self.box._roll_day()
        if path == "/v2/oauth/token/":
            return self._token(body)
        if path in {"/v2/research/video/query/", "/v2/research/video/comment/list/"}:
            return self._tiktok(path, body)
        self._tiktok_error(404, "not_found", f"no endpoint {path}")

    def do_GET(self) -> None:  # noqa: N802
        parsed = urlparse(self.path)
        with self.box.lock:
            self.box._roll_day()
        if parsed.path in {"/youtube/v3/commentThreads", "/youtube/v3/comments"}:
            return self._youtube(parsed.path, {k: v[0] for k, v in parse_qs(parsed.query).items()})
        self._youtube_error(404, "notFound", f"no endpoint {parsed.path}", "global")

    # ---------- tiktok
    def _token(self, body: bytes) -> None:
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if (form.get("client_key") != SANDBOX_CLIENT_KEY or form.get("client_secret") != SANDBOX_CLIENT_SECRET
                or form.get("grant_type") != "client_credentials"):
            return self._send(401, {"error": "invalid_client", "error_description": "client_key or secret wrong",
                                    "log_id": self.box.log_id()})
        token = "clt." + secrets.token_hex(16)
        with self.box.lock:
            self.box.tokens[token] = time.monotonic() + self.box.limits.token_ttl
        self._send(200, {"access_token": token, "expires_in": int(self.box.limits.token_ttl),
                         "token_type": "Bearer"})

    def _tiktok(self, path: str, raw: bytes) -> None:
        box = self.box
        number, faults = box.faults.next("tiktok", path)
        auth = self.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        with box.lock:
            box.requests_log.append(("tiktok", number))
            for fault in faults:
                if fault.kind == "token_expiry":
                    box.tokens.clear()
            valid = box.tokens.get(token, 0) > time.monotonic()
        if not valid:
            return self._tiktok_error(401, "access_token_invalid", "The access token is invalid or not found")
        with box.lock:
            if box.usage.tiktok_requests >= box.limits.tiktok_requests_per_day or any(
                    f.kind == "quota" for f in faults):
                box.usage.tiktok_requests = max(box.usage.tiktok_requests, box.limits.tiktok_requests_per_day)
                wait = int((next_reset("tiktok", datetime.now(UTC)) - datetime.now(UTC)).total_seconds()) + 1
                return self._tiktok_error(429, "daily_quota_limit_exceeded",
                                          "API daily quota exceeded", {"Retry-After": str(wait)})
            box.usage.tiktok_requests += 1  # failed calls below still cost a request
        for fault in faults:
            if fault.kind == "slow":
                time.sleep(fault.seconds or 0.5)
            elif fault.kind == "rate_limit":
                return self._tiktok_error(429, "rate_limit_exceeded", "Too many requests",
                                          {"Retry-After": str(fault.seconds or 0)})
            elif fault.kind == "server_error":
                return self._tiktok_error(500, "internal_error", "Something went wrong")
            elif fault.kind == "html_504":
                return self._send(504, "<html><body><h1>504 Gateway Time-out</h1></body></html>", html=True)
            elif fault.kind == "expired_cursor":
                what = "search_id" if "query" in path else "cursor"
                return self._tiktok_error(400, "invalid_params", f"{what} is invalid or expired")
            elif fault.kind == "invalid_params":
                return self._tiktok_error(400, "invalid_params", "Invalid parameters")
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            return self._tiktok_error(400, "invalid_params", "request body is not JSON")
        fields = set((parse_qs(urlparse(self.path).query).get("fields") or [""])[0].split(","))
        if path.endswith("comment/list/"):
            return self._comments(body, fields)
        return self._videos(body, fields)

    def _check_max_count(self, body: dict[str, Any]) -> tuple[int, int] | None:
        max_count = int(body.get("max_count", 10))
        cursor = int(body.get("cursor", 0))
        if not 1 <= max_count <= 100:
            self._tiktok_error(400, "invalid_params", "max_count must be between 1 and 100")
            return None
        return max_count, cursor

    def _reserve_records(self, count: int) -> bool:
        box = self.box
        with box.lock:
            if box.usage.tiktok_records + count > box.limits.tiktok_records_per_day:
                self._tiktok_error(429, "daily_quota_limit_exceeded", "API daily record quota exceeded",
                                   {"Retry-After": "86400"})
                return False
            box.usage.tiktok_records += count
            return True

    def _comments(self, body: dict[str, Any], fields: set[str]) -> None:
        checked = self._check_max_count(body)
        if checked is None:
            return
        max_count, cursor = checked
        if cursor + max_count > self.box.limits.comment_cap:
            return self._tiktok_error(400, "invalid_params",
                                      f"cursor + max_count must not exceed {self.box.limits.comment_cap}")
        video = self.box.corpus.video("tiktok", str(body.get("video_id")))
        if video is None:
            return self._tiktok_error(400, "invalid_params", "video_id is invalid")
        chunk = video.comments[cursor:cursor + max_count]
        if not self._reserve_records(len(chunk)):
            return None
        comments = [_pick(_tiktok_comment(c, video), fields) for c in chunk]
        has_more = cursor + len(chunk) < len(video.comments)
        self._send(200, {"data": {"comments": comments, "cursor": cursor + len(chunk), "has_more": has_more},
                         "error": {"code": "ok", "message": "", "log_id": self.box.log_id()}})

    def _videos(self, body: dict[str, Any], fields: set[str]) -> None:
        checked = self._check_max_count(body)
        if checked is None:
            return
        max_count, cursor = checked
        try:
            start = datetime.strptime(str(body["start_date"]), "%Y%m%d").replace(tzinfo=UTC)
            end = datetime.strptime(str(body["end_date"]), "%Y%m%d").replace(tzinfo=UTC)
            usernames = {v for cond in body["query"]["and"] if cond.get("field_name") == "username"
                         for v in cond.get("field_values", [])}
        except (KeyError, ValueError, TypeError):
            return self._tiktok_error(400, "invalid_params", "query, start_date and end_date are required")
        if end < start or (end - start).days > 30:
            return self._tiktok_error(400, "invalid_params", "end_date must be within 30 days after start_date")
        key = (tuple(sorted(usernames)), body["start_date"], body["end_date"])
        search_id = body.get("search_id")
        box = self.box
        with box.lock:
            if search_id:
                if box.searches.get(search_id) != key:
                    return self._tiktok_error(400, "invalid_params", "search_id is invalid or expired")
            else:
                search_id = secrets.token_hex(8)
                box.searches[search_id] = key
        found = sorted((v for v in box.corpus.videos.values() if v.platform == "tiktok" and v.username in usernames
                        and start <= v.created_at < end + timedelta(days=1)), key=lambda v: v.video_id)
        chunk = found[cursor:cursor + max_count]
        if not self._reserve_records(len(chunk)):
            return None
        videos = [_pick({"id": int(v.video_id) if v.video_id.isdigit() else v.video_id, "username": v.username,
                         "create_time": int(v.created_at.timestamp()), "region_code": "TH",
                         "video_description": "", "comment_count": len(v.comments)}, fields) for v in chunk]
        self._send(200, {"data": {"videos": videos, "cursor": cursor + len(chunk),
                                  "has_more": cursor + len(chunk) < len(found), "search_id": search_id},
                         "error": {"code": "ok", "message": "", "log_id": box.log_id()}})

    # ---------- youtube
    def _youtube(self, path: str, params: dict[str, str]) -> None:
        box = self.box
        number, faults = box.faults.next("youtube", path)
        key = params.get("key", "")
        with box.lock:
            box.requests_log.append(("youtube", number))
        if key not in box.api_keys:
            return self._youtube_error(400, "keyInvalid", "API key not valid. Please pass a valid API key.",
                                       "global")
        with box.lock:
            used = box.usage.youtube_units.get(key, 0)
            if used >= box.limits.youtube_units_per_key or any(f.kind == "quota" for f in faults):
                box.usage.youtube_units[key] = max(used, box.limits.youtube_units_per_key)
                return self._youtube_error(403, "quotaExceeded", "The request cannot be completed because you "
                                           "have exceeded your quota.", "youtube.quota")
            box.usage.youtube_units[key] = used + 1
        for fault in faults:
            if fault.kind == "slow":
                time.sleep(fault.seconds or 0.5)
            elif fault.kind == "rate_limit":
                return self._youtube_error(429, "rateLimitExceeded", "Too many requests", "global")
            elif fault.kind == "server_error":
                return self._youtube_error(500, "backendError", "Backend Error", "global")
            elif fault.kind == "html_504":
                return self._send(504, "<html><body>504 Gateway Timeout</body></html>", html=True)
            elif fault.kind == "expired_cursor":
                with box.lock:
                    box.page_generation += 1
            elif fault.kind == "invalid_params":
                return self._youtube_error(400, "invalidParameter", "Invalid parameter", "youtube.parameter")
        max_results = int(params.get("maxResults", 20))
        if not 1 <= max_results <= 100:
            return self._youtube_error(400, "invalidMaxResults", "maxResults must be between 1 and 100",
                                       "youtube.parameter")
        if path.endswith("commentThreads"):
            return self._threads(params, max_results)
        return self._replies(params, max_results)

    def _offset(self, params: dict[str, str], kind: str, key: str) -> int | None:
        token = params.get("pageToken")
        if not token:
            return 0
        offset = self.box.read_token(token, kind, key)
        if offset is None:
            self._youtube_error(400, "invalidPageToken", "The page token is invalid or has expired.",
                                "youtube.parameter")
        return offset

    def _threads(self, params: dict[str, str], max_results: int) -> None:
        video_id = params.get("videoId", "")
        video = self.box.corpus.video("youtube", video_id)
        if video is None:
            return self._youtube_error(404, "videoNotFound", "The video identified by videoId was not found.")
        if video.comments_disabled:
            return self._youtube_error(403, "commentsDisabled", "The video has disabled comments.")
        offset = self._offset(params, "threads", video_id)
        if offset is None:
            return None
        tops = sorted(video.top_level(), key=lambda c: (c.created_at, c.comment_id), reverse=True)
        chunk = tops[offset:offset + max_results]
        items = []
        for top in chunk:
            replies = video.replies_of(top.comment_id)
            thread: dict[str, Any] = {
                "kind": "youtube#commentThread", "id": top.comment_id,
                "snippet": {"videoId": video_id, "topLevelComment": _yt_comment(top, video),
                            "totalReplyCount": len(replies), "canReply": True, "isPublic": True},
            }
            if replies and "replies" in params.get("part", ""):
                shown = replies[: self.box.limits.youtube_inline_replies]
                thread["replies"] = {"comments": [_yt_comment(r, video) for r in shown]}
            items.append(thread)
        body: dict[str, Any] = {"kind": "youtube#commentThreadListResponse", "items": items,
                                "pageInfo": {"totalResults": len(items), "resultsPerPage": max_results}}
        if offset + len(chunk) < len(tops):
            body["nextPageToken"] = self.box.page_token("threads", video_id, offset + len(chunk))
        self._send(200, body)

    def _replies(self, params: dict[str, str], max_results: int) -> None:
        parent = params.get("parentId", "")
        video = next((v for v in self.box.corpus.videos.values() if v.platform == "youtube"
                      and any(c.comment_id == parent for c in v.comments)), None)
        if video is None:
            return self._youtube_error(404, "commentNotFound", "The parent comment was not found.", "youtube.comment")
        offset = self._offset(params, "replies", parent)
        if offset is None:
            return None
        replies = video.replies_of(parent)
        chunk = replies[offset:offset + max_results]
        body: dict[str, Any] = {"kind": "youtube#commentListResponse", "items": [_yt_comment(r, video) for r in chunk]}
        if offset + len(chunk) < len(replies):
            body["nextPageToken"] = self.box.page_token("replies", parent, offset + len(chunk))
        self._send(200, body)


def _pick(record: dict[str, Any], fields: set[str]) -> dict[str, Any]:
    wanted = {f for f in fields if f}
    return {k: v for k, v in record.items() if not wanted or k in wanted}


def _tiktok_comment(c: SandboxComment, video: SandboxVideo) -> dict[str, Any]:
    return {"id": int(c.comment_id) if c.comment_id.isdigit() else c.comment_id,
            "video_id": int(video.video_id) if video.video_id.isdigit() else video.video_id,
            "text": c.text, "like_count": c.like_count, "reply_count": c.reply_count,
            "parent_comment_id": int(c.parent_id) if c.parent_id and c.parent_id.isdigit()
            else (c.parent_id or (int(video.video_id) if video.video_id.isdigit() else video.video_id)),
            "create_time": int(c.created_at.timestamp())}


def _yt_comment(c: SandboxComment, video: SandboxVideo) -> dict[str, Any]:
    stamp = c.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    snippet: dict[str, Any] = {
        "channelId": "UCsandbox", "videoId": video.video_id, "textDisplay": c.text, "textOriginal": c.text,
        "authorDisplayName": f"@{c.author}" if c.author else "@anonymous",
        "authorChannelId": {"value": f"UC{c.author}" if c.author else "UCanonymous"},
        "canRate": True, "viewerRating": "none", "likeCount": c.like_count,
        "publishedAt": stamp, "updatedAt": stamp,
    }
    if c.parent_id:
        snippet["parentId"] = c.parent_id
    return {"kind": "youtube#comment", "id": c.comment_id, "snippet": snippet}
