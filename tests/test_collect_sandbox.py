"""Collectors against the local API sandbox (a real HTTP server on 127.0.0.1 following the TikTok
Research API and YouTube Data API v3 contracts), through the real httpx clients."""

from __future__ import annotations

import pytest

from commentscope.collectors import state as st
from commentscope.collectors.collect import CollectOptions, collect_campaign, collect_video
from commentscope.collectors.sandbox import FaultPlan, FaultRule
from commentscope.collectors.tiktok.budget import budget as tiktok_budget
from commentscope.collectors.tiktok.sandbox_routes import Limits as TikTokLimits
from commentscope.collectors.youtube.budget import budget as youtube_budget
from commentscope.collectors.youtube.sandbox_routes import Limits as YouTubeLimits
from tests.fixtures.sandbox import (
    TT_CAPPED,
    TT_SMALL,
    TT_UNLISTED,
    YT_DISABLED,
    YT_MAIN,
    expected_ids,
    lake_snapshot,
    raw_row_count,
)


def run(world, sandbox, **kwargs):
    return collect_campaign(world.lake, world.registry, "cf-test", clients=world.clients(sandbox), **kwargs)


def test_clean_run_collects_every_comment_once(sandbox_world):
    with sandbox_world.sandbox() as sandbox:
        report = run(sandbox_world, sandbox)
    reasons = {v.video_id: v.reason for v in report.videos}
    assert reasons == {
        TT_SMALL: st.COMPLETE,
        TT_CAPPED: st.CAP,
        YT_MAIN: st.COMPLETE,
        YT_DISABLED: st.DISABLED,
        TT_UNLISTED: st.COMPLETE,
    }
    snapshot = lake_snapshot(sandbox_world.lake)
    assert set(snapshot) == expected_ids(sandbox_world)
    rows, distinct = raw_row_count(sandbox_world.lake)
    assert rows == distinct == len(snapshot)
    capped = next(v for v in report.videos if v.video_id == TT_CAPPED)
    assert capped.truncated
    state = st.StateStore(sandbox_world.lake.state_dir).load("tiktok", TT_CAPPED)
    assert state.truncated is False or state.stopped_reason == st.CAP
    assert state.stopped_reason == st.CAP and state.last_complete_at
    # replies keep their thread: TikTok's from comment_id (one thread pages past 100 replies), YouTube
    # threads over five replies completed with comments.list
    tt = sandbox_world.corpus.video("tiktok", TT_SMALL)
    tt_thread = max(tt.top_level(), key=lambda c: len(tt.replies_of(c.comment_id)))
    tt_replies = [k for k, v in snapshot.items() if v[1] == f"tiktok:{tt_thread.comment_id}"]
    assert len(tt_replies) == len(tt.replies_of(tt_thread.comment_id)) > 100
    yt = sandbox_world.corpus.video("youtube", YT_MAIN)
    big_thread = max(yt.top_level(), key=lambda c: len(yt.replies_of(c.comment_id)))
    replies = [k for k, v in snapshot.items() if v[1] == f"youtube:{big_thread.comment_id}"]
    assert len(replies) == len(yt.replies_of(big_thread.comment_id)) > 5
    # the video found by the video query is not a campaign video
    assert snapshot[f"tiktok:{sandbox_world.corpus.video('tiktok', TT_UNLISTED).comments[0].comment_id}"][-1] is False


