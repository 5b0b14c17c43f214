"""Language identification for th/id/ms/tl/en with a confidence and a code-mixed flag.

py3langid (its model ships inside the package) restricted to the five languages does the main call
(about 20 µs a comment). Short comments and the Indonesian/Malay pair are where it fails, so
marker words that separate id from ms (gak/tak, banget/sangat, uang/wang...) and the creator's
languages (``hints``) adjust its vote. Code-mixing (Taglish, Manglish, Thai-English) is read from
the share of tokens that are English function or common words next to the main language's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LANGS = ("th", "id", "ms", "tl", "en")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LATIN_WORD = re.compile(r"[a-z]{2,}")

# Words that lean one way in the id/ms pair (and tl), from everyday comment usage.
MARKERS: dict[str, frozenset[str]] = {
    "id": _words(
        "gak nggak ga enggak tidak banget aja saja sudah udah kamu lu lo gue gw bisa uang sekarang mereka "
        "cuma kok dong sih gimana emang kayak kalian pengen mau bikin nonton kak bang banget deh nih "
        "tolong jangan terus sama"
    ),
    "ms": _words(
        "tak awak sangat sahaja je wang kerana mahu nak korang kau aku betul macam tengok buat kat ni tu "
        "pun lah kot sikit cakap duit boleh dah nanti sebab sini beli ke sedap lor meh walao"
    ),
    "tl": _words(
        "ang ng mga sa naman po ito hindi ako ikaw mo ko ka lang talaga yung yan siya sila kami tayo "
        "natin ba na pa din rin kasi grabe sobra wag huwag nga"
    ),
    "en": _words(
        "the is are was and this that you your so very really just what why how but not don't it's i'm "
        "they them people love great good bad please stop with for of to in on"
    ),
}
# English words also common in the others, ignored when counting code-mixing.
_SHARED = _words("ok okay so lol haha wow bro sis guys video")
_MIX_SHARE = 0.2


@dataclass(frozen=True)
class LanguageGuess:
    language: str
    confidence: float
    code_mixed: bool
    languages: list[str]


@lru_cache(maxsize=1)
def _identifier():  # noqa: ANN202 - py3langid's LanguageIdentifier
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGS))
    return identifier


def _english_share(words: list[str]) -> tuple[int, int]:
    english = sum(1 for w in words if w in MARKERS["en"] and w not in _SHARED)
    return english, len(words)


def identify(text: str, hints: Sequence[str] = ()) -> LanguageGuess:
    """Main language, its confidence, and whether English is mixed in (or the main language is English)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        lang = hints[0] if hints and hints[0] in LANGS else "und"
        return LanguageGuess(lang if lang != "fil" else "tl", 0.0, False, [])
    thai = sum(1 for c in letters if _THAI.match(c))
    words = _LATIN_WORD.findall(text)
    if thai / len(letters) >= 0.3:
        english, _ = _english_share(words)
        latin_letters = sum(1 for c in letters if "a" <= c <= "z")
        mixed = english >= 1 or (latin_letters >= 4 and len(words) >= 1)
        return LanguageGuess("th", round(thai / len(letters), 3), mixed, ["th", "en"] if mixed else ["th"])
    lang, prob = _identifier().classify(text)
    scores = {code: 0.0 for code in LANGS if code != "th"}
    if lang in scores:
        scores[lang] += float(prob)
    for code, markers in MARKERS.items():
        hits = sum(1 for w in words if w in markers)
        if hits:
            scores[code] += 0.35 * hits
    hint_set = {("tl" if h == "fil" else h) for h in hints}
    for code in hint_set & scores.keys():
        scores[code] += 0.5 if len(words) <= 3 else 0.3
    best = max(scores, key=lambda k: scores[k])
    total = sum(scores.values()) or 1.0
    confidence = round(min(1.0, scores[best] / total), 3)
    english, n_words = _english_share(words)
    languages = [best]
    mixed = False
    if best != "en" and n_words and english >= 2 and english / n_words >= _MIX_SHARE:
        mixed, languages = True, [best, "en"]
    elif best == "en":
        other = max(("tl", "ms", "id"), key=lambda k: sum(1 for w in words if w in MARKERS[k]))
        other_hits = sum(1 for w in words if w in MARKERS[other])
        if other_hits >= 2 and other_hits / max(n_words, 1) >= _MIX_SHARE:
            mixed, languages = True, ["en", other]
    return LanguageGuess(best, confidence, mixed, languages)


def identify_batch(texts: Sequence[str], hints: Sequence[Sequence[str]]) -> list[LanguageGuess]:
    return [identify(text, hint) for text, hint in zip(texts, hints, strict=True)]
