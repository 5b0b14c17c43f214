"""The report's sections on corrected figures and the event study, each with one plain sentence for a
programme officer and the assumptions behind it."""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from commentscope.compare.compute import Comparison  # noqa: E402
from commentscope.compare.corrected_campaign import CorrectedComparison, CorrectedRow  # noqa: E402
from commentscope.compare.format import metric_title, p_text  # noqa: E402
from commentscope.compare.stats import Interval  # noqa: E402


def _pct(i: Interval) -> str:
    if i is None or math.isnan(i.estimate):
        return "–"
    if math.isnan(i.low):
        return f"{100 * i.estimate:.1f}%"
    return f"{100 * i.estimate:.1f}% [{100 * i.low:.1f}–{100 * i.high:.1f}]"


def _pp(i: Interval | None) -> str:
    if i is None or math.isnan(i.estimate):
        return "–"
    if math.isnan(i.low):
        return f"{100 * i.estimate:+.1f} pp"
    return f"{100 * i.estimate:+.1f} pp [{100 * i.low:+.1f}, {100 * i.high:+.1f}]"


def render_corrected(c: CorrectedComparison) -> str:
    lines = [
        "",
        "## Corrected for tagger error",
        "",
        "*In plain words: the tagger misses some hateful comments and flags some harmless ones, at rates "
        "that can differ before and after the launch; people reviewed a random sample, and the corrected "
        "figures estimate what the share would be if people had read every comment.*",
        "",
        f"- {c.reviewed} reviewed comments from recorded random samples; clusters: {c.cluster}; "
        f"at least {c.min_reviewed} reviews per cell.",
    ]
    if c.ad_hoc_reviews:
        lines.append(
            f"- {c.ad_hoc_reviews} reviewed comments were not drawn by a recorded random sample and are left out "
            "(reviews chosen by hand would bias the correction)."
        )
    lines.append("")
    for metric in dict.fromkeys(r.metric for r in c.rows):
        rows = [r for r in c.rows if r.metric == metric]
        has_did = any(r.did is not None for r in rows)
        lines += [f"### {metric_title(metric)}: raw vs corrected", ""]
        header = ["Group", "Raw before", "Raw after", "Raw change", "Corrected before", "Corrected after",
                  "Corrected change", "p"] + (["Corrected DiD vs control"] if has_did else [])  # fmt: skip
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for r in rows:
            cells = [_label(r), _pct(r.raw_before), _pct(r.raw_after), _pp(r.raw_change), _pct(r.before),
                     _pct(r.after), _pp(r.change), p_text(r.p_value)]  # fmt: skip
            if has_did:
                cells.append(_pp(r.did) + (f" p={p_text(r.did_p)}" if r.did is not None else ""))
            lines.append("| " + " | ".join(cells) + " |")
        lines += ["", "Tagger on this campaign (from the reviewed sample):", ""]
        lines += ["| Period | Language | Precision | Recall | Reviewed (machine yes / no) |", "|---|---|---|---|---|"]
        for q in c.quality.get(metric, []):
            lines.append(
                f"| {q['period']} | {q['language']} | {_share(q['precision'])} | {_share(q['recall'])} | "
                f"{q['reviewed_positive']} / {q['reviewed_negative']} |"
            )
        lines.append("")
    lines += [
        "Assumptions: the reviewed comments are a random sample within each period x language x machine-label "
        "stratum (rows left unreviewed are missing at random); within a period, language and machine label the "
        "tagger errs alike for every creator; reviewers' labels are the truth (their disagreement is reported "
        "by `commentscope export agreement`). Intervals include both the sampling of comments (clustered) and "
        "of the review.",
        "",
    ]
    return "\n".join(lines)


def _share(value: float | None) -> str:
    return "–" if value is None or math.isnan(value) else f"{100 * value:.0f}%"


def _label(r: CorrectedRow) -> str:
    label = r.group + (" (control)" if r.is_control and r.group != "control" else "")
    return f"**{label}**" if r.group in ("overall", "control") else label


def render_event_study(c: Comparison, charts: dict[str, str]) -> str:
    shown = [m for m in c.event_study if f"event:{m}" in charts]
    if not shown:
        return ""
    controls = any(w["controls"] for m in shown for w in c.event_study[m])
    lines = [
        "",
        "## Week by week around the launch (event study)",
        "",
        (
            "*In plain words: each point is how much more (or less) the treated creators' comments carried the "
            "flag than the control creators', compared with the week before the launch; points before week 0 "
            "near zero mean the two groups were moving alike before the campaign.*"
            if controls
            else "*In plain words: each point is how the treated creators' share changed since the week before the "
            "launch; with no control creators this is a trend, not an effect of the campaign.*"
        ),
        "",
    ]
    for metric in shown:
        lines += [f"![{metric_title(metric)} by week]({charts[f'event:{metric}']})", ""]
    lines.append(
        "Regression: flag ~ creator fixed effects + week + treated x week (week -1 the reference), cluster-robust "
        "by " + (c.cluster or "video") + ", 95% intervals with t(G-1)."
    )
    return "\n".join(lines) + "\n"


def _event_chart(metric: str, weeks: list[dict]) -> bytes:
    fig, ax = plt.subplots(figsize=(6, 3.4), dpi=100)
    xs = [w["week"] for w in weeks] + [-1]
    ys = [100 * w["estimate"] for w in weeks] + [0.0]
    lows = [100 * (w["estimate"] - w["low"]) for w in weeks] + [0.0]
    highs = [100 * (w["high"] - w["estimate"]) for w in weeks] + [0.0]
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    errors = [[lows[i] for i in order], [highs[i] for i in order]]
    ax.errorbar([xs[i] for i in order], [ys[i] for i in order], yerr=errors, fmt="o-", capsize=3, color="#1f77b4")
    ax.axhline(0, color="#777", linewidth=0.8)
    ax.axvline(-0.5, color="#c44", linewidth=0.8, linestyle="--")
    ax.set_xlabel("weeks relative to the launch (week -1 = reference)")
    ax.set_ylabel("difference, percentage points")
    ax.set_title(metric_title(metric) + ": event study (95% CI)", fontsize=10)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()
