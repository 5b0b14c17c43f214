"""enrich_and_index: when new raw comments land (or nightly), enrich them and index them.

Thin wiring over ``commentscope.orchestrate.indexing``. Enrichment is incremental per tagger
version; a new tagger version (a deploy that changed a lexicon or model) re-enriches every raw
part into its own enriched version and builds a new index, which replaces the old one behind
the read alias only after its document count matches the lake. The nightly tick makes a tagger
upgrade take effect even on a day with no new comments. Search-engine credentials come from the
workers' environment (COMMENTSCOPE_ES_*).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, AssetOrTimeSchedule, CronTriggerTimetable, dag, task
from airflow.sdk.exceptions import AirflowFailException

from commentscope.orchestrate.constants import INDEXED_COMMENTS_URI, RAW_COMMENTS_URI

RAW_COMMENTS = Asset(name="commentscope_raw_comments", uri=RAW_COMMENTS_URI)
INDEXED_COMMENTS = Asset(name="commentscope_indexed_comments", uri=INDEXED_COMMENTS_URI)


@dag(
    dag_id="commentscope_enrich_and_index",
    schedule=AssetOrTimeSchedule(timetable=CronTriggerTimetable("30 3 * * *", timezone="UTC"),
                                 assets=RAW_COMMENTS),
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,  # one writer per tagger version and one alias switch at a time
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5), "retry_exponential_backoff": True},
    tags=["commentscope"],
    doc_md=__doc__,
)
def commentscope_enrich_and_index():
    @task
    def enrich() -> dict:
        from commentscope.orchestrate.indexing import enrich_new
        from commentscope.registry import RegistryError
        from commentscope.settings import SettingsError

        try:
            return enrich_new()
        except (RegistryError, SettingsError) as exc:  # configuration: retrying cannot help
            raise AirflowFailException(str(exc)) from None

    @task(outlets=[INDEXED_COMMENTS])
    def index(enriched: dict) -> dict:
        from commentscope.orchestrate.indexing import index_version
        from commentscope.settings import SettingsError

        try:
            return index_version(enriched["tagger_version"])
        except SettingsError as exc:
            raise AirflowFailException(str(exc)) from None

    index(enrich())


DAG_ENRICH_AND_INDEX = commentscope_enrich_and_index()
