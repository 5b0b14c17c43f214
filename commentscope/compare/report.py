"""The comparison report: Markdown with PNG charts and a JSON file of every figure, written atomically."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from commentscope.atomic import write_bytes, write_text  # noqa: E402
from commentscope.compare.compute import Comparison, MetricRow  # noqa: E402
from commentscope.compare.corrected_campaign import CorrectedComparison  # noqa: E402
from commentscope.compare.explain import (  # noqa: E402
    _event_chart,
    render_corrected,
    render_event_study,
)
from commentscope.compare.format import change_text, did_text, metric_title, p_text, rate_text  # noqa: E402

METHODS = """\
## Method

- **Clustered by default.** Comments under one video are not independent (threads, pile-ons), so
  intervals, tests and DiD are cluster-robust by video (or creator, `--cluster creator`): a share's
  interval is a Wilson interval at the effective sample size, changes use the cluster-robust
  (CR1) standard error with t(G-1) critical values, and **DiD** is a regression with creator fixed
  effects. `--independent` gives the figures below that treat every comment as independent.
- **Rates** are the share of comments carrying a flag (the shared `FLAG_SQL` definitions of
  `commentscope.metrics`), with 95% **Wilson** score intervals. **Volume** is comments per day of
  each window (the windows may differ in length), with exact Poisson (Garwood) intervals.
- **Change** is after minus before in percentage points with a Newcombe (Wilson-based) interval;
  for volume it is the rate ratio after/before with a log-normal interval.
- **p** is two-sided: a pooled two-proportion z-test, or Fisher's exact test when an expected cell
  count is below 5; for volume the exact conditional binomial test of two Poisson rates.
  **q** adjusts p for the many tests in this report (Benjamini–Hochberg false discovery rate).
- **DiD** (difference-in-differences, only when the registry names control creators):
  (treated after − before) − (control after − before), with a normal-approximation interval whose
  variance is the sum of the four binomial variances; for volume the ratio of the two rate ratios
  with a log-normal interval (1.0 = same change as the controls).
- *overall* pools every treated creator; *control* pools the control creators. Comments are
  attributed to a window by their creation time (UTC days), as stored by the enrichment stage.
- These are observational before/after figures: a change can have causes other than the campaign
  (news events, platform moderation, tagger errors). DiD removes trends shared with the controls only.
"""


def write_report(comparison: Comparison, out_dir: Path, corrected: CorrectedComparison | None = None) -> Path:
    """Write report.md, comparison.json and charts/*.png under ``out_dir``; return the report path."""
    out_dir = Path(out_dir)
    charts = {}
    for metric, weeks in comparison.event_study.items():
        if weeks and metric in (corrected_metrics(corrected) or ("toxic", "hate", "counter_speech")):
            name = f"charts/event-{metric}.png"
            write_bytes(out_dir / name, _event_chart(metric, weeks))
            charts[f"event:{metric}"] = name
    for metric in _metrics(comparison):
        rows = [r for r in comparison.rows if r.metric == metric]
        if all(r.x_before == 0 and r.x_after == 0 for r in rows):
            continue
        name = f"charts/{metric}.png"
        write_bytes(out_dir / name, _chart(metric, rows))
        charts[metric] = name
    figures = comparison.to_dict()
    if corrected is not None:
        figures["corrected"] = corrected.to_dict()
    write_text(out_dir / "comparison.json", json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    report = out_dir / "report.md"
    text = render_markdown(comparison, charts)
    extra = render_event_study(comparison, charts) + (render_corrected(corrected) if corrected else "")
    write_text(report, text.replace("\n## Method\n", extra + "\n## Method\n", 1))
    return report


def corrected_metrics(corrected: CorrectedComparison | None) -> tuple[str, ...] | None:
    return tuple(dict.fromkeys(r.metric for r in corrected.rows)) if corrected else None


def _metrics(comparison: Comparison) -> list[str]:
    seen: dict[str, None] = {}
    for row in comparison.rows:
        seen.setdefault(row.metric, None)
    return list(seen)


def render_markdown(comparison: Comparison, charts: dict[str, str]) -> str:
    c = comparison
    lines = [
        f"# Before/after comparison: {c.campaign_name} (`{c.campaign}`)",
        "",
        f"- Launch: {c.launch_date}. Before: {c.before_window[0]} to {c.before_window[1]} "
        f"({c.before_days} days). After: {c.after_window[0]} to {c.after_window[1]} ({c.after_days} days).",
        f"- Treated creators: {', '.join(c.treated) or 'none'}. Control creators: {', '.join(c.controls) or 'none'}.",
        f"- Tagger version(s): {', '.join(c.tagger_versions) or 'n/a'}.",
    ]
    active = {k: v for k, v in c.filters.items() if v}
    if active:
        lines.append("- Filters: " + ", ".join(f"{k}={v}" for k, v in active.items()) + ".")
    if c.stale_periods:
        lines.append(
            f"- **Warning:** {c.stale_periods} comments carry a period that no longer matches the registry "
            "windows: re-run enrichment (`commentscope enrich --full`) before trusting these figures."
        )
    lines.append("")
    has_did = bool(c.controls)
    for metric in _metrics(c):
        lines += ["", f"## {metric_title(metric)}", ""]
        if metric in charts:
            lines += [f"![{metric_title(metric)}]({charts[metric]})", ""]
        header = ["Group", "Before", "After", "Change", "p", "q", "Test"] + (["DiD vs control"] if has_did else [])
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for row in (r for r in c.rows if r.metric == metric):
            cells = [
                _group_label(row),
                rate_text(row, "before"),
                rate_text(row, "after"),
                change_text(row),
                p_text(row.test.p_value),
                p_text(row.q_value),
                row.test.test,
            ]
            if has_did:
                cells.append(did_text(row))
            lines.append("| " + " | ".join(cells) + " |")
    lines += ["", METHODS]
    return "\n".join(lines)


def _group_label(row: MetricRow) -> str:
    label = row.group
    if row.is_control and row.group != "control":
        label += " (control)"
    return f"**{label}**" if row.group in ("overall", "control") else label


def _chart(metric: str, rows: list[MetricRow]) -> bytes:
    """Before/after bars with 95% intervals, one pair per group."""
    scale = 1.0 if rows[0].kind == "rate" else 100.0
    fig, ax = plt.subplots(figsize=(max(5.0, 1.1 * len(rows) + 2), 3.6), dpi=100)
    width = 0.38
    for offset, side, colour in ((-width / 2, "before", "#9aa5b1"), (width / 2, "after", "#1f77b4")):
        values, lows, highs = [], [], []
        for row in rows:
            interval = row.before if side == "before" else row.after
            est = 0.0 if math.isnan(interval.estimate) else interval.estimate * scale
            values.append(est)
            lows.append(0.0 if math.isnan(interval.low) else max(0.0, est - interval.low * scale))
            highs.append(0.0 if math.isnan(interval.high) else max(0.0, interval.high * scale - est))
        xs = [i + offset for i in range(len(rows))]
        ax.bar(xs, values, width, yerr=[lows, highs], capsize=3, label=side, color=colour)
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels(
        [r.group + (" (c)" if r.is_control and r.group != "control" else "") for r in rows],
        rotation=20,
        ha="right",
        fontsize=8,
    )
    ax.set_ylabel("comments per day" if scale == 1.0 else "% of comments")
    ax.set_title(metric_title(metric) + " before vs after (95% CI)", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()
