"""``compare`` on a small hand-computable lake: every figure checked against formulas in this file.

Campaign windows: before 10 days, after 5 days. Treated creators a and b, control creator c.
  a: before 20 comments (4 hate+toxic, religion; 1 counter-speech), after 20 (12 hate+toxic: 3
     race_ethnicity, 9 religion; 5 counter-speech)
  b: before 10 (3 toxic), after 10 (1 toxic)
  c: before 20 (2 hate+toxic), after 20 (3 hate+toxic)
plus one comment outside the windows and one of another campaign, which must not count.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.compare import compare_campaign
from commentscope.lake import Lake
from commentscope.registry import load_registry
from commentscope.schema import EnrichedComment, enriched_to_row

Z = 1.959963984540054
REGISTRY = """
campaigns:
  - id: t
    name: Test campaign
    launch_date: 2024-03-01
    before: {start: 2024-02-20, end: 2024-02-29}
    after: {start: 2024-03-01, end: 2024-03-05}
    creators:
      - {key: a, name: A, country: TH, languages: [th]}
      - {key: b, name: B, country: ID, languages: [id]}
      - {key: c, name: C, country: PH, languages: [tl], control: true}
  - id: other
    name: Other
    launch_date: 2024-03-01
    before: {start: 2024-02-20, end: 2024-02-29}
    after: {start: 2024-03-01, end: 2024-03-05}
    creators:
      - {key: a, name: A, country: TH, languages: [th]}
