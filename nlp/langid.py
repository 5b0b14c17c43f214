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


# Thai characters that count as letters (str.isalpha): the vowel and tone marks do not.
_THAI_LETTER = re.compile("[" + "".join(chr(c) for c in range(0x0E00, 0x0E80) if chr(c).isalpha()) + "]")
_LATIN_LETTER = re.compile(r"[a-z]")
# For each marker word, the languages it votes for (one look-up per word instead of one per language).
_VOTES: dict[str, tuple[str, ...]] = {}
for _code, _markers in MARKERS.items():
    for _word in _markers:
        _VOTES[_word] = (*_VOTES.get(_word, ()), _code)


def _english_share(words: list[str]) -> tuple[int, int]:
    english = sum(1 for w in words if w in MARKERS["en"] and w not in _SHARED)
    return english, len(words)


def identify(text: str, hints: Sequence[str] = ()) -> LanguageGuess:
    """Main language, its confidence, and whether English is mixed in (or the main language is English)."""
    return identify_batch([text], [hints])[0]


def identify_batch(texts: Sequence[str], hints: Sequence[Sequence[str]]) -> list[LanguageGuess]:
    """``identify`` for many texts: py3langid runs once per distinct Latin-script text, as one batch."""
    if len(texts) != len(hints):
        raise ValueError(f"{len(texts)} texts but {len(hints)} hint lists")
    out: list[LanguageGuess | None] = [None] * len(texts)
    pending: list[tuple[int, list[str]]] = []
    for i, text in enumerate(texts):
        letters = sum(map(str.isalpha, text))
        if not letters:
            hint = hints[i]
            lang = hint[0] if hint and hint[0] in LANGS else "und"
            out[i] = LanguageGuess(lang if lang != "fil" else "tl", 0.0, False, [])
            continue
        thai = len(_THAI_LETTER.findall(text))
        words = _LATIN_WORD.findall(text)
        if thai / letters >= 0.3:
            english, _ = _english_share(words)
            latin_letters = len(_LATIN_LETTER.findall(text))
            mixed = english >= 1 or (latin_letters >= 4 and len(words) >= 1)
            out[i] = LanguageGuess("th", round(thai / letters, 3), mixed, ["th", "en"] if mixed else ["th"])
            continue
        pending.append((i, words))
    if pending:
        from nlp.langid_model import batch_identifier

        classified = batch_identifier().classify([texts[i] for i, _ in pending])
        for (i, words), (lang, prob) in zip(pending, classified, strict=True):
            out[i] = _decide(lang, prob, words, hints[i])
    return out  # type: ignore[return-value]


def _decide(lang: str, prob: float, words: list[str], hints: Sequence[str]) -> LanguageGuess:
    """py3langid's vote plus marker words and hints -> the main language and code-mixing."""
    scores = {code: 0.0 for code in LANGS if code != "th"}
    if lang in scores:
        scores[lang] += prob
    hits = dict.fromkeys(MARKERS, 0)
    for word in words:
        for code in _VOTES.get(word, ()):
            hits[code] += 1
    for code in MARKERS:  # the same order as before: float sums must not change
        if hits[code]:
            scores[code] += 0.35 * hits[code]
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
        other = max(("tl", "ms", "id"), key=lambda k: hits[k])
        other_hits = hits[other]
        if other_hits >= 2 and other_hits / max(n_words, 1) >= _MIX_SHARE:
            mixed, languages = True, ["en", other]
    return LanguageGuess(best, confidence, mixed, languages)
