"""PII scrubbing: what must be replaced in each campaign country's formats, and what must survive."""

from __future__ import annotations

import pytest

from commentscope.export.scrub import ScrubCounts, scrub


@pytest.mark.parametrize(
    "text",
    [
        "call 081-234-5678",  # TH mobile
        "โทร +66 81 234 5678",  # TH international
        "เบอร์ ๐๘๑๒๓๔๕๖๗๘ นะ",  # TH in Thai digits
        "wa 0812-3456-7890",  # ID mobile
        "hubungi +62 812 3456 7890",  # ID international
        "wa 6281234567890",  # ID without plus
        "tel 012-345 6789",  # MY mobile
        "+60 12-345 6789",  # MY international
        "text 0917 123 4567",  # PH mobile
        "+63 917 123 4567",  # PH international
        "landline (02) 8123 4567",  # PH Manila landline
    ],
)
def test_phone_numbers_are_replaced(text):
    counts = ScrubCounts()
    out = scrub(text, counts)
    assert "<PHONE>" in out
    assert counts.counts["phone"] == 1
    assert not any(ch.isdigit() for ch in out.replace("<PHONE>", "")), out


def test_mentions_emails_urls():
    text = "@budi_88 lihat https://www.tiktok.com/@siti.r/video/1?lang=id atau bit.ly/x9 mail siti.r@gmail.com @สมชาย."
    out = scrub(text)
    assert out == "<USER> lihat <URL> atau <URL> mail <EMAIL> <USER>."
    for leaked in ("budi", "siti", "gmail", "bit.ly", "สมชาย", "@"):
        assert leaked not in out


def test_ordinary_numbers_and_words_survive():
    text = "in 2024 we had 1000000 views, score 3-1 at 10.30 pm, price 0.99 @ 5pm; email@ later"
    assert scrub(text) == text


def test_empty_and_none():
    assert scrub("") == "" and scrub(None) is None
