"""enrich_and_index: when new raw comments land (or nightly), enrich them and index them.

Thin wiring over ``commentscope.orchestrate.indexing``. Enrichment is incremental per tagger
version; a new tagger version (a deploy that changed a lexicon or model) re-enriches every raw
part into its own enriched version and builds a new index, which replaces the old one behind
the read alias only after its document count matches the lake. The nightly tick makes a tagger
upgrade take effect even on a day with no new comments.

Enrichment is mapped: ``plan`` cuts the pending raw parts into batches
(``COMMENTSCOPE_ENRICH_BATCH_PARTS`` parts each), one ``enrich`` task instance per batch, so with
the CeleryExecutor every worker enriches its share. Each part is claimed before it is enriched and
its enriched twin is published exclusively (commentscope/claims.py): two workers never write the
same part, and a retried task (a lost worker) redoes only what is missing, without duplicates.
``finish`` moves ``enriched/CURRENT`` once every part is enriched. Search-engine credentials come from the
workers' environment (COMMENTSCOPE_ES_*).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, AssetOrTimeSchedule, CronTriggerTimetable, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException

from commentscope.orchestrate.constants import INDEXED_COMMENTS_URI, RAW_COMMENTS_URI

RAW_COMMENTS = Asset(name="commentscope_raw_comments", uri=RAW_COMMENTS_URI)
INDEXED_COMMENTS = Asset(name="commentscope_indexed_comments", uri=INDEXED_COMMENTS_URI)


@dag(
    dag_id="commentscope_enrich_and_index",
    schedule=AssetOrTimeSchedule(timetable=CronTriggerTimetable("30 3 * * *", timezone="UTC"), assets=RAW_COMMENTS),
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,  # one writer per tagger version and one alias switch at a time
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5), "retry_exponential_backoff": True},
    tags=["commentscope"],
    doc_md=__doc__,
)
def commentscope_enrich_and_index():
    @task
    def plan() -> dict:
        from commentscope.orchestrate.indexing import plan_enrichment
        from commentscope.settings import SettingsError

        try:
            return plan_enrichment()
        except SettingsError as exc:
            raise AirflowFailException(str(exc)) from None

    @task
    def batches(planned: dict) -> list[list[str]]:
        return planned["batches"]

    @task(max_active_tis_per_dagrun=16)
    def enrich(batch: list[str]) -> dict:
        from commentscope.orchestrate.indexing import enrich_claimed
        from commentscope.registry import RegistryError
        from commentscope.settings import SettingsError

        ti = get_current_context()["ti"]
        owner = f"{ti.dag_id}/{ti.run_id}/{ti.map_index}"  # the same across retries of this instance
        try:
            return enrich_claimed(batch, owner)
        except (RegistryError, SettingsError) as exc:  # configuration: retrying cannot help
            raise AirflowFailException(str(exc)) from None

    @task(trigger_rule="none_failed")
    def finish(planned: dict, results: list[dict]) -> dict:
        from commentscope.orchestrate.indexing import finish_enrichment

        return finish_enrichment(planned, list(results or []))

    @task(outlets=[INDEXED_COMMENTS])
    def index(enriched: dict) -> dict:
        from commentscope.orchestrate.indexing import index_version
        from commentscope.settings import SettingsError

        try:
            return index_version(enriched["tagger_version"])
        except SettingsError as exc:
            raise AirflowFailException(str(exc)) from None

    planned = plan()
    index(finish(planned, enrich.expand(batch=batches(planned))))


DAG_ENRICH_AND_INDEX = commentscope_enrich_and_index()
