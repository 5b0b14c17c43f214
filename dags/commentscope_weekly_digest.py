"""weekly_digest: every creator's comment-health digest, Monday 08:00 in the creator's timezone.

One DAG on UTC hours of Sunday and Monday (every timezone's Monday 08:00 falls in them). Each
run's data interval selects the creators whose local Monday 08:00 lies inside it, one mapped
task per creator. Re-running or backfilling an interval selects the same creators for the same
week, and the digest ledger sends each (creator, week) at most once. SMTP settings come from the
workers' environment (COMMENTSCOPE_SMTP_*).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import CronDataIntervalTimetable, dag, task
from airflow.sdk.exceptions import AirflowFailException

from commentscope.orchestrate.constants import DIGEST_CRON


@dag(
    dag_id="commentscope_weekly_digest",
    schedule=CronDataIntervalTimetable(DIGEST_CRON, timezone="UTC"),
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=2,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=5), "retry_exponential_backoff": True},
    tags=["commentscope"],
    doc_md=__doc__,
)
def commentscope_weekly_digest():
    @task
    def creators_due(data_interval_start=None, data_interval_end=None) -> list[dict]:
        from commentscope.orchestrate.digests import creators_due as due

        return due(data_interval_start, data_interval_end)

    @task(map_index_template="{{ task.op_kwargs['item']['campaign'] }}/{{ task.op_kwargs['item']['creator'] }}")
    def send_digest(item: dict) -> dict:
        from commentscope.orchestrate.digests import DigestNotSent, send_creator_digest

        try:
            return send_creator_digest(item)
        except DigestNotSent as exc:
            if exc.retryable:
                raise
            raise AirflowFailException(str(exc)) from None

    send_digest.expand(item=creators_due())


DAG_WEEKLY_DIGEST = commentscope_weekly_digest()
