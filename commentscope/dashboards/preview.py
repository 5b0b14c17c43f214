"""A PNG of a before/after panel, drawn from the same aggregation Kibana runs for it.

Kibana cannot run everywhere (not in CI, not on a laptop without Docker): this gives the docs and
reviewers a faithful picture of the comparison chart without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from commentscope.atomic import write_with
from commentscope.dashboards.aggs import panel_request, panel_rows
from commentscope.dashboards.spec import Panel, Spec

PERIOD_COLOURS = {"before": "#6092C0", "after": "#D36086"}


def grouped_rows(
    panel: Panel, spec: Spec, es: Any, alias: str = "comments", filters: list[str] | None = None
) -> dict[tuple, dict]:
    """Run the panel's aggregation on ``alias`` and return its rows."""
    response = es.search(index=alias, **panel_request(panel, spec.metrics, filters))
    return panel_rows(panel, spec.metrics, response)


def render_before_after(panel: Panel, spec: Spec, rows: dict[tuple, dict], out: str | Path) -> Path:
    """Grouped bars: one group per x value, a bar per period, the panel's first metric."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metric_name = panel.metrics[0]
    metric = spec.metrics[metric_name]
    groups = sorted({key[0] for key in rows})
    periods = [p for p in ("before", "after") if any(key[1] == p for key in rows)]
    width = 0.8 / max(len(periods), 1)
    fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(groups) + 2), 4), dpi=110)
    for i, period in enumerate(periods):
        values = [rows.get((group, period), {}).get(metric_name, 0.0) for group in groups]
        values = [v * 100 for v in values] if metric.rate else values
        positions = [g + (i - (len(periods) - 1) / 2) * width for g in range(len(groups))]
        bars = ax.bar(positions, values, width=width, label=period, color=PERIOD_COLOURS.get(period))
        ax.bar_label(bars, fmt="%.1f" + ("%%" if metric.rate else ""), fontsize=7, padding=2)
    ax.set_xticks(range(len(groups)), [str(g) for g in groups], rotation=20, ha="right")
    ax.set_ylabel(metric.label + (" (%)" if metric.rate else ""))
    ax.set_title(panel.title)
    ax.legend(title="Period")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    target = Path(out)
    write_with(target, lambda tmp: fig.savefig(tmp, format="png"))
    plt.close(fig)
    return target
