"""The bookkeeping every platform walk shares: run options, outcomes, and starting, checkpointing
and finishing a run in the video's checkpoint (commentscope/collectors/state.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from commentscope.collectors import state as st
from commentscope.collectors.context import VideoContext
from commentscope.collectors.errors import BudgetExhausted
from commentscope.collectors.retry import RetriesExhausted
from commentscope.safenames import slug
from commentscope.schema import RawComment

PageHook = Callable[[VideoContext, int], None]


@dataclass
class CollectOptions:
    """How a run behaves. ``refresh_days``: videos with activity this recent are walked in full to
    refresh like/reply counts; older ones only fetch what is new. ``settled_every_days``: how often a
    settled video without a newest-first order (TikTok) is walked again."""

    refresh_days: int = 14
    settled_every_days: int = 7
    full: bool = False
    discover: bool = True
    on_page: PageHook | None = None  # called after each page is checkpointed (progress bars, tests)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))


@dataclass
class VideoOutcome:
    """What one video's run did and why it stopped (see commentscope.collectors.state for the reasons)."""

    platform: str
    video_id: str
    reason: str
    pages: int = 0
    comments: int = 0
    new: int = 0
    changed: int = 0
    truncated: bool = False
    message: str | None = None


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def start_run(
    state: st.VideoState, context: VideoContext, options: CollectOptions, now: datetime, *, newest_first: bool
) -> str | None:
    """Begin a new run unless one is in progress (then resume it). Returns a reason to skip, or None."""
    if state.in_progress:
        return None
    newest = parse_time(state.newest_comment_at)
    recent_cutoff = now - timedelta(days=options.refresh_days)
    recent = (
        options.full
        or state.last_complete_at is None
        or (context.published_at is not None and context.published_at >= recent_cutoff)
        or (newest is not None and newest >= recent_cutoff)
    )
    if not recent and not newest_first:
        last = parse_time(state.last_complete_at)
        if last and now - last < timedelta(days=options.settled_every_days):
            return "not_due"
    state.in_progress = True
    state.cursor = None
    state.pending_replies, state.reply_cursor, state.pages_done = [], 0, False
    state.run_started_at = now.isoformat()
    state.pages_this_run = 0
    state.comments_this_run = 0
    state.truncated = False
    state.message = None
    state.since = None if recent or not newest_first else state.newest_comment_at
    return None


def finish(store: st.StateStore, state: st.VideoState, outcome: VideoOutcome, now: datetime) -> VideoOutcome:
    done = outcome.reason in {st.COMPLETE, st.CAP, st.UP_TO_DATE, st.FAILED, st.DISABLED}
    state.stopped_reason = outcome.reason
    state.message = outcome.message
    if done:
        state.in_progress = False
        state.cursor = None
        state.pending_replies, state.reply_cursor, state.pages_done = [], 0, False
        if outcome.reason in {st.COMPLETE, st.CAP, st.UP_TO_DATE}:
            state.last_complete_at = now.isoformat()
    state.history.append(
        {
            "at": now.isoformat(),
            "reason": outcome.reason,
            "pages": outcome.pages,
            "new": outcome.new,
            "changed": outcome.changed,
            "truncated": outcome.truncated,
            "message": outcome.message,
        }
    )
    store.save(state)
    return outcome


def note_newest(state: st.VideoState, records: list[RawComment]) -> None:
    if not records:
        return
    newest = max(r.created_at for r in records)
    current = parse_time(state.newest_comment_at)
    if current is None or newest > current:
        state.newest_comment_at = newest.isoformat()


def save_stop(state: st.VideoState, store: st.StateStore, exc: BudgetExhausted | RetriesExhausted) -> None:
    """Checkpoint why a walk stopped; a spent budget is re-raised so the whole run stops cleanly."""
    state.stopped_reason = st.BUDGET if isinstance(exc, BudgetExhausted) else st.INTERRUPTED
    state.message = str(exc)
    store.save(state)
    if isinstance(exc, BudgetExhausted):
        raise exc


def page_name(context: VideoContext, state: st.VideoState, kind: str, cursor: str | None) -> str:
    run = (state.run_started_at or "").replace(":", "").replace("-", "")[:15]
    return f"{slug(kind)}-{context.video_id}-{run}-{slug(cursor or 'start')}"  # kind/cursor come from the API


def count_page(outcome: VideoOutcome, state: st.VideoState, records: list[RawComment], new: int, changed: int) -> None:
    """Add one stored page to the outcome and the checkpoint's counters."""
    outcome.pages += 1
    outcome.comments += len(records)
    outcome.new += new
    outcome.changed += changed
    note_newest(state, records)
    state.pages_this_run += 1
    state.total_pages += 1
    state.comments_this_run += len(records)
