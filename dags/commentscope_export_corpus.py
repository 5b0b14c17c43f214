"""export_corpus: a researcher export, triggered by hand with validated parameters.

Airflow checks the parameters against the schema below when the run is triggered; the validate
task then checks them against the registry and the lake. The export folder is named after the
parameters (under $COMMENTSCOPE_EXPORT_DIR, default DATA/exports), so a re-run rewrites the same
folder with the same content.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import Param, dag, task
from airflow.sdk.exceptions import AirflowFailException

from commentscope.orchestrate.constants import (
    DATE_PATTERN,
    EXPORT_FORMATS,
    EXPORT_LABELS,
    EXPORT_LANGUAGES,
    EXPORT_PERIODS,
    EXPORT_PLATFORMS,
)


def _choices(values: tuple[str, ...], description: str, default: list[str] | None = None) -> Param:
    return Param(
        default or [],
        type="array",
        items={"type": "string", "enum": list(values)},
        uniqueItems=True,
        description=description,
    )


@dag(
    dag_id="commentscope_export_corpus",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    tags=["commentscope"],
    doc_md=__doc__,
    params={
        "campaign": Param(type="string", minLength=1, description="Campaign id from campaigns.yaml."),
        "since": Param(None, type=["null", "string"], pattern=DATE_PATTERN, description="First day (YYYY-MM-DD)."),
        "until": Param(None, type=["null", "string"], pattern=DATE_PATTERN, description="Last day (YYYY-MM-DD)."),
        "periods": _choices(EXPORT_PERIODS, "before / after the launch (empty: all)."),
        "languages": _choices(EXPORT_LANGUAGES, "Languages (empty: all)."),
        "labels": _choices(EXPORT_LABELS, "Labels; 'none' selects unlabelled comments (empty: all)."),
        "creators": Param([], type="array", items={"type": "string"}, description="Creator keys (empty: all)."),
        "platforms": _choices(EXPORT_PLATFORMS, "Platforms (empty: all)."),
        "formats": _choices(EXPORT_FORMATS, "File formats.", ["parquet"]),
        "include_text": Param(True, type="boolean", description="False drops the comment text."),
        "seed": Param(0, type="integer", minimum=0, description="Seed of the train/validation/test split."),
        "tagger_version": Param(None, type=["null", "string"], description="Tagger version (default: latest)."),
    },
)
def commentscope_export_corpus():
    @task
    def validate(params: dict | None = None) -> dict:
        from commentscope.orchestrate.exporting import ExportParamsError, validate_export_params
        from commentscope.registry import RegistryError

        try:
            return validate_export_params(dict(params or {}))
        except (ExportParamsError, RegistryError) as exc:
            raise AirflowFailException(f"invalid export parameters: {exc}") from None

    @task
    def export(valid: dict) -> dict:
        from commentscope.export.corpus import ExportError
        from commentscope.orchestrate.exporting import run_export

        try:
            return run_export(valid)
        except ExportError as exc:
            raise AirflowFailException(str(exc)) from None

    export(validate())


DAG_EXPORT_CORPUS = commentscope_export_corpus()
