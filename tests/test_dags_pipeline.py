"""Real DAG runs (``dag.test()``): collect -> enrich_and_index -> weekly_digest, end to end.

Against the collectors' API sandbox (HTTP on loopback, following the TikTok and YouTube
contracts), the real search engine node and a real SMTP server. The module fixture runs the
pipeline once; the tests check the lake, the asset event, the index and the mailbox, then re-run
intervals (same result) and change the tagger version (new index behind the alias).
"""

from __future__ import annotations

import contextlib
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from commentscope.collectors.sandbox import Corpus, Sandbox
from commentscope.lake import Lake
from commentscope.orchestrate.constants import RAW_COMMENTS_URI
from commentscope.registry import Registry, load_registry
from tests.fixtures.airflow import AirflowEnv
from tests.fixtures.engine import Engine
from tests.fixtures.smtp import SmtpServer, _serve

pytestmark = [pytest.mark.airflow, pytest.mark.engine, pytest.mark.slow, pytest.mark.timeout(360)]

PREFIX = "dagtest"
SALT = "dag-test-salt-not-secret"
TT_MAYA, TT_BUDI = "7311000000000000001", "7311000000000000002"
YT_MAYA, YT_ANA, YT_CONTROL = "ytMayaVideo1", "ytAnaVideo01", "ytCtrlVideo1"
EMAILS = {"th-maya": "maya@creators.test", "id-budi": "budi@creators.test", "ph-ana": "ana@creators.test"}
REGISTRY_YAML = f"""
campaigns:
  - id: cf-dag
    name: Creators Forward (DAG test)
    launch_date: 2024-03-01
    before: {{start: 2024-01-01, end: 2024-02-29}}
    after: {{start: 2024-03-01, end: 2024-04-30}}
    creators:
      - key: th-maya
        name: Maya
        country: TH
        languages: [th]
        timezone: Asia/Bangkok
        digest_email: {EMAILS["th-maya"]}
        handles: {{tiktok: maya_th}}
        videos:
          - {{platform: tiktok, id: '{TT_MAYA}', campaign_video: true, published_at: 2024-03-02}}
          - {{platform: youtube, id: {YT_MAYA}, published_at: 2024-03-03}}
      - key: id-budi
        name: Budi
        country: ID
        languages: [id]
        timezone: Asia/Jakarta
        digest_email: {EMAILS["id-budi"]}
        videos:
          - {{platform: tiktok, id: '{TT_BUDI}', published_at: 2024-03-02}}
      - key: ph-ana
        name: Ana
        country: PH
        languages: [tl, en]
        timezone: Asia/Manila
        digest_email: {EMAILS["ph-ana"]}
        videos:
          - {{platform: youtube, id: {YT_ANA}, campaign_video: true, published_at: 2024-03-02}}
      - key: my-control
        name: Control
        country: MY
        languages: [ms]
        timezone: Asia/Kuala_Lumpur
        control: true
        videos:
          - {{platform: youtube, id: {YT_CONTROL}, published_at: 2024-03-02}}
"""
WORDS = [
    "สวัสดี",
    "ขอบคุณ",
    "น่ารัก",
    "bagus",
    "sekali",
    "mantap",
    "hebat",
    "salamat",
    "po",
    "ang",
    "galing",
    "great",
    "video",
    "love",
    "this",
    "bodoh",
    "goblok",
    "kafir",
]
# Mondays 2024-03-11, 08:00 local: Manila (UTC+8) is due at 00:00 UTC, Bangkok/Jakarta (UTC+7) at 01:00.
DIGEST_RUNS = (datetime(2024, 3, 11, 1, tzinfo=UTC), datetime(2024, 3, 11, 2, tzinfo=UTC))


