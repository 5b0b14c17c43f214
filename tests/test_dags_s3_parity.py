"""The same DAG runs (``dag.test()``) with the lake on S3Proxy and on local disk give the same result.

Issue 19's "done when": collect (from the API sandbox) -> enrich_and_index (mapped enrichment with
claims) -> the search engine, once with ``COMMENTSCOPE_DATA`` a local folder and once with it an
``s3://`` prefix of a real S3 API server (S3Proxy on loopback, endpoint and credentials from the
environment). Both runs use the same corpus, salt and tagger; the enriched lakes and the indexed
documents must match row for row, except the fields that record when something happened.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from commentscope.collectors.sandbox import Corpus, Sandbox
from commentscope.lake import Lake
from commentscope.registry import load_registry
from tests.fixtures.airflow import AirflowEnv
from tests.fixtures.engine import Engine
from tests.fixtures.s3 import S3Server
from tests.test_dags_pipeline import REGISTRY_YAML, SALT, corpus_rows, states

pytestmark = [pytest.mark.airflow, pytest.mark.engine, pytest.mark.slow, pytest.mark.timeout(600)]

# When a record was collected, enriched or indexed: wall-clock times that differ between two runs.
WHEN_FIELDS = frozenset({"collected_at", "enriched_at", "indexed_at"})


@dataclass
class Run:
    """One backend's pipeline run and what it left: enriched rows and indexed documents, by id."""

    backend: str
    data: str
    dagruns: dict[str, Any]
    rows: dict[str, dict]
    docs: dict[str, dict]
    versions: list[str]
    current: str | None
    parts: int


def _without_times(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in WHEN_FIELDS}


def _documents(engine: Engine, alias: str) -> dict[str, dict]:
    es = engine.client()
    try:
        if not es.indices.exists_alias(name=alias):
            return {}  # the run failed before indexing: the state test says why
        es.indices.refresh(index=alias)
        hits = es.search(index=alias, query={"match_all": {}}, size=10_000)["hits"]["hits"]
        return {hit["_id"]: _without_times(hit["_source"]) for hit in hits}
    finally:
        es.close()


def _run_pipeline(
    backend: str, data: str, root: Path, airflow: AirflowEnv, engine: Engine, extra_env: dict[str, str]
) -> Run:
    registry_path = root / "campaigns.yaml"
    registry_path.write_text(REGISTRY_YAML, encoding="utf-8")
    corpus = Corpus.from_rows(corpus_rows(), load_registry(registry_path))
    prefix = f"s3parity-{backend}"
    with pytest.MonkeyPatch.context() as mp, Sandbox(corpus) as sandbox:
        env = {
            "COMMENTSCOPE_DATA": data,
            "COMMENTSCOPE_REGISTRY": str(registry_path),
            "COMMENTSCOPE_AUTHOR_SALT": SALT,
            "COMMENTSCOPE_ES_URL": engine.url,
            "COMMENTSCOPE_INDEX_PREFIX": prefix,
            "COMMENTSCOPE_ENRICH_BATCH_PARTS": "1",  # one task per part
            "TIKTOK_REQUESTS_PER_SECOND": "0",
            "YOUTUBE_REQUESTS_PER_SECOND": "0",
            **sandbox.env(),
            **extra_env,
        }
        for name, value in env.items():
            mp.setenv(name, value)
        mp.delenv("COMMENTSCOPE_ANALYZER", raising=False)
        dagruns = {
            dag_id: airflow.dag(dag_id).test() for dag_id in ("commentscope_collect", "commentscope_enrich_and_index")
        }
        lake = Lake(data)
        with contextlib.closing(lake.connect()) as con:
            table = con.sql("SELECT * FROM comments").to_arrow_table()
        rows = {row["id"]: _without_times(row) for row in table.to_pylist()}
        current = lake.current_version()
        return Run(
            backend,
            data,
            dagruns,
            rows,
            _documents(engine, prefix),
            lake.enriched_versions(),
            current,
            len(lake.enriched_parts(current or "")),
        )


@pytest.fixture(scope="module")
def runs(
    airflow: AirflowEnv, engine_node: Engine, s3_server: S3Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Run]]:
    local_root = tmp_path_factory.mktemp("parity-local")
    s3_root = tmp_path_factory.mktemp("parity-s3")
    local = _run_pipeline("local", str(local_root / "data"), local_root, airflow, engine_node, {})
    remote = _run_pipeline(
        "s3",
        s3_server.fresh_uri("dag-parity"),
        s3_root,
        airflow,
        engine_node,
        {
            **s3_server.env,
            "COMMENTSCOPE_LOCAL_DATA": str(s3_root / "local"),
            "COMMENTSCOPE_SPOOL": str(s3_root / "spool"),
        },
    )
    yield {"local": local, "s3": remote}


@pytest.mark.parametrize("backend", ["local", "s3"])
def test_both_runs_succeed_and_enrich_every_sandbox_comment(runs: dict[str, Run], backend: str) -> None:
    run = runs[backend]
    for dagrun in run.dagruns.values():
        assert str(dagrun.state) == "success", (backend, states(dagrun))
    assert len(states(run.dagruns["commentscope_enrich_and_index"])["enrich"]) == run.parts > 1  # mapped, 1 part each
    assert len(run.rows) == len(corpus_rows())
    assert run.versions == [run.current]


def test_the_s3_lake_holds_the_same_enriched_rows_as_the_local_lake(runs: dict[str, Run]) -> None:
    local, remote = runs["local"], runs["s3"]
    assert remote.current == local.current
    assert remote.parts == local.parts
    assert sorted(remote.rows) == sorted(local.rows)
    assert {r["tagger_version"] for r in remote.rows.values()} == {local.current}
    labels = {i: (r["labels"], r["targets"], r["language"], r["severity"]) for i, r in local.rows.items()}
    assert {i: (r["labels"], r["targets"], r["language"], r["severity"]) for i, r in remote.rows.items()} == labels
    different = [i for i in local.rows if local.rows[i] != remote.rows[i]]
    assert different == []  # every field but the collection and enrichment times


def test_the_s3_run_indexes_the_same_documents_as_the_local_run(runs: dict[str, Run]) -> None:
    local, remote = runs["local"], runs["s3"]
    assert len(local.docs) == len(local.rows)
    assert sorted(remote.docs) == sorted(local.docs)
    different = [i for i in local.docs if local.docs[i] != remote.docs[i]]
    assert different == []
