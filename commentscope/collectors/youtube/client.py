"""YouTube Data API v3 client: commentThreads.list and comments.list, budgeted per Cloud project.

Contract followed (YouTube Data API reference; parameter names as in the discovery document
googleapiclient/discovery_cache/documents/youtube.v3.json of google-api-python-client):
``commentThreads.list`` (part=snippet,replies, videoId, maxResults<=100, pageToken,
textFormat=plainText, order=time: newest first) returns at most five replies per thread, so threads
with more are completed with ``comments.list`` (parentId). Each call costs 1 unit of the
project's 10,000 a day. Errors come as ``{"error": {"code", "message", "errors": [{"reason",
"domain", "message"}]}}``; 403 ``quotaExceeded`` means the project's day is spent: the next
*project* is used (another key of the same project would hit the same quota).

``YOUTUBE_API_KEYS`` names keys by project: ``projA:key1,projA:key2,projB:key3``. A key without
``project:`` is a project of its own. Keys of one project are spares for a key that is rejected
(``keyInvalid``/``keyExpired``), never for quota.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from commentscope.collectors.budget import QuotaLedger
from commentscope.collectors.errors import BudgetExhausted, ConfigError, CursorExpired, TransientError, VideoFailed
from commentscope.collectors.http_session import ApiSession
from commentscope.collectors.ratelimit import rate_env
from commentscope.collectors.retry import RetryPolicy, call_with_retries, retry_after_seconds
from commentscope.collectors.youtube.budget import UNITS_PER_CALL, budget_from_env
from commentscope.settings import Environment

DEFAULT_BASE_URL = "https://www.googleapis.com"
PAGE_SIZE = 100
DEFAULT_RATE = 10.0  # requests per second (YOUTUBE_REQUESTS_PER_SECOND)
_PROJECT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
EXAMPLE = "YOUTUBE_API_KEYS=projA:key1,projA:key2,projB:key3"


def key_account(key: str) -> str:
    """A name for a key in logs and the ledger that does not reveal the key."""
    return "key-" + hashlib.sha256(key.encode()).hexdigest()[:10]


def parse_keys(value: str) -> dict[str, tuple[str, ...]]:
    """``projA:key1,projA:key2,projB:key3`` -> {"projA": (key1, key2), "projB": (key3,)}, in order."""
    projects: dict[str, list[str]] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        project, sep, key = item.rpartition(":")
        key = key.strip()
        if sep and not _PROJECT.match(project.strip()):
            raise ConfigError(f"YOUTUBE_API_KEYS: {project!r} is not a project name (fix: {EXAMPLE})")
        if not key:
            raise ConfigError(f"YOUTUBE_API_KEYS: an entry has no key after {project}: (fix: {EXAMPLE})")
        projects.setdefault(project.strip() if sep else key_account(key), []).append(key)
    return {name: tuple(dict.fromkeys(keys)) for name, keys in projects.items()}


@dataclass(frozen=True)
class YouTubeCredentials:
    projects: dict[str, tuple[str, ...]]  # Cloud project -> its API keys
    base_url: str = DEFAULT_BASE_URL

    @classmethod
    def from_env(cls) -> YouTubeCredentials:
        env = Environment.read()
        projects = parse_keys(env.text("YOUTUBE_API_KEYS"))
        if not projects:
            raise ConfigError(
                f"YOUTUBE_API_KEYS is not set (fix: export {EXAMPLE} with YouTube Data API v3 keys named by "
                "their Google Cloud project, or try `commentscope collect --sandbox`)"
            )
        return cls(projects, env.text("YOUTUBE_BASE_URL", DEFAULT_BASE_URL).rstrip("/"))


def project_account(project: str) -> str:
    return f"project-{project}"


class YouTubeClient(ApiSession):
    """Keeps every project within its daily budget and moves to the next project on quotaExceeded."""

    def __init__(
        self,
        credentials: YouTubeCredentials,
        ledger: QuotaLedger,
        *,
        policy: RetryPolicy | None = None,
        timeout: float = 30.0,
        http: httpx.Client | None = None,
        per_second: float | None = DEFAULT_RATE,
    ):
        super().__init__(credentials.base_url, ledger, policy=policy, timeout=timeout, http=http, per_second=per_second)
        self.credentials = credentials
        self._projects = list(credentials.projects)
        self._project_index = 0
        self._rejected: set[str] = set()  # keys the API refused (keyInvalid/keyExpired)

    @classmethod
    def from_env(cls, state_dir: Path, **kwargs: Any) -> YouTubeClient:
        kwargs.setdefault("per_second", rate_env("YOUTUBE_REQUESTS_PER_SECOND", DEFAULT_RATE))
        return cls(YouTubeCredentials.from_env(), QuotaLedger(state_dir, "youtube", budget_from_env()), **kwargs)

    def _key_of(self, project: str) -> str:
        for key in self.credentials.projects[project]:
            if key not in self._rejected:
                return key
        raise ConfigError(f"every API key of project {project} was rejected (fix: check YOUTUBE_API_KEYS)")

    def _charge_a_project(self) -> tuple[str, str]:
        """Charge one call to the first project with budget left, starting at the current one."""
        for offset in range(len(self._projects)):
            index = (self._project_index + offset) % len(self._projects)
            project = self._projects[index]
            try:
                self.ledger.charge(project_account(project), units=UNITS_PER_CALL)
            except BudgetExhausted:
                continue
            self._project_index = index
            return project, self._key_of(project)
        reset = self.ledger.next_reset().strftime("%Y-%m-%d %H:%M UTC")
        raise BudgetExhausted(
            f"YouTube daily quota used up in all {len(self._projects)} Google Cloud project(s); it resets at "
            f"{reset} (midnight Pacific), run again then (or add keys of another project to YOUTUBE_API_KEYS)"
        )

    def _get(self, path: str, params: dict[str, Any], what: str) -> dict[str, Any]:
        def attempt() -> dict[str, Any]:
            while True:
                project, key = self._charge_a_project()
                self.limiter.wait()
                self.requests_sent += 1
                response = self.http.get(path, params={**params, "key": key})
                if response.status_code == 200:
                    return response.json()
                reason, message = _reason(response)
                if reason in {"quotaExceeded", "dailyLimitExceeded"}:
                    self.ledger.exhaust(project_account(project))
                    continue  # the next project
                if reason in {"keyInvalid", "keyExpired"}:
                    self._rejected.add(key)
                    self._key_of(project)  # raises ConfigError when the project has no key left
                    continue
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
        if status == 400 and "API key" in message:
            raise ConfigError(f"{where} (fix: check YOUTUBE_API_KEYS)")
        raise VideoFailed(reason or f"http_{status}", where)

    def comment_threads(self, video_id: str, page_token: str | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {
            "part": "snippet,replies",
            "videoId": video_id,
            "maxResults": PAGE_SIZE,
            "textFormat": "plainText",
            "order": "time",
        }
        if page_token:
            params["pageToken"] = page_token
        return self._get("/youtube/v3/commentThreads", params, f"youtube threads of {video_id}")

    def replies(self, parent_id: str, page_token: str | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {
            "part": "snippet",
            "parentId": parent_id,
            "maxResults": PAGE_SIZE,
            "textFormat": "plainText",
        }
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
