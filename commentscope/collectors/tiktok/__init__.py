"""TikTok Research API collector: comments and replies of registered videos, plus discovery of a
creator's videos by username (video query)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from commentscope.collectors.budget import QuotaLedger
from commentscope.collectors.platform import Platform
from commentscope.collectors.tiktok.budget import budget_from_env
from commentscope.collectors.tiktok.client import TikTokClient, TikTokCredentials
from commentscope.collectors.tiktok.payload import video_url
from commentscope.collectors.tiktok.walk import discover, walk


def sandbox_client(url: str, state_dir: Path, **kwargs: Any) -> TikTokClient:
    from commentscope.collectors.tiktok.sandbox_routes import CLIENT_KEY, CLIENT_SECRET

    kwargs.setdefault("per_second", None)
    return TikTokClient(
        TikTokCredentials(CLIENT_KEY, CLIENT_SECRET, url), QuotaLedger(state_dir, "tiktok", budget_from_env()), **kwargs
    )


PLATFORM = Platform(
    name="tiktok",
    budget_from_env=budget_from_env,
    client_from_env=TikTokClient.from_env,
    sandbox_client=sandbox_client,
    walk=walk,
    video_url=video_url,
    sandbox_routes="commentscope.collectors.tiktok.sandbox_routes",
    discover=discover,
)
