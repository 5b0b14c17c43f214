"""Build one creator's weekly digest from the enriched lake (the ``comments`` view).

Counts and rates go through ``commentscope.metrics`` so a hate rate here is the same number as in
Kibana, the comparison and the demo summary.
"""

from __future__ import annotations

import statistics
from datetime import timedelta

import duckdb

from commentscope.digest.model import CommentItem, DayCount, Digest, Keyword, Rates, SpikeRule, TargetGrowth
from commentscope.digest.sanitize import clean_text, mask_text, safe_link
from commentscope.digest.week import Week, local_midnight_utc
from commentscope.lake import Lake
from commentscope.metrics import FLAG_SQL, group_counts
from commentscope.registry import Campaign, Registry, Video
from commentscope.schema import TARGETS

FLAGGED_SQL = f"({FLAG_SQL['toxic']} OR {FLAG_SQL['hate']})"
POSITIVE_SQL = f"(({FLAG_SQL['counter_speech']} OR {FLAG_SQL['supportive']}) AND NOT {FLAGGED_SQL})"
OWNER_SQL = "campaign = ? AND creator = ?"
TOP_POSITIVE = 3
TOP_WORST = 5
TOP_KEYWORDS = 10


def _connection(con_or_lake: Lake | duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    return con_or_lake.connect() if isinstance(con_or_lake, Lake) else con_or_lake


def _rates(con: duckdb.DuckDBPyConnection, where: str, params: list) -> Rates:
    groups = group_counts(con, [], where, params, flags=["toxic", "hate"])
    if not groups:
        return Rates(0, 0, 0)
    return Rates(groups[0].n, groups[0].counts["toxic"], groups[0].counts["hate"])


def _span(owner: list, week: Week) -> tuple[str, list]:
    return f"{OWNER_SQL} AND created_at >= ? AND created_at < ?", [*owner, week.start_utc, week.end_utc]


def _targets_grew(con: duckdb.DuckDBPyConnection, owner: list, week: Week) -> list[TargetGrowth]:
    flags = [f"hate_{t}" for t in TARGETS]
    spans = []
    for span in (week, week.previous()):
        where, params = _span(owner, span)
        groups = group_counts(con, [], where, params, flags=flags)
        spans.append(groups[0] if groups else None)
    this, last = spans
    if this is None:
        return []
    grew = []
    for target in TARGETS:
        now_count = this.counts[f"hate_{target}"]
        before_count = last.counts[f"hate_{target}"] if last else 0
        now_rate = this.rate(f"hate_{target}")
        before_rate = last.rate(f"hate_{target}") if last else 0.0
        if now_count > before_count and now_rate > before_rate:
            grew.append(TargetGrowth(target, now_count, before_count, now_rate, before_rate))
    return sorted(grew, key=lambda g: (-(g.this_week - g.last_week), g.target))


def daily_counts(con: duckdb.DuckDBPyConnection, owner: list, week: Week, rule: SpikeRule) -> list[DayCount]:
    """Comments and flagged comments per local day, and the spike test for each day of the week.

    A day is a spike when its flagged count is at least ``rule.min_count`` and above
    mean + ``rule.sigmas``·sd (population) of the ``rule.window_days`` days before it, counting
    empty days as zero; with fewer than ``rule.min_active_days`` days with comments in that
    window there is no normal to compare with, so no spike is called.
    """
    first = week.start - timedelta(days=rule.window_days)
    rows = con.execute(
        f"SELECT CAST(timezone(?, created_at) AS DATE) AS day, count(*), count(*) FILTER (WHERE {FLAGGED_SQL}) "
        f"FROM comments WHERE {OWNER_SQL} AND created_at >= ? AND created_at < ? GROUP BY day",
        [week.timezone, *owner, local_midnight_utc(first, week.timezone), week.end_utc],
    ).fetchall()
    per_day = {day: (total, flagged) for day, total, flagged in rows}
    out = []
    for day in week.days:
        history = [per_day.get(day - timedelta(days=i), (0, 0)) for i in range(1, rule.window_days + 1)]
        total, flagged = per_day.get(day, (0, 0))
        threshold = None
        if sum(1 for t, _ in history if t) >= rule.min_active_days:
            counts = [f for _, f in history]
            threshold = statistics.fmean(counts) + rule.sigmas * statistics.pstdev(counts)
        spike = threshold is not None and flagged >= rule.min_count and flagged > threshold
        out.append(DayCount(day, total, flagged, threshold, spike))
    return out


def _video_link(registry: Registry, platform: str, video_id: str, url: str | None) -> str | None:
    found = registry.find_video(platform, video_id)
    fallback = found[2].link if found else Video(platform=platform, id=video_id).link
    return safe_link(url, fallback)


def _comments(
    con: duckdb.DuckDBPyConnection, registry: Registry, where: str, params: list, order: str, limit: int
) -> list[CommentItem]:
    rows = con.execute(
        "SELECT id, platform, video_id, video_url, text, like_count, created_at, labels, targets, severity, "
        f"evidence_terms, counter_speech, supportive FROM comments WHERE {where} ORDER BY {order} LIMIT {limit}",
        params,
    ).fetchall()
    items = []
    for (
        cid,
        platform,
        video_id,
        url,
        text,
        likes,
        created,
        labels,
        targets,
        severity,
        terms,
        counter,
        supportive,
    ) in rows:
        clean = clean_text(text)
        kind = "flagged" if labels else ("counter_speech" if counter else ("supportive" if supportive else "other"))
        items.append(
            CommentItem(
                id=cid,
                platform=platform,
                kind=kind,
                text=clean,
                masked=mask_text(clean, list(terms or [])),
                like_count=int(likes or 0),
                created_at=created,
                video_link=_video_link(registry, platform, video_id, url),
                labels=tuple(labels or ()),
                targets=tuple(targets or ()),
                severity=int(severity or 0),
            )
        )
    return items


def _keywords(con: duckdb.DuckDBPyConnection, where: str, params: list) -> list[Keyword]:
    """The terms behind this week's hate labels, by how many comments they appear in."""
    rows = con.execute(
        "SELECT lower(term) AS t, count(DISTINCT id) AS n FROM (SELECT id, unnest(e.terms) AS term FROM "
        f"(SELECT id, unnest(evidence) AS e FROM comments WHERE {where}) WHERE e.label = 'hate') "
        f"WHERE trim(term) <> '' GROUP BY t ORDER BY n DESC, t LIMIT {TOP_KEYWORDS}",
        params,
    ).fetchall()
    return [Keyword(term, n) for term, n in rows]


def _baseline_weeks(campaign: Campaign) -> float:
    return ((campaign.before.end - campaign.before.start).days + 1) / 7


def build_digest(
    con_or_lake: Lake | duckdb.DuckDBPyConnection,
    registry: Registry,
    campaign_id: str,
    creator_key: str,
    week_start,
    rule: SpikeRule | None = None,
) -> Digest:
    """Every figure of one creator's digest for the local week starting ``week_start`` (a Monday)."""
    rule = rule or SpikeRule()
    campaign = registry.campaign(campaign_id)
    creator = campaign.creator(creator_key)
    week = Week(week_start, creator.timezone)
    con = _connection(con_or_lake)
    owner = [campaign.id, creator.key]
    where, params = _span(owner, week)
    baseline = _rates(con, f"{OWNER_SQL} AND period = 'before'", owner)
    return Digest(
        campaign_id=campaign.id,
        campaign_name=campaign.name,
        creator_key=creator.key,
        creator_name=creator.name,
        locale=creator.locale,
        timezone=creator.timezone,
        week_start=week.start,
        week_end=week.end,
        this_week=_rates(con, where, params),
        last_week=_rates(con, *_span(owner, week.previous())),
        baseline=baseline if baseline.comments else None,
        baseline_weeks=_baseline_weeks(campaign),
        targets_grew=_targets_grew(con, owner, week),
        days=daily_counts(con, owner, week, rule),
        top_positive=_comments(
            con, registry, f"{where} AND {POSITIVE_SQL}", params, "like_count DESC, created_at, id", TOP_POSITIVE
        ),
        worst=_comments(
            con,
            registry,
            f"{where} AND {FLAGGED_SQL}",
            params,
            f"severity DESC, {FLAG_SQL['hate']} DESC, like_count DESC, created_at, id",
            TOP_WORST,
        ),
        keywords=_keywords(con, where, params),
        spike_rule=rule,
    )
