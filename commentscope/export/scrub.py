"""PII scrubbing of comment text for exports: @mentions, e-mails, phone numbers and URLs -> placeholders.

Order matters: e-mails before mentions and bare domains (an e-mail contains both), URLs before
mentions (``tiktok.com/@someone``). Phone numbers cover the four campaign countries' local and
international formats (TH +66 / 0X, ID +62 / 08, MY +60 / 01, PH +63 / 09), with spaces, dots,
dashes or brackets between digit groups, in Arabic or Thai digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

USER, EMAIL, PHONE, URL = "<USER>", "<EMAIL>", "<PHONE>", "<URL>"
PLACEHOLDERS = {"mention": USER, "email": EMAIL, "phone": PHONE, "url": URL}

_DIGIT = r"[0-9\u0e50-\u0e59]"  # Arabic and Thai digits
_SEP = r"[\s.\-()]{0,2}"
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_TLDS = "com|net|org|info|io|co|me|ly|gl|gd|to|id|my|th|ph|sg|app|link|xyz|site|online|shop|tv|cc|page"
_BARE_DOMAIN = re.compile(rf"\b(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"']*)?", re.IGNORECASE)
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


def scrub(text: str | None, counts: ScrubCounts | None = None) -> str | None:
    """Replace PII in ``text`` with placeholders; ``counts`` (if given) tallies the replacements."""
    if not text:
        return text
    tally = counts or ScrubCounts()
    text, n = _EMAIL.subn(EMAIL, text)
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
