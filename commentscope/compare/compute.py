"""Before/after figures for one campaign, per creator and overall, from the enriched lake.

Counts come from ``commentscope.metrics.group_counts`` (the shared ``FLAG_SQL`` definitions), so a
"hate rate" here is the same number as in the digest and the dashboards. "Overall" pools the
treated creators (every creator not marked ``control: true``); the control creators are pooled
into one comparison group, and difference-in-differences is computed for each treated group
against it.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import timedelta

import duckdb
import numpy as np

from commentscope.compare import cluster as clustered
from commentscope.compare import lake_data, regression, stats
from commentscope.duck import one_row
from commentscope.errors import CompareStageError
from commentscope.metrics import FLAG_SQL, group_counts
from commentscope.registry import Campaign, Window
from commentscope.schema import TARGETS

VOLUME = "volume"
DEFAULT_METRICS: tuple[str, ...] = (
    VOLUME,
    "toxic",
    "hate",
    *(f"hate_{t}" for t in TARGETS),
    "counter_speech",
    "supportive",
)
OVERALL = "overall"
CONTROL = "control"


class CompareError(CompareStageError, ValueError):
    """A comparison that cannot be made, with what to do about it."""


@dataclass
class MetricRow:
    """One metric for one group: counts, rates with intervals, change, test and DiD.

    For proportions ``n_before``/``n_after`` are comment counts; for volume they are window days
    and the rates are comments per day.
    """

    metric: str
    group: str
    kind: str  # "proportion" or "rate"
    is_control: bool
    x_before: int
    n_before: float
    x_after: int
    n_after: float
    before: stats.Interval
    after: stats.Interval
    change: stats.Interval  # difference (proportion) or ratio (rate)
    test: stats.TestResult
    q_value: float = math.nan
    did: stats.Interval | None = None
    did_p: float = math.nan

    @property
    def significant(self) -> bool:
        return not math.isnan(self.q_value) and self.q_value < 0.05


@dataclass
class Comparison:
    """Everything the terminal table, the report and the tests need."""

    campaign: str
    campaign_name: str
    launch_date: str
    before_window: tuple[str, str]
    after_window: tuple[str, str]
    before_days: int
    after_days: int
    treated: list[str]
    controls: list[str]
    rows: list[MetricRow] = field(default_factory=list)
    filters: dict = field(default_factory=dict)
    tagger_versions: list[str] = field(default_factory=list)
    stale_periods: int = 0
    cluster: str | None = "video"  # None: every comment independent (the old figures)
    event_study: dict[str, list[dict]] = field(default_factory=dict)  # metric -> weeks (overall vs control)

    def row(self, metric: str, group: str) -> MetricRow:
        for item in self.rows:
            if item.metric == metric and item.group == group:
                return item
        raise KeyError(f"no row for metric {metric!r}, group {group!r}")

    def groups(self) -> list[str]:
        seen: dict[str, None] = {}
        for item in self.rows:
            seen.setdefault(item.group, None)
        return list(seen)

    def to_dict(self) -> dict:
        return _jsonable(asdict(self))


def window_days(window: Window) -> int:
    return (window.end - window.start).days + 1


def _where(campaign: Campaign, platform: str | None, language: str | None) -> tuple[str, list]:
    clauses = ["campaign = ?", "period IN ('before', 'after')"]
    params: list = [campaign.id]
    if platform:
        clauses.append("platform = ?")
        params.append(platform)
    if language:
        clauses.append("language = ?")
        params.append(language)
    return " AND ".join(clauses), params


def stale_period_count(con: duckdb.DuckDBPyConnection, campaign: Campaign) -> int:
    """Comments whose stored period disagrees with today's registry windows (re-enrich to fix)."""
    sql = (
        "SELECT count(*) FROM comments WHERE campaign = ? AND period <> CASE "
        "WHEN created_at >= ? AND created_at < ? THEN 'before' "
        "WHEN created_at >= ? AND created_at < ? THEN 'after' ELSE 'outside' END"
    )
    params = [
        campaign.id,
        campaign.before.start_dt,
        campaign.before.start_dt + timedelta(days=window_days(campaign.before)),
        campaign.after.start_dt,
        campaign.after.start_dt + timedelta(days=window_days(campaign.after)),
    ]
    return int(one_row(con.execute(sql, params))[0])


