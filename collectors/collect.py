"""Collect comments for the videos of a campaign into the raw lake: incremental, resumable, in budget.

Entry points (the Airflow DAG calls these; the CLI too):

* ``collect_campaign(lake_or_settings, registry, campaign_id)`` -> ``CollectReport``
* ``collect_video(lake, registry, platform, video_id, client=...)`` -> ``VideoOutcome``
* ``discover_tiktok_videos(client, lake, campaign, creator)`` -> the creator's videos in the windows

Per page: keep the page as returned (``Lake.write_page``), append its comments (``Lake.append_raw``,
which drops duplicates), then checkpoint the cursor. A crash at any point re-fetches at most one page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from collectors import state as st
from collectors.context import VideoContext
from collectors.errors import BudgetExhausted, ConfigError, CursorExpired, VideoFailed
from collectors.retry import RetriesExhausted
from collectors.tiktok import COMMENT_CAP, PAGE_SIZE, TikTokClient, comment_time, date_chunks
from collectors.youtube import YouTubeClient, published
from commentscope.atomic import write_text
from commentscope.lake import Lake
from commentscope.registry import Campaign, Creator, Registry
from commentscope.schema import RawComment
from commentscope.settings import Settings

PageHook = Callable[[VideoContext, int], None]
MAX_RESTARTS = 3


@dataclass
class CollectOptions:
    """How a run behaves. ``refresh_days``: videos with activity this recent are walked in full to
    refresh like/reply counts; older ones only fetch what is new. ``settled_every_days``: how often a
    settled TikTok video (no newest-first order to stop early on) is walked again."""

    refresh_days: int = 14
    settled_every_days: int = 7
    full: bool = False
    discover: bool = True
    on_page: PageHook | None = None  # called after each page is checkpointed (progress bars, tests)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))


@dataclass
class VideoOutcome:
    """What one video's run did and why it stopped (see collectors.state for the reasons)."""

    platform: str
    video_id: str
    reason: str
    pages: int = 0
    comments: int = 0
    new: int = 0
    changed: int = 0
    truncated: bool = False
    message: str | None = None


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


Client = TikTokClient | YouTubeClient


def _lake_of(target: Lake | Settings | str | Path) -> Lake:
    if isinstance(target, Lake):
        return target
    if isinstance(target, Settings):
        return Lake(target.data_dir)
    return Lake(target)


# ---------------------------------------------------------------- one video


def collect_video(lake: Lake, registry: Registry | None, platform: str, video_id: str, *,
                  client: Client | None = None, context: VideoContext | None = None,
                  options: CollectOptions | None = None) -> VideoOutcome:
    """Collect one video's comments; BudgetExhausted propagates (the caller stops that platform).

    ``client`` defaults to one built from the environment (TIKTOK_* / YOUTUBE_API_KEYS), charging the
    shared daily ledger under ``lake.state_dir``; pass ``context`` for videos not in the registry."""
    options = options or CollectOptions()
    if context is None:
        if registry is None:
            raise ValueError("pass a registry or a VideoContext")
        context = VideoContext.lookup(registry, platform, video_id)
    own_client = client is None
    if client is None:
        client = (TikTokClient.from_env(lake.state_dir) if platform == "tiktok"
                  else YouTubeClient.from_env(lake.state_dir))
    try:
        if platform == "tiktok":
            assert isinstance(client, TikTokClient)
            return _collect_tiktok(client, lake, context, options)
        assert isinstance(client, YouTubeClient)
        return _collect_youtube(client, lake, context, options)
    finally:
        if own_client:
            client.close()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _start_run(state: st.VideoState, context: VideoContext, options: CollectOptions, now: datetime,
               *, newest_first: bool) -> str | None:
    """Begin a new run unless one is in progress (then resume it). Returns a reason to skip, or None."""
    if state.in_progress:
        return None
    newest = _parse(state.newest_comment_at)
    recent_cutoff = now - timedelta(days=options.refresh_days)
    recent = (
        options.full
        or state.last_complete_at is None
        or (context.published_at is not None and context.published_at >= recent_cutoff)
        or (newest is not None and newest >= recent_cutoff)
    )
    if not recent and not newest_first:
        last = _parse(state.last_complete_at)
        if last and now - last < timedelta(days=options.settled_every_days):
            return "not_due"
    state.in_progress = True
    state.cursor = None
    state.run_started_at = now.isoformat()
    state.pages_this_run = 0
    state.comments_this_run = 0
    state.truncated = False
    state.message = None
    state.since = None if recent or not newest_first else state.newest_comment_at
    return None


