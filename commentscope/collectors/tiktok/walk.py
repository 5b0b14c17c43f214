"""Walk one TikTok video's comments (and their replies) into the lake, and find a creator's videos.

Comments: the video listing (``video_id``) gives top-level comments; each comment whose
``reply_count`` is positive gets its replies from the listing's ``comment_id`` mode (current
comment-list doc). If the API refuses ``comment_id`` (an API version without it), the walk keeps
the replies the video listing itself returns and says so in the video's message. Each page (a
listing page or a reply page) is checkpointed, so a stop anywhere resumes at the next request.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from commentscope.atomic import write_text
from commentscope.collectors import state as st
from commentscope.collectors.context import VideoContext
from commentscope.collectors.errors import BudgetExhausted, VideoFailed
from commentscope.collectors.progress import (
    CollectOptions,
    VideoOutcome,
    count_page,
    finish,
    page_name,
    save_stop,
    start_run,
)
from commentscope.collectors.retry import RetriesExhausted
from commentscope.collectors.tiktok.client import COMMENT_CAP, MAX_RANGE_DAYS, PAGE_SIZE, TikTokClient
from commentscope.collectors.tiktok.payload import has_replies, record, video_url
from commentscope.lake import Lake
from commentscope.registry import Campaign, Creator
from commentscope.safenames import UnsafeNameError, check_name

WINDOW_DAYS = MAX_RANGE_DAYS - 1  # one day of slack under the documented 30


def walk(client: TikTokClient, lake: Lake, context: VideoContext, options: CollectOptions) -> VideoOutcome:
    store = st.StateStore(lake.state_dir)
    state = store.load("tiktok", context.video_id)
    skip = start_run(state, context, options, options.clock(), newest_first=False)
    outcome = VideoOutcome("tiktok", context.video_id, reason=skip or st.INTERRUPTED)
    if skip:
        return outcome
    store.save(state)
    notes: list[str] = []
    while True:
        if state.pending_replies and client.replies_refused:
            notes.append(
                f"replies come only from the video listing: the API refused comment_id ({client.replies_refused})"
            )
            state.pending_replies, state.reply_cursor = [], 0
        try:
            if state.pending_replies:
                data = _reply_page(client, state, notes)
                if data is None:
                    continue
                kind, cursor = f"replies-{state.pending_replies[0]}", state.reply_cursor
            elif state.pages_done:
                outcome.reason = st.CAP if state.truncated else st.COMPLETE
                break
            elif int(state.cursor or 0) >= COMMENT_CAP:
                state.truncated = state.pages_done = True  # the listing said has_more at the cap
                continue
            else:
                cursor = int(state.cursor or 0)
                max_count = min(PAGE_SIZE, COMMENT_CAP - cursor, client.ledger.remaining("records"))
                if max_count <= 0:
                    raise BudgetExhausted("TikTok daily record budget used up; it resets at 00:00 UTC, run again then")
                data = client.list_comments(context.video_id, cursor, max_count)
                kind = "comments"
        except VideoFailed as exc:
            outcome.reason, outcome.message = st.FAILED, str(exc)
            break
        except (BudgetExhausted, RetriesExhausted) as exc:
            outcome.message = str(exc)
            save_stop(state, store, exc)
            return outcome
        lake.write_page("tiktok", page_name(context, state, kind, str(cursor)), data)
        comments = data.get("comments") or []
        collected_at = options.clock()
        records = [record(context, c, collected_at) for c in comments]
        appended = lake.append_raw(records)
        count_page(outcome, state, records, appended.new, appended.changed)
        next_cursor = int(data.get("cursor") or cursor + len(comments))
        has_more = bool(data.get("has_more"))
        if kind == "comments":
            state.cursor = str(next_cursor)
            state.pages_done = not has_more
            state.pending_replies = [str(c["id"]) for c in comments if has_replies(context, c)]
            state.reply_cursor = 0
        elif has_more and next_cursor < COMMENT_CAP:
            state.reply_cursor = next_cursor
        else:
            state.pending_replies, state.reply_cursor = state.pending_replies[1:], 0
        store.save(state)
        if options.on_page:
            options.on_page(context, state.pages_this_run)
    if state.truncated:
        outcome.truncated = True
        notes.append(f"stopped at the API's cap of {COMMENT_CAP} comments; older ones were not returned")
    if notes and outcome.message is None:
        outcome.message = "; ".join(dict.fromkeys(notes))
    return finish(store, state, outcome, options.clock())


def _reply_page(client: TikTokClient, state: st.VideoState, notes: list[str]) -> dict[str, Any] | None:
    """The next page of the first pending comment's replies; None when that comment was skipped."""
    parent = state.pending_replies[0]
    max_count = min(PAGE_SIZE, COMMENT_CAP - state.reply_cursor, client.ledger.remaining("records"))
    if max_count <= 0:
        raise BudgetExhausted("TikTok daily record budget used up; it resets at 00:00 UTC, run again then")
    try:
        data = client.list_replies(parent, state.reply_cursor, max_count)
    except VideoFailed as exc:
        if exc.reason == "invalid_params" and not client.replies_seen:
            client.replies_refused = str(exc)  # the first comment_id request was refused: the API lacks it
            return None
        notes.append(f"replies of comment {parent} could not be read ({exc})")
        state.pending_replies, state.reply_cursor = state.pending_replies[1:], 0
        return None
    client.replies_seen = True
    return data


