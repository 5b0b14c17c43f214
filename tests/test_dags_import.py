"""Every DAG in dags/ imports cleanly, parses fast and does no heavy work at import time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.airflow import DAGS_FOLDER, AirflowEnv

pytestmark = pytest.mark.airflow

EXPECTED = {
    "commentscope_collect",
    "commentscope_enrich_and_index",
    "commentscope_weekly_digest",
    "commentscope_export_corpus",
}
# Modules a DAG file must not pull in at parse time: the scheduler parses every file every 30 s.
HEAVY = (
    "duckdb",
    "pyarrow",
    "elasticsearch",
    "spacy",
    "pythainlp",
    "matplotlib",
    "httpx",
    "lingua",
    "commentscope.collectors",
    "commentscope.lake",
    "commentscope.registry",
    "commentscope.nlp",
)
PARSE_BUDGET_SECONDS = 1.0  # per file, after airflow.sdk itself is imported; typical is ~0.01 s

PROBE = r"""
import importlib.util, json, sys, time
sys.path.insert(0, sys.argv[1])
import airflow.sdk  # noqa: F401  (the baseline every DAG file pays)
from airflow.sdk import DAG
baseline = set(sys.modules)
out = {}
for path in sys.argv[2:]:
    start = time.perf_counter()
    spec = importlib.util.spec_from_file_location("probe_" + str(len(out)), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out[path] = {"seconds": time.perf_counter() - start,
                 "dags": sorted(v.dag_id for v in vars(module).values() if isinstance(v, DAG))}
print(json.dumps({"files": out, "added_modules": sorted(set(sys.modules) - baseline)}))
"""


def test_dagbag_has_every_dag_and_no_import_errors(airflow: AirflowEnv) -> None:
    assert airflow.dagbag.import_errors == {}
    assert set(airflow.dagbag.dag_ids) >= EXPECTED
    for dag_id in EXPECTED:
        dag = airflow.dag(dag_id)
        assert dag.tags == ["commentscope"] or "commentscope" in dag.tags
        assert dag.doc_md, f"{dag_id} has no documentation"


def test_list_import_errors_command_is_clean(airflow: AirflowEnv) -> None:
    """The check a deployment runs (`airflow dags list-import-errors` exits 1 on errors)."""
    done = airflow.cli("dags", "list-import-errors", "-l", "-o", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1] or "[]") == []


def test_dag_files_parse_fast_without_heavy_imports(airflow: AirflowEnv) -> None:
    files = sorted(str(p) for p in Path(DAGS_FOLDER).glob("*.py"))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(DAGS_FOLDER), *files],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **airflow.env},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    found = {dag for info in report["files"].values() for dag in info["dags"]}
    assert found == EXPECTED
    timings = {Path(path).name: round(info["seconds"], 3) for path, info in report["files"].items()}
    print(f"DAG file parse times (s, after airflow.sdk): {timings}")
    slow = {name: t for name, t in timings.items() if t > PARSE_BUDGET_SECONDS}
    assert not slow, f"DAG files too slow to parse: {slow}"
    added = report["added_modules"]
    heavy = sorted({m for m in added for h in HEAVY if m == h or m.startswith(h + ".")})
    assert not heavy, f"DAG files import heavy modules at parse time: {heavy}"


def test_dags_are_wired_as_documented(airflow: AirflowEnv) -> None:
    from airflow.sdk import CronDataIntervalTimetable

    from commentscope.orchestrate.constants import DIGEST_CRON, POOLS, RAW_COMMENTS_URI
    from commentscope.platforms import NAMES as PLATFORMS

    collect = airflow.dag("commentscope_collect")
    assert set(POOLS) == set(PLATFORMS)  # one mapped collect task per registered platform
    for platform in POOLS:
        mapped = collect.get_task(f"collect_{platform}")
        assert mapped.pool == POOLS[platform]
        assert mapped.retries == 3 and mapped.retry_exponential_backoff
    report = collect.get_task("report")
    assert [a.uri for a in report.outlets] == [RAW_COMMENTS_URI]
    assert report.trigger_rule == "all_done"
    assert collect.catchup is False and collect.max_active_runs == 1

    enrich = airflow.dag("commentscope_enrich_and_index")
    assert enrich.timetable.asset_condition.uri == RAW_COMMENTS_URI
    assert enrich.timetable.timetable.expression == "30 3 * * *"  # and nightly, for tagger upgrades

    digest = airflow.dag("commentscope_weekly_digest")
    assert isinstance(digest.timetable, CronDataIntervalTimetable)
    assert digest.timetable.expression == DIGEST_CRON

    export = airflow.dag("commentscope_export_corpus")
    assert export.timetable.can_be_scheduled is False  # manual only
    assert {"campaign", "since", "until", "languages", "periods", "labels", "formats"} <= set(export.params)