FAULTS = {
    "rate_limit": [FaultRule("rate_limit", at=frozenset({2, 5, 6}), seconds=0.05)],
    "server_error": [FaultRule("server_error", every=4)],
    "html_504": [FaultRule("html_504", every=5)],
    "expired_cursor": [
        FaultRule("expired_cursor", api="tiktok", at=frozenset({4, 9})),
        FaultRule("expired_cursor", api="youtube", at=frozenset({3})),
    ],
    "token_expiry": [FaultRule("token_expiry", api="tiktok", every=3)],
    "slow": [FaultRule("slow", every=3, seconds=0.6)],
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_fault_still_gives_complete_data_without_duplicates(sandbox_world, fault):
    with sandbox_world.sandbox(FaultPlan(list(FAULTS[fault]))) as sandbox:
        report = collect_campaign(
            sandbox_world.lake, sandbox_world.registry, "cf-test", clients=sandbox_world.clients(sandbox, timeout=0.4)
        )
        fired = list(sandbox.faults.fired)
    assert fired, "the fault was never injected: the test would prove nothing"
    assert {v.reason for v in report.videos} <= {st.COMPLETE, st.CAP, st.DISABLED}, report.videos
    snapshot = lake_snapshot(sandbox_world.lake)
    assert set(snapshot) == expected_ids(sandbox_world)
    rows, distinct = raw_row_count(sandbox_world.lake)
    assert rows == distinct


def test_invalid_params_fails_that_video_and_goes_on(sandbox_world):
    faults = FaultPlan([FaultRule("invalid_params", api="tiktok", at=frozenset({1}))])
    with sandbox_world.sandbox(faults) as sandbox:
        report = collect_campaign(
            sandbox_world.lake,
            sandbox_world.registry,
            "cf-test",
            clients=sandbox_world.clients(sandbox),
            options=CollectOptions(discover=False),
        )
    outcome = {v.video_id: v for v in report.videos}
    assert outcome[TT_SMALL].reason == st.FAILED and "invalid_params" in (outcome[TT_SMALL].message or "")
    assert outcome[TT_CAPPED].reason == st.CAP and outcome[YT_MAIN].reason == st.COMPLETE
    state = st.StateStore(sandbox_world.lake.state_dir).load("tiktok", TT_SMALL)
    assert state.stopped_reason == st.FAILED and "invalid_params" in state.message


@pytest.mark.parametrize("requests_budget", [3, 7, 12])
def test_tiktok_budget_is_never_exceeded_and_resumes_next_day(sandbox_world, requests_budget):
    from datetime import UTC, datetime, timedelta

    from commentscope.collectors.budget import QuotaLedger
    from commentscope.lake import Lake

    with sandbox_world.sandbox() as sandbox:  # what an uninterrupted walk costs
        lake = Lake(sandbox_world.root / "reference")
        collect_campaign(
            lake,
            sandbox_world.registry,
            "cf-test",
            platforms=("tiktok",),
            clients={"tiktok": sandbox_world.tiktok(sandbox, lake=lake)},
        )
        clean_requests = sandbox.api("tiktok").requests
    faults = FaultPlan([FaultRule("server_error", api="tiktok", every=5)])  # failed calls cost quota too
    limits = {"tiktok": TikTokLimits(requests_per_day=requests_budget)}
    budget = tiktok_budget(requests=requests_budget)
    with sandbox_world.sandbox(faults, limits) as sandbox:
        report = collect_campaign(
            sandbox_world.lake,
            sandbox_world.registry,
            "cf-test",
            platforms=("tiktok",),
            clients={"tiktok": sandbox_world.tiktok(sandbox, budget)},
        )
        used = sandbox.api("tiktok").requests
    assert used <= requests_budget
    assert "tiktok" in report.budget_stopped
    assert any(v.reason == st.BUDGET for v in report.videos)
    first = lake_snapshot(sandbox_world.lake)
    # next quota day: a fresh sandbox day and ledger day; the run resumes at the checkpoints
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    later_requests = 0
    for _day in range(80):
        with sandbox_world.sandbox(limits=limits) as sandbox:
            client = sandbox_world.tiktok(sandbox)
            client.ledger = QuotaLedger(sandbox_world.lake.state_dir, "tiktok", budget, clock=lambda t=tomorrow: t)
            report = collect_campaign(
                sandbox_world.lake, sandbox_world.registry, "cf-test", platforms=("tiktok",), clients={"tiktok": client}
            )
            assert sandbox.api("tiktok").requests <= requests_budget
            later_requests += sandbox.api("tiktok").requests
        if "tiktok" not in report.budget_stopped:
            break
        tomorrow += timedelta(days=1)
    else:
        pytest.fail("never finished")
    assert (
        set(first)
        < set(lake_snapshot(sandbox_world.lake))
        == {i for i in expected_ids(sandbox_world) if i.startswith("tiktok:")}
    )
    assert raw_row_count(sandbox_world.lake)[0] == raw_row_count(sandbox_world.lake)[1]
    # resuming from cursors: nothing was walked twice from the start
    assert later_requests <= clean_requests


def test_youtube_moves_to_the_next_project_and_stops_when_all_are_spent(sandbox_world):
    limits = {"youtube": YouTubeLimits(units_per_project=4)}
    with sandbox_world.sandbox(limits=limits) as sandbox:
        client = sandbox_world.youtube(sandbox, youtube_budget(10_000))  # the platform says stop first
        with pytest.raises(Exception) as caught:
            collect_video(sandbox_world.lake, sandbox_world.registry, "youtube", YT_MAIN, client=client)
        assert type(caught.value).__name__ == "BudgetExhausted"
        assert "Google Cloud project" in str(caught.value) and "resets at" in str(caught.value)
        api = sandbox.api("youtube")
        assert api.units == {"sandbox-a": 4, "sandbox-b": 4}  # both projects were used, neither beyond
        # sandbox-key-2 shares sandbox-a's quota: rotating to it would only be refused again
        assert "sandbox-key-2" not in api.keys_used
    state = st.StateStore(sandbox_world.lake.state_dir).load("youtube", YT_MAIN)
    assert state.in_progress and state.stopped_reason == st.BUDGET


def test_youtube_local_budget_is_respected_per_project(sandbox_world):
    with sandbox_world.sandbox() as sandbox:
        client = sandbox_world.youtube(sandbox, youtube_budget(3))
        report = collect_campaign(
            sandbox_world.lake, sandbox_world.registry, "cf-test", platforms=("youtube",), clients={"youtube": client}
        )
        assert sandbox.api("youtube").units == {"sandbox-a": 3, "sandbox-b": 3}
    assert "youtube" in report.budget_stopped


def test_second_run_is_incremental(sandbox_world):
    from datetime import UTC, datetime, timedelta

    from commentscope.collectors.sandbox.corpus import SandboxComment

    with sandbox_world.sandbox() as sandbox:
        run(sandbox_world, sandbox)
        before = lake_snapshot(sandbox_world.lake)
        # new activity a while later: one new comment on each platform
        late = datetime(2024, 6, 1, tzinfo=UTC)
        sandbox_world.corpus.add_comment(
            "youtube", YT_MAIN, SandboxComment("UgxNEW0001", YT_MAIN, None, late, "baru", 0, 0, "newbie")
        )
        sandbox_world.corpus.add_comment(
            "tiktok", TT_SMALL, SandboxComment("7499999999999999999", TT_SMALL, None, late, "ใหม่", 0, 0, None)
        )
        sandbox.api("youtube").units.clear()
        later = CollectOptions(clock=lambda: datetime.now(UTC) + timedelta(days=400))
        report = collect_campaign(
            sandbox_world.lake, sandbox_world.registry, "cf-test", options=later, clients=sandbox_world.clients(sandbox)
        )
        youtube_units = sum(sandbox.api("youtube").units.values())
    outcome = {v.video_id: v for v in report.videos}
    assert outcome[YT_MAIN].reason == st.UP_TO_DATE and outcome[YT_MAIN].new == 1
    assert youtube_units < 5, "an up-to-date YouTube video should cost a page or so, not a full walk"
    assert outcome[TT_SMALL].new == 1
    after = lake_snapshot(sandbox_world.lake)
    assert set(after) - set(before) == {"youtube:UgxNEW0001", "tiktok:7499999999999999999"}
    assert raw_row_count(sandbox_world.lake)[0] == raw_row_count(sandbox_world.lake)[1]


def test_tiktok_record_budget_is_never_exceeded(sandbox_world):
    with sandbox_world.sandbox() as sandbox:
        report = collect_campaign(
            sandbox_world.lake,
            sandbox_world.registry,
            "cf-test",
            platforms=("tiktok",),
            clients={"tiktok": sandbox_world.tiktok(sandbox, tiktok_budget(records=350))},
        )
        records = sandbox.api("tiktok").records
    assert 300 <= records <= 350  # it used the budget, and not one record more
    assert "tiktok" in report.budget_stopped
    videos_found = sum(1 for v in sandbox_world.corpus.videos.values() if v.username == "th_creator")
    assert len(lake_snapshot(sandbox_world.lake)) + videos_found == records  # video query records count too