def _finish(store: st.StateStore, state: st.VideoState, outcome: VideoOutcome, now: datetime) -> VideoOutcome:
    done = outcome.reason in {st.COMPLETE, st.CAP, st.UP_TO_DATE, st.FAILED, st.DISABLED}
    state.stopped_reason = outcome.reason
    state.message = outcome.message
    if done:
        state.in_progress = False
        state.cursor = None
        if outcome.reason in {st.COMPLETE, st.CAP, st.UP_TO_DATE}:
            state.last_complete_at = now.isoformat()
    state.history.append({"at": now.isoformat(), "reason": outcome.reason, "pages": outcome.pages,
                          "new": outcome.new, "changed": outcome.changed, "truncated": outcome.truncated,
                          "message": outcome.message})
    store.save(state)
    return outcome


def _note_newest(state: st.VideoState, records: list[RawComment]) -> None:
    if not records:
        return
    newest = max(r.created_at for r in records)
    current = _parse(state.newest_comment_at)
    if current is None or newest > current:
        state.newest_comment_at = newest.isoformat()


def _save_stop(state: st.VideoState, store: st.StateStore, exc: BudgetExhausted | RetriesExhausted) -> None:
    """Checkpoint why a walk stopped; a spent budget is re-raised so the whole run stops cleanly."""
    state.stopped_reason = st.BUDGET if isinstance(exc, BudgetExhausted) else st.INTERRUPTED
    state.message = str(exc)
    store.save(state)
    if isinstance(exc, BudgetExhausted):
        raise exc


def _page_name(context: VideoContext, state: st.VideoState, kind: str, cursor: str | None) -> str:
    run = (state.run_started_at or "").replace(":", "").replace("-", "")[:15]
    safe = (cursor or "start").replace("/", "_")[:80]
    return f"{kind}-{context.video_id}-{run}-{safe}"


def _collect_tiktok(client: TikTokClient, lake: Lake, context: VideoContext,
                    options: CollectOptions) -> VideoOutcome:
    store = st.StateStore(lake.state_dir)
    state = store.load("tiktok", context.video_id)
    now = options.clock()
    skip = _start_run(state, context, options, now, newest_first=False)
    outcome = VideoOutcome("tiktok", context.video_id, reason=skip or st.INTERRUPTED)
    if skip:
        return outcome
    store.save(state)
    restarts = 0
    while True:
        cursor = int(state.cursor or 0)
        if cursor >= COMMENT_CAP:
            outcome.reason, outcome.truncated = st.CAP, True
            outcome.message = f"stopped at the API's cap of {COMMENT_CAP} comments; older ones were not returned"
            break
        max_count = min(PAGE_SIZE, COMMENT_CAP - cursor, client.ledger.remaining("records"))
        if max_count <= 0:
            store.save(state)
            raise BudgetExhausted("TikTok daily record budget used up; run again after 00:00 UTC")
        try:
            data = client.list_comments(context.video_id, cursor, max_count)
        except CursorExpired as exc:
            restarts += 1
            if restarts > MAX_RESTARTS:
                outcome.reason, outcome.message = st.FAILED, f"cursor kept expiring: {exc}"
                break
            state.cursor = None  # restart the walk; the lake drops what it already has
            store.save(state)
            continue
        except VideoFailed as exc:
            outcome.reason, outcome.message = st.FAILED, str(exc)
            break
        except (BudgetExhausted, RetriesExhausted) as exc:
            _save_stop(state, store, exc)
            outcome.message = str(exc)
            return outcome
        lake.write_page("tiktok", _page_name(context, state, "comments", str(cursor)), data)
        collected_at = options.clock()
        records = [
            context.record(comment_id=str(c["id"]), parent_id=str(c.get("parent_comment_id") or "") or None,
                           created_at=comment_time(c["create_time"]), collected_at=collected_at,
                           text=str(c.get("text") or ""), like_count=c.get("like_count", 0),
                           reply_count=c.get("reply_count", 0), author=None, source="tiktok_research_api")
            for c in data.get("comments") or []
        ]
        appended = lake.append_raw(records)
        outcome.pages += 1
        outcome.comments += len(records)
        outcome.new += appended.new
        outcome.changed += appended.changed
        _note_newest(state, records)
        next_cursor = int(data.get("cursor") or cursor + len(records))
        state.cursor = str(next_cursor)
        state.pages_this_run += 1
        state.total_pages += 1
        state.comments_this_run += len(records)
        has_more = bool(data.get("has_more"))
        if not has_more:
            outcome.reason = st.COMPLETE
            break
        store.save(state)
        if options.on_page:
            options.on_page(context, state.pages_this_run)
    return _finish(store, state, outcome, options.clock())