def corpus_rows(seed: int = 11) -> list[dict]:
    """Comments and replies in the week 2024-03-04..10 (local time in every creator's timezone)."""
    rng = random.Random(seed)
    rows: list[dict] = []
    counter = iter(range(1, 10**6))
    week = datetime(2024, 3, 4, 1, tzinfo=UTC)

    def add(platform: str, video: str, parent: str | None) -> str:
        n = next(counter)
        cid = f"{7420000000000000000 + n}" if platform == "tiktok" else f"UgxDag{n:07d}"
        when = week + timedelta(days=rng.randrange(7), minutes=rng.randrange(14 * 60))
        rows.append(
            {
                "platform": platform,
                "video_id": video,
                "comment_id": cid,
                "parent_comment_id": parent,
                "created_at": when.isoformat(),
                "text": " ".join(rng.choices(WORDS, k=rng.randint(1, 6))),
                "like_count": rng.randint(0, 40),
                "reply_count": 0,
                "author": f"user{rng.randint(1, 90)}",
            }
        )
        return cid

    for platform, video, tops in (
        ("tiktok", TT_MAYA, 140),
        ("tiktok", TT_BUDI, 60),
        ("youtube", YT_MAYA, 110),
        ("youtube", YT_ANA, 45),
        ("youtube", YT_CONTROL, 20),
    ):
        for i in range(tops):
            cid = add(platform, video, None)
            replies = 7 if platform == "youtube" and i % 30 == 0 else rng.choice((0, 0, 1, 2))
            for _ in range(replies):
                add(platform, video, cid)
    return rows


def renamed_analyzer() -> Any:
    """The default analyzer under a new version string: a tagger upgrade, for the rebuild test."""
    from commentscope.nlp import default_analyzer

    class Renamed:
        def __init__(self) -> None:
            self.inner = default_analyzer()
            self.version = f"{self.inner.version}-next"

        def analyse_batch(self, texts, hints):  # noqa: ANN001 - the Analyzer protocol
            return self.inner.analyse_batch(texts, hints)

    return Renamed()


@dataclass
class Pipeline:
    airflow: AirflowEnv
    engine: Engine
    smtp: SmtpServer
    registry: Registry
    lake: Lake
    rows: list[dict]
    sandbox: Sandbox
    runs: dict[str, Any]
    monkeypatch: pytest.MonkeyPatch

    def run(self, dag_id: str, **kwargs: Any) -> Any:
        started = time.perf_counter()
        dagrun = self.airflow.dag(dag_id).test(**kwargs)
        print(f"dag.test {dag_id}: {time.perf_counter() - started:.1f}s, {dagrun.state}")
        return dagrun


def queued_consumers() -> set[str]:
    """DAGs the scheduler would start because of asset events (the queue it reads)."""
    from airflow.models.asset import AssetDagRunQueue
    from airflow.utils.session import create_session

    with create_session() as session:
        return {q.target_dag_id for q in session.query(AssetDagRunQueue).all()}


