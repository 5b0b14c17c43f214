"""The review workflow on a real lake, through the CLI: sample -> review -> import -> agreement -> corrected compare.

The campaign is simulated with known true labels: the tagger finds half the hate before the launch
and 80 % after, so raw figures understate the fall in hate for the treated creators.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.compare.lake_data import STRATUM_SQL
from commentscope.export.selection import primary_label
from commentscope.lake import Lake
from commentscope.schema import EnrichedComment, enriched_to_row

REGISTRY = """
campaigns:
  - id: t
    name: Test campaign
    launch_date: 2024-03-01
    before: {start: 2024-02-16, end: 2024-02-29}
    after: {start: 2024-03-01, end: 2024-03-14}
    creators:
      - {key: a, name: A, country: TH, languages: [th]}
      - {key: b, name: B, country: TH, languages: [th]}
      - {key: c, name: C, country: TH, languages: [th], control: true}
"""
TRUE = {
    ("treated", "before"): 0.16, ("treated", "after"): 0.08, ("control", "before"): 0.16, ("control", "after"): 0.16
}  # fmt: skip
WINDOWS = (("before", datetime(2024, 2, 16, tzinfo=UTC)), ("after", datetime(2024, 3, 1, tzinfo=UTC)))
RECALL = {"before": 0.5, "after": 0.8}
ENV = {"COMMENTSCOPE_AUTHOR_SALT": "review-workflow-test-salt", "COLUMNS": "220"}


@pytest.fixture(scope="module")
def campaign(tmp_path_factory):
    root = tmp_path_factory.mktemp("review")
    (root / "campaigns.yaml").write_text(REGISTRY)
    rng = np.random.default_rng(4)
    rows, truth, where = [], {}, {}
    for creator in ("a", "b", "c"):
        arm = "control" if creator == "c" else "treated"
        for video in range(6):
            for period, start in WINDOWS:
                p = rng.beta(20 * TRUE[(arm, period)], 20 * (1 - TRUE[(arm, period)]))
                for i in range(int(rng.integers(40, 70))):
                    hate = bool(rng.random() < p)
                    machine = rng.random() < (RECALL[period] if hate else 0.03)
                    cid = f"{creator}{video}{period[0]}{i}"
                    truth[f"tiktok:{cid}"] = hate
                    where[f"tiktok:{cid}"] = (arm, period)
                    record = EnrichedComment(
                        id=f"tiktok:{cid}", platform="tiktok", comment_id=cid, campaign="t", creator=creator,
                        country="TH", video_id=f"v{creator}{video}", thread_id=f"t{cid}",
                        created_at=start + timedelta(hours=int(rng.integers(0, 24 * 14))),
                        collected_at=datetime(2024, 3, 20, tzinfo=UTC), period=period, text="x", text_normalized="x",
                        source="test", language="th", language_confidence=1.0,
                        labels=["toxic", "hate"] if machine else [], targets=["religion"] if machine else [],
                        tagger_version="sim-1", enriched_at=datetime(2024, 3, 20, tzinfo=UTC),
                    )  # fmt: skip
                    rows.append(enriched_to_row(record))
    lake = Lake(root / "data")
    lake.write_enriched(lake.raw_comments_dir / "platform=tiktok" / "collected_date=2024-03-20" / "part-sim.parquet",
                        "sim-1", rows)  # fmt: skip
    return root, lake, truth, where


def run(root, *args):
    base = ["--data", str(root / "data")]
    registry = ["--registry", str(root / "campaigns.yaml")]
    command = list(args)
    command += base + (registry if args[0] == "compare" or args[:2] == ("export", "annotation") else [])
    return CliRunner().invoke(app, command, env=ENV)


def second_rows_first_id(path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.DictReader(handle))["id"]


def review(path, truth, annotator, flip: set[str] = frozenset()):
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        hate = truth[row["id"]] != (row["id"] in flip)
        row["human_labels"] = "toxic|hate" if hate else "none"
        row["annotator"] = annotator
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def test_sample_review_agreement_and_corrected_compare(campaign, tmp_path):
    root, lake, truth, where = campaign
    refused = run(root, "compare", "t", "--corrected", "--out", str(tmp_path / "r0"))
    assert refused.exit_code == 1
    assert "too few reviewed comments" in refused.output and "0 of 10 reviewed" in refused.output
    assert "commentscope export annotation --campaign t --period before --language th --label hate" in refused.output

    out = tmp_path / "review.csv"
    drawn = run(root, "export", "annotation", "--campaign", "t", "--sample", "500", "--overlap", "40", "--seed", "3",
                "--out", str(out))  # fmt: skip
    assert drawn.exit_code == 0, drawn.output
    second = tmp_path / "review.second.csv"
    assert second.exists()
    (part,) = (lake.root / "labels" / "samples").glob("sample-*.parquet")
    sample = pq.read_table(part).to_pylist()
    design = json.loads(part.with_suffix(".json").read_text())
    assert len(sample) == 500 and sum(r["overlap"] for r in sample) == 40
    for row in sample:  # inclusion probability = n_h / N_h of the row's stratum
        stratum = design["strata"][row["stratum"]]
        assert row["inclusion_probability"] == pytest.approx(stratum["sample"] / stratum["population"])
    assert {s.split("|")[2] for s in design["strata"]} == {"hate", "none"}
    rare = design["strata"]["before|th|hate"]
    assert (
        rare["sample"] / rare["population"]
        > design["strata"]["before|th|none"]["sample"] / design["strata"]["before|th|none"]["population"]
    )  # square-root allocation over-samples the rare machine label

    review(out, truth, "Reviewer One")
    second_rows = review(second, truth, "Reviewer Two", flip={second_rows_first_id(second)})
    assert len(second_rows) == 40
    for path in (out, second):
        imported = run(root, "export", "import-labels", str(path))
        assert imported.exit_code == 0, imported.output
    agreement = run(root, "export", "agreement")
    assert agreement.exit_code == 0, agreement.output
    assert "40 comments" in agreement.output and "hate" in agreement.output

    report_dir = tmp_path / "report"
    result = run(root, "compare", "t", "--corrected", "--metric", "hate", "--out", str(report_dir))
    assert result.exit_code == 0, result.output
    assert "raw vs corrected" in result.output and "recall" in result.output
    figures = json.loads((report_dir / "comparison.json").read_text())
    overall = next(r for r in figures["corrected"]["rows"] if r["metric"] == "hate" and r["group"] == "overall")
    true_share = {p: np.mean([truth[i] for i in truth if where[i] == ("treated", p)]) for p in ("before", "after")}
    change = overall["change"]
    assert change["low"] <= true_share["after"] - true_share["before"] <= change["high"]
    raw_change = overall["raw_change"]["estimate"]
    assert abs(change["estimate"] - (true_share["after"] - true_share["before"])) < abs(
        raw_change - (true_share["after"] - true_share["before"])
    )  # the correction moves the figure towards the truth
    quality = {q["period"]: q for q in figures["corrected"]["quality"]["hate"]}
    assert quality["before"]["recall"] < quality["after"]["recall"]
    report = (report_dir / "report.md").read_text()
    assert "## Corrected for tagger error" in report and "In plain words" in report
    assert "## Week by week around the launch" in report
    assert (report_dir / "charts" / "event-hate.png").read_bytes()[:4] == b"\x89PNG"


def test_clustered_is_the_default_and_independent_is_narrower(campaign, tmp_path):
    root, _, _, _ = campaign
    figures = {}
    for flag in ([], ["--independent"]):
        out = tmp_path / ("ind" if flag else "clu")
        result = run(root, "compare", "t", "--metric", "hate", "--out", str(out), *flag)
        assert result.exit_code == 0, result.output
        data = json.loads((out / "comparison.json").read_text())
        figures[bool(flag)] = next(r for r in data["rows"] if r["group"] == "overall")
    clustered, independent = figures[False], figures[True]
    assert clustered["test"]["test"].startswith("cluster-t")
    width = lambda r: r["change"]["high"] - r["change"]["low"]  # noqa: E731
    assert width(clustered) > width(independent)


def test_stratum_sql_matches_primary_label(campaign):
    _, lake, _, _ = campaign
    con = lake.connect()
    rows = con.execute(f"SELECT labels, counter_speech, supportive, {STRATUM_SQL} FROM comments").fetchall()
    cases = [(["toxic", "insult"], False, False), (["toxic"], True, False), ([], False, True), ([], True, True)]
    for labels, counter, supportive in cases:
        sql = con.execute(
            f"SELECT {STRATUM_SQL} FROM (SELECT ?::VARCHAR[] AS labels, ? AS counter_speech, ? AS supportive)",
            [labels, counter, supportive],
        ).fetchone()[0]
        assert sql == primary_label({"labels": labels, "counter_speech": counter, "supportive": supportive})
    for labels, counter, supportive, stratum in rows:
        assert stratum == primary_label({"labels": labels, "counter_speech": counter, "supportive": supportive})
