"""collect: every day, collect the comments of every campaign's videos into the raw lake.

Thin wiring over ``commentscope.orchestrate.collecting``: one mapped task per video and a pool
per platform API, for every platform in the registry (``commentscope/platforms.py``), retries
with exponential backoff that resume from the video's checkpoint, and the asset ``RAW_COMMENTS``
emitted only when new raw parts landed (that triggers enrich_and_index).
Credentials come from the workers' environment (TIKTOK_*, YOUTUBE_API_KEYS), never from here.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from airflow.sdk import Asset, CronTriggerTimetable, Param, dag, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from commentscope.orchestrate.constants import PLATFORMS, POOLS, RAW_COMMENTS_URI

log = logging.getLogger(__name__)
RAW_COMMENTS = Asset(name="commentscope_raw_comments", uri=RAW_COMMENTS_URI)
RETRIES = {
    "retries": 3,
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(hours=1),
}


@dag(
    dag_id="commentscope_collect",
    schedule=CronTriggerTimetable("0 1 * * *", timezone="UTC"),
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,  # two runs would walk the same checkpoints
    default_args=RETRIES,
    params={
        "campaigns": Param(
            [],
            type="array",
            items={"type": "string"},
            description="Campaign ids to collect; empty: every campaign in the registry.",
        ),
        "discover": Param(
            True,
            type="boolean",
            description="Also find creators' videos on platforms that can search (TikTok's video query).",
        ),
    },
    tags=["commentscope"],
    doc_md=__doc__,
)
def commentscope_collect():
    @task
    def snapshot_lake() -> list[str]:
        from commentscope.orchestrate.collecting import raw_part_names

        return raw_part_names()

    @task
    def plan_videos(params: dict | None = None) -> dict:
        from commentscope.orchestrate.collecting import videos_to_collect
        from commentscope.registry import RegistryError

        params = params or {}
        try:
            return videos_to_collect(params.get("campaigns") or None, discover=bool(params.get("discover", True)))
        except RegistryError as exc:
            raise AirflowFailException(str(exc)) from None

    @task
    def videos_of(plan: dict, platform: str) -> list[dict]:
        return plan[platform]

    @task(max_active_tis_per_dagrun=4)
    def collect_video(video: dict) -> dict:
        from commentscope.collectors.errors import ConfigError
        from commentscope.orchestrate.collecting import collect_one

        try:
            return collect_one(video)
        except ConfigError as exc:  # a missing credential: retrying cannot help
            raise AirflowFailException(str(exc)) from None

    @task(trigger_rule="all_done", outlets=[RAW_COMMENTS])
    def report(videos: dict, parts_before: list[str], outlet_events=None) -> dict:
        from commentscope.orchestrate.collecting import summarise_collect

        summary = summarise_collect(videos, parts_before)
        log.info("videos by reason %s; %d new raw parts", summary["by_reason"], len(summary["new_parts"]))
        for note in summary["notes"]:
            log.warning("%s", note)
        if not summary["new_parts"]:
            raise AirflowSkipException("no new raw comments: the asset is not updated")
        if outlet_events is not None:
            outlet_events[RAW_COMMENTS].extra = {"new_parts": len(summary["new_parts"])}
        return summary

    @task(trigger_rule="none_failed")
    def every_video_collected() -> None:
        """Fails the run (after ``report`` has run) when any video's task failed."""

    parts_before = snapshot_lake()
    plan = plan_videos()
    parts_before >> plan
    collected = [
        collect_video.override(task_id=f"collect_{platform}", pool=POOLS[platform]).expand(
            video=videos_of.override(task_id=f"{platform}_videos")(plan, platform)
        )
        for platform in PLATFORMS
    ]
    summary = report(plan, parts_before)
    collected >> summary
    collected >> every_video_collected()


DAG_COLLECT = commentscope_collect()