def states(dagrun: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for ti in dagrun.get_task_instances():
        out.setdefault(ti.task_id, []).append(str(ti.state))
    return out


@pytest.fixture(scope="module")
def pipeline(airflow: AirflowEnv, engine_node: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    root = tmp_path_factory.mktemp("dag-pipeline")
    registry_path = root / "campaigns.yaml"
    registry_path.write_text(REGISTRY_YAML, encoding="utf-8")
    registry = load_registry(registry_path)
    rows = corpus_rows()
    corpus = Corpus.from_rows(rows, registry)
    serve = contextlib.contextmanager(_serve)
    with serve("plain", root) as smtp, pytest.MonkeyPatch.context() as mp, Sandbox(corpus) as sandbox:
        env = {
            "COMMENTSCOPE_DATA": str(root / "data"),
            "COMMENTSCOPE_REGISTRY": str(registry_path),
            "COMMENTSCOPE_AUTHOR_SALT": SALT,
            "COMMENTSCOPE_ES_URL": engine_node.url,
            "COMMENTSCOPE_INDEX_PREFIX": PREFIX,
            **sandbox.env(),
            "TIKTOK_REQUESTS_PER_SECOND": "0",
            "YOUTUBE_REQUESTS_PER_SECOND": "0",  # no pacing on loopback
            **smtp.env(),
        }
        for name, value in env.items():
            mp.setenv(name, value)
        mp.delenv("COMMENTSCOPE_ANALYZER", raising=False)
        p = Pipeline(airflow, engine_node, smtp, registry, Lake(root / "data"), rows, sandbox, {}, mp)
        p.runs["collect"] = p.run("commentscope_collect")
        p.runs["queued"] = queued_consumers()
        p.runs["enrich"] = p.run("commentscope_enrich_and_index")
        p.runs["digests"] = [p.run("commentscope_weekly_digest", logical_date=when) for when in DIGEST_RUNS]
        yield p


def test_collect_lands_every_sandbox_comment_and_emits_the_asset(pipeline: Pipeline) -> None:
    run = pipeline.runs["collect"]
    assert str(run.state) == "success", states(run)
    task_states = states(run)
    assert task_states["collect_tiktok"] == ["success"] * 2
    assert task_states["collect_youtube"] == ["success"] * 3
    assert task_states["report"] == ["success"]
    con = pipeline.lake.connect()
    assert con.execute("SELECT count(*) FROM raw_comments").fetchone()[0] == len(pipeline.rows)
    per_video = dict(con.execute("SELECT video_id, count(*) FROM raw_comments GROUP BY video_id").fetchall())
    expected: dict[str, int] = {}
    for row in pipeline.rows:
        expected[row["video_id"]] = expected.get(row["video_id"], 0) + 1
    assert per_video == expected

    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    with create_session() as session:
        events = (
            session.query(AssetEvent)
            .join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .filter(AssetModel.uri == RAW_COMMENTS_URI, AssetEvent.source_run_id == run.run_id)
            .all()
        )
        assert len(events) == 1
        assert events[0].extra.get("new_parts", 0) >= 1
    # the scheduler would start enrich_and_index from this queue entry (dag.test has no scheduler)
    assert pipeline.runs["queued"] == {"commentscope_enrich_and_index"}


def test_enrich_and_index_puts_the_whole_lake_behind_the_alias(pipeline: Pipeline) -> None:
    run = pipeline.runs["enrich"]
    assert str(run.state) == "success", states(run)
    con = pipeline.lake.connect()
    enriched = con.execute("SELECT count(*) FROM comments").fetchone()[0]
    assert enriched == len(pipeline.rows)
    es = pipeline.engine.client()
    try:
        targets = list(es.indices.get_alias(name=PREFIX).body)
        assert len(targets) == 1
        assert es.count(index=PREFIX)["count"] == enriched
        sample = con.execute("SELECT id FROM comments ORDER BY id LIMIT 1").fetchone()[0]
        assert es.get(index=PREFIX, id=sample)["_source"]["id"] == sample
    finally:
        es.close()


def test_weekly_digest_sends_one_message_per_creator_with_an_email(pipeline: Pipeline) -> None:
    for run in pipeline.runs["digests"]:
        assert str(run.state) == "success", states(run)
    manila, bangkok_jakarta = (states(run).get("send_digest", []) for run in pipeline.runs["digests"])
    assert manila == ["success"] and bangkok_jakarta == ["success", "success"]
    recipients = sorted(r for message in pipeline.smtp.messages for r in message.rcpt_tos)
    assert recipients == sorted(EMAILS.values())
    by_creator = {email: key for key, email in EMAILS.items()}
    con = pipeline.lake.connect()
    for received in pipeline.smtp.messages:
        creator = by_creator[received.rcpt_tos[0]]
        assert received.message["X-Commentscope-Digest"] == f"cf-dag/{creator}/2024-03-04"
        assert received.message["Subject"]
        archive = pipeline.lake.root / "digests" / "campaign=cf-dag" / f"creator={creator}" / "week=2024-03-04"
        archived = json.loads((archive / "digest.json").read_text(encoding="utf-8"))
        in_lake = con.execute("SELECT count(*) FROM comments WHERE creator = ?", [creator]).fetchone()[0]
        assert archived["this_week"]["comments"] == in_lake > 0  # the whole corpus lies in that week


def test_rerunning_any_interval_gives_the_same_result(pipeline: Pipeline) -> None:
    from airflow.models.asset import AssetEvent
    from airflow.utils.session import create_session

    with create_session() as session:
        events_before = session.query(AssetEvent).count()
    lake_before = [p.name for p in pipeline.lake.raw_parts()]
    collect = pipeline.run("commentscope_collect")
    assert str(collect.state) == "success", states(collect)
    assert states(collect)["report"] == ["skipped"]  # nothing new: no asset event, no enrich run
    assert [p.name for p in pipeline.lake.raw_parts()] == lake_before
    with create_session() as session:
        assert session.query(AssetEvent).count() == events_before

    enrich = pipeline.run("commentscope_enrich_and_index")
    assert str(enrich.state) == "success", states(enrich)
    es = pipeline.engine.client()
    try:
        assert es.count(index=PREFIX)["count"] == len(pipeline.rows)
    finally:
        es.close()

    sent = len(pipeline.smtp.messages)
    again = pipeline.run("commentscope_weekly_digest", logical_date=DIGEST_RUNS[1])
    assert str(again.state) == "success", states(again)
    assert len(pipeline.smtp.messages) == sent  # the ledger: each creator's week is sent once


def test_tagger_version_change_rebuilds_into_a_new_index_and_switches_the_alias(pipeline: Pipeline) -> None:
    es = pipeline.engine.client()
    try:
        (old_index,) = es.indices.get_alias(name=PREFIX).body
        pipeline.monkeypatch.setenv("COMMENTSCOPE_ANALYZER", f"{__name__}:renamed_analyzer")
        run = pipeline.run("commentscope_enrich_and_index")
        assert str(run.state) == "success", states(run)
        (new_index,) = es.indices.get_alias(name=PREFIX).body
        assert new_index != old_index and new_index.endswith("next")
        assert es.count(index=new_index)["count"] == len(pipeline.rows)
        versions = pipeline.lake.enriched_versions()
        assert len(versions) == 2
        new_version = next(v for v in versions if v.endswith("-next"))
        assert len(pipeline.lake.enriched_parts(new_version)) == len(pipeline.lake.raw_parts())
    finally:
        pipeline.monkeypatch.delenv("COMMENTSCOPE_ANALYZER", raising=False)
        es.close()


def test_export_corpus_runs_with_validated_params_and_reruns_to_the_same_bytes(pipeline: Pipeline) -> None:
    conf = {"campaign": "cf-dag", "languages": [], "periods": ["after"], "formats": ["jsonl"], "seed": 1}
    first = pipeline.run("commentscope_export_corpus", run_conf=conf)
    assert str(first.state) == "success", states(first)
    exports = sorted((pipeline.lake.root / "exports" / "cf-dag").iterdir())
    assert len(exports) == 1
    manifest = json.loads((exports[0] / "manifest.json").read_text(encoding="utf-8"))
    in_lake = pipeline.lake.connect().execute("SELECT count(*) FROM comments WHERE period = 'after'").fetchone()[0]
    assert manifest["counts"]["total"] == in_lake
    data_before = {p.name: p.read_bytes() for p in (exports[0] / "data").iterdir()}
    again = pipeline.run("commentscope_export_corpus", run_conf=conf)
    assert str(again.state) == "success", states(again)
    assert sorted((pipeline.lake.root / "exports" / "cf-dag").iterdir()) == exports
    assert {p.name: p.read_bytes() for p in (exports[0] / "data").iterdir()} == data_before


def test_export_corpus_refuses_bad_params_without_writing(pipeline: Pipeline) -> None:
    before = sorted((pipeline.lake.root / "exports").rglob("*")) if (pipeline.lake.root / "exports").exists() else []
    bad = pipeline.run("commentscope_export_corpus", run_conf={"campaign": "cf-dga"})
    assert str(bad.state) == "failed"
    assert states(bad) == {"validate": ["failed"], "export": ["upstream_failed"]}
    after = sorted((pipeline.lake.root / "exports").rglob("*")) if (pipeline.lake.root / "exports").exists() else []
    assert after == before