def compare_campaign(
    con: duckdb.DuckDBPyConnection,
    campaign: Campaign,
    metrics: tuple[str, ...] | list[str] = DEFAULT_METRICS,
    *,
    platform: str | None = None,
    language: str | None = None,
    cluster: str | None = "video",
) -> Comparison:
    """Compute every metric before vs after, per creator, overall (treated) and for controls.

    With ``cluster`` (``video`` or ``creator``) the proportions' intervals, tests and DiD are
    cluster-robust (DiD as a regression with creator fixed effects, plus a weekly event study);
    ``cluster=None`` treats every comment as independent.
    """
    if cluster is not None and cluster not in lake_data.CLUSTERS:
        raise CompareError(f"unknown cluster {cluster!r}: use {', '.join(lake_data.CLUSTERS)} or --independent")
    unknown = [m for m in metrics if m != VOLUME and m not in FLAG_SQL]
    if unknown:
        raise CompareError(f"unknown metric(s) {', '.join(unknown)}: use {VOLUME} or one of {', '.join(FLAG_SQL)}")
    flags = [m for m in metrics if m != VOLUME]
    where, params = _where(campaign, platform, language)
    counts = group_counts(con, ["creator", "period"], where, params, flags=flags or ["hate"])
    if not counts:
        raise CompareError(
            f"no enriched comments for campaign {campaign.id!r} in its before/after windows "
            f"({campaign.before.start}..{campaign.after.end}): collect and run `commentscope enrich` first"
        )
    registry_creators = [c.key for c in campaign.creators]
    control_keys = {c.key for c in campaign.control_creators}
    lake_creators = sorted({c.key[0] for c in counts})
    creators = [k for k in registry_creators if k in lake_creators] + [
        k for k in lake_creators if k not in registry_creators
    ]
    treated = [k for k in creators if k not in control_keys]
    controls = [k for k in creators if k in control_keys]

    # cell[(creator, period)] = (n, {flag: count})
    cell = {(c.key[0], c.key[1]): (c.n, c.counts) for c in counts}
    days = {"before": window_days(campaign.before), "after": window_days(campaign.after)}

    def pooled(keys: list[str], period: str) -> tuple[int, dict[str, int]]:
        n = sum(cell.get((k, period), (0, {}))[0] for k in keys)
        totals = {f: sum(cell.get((k, period), (0, {}))[1].get(f, 0) for k in keys) for f in flags}
        return n, totals

    groups: list[tuple[str, list[str], bool]] = [(OVERALL, treated, False)]
    if controls:
        groups.append((CONTROL, controls, True))
    groups += [(k, [k], k in control_keys) for k in creators]

    tally = {(name, period): pooled(keys, period) for name, keys, _ in groups for period in days}
    rows: list[MetricRow] = []
    for metric in metrics:
        for name, _keys, is_control in groups:
            nb, cb = tally[(name, "before")]
            na, ca = tally[(name, "after")]
            if metric == VOLUME:
                row = _rate_row(metric, name, is_control, nb, days["before"], na, days["after"])
            else:
                row = _proportion_row(metric, name, is_control, cb[metric], nb, ca[metric], na)
            if controls and not is_control:
                _add_did(row, metric, tally, days)
            rows.append(row)
    studies: dict[str, list[dict]] = {}
    if cluster is not None:
        for metric in flags:
            cells = lake_data.cells(con, where, params, metric, cluster, set(treated))
            for row in (r for r in rows if r.metric == metric):
                _cluster_row(row, cells, dict(groups_keys(groups))[row.group], controls)
            weekly = lake_data.cells(con, where, params, metric, cluster, set(treated), campaign.launch_date)
            studies[metric] = [
                {"week": w, "estimate": c.interval.estimate, "low": c.interval.low, "high": c.interval.high,
                 "p": c.p_value, "clusters": c.clusters, "controls": bool(controls)}
                for w, c in regression.event_study(_only(weekly, set(treated) | set(controls)))
            ]  # fmt: skip
    for item, q in zip(rows, stats.benjamini_hochberg([r.test.p_value for r in rows]), strict=True):
        item.q_value = q
    versions = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT tagger_version FROM comments WHERE {where} ORDER BY 1", params
        ).fetchall()
    ]
    return Comparison(
        campaign=campaign.id,
        campaign_name=campaign.name,
        launch_date=campaign.launch_date.isoformat(),
        before_window=(campaign.before.start.isoformat(), campaign.before.end.isoformat()),
        after_window=(campaign.after.start.isoformat(), campaign.after.end.isoformat()),
        before_days=days["before"],
        after_days=days["after"],
        treated=treated,
        controls=controls,
        rows=rows,
        filters={"platform": platform, "language": language},
        tagger_versions=versions,
        stale_periods=stale_period_count(con, campaign),
        cluster=cluster,
        event_study=studies,
    )


