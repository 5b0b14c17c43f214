"""Run the weekly digest for one creator or for every creator: build, archive, then send once.

``run_creator_digest`` is what the Airflow weekly DAG calls per creator; ``send_digests`` loops
over the registry for the command line. Neither logs comment text or e-mail addresses.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from commentscope.digest.archive import SENDABLE_STATES, Ledger, write_archive
from commentscope.digest.build import build_digest
from commentscope.digest.chart import week_chart_png
from commentscope.digest.i18n import Translator
from commentscope.digest.message import build_message, digest_message_id
from commentscope.digest.render import render_digest
from commentscope.digest.smtp import AmbiguousDelivery, SmtpSettings, deliver
from commentscope.digest.week import Week, last_complete_week, monday_of
from commentscope.email_address import checked_address
from commentscope.lake import Lake
from commentscope.registry import Registry
from commentscope.settings import Settings

log = logging.getLogger(__name__)
DRY_RUN_SENDER = "digest@commentscope.invalid"
NO_RECIPIENT = "undisclosed-recipients:;"

# What happened to one creator's digest.
SENT = "sent"
ALREADY_SENT = "skipped-already-sent"
UNCONFIRMED = "skipped-unconfirmed"
DRY_RUN = "dry-run"
NO_EMAIL = "skipped-no-email"
CONTROL = "skipped-control"
BUSY = "skipped-busy"
NOT_OVER = "skipped-week-not-over"
FAILED = "failed"
UNCONFIRMED_NOW = "unconfirmed"


@dataclass
class DigestOutcome:
    campaign: str
    creator: str
    week_start: date
    status: str
    archive: Path | None = None
    message_id: str | None = None
    attempts: int = 0
    detail: str = ""


@dataclass
class DigestReport:
    outcomes: list[DigestOutcome] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(o.status for o in self.outcomes))

    @property
    def failed(self) -> list[DigestOutcome]:
        return [o for o in self.outcomes if o.status in (FAILED, UNCONFIRMED_NOW)]


def _recipient_tag(address: str) -> str:
    """The ledger keeps a hash, not the address: enough to notice the address changed."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:16]


