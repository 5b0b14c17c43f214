"""The YouTube Data API v3 as the sandbox serves it (commentscope/collectors/sandbox).

Endpoints: ``GET /youtube/v3/commentThreads`` and ``GET /youtube/v3/comments`` with the parameters
of the discovery document (google-api-python-client googleapiclient/discovery_cache/documents/
youtube.v3.json): part, videoId / parentId, maxResults (1-100), pageToken, order, textFormat.
Sources for each shape:

* Error body ``{"error": {"code", "message", "errors": [{"message", "domain", "reason"}]}}``
  (Google JSON API errors; YouTube Data API "Errors" reference).
* Quota: 10,000 units a day **per Google Cloud project**, reset at midnight Pacific
  (developers.google.com/youtube/v3/getting-started#quota); keys of one project share it. A spent
  project gets 403 ``quotaExceeded`` in domain ``youtube.quota`` with the message
  "The request cannot be completed because you have exceeded your
  <a href="/youtube/v3/getting-started#quota">quota</a>." (as the API sends it, link included).
* ``commentsDisabled`` (403), ``videoNotFound`` (404), ``keyInvalid`` (400 "API key not valid. Please
  pass a valid API key."), at most five inline replies per thread: YouTube Data API reference for
  commentThreads.list / comments.list.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from commentscope.collectors.budget import quota_day
from commentscope.collectors.sandbox.corpus import SandboxComment, SandboxVideo
from commentscope.collectors.sandbox.server import Reply, Request, Route

API_KEYS: dict[str, tuple[str, ...]] = {
    "sandbox-a": ("sandbox-key-1", "sandbox-key-2"),
    "sandbox-b": ("sandbox-key-3",),
}
QUOTA_MESSAGE = (
    "The request cannot be completed because you have exceeded your "
    '<a href="/youtube/v3/getting-started#quota">quota</a>.'
)
PACIFIC = ZoneInfo("America/Los_Angeles")


@dataclass
class Limits:
    units_per_project: int = 10_000
    projects: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(API_KEYS))
    inline_replies: int = 5


@dataclass
class SandboxAPI:
    box: Any
    limits: Limits = field(default_factory=Limits)  # None from the server: the documented defaults too
    units: dict[str, int] = field(default_factory=dict)  # project -> units used today
    keys_used: list[str] = field(default_factory=list)  # the key of every call, in order
    day: str = ""
    page_generation: int = 0

    def __post_init__(self) -> None:
        self.limits = self.limits or Limits()
        self.project_of = {key: project for project, keys in self.limits.projects.items() for key in keys}

    def routes(self) -> dict[tuple[str, str], Route]:
        return {("GET", "/youtube/v3/commentThreads"): self.serve, ("GET", "/youtube/v3/comments"): self.serve}

    def env(self, url: str) -> dict[str, str]:
        keys = ",".join(f"{project}:{key}" for project, keys in self.limits.projects.items() for key in keys)
        return {"YOUTUBE_BASE_URL": url, "YOUTUBE_API_KEYS": keys}

    def _error(self, status: int, reason: str, message: str, domain: str = "youtube.commentThread") -> Reply:
        return Reply(
            status,
            {
                "error": {
                    "code": status,
                    "message": message,
                    "errors": [{"message": message, "domain": domain, "reason": reason}],
                }
            },
        )

    def _token(self, kind: str, key: str, offset: int) -> str:
        raw = f"{kind}|{key}|{offset}|{self.page_generation}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def _read_token(self, token: str, kind: str, key: str) -> int | None:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            got_kind, got_key, offset, generation = raw.split("|")
        except (ValueError, UnicodeDecodeError):
            return None
        if got_kind != kind or got_key != key or int(generation) != self.page_generation:
            return None
        return int(offset)

    def serve(self, request: Request) -> Reply:
        box, params = self.box, request.query
        number, faults = box.faults.next("youtube", request.path)
        key = params.get("key", "")
        with box.lock:
            today = quota_day(PACIFIC, datetime.now(UTC)).isoformat()
            if self.day != today:
                self.day, self.units = today, {}
            box.requests_log.append(("youtube", number, request.path, b""))
            self.keys_used.append(key)
        project = self.project_of.get(key)
        if project is None:
            return self._error(400, "keyInvalid", "API key not valid. Please pass a valid API key.", "global")
        with box.lock:
            used = self.units.get(project, 0)
            if used >= self.limits.units_per_project or any(f.kind == "quota" for f in faults):
                self.units[project] = max(used, self.limits.units_per_project)
                return self._error(403, "quotaExceeded", QUOTA_MESSAGE, "youtube.quota")
            self.units[project] = used + 1
        for fault in faults:
            if fault.kind == "slow":
                time.sleep(fault.seconds or 0.5)
            elif fault.kind == "rate_limit":
                return self._error(429, "rateLimitExceeded", "Too many requests", "global")
            elif fault.kind == "server_error":
                return self._error(500, "backendError", "Backend Error", "global")
            elif fault.kind == "html_504":
                return Reply(504, "<html><body>504 Gateway Timeout</body></html>", html=True)
            elif fault.kind == "expired_cursor":
                with box.lock:
                    self.page_generation += 1
            elif fault.kind == "invalid_params":
                return self._error(400, "invalidParameter", "Invalid parameter", "youtube.parameter")
        max_results = int(params.get("maxResults", 20))
        if not 1 <= max_results <= 100:
            return self._error(400, "invalidMaxResults", "maxResults must be between 1 and 100", "youtube.parameter")
        if request.path.endswith("commentThreads"):
            return self._threads(params, max_results)
        return self._replies(params, max_results)

    def _offset(self, params: dict[str, str], kind: str, key: str) -> int | Reply:
        token = params.get("pageToken")
        if not token:
            return 0
        offset = self._read_token(token, kind, key)
        if offset is None:
            return self._error(
                400, "invalidPageToken", "The page token is invalid or has expired.", "youtube.parameter"
            )
        return offset

    def _threads(self, params: dict[str, str], max_results: int) -> Reply:
        video_id = params.get("videoId", "")
        video = self.box.corpus.video("youtube", video_id)
        if video is None:
            return self._error(404, "videoNotFound", "The video identified by videoId was not found.")
        if video.comments_disabled:
            return self._error(403, "commentsDisabled", "The video has disabled comments.")
        offset = self._offset(params, "threads", video_id)
        if isinstance(offset, Reply):
            return offset
        tops = sorted(video.top_level(), key=lambda c: (c.created_at, c.comment_id), reverse=True)
        chunk = tops[offset : offset + max_results]
        items = []
        for top in chunk:
            replies = video.replies_of(top.comment_id)
            thread: dict[str, Any] = {
                "kind": "youtube#commentThread",
                "id": top.comment_id,
                "snippet": {
                    "videoId": video_id,
                    "topLevelComment": _comment(top, video),
                    "totalReplyCount": len(replies),
                    "canReply": True,
                    "isPublic": True,
                },
            }
            if replies and "replies" in params.get("part", ""):
                thread["replies"] = {"comments": [_comment(r, video) for r in replies[: self.limits.inline_replies]]}
            items.append(thread)
        body: dict[str, Any] = {
            "kind": "youtube#commentThreadListResponse",
            "items": items,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": max_results},
        }
        if offset + len(chunk) < len(tops):
            body["nextPageToken"] = self._token("threads", video_id, offset + len(chunk))
        return Reply(200, body)

    def _replies(self, params: dict[str, str], max_results: int) -> Reply:
        parent = params.get("parentId", "")
        found = self.box.corpus.comment("youtube", parent)
        if found is None:
            return self._error(404, "commentNotFound", "The parent comment was not found.", "youtube.comment")
        video = found[0]
        offset = self._offset(params, "replies", parent)
        if isinstance(offset, Reply):
            return offset
        replies = video.replies_of(parent)
        chunk = replies[offset : offset + max_results]
        body: dict[str, Any] = {"kind": "youtube#commentListResponse", "items": [_comment(r, video) for r in chunk]}
        if offset + len(chunk) < len(replies):
            body["nextPageToken"] = self._token("replies", parent, offset + len(chunk))
        return Reply(200, body)


def _comment(c: SandboxComment, video: SandboxVideo) -> dict[str, Any]:
    stamp = c.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    snippet: dict[str, Any] = {
        "channelId": "UCsandbox",
        "videoId": video.video_id,
        "textDisplay": c.text,
        "textOriginal": c.text,
        "authorDisplayName": f"@{c.author}" if c.author else "@anonymous",
        "authorChannelId": {"value": f"UC{c.author}" if c.author else "UCanonymous"},
        "canRate": True,
        "viewerRating": "none",
        "likeCount": c.like_count,
        "publishedAt": stamp,
        "updatedAt": stamp,
    }
    if c.parent_id:
        snippet["parentId"] = c.parent_id
    return {"kind": "youtube#comment", "id": c.comment_id, "snippet": snippet}
