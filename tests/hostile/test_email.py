"""Hostile e-mail addresses: refused by the registry with the creator named, and never able to stop
the digests of the other creators (the real local SMTP server receives theirs)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from commentscope.digest import SmtpSettings, SmtpSettingsError, send_digests
from commentscope.digest.run import FAILED, SENT
from commentscope.lake import Lake
from commentscope.registry import RegistryError, load_registry
from tests.test_digest_support import CAMPAIGN, WEEK, make_registry, synthetic_history, write_comments

REGISTRY = """\
campaigns:
  - id: cf
    name: Creators Forward
    launch_date: 2024-03-01
    before: {{start: 2024-01-01, end: 2024-02-29}}
    after: {{start: 2024-03-01, end: 2024-04-30}}
    creators:
      - key: th-good
        name: Good
        country: TH
        languages: [th]
        digest_email: good@example.org
      - key: th-bad
        name: Bad
        country: TH
        languages: [th]
        digest_email: {address}
"""

HOSTILE = {
    "crlf": '"bad@example.org\\r\\nBcc: everyone@example.org"',
    "lf": '"bad@example.org\\nSubject: spam"',
    "two": '"bad@example.org, other@example.org"',
    "display-name": '"Bad <bad@example.org>"',
    "no-domain": "bad",
    "reserved": "bad@example.invalid",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_registry_refuses_the_address_naming_the_creator(tmp_path, case):
    path = tmp_path / "campaigns.yaml"
    path.write_text(REGISTRY.format(address=HOSTILE[case]), encoding="utf-8")
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{path}:17: campaigns.0.creators.1.digest_email (campaign 'cf', creator 'th-bad')")
    assert "fix: write one plain address" in message


def test_plain_addresses_still_load(tmp_path):
    path = tmp_path / "campaigns.yaml"
    path.write_text(REGISTRY.format(address="Bad.Person@Example.ORG"), encoding="utf-8")
    assert load_registry(path).campaign("cf").creator("th-bad").digest_email == "Bad.Person@example.org"


def test_a_bad_address_that_got_past_the_registry_fails_alone(tmp_path, smtp_server):
    """A registry object changed in code (as a DAG or script could) still cannot abort the run."""
    lake = Lake(tmp_path / "data")
    write_comments(lake, synthetic_history("nong", seed=3) + synthetic_history("ayu", seed=4))
    registry = make_registry()
    registry.campaign(CAMPAIGN).creator("nong").digest_email = "nong@creators.test\r\nBcc: all@creators.test"
    report = send_digests(
        lake,
        registry,
        WEEK,
        SmtpSettings.from_env(smtp_server.env()),
        campaign_id=CAMPAIGN,
        now=datetime(2025, 6, 1, tzinfo=UTC),
    )
    by_creator = {o.creator: o for o in report.outcomes}
    assert by_creator["nong"].status == FAILED and "digest_email of creator 'nong'" in by_creator["nong"].detail
    assert "creators.test" not in by_creator["nong"].detail  # the address itself is not repeated
    others = [o for o in report.outcomes if o.creator not in {"nong", "ctrl"}]
    assert others and all(o.status == SENT for o in others)
    received = sorted(r for m in smtp_server.messages for r in m.rcpt_tos)
    assert received == sorted(f"{o.creator}@creators.test" for o in others)


def test_a_line_break_in_the_sender_is_refused_before_any_digest(smtp_server):
    env = {**smtp_server.env(), "COMMENTSCOPE_SMTP_FROM": "digest@creators.test\r\nBcc: all@creators.test"}
    with pytest.raises(SmtpSettingsError, match="line break"):
        SmtpSettings.from_env(env)
