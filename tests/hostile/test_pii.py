"""PII that hides from a plain pattern: obfuscated e-mails, full-width characters, bracketed dots,
an Indonesian NIK and payment card numbers (Luhn-checked) are scrubbed from exported text, while
ordinary words and numbers survive."""

from __future__ import annotations

import pytest

from commentscope.export.scrub import ScrubCounts, scrub


@pytest.mark.parametrize(
    ("text", "kind", "leak"),
    [
        ("kontak budi.santoso [at] gmail [dot] com ya", "email", "santoso"),
        ("budi.santoso(at)gmail(dot)com", "email", "santoso"),
        ("email budi.santoso {at} yahoo {dot} co {dot} id", "email", "santoso"),
        ("tulis ke budisantoso at gmail dot com", "email", "budisantoso"),
        ("tulis ke budi_88 at kantor dot co dot id", "email", "budi_88"),
        ("budi.santoso @ gmail . com", "email", "santoso"),
        ("budi.santoso [@] gmail [.] com", "email", "santoso"),
        ("ｂｕｄｉ＠ｇｍａｉｌ．ｃｏｍ", "email", "budi"),  # full-width letters, at sign and dot
        ("budi＠gmail.com", "email", "budi"),  # full-width at sign only
        ("wa ０８１２-３４５６-７８９０", "phone", "3456"),  # full-width digits
        ("buka example[.]com sekarang", "url", "example"),
        ("buka example(.)com/promo sekarang", "url", "example"),
        ("NIK saya 3174051203900001", "national_id", "3174"),
        ("nik 3174 0512 0390 0001 ya", "national_id", "0390"),
        ("nik perempuan 6471054507850003", "national_id", "6471"),  # day + 40, and a 62-like prefix
        ("kartu 4111 1111 1111 1111 exp 12/29", "card", "1111"),
        ("mastercard 5500-0000-0000-0004", "card", "0004"),
        ("amex 378282246310005", "card", "378282"),
    ],
)
def test_hidden_pii_is_replaced(text, kind, leak):
    counts = ScrubCounts()
    out = scrub(text, counts)
    assert leak not in out, out
    assert counts.counts[kind] >= 1, (out, counts.counts)


@pytest.mark.parametrize(
    "text",
    [
        "I am at home dot com? no",  # words, not an address
        "meet at school. com later",
        "score 3-1 at 10.30 pm, price 0.99 @ 5pm; email@ later",
        "in 2024 we had 1000000 views, order 1234567890123",  # 13 digits failing Luhn: kept
        "video 7460000000000000001 mantap",  # a 19-digit TikTok id failing Luhn: kept
        "the number 9999999999999999 is not a NIK",  # province 99 does not exist
    ],
)
def test_ordinary_text_survives(text):
    assert scrub(text) == text


def test_existing_kinds_still_work_after_normalisation():
    out = scrub("@budi_88 lihat https://www.tiktok.com/@siti.r/video/1 mail siti.r@gmail.com call 0812-3456-7890")
    assert out == "<USER> lihat <URL> mail <EMAIL> call <PHONE>"
