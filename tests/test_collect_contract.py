"""The collectors against what the real services send (sandbox shapes cited in each platform's
``sandbox_routes.py``): TikTok's quota signal, passing faults, reply listing and date windows;
YouTube's per-project quota. Each test failed on the collectors as they were before issue 15."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from commentscope.collectors import state as st
from commentscope.collectors.collect import collect_campaign, collect_video, discover_videos
from commentscope.collectors.errors import BudgetExhausted, ConfigError
from commentscope.collectors.ratelimit import RateLimiter
from commentscope.collectors.sandbox import FaultPlan, FaultRule
from commentscope.collectors.sandbox.corpus import SandboxVideo
from commentscope.collectors.tiktok.sandbox_routes import COMMENTS
from commentscope.collectors.tiktok.sandbox_routes import Limits as TikTokLimits
from commentscope.collectors.tiktok.walk import query_windows
from commentscope.collectors.youtube.client import YouTubeClient, parse_keys
from commentscope.collectors.youtube.sandbox_routes import Limits as YouTubeLimits
from tests.fixtures.sandbox import TT_SMALL, TT_UNLISTED, YT_MAIN, lake_snapshot


def tiktok_calls(sandbox, path: str) -> list[dict]:
    return [json.loads(body) for api, _n, p, body in sandbox.requests_log if api == "tiktok" and p == path]


# ---------------------------------------------------------------- TikTok quota


def test_tiktok_spent_quota_is_a_budget_stop_with_the_reset_time(sandbox_world):
    limits = {"tiktok": TikTokLimits(requests_per_day=5)}
    with sandbox_world.sandbox(limits=limits) as sandbox:
        report = collect_campaign(
            sandbox_world.lake,
            sandbox_world.registry,
            "cf-test",
            platforms=("tiktok",),
            clients={"tiktok": sandbox_world.tiktok(sandbox)},
        )
        calls = [entry for entry in sandbox.requests_log if entry[0] == "tiktok"]
    message = report.budget_stopped["tiktok"]
    reset = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d 00:00 UTC")
    assert "rate_limit_exceeded" in message and f"resets at {reset}" in message
    assert len(calls) == 6, "the refused call is not retried: the day is spent"
    assert {v.reason for v in report.videos} <= {st.BUDGET, st.COMPLETE}
    assert any(v.reason == st.BUDGET for v in report.videos)
    # the ledger believes the platform until the reset: no call is sent again today
    with sandbox_world.sandbox(limits=limits) as sandbox:
        again = collect_campaign(
            sandbox_world.lake,
            sandbox_world.registry,
            "cf-test",
            platforms=("tiktok",),
            clients={"tiktok": sandbox_world.tiktok(sandbox)},
        )
        assert not [e for e in sandbox.requests_log if e[0] == "tiktok"]
    assert "tiktok" in again.budget_stopped


# ---------------------------------------------------------------- TikTok passing faults


def test_search_id_fault_retries_the_same_query(sandbox_world):
    faults = FaultPlan([FaultRule("expired_cursor", api="tiktok", at=frozenset({1}), path="video/query")])
    with sandbox_world.sandbox(faults) as sandbox:
        notes: list[str] = []
        campaign = sandbox_world.registry.campaign("cf-test")
        found = discover_videos(sandbox_world.lake, [campaign], {"tiktok": sandbox_world.tiktok(sandbox)}, notes)
        queries = tiktok_calls(sandbox, "/v2/research/video/query/")
        fired = sandbox.faults.fired
    assert fired == [("tiktok", 1, "expired_cursor")]
    assert notes == []
    assert TT_UNLISTED in {v.video_id for v in found}
    assert queries[0] == queries[1], "the same request is retried after 'Search Id <n> is invalid or expired'"


def test_invalid_count_or_cursor_retries_without_restarting_the_walk(sandbox_world):
    faults = FaultPlan([FaultRule("expired_cursor", api="tiktok", at=frozenset({2}), path="comment/list")])
    with sandbox_world.sandbox(faults) as sandbox:
        outcome = collect_video(
            sandbox_world.lake, sandbox_world.registry, "tiktok", TT_SMALL, client=sandbox_world.tiktok(sandbox)
        )
        calls = tiktok_calls(sandbox, COMMENTS)
        assert sandbox.faults.fired == [("tiktok", 2, "expired_cursor")]
    assert outcome.reason == st.COMPLETE
    assert calls[1] == calls[2]  # the refused request is sent again as it was
    listing = [(b["video_id"], b["cursor"]) for b in calls if "video_id" in b]
    assert listing == [(int(TT_SMALL), 0), (int(TT_SMALL), 100)]  # the walk never went back to 0


# ---------------------------------------------------------------- TikTok replies


@pytest.mark.parametrize("mode", ["comment_id", "inline"])
def test_replies_are_fetched_with_comment_id_or_kept_from_the_listing(sandbox_world, mode):
    limits = {"tiktok": TikTokLimits(replies_mode=mode)}
    with sandbox_world.sandbox(limits=limits) as sandbox:
        outcome = collect_video(
            sandbox_world.lake, sandbox_world.registry, "tiktok", TT_SMALL, client=sandbox_world.tiktok(sandbox)
        )
        by_comment = [b for b in tiktok_calls(sandbox, COMMENTS) if "comment_id" in b]
    video = sandbox_world.corpus.video("tiktok", TT_SMALL)
    snapshot = lake_snapshot(sandbox_world.lake)
    expected = {f"tiktok:{c.comment_id}": (f"tiktok:{c.parent_id}" if c.parent_id else None) for c in video.comments}
    assert {k: v[1] for k, v in snapshot.items()} == expected  # every reply, under its own parent
    assert outcome.reason == st.COMPLETE
    if mode == "comment_id":
        threads = {c.parent_id for c in video.comments if c.parent_id}
        assert {str(b["comment_id"]) for b in by_comment} == threads
        assert outcome.message is None
    else:  # the API refused comment_id once; the collector fell back and said so
        assert len(by_comment) == 1
        assert "refused comment_id" in (outcome.message or "")


# ---------------------------------------------------------------- TikTok date windows


def test_query_windows_overlap_and_cover_the_day_after_the_end():
    windows = query_windows(date(2024, 1, 1), date(2024, 4, 30))
    assert windows[0][0] == date(2024, 1, 1) and windows[-1][1] == date(2024, 5, 1)
    for (_, end), (start, _) in zip(windows, windows[1:], strict=False):
        assert start == end  # consecutive windows share their boundary day
    assert all((end - start).days <= 30 for start, end in windows)


@pytest.mark.parametrize("inclusive", [True, False])
def test_discovery_loses_no_day_whether_end_date_is_inclusive_or_not(sandbox_world, inclusive):
    campaign = sandbox_world.registry.campaign("cf-test")
    day, posted = campaign.before.start, set()
    while day <= campaign.after.end:  # one video a day, every day of the campaign's windows
        video_id = str(7_310_000_000_000_000_000 + day.toordinal())
        created = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
        sandbox_world.corpus.videos[("tiktok", video_id)] = SandboxVideo("tiktok", video_id, "th_creator", created)
        posted.add(video_id)
        day += timedelta(days=1)
    limits = {"tiktok": TikTokLimits(end_date_inclusive=inclusive)}
    with sandbox_world.sandbox(limits=limits) as sandbox:
        notes: list[str] = []
        found = discover_videos(sandbox_world.lake, [campaign], {"tiktok": sandbox_world.tiktok(sandbox)}, notes)
    assert notes == []
    assert posted <= {v.video_id for v in found}


# ---------------------------------------------------------------- request pacing


def test_rate_limiter_spaces_requests():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(4, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limiter.wait()
    assert now[0] == pytest.approx(1.0) and len(slept) == 4


def test_tiktok_client_never_exceeds_its_requests_per_second(sandbox_world):
    with sandbox_world.sandbox() as sandbox:
        client = sandbox_world.tiktok(sandbox)
        client.limiter = RateLimiter(25)
        started = time.monotonic()
        collect_video(sandbox_world.lake, sandbox_world.registry, "tiktok", TT_SMALL, client=client)
        elapsed = time.monotonic() - started
        sent = len(sandbox.requests_log) + 1  # plus the token request
    assert sent >= 8
    assert elapsed >= (sent - 1) / 25


# ---------------------------------------------------------------- YouTube projects


def test_youtube_keys_parse_by_project():
    assert parse_keys("projA:k1, projA:k2,projB:k3") == {"projA": ("k1", "k2"), "projB": ("k3",)}
    bare = parse_keys("AIzaSyBare")
    assert list(bare.values()) == [("AIzaSyBare",)] and "AIzaSyBare" not in next(iter(bare))
    with pytest.raises(ConfigError, match="projA:key1"):
        parse_keys("bad project:k1")


def test_youtube_budget_is_kept_per_project_from_the_environment(sandbox_world, monkeypatch):
    projects = {"projA": ("ytkey-a1", "ytkey-a2"), "projB": ("ytkey-b1",)}
    limits = {"youtube": YouTubeLimits(units_per_project=3, projects=projects)}
    with sandbox_world.sandbox(limits=limits) as sandbox:
        monkeypatch.setenv("YOUTUBE_API_KEYS", "projA:ytkey-a1,projA:ytkey-a2,projB:ytkey-b1")
        monkeypatch.setenv("YOUTUBE_BASE_URL", sandbox.url)
        monkeypatch.delenv("YOUTUBE_DAILY_UNITS", raising=False)
        client = YouTubeClient.from_env(sandbox_world.lake.state_dir, per_second=None)
        with pytest.raises(BudgetExhausted, match="2 Google Cloud project"):
            collect_video(sandbox_world.lake, sandbox_world.registry, "youtube", YT_MAIN, client=client)
        api = sandbox.api("youtube")
        assert api.units == {"projA": 3, "projB": 3}
        assert "ytkey-a2" not in api.keys_used  # same project as a1: no quota to gain
    ledger = client.ledger.used("project-projA"), client.ledger.used("project-projB")
    assert ledger == ({"units": 10_000}, {"units": 10_000})  # spent per the platform, until the reset
