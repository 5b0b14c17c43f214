"""The functions the DAG tasks call, without Airflow: planning, resuming, digest timing, export params."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from commentscope.collectors import state as st
from commentscope.collectors.sandbox import FaultPlan
from commentscope.collectors.sandbox.faults import FaultRule
from commentscope.collectors.tiktok.budget import budget as tiktok_budget
from commentscope.export.formats import FORMATS
from commentscope.export.selection import SELECTABLE_LABELS
from commentscope.orchestrate import constants as C
from commentscope.orchestrate.collecting import (
    RetryLater,
    collect_one,
    raw_part_names,
    summarise_collect,
    video_from_dict,
    videos_to_collect,
)
from commentscope.orchestrate.digests import DIGEST_HOUR, creators_due, due_mondays
from commentscope.orchestrate.exporting import ExportParamsError, export_folder, validate_export_params
from commentscope.orchestrate.runtime import Runtime
from commentscope.registry import RegistryError, load_registry
from commentscope.schema import LANGUAGES, PERIODS, PLATFORMS
from commentscope.settings import Settings
from tests.fixtures.sandbox import TT_CAPPED, TT_SMALL, TT_UNLISTED, YT_DISABLED, YT_MAIN, SandboxWorld


def world_runtime(world: SandboxWorld) -> Runtime:
    settings = Settings(data_dir=world.lake.root, registry_path=world.registry_path, author_salt="orchestrate-salt-16")
    return Runtime(settings, world.registry, world.lake)


def corpus_count(world: SandboxWorld, platform: str, video_id: str) -> int:
    return len(world.corpus.videos[(platform, video_id)].comments)


# ---------------------------------------------------------------- constants stay in step


def test_dag_constants_match_the_schema_and_the_export_module() -> None:
    assert C.EXPORT_LANGUAGES == LANGUAGES
    assert C.EXPORT_PERIODS == PERIODS
    assert C.EXPORT_PLATFORMS == PLATFORMS
    assert C.EXPORT_LABELS == SELECTABLE_LABELS
    assert tuple(FORMATS) == C.EXPORT_FORMATS
    assert set(C.POOLS) == set(PLATFORMS) == set(C.POOL_SLOTS)


# ---------------------------------------------------------------- collect


def test_plan_lists_registry_and_discovered_videos_by_platform(
    sandbox_world: SandboxWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = world_runtime(sandbox_world)
    with sandbox_world.sandbox() as sandbox:
        for name, value in sandbox.api("tiktok").env(sandbox.url).items():
            monkeypatch.setenv(name, value)
        plan = videos_to_collect(None, rt=rt)
    assert [v["video_id"] for v in plan["tiktok"]] == sorted([TT_SMALL, TT_CAPPED, TT_UNLISTED])
    assert [v["video_id"] for v in plan["youtube"]] == sorted([YT_MAIN, YT_DISABLED])
    unlisted = next(v for v in plan["tiktok"] if v["video_id"] == TT_UNLISTED)
    assert unlisted["creator"] == "th-creator" and unlisted["campaign_video"] is False
    assert video_from_dict(unlisted).video_id == TT_UNLISTED  # survives the XCom round trip
    assert plan["notes"] == []


def test_plan_without_credentials_still_lists_registry_videos(
    sandbox_world: SandboxWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TIKTOK_CLIENT_KEY", "TIKTOK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    plan = videos_to_collect(["cf-test"], rt=world_runtime(sandbox_world))
    assert {v["video_id"] for v in plan["tiktok"]} == {TT_SMALL, TT_CAPPED}
    assert "TIKTOK_CLIENT_KEY" in plan["notes"][0]


def test_plan_rejects_an_unknown_campaign_with_a_hint(sandbox_world: SandboxWorld) -> None:
    with pytest.raises(RegistryError, match="cf-test"):
        videos_to_collect(["cf-tset"], discover=False, rt=world_runtime(sandbox_world))


def test_budget_stop_is_an_outcome_and_the_next_run_resumes_from_the_checkpoint(sandbox_world: SandboxWorld) -> None:
    rt = world_runtime(sandbox_world)
    video = next(
        v for v in videos_to_collect(["cf-test"], discover=False, rt=rt)["tiktok"] if v["video_id"] == TT_SMALL
    )
    parts_before = raw_part_names(rt.lake)
    with sandbox_world.sandbox() as sandbox:
        first = collect_one(video, rt=rt, client=sandbox_world.tiktok(sandbox, tiktok_budget(records=150)))
        assert first["reason"] == st.BUDGET
        saved = st.StateStore(rt.lake.state_dir).load("tiktok", TT_SMALL)
        assert saved.in_progress and saved.comments_this_run == 150
        second = collect_one(video, rt=rt, client=sandbox_world.tiktok(sandbox))
    assert second["reason"] == st.COMPLETE
    con = rt.lake.connect()
    got = con.execute("SELECT count(*) FROM raw_comments WHERE video_id = ?", [TT_SMALL]).fetchone()[0]
    assert got == corpus_count(sandbox_world, "tiktok", TT_SMALL)
    assert second["new"] == got - 150  # resumed at the cursor: nothing fetched twice
    summary = summarise_collect({"tiktok": [video], "youtube": []}, parts_before, rt=rt)
    assert summary["by_reason"] == {st.COMPLETE: 1} and summary["new_parts"]


def test_interrupted_video_asks_airflow_to_retry_and_resumes(sandbox_world: SandboxWorld) -> None:
    rt = world_runtime(sandbox_world)
    video = next(
        v for v in videos_to_collect(["cf-test"], discover=False, rt=rt)["youtube"] if v["video_id"] == YT_MAIN
    )
    faults = FaultPlan([FaultRule("server_error", api="youtube", at=frozenset(range(3, 40)))])
    with sandbox_world.sandbox(faults=faults) as sandbox, pytest.raises(RetryLater, match="checkpoint"):
        collect_one(video, rt=rt, client=sandbox_world.youtube(sandbox))
    assert st.StateStore(rt.lake.state_dir).load("youtube", YT_MAIN).in_progress
    with sandbox_world.sandbox() as sandbox:
        done = collect_one(video, rt=rt, client=sandbox_world.youtube(sandbox))
    assert done["reason"] == st.COMPLETE
    con = rt.lake.connect()
    got = con.execute("SELECT count(*) FROM raw_comments WHERE video_id = ?", [YT_MAIN]).fetchone()[0]
    assert got == corpus_count(sandbox_world, "youtube", YT_MAIN)


# ---------------------------------------------------------------- digest timing


def digest_intervals(first_sunday: datetime) -> list[tuple[datetime, datetime]]:
    """The data intervals of DIGEST_CRON ('0 * * * 0,1' in UTC) over one week from a Sunday 00:00."""
    ticks = [first_sunday + timedelta(hours=h) for h in range(48)] + [first_sunday + timedelta(days=7)]
    return list(zip(ticks, ticks[1:], strict=False))


@pytest.mark.parametrize(
    "timezone",
    [
        "Asia/Bangkok",
        "Asia/Manila",
        "Asia/Kathmandu",
        "Pacific/Kiritimati",
        "Pacific/Pago_Pago",
        "America/Los_Angeles",
        "UTC",
    ],
)
@pytest.mark.parametrize("sunday", [date(2024, 3, 3), date(2024, 3, 10), date(2024, 11, 3)])  # US DST ends 11-03
def test_every_timezone_gets_exactly_one_digest_a_week_on_monday_morning(timezone: str, sunday: date) -> None:
    assert C.DIGEST_CRON == "0 * * * 0,1"
    start = datetime(sunday.year, sunday.month, sunday.day, tzinfo=UTC)
    hits = [(a, b, m) for a, b in digest_intervals(start) for m in due_mondays(a, b, timezone)]
    assert len(hits) == 1, hits
    begin, end, monday = hits[0]
    local = datetime.combine(monday, datetime.min.time()).replace(hour=DIGEST_HOUR, tzinfo=ZoneInfo(timezone))
    assert monday.weekday() == 0 and begin <= local.astimezone(UTC) < end


def test_creators_due_skips_control_creators_and_creators_without_email(tmp_path) -> None:
    path = tmp_path / "campaigns.yaml"
    path.write_text(
        """
