"""Digest figures against the lake: every number recomputed here with plain Python on the records."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from commentscope.digest import build_digest
from commentscope.digest.week import Week, last_complete_week, week_containing
from commentscope.lake import Lake
from commentscope.schema import TARGETS
from tests.test_digest_support import CAMPAIGN, WEEK, comment, make_registry, synthetic_history, write_comments

SPIKE_DAY = date(2025, 3, 12)


@pytest.fixture(scope="module")
def lake_and_records(tmp_path_factory):
    lake = Lake(tmp_path_factory.mktemp("digest-build") / "data")
    records = synthetic_history("nong", seed=11, spike_day=SPIKE_DAY)
    noise = synthetic_history("ayu", seed=12)  # another creator: must not leak in
    other_campaign = [
        comment(
            "nong",
            datetime(2025, 3, 11, 3, tzinfo=UTC),
            "you kafir",
            labels=("hate", "toxic"),
            targets=("religion",),
            terms=("kafir",),
            campaign="other",
        )
    ]
    write_comments(lake, records[: len(records) // 2], "part-a")
    write_comments(lake, records[len(records) // 2 :] + noise + other_campaign, "part-b")
    return lake, records


def local_day(record, tz="Asia/Bangkok") -> date:
    return record.created_at.astimezone(ZoneInfo(tz)).date()


def in_days(records, first: date, days: int = 7, tz="Asia/Bangkok"):
    return [r for r in records if first <= local_day(r, tz) < first + timedelta(days=days)]


def flagged(record) -> bool:
    return "toxic" in record.labels or "hate" in record.labels


def test_volume_and_rates_match_the_records(lake_and_records):
    lake, records = lake_and_records
    digest = build_digest(lake, make_registry(), CAMPAIGN, "nong", WEEK)
    this, last = in_days(records, WEEK), in_days(records, WEEK - timedelta(days=7))
    before = [r for r in records if r.period == "before"]
    assert len(this) > 50 and len(last) > 20 and len(before) > 100  # the data really exercises the code
    for got, expected in ((digest.this_week, this), (digest.last_week, last), (digest.baseline, before)):
        assert got.comments == len(expected)
        assert got.toxic == sum("toxic" in r.labels for r in expected)
        assert got.hate == sum("hate" in r.labels for r in expected)
        assert got.hate_rate == pytest.approx(got.hate / len(expected))
    assert digest.baseline_weekly_comments == pytest.approx(len(before) / (31 / 7))
    assert digest.locale == "th" and digest.week_end == date(2025, 3, 16)


def test_targets_that_grew(lake_and_records):
    lake, records = lake_and_records
    digest = build_digest(lake, make_registry(), CAMPAIGN, "nong", WEEK)
    this, last = in_days(records, WEEK), in_days(records, WEEK - timedelta(days=7))

    def count(rs, target):
        return sum("hate" in r.labels and target in r.targets for r in rs)

    expected = {
        t
        for t in TARGETS
        if count(this, t) > count(last, t) and count(this, t) / len(this) > count(last, t) / len(last)
    }
    assert expected, "test data should make at least one target grow"
    assert {g.target for g in digest.targets_grew} == expected
    for growth in digest.targets_grew:
        assert (growth.this_week, growth.last_week) == (count(this, growth.target), count(last, growth.target))


def test_daily_counts_and_spike(lake_and_records):
    lake, records = lake_and_records
    digest = build_digest(lake, make_registry(), CAMPAIGN, "nong", WEEK)
    per_day = Counter(local_day(r) for r in records)
    per_day_flagged = Counter(local_day(r) for r in records if flagged(r))
    expected_spikes = []
    for day in digest.days:
        assert (day.comments, day.flagged) == (per_day[day.day], per_day_flagged[day.day])
        history = [per_day_flagged[day.day - timedelta(days=i)] for i in range(1, 29)]
        threshold = statistics.mean(history) + 3 * statistics.pstdev(history)
        assert day.threshold == pytest.approx(threshold)
        if day.flagged >= 5 and day.flagged > threshold:
            expected_spikes.append(day.day)
    assert [d.day for d in digest.spikes] == expected_spikes == [SPIKE_DAY]


def test_highlighted_comments_and_keywords(lake_and_records):
    lake, records = lake_and_records
    digest = build_digest(lake, make_registry(), CAMPAIGN, "nong", WEEK)
    this = in_days(records, WEEK)
    positive = sorted(
        (r for r in this if (r.supportive or r.counter_speech) and not flagged(r)),
        key=lambda r: (-r.like_count, r.created_at, r.id),
    )
    assert [i.id for i in digest.top_positive] == [r.id for r in positive[:3]]
    worst = sorted(
        (r for r in this if flagged(r)),
        key=lambda r: (-r.severity, -("hate" in r.labels), -r.like_count, r.created_at, r.id),
    )
    assert [i.id for i in digest.worst] == [r.id for r in worst[:5]]
    for item in digest.worst:
        assert item.video_link and item.video_link.startswith("https://")
        assert item.masked != item.text  # the flagged term is hidden
    hate_terms = Counter(term for r in this for term in {t for e in r.evidence if e.label == "hate" for t in e.terms})
    assert [(k.term, k.comments) for k in digest.keywords] == sorted(hate_terms.items(), key=lambda kv: (-kv[1], kv[0]))


def test_week_is_local_monday_to_sunday(tmp_path):
    lake = Lake(tmp_path / "data")
    jakarta = [
        comment("ayu", datetime(2025, 3, 9, 16, 59, tzinfo=UTC)),  # Sun 23:59 in Jakarta: previous week
        comment("ayu", datetime(2025, 3, 9, 17, 0, tzinfo=UTC)),  # Mon 00:00 in Jakarta: in
        comment("ayu", datetime(2025, 3, 16, 16, 59, tzinfo=UTC)),  # Sun 23:59: in
        comment("ayu", datetime(2025, 3, 16, 17, 0, tzinfo=UTC)),  # next Monday: out
    ]
    write_comments(lake, jakarta)
    digest = build_digest(lake, make_registry(), CAMPAIGN, "ayu", WEEK)
    assert digest.this_week.comments == 2 and digest.last_week.comments == 1
    assert [d.comments for d in digest.days] == [1, 0, 0, 0, 0, 0, 1]
    assert digest.baseline is None


def test_no_spike_without_a_normal_to_compare_with(tmp_path):
    lake = Lake(tmp_path / "data")
    burst = [
        comment("sam", datetime(2025, 3, 12, 3, i, tzinfo=UTC), "idiot", labels=("insult", "toxic"), terms=("idiot",))
        for i in range(30)
    ]
    write_comments(lake, burst)
    digest = build_digest(lake, make_registry(), CAMPAIGN, "sam", WEEK)
    assert digest.this_week.toxic == 30
    assert digest.spikes == [] and all(d.threshold is None for d in digest.days)


def test_last_complete_week_uses_the_creator_timezone():
    just_after = datetime(2025, 3, 16, 17, 30, tzinfo=UTC)  # Monday 00:30 in Bangkok, Sunday in UTC
    assert last_complete_week("Asia/Bangkok", just_after).start == date(2025, 3, 10)
    assert last_complete_week("UTC", just_after).start == date(2025, 3, 3)
    assert week_containing(date(2025, 3, 16), "UTC").start == WEEK
    with pytest.raises(ValueError, match="Monday"):
        Week(date(2025, 3, 11), "UTC")
    week = Week(WEEK, "Asia/Manila")
    assert week.start_utc == datetime(2025, 3, 9, 16, tzinfo=UTC)
    assert week.end_utc - week.start_utc == timedelta(days=7)
