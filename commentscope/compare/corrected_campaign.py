"""``compare --corrected``: raw and error-corrected shares side by side, per group, with the tagger's
precision and recall on this campaign's reviewed sample, or a refusal that says what to review."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import duckdb

from commentscope.compare import cluster as clustered
from commentscope.compare import lake_data
from commentscope.compare.corrected import MIN_REVIEWED, Corrector, Shortfall
from commentscope.compare.stats import Interval
from commentscope.errors import CompareStageError
from commentscope.lake import Lake
from commentscope.registry import Campaign

CORRECTED_METRICS: tuple[str, ...] = ("toxic", "hate", "counter_speech")


class NotEnoughReviews(CompareStageError, ValueError):
    """Too few reviewed comments for a corrected figure; the message names what to review."""


@dataclass
class CorrectedRow:
    metric: str
    group: str
    is_control: bool
    n_before: int
    n_after: int
    raw_before: Interval
    raw_after: Interval
    raw_change: Interval
    before: Interval
    after: Interval
    change: Interval
    p_value: float
    did: Interval | None = None
    did_p: float = math.nan


@dataclass
class CorrectedComparison:
    campaign: str
    cluster: str | None
    min_reviewed: int
    reviewed: int  # reviewed comments of recorded samples in these windows
    ad_hoc_reviews: int
    review_versions: list[str]
    rows: list[CorrectedRow] = field(default_factory=list)
    quality: dict[str, list[dict]] = field(default_factory=dict)

    def row(self, metric: str, group: str) -> CorrectedRow:
        return next(r for r in self.rows if r.metric == metric and r.group == group)

    def to_dict(self) -> dict:
        from commentscope.compare.compute import _jsonable

        return _jsonable(asdict(self))


def corrected_comparison(
    con: duckdb.DuckDBPyConnection,
    lake: Lake,
    campaign: Campaign,
    groups: list[tuple[str, list[str], bool]],
    controls: list[str],
    where: str,
    params: list,
    metrics: tuple[str, ...] | list[str] = CORRECTED_METRICS,
    cluster: str | None = "video",
    minimum: int = MIN_REVIEWED,
) -> CorrectedComparison:
    """Corrected figures for ``groups`` (name, creators, is_control); refuses with what to review."""
    reviews = lake_data.review_set(lake)
    order: dict[str, int] = {}
    cluster_sql = cluster or "comment"  # independent: every comment its own cluster
    units = {m: lake_data.units(con, where, params, m, reviews, cluster_sql, order) for m in metrics}
    for u in units.values():
        u.n_clusters = len(order)
    result = CorrectedComparison(
        campaign=campaign.id, cluster=cluster_sql, min_reviewed=minimum,
        reviewed=int(next(iter(units.values())).reviewed.sum()) if units else 0,
        ad_hoc_reviews=reviews.ad_hoc, review_versions=sorted(reviews.versions),
    )  # fmt: skip
    short: dict[str, list[Shortfall]] = {}
    correctors = {m: Corrector(u) for m, u in units.items()}
    for metric, corrector in correctors.items():
        u = units[metric]
        everyone = [k for _, keys, _ in groups for k in keys]
        found = corrector.shortfalls(u.mask(everyone, "before") | u.mask(everyone, "after"), minimum)
        if found:
            short[metric] = found
    if short:
        raise NotEnoughReviews(refusal(campaign.id, short, minimum))
    control_keys = controls
    for metric, corrector in correctors.items():
        u = units[metric]
        result.quality[metric] = [asdict(q) for q in corrector.quality()]
        control_est = None
        if control_keys:
            control_est = corrector.corrected(u.mask(control_keys, "after")) - corrector.corrected(
                u.mask(control_keys, "before")
            )
        for name, keys, is_control in groups:
            mb, ma = u.mask(keys, "before"), u.mask(keys, "after")
            rb, ra, cb, ca = corrector.raw(mb), corrector.raw(ma), corrector.corrected(mb), corrector.corrected(ma)
            nb, na = float((mb * u.n).sum()), float((ma * u.n).sum())
            change, test = clustered.wald(ca - cb)
            row = CorrectedRow(
                metric=metric, group=name, is_control=is_control, n_before=int(nb), n_after=int(na),
                raw_before=clustered.level_interval(rb, nb), raw_after=clustered.level_interval(ra, na),
                raw_change=clustered.wald(ra - rb)[0],
                before=clustered.level_interval(cb, nb), after=clustered.level_interval(ca, na),
                change=change, p_value=test.p_value,
            )  # fmt: skip
            if control_est is not None and not is_control:
                row.did, did_test = clustered.wald((ca - cb) - control_est)
                row.did_p = did_test.p_value
            result.rows.append(row)
    return result


def refusal(campaign: str, short: dict[str, list[Shortfall]], minimum: int) -> str:
    """One line per metric and cell, then the commands that draw what is missing."""
    lines = [f"too few reviewed comments for corrected figures (at least {minimum} per cell, or all of a smaller one):"]
    commands: dict[tuple[str, str, str | None], int] = {}
    for metric, cells in short.items():
        for s in cells:
            side = f"machine {metric}" if s.machine_positive else f"machine not {metric}"
            lines.append(
                f"  {metric}: period {s.period}, language {s.language}, {side}: "
                f"{s.reviewed} of {s.needed} reviewed ({s.comments} comments): review {s.needed - s.reviewed} more"
            )
            key = (s.period, s.language, metric if s.machine_positive else None)
            commands[key] = max(commands.get(key, 0), s.needed - s.reviewed)
    lines.append("draw them (a stratified random sample, recorded in the lake), review, then import:")
    for (period, language, label), more in sorted(commands.items(), key=lambda kv: tuple(x or "" for x in kv[0])):
        label_opt = f" --label {label}" if label else ""
        size = more if label else 2 * more
        lines.append(
            f"  commentscope export annotation --campaign {campaign} --period {period} --language {language}"
            f"{label_opt} --sample {size} --out review-{period}-{language}{'-' + label if label else ''}.csv"
        )
    lines.append("  commentscope export import-labels FILE --annotator NAME")
    return "\n".join(lines)
