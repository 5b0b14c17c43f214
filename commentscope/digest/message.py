"""The MIME message: plain text + HTML alternatives, the chart as an inline CID image."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from commentscope.digest.render import CHART_CID

FALLBACK_DOMAIN = "commentscope.invalid"


def digest_message_id(campaign_id: str, creator_key: str, week_start: date, sender: str | None) -> str:
    """Same creator and week -> same Message-ID, so a duplicate anywhere downstream is recognisable."""
    domain = (sender or "").rpartition("@")[2].strip(" >") or FALLBACK_DOMAIN
    tag = hashlib.blake2b(f"{campaign_id}/{creator_key}/{week_start}".encode(), digest_size=6).hexdigest()
    return f"<digest.{week_start}.{creator_key}.{tag}@{domain}>"


def build_message(
    *,
    subject: str,
    html: str,
    text: str,
    chart_png: bytes,
    sender: str,
    recipient: str,
    message_id: str,
    digest_key: str,
    now: datetime | None = None,
) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["Subject"] = " ".join(subject.split())
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(now or datetime.now(UTC))
    message["Message-ID"] = message_id
    message["X-Commentscope-Digest"] = digest_key
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    html_part = list(message.iter_parts())[1]  # the part add_alternative just made
    html_part.add_related(
        chart_png,
        maintype="image",
        subtype="png",
        cid=f"<{CHART_CID}>",
        filename="week.png",
        disposition="inline",
    )
    return message
