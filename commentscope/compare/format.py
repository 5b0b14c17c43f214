"""How comparison figures are written for people: one formatting shared by the terminal and the report."""

from __future__ import annotations

import math

from commentscope.compare.compute import MetricRow

METRIC_TITLES = {
    "volume": "Volume (comments/day)",
    "toxic": "Toxic",
    "hate": "Hate",
    "counter_speech": "Counter-speech",
    "supportive": "Supportive",
}


def metric_title(metric: str) -> str:
    if metric in METRIC_TITLES:
        return METRIC_TITLES[metric]
    if metric.startswith("hate_"):
        return "Hate: " + metric.removeprefix("hate_").replace("_", " ")
    return metric.replace("_", " ").capitalize()


def _num(value: float, digits: int = 1) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def rate_text(row: MetricRow, side: str) -> str:
    """'12.5% [9.1–16.9]' for proportions, '3.2/day [2.8–3.7]' for volume."""
    interval = row.before if side == "before" else row.after
    x = row.x_before if side == "before" else row.x_after
    if row.kind == "rate":
        return f"{_num(interval.estimate)}/day [{_num(interval.low)}–{_num(interval.high)}] (n={x})"
    n = int(row.n_before if side == "before" else row.n_after)
    return f"{_num(100 * interval.estimate)}% [{_num(100 * interval.low)}–{_num(100 * interval.high)}] ({x}/{n})"


def change_text(row: MetricRow) -> str:
    """Percentage points for proportions, a ratio for volume."""
    c = row.change
    if row.kind == "rate":
        return f"×{_num(c.estimate, 2)} [{_num(c.low, 2)}–{_num(c.high, 2)}]"
    return f"{_signed(100 * c.estimate)} pp [{_signed(100 * c.low)}, {_signed(100 * c.high)}]"


def did_text(row: MetricRow) -> str:
    if row.did is None:
        return ""
    d = row.did
    if row.kind == "rate":
        return f"×{_num(d.estimate, 2)} [{_num(d.low, 2)}–{_num(d.high, 2)}] p={p_text(row.did_p)}"
    interval = f"[{_signed(100 * d.low)}, {_signed(100 * d.high)}]"
    return f"{_signed(100 * d.estimate)} pp {interval} p={p_text(row.did_p)}"


def p_text(p: float) -> str:
    if p is None or math.isnan(p):
        return "–"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _signed(value: float) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:+.1f}"