campaigns:
  - id: c1
    name: C1
    launch_date: 2024-03-01
    before: {start: 2024-01-01, end: 2024-02-29}
    after: {start: 2024-03-01, end: 2024-04-30}
    creators:
      - {key: a, name: A, country: TH, languages: [th], timezone: Asia/Bangkok, digest_email: a@x.test}
      - {key: b, name: B, country: TH, languages: [th], timezone: Asia/Bangkok}
      - {key: c, name: C, country: TH, languages: [th], timezone: Asia/Bangkok, digest_email: c@x.test,
         control: true}
      - {key: d, name: D, country: PH, languages: [tl], timezone: Asia/Manila, digest_email: d@x.test}
""",
        encoding="utf-8",
    )
    registry = load_registry(path)
    hour = datetime(2024, 3, 11, 1, tzinfo=UTC)  # 08:00 in Bangkok, 09:00 in Manila
    due = creators_due(hour, hour + timedelta(hours=1), registry=registry)
    assert due == [{"campaign": "c1", "creator": "a", "week_start": "2024-03-04"}]
    assert creators_due(hour + timedelta(hours=1), hour + timedelta(hours=2), registry=registry) == []
    # the same interval gives the same answer whenever it is (re-)run
    assert creators_due(hour, hour + timedelta(hours=1), registry=registry) == due


# ---------------------------------------------------------------- export parameters


def demo_runtime(demo_lake, demo_registry) -> Runtime:
    from commentscope.demo import DEMO_REGISTRY

    return Runtime(Settings(data_dir=demo_lake.root, registry_path=DEMO_REGISTRY), demo_registry, demo_lake)


def test_export_params_are_normalised_and_name_a_stable_folder(demo_lake, demo_registry, tmp_path) -> None:
    rt = demo_runtime(demo_lake, demo_registry)
    campaign = demo_registry.campaigns[0]
    params = {
        "campaign": campaign.id,
        "languages": ["th", "th", "id"],
        "labels": ["hate"],
        "since": "2024-01-01",
        "until": None,
        "formats": ["jsonl"],
        "seed": 3,
    }
    valid = validate_export_params(params, rt=rt)
    assert valid["languages"] == ["th", "id"] and valid["formats"] == ["jsonl"] and valid["include_text"] is True
    assert export_folder(valid, tmp_path) == export_folder(validate_export_params(dict(params), rt=rt), tmp_path)
    assert export_folder(valid, tmp_path) != export_folder({**valid, "seed": 4}, tmp_path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"campaign": ""}, "campaign is required"),
        ({"since": "2024-02-30"}, "not a date"),
        ({"since": "2024-03-02", "until": "2024-03-01"}, "swap them"),
        ({"labels": ["hateful"]}, "unknown hateful"),
        ({"formats": ["xlsx"]}, "unknown xlsx"),
        ({"creators": ["nobody"]}, "nobody not in campaign"),
        ({"seed": -1}, "whole number"),
        ({"tagger_version": "v-none"}, "not in the lake"),
        ({"colour": "blue"}, "unknown parameter"),
    ],
)
def test_bad_export_params_say_what_to_fix(demo_lake, demo_registry, change, message) -> None:
    params = {"campaign": demo_registry.campaigns[0].id, **change}
    with pytest.raises(ExportParamsError, match=message):
        validate_export_params(params, rt=demo_runtime(demo_lake, demo_registry))


def test_unknown_export_campaign_names_the_known_ones(demo_lake, demo_registry) -> None:
    with pytest.raises(RegistryError, match=demo_registry.campaigns[0].id):
        validate_export_params(
            {"campaign": demo_registry.campaigns[0].id + "x"}, rt=demo_runtime(demo_lake, demo_registry)
        )
