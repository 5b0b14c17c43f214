"""Render a Digest into a subject, an HTML body and a plain-text body in the creator's language.

All values reach the templates as plain strings; the HTML environment autoescapes every one of
them (comment text is hostile input), and ``sanitize`` has already removed what escaping cannot.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from commentscope.digest.i18n import Translator
from commentscope.digest.model import CommentItem, Digest, Rates
from commentscope.digest.sanitize import clean_text

TEMPLATES = Path(__file__).parent / "templates"
CHART_CID = "week-chart"
FONTS = "-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans Thai',Sarabun,Tahoma,Arial,sans-serif"

_html_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_text_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=False,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


def _arrow(now: float, before: float) -> tuple[str, str]:
    """Up is bad for toxic/hate rates: red; down is good: green."""
    if now > before:
        return "▲", "#c0392b"
    if now < before:
        return "▼", "#2e7d32"
    return "", ""


def _figures(digest: Digest, tr: Translator) -> list[dict]:
    base: Rates | None = digest.baseline
    weekly = digest.baseline_weekly_comments
    no_data = tr("no_data")
    rows = [
        {
            "label": tr("row_comments"),
            "this_week": tr.number(digest.this_week.comments),
            "last_week": tr.number(digest.last_week.comments),
            "baseline": f"{tr.number(weekly)} ({tr('weekly_average')})" if weekly is not None else no_data,
            "arrow": "",
            "arrow_color": "",
        }
    ]
    for key, attr in (("row_toxic", "toxic_rate"), ("row_hate", "hate_rate")):
        now = getattr(digest.this_week, attr)
        last = getattr(digest.last_week, attr)
        arrow, color = _arrow(now, last) if digest.this_week.comments and digest.last_week.comments else ("", "")
        rows.append(
            {
                "label": tr(key),
                "this_week": tr.percent(now) if digest.this_week.comments else no_data,
                "last_week": tr.percent(last) if digest.last_week.comments else no_data,
                "baseline": tr.percent(getattr(base, attr)) if base else no_data,
                "arrow": arrow,
                "arrow_color": color,
            }
        )
    return rows


def _item(item: CommentItem, tr: Translator, reveal: bool) -> dict:
    if item.kind == "flagged":
        kind = ", ".join(tr(f"label.{label}") for label in item.labels if f"label.{label}" in tr.messages)
    else:
        kind = tr(f"kind.{item.kind}") if f"kind.{item.kind}" in tr.messages else ""
    return {
        "kind": kind,
        "labels": kind,
        "likes": tr("likes", count=tr.number(item.like_count)),
        "text": item.text if (reveal or item.kind != "flagged") else item.masked,
        "link": item.video_link,
    }


def render_context(digest: Digest, *, reveal: bool = False) -> dict:
    """Everything the templates show, already translated and formatted for the locale."""
    tr = Translator(digest.locale)
    dates = tr.date_range(digest.week_start, digest.week_end)
    rule = digest.spike_rule
    return {
        "t": tr,
        "lang": digest.locale,
        "fonts": FONTS,
        "subject": tr("subject", name=clean_text(digest.creator_name, max_chars=80), dates=dates),
        "creator_name": clean_text(digest.creator_name, max_chars=80),
        "campaign_name": clean_text(digest.campaign_name, max_chars=120),
        "dates": dates,
        "has_comments": digest.this_week.comments > 0,
        "figures": _figures(digest, tr),
        "spikes": [
            tr("spike_line", day=tr.day(d.day), count=tr.number(d.flagged), threshold=tr.number(d.threshold or 0, 1))
            for d in digest.spikes
        ],
        "days": [
            f"{tr.day(d.day)}: {tr.number(d.comments)} / {tr.number(d.flagged)}{' !' if d.spike else ''}"
            for d in digest.days
        ],
        "targets": [
            tr("target_line", target=tr(f"target.{g.target}"), this=tr.number(g.this_week), last=tr.number(g.last_week))
            for g in digest.targets_grew
        ],
        "positive": [_item(i, tr, reveal) for i in digest.top_positive],
        "worst": [_item(i, tr, reveal) for i in digest.worst],
        "keywords": [clean_text(k.term, max_chars=40) for k in digest.keywords],
        "chart_cid": CHART_CID,
        "footer_method": tr(
            "footer_method",
            timezone=digest.timezone,
            min=tr.number(rule.min_count),
            sigmas=tr.number(rule.sigmas, 0 if float(rule.sigmas).is_integer() else 1),
            window=tr.number(rule.window_days),
        ),
    }


def render_digest(digest: Digest, *, reveal: bool = False) -> tuple[str, str, str]:
    """(subject, html, text) in the creator's language; flagged comments masked unless ``reveal``."""
    context = render_context(digest, reveal=reveal)
    html = _html_env.get_template("digest.html.j2").render(context)
    text = _text_env.get_template("digest.txt.j2").render(context)
    return context["subject"], html, text