# ---------------------------------------------------------------- discovery


def query_windows(start: date, end: date, span: int = WINDOW_DAYS) -> list[tuple[date, date]]:
    """start_date/end_date pairs covering [start, end] whether the API reads end_date inclusively or not.

    Sources disagree (the tiktok-library says end_date is not inclusive), so consecutive windows
    share their boundary day and the last one ends the day after ``end``: every day is inside some
    window either way; a video seen twice is stored once."""
    stop = end + timedelta(days=1)
    windows, cursor = [], start
    while True:
        window_end = min(cursor + timedelta(days=span), stop)
        windows.append((cursor, window_end))
        if window_end >= stop:
            return windows
        cursor = window_end


def discover(client: TikTokClient, lake: Lake, campaign: Campaign, creator: Creator) -> list[VideoContext]:
    """The creator's TikTok videos posted within the campaign's before/after windows.

    Each finished window is checkpointed (``state/discovery/tiktok/``), so a stopped discovery
    resumes at the window it was in; passing faults are retried by the client, never restarted."""
    username = creator.handles.get("tiktok")
    if not username:
        return []
    path = lake.state_dir / "discovery" / "tiktok" / f"{campaign.id}--{creator.key}.json"
    saved: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    done: list[str] = saved.get("done", [])
    found: dict[str, int] = saved.get("videos", {})
    for start, end in query_windows(campaign.before.start, campaign.after.end):
        key = f"{start}..{end}"
        if key in done:
            continue
        cursor, search_id = 0, None
        while True:
            data = client.query_videos(username, start, end, cursor=cursor, search_id=search_id)
            lake.write_page("tiktok", f"videos-{campaign.id}-{creator.key}-{start:%Y%m%d}-{cursor}", data)
            for video in data.get("videos") or []:
                try:
                    found[check_name(video["id"], "tiktok video id")] = int(video.get("create_time") or 0)
                except UnsafeNameError as exc:  # an id from the API names files: keep it out, with why
                    lake.quarantine("collect", [(str(exc), video)], source=f"discovery:{creator.key}")
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
            out.append(
                VideoContext(
                    "tiktok",
                    video_id,
                    campaign.id,
                    creator.key,
                    creator.country,
                    video_url(video_id),
                    False,
                    datetime.fromtimestamp(created, tz=UTC) if created else None,
                )
            )
    return out