def groups_keys(groups: list[tuple[str, list[str], bool]]) -> list[tuple[str, list[str]]]:
    return [(name, keys) for name, keys, _ in groups]


def _only(cells: regression.Cells, creators: set[str]) -> regression.Cells:
    keep = np.isin(cells.creator, list(creators))
    return regression.Cells(*(getattr(cells, f)[keep] for f in ("creator", "cluster", "time", "treated", "n", "y")))


def _cluster_row(row: MetricRow, cells: regression.Cells, keys: list[str], controls: list[str]) -> None:
    """Replace a proportion row's intervals, test and DiD by their cluster-robust versions."""
    _, index = np.unique(cells.cluster, return_inverse=True) if len(cells.cluster) else (None, np.zeros(0, int))
    size = int(index.max()) + 1 if len(index) else 0
    mine = np.isin(cells.creator, keys)

    def share(after: int) -> clustered.Linear:
        pick = mine & (cells.time == after)
        return clustered.share(
            np.bincount(index, pick * cells.y, minlength=size), np.bincount(index, pick * cells.n, minlength=size)
        )

    before, after = share(0), share(1)
    row.before = clustered.level_interval(before, row.n_before)
    row.after = clustered.level_interval(after, row.n_after)
    row.change, row.test = clustered.wald(after - before)
    if controls and not row.is_control:
        fit = regression.did(_only(cells, set(keys) | set(controls)))
        if fit is not None:
            row.did, row.did_p = fit.interval, fit.p_value


def _proportion_row(metric: str, group: str, is_control: bool, xb: int, nb: int, xa: int, na: int) -> MetricRow:
    return MetricRow(
        metric=metric,
        group=group,
        kind="proportion",
        is_control=is_control,
        x_before=xb,
        n_before=nb,
        x_after=xa,
        n_after=na,
        before=stats.wilson(xb, nb),
        after=stats.wilson(xa, na),
        change=stats.newcombe_difference(xb, nb, xa, na),
        test=stats.two_proportion_test(xb, nb, xa, na),
    )


def _rate_row(metric: str, group: str, is_control: bool, cb: int, db: int, ca: int, da: int) -> MetricRow:
    return MetricRow(
        metric=metric,
        group=group,
        kind="rate",
        is_control=is_control,
        x_before=cb,
        n_before=db,
        x_after=ca,
        n_after=da,
        before=stats.poisson_rate(cb, db),
        after=stats.poisson_rate(ca, da),
        change=stats.rate_ratio(cb, db, ca, da),
        test=stats.rate_test(cb, db, ca, da),
    )


def _add_did(row: MetricRow, metric: str, tally: dict, days: dict[str, int]) -> None:
    cnb, ccb = tally[(CONTROL, "before")]
    cna, cca = tally[(CONTROL, "after")]
    if metric == VOLUME:
        row.did, row.did_p = stats.did_rates(
            (row.x_before, days["before"], row.x_after, days["after"]),
            (cnb, days["before"], cna, days["after"]),
        )
    else:
        row.did, row.did_p = stats.did_proportions(
            (row.x_before, int(row.n_before), row.x_after, int(row.n_after)),
            (ccb[metric], cnb, cca[metric], cna),
        )


def _jsonable(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def campaign_groups(comparison: Comparison) -> list[tuple[str, list[str], bool]]:
    """(name, creators, is_control) in the order the tables show them."""
    groups: list[tuple[str, list[str], bool]] = [(OVERALL, comparison.treated, False)]
    if comparison.controls:
        groups.append((CONTROL, comparison.controls, True))
    controls = set(comparison.controls)
    return groups + [(k, [k], k in controls) for k in comparison.treated + comparison.controls]


def compare_corrected(
    con: duckdb.DuckDBPyConnection,
    lake,
    campaign: Campaign,
    comparison: Comparison,
    metrics: tuple[str, ...] | list[str],
    minimum: int,
):
    """Error-corrected figures for the same groups, windows and filters as ``comparison``."""
    from commentscope.compare.corrected_campaign import corrected_comparison

    where, params = _where(campaign, comparison.filters.get("platform"), comparison.filters.get("language"))
    return corrected_comparison(
        con, lake, campaign, campaign_groups(comparison), comparison.controls, where, params,
        [m for m in metrics if m != VOLUME], comparison.cluster, minimum,
    )  # fmt: skip
