"""The week's small bar chart as a PNG (mail clients drop inline SVG; a CID image shows everywhere)."""

from __future__ import annotations

import io
from typing import cast

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from commentscope.digest.i18n import Translator  # noqa: E402
from commentscope.digest.model import DayCount  # noqa: E402

GREY = "#b8c0cc"
RED = "#c0392b"
DARK_RED = "#7b1d14"


def week_chart_png(days: list[DayCount], tr: Translator) -> bytes:
    """Grey bars: all comments; red bars: toxic or hateful; '!' over a spike day. No words on it,
    so it needs no fonts for Thai; the caption in the e-mail explains the colours."""
    fig, ax = plt.subplots(figsize=(5.6, 2.2), dpi=100)
    try:
        xs = range(len(days))
        ax.bar(xs, [d.comments for d in days], color=GREY, width=0.7)
        ax.bar(xs, [d.flagged for d in days], color=[DARK_RED if d.spike else RED for d in days], width=0.7)
        top = max([d.comments for d in days] + [1])
        for x, day in zip(xs, days, strict=True):
            if day.spike:
                ax.text(x, day.comments + top * 0.03, "!", ha="center", va="bottom", color=DARK_RED, fontweight="bold")
        ax.set_xticks(list(xs), [tr.day_short(d.day) for d in days])
        ax.set_ylim(0, top * 1.18)
        cast(MaxNLocator, ax.yaxis.get_major_locator()).set_params(integer=True)  # the default AutoLocator is one
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(labelsize=8)
        fig.tight_layout(pad=0.4)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()
    finally:
        plt.close(fig)