def run_creator_digest(
    lake: Lake,
    registry: Registry,
    campaign_id: str,
    creator_key: str,
    week_start: date | None = None,
    *,
    dry_run: bool = False,
    smtp: SmtpSettings | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    resend_unconfirmed: bool = False,
    reveal: bool = False,
    now: datetime | None = None,
) -> DigestOutcome:
    """Build, archive and (unless ``dry_run``) send one creator's digest for one week, at most once.

    ``week_start`` may be any day of the week (it is moved to its Monday); None means the last
    complete week in the creator's timezone. SMTP settings come from the environment if not given.
    """
    campaign = registry.campaign(campaign_id)
    creator = campaign.creator(creator_key)
    week = monday_of(week_start) if week_start else last_complete_week(creator.timezone, now).start
    outcome = DigestOutcome(campaign.id, creator.key, week, DRY_RUN if dry_run else SENT)
    ledger = Ledger(lake)
    if not dry_run and Week(week, creator.timezone).end_utc > (now or datetime.now(UTC)):
        outcome.status = NOT_OVER
        outcome.detail = "this week has not ended in the creator's timezone: use --dry-run to preview it"
        return outcome
    if not dry_run and not creator.digest_email:
        outcome.status, outcome.detail = NO_EMAIL, "add digest_email for this creator in campaigns.yaml"
        return outcome
    if creator.digest_email:
        try:
            checked_address(creator.digest_email)
        except ValueError as exc:  # the registry refuses these; this keeps one bad entry from stopping the run
            outcome.status = FAILED
            outcome.detail = f"digest_email of creator {creator.key!r}: {exc} (fix: correct it in campaigns.yaml)"
            log.warning("digest %s/%s/%s not built: bad digest_email", campaign.id, creator.key, week)
            return outcome
    if not dry_run and smtp is None:
        smtp = SmtpSettings.from_env()
    with ledger.lock(campaign.id, creator.key, week) as locked:
        if not locked:
            outcome.status, outcome.detail = BUSY, "another run is sending this digest"
            return outcome
        entry = ledger.read(campaign.id, creator.key, week) or {}
        state = entry["state"] if entry else None
        if not dry_run and state == "sent":
            outcome.status, outcome.message_id = ALREADY_SENT, entry.get("message_id")
            return outcome
        if not dry_run and state not in SENDABLE_STATES and not resend_unconfirmed:
            outcome.status, outcome.message_id = UNCONFIRMED, entry.get("message_id")
            outcome.detail = (
                "a previous send may have reached the server: check the mail log for this Message-ID, "
                "then re-run with --resend-unconfirmed if it was not delivered"
            )
            return outcome
        sender = smtp.sender if smtp else DRY_RUN_SENDER
        recipient = creator.digest_email or NO_RECIPIENT
        digest = build_digest(con if con is not None else lake, registry, campaign.id, creator.key, week)
        subject, html, text = render_digest(digest, reveal=reveal)
        chart = week_chart_png(digest.days, Translator(digest.locale))
        message_id = digest_message_id(campaign.id, creator.key, week, sender)
        message = build_message(
            subject=subject,
            html=html,
            text=text,
            chart_png=chart,
            sender=sender,
            recipient=recipient,
            message_id=message_id,
            digest_key=f"{campaign.id}/{creator.key}/{week}",
            now=now,
        ).as_bytes()
        outcome.message_id = message_id
        outcome.archive = write_archive(
            lake,
            campaign.id,
            creator.key,
            week,
            message=message,
            figures=digest.to_json(),
            html=html,
            text=text,
            chart_png=chart,
        )
        if dry_run:
            return outcome
        assert smtp is not None
        ledger.record(
            campaign.id,
            creator.key,
            week,
            "sending",
            message_id=message_id,
            recipient_tag=_recipient_tag(recipient),
            archive=str(outcome.archive),
        )

        def on_attempt(number: int) -> None:
            outcome.attempts = number

        try:
            deliver(smtp, recipient, message, on_attempt=on_attempt)
        except AmbiguousDelivery as exc:
            ledger.record(campaign.id, creator.key, week, "unconfirmed", attempts=outcome.attempts, error=str(exc))
            outcome.status, outcome.detail = UNCONFIRMED_NOW, str(exc)
            log.warning("digest %s/%s/%s unconfirmed: %s", campaign.id, creator.key, week, exc)
            return outcome
        except Exception as exc:  # a definite refusal or an unreachable server: safe to try next run
            detail = f"{type(exc).__name__}: {getattr(exc, 'smtp_code', '')} {_short(exc)}".strip()
            ledger.record(campaign.id, creator.key, week, "failed", attempts=outcome.attempts, error=detail)
            outcome.status, outcome.detail = FAILED, detail
            log.warning(
                "digest %s/%s/%s failed after %d attempts: %s", campaign.id, creator.key, week, outcome.attempts, detail
            )
            return outcome
        ledger.record(
            campaign.id, creator.key, week, "sent", attempts=outcome.attempts, sent_at=datetime.now(UTC).isoformat()
        )
        log.info("digest %s/%s/%s sent in %d attempt(s)", campaign.id, creator.key, week, outcome.attempts)
        return outcome


def _short(exc: Exception) -> str:
    text = str(exc).replace("\n", " ")
    return text[:200]


def send_digests(
    lake: Lake,
    registry: Registry,
    week: date | None,
    settings: SmtpSettings | Settings | None = None,
    dry_run: bool = False,
    *,
    campaign_id: str | None = None,
    creator_key: str | None = None,
    resend_unconfirmed: bool = False,
    reveal: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
) -> DigestReport:
    """One digest per (non-control) creator for ``week`` (any day in it; None: last complete week).

    ``settings`` may be SmtpSettings, or the general Settings / None to read SMTP from the environment.
    A failure for one creator is recorded in the report and does not stop the others.
    """
    smtp = settings if isinstance(settings, SmtpSettings) else None
    if not dry_run and smtp is None:
        smtp = SmtpSettings.from_env()
    campaigns = [registry.campaign(campaign_id)] if campaign_id else registry.campaigns
    jobs = [(c, k) for c in campaigns for k in c.creators if creator_key in (None, k.key)]
    if creator_key and not jobs:
        raise KeyError(f"no creator {creator_key!r} in {'campaign ' + campaign_id if campaign_id else 'the registry'}")
    report = DigestReport()
    con = lake.connect()
    for done, (campaign, creator) in enumerate(jobs, start=1):
        if creator.control:
            start = monday_of(week) if week else last_complete_week(creator.timezone, now).start
            report.outcomes.append(DigestOutcome(campaign.id, creator.key, start, CONTROL))
        else:
            report.outcomes.append(
                run_creator_digest(
                    lake,
                    registry,
                    campaign.id,
                    creator.key,
                    week,
                    dry_run=dry_run,
                    smtp=smtp,
                    con=con,
                    resend_unconfirmed=resend_unconfirmed,
                    reveal=reveal,
                    now=now,
                )
            )
        if on_progress:
            on_progress(done, len(jobs))
    return report