"""


def _comment(i: int, campaign: str, creator: str, period: str, day: datetime, **flags) -> dict:
    labels = flags.get("labels", [])
    record = EnrichedComment(
        id=f"tiktok:{campaign}-{creator}-{period}-{i}", platform="tiktok", comment_id=f"{campaign}{creator}{i}",
        campaign=campaign, creator=creator, country="TH", video_id="v1", thread_id=f"t{creator}{period}{i}",
        created_at=day + timedelta(hours=i % 20), collected_at=datetime(2024, 3, 10, tzinfo=UTC),
        period=period, text="x", text_normalized="x", source="test", language="th",
        language_confidence=1.0, labels=labels, targets=flags.get("targets", []),
        counter_speech=flags.get("counter_speech", False), tagger_version="hand-1",
        enriched_at=datetime(2024, 3, 10, tzinfo=UTC),
    )  # fmt: skip
    return enriched_to_row(record)


def _block(campaign, creator, period, n, specs) -> list[dict]:
    """n comments; ``specs`` is a list of (count, flags) given to the first comments in order."""
    day = datetime(2024, 2, 22, tzinfo=UTC) if period == "before" else datetime(2024, 3, 2, tzinfo=UTC)
    flags_per_row: list[dict] = []
    for count, flags in specs:
        flags_per_row += [flags] * count
    flags_per_row += [{}] * (n - len(flags_per_row))
    return [_comment(i, campaign, creator, period, day, **f) for i, f in enumerate(flags_per_row)]


HATE_REL = {"labels": ["toxic", "hate"], "targets": ["religion"]}
HATE_RACE = {"labels": ["toxic", "hate"], "targets": ["race_ethnicity"]}
TOXIC = {"labels": ["toxic"]}
COUNTER = {"counter_speech": True}


@pytest.fixture(scope="module")
def lake_and_registry(tmp_path_factory):
    root = tmp_path_factory.mktemp("compare")
    (root / "campaigns.yaml").write_text(REGISTRY)
    rows = (
        _block("t", "a", "before", 20, [(4, HATE_REL), (1, COUNTER)])
        + _block("t", "a", "after", 20, [(3, HATE_RACE), (9, HATE_REL), (5, COUNTER)])
        + _block("t", "b", "before", 10, [(3, TOXIC)])
        + _block("t", "b", "after", 10, [(1, TOXIC)])
        + _block("t", "c", "before", 20, [(2, HATE_REL)])
        + _block("t", "c", "after", 20, [(3, HATE_REL)])
        + _block("other", "a", "after", 5, [(5, HATE_REL)])
    )
    outside = _comment(99, "t", "a", "outside", datetime(2024, 4, 1, tzinfo=UTC), **HATE_REL)
    rows.append(outside)
    lake = Lake(root / "data")
    part = lake.raw_comments_dir / "platform=tiktok" / "collected_date=2024-03-10" / "part-hand.parquet"
    lake.write_enriched(part, "hand-1", rows)
    return lake, load_registry(root / "campaigns.yaml"), root


def hand_wilson(x: int, n: int) -> tuple[float, float]:
    p = x / n
    centre = p + Z * Z / (2 * n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return (centre - half) / (1 + Z * Z / n), (centre + half) / (1 + Z * Z / n)


def test_overall_hate_rates_intervals_and_test(lake_and_registry):
    lake, registry, _ = lake_and_registry
    result = compare_campaign(lake.connect(), registry.campaign("t"), cluster=None)
    assert result.treated == ["a", "b"] and result.controls == ["c"]
    row = result.row("hate", "overall")  # treated pooled: 4/30 before, 12/30 after
    assert (row.x_before, row.n_before, row.x_after, row.n_after) == (4, 30, 12, 30)
    assert (row.before.low, row.before.high) == pytest.approx(hand_wilson(4, 30))
    assert (row.after.low, row.after.high) == pytest.approx(hand_wilson(12, 30))
    assert row.change.estimate == pytest.approx(12 / 30 - 4 / 30)
    pooled = 16 / 60
    z = (12 / 30 - 4 / 30) / math.sqrt(pooled * (1 - pooled) * (2 / 30))
    assert row.test.test == "z"
    assert row.test.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))


def test_did_against_control(lake_and_registry):
    lake, registry, _ = lake_and_registry
    result = compare_campaign(lake.connect(), registry.campaign("t"), cluster=None)
    row = result.row("hate", "a")  # a: 4/20 -> 12/20; control c: 2/20 -> 3/20
    variance = 0.2 * 0.8 / 20 + 0.6 * 0.4 / 20 + 0.1 * 0.9 / 20 + 0.15 * 0.85 / 20
    assert row.did.estimate == pytest.approx(0.35)
    assert row.did.low == pytest.approx(0.35 - Z * math.sqrt(variance))
    assert result.row("hate", "c").did is None  # controls get no DiD against themselves
    overall = result.row("hate", "overall")
    assert overall.did.estimate == pytest.approx((12 / 30 - 4 / 30) - (3 / 20 - 2 / 20))


def test_volume_is_per_day_of_each_window(lake_and_registry):
    lake, registry, _ = lake_and_registry
    result = compare_campaign(lake.connect(), registry.campaign("t"), cluster=None)
    assert (result.before_days, result.after_days) == (10, 5)
    row = result.row("volume", "overall")  # 30 comments in 10 days, 30 in 5 days
    assert row.before.estimate == pytest.approx(3.0) and row.after.estimate == pytest.approx(6.0)
    assert row.change.estimate == pytest.approx(2.0)
    did = result.row("volume", "overall").did  # control: 2/day -> 4/day, same ratio as treated
    assert did.estimate == pytest.approx(1.0)


def test_per_target_toxic_and_counter_speech(lake_and_registry):
    lake, registry, _ = lake_and_registry
    result = compare_campaign(lake.connect(), registry.campaign("t"), cluster=None)
    race = result.row("hate_race_ethnicity", "a")
    assert (race.x_before, race.x_after) == (0, 3)
    assert race.test.test == "fisher"  # expected counts below 5
    toxic = result.row("toxic", "overall")  # a's hate is also toxic: 4+3 before, 12+1 after
    assert (toxic.x_before, toxic.x_after) == (7, 13)
    counter = result.row("counter_speech", "a")
    assert (counter.x_before, counter.x_after) == (1, 5)
    assert result.stale_periods == 0


def test_cli_table_report_and_charts(lake_and_registry, tmp_path):
    lake, _, root = lake_and_registry
    out = tmp_path / "report"
    args = ["compare", "t", "--data", str(lake.root), "--registry", str(root / "campaigns.yaml"), "--out", str(out)]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "overall" in result.output and "Hate" in result.output
    report = (out / "report.md").read_text()
    assert "## Hate" in report and "DiD vs control" in report and "(4/30)" in report
    assert (out / "charts" / "hate.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    figures = json.loads((out / "comparison.json").read_text())
    hate = next(r for r in figures["rows"] if r["metric"] == "hate" and r["group"] == "overall")
    assert hate["x_after"] == 12


def test_cli_unknown_campaign_is_a_clear_error(lake_and_registry):
    lake, _, root = lake_and_registry
    args = ["compare", "tt", "--data", str(lake.root), "--registry", str(root / "campaigns.yaml")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "Did you mean 't'" in result.output
    assert "Traceback" not in result.output


def test_cli_empty_lake_says_what_to_run(lake_and_registry, tmp_path):
    _, _, root = lake_and_registry
    args = ["compare", "t", "--data", str(tmp_path / "empty"), "--registry", str(root / "campaigns.yaml")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1 and "enrich" in result.output