def _yt_record(context: VideoContext, item: dict[str, Any], parent: str | None, reply_count: int,
               collected_at: datetime) -> RawComment:
    snippet = item.get("snippet") or {}
    author = (snippet.get("authorChannelId") or {}).get("value") or snippet.get("authorDisplayName")
    return context.record(
        comment_id=str(item["id"]), parent_id=parent, created_at=published(snippet["publishedAt"]),
        collected_at=collected_at, text=str(snippet.get("textOriginal") or snippet.get("textDisplay") or ""),
        like_count=snippet.get("likeCount", 0), reply_count=reply_count, author=author,
        source="youtube_data_api_v3",
    )


def _collect_youtube(client: YouTubeClient, lake: Lake, context: VideoContext,
                     options: CollectOptions) -> VideoOutcome:
    store = st.StateStore(lake.state_dir)
    state = store.load("youtube", context.video_id)
    now = options.clock()
    _start_run(state, context, options, now, newest_first=True)
    store.save(state)
    outcome = VideoOutcome("youtube", context.video_id, reason=st.INTERRUPTED)
    since = _parse(state.since)
    restarts = 0
    while True:
        try:
            page = client.comment_threads(context.video_id, state.cursor)
            lake.write_page("youtube", _page_name(context, state, "threads", state.cursor), page)
            collected_at = options.clock()
            records: list[RawComment] = []
            for thread in page.get("items") or []:
                snippet = thread.get("snippet") or {}
                top = snippet.get("topLevelComment") or {}
                total_replies = int(snippet.get("totalReplyCount") or 0)
                records.append(_yt_record(context, top, None, total_replies, collected_at))
                included = (thread.get("replies") or {}).get("comments") or []
                if total_replies > len(included):
                    included = _all_replies(client, lake, context, state, str(top["id"]))
                records.extend(_yt_record(context, r, str(top["id"]), 0, collected_at) for r in included)
        except CursorExpired as exc:
            restarts += 1
            if restarts > MAX_RESTARTS:
                outcome.reason, outcome.message = st.FAILED, f"page token kept expiring: {exc}"
                break
            state.cursor = None
            store.save(state)
            continue
        except VideoFailed as exc:
            outcome.reason = st.DISABLED if exc.reason == "comments_disabled" else st.FAILED
            outcome.message = str(exc)
            break
        except (BudgetExhausted, RetriesExhausted) as exc:
            _save_stop(state, store, exc)
            outcome.message = str(exc)
            return outcome
        appended = lake.append_raw(records)
        outcome.pages += 1
        outcome.comments += len(records)
        outcome.new += appended.new
        outcome.changed += appended.changed
        _note_newest(state, records)
        state.pages_this_run += 1
        state.total_pages += 1
        state.comments_this_run += len(records)
        next_token = page.get("nextPageToken")
        tops = [r.created_at for r in records if r.parent_id is None]
        if since is not None and tops and min(tops) < since:
            outcome.reason = st.UP_TO_DATE
            break
        if not next_token:
            outcome.reason = st.COMPLETE
            break
        state.cursor = str(next_token)
        store.save(state)
        if options.on_page:
            options.on_page(context, state.pages_this_run)
    return _finish(store, state, outcome, options.clock())


def _all_replies(client: YouTubeClient, lake: Lake, context: VideoContext, state: st.VideoState,
                 parent_id: str) -> list[dict[str, Any]]:
    """Every reply of a thread (commentThreads returns at most five)."""
    out: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = client.replies(parent_id, token)
        lake.write_page("youtube", _page_name(context, state, f"replies-{parent_id}", token), page)
        out.extend(page.get("items") or [])
        token = page.get("nextPageToken")
        if not token:
            return out


# ---------------------------------------------------------------- discovery


def discover_tiktok_videos(client: TikTokClient, lake: Lake, campaign: Campaign,
                           creator: Creator) -> list[VideoContext]:
    """The creator's TikTok videos posted within the campaign's before/after windows.

    Ranges longer than 30 days are split; each finished range is checkpointed, so a stopped discovery
    resumes at the range it was in (an expired search_id restarts that range)."""
    username = creator.handles.get("tiktok")
    if not username:
        return []
    path = lake.state_dir / "discovery" / "tiktok" / f"{campaign.id}--{creator.key}.json"
    saved: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    done: list[str] = saved.get("done", [])
    found: dict[str, int] = saved.get("videos", {})
    for start, end in date_chunks(campaign.before.start, campaign.after.end):
        key = f"{start}..{end}"
        if key in done:
            continue
        cursor, search_id, restarts = 0, None, 0
        while True:
            try:
                data = client.query_videos(username, start, end, cursor=cursor, search_id=search_id)
            except CursorExpired:
                restarts += 1
                if restarts > MAX_RESTARTS:
                    raise
                cursor, search_id = 0, None
                continue
            lake.write_page("tiktok", f"videos-{campaign.id}-{creator.key}-{start:%Y%m%d}-{cursor}", data)
            for video in data.get("videos") or []:
                found[str(video["id"])] = int(video.get("create_time") or 0)
            if not data.get("has_more"):
                break
            cursor, search_id = int(data.get("cursor") or 0), data.get("search_id") or search_id
        done.append(key)
        write_text(path, json.dumps({"done": done, "videos": found}, indent=1))
    registered = {v.id: v for v in creator.videos if v.platform == "tiktok"}
    out = []
    for video_id, created in sorted(found.items()):
        if video_id in registered:
            out.append(VideoContext.of(campaign, creator, registered[video_id]))
        else:
            out.append(VideoContext("tiktok", video_id, campaign.id, creator.key, creator.country,
                                    f"https://www.tiktok.com/video/{video_id}", False,
                                    datetime.fromtimestamp(created, tz=UTC) if created else None))
    return out


