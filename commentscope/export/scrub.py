"""PII scrubbing of comment text for exports: @mentions, e-mails, phone numbers, URLs, national id and
payment card numbers -> placeholders (the table is in docs/export.md).

The text is NFKC-normalised first, so full-width forms (``＠``, ``０８１２``, ``ｇｍａｉｌ``) are
caught like their ASCII twins. Order matters: cards and national ids before phones (their digit
runs overlap), e-mails (plain and obfuscated: ``name [at] gmail [dot] com``, ``name(at)gmail(dot)com``,
``name @ gmail . com``, ``name at gmail dot com``) before mentions and domains (an e-mail contains
both), URLs before mentions (``tiktok.com/@someone``). Bare domains include ``example[.]com``. Phone
numbers cover the four campaign countries' local and international formats (TH +66 / 0X, ID +62 / 08,
MY +60 / 01, PH +63 / 09), with spaces, dots, dashes or brackets between digit groups, in Arabic or
Thai digits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

USER, EMAIL, PHONE, URL, NATIONAL_ID, CARD = "<USER>", "<EMAIL>", "<PHONE>", "<URL>", "<ID>", "<CARD>"
PLACEHOLDERS = {"mention": USER, "email": EMAIL, "phone": PHONE, "url": URL, "national_id": NATIONAL_ID, "card": CARD}

_DIGIT = r"[0-9\u0e50-\u0e59]"  # Arabic and Thai digits
_SEP = r"[\s.\-()]{0,2}"
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_TLDS = "com|net|org|info|io|co|me|ly|gl|gd|to|id|my|th|ph|sg|app|link|xyz|site|online|shop|tv|cc|page|edu|gov|ac"
# obfuscated "@" and ".": [at] (at) {at} <at>, "@" with spaces; [dot] (dot) [.] (.), " . " with spaces
_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
_AT = rf"(?:\s*{_OPEN}\s*(?:at|@)\s*{_CLOSE}\s*|\s+@\s*|\s*@\s+)"
_DOT = rf"(?:\s*{_OPEN}\s*(?:dot|\.)\s*{_CLOSE}\s*|\s+\.\s*|\s*\.\s+)"
_WORD_DOT = rf"(?:{_DOT}|\s+dot\s+|\.)"
_LOCAL = r"[\w.+\-]*\w"
_OBFUSCATED_EMAIL = re.compile(
    rf"{_LOCAL}{_AT}[\w\-]+(?:(?:{_DOT}|\.)[\w\-]+)*(?:{_DOT}|\.)(?:{_TLDS})\b", re.IGNORECASE
)
# "name at gmail dot com": words, so only when clearly an address (a mail provider, or a handle-like name)
_WORDY_EMAIL = re.compile(
    rf"(?P<local>{_LOCAL})\s+at\s+(?P<domain>[\w\-]{{2,}})(?:{_WORD_DOT}[\w\-]+)*{_WORD_DOT}(?:{_TLDS})\b",
    re.IGNORECASE,
)
_MAIL_PROVIDERS = frozenset({
    "gmail", "googlemail", "yahoo", "ymail", "rocketmail", "hotmail", "outlook", "live", "msn", "icloud", "me",
    "mail", "proton", "protonmail", "aol", "zoho", "gmx", "yandex",
})  # fmt: skip
_BARE_DOMAIN = re.compile(
    rf"\b(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.|{_OPEN}(?:\.|dot){_CLOSE}))+(?:{_TLDS})\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_DIGITS_SEP = r"[ .\-]?"
_CARD = re.compile(rf"(?<![\w+])[2-6](?:{_DIGITS_SEP}\d){{12,18}}(?![\w])")
# Indonesian NIK: 16 digits = province (11-94), regency, district, birth date (day + 40 for women), serial
_NIK = re.compile(rf"(?<![\w+])\d(?:{_DIGITS_SEP}\d){{15}}(?![\w])")
_MENTION = re.compile(r"(?<![\w@])@[^\s@<>()\[\]{}\"',!?;:]+")
# +CC or 00CC international, 0-prefixed national, or a bare 60/62/63/66 country code, then 8-12 digits.
_PHONE = re.compile(
    rf"(?<![\w+])(?:(?:\+|00){_SEP}{_DIGIT}{{2}}|\(?[0\u0e50]|6[0236](?=[1-9]))"
    rf"(?:{_SEP}{_DIGIT}){{7,12}}(?!{_DIGIT})"
)


@dataclass
class ScrubCounts:
    """How many of each PII kind were replaced: reported in the manifest, never the values."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PLACEHOLDERS, 0))

    def add(self, other: ScrubCounts) -> None:
        for key, value in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + value


def _mention_repl(match: re.Match) -> str:
    # keep a sentence's final full stop: "thanks @ana." -> "thanks <USER>."
    value = match.group(0)
    trailing = len(value) - len(value.rstrip("."))
    return USER + value[len(value) - trailing :] if trailing else USER


def _wordy_repl(match: re.Match) -> str:
    handle_like = bool(re.search(r"[\d._]", match.group("local")))
    return EMAIL if handle_like or match.group("domain").lower() in _MAIL_PROVIDERS else match.group(0)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _card_repl(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return CARD if 13 <= len(digits) <= 19 and _luhn(digits) else match.group(0)


def _nik_repl(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    province, day, month = int(digits[:2]), int(digits[6:8]), int(digits[8:10])
    plausible = 11 <= province <= 94 and (1 <= day <= 31 or 41 <= day <= 71) and 1 <= month <= 12
    return NATIONAL_ID if plausible else match.group(0)


def _sub(pattern: re.Pattern, repl: object, text: str, placeholder: str) -> tuple[str, int]:
    """``pattern.sub`` counting only matches that were really replaced (validators may keep one)."""
    out = pattern.sub(repl, text)
    return out, out.count(placeholder) - text.count(placeholder)


def scrub(text: str | None, counts: ScrubCounts | None = None) -> str | None:
    """Replace PII in ``text`` with placeholders; ``counts`` (if given) tallies the replacements."""
    if not text:
        return text
    tally = counts or ScrubCounts()
    text = unicodedata.normalize("NFKC", text)  # full-width @, digits and letters -> ASCII
    text, n = _sub(_CARD, _card_repl, text, CARD)
    tally.counts["card"] += n
    text, n = _sub(_NIK, _nik_repl, text, NATIONAL_ID)
    tally.counts["national_id"] += n
    text, n = _EMAIL.subn(EMAIL, text)
    tally.counts["email"] += n
    text, n = _OBFUSCATED_EMAIL.subn(EMAIL, text)
    tally.counts["email"] += n
    text, n = _sub(_WORDY_EMAIL, _wordy_repl, text, EMAIL)
    tally.counts["email"] += n
    text, n = _URL.subn(URL, text)
    tally.counts["url"] += n
    text, n = _BARE_DOMAIN.subn(URL, text)
    tally.counts["url"] += n
    text, n = _MENTION.subn(_mention_repl, text)
    tally.counts["mention"] += n
    text, n = _PHONE.subn(PHONE, text)
    tally.counts["phone"] += n
    return text
