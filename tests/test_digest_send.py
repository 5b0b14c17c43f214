"""Delivery to a real local SMTP server (aiosmtpd): message parts, TLS, retries, never twice."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from commentscope.digest import SmtpSettings, SmtpSettingsError, run_creator_digest, send_digests
from commentscope.digest.archive import Ledger, archive_dir
from commentscope.digest.run import (
    ALREADY_SENT,
    CONTROL,
    DRY_RUN,
    FAILED,
    NOT_OVER,
    SENT,
    UNCONFIRMED,
    UNCONFIRMED_NOW,
)
from commentscope.lake import Lake
from tests.test_digest_support import CAMPAIGN, WEEK, comment, make_registry, synthetic_history, write_comments


@pytest.fixture
def lake(tmp_path) -> Lake:
    lake = Lake(tmp_path / "data")
    records = synthetic_history("nong", seed=3)
    records.append(
        comment(
            "nong",
            datetime(2025, 3, 11, 5, tzinfo=UTC),
            "<script>alert(1)</script> kafir",
            labels=("hate", "toxic"),
            targets=("religion",),
            terms=("kafir",),
            likes=9999,
        )
    )
    records += synthetic_history("ayu", seed=4)
    write_comments(lake, records)
    return lake


def settings_for(server, **overrides) -> SmtpSettings:
    return SmtpSettings.from_env({**server.env(), **overrides})


def test_delivered_message_has_both_parts_and_the_chart(lake, smtp_server):
    registry = make_registry()
    outcome = run_creator_digest(lake, registry, CAMPAIGN, "nong", WEEK, smtp=settings_for(smtp_server))
    assert outcome.status == SENT and outcome.attempts == 1
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received.rcpt_tos == ["nong@creators.test"]
    message = received.message
    assert message["Message-ID"] == outcome.message_id
    assert message["To"] == "nong@creators.test"
    assert "มี.ค." in str(message["Subject"])  # Thai month in the subject
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    assert "สัปดาห์นี้" in plain.get_content()
    html_text = html.get_content()
    assert 'src="cid:week-chart"' in html_text
    assert "<script>" not in html_text and "&lt;script&gt;" in html_text
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1
    assert images[0]["Content-ID"] == "<week-chart>"
    assert images[0].get_content().startswith(b"\x89PNG")
    # what was sent is exactly what was archived before sending
    archived = (outcome.archive / "message.eml").read_bytes()
    assert received.data.replace(b"\r\n", b"\n").strip() == archived.replace(b"\r\n", b"\n").strip()
    entry = Ledger(lake).read(CAMPAIGN, "nong", WEEK)
    assert entry["state"] == "sent" and entry["message_id"] == outcome.message_id
    assert "nong@creators.test" not in json.dumps(entry)  # the ledger keeps a hash, not the address


def test_4xx_is_retried_once_then_never_sent_again(lake, smtp_server):
    registry = make_registry()
    smtp_server.fail_next("451 4.3.0 Try again later")
    first = run_creator_digest(lake, registry, CAMPAIGN, "nong", WEEK, smtp=settings_for(smtp_server))
    assert first.status == SENT and first.attempts == 2
    assert smtp_server.handler.data_commands == 2
    assert len(smtp_server.messages) == 1
    again = run_creator_digest(lake, registry, CAMPAIGN, "nong", WEEK, smtp=settings_for(smtp_server))
    assert again.status == ALREADY_SENT and again.message_id == first.message_id
    report = send_digests(lake, registry, WEEK + timedelta(days=3), settings_for(smtp_server), campaign_id=CAMPAIGN)
    statuses = {o.creator: o.status for o in report.outcomes}
    assert statuses["nong"] == ALREADY_SENT
    assert statuses["ctrl"] == CONTROL
    assert len(smtp_server.messages) == 1 + sum(1 for s in statuses.values() if s == SENT)
    assert [m.rcpt_tos for m in smtp_server.messages].count(["nong@creators.test"]) == 1


def test_permanent_refusal_is_not_retried_and_a_later_run_may_send(lake, smtp_server):
    registry = make_registry()
    smtp_server.fail_next("554 5.7.1 Rejected")
    failed = run_creator_digest(lake, registry, CAMPAIGN, "nong", WEEK, smtp=settings_for(smtp_server))
    assert failed.status == FAILED and failed.attempts == 1 and "554" in failed.detail
    assert smtp_server.messages == []
    assert Ledger(lake).state(CAMPAIGN, "nong", WEEK) == "failed"
    retried = run_creator_digest(lake, registry, CAMPAIGN, "nong", WEEK, smtp=settings_for(smtp_server))
    assert retried.status == SENT and len(smtp_server.messages) == 1


def test_retries_give_up_after_the_configured_attempts(lake, smtp_server):
    smtp_server.fail_next(*["421 4.7.0 Busy"] * 5)
    settings = settings_for(smtp_server, COMMENTSCOPE_SMTP_ATTEMPTS="3")
    outcome = run_creator_digest(lake, make_registry(), CAMPAIGN, "nong", WEEK, smtp=settings)
    assert outcome.status == FAILED and outcome.attempts == 3
    assert smtp_server.handler.data_commands == 3 and smtp_server.messages == []


def test_unreachable_server_is_retried_then_left_for_the_next_run(lake):
    from tests.fixtures.smtp import free_port

    settings = SmtpSettings(
        host="127.0.0.1", port=free_port(), sender="d@x.test", starttls=False, attempts=2, retry_wait=0.01, timeout=2
    )
    outcome = run_creator_digest(lake, make_registry(), CAMPAIGN, "nong", WEEK, smtp=settings)
    assert outcome.status == FAILED and outcome.attempts == 2 and "Connection" in outcome.detail
    assert Ledger(lake).state(CAMPAIGN, "nong", WEEK) == "failed"


def test_connection_lost_after_accept_is_never_resent_blindly(lake, smtp_server):
    registry = make_registry()
    smtp_server.drop_next_after_accept()
    outcome = run_creator_digest(lake, registry, CAMPAIGN, "nong", WEEK, smtp=settings_for(smtp_server))
    assert outcome.status == UNCONFIRMED_NOW and outcome.attempts == 1
    assert len(smtp_server.messages) == 1  # the server did take it
    skipped = run_creator_digest(lake, registry, CAMPAIGN, "nong", WEEK, smtp=settings_for(smtp_server))
    assert skipped.status == UNCONFIRMED and len(smtp_server.messages) == 1
    # an operator who checked the mail log may resend; the Message-ID is the same, so it is recognisable
    resent = run_creator_digest(
        lake, registry, CAMPAIGN, "nong", WEEK, smtp=settings_for(smtp_server), resend_unconfirmed=True
    )
    assert resent.status == SENT
    ids = [m.message["Message-ID"] for m in smtp_server.messages]
    assert ids == [outcome.message_id, outcome.message_id]


def test_crash_between_send_and_record_blocks_a_second_send(lake, smtp_server):
    """A run that died after writing 'sending' leaves no proof either way: do not send again."""
    Ledger(lake).record(CAMPAIGN, "nong", WEEK, "sending", message_id="<x@y>")
    outcome = run_creator_digest(lake, make_registry(), CAMPAIGN, "nong", WEEK, smtp=settings_for(smtp_server))
    assert outcome.status == UNCONFIRMED and smtp_server.messages == []


def test_dry_run_writes_files_and_sends_nothing(lake, smtp_server):
    registry = make_registry()
    report = send_digests(lake, registry, WEEK, None, dry_run=True)
    assert smtp_server.messages == []
    dry = [o for o in report.outcomes if o.status == DRY_RUN]
    assert {o.creator for o in dry} == {"nong", "ayu", "aisyah", "jun", "sam"}
    for outcome in dry:
        folder = archive_dir(lake, CAMPAIGN, outcome.creator, WEEK)
        assert {p.name for p in folder.iterdir()} >= {
            "message.eml",
            "digest.json",
            "digest.html",
            "digest.txt",
            "week.png",
        }
    assert not Ledger(lake).root.exists() or not list(Ledger(lake).root.rglob("*.json"))
    # a dry run does not count as a send
    sent = run_creator_digest(lake, registry, CAMPAIGN, "nong", WEEK, smtp=settings_for(smtp_server))
    assert sent.status == SENT


def test_a_week_that_has_not_ended_is_not_sent(lake, smtp_server):
    registry = make_registry()
    sunday_evening = datetime(2025, 3, 16, 12, tzinfo=UTC)  # 19:00 on Sunday in Bangkok
    early = run_creator_digest(
        lake, registry, CAMPAIGN, "nong", WEEK, smtp=settings_for(smtp_server), now=sunday_evening
    )
    assert early.status == NOT_OVER and smtp_server.messages == []
    preview = run_creator_digest(lake, registry, CAMPAIGN, "nong", WEEK, dry_run=True, now=sunday_evening)
    assert preview.status == DRY_RUN


def test_starttls_with_login(lake, smtp_tls_server):
    settings = settings_for(smtp_tls_server)
    assert settings.starttls and settings.username
    outcome = run_creator_digest(lake, make_registry(), CAMPAIGN, "ayu", WEEK, smtp=settings)
    assert outcome.status == SENT
    assert smtp_tls_server.messages[0].rcpt_tos == ["ayu@creators.test"]
    assert "Minggu ini" in smtp_tls_server.messages[0].message.get_body(("plain",)).get_content()


def test_wrong_password_fails_without_retry(lake, smtp_tls_server):
    settings = settings_for(smtp_tls_server, COMMENTSCOPE_SMTP_PASSWORD="wrong")
    outcome = run_creator_digest(lake, make_registry(), CAMPAIGN, "ayu", WEEK, smtp=settings)
    assert outcome.status == FAILED and outcome.attempts == 1 and "Authentication" in outcome.detail
    assert smtp_tls_server.messages == []


def test_untrusted_certificate_is_refused(lake, smtp_tls_server):
    env = smtp_tls_server.env()
    env.pop("COMMENTSCOPE_SMTP_CA_FILE")
    outcome = run_creator_digest(lake, make_registry(), CAMPAIGN, "ayu", WEEK, smtp=SmtpSettings.from_env(env))
    assert outcome.status == FAILED and outcome.attempts == 1 and "SSL" in outcome.detail
    assert smtp_tls_server.messages == []


def test_implicit_tls(lake, smtp_ssl_server):
    outcome = run_creator_digest(lake, make_registry(), CAMPAIGN, "ayu", WEEK, smtp=settings_for(smtp_ssl_server))
    assert outcome.status == SENT and len(smtp_ssl_server.messages) == 1


def test_settings_errors_say_the_fix():
    with pytest.raises(SmtpSettingsError, match="COMMENTSCOPE_SMTP_HOST.*--dry-run"):
        SmtpSettings.from_env({})
    with pytest.raises(SmtpSettingsError, match="choose one"):
        SmtpSettings.from_env(
            {
                "COMMENTSCOPE_SMTP_HOST": "mail.example.org",
                "COMMENTSCOPE_SMTP_FROM": "a@b.c",
                "COMMENTSCOPE_SMTP_SSL": "1",
                "COMMENTSCOPE_SMTP_STARTTLS": "1",
            }
        )
    with pytest.raises(SmtpSettingsError, match="without TLS"):
        SmtpSettings.from_env(
            {
                "COMMENTSCOPE_SMTP_HOST": "mail.example.org",
                "COMMENTSCOPE_SMTP_FROM": "a@b.c",
                "COMMENTSCOPE_SMTP_STARTTLS": "0",
                "COMMENTSCOPE_SMTP_USERNAME": "u",
            }
        )
    defaults = SmtpSettings.from_env({"COMMENTSCOPE_SMTP_HOST": "mail.example.org", "COMMENTSCOPE_SMTP_FROM": "a@b.c"})
    assert defaults.starttls and defaults.port == 587
