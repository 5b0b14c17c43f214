"""Walk one YouTube video's comment threads (newest first) and their replies into the lake."""

from __future__ import annotations

from typing import Any

from commentscope.collectors import state as st
from commentscope.collectors.context import VideoContext
from commentscope.collectors.errors import BudgetExhausted, CursorExpired, VideoFailed
from commentscope.collectors.progress import (
    CollectOptions,
    VideoOutcome,
    count_page,
    finish,
    page_name,
    parse_time,
    save_stop,
    start_run,
)
from commentscope.collectors.retry import RetriesExhausted
from commentscope.collectors.youtube.client import YouTubeClient
from commentscope.collectors.youtube.payload import record
from commentscope.lake import Lake
from commentscope.schema import RawComment

MAX_RESTARTS = 3


def walk(client: YouTubeClient, lake: Lake, context: VideoContext, options: CollectOptions) -> VideoOutcome:
    store = st.StateStore(lake.state_dir)
    state = store.load("youtube", context.video_id)
    start_run(state, context, options, options.clock(), newest_first=True)
    store.save(state)
    outcome = VideoOutcome("youtube", context.video_id, reason=st.INTERRUPTED)
    since = parse_time(state.since)
    restarts = 0
    while True:
        try:
            page = client.comment_threads(context.video_id, state.cursor)
            lake.write_page("youtube", page_name(context, state, "threads", state.cursor), page)
            collected_at = options.clock()
            records: list[RawComment] = []
            for thread in page.get("items") or []:
                snippet = thread.get("snippet") or {}
                top = snippet.get("topLevelComment") or {}
                total_replies = int(snippet.get("totalReplyCount") or 0)
                records.append(record(context, top, None, total_replies, collected_at))
                included = (thread.get("replies") or {}).get("comments") or []
                if total_replies > len(included):
                    included = _all_replies(client, lake, context, state, str(top["id"]))
                records.extend(record(context, r, str(top["id"]), 0, collected_at) for r in included)
        except CursorExpired as exc:
            restarts += 1
            if restarts > MAX_RESTARTS:
                outcome.reason, outcome.message = st.FAILED, f"page token kept expiring: {exc}"
                break
            state.cursor = None  # a page token is only valid for a while: walk again (the lake dedups)
            store.save(state)
            continue
        except VideoFailed as exc:
            outcome.reason = st.DISABLED if exc.reason == "comments_disabled" else st.FAILED
            outcome.message = str(exc)
            break
        except (BudgetExhausted, RetriesExhausted) as exc:
            outcome.message = str(exc)
            save_stop(state, store, exc)
            return outcome
        appended = lake.append_raw(records)
        count_page(outcome, state, records, appended.new, appended.changed)
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
    return finish(store, state, outcome, options.clock())


def _all_replies(
    client: YouTubeClient, lake: Lake, context: VideoContext, state: st.VideoState, parent_id: str
) -> list[dict[str, Any]]:
    """Every reply of a thread (commentThreads returns at most five)."""
    out: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = client.replies(parent_id, token)
        lake.write_page("youtube", page_name(context, state, f"replies-{parent_id}", token), page)
        out.extend(page.get("items") or [])
        token = page.get("nextPageToken")
        if not token:
            return out
