"""Normalisation: one clean display form and one matching form, so filter-dodging spellings still match.

The original text is never changed (the record keeps it in ``text``). ``clean`` gives the display
form stored as ``text_normalized`` (NFC, no zero-width or control characters, tidy spaces);
``match_form`` is what lexicons, tokenisers and models see: lower-case, compatibility-folded
Latin (fullwidth and "𝐛𝐨𝐥𝐝" letters), Cyrillic look-alikes, leetspeak, s.p.a.c.e.d letters,
elongations ("bodohhhh", "มากกกก", "555555"); emoji stand apart so the tokeniser names them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u2060\ufeff\u00ad\u180e\u200e\u200f"), None)
_HAS_ZERO_WIDTH = re.compile("[\u200b\u200c\u2060\ufeff\u00ad\u180e\u200e\u200f]")
_SPACES = re.compile(r"\s+")
# Unicode category Cc is exactly these two ranges (checked in tests/test_nlp_speed.py).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LONE_ZWJ = re.compile(
    r"(?<![\U0001F000-\U0001FAFF\u2600-\u27BF])\u200d|\u200d(?![\U0001F000-\U0001FAFF\u2600-\u27BF])"
)
# Characters ``_fold_char`` may change: everything except ASCII and Thai, which it always keeps.
_FOLDABLE = re.compile(r"[^\x00-\x7f\u0e00-\u0e7f]")
_SPACED_GAP = re.compile(r"[\s.\-_*·]")
_DOUBLED = re.compile(r"(.)\1+")
_THAI_CHAR = re.compile(r"[\u0e00-\u0e7f]")
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "х": "x",
        "у": "y",
        "к": "k",
        "м": "m",
        "т": "t",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "һ": "h",
        "ԁ": "d",
        "ɡ": "g",
        "α": "a",
        "ο": "o",
        "ι": "i",
        "ν": "v",
        "κ": "k",
        "τ": "t",
        "ρ": "p",
    }
)
# Any character ``_HOMOGLYPHS`` maps: most non-ASCII comments (Thai) hold none, and a search costs far less
# than ``str.translate`` walking the whole text.
_HOMOGLYPH_CHARS = re.compile("[" + "".join(map(chr, _HOMOGLYPHS)) + "]")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
# A run of Latin "word" characters that mixes letters with leet symbols, e.g. "b0d0h", "k!ll", "$tupid".
# The lookahead skips runs without a leet symbol (``_deleet`` would return them unchanged) in C.
_LEET_WORD = re.compile(
    r"(?<![\w@$!])(?=[\w@$!]*[0134579@$!])"
    r"(?:[\w@$!]*[a-z][\w@$!]*|[\w@$!]*[@$!][\w@$!]*[a-z][\w@$!]*)"
)
_SPACED = re.compile(r"(?<![a-z])(?:[a-z][\s.\-_*·]){2,}[a-z](?![a-z])")
# Necessary conditions, cheap to scan for, of the rewrites below (each regex alone tests a lookaround at
# every character): a letter and a leet symbol in one run; three letters with gaps.
# Two forms of that first hint (each finds a run of [\w@$!] holding both, as two alternatives that each open with
# a class did, tried at every character): on Thai text ``_LEET_HINT`` opens with one class, so the engine skips to
# its few characters in C; on Latin text ``_LEET_HINT_RUNS`` scans each run once from its start (the other forms
# scan a word again from each of its letters).
_LEET_HINT = re.compile(r"[a-z0134579@$!](?:(?<=[a-z])[\w@$!]*?[0134579@$!]|(?<=[0134579@$!])[\w@$!]*?[a-z])")
_LEET_HINT_RUNS = re.compile(r"(?<![\w@$!])(?=[\w@$!]*?[a-z])[\w@$!]*?[0134579@$!]")
_SPACED_HINT = re.compile(r"[a-z][\s.\-_*·][a-z][\s.\-_*·][a-z]")
_LEET_CHARS = frozenset("0134579@$!")
_LEET_FINAL = frozenset("0135$")
_LEET_INNER = frozenset("0134579@$")
_LATIN_RUN = re.compile(r"([a-z])\1{2,}")
# A run of one Thai consonant or mark (vowel above or below, tone), ``_thai_run`` decides what it becomes: one
# pass for the two rewrites (a pass over a Thai post costs more than the calls for its few runs).
_THAI_RUN = re.compile(r"([\u0e01-\u0e2e\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\1+")
_THAI_LAUGH = re.compile(r"5{3,}")
_LATIN_LAUGH = re.compile(r"\b(?=[wh])(?:(?:wk){2,}w?k?|(?:ha){2,}h?|(?:he){3,}|(?:hi){3,})\b")
_PUNCT_RUN = re.compile(r"([!?.])\1{2,}")
# Punctuation glued between two words ("tuh....kampret", "pelakor,,,ngaku", 'nigga"yee'): the tokeniser
# keeps such a run as one token, so the words in it met neither the lexicon nor the models. Not "!" (leet
# "k!ll") nor "'" or "-" (in words), and never inside a URL, e-mail or domain ("youtube.com").
# The regex finds the punctuation and the two letters after it; ``_unglue`` checks the two before (a lookbehind
# tried at every character cost a Thai post 46 us).
_GLUED = re.compile(r"[.,;:?\"]+(?=[^\W\d_]{2})")
_LETTER = re.compile(r"[^\W\d_]")
# What makes a space-delimited run a URL, e-mail or domain (``_unglue`` looks only in the run around a candidate:
# a pattern for the whole run, "\S*...\S*", backtracks over a Thai post's long runs without spaces).
_URL_MARK = re.compile(r"/|@|www|\.(?:com|net|org|gov|edu|co|id|my|ph|th|sg|io|ly|me|tv|info|html?|php)\b")


def is_emoji(char: str) -> bool:
    """Pictographs, symbols and flags: the characters we keep as named tokens."""
    cp = ord(char)
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0x2B00 <= cp <= 0x2BFF
        or 0x1F1E6 <= cp <= 0x1F1FF
        or cp in (0x2764, 0x2763, 0x203C, 0x2049)
    )


@lru_cache(maxsize=4096)
def emoji_name(char: str) -> str:
    """``🐒`` -> ``:monkey_face:``; the Unicode name, so lexicons can list emoji used as slurs."""
    name = unicodedata.name(char, f"U+{ord(char):04X}").lower()
    return ":" + re.sub(r"[^a-z0-9]+", "_", name).strip("_") + ":"


def clean(text: str) -> str:
    """NFC, zero-width and control characters removed (ZWJ kept inside emoji sequences), spaces tidied."""
    return _clean(text)[0]


def _clean(text: str) -> tuple[str, bool]:
    """``clean(text)``, and whether nothing was removed. Then cleaning it again changes nothing: the text is
    NFC, and replacing control characters and runs of whitespace by one space, or stripping it, puts no two
    other characters side by side (NFC composes no whitespace or control character). A removed zero-width
    character or joiner does: a letter and its accent then meet, and NFC may join them."""
    if text.isascii() and text.isprintable():  # most comments: no NFC change, no control or zero-width chars
        return _single_spaced(text), True
    text = unicodedata.normalize("NFC", text)
    if text.isprintable():  # no zero-width, joiner, control or whitespace character but " ": none is printable
        return _single_spaced(text), True
    size = len(text)
    if _HAS_ZERO_WIDTH.search(text):
        text = text.translate(_ZERO_WIDTH)
    if "\u200d" in text:
        text = _LONE_ZWJ.sub("", text)
    kept_all = len(text) == size
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split()), kept_all  # ``str.split`` and ``\s`` share one whitespace test (tested)


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """Compatibility-fold non-Thai characters (NFKC would break Thai SARA AM), keep emoji apart."""
    if _THAI_CHAR.match(char):
        return char
    if is_emoji(char):
        return f" {char} "
    if char == "\u200d" or "\ufe00" <= char <= "\ufe0f" or "\U0001f3fb" <= char <= "\U0001f3ff":
        return ""
    if ord(char) < 128:
        return char
    return unicodedata.normalize("NFKC", char)


def _fold_match(match: re.Match[str]) -> str:
    return _fold_char(match.group(0))


def _deleet(match: re.Match[str]) -> str:
    """Swap leet symbols that sit inside a word ("b0d0h", "k!ll", "a$$"), not "1st", "lu!" or "2024"."""
    word = match.group(0)
    core = word.rstrip("!")
    tail = word[len(core) :]
    if core.isalpha() or core.isdigit() or not any(c.isalpha() for c in core):
        return word
    chars = list(core)
    for i, char in enumerate(chars):
        if char not in _LEET_CHARS:
            continue
        left = i > 0 and chars[i - 1].isalpha()
        right = i + 1 < len(chars) and (chars[i + 1].isalpha() or chars[i + 1] in _LEET_INNER)
        at_end = i + 1 == len(chars) and char in _LEET_FINAL
        if left and (right or at_end):
            chars[i] = char.translate(_LEET)
    return "".join(chars) + tail


def match_form(text: str) -> str:
    """The form every matcher sees: folded, lower-case, de-leeted, de-spaced, de-elongated."""
    return _matchable(clean(text))


def display_and_match_form(text: str) -> tuple[str, str]:
    """``clean(text)`` and the match form of that (what the analyzer keeps), cleaning only once when that removed
    nothing (``_clean``: a second pass would change nothing). ``clean`` is not always idempotent (a zero-width
    character between a letter and its accent), so otherwise it runs again, except on ASCII."""
    display, kept_all = _clean(text)
    return display, _matchable(display if kept_all or display.isascii() else clean(display))


def _matchable(text: str) -> str:
    """Each rewrite runs only where its necessary substring is present (a substring test costs far less
    than a regex scan that finds nothing)."""
    # Only ASCII and Thai (most comments): nothing to fold, and no homoglyph after ``lower`` either
    foreign = not text.isascii() and _FOLDABLE.search(text) is not None
    if foreign:
        text = _FOLDABLE.sub(_fold_match, text)
    text = text.lower()
    if foreign and _HOMOGLYPH_CHARS.search(text):
        text = text.translate(_HOMOGLYPHS)
    if "!!!" in text or "???" in text or "..." in text:
        text = _PUNCT_RUN.sub(r"\1", text)
    if _GLUED.search(text):
        text = _unglue(text)
    # no step below adds or removes a Thai character (leet, spacing and elongation touch Latin text only)
    thai = _THAI_CHAR.search(text) is not None
    if (_LEET_HINT if thai else _LEET_HINT_RUNS).search(text):
        text = _LEET_WORD.sub(_deleet, text)
    if _SPACED_HINT.search(text):
        text = _SPACED.sub(lambda m: _SPACED_GAP.sub("", m.group(0)), text)
    if _LATIN_RUN.search(text):
        text = _LATIN_RUN.sub(r"\1\1", text)
    if "haha" in text or "wkwk" in text or "hehehe" in text or "hihihi" in text:
        text = _LATIN_LAUGH.sub("haha", text)
    if thai:
        text = _THAI_RUN.sub(_thai_run, text)
    if "555" in text:
        text = _THAI_LAUGH.sub("555", text)
    # ``clean`` left single spaces and no other whitespace; folding (emoji set apart, NFKC) or a removal can
    # double a space, but makes no other whitespace (NFKC of no character holds any: a test checks them all)
    return _single_spaced(text)


def _single_spaced(text: str) -> str:
    """Runs of spaces as one, ends stripped, for text whose only whitespace is " " (the regex only where needed)."""
    return (_SPACES.sub(" ", text) if "  " in text else text).strip()


def _thai_run(match: re.Match[str]) -> str:
    """A run of one Thai mark: the mark once ("ดีีี"). Of one consonant: the consonant once when tripled or more,
    or doubled at the end of a Thai run ("มากกก", "มากก"), else the run unchanged (words with a doubled consonant).
    The same as folding mark runs and then consonant runs, the regexes this replaced (a test compares): the two
    touch different runs, and a folded mark run still has its mark after the consonant run it follows."""
    run = match.group(0)
    char = run[0]
    if char > "\u0e2e" or len(run) > 2:
        return char
    end, text = match.end(), match.string
    return char if end == len(text) or not "\u0e00" <= text[end] <= "\u0e7f" else run


def _unglue(text: str) -> str:
    """A space after punctuation glued between two words, outside URL-like spans."""

    def spaced(match: re.Match[str]) -> str:
        start = match.start()
        if start < 2 or not (_LETTER.match(text, start - 2) and _LETTER.match(text, start - 1)):
            return match.group(0)
        # the run of the candidate (``clean`` left single spaces, and folding only adds spaces)
        end = text.find(" ", start)
        if _URL_MARK.search(text, text.rfind(" ", 0, start) + 1, len(text) if end < 0 else end):
            return match.group(0)
        return match.group(0) + " "

    return _GLUED.sub(spaced, text)


def squeeze(word: str) -> str:
    """Collapse every doubled letter: the key that lets "bodohh" and "bodoh" meet in the lexicon."""
    return _DOUBLED.sub(r"\1", word)