# ---------------------------------------------------------------- campaign


def campaign_videos(campaign: Campaign, platforms: tuple[str, ...] = ("tiktok", "youtube")) -> list[VideoContext]:
    return [VideoContext.of(campaign, creator, video)
            for creator in campaign.creators for video in creator.videos if video.platform in platforms]


def collect_campaign(target: Lake | Settings | str | Path, registry: Registry, campaign_id: str, *,
                     platforms: tuple[str, ...] = ("tiktok", "youtube"),
                     tiktok: TikTokClient | None = None, youtube: YouTubeClient | None = None,
                     options: CollectOptions | None = None,
                     on_video: Callable[[VideoOutcome], None] | None = None) -> CollectReport:
    """Collect every video of a campaign (registry videos, plus discovered TikTok videos of creators
    with a TikTok handle). A platform whose budget runs out stops cleanly; the others go on."""
    lake = _lake_of(target)
    options = options or CollectOptions()
    campaign = registry.campaign(campaign_id)
    report = CollectReport(campaign.id)
    videos = campaign_videos(campaign, platforms)
    clients: dict[str, Client | None] = {"tiktok": tiktok, "youtube": youtube}
    wanted = {v.platform for v in videos}
    if options.discover and "tiktok" in platforms and any(c.handles.get("tiktok") for c in campaign.creators):
        wanted.add("tiktok")
    missing: dict[str, str] = {}
    owned: list[Client] = []
    for platform in sorted(wanted):
        if clients.get(platform) is None:
            try:
                built: Client = (TikTokClient.from_env(lake.state_dir) if platform == "tiktok"
                                 else YouTubeClient.from_env(lake.state_dir))
            except ConfigError as exc:
                missing[platform] = str(exc)
                continue
            clients[platform] = built
            owned.append(built)
    if wanted and set(missing) == wanted:
        raise ConfigError("; ".join(missing.values()))
    try:
        _run(lake, campaign, videos, clients, missing, options, report, on_video)
    finally:
        for client in owned:
            client.close()
    return report


def _run(lake: Lake, campaign: Campaign, videos: list[VideoContext], clients: dict[str, Client | None],
         missing: dict[str, str], options: CollectOptions, report: CollectReport,
         on_video: Callable[[VideoOutcome], None] | None) -> None:
    tiktok_client = clients.get("tiktok")
    if options.discover and isinstance(tiktok_client, TikTokClient):
        known = {(v.platform, v.video_id) for v in videos}
        for creator in campaign.creators:
            try:
                for found in discover_tiktok_videos(tiktok_client, lake, campaign, creator):
                    if (found.platform, found.video_id) not in known:
                        known.add((found.platform, found.video_id))
                        videos.append(found)
            except (BudgetExhausted, RetriesExhausted, VideoFailed, CursorExpired) as exc:
                if isinstance(exc, BudgetExhausted):
                    report.budget_stopped["tiktok"] = str(exc)
                    break
                # discovery is best effort: the registry's videos are still collected
                report.notes.append(f"tiktok video discovery for {creator.key} stopped: {exc}")
    for context in videos:
        platform = context.platform
        if platform in missing:
            outcome = VideoOutcome(platform, context.video_id, "not_configured", message=missing[platform])
        elif platform in report.budget_stopped:
            outcome = VideoOutcome(platform, context.video_id, st.BUDGET, message=report.budget_stopped[platform])
        else:
            try:
                outcome = collect_video(lake, None, platform, context.video_id, client=clients[platform],
                                        context=context, options=options)
            except BudgetExhausted as exc:
                report.budget_stopped[platform] = str(exc)
                outcome = VideoOutcome(platform, context.video_id, st.BUDGET, message=str(exc))
        report.videos.append(outcome)
        if on_video:
            on_video(outcome)
