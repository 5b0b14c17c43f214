"""Make hostile comment text inert before it reaches a template (which escapes it as well).

Comments are attacker-controlled. HTML escaping (jinja2 autoescape) stops markup; this module
stops the rest: bidi overrides that reorder what a reader sees, control characters, floods of
emoji or combining marks that bury the digest, and unsafe link schemes.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# Bidi embeddings/overrides/isolates and marks; genuine RTL letters (Jawi, Arabic) are kept.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_CONTROL = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff]")
_WHITESPACE = re.compile(r"\s+")
# One emoji "cluster": a pictograph plus optional variation selector, skin tone, ZWJ sequence.
_PICTO = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\u3030\u303d\u3297\u3299"
_MODS = "\ufe0e\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\u20e3"
_CLUSTER = f"[{_PICTO}][{_MODS}]*(?:\u200d[{_PICTO}][{_MODS}]*)*"
_EMOJI_RUN = re.compile(f"(?:{_CLUSTER}\\s*){{2,}}")
_EMOJI_ONE = re.compile(_CLUSTER)

MAX_EMOJI_RUN = 8
MAX_COMBINING = 3
MAX_CHARS = 400
ELLIPSIS = "…"


def _cap_emoji(match: re.Match[str]) -> str:
    run = match.group(0)
    clusters = _EMOJI_ONE.findall(run)
    if len(clusters) <= MAX_EMOJI_RUN:
        return run
    trailing = " " if run[-1].isspace() else ""
    return "".join(clusters[:MAX_EMOJI_RUN]) + ELLIPSIS + trailing


def _cap_combining(text: str) -> str:
    out: list[str] = []
    run = 0
    for char in text:
        if unicodedata.combining(char):
            run += 1
            if run > MAX_COMBINING:
                continue
        else:
            run = 0
        out.append(char)
    return "".join(out)


def clean_text(text: str, max_chars: int = MAX_CHARS) -> str:
    """Comment text safe to show: no bidi controls or control characters, floods capped, one line."""
    text = unicodedata.normalize("NFC", text or "")
    text = BIDI_CONTROLS.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _WHITESPACE.sub(" ", text).strip()
    text = _EMOJI_RUN.sub(_cap_emoji, text)
    text = _cap_combining(text)
    if len(text) > max_chars:
        text = text[:max_chars].rstrip() + ELLIPSIS
    return text


def _mask_word(word: str) -> str:
    return word[:1] + "*" * (len(word) - 1) if len(word) > 1 else "*"


def mask_text(text: str, terms: list[str]) -> str:
    """Hide the flagged terms (first letter kept); hide every word when no term is found in the text.

    A reviewer sees what kind of comment it is without the digest repeating the slur; the link to
    the video shows the original.
    """
    found = False
    for term in sorted({t for t in terms if t and t.strip()}, key=len, reverse=True):
        pattern = re.compile(re.escape(term), re.IGNORECASE)
        if pattern.search(text):
            found = True
            text = pattern.sub(lambda m: _mask_word(m.group(0)), text)
    if found:
        return text
    return " ".join(_mask_word(word) for word in text.split(" ") if word)


def safe_link(url: str | None, fallback: str | None = None) -> str | None:
    """Only http(s) links with a host reach a digest; anything else falls back."""
    for candidate in (url, fallback):
        if not candidate:
            continue
        candidate = BIDI_CONTROLS.sub("", _CONTROL.sub("", candidate)).strip()
        parts = urlsplit(candidate)
        if parts.scheme in ("http", "https") and parts.netloc and " " not in candidate:
            return candidate
    return None
