"""YouTube Data API v3 collector: comment threads and replies of registered videos."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from commentscope.collectors.budget import QuotaLedger
from commentscope.collectors.platform import Platform
from commentscope.collectors.youtube.budget import budget_from_env
from commentscope.collectors.youtube.client import YouTubeClient, YouTubeCredentials
from commentscope.collectors.youtube.payload import video_url
from commentscope.collectors.youtube.walk import walk


def sandbox_client(url: str, state_dir: Path, **kwargs: Any) -> YouTubeClient:
    from commentscope.collectors.youtube.sandbox_routes import API_KEYS

    kwargs.setdefault("per_second", None)
    return YouTubeClient(
        YouTubeCredentials(API_KEYS, url), QuotaLedger(state_dir, "youtube", budget_from_env()), **kwargs
    )


PLATFORM = Platform(
    name="youtube",
    budget_from_env=budget_from_env,
    client_from_env=YouTubeClient.from_env,
    sandbox_client=sandbox_client,
    walk=walk,
    video_url=video_url,
    sandbox_routes="commentscope.collectors.youtube.sandbox_routes",
)
