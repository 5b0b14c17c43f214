"""Collect comments for the videos of a campaign into the raw lake: incremental, resumable, in budget.

Entry points (the CLI and the Airflow DAG both call these):

* ``collect_campaign(lake_or_settings, registry, campaign_id)`` -> ``CollectReport``
* ``collect_video(lake, registry, platform, video_id, client=...)`` -> ``VideoOutcome``
* ``discover_videos(lake, campaigns, clients)`` -> creators' videos found on platforms that can
  search (TikTok's video query), with notes on what stopped

Which platforms exist, and how each walks a video, comes from the platform registry
(``commentscope/platforms.py`` -> ``commentscope/collectors/<platform>/``). Per page a walk keeps the page as
returned (``Lake.write_page``), appends its comments (``Lake.append_raw``, which drops duplicates),
then checkpoints: a crash at any point re-fetches at most one page. A per-video lock keeps two
collectors (CLI and DAG) off the same video.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from commentscope.collectors import state as st
from commentscope.collectors.context import VideoContext
from commentscope.collectors.errors import BudgetExhausted, ConfigError, CursorExpired, VideoFailed
from commentscope.collectors.lock import VideoBusy, video_lock
from commentscope.collectors.platform import get
from commentscope.collectors.progress import CollectOptions, VideoOutcome
from commentscope.collectors.retry import RetriesExhausted
from commentscope.lake import Lake
from commentscope.platforms import NAMES as PLATFORM_NAMES
from commentscope.registry import Campaign, Registry
from commentscope.settings import Settings

__all__ = [
    "CollectOptions",
    "CollectReport",
    "VideoOutcome",
    "campaign_videos",
    "collect_campaign",
    "collect_video",
    "discover_videos",
]


@dataclass
class CollectReport:
    campaign: str
    videos: list[VideoOutcome] = field(default_factory=list)
    budget_stopped: dict[str, str] = field(default_factory=dict)  # platform -> message
    notes: list[str] = field(default_factory=list)  # e.g. a discovery that failed (registry videos still ran)

    @property
    def new(self) -> int:
        return sum(v.new for v in self.videos)

    @property
    def changed(self) -> int:
        return sum(v.changed for v in self.videos)

    @property
    def pages(self) -> int:
        return sum(v.pages for v in self.videos)

    def by_reason(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for v in self.videos:
            out[v.reason] = out.get(v.reason, 0) + 1
        return out


def _lake_of(target: Lake | Settings | str | Path) -> Lake:
    if isinstance(target, Lake):
        return target
    if isinstance(target, Settings):
        return Lake(target.data_dir)
    return Lake(target)


def lock_path(lake: Lake, platform: str, video_id: str) -> Path:
    return st.StateStore(lake.state_dir).path(platform, video_id).with_suffix(".lock")


# ---------------------------------------------------------------- one video


def collect_video(
    lake: Lake,
    registry: Registry | None,
    platform: str,
    video_id: str,
    *,
    client: Any = None,
    context: VideoContext | None = None,
    options: CollectOptions | None = None,
) -> VideoOutcome:
    """Collect one video's comments; BudgetExhausted propagates (the caller stops that platform).

    ``client`` defaults to one built from the environment, charging the shared daily ledger under
    ``lake.state_dir``; pass ``context`` for videos not in the registry. While another process
    collects the same video, returns reason ``busy`` without touching its checkpoint."""
    options = options or CollectOptions()
    spec = get(platform)
    if context is None:
        if registry is None:
            raise ValueError("pass a registry or a VideoContext")
        context = VideoContext.lookup(registry, platform, video_id)
    try:
        with video_lock(lock_path(lake, platform, video_id)):
            own_client = client is None
            client = client or spec.client_from_env(lake.state_dir)
            try:
                return spec.walk(client, lake, context, options)
            finally:
                if own_client:
                    client.close()
    except VideoBusy as exc:
        return VideoOutcome(platform, video_id, st.BUSY, message=str(exc))


# ---------------------------------------------------------------- discovery


def discover_videos(
    lake: Lake,
    campaigns: Iterable[Campaign],
    clients: dict[str, Any],
    notes: list[str],
    budget_stopped: dict[str, str] | None = None,
) -> list[VideoContext]:
    """Videos of the campaigns' creators found on every platform that can search for them
    (``Platform.discover``), with each finished range checkpointed by the platform.

    Best effort: a failure is a note (the registry's videos are still collected); a spent budget
    stops that platform's discovery and is recorded in ``budget_stopped``."""
    budget_stopped = {} if budget_stopped is None else budget_stopped
    found: list[VideoContext] = []
    for platform, client in clients.items():
        spec = get(platform)
        if spec.discover is None or client is None:
            continue
        for campaign in campaigns:
            if platform in budget_stopped:
                break
            for creator in campaign.creators:
                if not creator.handles.get(platform):
                    continue
                try:
                    found.extend(spec.discover(client, lake, campaign, creator))
                except BudgetExhausted as exc:
                    budget_stopped[platform] = str(exc)
                    notes.append(f"{platform} discovery stopped by the budget: {exc}")
                    break
                except (RetriesExhausted, VideoFailed, CursorExpired) as exc:
                    notes.append(f"{platform} video discovery for {campaign.id}/{creator.key} stopped: {exc}")
    return found


def discovery_platforms(campaigns: Iterable[Campaign]) -> set[str]:
    """Platforms that can discover videos and have a creator with a handle on them."""
    wanted: set[str] = set()
    for campaign in campaigns:
        for creator in campaign.creators:
            wanted.update(p for p in creator.handles if p in PLATFORM_NAMES and get(p).discover is not None)
    return wanted


# ---------------------------------------------------------------- campaign


def campaign_videos(campaign: Campaign, platform_names: Iterable[str] = PLATFORM_NAMES) -> list[VideoContext]:
    wanted = set(platform_names)
    return [
        VideoContext.of(campaign, creator, video)
        for creator in campaign.creators
        for video in creator.videos
        if video.platform in wanted
    ]


def collect_campaign(
    target: Lake | Settings | str | Path,
    registry: Registry,
    campaign_id: str,
    *,
    platforms: Iterable[str] = PLATFORM_NAMES,
    clients: dict[str, Any] | None = None,
    options: CollectOptions | None = None,
    on_video: Callable[[VideoOutcome], None] | None = None,
) -> CollectReport:
    """Collect every video of a campaign (registry videos, plus videos discovered on platforms that
    can search). ``clients`` maps a platform to a client (default: built from the environment). A
    platform whose budget runs out stops cleanly; the others go on."""
    lake = _lake_of(target)
    options = options or CollectOptions()
    campaign = registry.campaign(campaign_id)
    chosen = tuple(platforms)
    report = CollectReport(campaign.id)
    videos = campaign_videos(campaign, chosen)
    wanted = {v.platform for v in videos}
    if options.discover:
        wanted |= discovery_platforms([campaign]) & set(chosen)
    given = dict(clients or {})
    missing: dict[str, str] = {}
    owned: list[Any] = []
    for platform in sorted(wanted):
        if given.get(platform) is None:
            try:
                given[platform] = get(platform).client_from_env(lake.state_dir)
            except ConfigError as exc:
                missing[platform] = str(exc)
                continue
            owned.append(given[platform])
    if wanted and set(missing) == wanted:
        raise ConfigError("; ".join(missing.values()))
    try:
        if options.discover:
            searchable = {p: c for p, c in given.items() if p in wanted and p not in missing}
            known = {(v.platform, v.video_id) for v in videos}
            for found in discover_videos(lake, [campaign], searchable, report.notes, report.budget_stopped):
                if (found.platform, found.video_id) not in known:
                    known.add((found.platform, found.video_id))
                    videos.append(found)
        for context in videos:
            report.videos.append(_one(lake, context, given, missing, options, report))
            if on_video:
                on_video(report.videos[-1])
    finally:
        for client in owned:
            client.close()
    return report


def _one(
    lake: Lake,
    context: VideoContext,
    clients: dict[str, Any],
    missing: dict[str, str],
    options: CollectOptions,
    report: CollectReport,
) -> VideoOutcome:
    platform = context.platform
    if platform in missing:
        return VideoOutcome(platform, context.video_id, "not_configured", message=missing[platform])
    if platform in report.budget_stopped:
        return VideoOutcome(platform, context.video_id, st.BUDGET, message=report.budget_stopped[platform])
    try:
        return collect_video(
            lake, None, platform, context.video_id, client=clients[platform], context=context, options=options
        )
    except BudgetExhausted as exc:
        report.budget_stopped[platform] = str(exc)
        return VideoOutcome(platform, context.video_id, st.BUDGET, message=str(exc))
