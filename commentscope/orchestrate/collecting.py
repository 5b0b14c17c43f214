"""Collect tasks: which videos to collect, collect one video, and what landed in the raw lake.

One mapped task per video lets Airflow retry a single video (with backoff) and lets a pool per
platform cap how many videos hit one API at once. The quota itself is enforced by the collectors'
daily ledger under ``state/quota/``, which every task shares across runs; a video stopped by the
budget keeps its cursor and resumes in the next run.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from commentscope.collectors import state as st
from commentscope.collectors.collect import campaign_videos, collect_video, discover_videos, discovery_platforms
from commentscope.collectors.context import VideoContext
from commentscope.collectors.errors import BudgetExhausted, ConfigError
from commentscope.collectors.platform import get
from commentscope.collectors.progress import CollectOptions
from commentscope.errors import CollectStageError
from commentscope.lake import Lake
from commentscope.orchestrate.constants import POOLS
from commentscope.orchestrate.runtime import Runtime, runtime
from commentscope.registry import Registry, RegistryError


class RetryLater(CollectStageError, RuntimeError):
    """The video's run was interrupted (network, 5xx after retries); its checkpoint is saved."""


def campaigns_to_collect(registry: Registry, requested: list[str] | None = None) -> list[str]:
    """The requested campaign ids (validated), or every campaign in the registry."""
    if not requested:
        return [c.id for c in registry.campaigns]
    for campaign_id in requested:
        registry.campaign(campaign_id)  # raises RegistryError naming the known ids
    return list(dict.fromkeys(requested))


def video_to_dict(context: VideoContext) -> dict[str, Any]:
    out = asdict(context)
    out["published_at"] = context.published_at.isoformat() if context.published_at else None
    return out


def video_from_dict(data: dict[str, Any]) -> VideoContext:
    values = dict(data)
    values["published_at"] = datetime.fromisoformat(data["published_at"]) if data.get("published_at") else None
    return VideoContext(**values)


def _discovered(rt: Runtime, campaign_ids: list[str], notes: list[str]) -> list[VideoContext]:
    """Creators' videos found on platforms that can search (the collectors' one discovery)."""
    campaigns = [rt.registry.campaign(cid) for cid in campaign_ids]
    clients: dict[str, Any] = {}
    try:
        for name in sorted(discovery_platforms(campaigns)):
            try:
                clients[name] = get(name).client_from_env(rt.lake.state_dir)
            except ConfigError as exc:
                notes.append(f"{name} discovery skipped: {exc}")
        return discover_videos(rt.lake, campaigns, clients, notes)
    finally:
        for client in clients.values():
            client.close()


def videos_to_collect(
    campaign_ids: list[str] | None = None, *, discover: bool = True, rt: Runtime | None = None
) -> dict[str, Any]:
    """Registry videos of the campaigns plus discovered videos, grouped by platform.

    Returns ``{"tiktok": [video...], "youtube": [video...], ..., "notes": [...]}`` (one list per
    registered platform; videos as dicts, so they travel through XCom).
    """
    rt = rt or runtime()
    ids = campaigns_to_collect(rt.registry, campaign_ids)
    notes: list[str] = []
    videos = [v for cid in ids for v in campaign_videos(rt.registry.campaign(cid))]
    if discover:
        videos += _discovered(rt, ids, notes)
    unique = {(v.platform, v.video_id): v for v in reversed(videos)}  # registry entries win
    out: dict[str, Any] = {platform: [] for platform in POOLS}
    for (platform, _), video in sorted(unique.items()):
        out[platform].append(video_to_dict(video))
    out["notes"] = notes
    return out


def collect_one(
    video: dict[str, Any], *, rt: Runtime | None = None, client: Any = None, options: CollectOptions | None = None
) -> dict[str, Any]:
    """Collect one video from its checkpoint. A budget stop is an outcome, not an error.

    Raises ``RetryLater`` when the run was interrupted (the next attempt resumes at the saved
    cursor) and ``ConfigError`` when credentials are missing (retrying cannot help). ``client``
    defaults to one built from the environment, charging the shared daily ledger.
    """
    rt = rt or runtime()
    context = video_from_dict(video)
    try:
        outcome = collect_video(
            rt.lake, None, context.platform, context.video_id, context=context, client=client, options=options
        )
    except BudgetExhausted as exc:
        return {
            "platform": context.platform,
            "video_id": context.video_id,
            "reason": st.BUDGET,
            "pages": 0,
            "new": 0,
            "changed": 0,
            "message": str(exc),
        }
    if outcome.reason == st.INTERRUPTED:
        raise RetryLater(
            f"{context.platform}:{context.video_id} interrupted, resumes from its checkpoint: {outcome.message}"
        )
    return {
        "platform": outcome.platform,
        "video_id": outcome.video_id,
        "reason": outcome.reason,
        "pages": outcome.pages,
        "new": outcome.new,
        "changed": outcome.changed,
        "truncated": outcome.truncated,
        "message": outcome.message,
    }


def raw_part_names(lake: Lake | None = None) -> list[str]:
    """The raw parts in the lake now (relative paths): a snapshot to compare against after collecting."""
    lake = lake or runtime().lake
    return [str(p.relative_to(lake.raw_comments_dir)) for p in lake.raw_parts()]


def summarise_collect(videos: dict[str, Any], parts_before: list[str], *, rt: Runtime | None = None) -> dict[str, Any]:
    """What this run did, read from the collectors' checkpoints and the lake (not from XCom, so a
    failed mapped task cannot hide anything): reasons per video and the raw parts that are new."""
    rt = rt or runtime()
    store = st.StateStore(rt.lake.state_dir)
    by_reason: dict[str, int] = {}
    for platform in POOLS:
        for video in videos.get(platform, []):
            reason = store.load(platform, video["video_id"]).stopped_reason or "not_run"
            by_reason[reason] = by_reason.get(reason, 0) + 1
    before = set(parts_before)
    new_parts = [p for p in raw_part_names(rt.lake) if p not in before]
    return {"by_reason": by_reason, "new_parts": new_parts, "notes": videos.get("notes", [])}


__all__ = [
    "POOLS",
    "RegistryError",
    "RetryLater",
    "campaigns_to_collect",
    "collect_one",
    "raw_part_names",
    "summarise_collect",
    "video_from_dict",
    "video_to_dict",
    "videos_to_collect",
]
